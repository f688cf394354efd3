"""Charts of the shapes page: weight sharing, the seed's parameter numbers, the swapped-axes damage."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.core.charts import (PALETTE, SEQUENTIAL, Look, cell_px, cell_text, fit_cell_font, line_chart, style,
                                 subplot_titles)
from rnnviz.shapes.facts import dense_params, seed_comparison
from rnnviz.shapes.diagrams import AXIS_COLOURS, GLOSS


def weight_sharing_chart(rnn_params: int, module: str, input_size: int, hidden_size: int, max_len: int = 50,
                         marker_len: int | None = None, projector: bool = False) -> go.Figure:
    """Parameters against seq_len: the recurrent module stays flat, a dense layer over the flattened sequence grows."""
    lengths = list(range(1, max_len + 1))
    dense = [dense_params(T, input_size, hidden_size) for T in lengths]
    fig = line_chart({f"{module} (the same weights at every step)": [rnn_params] * len(lengths),
                      "fully connected over the flattened sequence": dense},
                     lengths, title="Weight sharing: parameters as the sequence grows",
                     xlabel="seq_len", ylabel="parameters (log scale)", log_y=True, projector=projector, height=400)
    if marker_len is not None and 1 <= marker_len <= max_len:
        fig.add_vline(x=marker_len, line={"color": AXIS_COLOURS["seq"], "dash": "dot"},
                      annotation_text=f"your seq_len = {marker_len}", annotation_position="top right")
        above = dense[marker_len - 1] >= rnn_params
        fig.add_annotation(x=marker_len, y=np.log10(dense[marker_len - 1]), text=f"dense: {dense[marker_len - 1]:,}",
                           showarrow=True, arrowhead=2, ax=70, ay=-30 if above else 30, xanchor="left")
        fig.add_annotation(x=marker_len, y=np.log10(rnn_params), text=f"{module}: {rnn_params:,}",
                           showarrow=True, arrowhead=2, ax=70, ay=30 if above else -30, xanchor="left")
    fig.update_layout(legend={"orientation": "h", "y": -0.2})
    return fig


def seed_numbers_chart(projector: bool = False) -> go.Figure:
    """The seed's comparison: a 4096x1024 dense layer against a 5x5, 128 -> 64 convolution."""
    nums = seed_comparison()
    fig = go.Figure(go.Bar(x=list(nums.values()), y=list(nums), orientation="h",
                           marker_color=[PALETTE[5], PALETTE[0]], text=[f"{v:,}" for v in nums.values()],
                           textposition="auto", hovertemplate="%{y}: %{x:,} weights<extra></extra>"))
    fig.update_layout(title="The notes' numbers: shared weights are fewer",
                      xaxis_title="weights (biases left out)")
    fig.update_yaxes(autorange="reversed")
    return style(fig, projector, height=260)


def influence_chart(right: np.ndarray, wrong: np.ndarray, texts: list[str], projector: bool = False) -> go.Figure:
    """Side by side: which sentence's tokens move which sentence's result, right call vs swapped axes."""
    look = Look.of(projector)
    labels = [f"{s}<br>{' '.join(GLOSS.get(c, c) for c in s)}" for s in texts]
    numbers = {col: [[f"{v:.2f}" for v in row] for row in z] for col, z in ((1, right), (2, wrong))}
    width = cell_px(look, 2 * len(labels), (look.page_px - 16) * 2 / 3, labels, True, colorbar_title="|∂h_n/∂x|",
                    spacing=0.22, panels=2)  # drawn in a 2/3 column
    font = fit_cell_font(numbers[1] + numbers[2], width, look.label_font + 1, (look.height(380) - 110) / len(labels))
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.22, subplot_titles=(
        "Right: rnn(x.transpose(0, 1))", "Swapped: rnn(x), no error"))
    m = float(max(np.max(right), np.max(wrong))) or 1.0
    for col, z in ((1, right), (2, wrong)):
        fig.add_trace(go.Heatmap(z=z, x=labels, y=labels, coloraxis="coloraxis", **cell_text(numbers[col], font),
                                 hovertemplate="result of %{y}<br>moved by %{x}: %{z:.3f}<extra></extra>"),
                      row=1, col=col)
        fig.update_yaxes(autorange="reversed", row=1, col=col, showticklabels=col == 1,
                         title_text="result reported for sentence" if col == 1 else None)
        fig.update_xaxes(title_text="tokens of sentence", row=1, col=col, tickangle=0)
    fig.update_layout(coloraxis={"colorscale": SEQUENTIAL, "cmin": 0, "cmax": m,
                                 "colorbar": {"title": {"text": "|∂h_n/∂x|"}}},
                      title="Whose tokens does each sentence's final state depend on?")
    return subplot_titles(style(fig, look, height=380), look, size=look.font, room=False)


def predictions_chart(preds: dict[str, list[float]], projector: bool = False) -> go.Figure:
    """Target against both models' predictions for a few held-out sentences."""
    fig = go.Figure()
    colours = {"target": "#444444", "right layout": PALETTE[0], "swapped axes": PALETTE[1]}  # as in the loss curve
    for name, values in preds.items():
        fig.add_trace(go.Bar(name=name, x=[f"sentence {i}" for i in range(len(values))], y=values,
                             marker_color=colours.get(name)))
    fig.update_layout(barmode="group", title="Held-out sentences: target and predictions",
                      yaxis_title="mean of the first feature", legend={"orientation": "h", "y": -0.15})
    return style(fig, projector, height=340)
