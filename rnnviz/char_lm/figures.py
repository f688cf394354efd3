"""Figures of the character language model page (pure functions returning go.Figure)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go

from rnnviz.char_lm.data import Corpus
from rnnviz.core.charts import (DIVERGING, PALETTE, Look, cell_px, empty_state, fit_cell_font, heatmap, legend_below,
                                 line_chart, style)
from rnnviz.core.decimate import decimate

MAX_BARS = 40  # the next-character chart shows at most this many characters (the most likely ones)


def char_label(c: str) -> str:
    """How a character is written on an axis: the newline is the end-of-name marker."""
    return {"\n": "⏎", " ": "␣"}.get(c, c)


def loss_figure(history: list[dict[str, float]], vocab_size: int, training_label: str,
                projector: bool = False, best: tuple[int, float] | None = None) -> go.Figure:
    """Training loss per character (smoothed) and held-out loss per character, against step.

    ``best``: ``(step, held-out loss)`` of the best state so far, marked with a star."""
    steps = [m["step"] for m in history]
    xs, ys = decimate(steps, [m["smooth"] for m in history])
    held = [(m["step"], m["heldout"]) for m in history if "heldout" in m]
    name = f"training ({training_label})"
    series = {name: ys}
    x = {name: xs}
    if held:
        hx, hy = decimate([h[0] for h in held], [h[1] for h in held])
        series["held-out names"] = hy
        x["held-out names"] = hx
    fig = line_chart(series, x, title="Loss per character (lower is better)", ylabel="cross-entropy (nats)",
                     projector=projector, height=380, markers=False)
    if len(fig.data) > 1:
        fig.data[1].mode = "lines+markers"
    if best is not None:
        look = Look.of(projector)
        fig.add_trace(go.Scatter(x=[best[0]], y=[best[1]], mode="markers", name=f"best held-out {best[1]:.3f}",
                                 marker={"symbol": "star", "size": look.scaled(15), "color": PALETTE[1],
                                         "line": {"color": "#333333", "width": 1}},
                                 hovertemplate="best held-out %{y:.3f} at step %{x}<extra></extra>"))
    uniform = math.log(vocab_size)
    fig.add_hline(y=uniform, line_dash="dot", line_color="#777777",
                  annotation_text=f"uniform guess ln {vocab_size} = {uniform:.2f}", annotation_position="top right")
    if not history:  # the placeholder goes under the uniform-guess line, which sits mid-height, and its label
        empty_state(fig, Look.of(projector))
        fig.layout.annotations[-1].y = 0.25
    return legend_below(fig, projector)


def grad_norm_figure(history: list[dict[str, float]], clip_label: str, projector: bool = False) -> go.Figure:
    """Global gradient norm before and after clipping, per step (log scale; spikes kept when thinned)."""
    steps = [m["step"] for m in history]
    bx, by = decimate(steps, [m["grad_norm"] for m in history])
    ax, ay = decimate(steps, [m["grad_norm_clipped"] for m in history])
    fig = line_chart({"before clipping": by, f"after clipping ({clip_label})": ay}, {"before clipping": bx,
                     f"after clipping ({clip_label})": ax}, title="Gradient norm: what clipping removes",
                     ylabel="‖gradient‖", log_y=bool(history) and min(by + ay, default=1) > 0,
                     projector=projector, height=380, dashed=(f"after clipping ({clip_label})",))
    fig.update_yaxes(dtick="D2", minorloglabels="complete", exponentformat="none")
    return legend_below(fig, projector)


def next_char_figure(probs: np.ndarray, corpus: Corpus, prefix: str, step: int,
                     projector: bool = False, top: int = MAX_BARS) -> go.Figure:
    """Probability of every possible next character after ``prefix``; the most likely one highlighted.

    A vocabulary larger than ``top`` (Chinese text) shows only the ``top`` most likely characters, sorted."""
    keep = np.arange(len(probs)) if len(probs) <= top else np.argsort(-probs, kind="stable")[:top]
    labels = [char_label(corpus.chars[i]) for i in keep]
    values = probs[keep]
    best = int(np.argmax(values))
    colours = [PALETTE[1] if i == best else PALETTE[0] for i in range(len(values))]
    fig = go.Figure(go.Bar(x=labels, y=values, marker_color=colours,
                           hovertemplate="next %{x}: %{y:.3f}<extra></extra>"))
    shown = prefix if prefix else "(start of a name)"
    which = "next character" if len(keep) == len(probs) else f"the {top} most likely of {len(probs):,} characters"
    fig.update_layout(title=f"Next character after “{shown}” (step {step})",
                      xaxis_title=f"{which} (⏎ = end)",
                      yaxis_title="probability", yaxis_range=[0, 1], bargap=0.15)
    fig.update_xaxes(type="category", tickangle=0)
    return style(fig, projector, 360)


def hidden_text_figure(text: str, values: np.ndarray, unit: int, projector: bool = False) -> go.Figure:
    """The characters of ``text`` coloured by one hidden unit's activation after reading each of them."""
    chars = [char_label(c) for c in text]
    look = Look.of(projector)
    font = fit_cell_font([chars], cell_px(look, len(chars), colorbar=0), look.scaled(26), look.height(170) - 110)
    fig = go.Figure(go.Heatmap(
        z=[list(values)], x=list(range(len(text))), colorscale=DIVERGING, zmin=-1, zmax=1,
        text=[chars], texttemplate="%{text}" if font else "", textfont={"size": font or look.scaled(26)},
        customdata=[[f"{v:+.3f}" for v in values]],
        hovertemplate="%{text}: %{customdata}<extra></extra>", showscale=False))
    fig.update_layout(title=f"Hidden unit {unit} while reading “{text}” (blue −1 … orange +1)")
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_yaxes(showticklabels=False, showgrid=False)
    return style(fig, look, 170)


