"""Shared chart look and the generic figure builders every page uses.

All builders are pure functions returning ``plotly.graph_objects.Figure``. The
look: the Okabe-Ito colour-blind-safe palette, a diverging blue-white-orange
colour scale centred on zero for weights and activations, and a *projector mode*
that enlarges fonts, lines and markers for a classroom projector. Every size a figure
uses comes from one :class:`Look` (``Look.of(projector)``): no figure restates them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

from rnnviz.core.decimate import decimate

# The house template, once for the process: every new figure starts from it. Setting it per figure
# (``update_layout(template="plotly_white")``) validated and deep-copied it every time: 9 of the 20 ms
# that styling one figure took, several times per live-training tick.
pio.templates.default = "plotly_white"

# Okabe & Ito (2008), "Color Universal Design": safe for the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)
# Diverging scale for signed values (weights, activations): blue < 0 < orange.
DIVERGING: list[list[float | str]] = [[0.0, "#0072B2"], [0.5, "#F7F7F7"], [1.0, "#D55E00"]]
# Sequential scale for probabilities and counts.
SEQUENTIAL: str = "Blues"


@dataclass(frozen=True)
class Look:
    """Every size the figures use, in px, for a normal screen (``Look()``) or a classroom projector.

    Build it with ``Look.of(projector)``. A size used by one figure only is ``look.scaled(px)``: it
    grows with the chart heights.
    """

    projector: bool = False  # True: the projector look (bigger text, thicker lines, taller charts)
    font: int = 14  # body text: axis titles, hover labels, buttons (legend 1 px smaller, ticks 2 px)
    title_font: int = 18  # figure titles
    subtitle_font: int = 14  # subplot titles and other layout annotations
    label_font: int = 12  # dense labels: diagram text, numbers in small heatmap cells
    cell_font: int = 13  # numbers in heatmap cells, before shrinking to fit the cell (fit_cell_font)
    empty_font: int = 16  # the placeholder of a chart with no data yet ("Press Train ...")
    line_width: int = 2  # lines of line charts; a highlighted line or frame is 1 px thicker
    marker_size: int = 7  # markers of markers and lines+markers traces
    dense_marker_size: int = 5  # markers on a line with a point per time step
    zoom: float = 1.0  # chart heights, and the sizes only one figure uses, are multiplied by this
    top_room: int = 90  # top margin of a figure with a title above its subplot titles
    bottom_room: int = 110  # bottom margin that holds a horizontal legend under the plot
    legend_y: float = -0.22  # y (paper units) of that legend's top
    page_px: int = 900  # width of a full-width chart at 1366 x 768 with the sidebar open (measured)

    @staticmethod
    def of(projector: bool | Look) -> Look:
        """The look for projector mode on or off (a Look is returned as it is)."""
        if isinstance(projector, Look):
            return projector
        return _LOOKS[bool(projector)]

    def scaled(self, px: float) -> int:
        """A size used by one figure only (a marker symbol, a diagram's geometry), grown like the heights."""
        return round(px * self.zoom)

    def height(self, px: float) -> int:
        """A chart height for this look (projector charts are 25% taller)."""
        return int(px * self.zoom)


NORMAL = Look()
PROJECTOR = Look(projector=True, font=22, title_font=26, subtitle_font=20, label_font=17, cell_font=20,
                 empty_font=24, line_width=4, marker_size=11, dense_marker_size=8, zoom=1.25, top_room=110,
                 bottom_room=170, legend_y=-0.3, page_px=850)
_LOOKS: dict[bool, Look] = {False: NORMAL, True: PROJECTOR}
MIN_CELL_FONT = 9  # numbers that would need a smaller font are not written in the cells (hover shows them)


def plotly_config(filename: str = "rnnviz-chart") -> dict:
    """Chart toolbar settings: PNG export at 2x scale, no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def style(fig: go.Figure, projector: bool | Look = False, height: int | None = None) -> go.Figure:
    """Apply the house look; in projector mode fonts, lines and markers grow."""
    look = Look.of(projector)
    base = look.font
    title = fig.layout.title.text
    top = 60 if title else 30
    if title and "<br>" not in title and text_px(title, look.title_font) > look.page_px - 80:
        # too long for a full-width chart in this type (projector mode): two lines, split at the middle word
        cut = min((i for i, c in enumerate(title) if c == " "), key=lambda i: abs(i - len(title) / 2), default=None)
        if cut is not None:
            fig.layout.title.text = title[:cut] + "<br>" + title[cut + 1:]
            top += int(1.3 * look.title_font)
    fig.update_layout(
        font={"size": base},
        title={"font": {"size": look.title_font}},
        colorway=list(PALETTE),
        margin={"l": 60, "r": 20, "t": top, "b": 50},
        legend={"font": {"size": base - 1}},
        hoverlabel={"font": {"size": base}},
        **({"height": look.height(height)} if height is not None else {}),
    )
    if fig.layout.template.layout.paper_bgcolor is None:  # a figure made before the default was set
        fig.update_layout(template="plotly_white")
    for trace in fig.data:  # one pass (update_traces with three selectors walked them three times)
        if trace.type == "scatter":
            trace.line.width = look.line_width
            if trace.mode in ("lines+markers", "markers"):
                trace.marker.size = look.marker_size
    fig.update_xaxes(title_font={"size": base}, tickfont={"size": base - 2})
    fig.update_yaxes(title_font={"size": base}, tickfont={"size": base - 2})
    return fig


def legend_below(fig: go.Figure, projector: bool | Look = False, rows: int = 1) -> go.Figure:
    """A horizontal legend of ``rows`` rows at the figure's bottom edge, under the x-axis title (placed in plot
    units, a short chart's legend ran into the axis title)."""
    look = Look.of(projector)
    legend = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "xanchor": "left"}
    return fig.update_layout(legend=legend, margin={"b": int(2.9 * look.font) + 6 + rows * int(1.45 * look.font)})


