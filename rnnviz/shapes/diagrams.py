"""Figures of the shapes page: tensors as labelled blocks, the seed's batch in both layouts, a cell step.

Every axis has one colour everywhere on the page: seq_len blue, batch orange,
features green, layers × directions purple.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from rnnviz.core.charts import DIVERGING, PALETTE, Look, cell_px, cell_text, fit_cell_font, style, text_px
from rnnviz.shapes.model import SENTENCES, TensorInfo

AXIS_COLOURS: dict[str, str] = {"seq": PALETTE[0], "batch": PALETTE[1], "feat": PALETTE[2], "layers": PALETTE[3]}
# English glosses so the seed's sentences read on any machine, CJK font or not.
GLOSS: dict[str, str] = {"我": "I", "爱": "love", "你": "you", "恨": "hate", "吃": "eat", "了": "(done)",
                         "没": "not", "饿": "hungry"}
_MAX_DRAWN = 10  # longer axes are drawn this long (labels give the true size)
_OBLIQUE = (0.55, 0.4)  # depth axis: x and y run per element, in cell sizes


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def _poly(fig: go.Figure, xs: list[float], ys: list[float], fill: str, line: str = "#555", width: float = 1) -> None:
    fig.add_trace(go.Scatter(x=xs + [xs[0]], y=ys + [ys[0]], mode="lines", fill="toself", fillcolor=fill,
                             line={"color": line, "width": width}, hoverinfo="skip", showlegend=False))


def _edge(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, kind: str, width: float) -> None:
    fig.add_trace(go.Scatter(x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
                             line={"color": AXIS_COLOURS[kind], "width": width}))


def tensor_blocks(infos: list[TensorInfo], title: str = "", projector: bool = False,
                  width_px: int = 1150) -> go.Figure:
    """Each tensor as a block: dim 0 is depth (drawn slanting), then rows, then columns.

    The edge along each axis is drawn in that axis's colour and labelled ``name = size (dim k)``,
    so a layout change (batch_first) shows as swapped colours on the input and output blocks.
    Axes longer than 10 are drawn 10 long (the label gives the true size). Coordinates are
    pixels: the cell size shrinks until every block and its labels fit ``width_px``.
    """
    fig = go.Figure()
    look = Look.of(projector)
    font = look.label_font + 1
    edge_w = look.line_width + 3
    line_px = font * 1.3

    def label(axis: tuple[str, str], size: int, dim: int) -> str:
        name = axis[1].replace(" × ", " ×<br>") if len(axis[1]) > 14 else axis[1]
        return f"<b>{name}</b> = {size}<br>(dim {dim})"

    # first pass: text room (px) and block size (in cells) of every tensor
    parts, fixed_px, cells = [], 0.0, 0.0
    for info in infos:
        shape, axes = info.shape, info.axes
        d_cells = min(shape[0], _MAX_DRAWN) * _OBLIQUE[0] if len(shape) == 3 else 0.0  # drawn slanting, shorter
        r_cells, c_cells = min(shape[-2], _MAX_DRAWN), min(shape[-1], _MAX_DRAWN)
        row_text = label(axes[-2], shape[-2], len(shape) - 2)
        depth_text = label(axes[0], shape[0], 0) if len(shape) == 3 else ""
        room = max(text_px(row_text, font - 1), text_px(depth_text, font - 1) * 0.8) + 12
        min_w = max(text_px(f"{info.name}  {tuple(shape)}", font + 3), text_px(label(axes[-1], shape[-1], 0), font),
                    text_px(_wrap(info.note), font - 2))
        parts.append((info, room, d_cells, r_cells, c_cells, min_w, row_text, depth_text))
        fixed_px += room + 28
        cells += c_cells + d_cells
    cell = max(look.scaled(11), min(look.scaled(24), (width_px - fixed_px) / max(cells, 1.0)))

    def extents(part: tuple) -> tuple[float, float, float]:
        """(width, height above y=0, depth below y=0) of one drawn tensor, in px."""
        _info, room, d_cells, r_cells, c_cells, min_w, _r, _d = part
        dx, dy = d_cells * cell, d_cells * cell * _OBLIQUE[1] / _OBLIQUE[0]
        head = max(dy, dy / 2 + 2 + _lines(_d) * line_px) + 6 if d_cells else dy + 6
        width = room + max(c_cells * cell + dx, min_w - room / 2) + 28
        below = _lines(label(_info.axes[-1], 1, 0)) + _lines(_wrap(_info.note))
        return width, head + line_px * 1.3, r_cells * cell + 4 + below * line_px + 8

    rows_of: list[list[int]] = [[]]
    x_run = 0.0
    widths = [extents(part)[0] for part in parts]
    target = sum(widths) / math.ceil(sum(widths) / width_px)  # balanced rows, each within width_px
    for k, w in enumerate(widths):  # greedy wrap
        if rows_of[-1] and (x_run + w > width_px or x_run + w / 2 > target):
            rows_of.append([])
            x_run = 0.0
        rows_of[-1].append(k)
        x_run += w
    y_base, lowest, top, x_max = 0.0, 0.0, 0.0, 0.0
    for r, members in enumerate(rows_of):
        above = max(extents(parts[k])[1] for k in members)
        below = max(extents(parts[k])[2] for k in members)
        if r == 0:
            top = above
        else:
            y_base -= above + 10
        x_left = 0.0
        for k in members:
            _draw_block(fig, parts[k], cell, x_left, y_base, font, edge_w, line_px, label)
            x_left += extents(parts[k])[0]
        x_max = max(x_max, x_left)
        y_base -= below
        lowest = y_base
    fig.update_xaxes(visible=False, range=[0, x_max], constrain="domain")  # centred when narrower than the page
    fig.update_yaxes(visible=False, range=[lowest - 4, top + 4], scaleanchor="x", scaleratio=1)
    fig.update_layout(title=title, plot_bgcolor="white")
    style(fig, look)
    fig.update_layout(margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10})
    return fig.update_layout(height=int(top - lowest + 8) + (50 if title else 20))


def _draw_block(fig: go.Figure, part: tuple, cell: float, x_left: float, y_base: float, font: int, edge_w: float,
                line_px: float, label) -> None:
    """Draw one tensor whose slot starts at x_left and whose front face's top edge is at y_base (px)."""
    info, room, d_cells, r_cells, c_cells, _min_w, row_text, depth_text = part
    shape, axes = info.shape, info.axes
    x0 = x_left + room
    cols, rows, depth = c_cells * cell, r_cells * cell, d_cells * cell
    dx, dy = depth, depth * _OBLIQUE[1] / _OBLIQUE[0]
    yt, y0 = y_base, y_base - rows  # top and bottom of the front face
    col_kind, row_kind = axes[-1][0], axes[-2][0]
    if depth:
        _poly(fig, [x0, x0 + cols, x0 + cols + dx, x0 + dx], [yt, yt, yt + dy, yt + dy],
              _rgba(AXIS_COLOURS[axes[0][0]], 0.18))
        _poly(fig, [x0 + cols, x0 + cols + dx, x0 + cols + dx, x0 + cols], [yt, yt + dy, y0 + dy, y0],
              _rgba(AXIS_COLOURS[axes[0][0]], 0.28))
    _poly(fig, [x0, x0 + cols, x0 + cols, x0], [yt, yt, y0, y0], "rgba(245,245,245,1)")
    for i in range(1, int(r_cells)):  # row lines
        _edge(fig, x0, yt - i * cell, x0 + cols, yt - i * cell, row_kind, 0.6)
    for j in range(1, int(c_cells)):  # column lines
        _edge(fig, x0 + j * cell, yt, x0 + j * cell, y0, col_kind, 0.6)
    _edge(fig, x0, y0, x0 + cols, y0, col_kind, edge_w)
    _edge(fig, x0, yt, x0, y0, row_kind, edge_w)
    col_text = label(axes[-1], shape[-1], len(shape) - 1)
    fig.add_annotation(x=x0 + cols / 2, y=y0 - 4, text=col_text,
                       showarrow=False, yanchor="top", font={"color": AXIS_COLOURS[col_kind], "size": font - 1})
    fig.add_annotation(x=x0 - 6, y=(yt + y0) / 2, text=row_text, showarrow=False, xanchor="right",
                       font={"color": AXIS_COLOURS[row_kind], "size": font - 1})
    head = dy + 6
    if depth:
        _edge(fig, x0, yt, x0 + dx, yt + dy, axes[0][0], edge_w)
        fig.add_annotation(x=x0 + dx / 2 - 4, y=yt + dy / 2 + 2, text=depth_text, showarrow=False, xanchor="right",
                           yanchor="bottom", font={"color": AXIS_COLOURS[axes[0][0]], "size": font - 1})
        head = max(dy, dy / 2 + 2 + _lines(depth_text) * line_px) + 6
    fig.add_annotation(x=x0 + cols / 2, y=y0 - 4 - _lines(col_text) * line_px - 8, yanchor="top", showarrow=False,
                       text=_wrap(info.note), font={"size": font - 2, "color": "#555"})
    fig.add_annotation(x=x0 + (cols + dx) / 2, y=yt + head, yanchor="bottom", showarrow=False,
                       text=f"<b>{info.name}</b>  {tuple(shape)}", font={"size": font + 3, "color": "#222"})