def hidden_heatmap_figure(text: str, hidden: np.ndarray, unit: int, projector: bool = False) -> go.Figure:
    """All hidden units (rows) after each character (columns); the chosen unit is marked."""
    fig = heatmap(hidden.T, x=[f"{i + 1}:{char_label(c)}" for i, c in enumerate(text)],
                  y=[f"unit {j}" for j in range(hidden.shape[1])], title="All hidden units over the name",
                  xlabel="character read", ylabel="hidden unit", zrange=(-1, 1), projector=projector,
                  height=min(720, max(320, 9 * hidden.shape[1] + 120)))
    fig.add_hrect(y0=unit - 0.5, y1=unit + 0.5, line_width=3, line_color=PALETTE[7])
    return fig


def timeline_figure(steps: Sequence[int], heldout: Sequence[float], selected: int | None,
                    projector: bool = False) -> go.Figure:
    """Held-out loss of every kept checkpoint; the selected one is ringed."""
    look = Look.of(projector)
    fig = line_chart({"checkpoint": list(heldout)}, list(steps), title="Checkpoints: held-out loss per character",
                     ylabel="nats", projector=projector, markers=True, height=300)
    if selected is not None and selected in steps:
        i = list(steps).index(selected)
        fig.add_trace(go.Scatter(x=[selected], y=[heldout[i]], mode="markers", name="selected",
                                 marker={"size": look.scaled(16), "color": "rgba(0,0,0,0)",
                                         "line": {"color": PALETTE[5], "width": 3}}))
    return fig


def sample_rows(names: list[str], corpus: Corpus) -> list[dict[str, str]]:
    """Table rows for sampled names: the name and whether it was in the training or held-out list."""
    train, held = set(corpus.train), set(corpus.heldout)
    rows = []
    for n in names:
        where = "training list" if n in train else ("held-out list (never trained on)" if n in held else "new")
        rows.append({"name": n.capitalize() if n else "(empty)", "length": str(len(n)), "found in": where})
    return rows