def empty_state(fig: go.Figure, look: Look, text: str = "Press Train or Step to start") -> go.Figure:
    """The placeholder written across a chart that has no data yet."""
    fig.add_annotation(text=text, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font={"size": look.empty_font})
    return fig


def subplot_titles(fig: go.Figure, look: Look, size: int | None = None, room: bool = True) -> go.Figure:
    """Size the subplot titles (every annotation); ``room``: a top margin for the title above them. A title
    style() broke onto two lines is pinned to the top (Plotly set its 1st line mid-margin, the 2nd on them)."""
    sub = look.subtitle_font if size is None else size
    fig.update_annotations(font={"size": sub})
    title, now, tf = fig.layout.title.text or "", fig.layout.margin.t or 0, look.title_font
    if "<br>" not in title:
        return fig.update_layout(margin={"t": look.top_room}) if room else fig
    need = int((title.count("<br>") + 1.1) * 1.3 * tf + 1.5 * sub + 16)
    return fig.update_layout(margin={"t": max(look.top_room if room else now, need)}, title={
        "yref": "container", "y": 1 - 0.75 * tf / (fig.layout.height or 450), "yanchor": "middle"})


def _lines(labels: Iterable) -> list[str]:
    """Every line of every label, markup tags stripped."""
    return [line for s in labels for line in re.sub(r"<(?!br)[^>]+>", "", str(s)).split("<br>")]


def text_px(text: str, font: float) -> float:
    """Rough rendered width (px) of the longest line of a label (tags stripped, 0.58 em per character)."""
    return max(len(line) for line in _lines([text])) * font * 0.58


# Character widths in em for the widest common fonts (DejaVu Sans, Verdana), to fit numbers in cells.
_NARROW_EM = {".": 0.32, ",": 0.32, ":": 0.34, ";": 0.34, " ": 0.32, "-": 0.36}
_WIDE_EM = set("=+<>~^")


def _char_em(c: str) -> float:
    if c in _NARROW_EM:
        return _NARROW_EM[c]
    if c.isdigit():
        return 0.64
    if c.isascii():
        return 0.84 if c in _WIDE_EM else 0.62 if c.isalnum() else 0.45
    return 1.0 if ord(c) >= 0x2E80 else 0.84  # CJK is 1 em; symbols such as → and ⏎ are wide


def _em(text: str) -> float:
    """Width of one line of text in em."""
    return sum(map(_char_em, text))


def cell_px(look: Look, columns: float, width_px: float | None = None, y_labels: Iterable = (),
            y_title: bool = False, x_labels: Iterable = (), colorbar: int = 4, colorbar_title: str = "",
            spacing: float = 0.0, panels: int = 1) -> float:
    """Width (px) of one heatmap column in a chart ``width_px`` wide (default: the full page width).

    The chart's width less the left margin (y tick labels, and ``y_title``), the right one
    (the colour bar, ``colorbar`` characters of tick labels wide, or without it half the
    last x tick label) and the gaps (``spacing``, a fraction of the plot) between
    ``panels`` subplots, shared by ``columns`` columns.
    """
    tick = look.font - 2
    labels = max(map(_em, _lines(y_labels)), default=0.0) * tick
    left = max(60.0, labels + 40 + (0.6 * look.font if y_title else 0))
    if colorbar:
        right = 20 + max(50 + colorbar * 0.64 * tick, _em(colorbar_title) * look.font + 20)
    else:
        right = max(20.0, max(map(_em, _lines(x_labels)), default=0.0) * tick / 2 + 10)
    plot = (look.page_px if width_px is None else width_px) - left - right
    return plot * (1 - spacing * (panels - 1)) / max(columns, 1)


