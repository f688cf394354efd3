"""Log axes whose tick labels never run into each other."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go


def _values(values: Any) -> np.ndarray:
    """A trace's x or y as floats: a list, an array, or Plotly's typed-array form ``{"dtype", "bdata"}``
    (what a figure that went through JSON, such as a cached one, holds); anything else gives none."""
    if values is None:
        return np.empty(0)
    if isinstance(values, Mapping):
        if "bdata" not in values or "dtype" not in values:
            return np.empty(0)
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=np.dtype(values["dtype"])).astype(float)
    try:
        return np.asarray(values, dtype=float).ravel()
    except (TypeError, ValueError):  # text labels, dates, ragged lists: not a log axis's numbers
        return np.empty(0)


def _positive_range(values: Any) -> tuple[float, float] | None:
    arr = _values(values)
    arr = arr[np.isfinite(arr) & (arr > 0)]
    return (float(arr.min()), float(arr.max())) if arr.size else None


def readable_log_axes(fig: go.Figure) -> go.Figure:
    """Label a log axis that spans a decade or more at the powers of ten only, a shorter one in full numbers.

    Plotly's automatic log ticks add 2 and 5 between the powers; on a short chart, or in projector
    mode's large type, "10⁻²", "2" and "5" ran into each other. On an axis spanning less than a decade
    it writes the in-between ticks as small bare digits: a loss from 5 down to 0.56 read
    "5 4 3 2 1 9 8 7 6 5". Such an axis gets its ticks at 1, 2 and 5 times the powers of ten (every
    digit if it spans less than 3x), written out in the axis's own font: 0.5, 1, 2, 5.
    """
    for axis in [*fig.select_xaxes(), *fig.select_yaxes()]:
        name = axis.plotly_name  # "xaxis", "yaxis2", ...
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
        if not lows:
            continue
        low, high = min(lows), max(highs)
        if high >= 10 * low:  # every power of ten, or every 2nd, 3rd ... where the axis is too short for all
            axis.dtick = max(1, int(np.ceil(np.log10(high / low) / max(1, _labels_fit(fig, axis) - 1))))
        elif axis.tickvals is None and axis.range is None and (ticks := _written_out(low, high)):
            axis.update(tickmode="array", tickvals=ticks, ticktext=[f"{v:g}" for v in ticks])
    return fig


def _labels_fit(fig: go.Figure, axis: Any) -> int:
    """How many tick labels fit along a y axis without touching (an x axis: as many as wanted)."""
    if axis.plotly_name[0] != "y":
        return 100
    margin = fig.layout.margin
    plot = (fig.layout.height or 450) - (margin.t if margin.t is not None else 100) - (margin.b or 80)
    low, high = axis.domain or (0, 1)
    font = (axis.tickfont.size if axis.tickfont and axis.tickfont.size else None) or fig.layout.font.size or 12
    return int(plot * (high - low) / (2.6 * font))


def _written_out(low: float, high: float) -> list[float] | None:
    """Ticks at 1-2-5 (every digit under 3x) times the powers of ten, from ``low`` to ``high``; None when
    fewer than two fall in the range (a flat line: Plotly pads it by decades) or the numbers would be long."""
    if not (1e-4 <= low and high <= 1e5):
        return None
    digits = (1, 2, 5) if high >= 3 * low else range(1, 10)
    powers = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    ticks = [float(f"{d * 10.0 ** p:.6g}") for p in powers for d in digits if low <= d * 10.0 ** p <= high]
    return ticks if len(ticks) >= 2 else None
