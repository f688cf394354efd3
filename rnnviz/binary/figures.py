"""Figures of the binary-addition page (pure functions returning go.Figure).

Every per-addition view lays the bits out as written on paper: the most significant bit on
the left, the least significant on the right. Time runs the other way: step t = 1 reads the
rightmost column, as you do when you add by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.binary.carry import CarryReport
from rnnviz.binary.model import AdditionTrace
from rnnviz.core.charts import PALETTE, Look, cell_px, cell_text, empty_state, fit_cell_font, style, subplot_titles
from rnnviz.core.decimate import decimate

if TYPE_CHECKING:  # the twins need torch; the figures do not
    from rnnviz.binary.twin import TwinRace

MAX_POINTS = 1500  # long curves are thinned to about this many points so live redraws stay cheap
BITS_SCALE = [[0.0, "#FFFFFF"], [1.0, "#0072B2"]]  # 0 = white, 1 = blue (bits, probabilities, activations)
WRONG = "#D55E00"  # vermillion: a wrong bit
RIGHT = "#009E73"  # bluish green: a right bit


def thin(values: Sequence, max_points: int = MAX_POINTS) -> Sequence:
    """Every k-th element so that about ``max_points`` remain (the last one always kept): history rows for the
    cloud of per-addition dots, where an even sample draws the cloud as it is (lines use ``decimate``)."""
    n = len(values)
    if n <= max_points:
        return values
    k = math.ceil(n / max_points)
    out = list(values[::k])
    if (n - 1) % k:
        out.append(values[-1])
    return out


def column_labels(bits: int) -> list[str]:
    """Axis labels of the bit columns, most significant first: ``bit 7<br>t=8`` ... ``bit 0<br>t=1``."""
    return [f"bit {i}<br>t={i + 1}" for i in reversed(range(bits))]


def _empty(fig: go.Figure, projector: bool, text: str = "Press Train or Step to start") -> go.Figure:
    return empty_state(fig, Look.of(projector), text)


def _top_room(look: Look) -> int:
    """Top margin of a figure with a title above two-line x tick labels."""
    return max(90, int(2 * look.title_font + 3.2 * look.font))


def _columns_layout(fig: go.Figure, title: str, look: Look, height: int) -> go.Figure:
    """Bit columns read right to left under a title: rows top-down, time labels on top, the house style."""
    fig.update_layout(title=title)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    fig = style(fig, look, height)
    fig.update_layout(margin={"t": _top_room(look), "l": 10})
    return fig


def _inside(where: str, left: bool = False) -> dict:
    """A legend inside the plot, in a corner (``"top"`` or ``"bottom"``, right or left), on a light backdrop."""
    return {"x": 0.01 if left else 0.99, "xanchor": "left" if left else "right", "y": 0.98 if where == "top" else 0.04,
            "yanchor": "top" if where == "top" else "bottom", "bgcolor": "rgba(255,255,255,0.75)"}


# ----------------------------------------------------------------------------------------- training curves
def error_figure(history: list[dict[str, float]], projector: bool = False, height: int = 300) -> go.Figure:
    """The notes' Error of every addition (dots) and its mean over the last 100 additions (line)."""
    rows = thin(history)
    steps = [m["step"] for m in rows]
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=steps, y=[m["loss"] for m in rows], mode="markers", name="each addition",
                             marker={"color": "rgba(0,114,178,0.25)", "size": 3}, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=steps, y=[m["mean100"] for m in rows], mode="lines", name="mean of the last 100",
                             line={"color": PALETTE[5]}))
    fig.update_layout(title="Error per addition", xaxis_title="additions trained",
                      yaxis_title="Σ|target − output|", legend=_inside("bottom", left=True))
    fig = style(fig, projector, height)
    fig.update_layout(margin={"t": 45, "b": 45})
    fig.update_traces(marker={"size": Look.of(projector).scaled(3)}, selector={"mode": "markers"})
    fig.update_yaxes(rangemode="tozero")
    return _empty(fig, projector) if not history else fig


