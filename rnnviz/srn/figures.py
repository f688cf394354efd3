"""What the SRN page shows: equations with numbers, the unrolled diagram, charts, code.

Pure functions of the page's inputs (NumPy arrays and :class:`SRNWeights`).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.core.charts import (
    DIVERGING, PALETTE, Look, cell_px, cell_text, fit_cell_font, line_chart, style, text_px,
)
from rnnviz.srn.model import SRNWeights, activate

_F_LATEX = {"none": "", "tanh": r"\tanh", "relu": r"\operatorname{relu}", "sigmoid": r"\sigma"}


def _num(v: float) -> str:
    """Five decimals, trailing zeros dropped (the seed prints 0.96403, 1.92806); big values in g format."""
    if abs(v) >= 1e5:
        return f"{v:.5g}"
    text = f"{v:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _bmatrix(a: np.ndarray) -> str:
    a = np.atleast_2d(a)
    if a.shape[0] == 1:  # a vector: show it as a column
        a = a.T
    rows = [" & ".join(_num(v) for v in row) for row in a]
    return r"\begin{bmatrix}" + r" \\ ".join(rows) + r"\end{bmatrix}"


def step_equations(x: np.ndarray, h: np.ndarray, w: SRNWeights, activation: str, t: int) -> list[str]:
    """LaTeX lines for step ``t`` (1-based): the update with the actual numbers substituted.

    ``h`` is every hidden state (T, H) of the same weights and activation.
    """
    x_t = np.asarray(x, float)[t - 1]  # (I,)
    h_prev = h[t - 2] if t > 1 else np.zeros(w.W_hh.shape[0])  # (H,)
    z = w.W_ih @ x_t + w.W_hh @ h_prev + w.b  # (H,) pre-activation
    h_t = activate(z, activation)
    y_t = w.W_out @ h_t + w.b_out
    f = _F_LATEX[activation]
    open_, close = (rf"{f}\left(", r"\right)") if f else ("", "")
    return [
        rf"h_{{{t}}} = {open_}W_{{ih}}\,x_{{{t}}} + W_{{hh}}\,h_{{{t - 1}}} + b{close}"
        rf" \qquad y_{{{t}}} = W_{{out}}\,h_{{{t}}} + b_{{out}}",
        rf"h_{{{t}}} = {open_}{_bmatrix(w.W_ih)}{_bmatrix(x_t)} + {_bmatrix(w.W_hh)}{_bmatrix(h_prev)}"
        rf" + {_bmatrix(w.b)}{close}",
        rf"h_{{{t}}} = {open_}{_bmatrix(z)}{close} = {_bmatrix(h_t)}",
        rf"y_{{{t}}} = {_bmatrix(w.W_out)}{_bmatrix(h_t)} + {_bmatrix(w.b_out)} = {_bmatrix(y_t)}",
    ]


def unrolled_diagram(x: np.ndarray, h: np.ndarray, y: np.ndarray, focus: int | None = None,
                     projector: bool = False) -> go.Figure:
    """The network unrolled over time: x_t -> h_t -> y_t and h_{t-1} -> h_t, values on the nodes.

    Every arrow of one kind has the same colour and label, because it *is* the same
    matrix at every step: that is weight sharing.
    """
    T = len(x)
    fig = go.Figure()
    kinds = {"W_ih": PALETTE[0], "W_hh": PALETTE[1], "W_out": PALETTE[2]}
    look = Look.of(projector)
    font = look.label_font

    def arrow(x0: float, y0: float, x1: float, y1: float, kind: str) -> None:
        fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y",
                           showarrow=True, arrowhead=3, arrowsize=1.3, arrowwidth=look.line_width,
                           arrowcolor=kinds[kind], standoff=look.scaled(24), startstandoff=look.scaled(24), text="")
        fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=kind.replace("_", "<sub>") + "</sub>",
                           showarrow=False, font={"color": kinds[kind], "size": font},
                           bgcolor="rgba(255,255,255,0.85)", xshift=0 if x0 != x1 else 24)

    arrow(-0.9, 1, 0, 1, "W_hh")
    for t in range(T):
        arrow(t, 0, t, 1, "W_ih")
        arrow(t, 1, t, 2, "W_out")
        if t > 0:
            arrow(t - 1, 1, t, 1, "W_hh")
    def vec(v: np.ndarray) -> str:
        return "<br>".join(_num(a) for a in v)  # the tables' precision: y_3 = 1.99998, not 2
    rows = [(0, "x", x, "#DDDDDD"), (1, "h", h, "#BBD7EA"), (2, "y", y, "#B7E4D4")]
    node = 5 * font + 10  # a node holds a column of numbers such as -0.96403, about 5 em wide
    for level, name, values, colour in rows:
        fig.add_trace(go.Scatter(
            x=list(range(T)), y=[level] * T, mode="markers+text",
            marker={"size": node, "color": colour, "line": {"width": 1, "color": "#333"},
                    "symbol": "square" if name != "h" else "circle"},
            text=[vec(v) for v in values], textfont={"size": font, "color": "#111"}, hoverinfo="text",
            hovertext=[f"{name}_{t + 1} = [{', '.join(f'{a:.6g}' for a in v)}]" for t, v in enumerate(values)],
            showlegend=False,
        ))
    fig.add_trace(go.Scatter(x=[-0.9], y=[1], mode="text", text=["h<sub>0</sub>=0"], showlegend=False,
                             textfont={"size": font}, hoverinfo="skip"))
    if focus is not None:
        fig.add_vrect(x0=focus - 1.45, x1=focus - 0.55, fillcolor=PALETTE[4], opacity=0.15, line_width=0)
    fig.update_xaxes(tickvals=list(range(T)), ticktext=[f"t = {t + 1}" for t in range(T)],
                     range=[-1.3, T - 0.5], showgrid=False, zeroline=False)
    fig.update_yaxes(tickvals=[0, 1, 2], ticktext=["input x", "hidden h", "output y"],
                     range=[-0.6, 2.6], showgrid=False, zeroline=False)
    fig.update_layout(title="Unrolled over time: the same three matrices at every step")
    return style(fig, look, height=420)


def hidden_evolution(h_by_name: dict[str, np.ndarray], projector: bool = False, log_y: bool = False) -> go.Figure:
    """Each hidden unit over time, for several activations (name -> h (T, H))."""
    series: dict[str, list[float]] = {}
    for name, h in h_by_name.items():
        for j in range(h.shape[1]):
            series[f"{name}: h[{j + 1}]"] = list(h[:, j])
    steps = list(range(1, next(iter(h_by_name.values())).shape[0] + 1))
    # Units after the first are dashed: with symmetric weights they coincide and would hide each other.
    dashed = [name for name in series if not name.endswith("h[1]")]
    # the reason for the dashes only where it fits the chart's width (not in projector type)
    title = "Hidden units over time (h[2] dashed, so it stays visible where it equals h[1])"
    look = Look.of(projector)
    if text_px(title, look.title_font) > look.page_px - 60:  # the plot starts ~60 px in
        title = "Hidden units over time (h[2] dashed)"
    fig = line_chart(series, steps, title=title,
                     xlabel="time step t", ylabel="h_t", markers=True, projector=projector, height=380,
                     log_y=log_y, dashed=dashed)
    fig.update_xaxes(dtick=1)
    return fig


def table_rows(y: np.ndarray, h: np.ndarray) -> list[dict[str, object]]:
    """One row per time step: t, h_t, y_t (rounded to 5 significant digits for display)."""
    return [
        {"t": t + 1, "h_t": ", ".join(_num(v) for v in h[t]), "y_t": ", ".join(_num(v) for v in y[t])}
        for t in range(len(y))
    ]


def weights_figure(w: SRNWeights, projector: bool = False) -> go.Figure:
    """All five parameter tensors as heatmaps on one shared, zero-centred colour scale."""
    from plotly.subplots import make_subplots

    look = Look.of(projector)
    parts = w.as_dict()
    hid = [f"h[{j + 1}]" for j in range(w.W_hh.shape[0])]
    inp = [f"x[{j + 1}]" for j in range(w.W_ih.shape[1])]
    out = [f"y[{j + 1}]" for j in range(w.W_out.shape[0])]
    axes = {"W_ih": (inp, hid), "W_hh": (hid, hid), "b": (["b"], hid), "W_out": (hid, out), "b_out": (["b_out"], out)}
    widths = [len(axes[k][0]) for k in parts]
    fig = make_subplots(rows=1, cols=len(parts), column_widths=widths, subplot_titles=list(parts),
                        horizontal_spacing=0.06)
    m = max(float(np.max(np.abs(v))) for v in parts.values()) or 1.0
    grids = {name: v.reshape(-1, 1) if v.ndim == 1 else v for name, v in parts.items()}  # vectors as a column
    texts = {name: [[f"{v:.3g}" for v in row] for row in z] for name, z in grids.items()}
    width = cell_px(look, sum(widths), y_labels=hid, spacing=0.06, panels=len(parts))
    row_height = (look.height(300) - 110) / max(len(hid), len(out))
    font = fit_cell_font([s for t in texts.values() for s in t], width, look.label_font + 1, row_height)
    for i, (name, z) in enumerate(grids.items(), start=1):
        xs, ys = axes[name]
        fig.add_trace(go.Heatmap(z=z, x=xs, y=ys, coloraxis="coloraxis", **cell_text(texts[name], font),
                                 hovertemplate=name + "[%{y}, %{x}] = %{z:.6g}<extra></extra>"), row=1, col=i)
        fig.update_yaxes(autorange="reversed", row=1, col=i)
    fig.update_layout(coloraxis={"colorscale": DIVERGING, "cmin": -m, "cmax": m}, title="Weights now")
    return style(fig, look, height=300)


def outputs_vs_target(y: np.ndarray, target: np.ndarray, projector: bool = False, height: int = 340) -> go.Figure:
    """Current outputs (solid) against the target (dashed), one colour per output unit."""
    fig = go.Figure()
    steps = list(range(1, len(y) + 1))
    for j in range(y.shape[1]):
        colour = PALETTE[j % len(PALETTE)]
        fig.add_trace(go.Scatter(x=steps, y=y[:, j], name=f"y[{j + 1}] now", mode="lines+markers",
                                 line={"color": colour}))
        fig.add_trace(go.Scatter(x=steps, y=target[:, j], name=f"y[{j + 1}] target", mode="lines+markers",
                                 line={"color": colour, "dash": "dash"}, marker={"symbol": "x"}))
    fig.update_layout(title="Outputs y_t now vs target", xaxis_title="time step t", yaxis_title="y_t")
    fig.update_xaxes(dtick=1)
    return style(fig, projector, height=height)
