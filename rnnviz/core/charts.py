"""Shared chart look and the generic figure builders every page uses.

All builders are pure functions returning ``plotly.graph_objects.Figure``. The
look: the Okabe-Ito colour-blind-safe palette, a diverging blue-white-orange
colour scale centred on zero for weights and activations, and a *projector mode*
that enlarges fonts, lines and markers for a classroom projector.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

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


def plotly_config(filename: str = "rnnviz-chart") -> dict:
    """Chart toolbar settings: PNG export at 2x scale, no plotly logo."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


def style(fig: go.Figure, projector: bool = False, height: int | None = None) -> go.Figure:
    """Apply the house look; in projector mode fonts, lines and markers grow."""
    base = 22 if projector else 14
    fig.update_layout(
        font={"size": base},
        title={"font": {"size": base + 4}},
        colorway=list(PALETTE),
        margin={"l": 60, "r": 20, "t": 60 if fig.layout.title.text else 30, "b": 50},
        legend={"font": {"size": base - 1}},
        hoverlabel={"font": {"size": base}},
        template="plotly_white",
    )
    if height is not None:
        fig.update_layout(height=int(height * (1.25 if projector else 1.0)))
    width = 4 if projector else 2
    fig.update_traces(line={"width": width}, selector={"type": "scatter"})
    fig.update_traces(marker={"size": 11 if projector else 7}, selector={"mode": "lines+markers"})
    fig.update_traces(marker={"size": 11 if projector else 7}, selector={"mode": "markers"})
    fig.update_xaxes(title_font={"size": base}, tickfont={"size": base - 2})
    fig.update_yaxes(title_font={"size": base}, tickfont={"size": base - 2})
    return fig


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
            xs = list(range(1, len(ys) + 1))
        fig.add_trace(
            go.Scatter(
                x=list(xs),
                y=list(ys),
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
        fig.add_annotation(text="Press Train or Step to start", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper", font={"size": 24 if projector else 16})
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
) -> go.Figure:
    """A labelled heatmap; diverging scales are centred on 0, ``annotate`` writes values in cells."""
    z = np.asarray(z, dtype=float)
    kwargs: dict = {"colorscale": DIVERGING if diverging else SEQUENTIAL}
    if zrange is not None:
        kwargs.update(zmin=zrange[0], zmax=zrange[1])
    elif diverging:
        m = float(np.nanmax(np.abs(z))) if z.size else 1.0
        kwargs.update(zmin=-m or -1.0, zmax=m or 1.0)
    if annotate:
        kwargs.update(text=[[format(v, fmt) for v in row] for row in z], texttemplate="%{text}")
        kwargs["textfont"] = {"size": 20 if projector else 13}
    fig = go.Figure(go.Heatmap(z=z, x=list(x) if x is not None else None,
                               y=list(y) if y is not None else None, **kwargs))
    fig.update_layout(title=title, xaxis_title=xlabel, yaxis_title=ylabel)
    fig.update_yaxes(autorange="reversed")
    return style(fig, projector, height)
