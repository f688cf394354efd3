"""Log axes whose tick labels never run into each other."""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import plotly.graph_objects as go


def _positive_range(values: Iterable) -> tuple[float, float] | None:
    arr = np.asarray(values, dtype=float).ravel() if values is not None else np.empty(0)
    arr = arr[np.isfinite(arr) & (arr > 0)]
    return (float(arr.min()), float(arr.max())) if arr.size else None


def readable_log_axes(fig: go.Figure) -> go.Figure:
    """Label a log axis that spans a decade or more at the powers of ten only.

    Plotly's automatic log ticks add 2 and 5 between the powers; on a short chart, or in projector
    mode's large type, "10⁻²", "2" and "5" ran into each other. Axes spanning less than a decade keep
    those in-between labels (they are then the only ones).
    """
    layout = fig.layout
    for name in [k for k in layout.to_plotly_json() if re.fullmatch(r"[xy]axis\d*", k)]:
        axis = layout[name]
        if axis.type != "log" or axis.dtick is not None:
            continue
        ref = name[0] + name[5:]  # "yaxis2" -> "y2", "xaxis" -> "x"
        lows, highs = [], []
        for trace in fig.data:
            if (getattr(trace, name[0] + "axis", None) or name[0]) != ref:
                continue
            found = _positive_range(getattr(trace, name[0], None))
            if found:
                lows.append(found[0])
                highs.append(found[1])
        if lows and max(highs) >= 10 * min(lows):
            axis.dtick = 1
    return fig
