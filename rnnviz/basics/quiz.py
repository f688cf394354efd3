"""Predict-then-reveal for the training-basics page: where does d, the x^3 coefficient, end up?

The answer comes from the page's live run: its exact least-squares target (``np.linalg.lstsq`` on the
fit's points) and the coefficients the three ways have reached so far. No Streamlit here.
"""

from __future__ import annotations

import numpy as np

from rnnviz.basics.data import FitData, least_squares
from rnnviz.basics.run import BasicsRun
from rnnviz.basics.ways import WAY_NAMES, WAYS

TAYLOR_D = -1 / 6  # sin x = x - x^3/6 + ...: the tempting answer


def d_label(value: float) -> str:
    """How an option is written: signed, four decimals (``-0.0933``)."""
    return f"{value:+.4f}"


def d_options(data: FitData) -> list[str]:
    """The exact d, Taylor's -1/6, no x^3 at all, and the exact d with the wrong sign (smallest first)."""
    d = float(least_squares(data)[3])
    return sorted({d_label(v) for v in (d, TAYLOR_D, 0.0, -d)}, key=float)


def d_answer(run: BasicsRun) -> tuple[str, str]:
    """The right option and why, from the run's own target and the coefficients its ways have now."""
    target = np.array(run.target, dtype=float)  # a, b, c, d (read under the run's lock: see read_run)
    now = {w: run.ways[w].coefficients()[3] for w in WAYS}
    step, n = run.step_count, run.data.n
    a, b, c, d = (0.0 if abs(v) < 5e-5 else float(v) for v in target)  # a and c are 0 up to rounding
    reached = "; ".join(f"{WAY_NAMES[w]} d = {float(v):+.4f}" for w, v in now.items())
    why = (f"Least squares (`np.linalg.lstsq` on the {n:,} points) puts the best cubic at a = {a:+.4f}, "
           f"b = {b:+.4f}, c = {c:+.4f}, **d = {d:+.4f}**, not Taylor's −1/6 = {TAYLOR_D:+.4f}. Taylor's cubic is "
           f"best only near 0; over the whole of [−π, π] its −x³/6 would reach π³/6 ≈ {np.pi ** 3 / 6:.2f} at the "
           f"ends, so the fit trades: b drops below 1 and d shrinks to {d:+.4f}. a and c are 0 because sin is odd. "
           f"Training can only approach this d. Now, at step {step:,}: {reached}.")
    return d_label(d), why
