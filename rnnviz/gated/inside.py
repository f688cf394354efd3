"""Inside one example: gate and state heatmaps, the digit read row by row, confusion, mistakes.

Every heatmap is time (x) by hidden unit (y). Gate values come from the NumPy
oracle in :mod:`rnnviz.gated.cells` (``GatedRun.example``), recomputed from the
models' current weights.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.core.charts import DIVERGING, Look, cell_px, cell_text, fit_cell_font, style, subplot_titles
from rnnviz.gated.cells import KINDS
from rnnviz.gated.model import NAMES
from rnnviz.gated.figures import COLORS

MAX_UNITS = 32  # heatmaps show at most this many hidden units
GATE_TITLES: dict[str, str] = {
    "i": "input gate i<sub>t</sub>", "f": "forget gate f<sub>t</sub>", "g": "cell candidate g<sub>t</sub>",
    "o": "output gate o<sub>t</sub>", "c": "cell state c<sub>t</sub>", "h": "hidden state h<sub>t</sub>",
    "r": "reset gate r<sub>t</sub>", "z": "update gate z<sub>t</sub>", "n": "candidate n<sub>t</sub>",
}
SIGMOID_GATES = ("i", "f", "o", "r", "z")  # values in (0, 1): a sequential scale; the rest are signed
GATE_SCALE = [[0.0, "#FFFFFF"], [1.0, "#1B3A6B"]]  # 0 = closed (white) .. 1 = open (dark blue)


def _units(a: np.ndarray) -> np.ndarray:
    return a[:, :MAX_UNITS].T  # (T, H) -> (units, T): one row per unit, time along x


def gate_heatmaps(kind: str, trace: dict[str, np.ndarray], projector: bool = False) -> go.Figure:
    """Stacked heatmaps (time x unit) of every gate and state of one model on one example."""
    names = [g for g in trace if g in GATE_TITLES]
    T, H = trace["h"].shape
    shown = min(H, MAX_UNITS)
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.05,
                        subplot_titles=[GATE_TITLES[g] for g in names])
    signed = max((float(np.abs(trace[g]).max()) for g in names if g not in SIGMOID_GATES), default=1.0) or 1.0
    for row, g in enumerate(names, start=1):
        is_gate = g in SIGMOID_GATES
        fig.add_trace(go.Heatmap(
            z=_units(trace[g]), x=list(range(1, T + 1)), y=list(range(1, shown + 1)),
            coloraxis="coloraxis" if is_gate else "coloraxis2",
            hovertemplate=f"{g}: t=%{{x}}, unit %{{y}}: %{{z:.3f}}<extra></extra>"), row=row, col=1)
        fig.update_yaxes(title_text="unit", autorange="reversed", row=row, col=1)
    fig.update_xaxes(title_text="time step t", row=len(names), col=1)
    bar = {"len": 0.45, "thickness": 14}
    fig.update_layout(
        coloraxis={"colorscale": GATE_SCALE, "cmin": 0, "cmax": 1,
                   "colorbar": {**bar, "title": {"text": "gate"}, "y": 0.78}},
        coloraxis2={"colorscale": DIVERGING, "cmin": -signed, "cmax": signed,
                    "colorbar": {**bar, "title": {"text": "value"}, "y": 0.25}},
        title=f"{NAMES[kind]}: gates and states on this example"
              + (f" (first {shown} of {H} units)" if H > shown else ""),
    )
    style(fig, projector, height=150 + 150 * len(names))
    return subplot_titles(fig, Look.of(projector))


def hidden_heatmaps(example: dict[str, dict[str, np.ndarray]], projector: bool = False) -> go.Figure:
    """h_t of the three models side by side (time x unit), one shared signed colour scale."""
    m = max(float(np.abs(example[k]["h"]).max()) for k in KINDS) or 1.0
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.06,
                        subplot_titles=[f"{NAMES[k]} h<sub>t</sub>" for k in KINDS])
    for col, k in enumerate(KINDS, start=1):
        h = example[k]["h"]  # (T, H)
        fig.add_trace(go.Heatmap(z=_units(h), x=list(range(1, h.shape[0] + 1)),
                                 y=list(range(1, min(h.shape[1], MAX_UNITS) + 1)), coloraxis="coloraxis",
                                 hovertemplate=f"{NAMES[k]}: t=%{{x}}, unit %{{y}}: %{{z:.3f}}<extra></extra>"),
                      row=1, col=col)
        fig.update_xaxes(title_text="time step t", row=1, col=col)
        fig.update_yaxes(autorange="reversed", row=1, col=col)
    fig.update_yaxes(title_text=f"unit (first {MAX_UNITS} at most)", row=1, col=1)
    fig.update_layout(coloraxis={"colorscale": DIVERGING, "cmin": -m, "cmax": m,
                                 "colorbar": {"title": {"text": "h"}, "thickness": 14}},
                      title="Hidden states over time on this example")
    style(fig, projector, height=460)
    return subplot_titles(fig, Look.of(projector))


def digit_reading(image: np.ndarray, example: dict[str, dict[str, np.ndarray]], class_names: tuple[str, ...],
                  projector: bool = False) -> go.Figure:
    """The 8x8 digit with the row being read highlighted, and each model's class probabilities so far.

    An animation over t = 1..8 (press Play or drag the slider): frame t highlights row t
    and shows softmax(fc(h_t)) of every model, i.e. its guess after reading t rows.
    """
    T = image.shape[0]
    look = Look.of(projector)
    fig = make_subplots(rows=1, cols=2, column_widths=[0.35, 0.65], horizontal_spacing=0.1,
                        subplot_titles=["the image, one row per time step", "each model's guess after reading row t"])
    fig.add_trace(go.Heatmap(z=image, colorscale="Greys", zmin=0, zmax=1, showscale=False,
                             hovertemplate="row %{y}, column %{x}: %{z:.2f}<extra></extra>"), row=1, col=1)

    def bars(t: int) -> list[go.Bar]:
        return [go.Bar(x=list(class_names), y=example[k]["probs"][t - 1].tolist(), name=NAMES[k],
                       marker={"color": COLORS[k]}) for k in KINDS]

    def box(t: int) -> list[dict]:
        return [{"type": "rect", "xref": "x", "yref": "y", "x0": -0.5, "x1": image.shape[1] - 0.5,
                 "y0": t - 1.5, "y1": t - 0.5, "line": {"color": "#E69F00", "width": look.scaled(4)}}]

    for b in bars(T):
        fig.add_trace(b, row=1, col=2)
    fig.frames = [go.Frame(name=str(t), data=bars(t), traces=[1, 2, 3], layout={"shapes": box(t)})
                  for t in range(1, T + 1)]
    font = look.label_font + 1
    fig.update_layout(
        shapes=box(T), barmode="group", bargap=0.2,
        updatemenus=[{"type": "buttons", "x": 0.0, "y": -0.2, "xanchor": "left", "yanchor": "top", "showactive": False,
                      "font": {"size": font},
                      "buttons": [{"label": "▶ Play: read row by row", "method": "animate",
                                   "args": [None, {"frame": {"duration": 700, "redraw": True},
                                                   "fromcurrent": False, "transition": {"duration": 0}}]}]}],
        sliders=[{"active": T - 1, "x": 0.3, "len": 0.7, "y": -0.2, "yanchor": "top",
                  "currentvalue": {"prefix": "rows read t = "},
                  "font": {"size": font},
                  "steps": [{"label": str(t), "method": "animate",
                             "args": [[str(t)], {"mode": "immediate", "frame": {"duration": 0, "redraw": True}}]}
                            for t in range(1, T + 1)]}],
        title="Reading the digit row by row",
    )
    fig.update_yaxes(autorange="reversed", tickvals=list(range(T)), ticktext=[f"t={t + 1}" for t in range(T)],
                     row=1, col=1)
    fig.update_xaxes(showticklabels=False, row=1, col=1)
    fig.update_yaxes(range=[0, 1.02], title_text="probability", row=1, col=2)
    fig.update_xaxes(title_text="class", type="category", row=1, col=2)
    style(fig, look, height=520)
    fig.update_layout(margin={"b": look.scaled(150), "r": 110},  # room for the play button and the slider
                      legend={"x": 1.01, "y": 0.9, "xanchor": "left"})
    return subplot_titles(fig, look)


def confusion_figure(matrices: dict[str, np.ndarray], class_names: tuple[str, ...],
                     projector: bool = False) -> go.Figure:
    """Test-set confusion matrix per model: rows = true class, columns = predicted class."""
    look = Look.of(projector)
    fig = make_subplots(rows=1, cols=3, horizontal_spacing=0.07,
                        subplot_titles=[f"{NAMES[k]}: {np.trace(matrices[k]) / matrices[k].sum():.1%} correct"
                                        for k in KINDS])
    top = max(int(m.max()) for m in matrices.values()) or 1
    counts = {k: [[str(v) if v else "" for v in row] for row in m] for k, m in matrices.items()}
    n = len(class_names)
    width = cell_px(look, 3 * n, y_labels=class_names, y_title=True, x_labels=class_names, colorbar=0,
                    spacing=0.07, panels=3)
    font = fit_cell_font([r for k in KINDS for r in counts[k]], width, look.label_font - 1,
                         (look.height(440) - look.top_room - 50) / n)
    for col, k in enumerate(KINDS, start=1):
        m = matrices[k]
        fig.add_trace(go.Heatmap(z=m, x=list(class_names), y=list(class_names), coloraxis="coloraxis",
                                 **cell_text(counts[k], font),
                                 hovertemplate="true %{y}, predicted %{x}: %{z}<extra></extra>"), row=1, col=col)
        fig.update_xaxes(title_text="predicted", type="category", row=1, col=col)
        fig.update_yaxes(autorange="reversed", type="category", row=1, col=col)
    fig.update_yaxes(title_text="true class", row=1, col=1)
    fig.update_layout(coloraxis={"colorscale": "Blues", "cmin": 0, "cmax": top, "showscale": False},
                      title="Confusion matrices on the test set")
    style(fig, look, height=440)
    return subplot_titles(fig, look)


def mistakes_figure(images: np.ndarray, mistakes: dict[str, list[tuple[int, int, int]]],
                    class_names: tuple[str, ...], projector: bool = False) -> go.Figure:
    """A few misclassified test digits per model (one row per model), titled 'true → predicted'."""
    cols = max(1, max(len(v) for v in mistakes.values()))
    titles = []
    for k in KINDS:
        titles += [f"{NAMES[k]}: {class_names[t]}→{class_names[p]}" for _, t, p in mistakes[k]]
        titles += [""] * (cols - len(mistakes[k]))
    fig = make_subplots(rows=3, cols=cols, subplot_titles=titles, horizontal_spacing=0.02, vertical_spacing=0.1)
    for row, k in enumerate(KINDS, start=1):
        for col, (index, _, _) in enumerate(mistakes[k], start=1):
            fig.add_trace(go.Heatmap(z=images[index], colorscale="Greys", zmin=0, zmax=1, showscale=False,
                                     hovertemplate=f"test image #{index}<extra></extra>"), row=row, col=col)
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_yaxes(showticklabels=False, showgrid=False, autorange="reversed", scaleanchor=None)
    fig.update_layout(title="Some misclassified test digits (true → predicted)")
    look = Look.of(projector)
    style(fig, look, height=520)
    return subplot_titles(fig, look, size=look.scaled(14))
