"""rnnviz router: page config, the global sidebar, and the navigation. Nothing else."""

import streamlit as st

from rnnviz.catalog import HOME, sections
from rnnviz.ui.common import global_sidebar

st.set_page_config(page_title="rnnviz: see an RNN learn", page_icon=":material/hub:", layout="wide")

nav: dict[str, list] = {"": [st.Page(HOME.file, title=HOME.title, icon=HOME.icon, default=True)]}
for section, pages in sections().items():
    nav[section] = [st.Page(p.file, title=p.title, icon=p.icon) for p in pages]

page = st.navigation(nav)
global_sidebar()
page.run()