def right_figure(history: list[dict[str, float]], all_steps: Sequence[float], all_acc: Sequence[float],
                 pairs_label: str, projector: bool = False, height: int = 300) -> go.Figure:
    """Fraction of the last 100 training additions exactly right, and of all operand pairs when scored."""
    rows = thin(history)
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[m["step"] for m in rows], y=[100 * m["right100"] for m in rows], mode="lines",
                             name="last 100 training additions", line={"color": PALETTE[0]}))
    fig.add_trace(go.Scatter(x=list(all_steps), y=[100 * v for v in all_acc], mode="lines+markers",
                             name=pairs_label, line={"color": PALETTE[2], "dash": "dot"}))
    fig.update_layout(title="Additions exactly right", xaxis_title="additions trained",
                      yaxis_title="% right", legend=_inside("top", left=True))
    fig = style(fig, projector, height)
    fig.update_layout(margin={"t": 45, "b": 45})
    fig.update_yaxes(range=[-3, 103])
    return _empty(fig, projector) if not history else fig


# ----------------------------------------------------------------------------------------- one addition
def columns_figure(tr: AdditionTrace, focus: int | None = None, projector: bool = False,
                   height: int = 290, width_px: float | None = None) -> go.Figure:
    """The addition as columns: a, b, the carry, the target, the output probability and the predicted bit.

    Columns run from the most significant bit (left) to the least (right); ``focus`` (a step
    1..T) is outlined. Wrong predicted bits are marked in vermillion. The numbers in the cells are
    sized to fit a chart ``width_px`` wide (default: the full page).
    """
    T = tr.bits
    order = list(reversed(range(T)))  # column j shows bit order[j]
    carry_in = np.concatenate([[0.0], carries_of(tr)[:-1]])  # (T,) the carry arriving at each column
    rows = {
        f"a = {tr.a}": tr.x[:, 0],
        f"b = {tr.b}": tr.x[:, 1],
        "carry in": carry_in,
        f"target a+b = {tr.a + tr.b}": tr.y,
        "output p(bit = 1)": tr.p,
        f"predicted = {tr.predicted}": tr.predicted_bits.astype(float),
    }
    names = list(rows)
    z = np.array([[rows[n][i] for i in order] for n in names])  # (rows, T)
    text = [[f"{v:.2f}" if n.startswith("output") else f"{v:.0f}" for v in row] for n, row in zip(names, z)]
    look = Look.of(projector)
    font = fit_cell_font(text, cell_px(look, T, width_px, y_labels=names, colorbar=0), look.cell_font + 1)
    fig = go.Figure(go.Heatmap(z=z, x=column_labels(T), y=names, colorscale=BITS_SCALE, zmin=0, zmax=1,
                               customdata=text, showscale=False, xgap=2, ygap=2, **cell_text(text, font),
                               hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>"))
    for j, i in enumerate(order):
        if tr.predicted_bits[i] != int(tr.y[i]):
            fig.add_shape(type="rect", x0=j - 0.45, x1=j + 0.45, y0=len(names) - 1.45, y1=len(names) - 0.55,
                          line={"color": WRONG, "width": 4})
    if focus is not None:
        j = order.index(focus - 1)
        fig.add_shape(type="rect", x0=j - 0.5, x1=j + 0.5, y0=-0.5, y1=len(names) - 0.5,
                      line={"color": PALETTE[7], "width": 3, "dash": "dot"})
    verdict = "✓" if tr.correct else f"✗ (not {tr.a + tr.b})"
    return _columns_layout(fig, f"{tr.a} + {tr.b} → {tr.predicted} {verdict}", look, height)


def carries_of(tr: AdditionTrace) -> np.ndarray:
    """The carry each column passes on, from the operands (by hand, not from the network): ``(T,)``."""
    out, c = np.zeros(tr.bits), 0
    for t in range(tr.bits):
        s = int(tr.x[t, 0]) + int(tr.x[t, 1]) + c
        c = s // 2
        out[t] = c
    return out


def hidden_figure(tr: AdditionTrace, focus: int | None = None, highlight: Sequence[int] = (),
                  projector: bool = False, height: int = 330) -> go.Figure:
    """The hidden state h_t after every step: units (rows) x bit columns, values in (0, 1)."""
    T, H = tr.bits, tr.h.shape[1]
    order = list(reversed(range(T)))
    z = tr.h[1:][order].T  # (H, T): column j is h after reading bit order[j]
    labels = [f"unit {k}" + (" ★" if k in highlight else "") for k in range(H)]
    fig = go.Figure(go.Heatmap(z=z, x=column_labels(T), y=labels, colorscale=BITS_SCALE, zmin=0, zmax=1,
                               colorbar={"title": {"text": "h"}, "thickness": 12}, xgap=1, ygap=1,
                               hovertemplate="%{y}, %{x}: h = %{z:.3f}<extra></extra>"))
    if focus is not None:
        j = order.index(focus - 1)
        fig.add_shape(type="rect", x0=j - 0.5, x1=j + 0.5, y0=-0.5, y1=H - 0.5,
                      line={"color": PALETTE[7], "width": 3, "dash": "dot"})
    fig.update_layout(title=f"Hidden state h_t: {H} units × {T} steps")
    fig.update_yaxes(autorange="reversed")
    look = Look.of(projector)
    fig = style(fig, look, height)
    fig.update_yaxes(tickfont={"size": look.label_font - (2 if H > 20 else 0)}, tickmode="array", tickvals=labels,
                     ticktext=labels if H <= 32 else [s if k % 4 == 0 else "" for k, s in enumerate(labels)])
    return fig


# ----------------------------------------------------------------------------------------- the carry
def carry_training_figure(steps: Sequence[float], memory: Sequence[float], every: Sequence[float],
                          readout: Sequence[float], projector: bool = False, height: int = 280) -> go.Figure:
    """Over training: the best unit's |correlation| with the carry (memory columns, all columns), and the read-out."""
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=list(steps), y=list(memory), mode="lines", name="best unit, memory columns",
                             line={"color": PALETTE[1]}))
    fig.add_trace(go.Scatter(x=list(steps), y=list(every), mode="lines", name="best unit, all columns",
                             line={"color": "#888888", "dash": "dot"}))
    fig.add_trace(go.Scatter(x=list(steps), y=list(readout), mode="lines", name="all units: read-out right",
                             line={"color": PALETTE[2], "dash": "dash"}))
    fig.update_layout(title="The network inventing a carry", xaxis_title="additions trained",
                      yaxis_title="|r|, fraction right", legend=_inside("bottom", left=True))
    fig = style(fig, projector, height)
    fig.update_yaxes(range=[0, 1.03])
    return _empty(fig, projector) if not steps else fig


