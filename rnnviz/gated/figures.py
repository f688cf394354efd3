"""Live charts of the gated page: train/test curves, the gradient through time, the model table.

Pure functions of a :class:`~rnnviz.gated.run.GatedRun` (or of its arrays), returning
plotly figures or plain rows. One colour per model everywhere on the page.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.core.charts import PALETTE, Look, style
from rnnviz.gated.cells import KINDS
from rnnviz.gated.model import NAMES
from rnnviz.gated.run import GatedRun

COLORS: dict[str, str] = {"rnn": PALETTE[5], "lstm": PALETTE[0], "gru": PALETTE[2]}  # vermillion, blue, green
TARGETS: dict[str, float] = {"digits": 0.90, "long_range": 0.95}  # the accuracy the page's claims are about


def model_rows(run: GatedRun) -> list[dict[str, object]]:
    """One row per model for the page's table: size, speed, steps, latest scores."""
    target = TARGETS[run.config.task]
    rows = []
    for k in KINDS:
        e = run.latest(k)
        reached = run.steps_to_reach(k, target)
        rows.append({
            "model": NAMES[k],
            "hidden units": run.hidden[k],
            "parameters": f"{run.params[k]:,}",
            "ms / step": f"{run.ms_per_step(k):.1f}" if run.step_count else "–",
            "steps done": run.step_count,
            "scored at step": e.step,
            "train acc": f"{e.train_acc:.1%}",
            "test acc": f"{e.test_acc:.1%}",
            f"steps to {target:.0%} test": str(reached) if reached is not None else "not yet",
        })
    return rows


def _hline(y: float, text: str, dash: str, top: bool, left: bool = False) -> tuple[dict, dict]:
    """A labelled horizontal reference line as layout dicts (cheaper than ``add_hline``)."""
    shape = {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y,
             "line": {"color": "#777", "dash": dash, "width": 1}}
    note = {"text": text, "xref": "paper", "x": 0 if left else 1, "xanchor": "left" if left else "right",
            "yref": "y", "y": y,
            "yanchor": "bottom" if top else "top", "showarrow": False, "font": {"color": "#555"}}
    return shape, note


def curves(run: GatedRun, metric: str, projector: bool = False) -> go.Figure:
    """Train (dotted) and test (solid) ``loss`` or ``acc`` against step, one colour per model."""
    data = []
    for k in KINDS:
        evals = run.evals[k]
        steps = [e.step for e in evals]
        for split, dash in (("train", "dot"), ("test", "solid")):
            data.append({"type": "scatter", "x": steps, "y": [getattr(e, f"{split}_{metric}") for e in evals],
                         "mode": "lines" if len(steps) > 2 else "lines+markers", "name": f"{NAMES[k]} {split}",
                         "legendgroup": k, "line": {"color": COLORS[k], "dash": dash}})
    n_classes = run.data.spec.n_classes
    if metric == "acc":
        target = TARGETS[run.config.task]
        lines = [_hline(1.0 / n_classes, "chance", "dash", False), _hline(target, f"{target:.0%}", "dot", False, left=True)]
        title, ylabel = "Accuracy (test solid, train dotted)", "accuracy"
        yaxis: dict = {"range": [0, 1.02], "tickformat": ".0%"}
    else:
        lines = [_hline(float(np.log(n_classes)), f"chance: ln {n_classes} = {np.log(n_classes):.2f}", "dash", True)]
        title, ylabel, yaxis = "Loss: cross entropy (test solid, train dotted)", "loss", {"rangemode": "tozero"}
    fig = go.Figure(data=data, layout={
        "title": {"text": title}, "xaxis": {"title": {"text": "training step"}},
        "yaxis": {"title": {"text": ylabel}, **yaxis}, "legend": {"orientation": "h", "y": -0.25},
        "shapes": [sh for sh, _ in lines], "annotations": [note for _, note in lines]})
    return style(fig, projector, height=420)


def _per_model(values: dict[str, np.ndarray]) -> go.Figure:
    """One line per model (its colour), a marker per time step t = 1..T of ``values[kind]`` (T,)."""
    return go.Figure([go.Scatter(x=list(range(1, len(values[k]) + 1)), y=values[k].tolist(), name=NAMES[k],
                                 mode="lines+markers", line={"color": COLORS[k]}) for k in KINDS])


def _dense_markers(fig: go.Figure, projector: bool, height: int) -> go.Figure:
    style(fig, projector, height=height)
    return fig.update_traces(marker={"size": Look.of(projector).dense_marker_size})


def gradient_figure(profile: dict[str, np.ndarray], projector: bool = False) -> go.Figure:
    """||dL/dh_t|| against time step t, log scale: how far back the error signal reaches."""
    fig = _per_model({k: np.maximum(profile[k], 1e-30) for k in KINDS})  # a log axis cannot show 0
    fig.update_layout(title="Gradient reaching each time step: ‖∂L/∂h<sub>t</sub>‖ (log scale)",
                      xaxis_title="time step t (the loss is computed after the last step)",
                      yaxis_title="‖∂L/∂h<sub>t</sub>‖")
    fig.update_yaxes(type="log", exponentformat="power")
    return _dense_markers(fig, projector, 400)


def prediction_over_time(example: dict[str, dict[str, np.ndarray]], n_classes: int, label_name: str,
                         projector: bool = False) -> go.Figure:
    """P(true class) read after each time step t, per model: who still knows the answer?"""
    fig = _per_model({k: example[k]["p_true"] for k in KINDS})  # (T,) each
    fig.add_hline(y=1.0 / n_classes, line={"color": "#777", "dash": "dash", "width": 1},
                  annotation_text="chance", annotation_position="bottom right")
    fig.update_layout(title=f"If the classifier looked after step t: P(correct class = {label_name})",
                      xaxis_title="time step t", yaxis_title="probability")
    fig.update_yaxes(range=[0, 1.02])
    return _dense_markers(fig, projector, 380)


def latex_number(v: float) -> str:
    """A number for st.latex/markdown maths: 0.14, or 9.1 \\times 10^{-13} when small."""
    if v == 0 or v >= 0.01:
        return f"{v:.2g}"
    mantissa, exponent = f"{v:.1e}".split("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"
