"""Home: the learning path, one card per page."""

import streamlit as st

from rnnviz.catalog import sections

st.title("rnnviz: see a recurrent network learn")
st.markdown(
    "Every page trains a small recurrent network **live, in your browser session**, "
    "and shows what happens inside: hidden states, gates, gradients, tensor shapes, losses. "
    "Every number is computed by the real model, and every page can show you the "
    "plain PyTorch code that reproduces it. Follow the path from top to bottom, or jump in anywhere."
)
st.caption(
    "Sidebar: **Projector mode** enlarges text and charts for a classroom; the **seed** makes every "
    "demo repeat exactly. Keyboard: **T** train, **P** pause, **S** step, **0** reset."
)

n = 0
for section, pages in sections().items():
    st.subheader(section)
    cols = st.columns(min(3, len(pages)))
    for i, p in enumerate(pages):
        n += 1
        with cols[i % len(cols)].container(border=True, height="stretch"):
            st.markdown(f"**{n}. {p.title}**")
            st.write(p.blurb)
            if p.seeds:
                st.caption(f"Course notes: {p.seeds}")
            st.page_link(p.file, label="Open", icon=p.icon)
