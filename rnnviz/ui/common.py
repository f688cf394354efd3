"""Global sidebar (projector mode, seed) and small helpers every page uses."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from rnnviz.core.charts import plotly_config

PROJECTOR_KEY = "projector"
SEED_KEY = "seed"

# Streamlit sizes text in rem, so one root font size scales the whole page for a projector.
_PROJECTOR_CSS = """
<style>
html { font-size: 21px; }
.stApp .katex { font-size: 1.35em; }
</style>
"""


def global_sidebar() -> None:
    """Projector mode and seed: kept across pages and bound to the URL for bookmarking."""
    with st.sidebar:
        st.toggle(
            "Projector mode",
            key=PROJECTOR_KEY,
            bind="query-params",
            help="Larger fonts on the page and in every chart, thicker lines: for a classroom projector.",
        )
        st.number_input(
            "Random seed",
            min_value=0,
            max_value=2**31 - 1,
            value=0,
            step=1,
            key=SEED_KEY,
            bind="query-params",
            help="Every page builds its models and draws its data from this seed: "
            "the same seed and settings give the same curves, in every lesson.",
        )
        st.caption("Both settings are in the page address: bookmark it to keep this setup.")
    if projector():
        st.html(_PROJECTOR_CSS)


def projector() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def seed() -> int:
    return int(st.session_state.get(SEED_KEY, 0) or 0)


def chart(fig: go.Figure, key: str | None = None, filename: str = "rnnviz-chart", **select: Any) -> Any:
    """Draw a figure with the house toolbar (PNG export); ``select`` passes on_select/selection_mode through.

    A figure whose data changes gets a new element id, so Streamlit remounts it on every
    live tick; a fixed pixel height keeps its box in place meanwhile (no page jumps).
    """
    height = fig.layout.height
    return st.plotly_chart(fig, key=key, config=plotly_config(filename), width="stretch",
                           height=int(height) if height else "content", **select)


def show_code(code: str, label: str = "Show code: reproduce this in plain PyTorch") -> None:
    """A collapsible, copyable standalone snippet."""
    with st.expander(label, icon=":material/code:"):
        st.code(code, language="python", line_numbers=False)
