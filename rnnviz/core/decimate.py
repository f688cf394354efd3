"""Long curves thinned for the browser: what a live chart sends stays small however long the run."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MAX_POINTS = 600  # points per line sent to the browser: a 35,000-step curve is drawn from at most this many


def decimate(xs: Sequence[float], ys: Sequence[float], max_points: int = MAX_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most about ``max_points`` points of a line that look the same drawn: the first and last point and
    each bucket's min and max (in order), so spikes and the best loss stay visible; shorter lines come back
    whole. Arrays, so that plotly sends them in its compact binary encoding."""
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    n = len(y)
    if n <= max_points:
        return x, y
    buckets = max(1, (max_points - 2) // 2)
    edges = np.linspace(1, n - 1, buckets + 1).astype(int)
    keep = [0]
    for lo, hi in zip(edges[:-1], edges[1:]):
        if hi <= lo:
            continue
        part = y[lo:hi]
        finite = np.where(np.isfinite(part), part, np.nan)
        if np.all(np.isnan(finite)):
            keep.append(lo)
            continue
        pair = sorted({lo + int(np.nanargmin(finite)), lo + int(np.nanargmax(finite))})
        keep.extend(pair)
    keep.append(n - 1)
    idx = np.array(sorted(set(keep)))  # (<= max_points,)
    return x[idx], y[idx]