def _lines(text: str) -> int:
    return text.count("<br>") + 1 if text else 0


def _wrap(text: str, width: int = 24) -> str:
    """Break a note into short lines (plotly annotations do not wrap)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def _token_label(sentence: str, t: int) -> str:
    ch = sentence[t]
    return f"{ch} {GLOSS.get(ch, '')}".strip()


def batch_views(x: np.ndarray, pick: str, t: int, b: int, projector: bool = False) -> go.Figure:
    """The seed's batch (T, B, I) drawn in both layouts, with a time step, a sentence or a token highlighted.

    Left: ``batch_first=False``, blocks ``x[t]`` of shape (batch, input_size). Right:
    ``batch_first=True``, blocks ``x[b]`` of shape (seq_len, input_size). ``pick`` is
    ``"time step"``, ``"sentence"`` or ``"token"``. Every number is a clickable marker
    whose customdata is ``[sentence, time step]``.
    """
    T, B, I = x.shape
    left_title = "batch_first=False: x[t] is one TIME STEP, shape (batch, input_size)"
    right_title = "batch_first=True: x[b] is one SENTENCE, shape (seq_len, input_size)"
    fig = make_subplots(rows=1, cols=2, subplot_titles=(left_title, right_title), horizontal_spacing=0.04)
    m = float(np.abs(x).max()) or 1.0
    look = Look.of(projector)
    font = look.label_font
    unit_px, square_px = look.scaled(34), look.scaled(30)  # one row (and feature column) per unit; small gaps
    zoom = look.zoom  # style() makes projector figures taller

    def chosen(tt: int, bb: int) -> bool:
        return {"time step": tt == t, "sentence": bb == b, "token": tt == t and bb == b}[pick]

    lowest = 0.0
    notes: list[dict] = []
    frames: list[dict] = []
    for col, outer_n, inner_n, seq_first in ((1, T, B, True), (2, B, T, False)):
        xs, ys, zs, data, op, text = [], [], [], [], [], []
        row_y = 0.0
        label_y, label_txt, block_y, block_txt, flags = [], [], [], [], []
        for o in range(outer_n):
            block_y.append(row_y)
            block_txt.append(f"<b>x[{o}]</b>" if seq_first else f"<b>x[{o}]</b>  {SENTENCES[o]}")
            row_y -= 1.0
            for i in range(inner_n):
                tt, bb = (o, i) if seq_first else (i, o)
                label_y.append(row_y)
                label_txt.append(f"{SENTENCES[bb]}: {_token_label(SENTENCES[bb], tt)}" if seq_first
                                 else f"token {tt}: {_token_label(SENTENCES[bb], tt)}")
                on = chosen(tt, bb)
                flags.append(on)
                for f in range(I):
                    xs.append(f)
                    ys.append(row_y)
                    zs.append(float(x[tt, bb, f]))
                    data.append([bb, tt, f])
                    op.append(1.0 if on else 0.3)
                    text.append(f"{x[tt, bb, f]:.2f}")
                row_y -= 1.0
            row_y -= 0.3
        lowest = min(lowest, row_y)
        fig.add_trace(go.Scatter(
            x=xs, y=ys, mode="markers+text", text=text, textfont={"size": font - 2, "color": "#111"},
            customdata=data, showlegend=False,
            marker={"symbol": "square", "size": square_px * zoom, "color": zs, "opacity": op,
                    "colorscale": DIVERGING, "cmin": -m, "cmax": m, "line": {"width": 0}},
            selected={"marker": {"opacity": 1.0}}, unselected={"marker": {"opacity": 0.3}},
            hovertemplate="sentence %{customdata[0]}, token %{customdata[1]}, feature %{customdata[2]}: "
                          "%{marker.color:.4f}<extra>click to pick</extra>"), row=1, col=col)
        axis = "" if col == 1 else "2"
        inner_colour, outer_colour = (AXIS_COLOURS["batch"], AXIS_COLOURS["seq"]) if seq_first else \
            (AXIS_COLOURS["seq"], AXIS_COLOURS["batch"])
        notes += [dict(x=-0.7, y=y, xref=f"x{axis}", yref=f"y{axis}", text=txt, showarrow=False, xanchor="right",
                       font={"size": font, "color": inner_colour}) for y, txt in zip(label_y, label_txt)]
        notes += [dict(x=-0.7, y=y, xref=f"x{axis}", yref=f"y{axis}", text=txt, showarrow=False, xanchor="right",
                       font={"size": font + 1, "color": outer_colour}) for y, txt in zip(block_y, block_txt)]
        frames += [dict(type="rect", x0=-0.6, x1=I - 0.4, y0=y1 - 0.55, y1=y0 + 0.55, xref=f"x{axis}",
                        yref=f"y{axis}", line={"color": PALETTE[5], "width": look.scaled(3)})
                   for y0, y1 in _frames(label_y, flags)]  # a frame around each highlighted run of rows
        units = 540 / (unit_px * zoom)  # a half-width panel is about 540 px wide: keep squares square
        pad = max((units - (I + 5.0)) / 2, 0.3)
        fig.update_xaxes(range=[-5.5 - pad, I - 0.5 + pad], visible=False, row=1, col=col)
    fig.update_yaxes(visible=False, range=[lowest, 0.6])
    fig.update_annotations(selector={"text": left_title}, font={"color": AXIS_COLOURS["seq"]})
    fig.update_annotations(selector={"text": right_title}, font={"color": AXIS_COLOURS["batch"]})
    fig.update_layout(annotations=list(fig.layout.annotations) + notes, shapes=frames)  # one update: fast
    fig.update_layout(clickmode="event+select", dragmode=False)
    style(fig, look, height=int(unit_px * (0.6 - lowest)) + 100)
    fig.update_layout(margin={"t": 50, "b": 20, "l": 10, "r": 10})
    return fig


def _frames(ys: list[float], on: list[bool]) -> list[tuple[float, float]]:
    """Group consecutive highlighted rows into (top y, bottom y) frames."""
    frames, start = [], None
    for k, (y, flag) in enumerate(zip(ys, on)):
        if flag and start is None:
            start = y
        if flag and (k + 1 == len(ys) or not on[k + 1] or abs(ys[k + 1] - y) > 1.05):
            frames.append((start, y))
            start = None
    return frames


def cell_step_figure(x_t: np.ndarray, h_prev: np.ndarray, h_t: np.ndarray, t: int, cell: str,
                     projector: bool = False) -> go.Figure:
    """One step of the hand-written loop: x_t (B, I) and h_{t-1} (B, H) go in, h_t (B, H) comes out."""
    titles = (f"x_{t} = x[{t - 1}]  {tuple(x_t.shape)}", f"h_{t - 1}  {tuple(h_prev.shape)}",
              f"h_{t} = cell(x_{t}, h_{t - 1})  {tuple(h_t.shape)}")
    widths = [x_t.shape[1], h_prev.shape[1], h_t.shape[1]]
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, column_widths=widths, horizontal_spacing=0.09)
    m = max(float(np.abs(a).max()) for a in (x_t, h_prev, h_t)) or 1.0
    rows = [f"sentence {b}" for b in range(x_t.shape[0])]
    look = Look.of(projector)
    height = 120 + 34 * x_t.shape[0] + 60
    numbers = [[[f"{v:.3f}" for v in r] for r in a] for a in (x_t, h_prev, h_t)]
    width = cell_px(look, sum(widths), y_labels=rows, y_title=True, x_labels=[f"hidden[{h_t.shape[1] - 1}]"],
                    colorbar=0, spacing=0.09, panels=3)
    font = fit_cell_font(numbers[0] + numbers[1] + numbers[2], width, look.label_font,
                         (look.height(height) - 110) / len(rows))
    for col, (a, feat) in enumerate(((x_t, "input"), (h_prev, "hidden"), (h_t, "hidden")), start=1):
        fig.add_trace(go.Heatmap(z=a, x=[f"{feat}[{j}]" for j in range(a.shape[1])], y=rows, coloraxis="coloraxis",
                                 **cell_text(numbers[col - 1], font),
                                 hovertemplate="%{y}, %{x}: %{z:.5f}<extra></extra>"), row=1, col=col)
        fig.update_yaxes(autorange="reversed", row=1, col=col, showticklabels=col == 1,
                         title_text="batch" if col == 1 else None, title_font_color=AXIS_COLOURS["batch"])
        fig.update_xaxes(title_text="input_size" if col == 1 else "hidden_size", title_font_color=AXIS_COLOURS["feat"],
                         row=1, col=col)
    fig.update_layout(coloraxis={"colorscale": DIVERGING, "cmin": -m, "cmax": m, "showscale": False},
                      title=f"{cell}, time step t = {t}: token {t - 1} of every sentence in, a new state per sentence out")
    return style(fig, look, height=height)
