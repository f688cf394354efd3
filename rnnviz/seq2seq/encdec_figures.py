"""Figures, curve archive and the plain-PyTorch snippet of Part 2 (encoder-decoder)."""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.core.charts import PALETTE, Look, empty_state, heatmap, legend_below, line_chart, style, subplot_titles
from rnnviz.seq2seq.encdec import DecodeTrace, EncDecConfig, EncDecRun

CURVE_KEYS = ("step", "loss", "free_loss", "pairs_right")


def curve_label(config: EncDecConfig, seed: int) -> str:
    """A short name for a run's curves: what differs between runs someone compares."""
    return f"teacher forcing {config.teacher_forcing:g}, hidden {config.hidden_size}, seed {seed}"


def curve_record(run: EncDecRun) -> dict[str, list[float]]:
    """A run's curves as plain lists (kept for comparison after the run is replaced)."""
    return {k: run.series(k) for k in CURVE_KEYS}


def comparison_figure(current: dict[str, list[float]], current_label: str, kept: dict[str, dict[str, list[float]]],
                      metric: str, projector: bool = False, n_pairs: int | None = None) -> go.Figure:
    """One metric of the current run (thick) against kept runs (dashed); ``n_pairs`` fixes the pairs axis."""
    titles = {
        "loss": ("Training loss", "cross entropy", True),
        "free_loss": ("Free-running loss", "cross entropy", True),
        "pairs_right": ("Pairs translated right", "pairs right (greedy)", False),
    }
    title, ylabel, log_y = titles[metric]
    series = {f"{label} (kept)": c[metric] for label, c in kept.items() if c[metric]}
    xs = {f"{label} (kept)": c["step"] for label, c in kept.items() if c[metric]}
    name = f"{current_label} (now)"
    series[name] = current[metric]
    xs[name] = current["step"]
    fig = line_chart(series, xs, title=title, xlabel="step", ylabel=ylabel, projector=projector, height=420,
                     log_y=log_y and all(v > 0 for ys in series.values() for v in ys),
                     dashed=tuple(k for k in series if k != name))
    look = Look.of(projector)
    fig.update_traces(line={"width": look.line_width + 1}, selector={"name": name})  # the current run: thicker
    if not current["step"]:
        empty_state(fig, look)
    if fig.layout.yaxis.type == "log":
        fig.update_yaxes(dtick="D2")  # label 1, 2, 5 per decade only
    if metric == "pairs_right" and n_pairs:
        fig.update_yaxes(range=[-0.3, n_pairs + 0.3], dtick=1 if n_pairs <= 10 else 2)
    return legend_below(fig, look)


def _grid(v: np.ndarray, width: int = 16) -> np.ndarray:
    """A long vector folded into rows of ``width`` (NaN-padded) so a heatmap stays readable."""
    rows = math.ceil(len(v) / width)
    out = np.full(rows * width, np.nan)
    out[:len(v)] = v
    return out.reshape(rows, width)  # (rows, width)


def context_figure(trace: DecodeTrace, projector: bool = False) -> go.Figure:
    """The context vector (encoder's final hidden state) folded into rows of 16 units."""
    H = len(trace.context)
    width = min(H, 16)
    z = _grid(trace.context, width)
    ys = [f"units {r * width + 1}-{min((r + 1) * width, H)}" for r in range(z.shape[0])]
    fig = heatmap(z, x=[str(j + 1) for j in range(width)], y=ys, zrange=(-1.0, 1.0), annotate=H <= 32,
                  title=f"Context for '{trace.word}': the encoder's final hidden state ({H} units)",
                  xlabel="unit (within the row)", ylabel="", projector=projector, height=140 + 34 * z.shape[0])
    return fig


def decoder_hidden_figure(trace: DecodeTrace, title: str, projector: bool = False) -> go.Figure:
    """Decoder hidden state after each step (rows), the context as the row above step 1."""
    z = np.vstack([trace.context[None, :], trace.hidden])  # (1 + L, H)
    rows = ["h₀ = context"] + [f"step {t + 1}: in {i} → out {o}"
                               for t, (i, o) in enumerate(zip(trace.inputs, trace.outputs))]
    return heatmap(z, x=[str(j + 1) for j in range(z.shape[1])], y=rows, zrange=(-1.0, 1.0), title=title,
                   xlabel="hidden unit", ylabel="", projector=projector, height=160 + 40 * len(rows))


def top5_figure(trace: DecodeTrace, vocab: tuple[str, ...], projector: bool = False, k: int = 5) -> go.Figure:
    """Each decoder step's five most likely output symbols, as horizontal bars."""
    L = len(trace.inputs)
    ncols = min(L, 4)
    nrows = math.ceil(L / ncols)
    titles = [f"step {t + 1}: in {trace.inputs[t]} → {trace.outputs[t]}" for t in range(L)]
    fig = make_subplots(rows=nrows, cols=ncols, subplot_titles=titles, horizontal_spacing=0.08,
                        vertical_spacing=0.5 / nrows if nrows > 1 else 0.1)
    for t in range(L):
        order = np.argsort(-trace.probs[t])[:k]
        labels = [vocab[i] for i in order][::-1]
        values = trace.probs[t][order][::-1]
        colours = [PALETTE[5] if lab == trace.outputs[t] else PALETTE[0] for lab in labels]
        fig.add_trace(go.Bar(x=values, y=labels, orientation="h", marker={"color": colours}, showlegend=False,
                             text=[f"{v:.2f}" for v in values], textposition="auto",
                             hovertemplate="%{y}: %{x:.4f}<extra></extra>"),
                      row=t // ncols + 1, col=t % ncols + 1)
        fig.update_xaxes(range=[0, 1], row=t // ncols + 1, col=t % ncols + 1)
    fig.update_layout(title="Top-5 probabilities per decoder step (chosen symbol in vermillion)")
    style(fig, projector, height=60 + 230 * nrows)
    return subplot_titles(fig, Look.of(projector), room=False)
