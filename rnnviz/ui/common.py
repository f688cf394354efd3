"""Global sidebar (projector mode, seed) and small helpers every page uses."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import streamlit as st

from rnnviz.core.charts import plotly_config
from rnnviz.core.log_axes import readable_log_axes
from rnnviz.ui.live_chart import ensure_plotly_js, live_chart

PROJECTOR_KEY = "projector"
SEED_KEY = "seed"

# Streamlit leaves 6rem empty above every page: 4rem clears its toolbar (3.75rem), and the live section moves up.
_BASE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 4rem; }
/* Streamlit fades a fragment's elements while it reruns. A live-training tick trains for most of its 0.3 s
   before it redraws, so its readout and charts were faded most of the time: on a projector, a grey strobe. */
[class*="__live_box"] [data-stale="true"], [class*="__live_box"][data-stale="true"] {
  opacity: 1 !important; transition: none !important; }
</style>
"""

# Streamlit sizes text in rem, so one root font size scales the whole page for a projector.
_PROJECTOR_CSS = """
<style>
html { font-size: 21px; }
.stApp .katex { font-size: 1.35em; }
/* the title and the readout's numbers need not grow with the rest: the live section keeps its first screen */
.stApp h1 { font-size: 2.1rem; padding-top: 0.5rem; padding-bottom: 0.5rem; }
.stApp [data-testid="stMetricValue"] { font-size: 1.75rem; }
.stApp [data-testid="stVerticalBlock"] { gap: 0.6rem; }  /* the gaps need not grow as much as the type */
/* Streamlit cuts long labels with an ellipsis ("T...", "Clip gradie..."): at projector sizes let them wrap */
.stApp .stMarkdownEllipsis, .stApp .stMarkdownEllipsis p {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
.stApp button { height: auto !important; }
.stApp button p { overflow-wrap: normal !important; word-break: normal !important; }  /* never "Paus/e" */
/* the shortcut badges (T, P, S, 0) and the icons leave the words room; the keys still work, the help says them */
.stApp button kbd, .stApp .stButton button span:has(> [data-testid=stIconMaterial]) { display: none !important; }
</style>
"""


def global_sidebar() -> None:
    """Projector mode and seed: kept across pages and bound to the URL for bookmarking."""
    with st.sidebar:
        st.html(_BASE_CSS)  # in the sidebar, so the page's own elements keep their places
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
        copy_link_button()
        st.caption("Every setting of every page is in the page address (defaults left out): the link "
                   "reproduces this setup in any browser.")
    if projector():
        st.html(_PROJECTOR_CSS)


# Reads the address when clicked (so it holds every setting changed since), copies it, says so.
_COPY_LINK_HTML = """
<button id="b" title="Copy the address of this page, with all its settings, to the clipboard">
  <svg width="1em" height="1em" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
       style="vertical-align:-0.15em"><path d="M10 13a5 5 0 0 0 7.5.5l3-3a5 5 0 0 0-7-7l-1.7 1.7"/>
       <path d="M14 11a5 5 0 0 0-7.5-.5l-3 3a5 5 0 0 0 7 7l1.7-1.7"/></svg>
  Copy link to this setup</button>
<span id="m" aria-live="polite"></span>
<style>
  body { margin: 0; font-family: "Source Sans Pro", sans-serif; }
  button { width: 100%%; padding: 0.35rem 0.5rem; border: 1px solid rgba(49,51,63,0.2); border-radius: 0.5rem;
           background: white; color: rgb(49,51,63); font-size: %(size)spx; cursor: pointer; }
  button:hover { border-color: #0072B2; color: #0072B2; }
  #m { font-size: %(small)spx; color: #009E73; }
</style>
<script>
  const b = document.getElementById("b"), m = document.getElementById("m");
  b.onclick = async () => {
    const url = window.parent.location.href;
    let ok = false;
    try { await window.parent.navigator.clipboard.writeText(url); ok = true; } catch (e) {}
    if (!ok) {
      const d = window.parent.document, t = d.createElement("textarea");
      t.value = url; d.body.appendChild(t); t.select();
      try { ok = d.execCommand("copy"); } catch (e) {}
      t.remove();
    }
    m.textContent = ok ? "Copied." : url;
  };
</script>
"""


def copy_link_button() -> None:
    """A button that copies the page address (every setting of the page is in it) to the clipboard."""
    big = projector()
    st.iframe(_COPY_LINK_HTML % {"size": 20 if big else 15, "small": 17 if big else 13}, height=78 if big else 62)


def projector() -> bool:
    return bool(st.session_state.get(PROJECTOR_KEY, False))


def seed() -> int:
    return int(st.session_state.get(SEED_KEY, 0) or 0)


def chart(fig: go.Figure, key: str, **select: Any) -> Any:
    """Draw a figure with the house toolbar; the PNG export is named after the key (``srn_loss`` -> ``srn-loss.png``).

    Charts are drawn by :func:`rnnviz.ui.live_chart.live_chart`, which updates the chart of a key in
    place (live training never blanks it). ``select`` (on_select/selection_mode) needs Streamlit's own
    plotly element, which is then used; so is it when plotly.js could not be served.
    """
    if not isinstance(fig, go.Figure):
        fig = go.Figure(fig)
    readable_log_axes(fig)
    height = int(fig.layout.height or 450)
    config = plotly_config(key.replace("_", "-"))
    if select or not ensure_plotly_js():
        return st.plotly_chart(fig, key=key, config=config, width="stretch", height=height, **select)
    live_chart(fig, key=key, config=config, height=height)
    return None


def show_code(code: str, label: str = "Show code: reproduce this in plain PyTorch") -> None:
    """A collapsible, copyable standalone snippet."""
    with st.expander(label, icon=":material/code:"):
        st.code(code, language="python", line_numbers=False)