def correlation_bars(report: CarryReport, top: int = 3, projector: bool = False, height: int = 280) -> go.Figure:
    """Each hidden unit's correlation with the carry over the memory columns; the ``top`` strongest in orange."""
    r = report.correlations
    strongest = set(report.ranked[:top])
    fig = go.Figure(go.Bar(x=[str(k) for k in range(len(r))], y=r,
                           marker_color=[PALETTE[1] if k in strongest else "#9BB7D4" for k in range(len(r))],
                           hovertemplate="unit %{x}: r = %{y:.3f}<extra></extra>"))
    fig.update_layout(title="Each unit vs the carry", xaxis_title="hidden unit",
                      yaxis_title="r (memory columns)")
    fig = style(fig, projector, height)
    fig.update_yaxes(range=[-1.05, 1.05])
    return fig


def carry_rows_figure(tr: AdditionTrace, report: CarryReport, top: int = 3, projector: bool = False,
                      height: int = 280, width_px: float | None = None) -> go.Figure:
    """One addition: its bits, the true carry, and the activations of the units that track the carry best."""
    T = tr.bits
    order = list(reversed(range(T)))
    units = list(report.ranked[:top])
    rows = [tr.x[order, 0], tr.x[order, 1], carries_of(tr)[order]] + [tr.h[1:][order, k] for k in units]
    names = [f"a = {tr.a}", f"b = {tr.b}", "carry out (true)"] + [f"unit {k} (r = {report.correlations[k]:+.2f})"
                                                                  for k in units]
    text = [[str(int(v)) for v in row] for row in rows[:3]] + [[f"{v:.2f}" for v in row] for row in rows[3:]]
    look = Look.of(projector)
    font = fit_cell_font(text, cell_px(look, T, width_px, y_labels=names, colorbar=0), look.cell_font)
    fig = go.Figure(go.Heatmap(z=np.array(rows), x=column_labels(T), y=names, colorscale=BITS_SCALE, zmin=0,
                               zmax=1, customdata=text, showscale=False, xgap=2, ygap=2, **cell_text(text, font),
                               hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>"))
    for j, i in enumerate(order):  # memory columns: exactly one 1, the carry passes through
        if tr.x[i, 0] != tr.x[i, 1]:
            fig.add_shape(type="rect", x0=j - 0.5, x1=j + 0.5, y0=1.5, y1=len(names) - 0.5,
                          line={"color": PALETTE[1], "width": 2, "dash": "dot"})
    return _columns_layout(fig, f"{tr.a} + {tr.b}: the carry and its units", look, height)


def separation_figure(report: CarryReport, unit: int, projector: bool = False, height: int = 280) -> go.Figure:
    """Histogram of one unit's activation over the memory columns, with and without a carry."""
    h = report.hidden[..., unit][report.memory]  # (columns,)
    c = report.carry[report.memory] > 0.5  # (columns,)
    fig = go.Figure()
    for mask, name, color in ((~c, "no carry", PALETTE[0]), (c, "carry", PALETTE[1])):
        fig.add_trace(go.Histogram(x=h[mask], name=name, marker_color=color, opacity=0.7,
                                   xbins={"start": 0, "end": 1.0001, "size": 0.04}))
    fig.update_layout(barmode="overlay", title=f"Unit {unit} in the memory columns",
                      xaxis_title=f"h[{unit}]", yaxis_title="columns",
                      legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"})
    fig = style(fig, projector, height)
    fig.update_xaxes(range=[0, 1])
    return fig


# ----------------------------------------------------------------------------------------- the twins
def race_figure(race: TwinRace, projector: bool = False, height: int = 320) -> go.Figure:
    """The learners' mean error over 100 additions (left) and the share of all pairs right (right).

    Both x axes count the additions trained (the page says so beside the chart: no room for axis titles
    above the legend).
    """
    fig = make_subplots(rows=1, cols=2, subplot_titles=("Error, mean of 100 additions",
                                                        f"% of {race.pairs_label} right"))
    dashes = ("solid", "dot", "solid", "dash")
    for i, (name, errors) in enumerate(race.errors.items()):
        kernel = np.ones(100) / 100
        smooth = np.convolve(errors, kernel, mode="valid") if len(errors) >= 100 else errors
        xs = np.arange(len(errors) - len(smooth) + 1, len(errors) + 1)
        color = PALETTE[i % len(PALETTE)]
        xs, smooth = decimate(xs, smooth)
        fig.add_trace(go.Scatter(x=xs, y=smooth, mode="lines", name=name,
                                 line={"color": color, "dash": dashes[i % 4]}, legendgroup=name), row=1, col=1)
        fig.add_trace(go.Scatter(x=race.checkpoints, y=100 * race.accuracy[name], mode="lines+markers", name=name,
                                 line={"color": color, "dash": dashes[i % 4]}, legendgroup=name, showlegend=False),
                      row=1, col=2)
    look = Look.of(projector)
    fig = style(fig, look, height)
    subplot_titles(fig, look)
    fig.update_layout(legend={"orientation": "h", "yanchor": "top", "y": look.legend_y},
                      margin={"b": look.bottom_room})
    fig.update_yaxes(range=[-3, 103], row=1, col=2)
    return fig
