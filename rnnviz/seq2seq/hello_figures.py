"""Figures, tables and the plain-PyTorch snippet of Part 1 (hello -> ohlol)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.core.charts import (
    DIVERGING,
    PALETTE,
    Look,
    cell_px,
    cell_text,
    empty_state,
    fit_cell_font,
    heatmap,
    legend_below,
    line_chart,
    style,
    subplot_titles,
)
from rnnviz.seq2seq.hello import VARIANTS, Forward, HelloRun

_HALF = 0.49  # the page shows the probability and hidden-state heatmaps side by side: about half its width


def show_char(c: str) -> str:
    """A character as a readable axis label (a space becomes the open-box symbol)."""
    return "␣" if c == " " else c


def loss_curves(run: HelloRun, projector: bool = False) -> go.Figure:
    """Cross entropy per character of each variant; a star where its prediction first is right."""
    T = len(run.y)
    look = Look.of(projector)
    series = {VARIANTS[v]: [m[f"loss_{v}"] / (T if v == "a" else 1) for m in run.history] for v in VARIANTS}
    steps = run.series("step")
    fig = line_chart(series, steps, title="Loss per character",
                     xlabel="epoch", ylabel="cross entropy per char.", projector=projector, height=420,
                     dashed=(VARIANTS["b"],))
    for i, v in enumerate(VARIANTS):
        e = run.first_right(v)
        if e is not None:
            fig.add_trace(go.Scatter(x=[e], y=[series[VARIANTS[v]][e - 1]], mode="markers", showlegend=False,
                                     marker={"symbol": "star", "size": 2 * look.marker_size, "color": PALETTE[i],
                                             "line": {"width": 1, "color": "#000"}},
                                     hovertemplate=f"{VARIANTS[v]}: first right at epoch {e}<extra></extra>"))
    if not steps:
        empty_state(fig, look)
    return legend_below(fig, look)


def _step_labels(source: str, target: str) -> list[str]:
    return [f"t={t + 1}: {show_char(a)} → {show_char(b)}" for t, (a, b) in enumerate(zip(source, target))]


def probability_heatmap(f: Forward, vocab: tuple[str, ...], source: str, target: str, epoch: int,
                        projector: bool = False) -> go.Figure:
    """Softmax probabilities, time step x vocabulary; the wanted character of each step is boxed."""
    rows = _step_labels(source, target)
    cols = [show_char(c) for c in vocab]
    look = Look.of(projector)
    fig = heatmap(f.probs, x=cols, y=rows, diverging=False, zrange=(0.0, 1.0), annotate=len(vocab) <= 12,
                  title=f"Probabilities at epoch {epoch}",
                  xlabel="next character (vocabulary)", ylabel="time step: input → wanted",
                  projector=projector, height=max(300, 60 * len(rows) + 120), width_px=_HALF * look.page_px)
    fig.add_trace(go.Scatter(x=[show_char(c) for c in target], y=rows, mode="markers", name="wanted",
                             marker={"symbol": "square-open", "size": look.scaled(30), "color": PALETTE[5],
                                     "line": {"width": 3}}, hoverinfo="skip"))
    fig.update_layout(legend={"orientation": "h", "y": 1.02, "x": 1, "xanchor": "right", "yanchor": "bottom"})
    return fig


def hidden_heatmap(f: Forward, source: str, target: str, projector: bool = False) -> go.Figure:
    """The hidden state after each time step (for (a)/(b) these are also the class scores)."""
    H = f.hidden.shape[1]
    rows = _step_labels(source, target)
    return heatmap(f.hidden, x=[f"h[{j + 1}]" for j in range(H)], y=rows, zrange=(-1.0, 1.0),
                   annotate=H <= 12, title="Hidden state h_t per step",
                   xlabel="hidden unit", ylabel="time step", projector=projector,
                   height=max(300, 60 * len(rows) + 120), width_px=_HALF * Look.of(projector).page_px)


def lookup_figure(onehot: np.ndarray, table: np.ndarray, source: str, vocab: tuple[str, ...],
                  projector: bool = False) -> go.Figure:
    """one-hot (T, V) @ embedding table (V, E) = embedded inputs (T, E): the lookup as a product."""
    T, V = onehot.shape
    E = table.shape[1]
    embedded = onehot @ table  # (T, E): row t = table row of character t
    rows = [f"t={t + 1}: {show_char(c)}" for t, c in enumerate(source)]
    chars = [show_char(c) for c in vocab]
    units = [f"e[{j + 1}]" for j in range(E)]
    fig = make_subplots(rows=1, cols=3, column_widths=[V, E, E], horizontal_spacing=0.08,
                        subplot_titles=["one-hot input (T × V)", "× embedding table (V × E), learned",
                                        "= embedded input (T × E)"])
    m = float(np.max(np.abs(table))) or 1.0
    look = Look.of(projector)
    bits = onehot.astype(int).astype(str).tolist()
    height = max(320, 45 * max(T, V) + 150)
    width = cell_px(look, V + 2 * E, y_labels=rows, colorbar_title="value", spacing=0.08, panels=3)
    font = fit_cell_font(bits, width, look.label_font - 1, (look.height(height) - 110) / max(T, V))
    fig.add_trace(go.Heatmap(z=onehot, x=chars, y=rows, colorscale=[[0, "#FFFFFF"], [1, "#000000"]], zmin=0, zmax=1,
                             showscale=False, **cell_text(bits, font),
                             hovertemplate="%{y}, %{x}: %{z}<extra></extra>"), row=1, col=1)
    for col, (z, ys) in enumerate([(table, chars), (embedded, rows)], start=2):
        fig.add_trace(go.Heatmap(z=z, x=units, y=ys, coloraxis="coloraxis",
                                 hovertemplate="%{y}, %{x}: %{z:.3f}<extra></extra>"), row=1, col=col)
    for col in (1, 2, 3):
        fig.update_yaxes(autorange="reversed", row=1, col=col)
    fig.update_layout(coloraxis={"colorscale": DIVERGING, "cmin": -m, "cmax": m, "colorbar": {"title": "value"}},
                      title="Embedding = looking up a row: the one-hot matrix times the table")
    style(fig, look, height=height)
    return subplot_titles(fig, look, room=False)


def comparison_rows(run: HelloRun) -> list[dict[str, object]]:
    """One row per variant: its prediction now, its loss, and the epoch it was first right."""
    rows = []
    for v, name in VARIANTS.items():
        f = run.view(v)
        e = run.first_right(v)
        params = sum(p.numel() for p in run.model[v].parameters())
        rows.append({
            "variant": name,
            "parameters": params,
            "predicted": f.predicted,
            "loss": round(f.loss, 4),
            "first right at epoch": str(e) if e is not None else f"not yet ({run.step_count} epochs)",
        })
    return rows
