"""rnnviz router: page config, the global sidebar, and the navigation. Nothing else."""

import streamlit as st
import torch

from rnnviz.catalog import HOME, sections
from rnnviz.core.warmup import warm_up
from rnnviz.ui.common import global_sidebar
from rnnviz.ui.lesson import presets_after_page, presets_before_page
from rnnviz.ui.link_memory import keep_closed_settings, restore_on_back

# The app's models are tiny and every user's session trains in its own thread: one intra-op
# thread per session is fastest (2 threads on a loaded 2-core machine ran ~35x slower).
torch.set_num_threads(1)
warm_up()  # once per process, in the background: the first optimizer and figures are slow

# A link opened in projector mode starts with the sidebar folded away: the page gets the whole screen
# (the sidebar, with the projector switch and the lesson tools, is one click away).
st.set_page_config(page_title="rnnviz: see an RNN learn", page_icon=":material/hub:", layout="wide",
                   initial_sidebar_state="collapsed" if st.query_params.get("projector") == "true" else "auto")

nav: dict[str, list] = {"": [st.Page(HOME.file, title=HOME.title, icon=HOME.icon, default=True)]}
for section, pages in sections().items():
    nav[section] = [st.Page(p.file, title=p.title, icon=p.icon) for p in pages]

page = st.navigation(nav)
global_sidebar()
presets_before_page()
restore_on_back()  # the browser's Back returns to the page as it was left
try:
    page.run()
    presets_after_page()
finally:  # also when the page stops early (st.stop on a bad entry): the settings it did not draw stay in the link
    keep_closed_settings()  # a setting in a closed tab stays in the link
