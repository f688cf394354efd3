"""Live charts that update in place: one Plotly div per chart, redrawn with ``Plotly.react``.

``st.plotly_chart`` gives a figure a new element id whenever its data change (the id hashes the
spec), so during live training the browser unmounts the old chart and mounts a new one on every
tick: the chart is blank for a frame, and on a projector that strobes. This component keeps one
element per key for the whole session and hands each new figure to ``Plotly.react``, which
changes the drawn traces in place.

Plotly.js is the copy that ships inside the ``plotly`` Python package, served by Streamlit's
static file serving (``server.enableStaticServing``) from ``static/plotly.min.js``, which
:func:`ensure_plotly_js` copies there at start-up (the file is not kept in git).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
import streamlit as st

from rnnviz.core.paths import ROOT

STATIC = ROOT / "static"
PLOTLY_JS = STATIC / "plotly.min.js"

_JS = """
function plotlyReady() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!window.__rnnvizPlotly) {
    window.__rnnvizPlotly = new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = new URL("app/static/plotly.min.js", window.location.origin + "/").href;
      s.onload = () => resolve(window.Plotly);
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }
  return window.__rnnvizPlotly;
}

export default function (component) {
  const { data, parentElement } = component;
  let div = parentElement.querySelector("div.rnnviz-live-chart");
  if (!div) {
    div = document.createElement("div");
    div.className = "rnnviz-live-chart";
    div.style.width = "100%";
    parentElement.appendChild(div);
  }
  const fig = JSON.parse(data.figure);
  div.style.height = data.height + "px";
  div.dataset.traces = String((fig.data || []).length);
  plotlyReady().then((Plotly) => {
    fig.layout.height = data.height;
    fig.layout.autosize = true;
    Plotly.react(div, fig.data, fig.layout, Object.assign({ responsive: true }, data.config));
    div.dataset.drawn = String(Number(div.dataset.drawn || 0) + 1);
  });
}
"""

_component = st.components.v2.component("rnnviz_live_chart", js=_JS, isolate_styles=False)


def ensure_plotly_js() -> bool:
    """Copy plotly.js from the installed ``plotly`` package to ``static/`` (once); say whether it is there."""
    if PLOTLY_JS.exists():
        return True
    source = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    try:
        STATIC.mkdir(exist_ok=True)
        tmp = PLOTLY_JS.with_suffix(".tmp")
        shutil.copyfile(source, tmp)
        tmp.replace(PLOTLY_JS)
    except OSError:
        return False
    return True


def live_chart(fig: go.Figure, key: str, config: dict[str, Any], height: int) -> None:
    """Draw ``fig`` in the element of ``key``, updating the chart drawn there before (no remount)."""
    _component(key=key, data={"figure": fig.to_json(), "config": config, "height": int(height)}, height=int(height))