def fit_cell_font(text: Iterable[Iterable[str]], cell_width: float, size: float,
                  row_height: float | None = None) -> float | None:
    """The font size for ``text`` written in heatmap cells ``cell_width`` px wide (and ``row_height`` tall).

    ``size`` when the widest label fits with a gap of 0.15 em to its neighbours; smaller
    when it does not; None (write nothing, hover shows the values) below MIN_CELL_FONT.
    """
    em = max((_em(str(s)) for row in text for s in row), default=0.0)
    fit = cell_width / (em + 0.15) if em else size
    if row_height is not None:
        fit = min(fit, row_height / 1.3)
    font = size if fit >= size else math.floor(fit)
    return font if font >= MIN_CELL_FONT else None


def cell_text(text: list[list[str]], font: float | None) -> dict:
    """Heatmap arguments that write ``text`` in the cells at ``font`` px; none when ``font`` is None."""
    return {} if font is None else {"text": text, "texttemplate": "%{text}", "textfont": {"size": font}}


def line_chart(
    series: Mapping[str, Sequence[float]],
    x: Sequence[float] | Mapping[str, Sequence[float]] | None = None,
    title: str = "",
    xlabel: str = "step",
    ylabel: str = "",
    log_y: bool = False,
    projector: bool = False,
    markers: bool = False,
    height: int = 340,
    dashed: Sequence[str] = (),
) -> go.Figure:
    """Several named lines on one chart; ``x`` may be shared or given per series."""
    fig = go.Figure()
    for i, (name, ys) in enumerate(series.items()):
        xs = x.get(name) if isinstance(x, Mapping) else x
        if xs is None:
            xs = range(1, len(ys) + 1)
        xs, ys = decimate(xs, ys)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                name=name,
                mode="lines+markers" if markers else "lines",
                line={"color": PALETTE[i % len(PALETTE)], "dash": "dash" if name in dashed else "solid"},
            )
        )
    fig.update_layout(title=title, xaxis_title=xlabel, yaxis_title=ylabel)
    if log_y:
        fig.update_yaxes(type="log", exponentformat="power")
    return style(fig, projector, height)


def loss_curve(
    losses: Mapping[str, Sequence[float]] | Sequence[float],
    steps: Sequence[float] | Mapping[str, Sequence[float]] | None = None,
    title: str = "Loss",
    log_y: bool = True,
    projector: bool = False,
    height: int = 340,
) -> go.Figure:
    """Loss against step; a plain list is drawn as one series called ``loss``."""
    series = dict(losses) if isinstance(losses, Mapping) else {"loss": list(losses)}
    positive = all(v > 0 for ys in series.values() for v in ys)
    fig = line_chart(series, steps, title, "step", "loss", log_y=log_y and positive, projector=projector, height=height)
    if not any(len(ys) for ys in series.values()):
        empty_state(fig, Look.of(projector))
    return fig


def heatmap(
    z: np.ndarray,
    x: Sequence | None = None,
    y: Sequence | None = None,
    title: str = "",
    xlabel: str = "",
    ylabel: str = "",
    diverging: bool = True,
    zrange: tuple[float, float] | None = None,
    annotate: bool = False,
    fmt: str = ".2f",
    projector: bool = False,
    height: int = 300,
    width_px: float | None = None,
) -> go.Figure:
    """A labelled heatmap; diverging scales are centred on 0, ``annotate`` writes values in cells.

    The values are written as large as ``Look.cell_font`` allows in a chart ``width_px``
    wide (default: the full page width), smaller in narrow cells, not at all in tiny ones.
    """
    look = Look.of(projector)
    z = np.asarray(z, dtype=float)
    kwargs: dict = {"colorscale": DIVERGING if diverging else SEQUENTIAL}
    if zrange is not None:
        kwargs.update(zmin=zrange[0], zmax=zrange[1])
    elif diverging:
        m = float(np.nanmax(np.abs(z))) if z.size else 1.0
        kwargs.update(zmin=-m or -1.0, zmax=m or 1.0)
    if annotate and z.ndim == 2:
        text = [[format(v, fmt) for v in row] for row in z]
        width = cell_px(look, z.shape[1], width_px, y if y is not None else (), bool(ylabel),
                        colorbar=4 if diverging else 3)
        row = (look.height(height) - (60 if title else 30) - 50) / max(z.shape[0], 1)
        kwargs.update(cell_text(text, fit_cell_font(text, width, look.cell_font, row)))
    fig = go.Figure(go.Heatmap(z=z, x=list(x) if x is not None else None,
                               y=list(y) if y is not None else None, **kwargs))
    fig.update_layout(title=title, xaxis_title=xlabel, yaxis_title=ylabel)
    fig.update_yaxes(autorange="reversed")
    return style(fig, look, height)

