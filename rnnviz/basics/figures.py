"""Figures of the training-basics page: pure functions returning plotly figures.

One colour per way everywhere (way 2 dashed: it lies exactly on way 1), one per optimizer in
the race. The figures redrawn on every training tick are built from plain dicts in one go
(``go.Figure(data, layout)``, about 10 ms) rather than trace by trace with subplots and
``style`` (about 200 ms for the six-panel live view), in the house look of :class:`Look`.
They draw at most :data:`DRAW_POINTS` points per line, picked evenly from the thinned history.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from rnnviz.basics.data import COEFFS, cubic, loss_grid, mse
from rnnviz.basics.lessons import SAMPLE_INDICES, OpenedStep
from rnnviz.basics.run import RACERS, BasicsRun, OptimizerRace
from rnnviz.basics.ways import WAYS
from rnnviz.core.charts import PALETTE, SEQUENTIAL, Look

SHORT: dict[str, str] = {"numpy": "1 · NumPy", "autograd": "2 · autograd", "linear": "3 · nn.Linear"}  # legends
WAY_COLORS: dict[str, str] = {"numpy": PALETTE[0], "autograd": PALETTE[1], "linear": PALETTE[2]}
WAY_DASH: dict[str, str] = {"numpy": "solid", "autograd": "dash", "linear": "solid"}
RACE_COLORS: dict[str, str] = {"sgd": PALETTE[0], "momentum": PALETTE[5], "rmsprop": PALETTE[2], "adam": PALETTE[3]}
DRAW_POINTS = 250  # points per line in a live chart
GRID = np.linspace(-np.pi, np.pi, 121)  # where fitted curves are drawn
Y_RANGE = [-2.2, 2.2]  # the fit panel's fixed y range (a random start is far off: it comes into view)
GREY = "#888888"


def _pick(history: list[dict[str, float]], n: int = DRAW_POINTS) -> list[dict[str, float]]:
    """At most ``n`` entries spread evenly over the history (the first and last always in)."""
    if len(history) <= n:
        return history
    idx = np.unique(np.linspace(0, len(history) - 1, n).round().astype(int))
    return [history[i] for i in idx]


def _arr(values: list[float]) -> np.ndarray:
    """A series for a live chart: float32 (7 digits are plenty on screen; half the bytes per redraw)."""
    return np.asarray(values, dtype=np.float32)


def way_label(way: str, optimizer: str | None = None) -> str:
    """A way's short name for legends, way 3 with its optimizer: ``3 · nn.Linear, RMSprop``."""
    return SHORT[way] + (f", {optimizer}" if optimizer and way == "linear" else "")


# ----------------------------------------------------------------------------- the house look, as dicts
def _layout(look: Look, height: int, title: str = "", legend: bool = True, **extra: object) -> dict:
    """Layout dict with the look of :func:`rnnviz.core.charts.style` (fonts, palette, template, margins)."""
    layout = {
        "height": look.height(height), "font": {"size": look.font}, "colorway": list(PALETTE),
        "template": "plotly_white", "hoverlabel": {"font": {"size": look.font}}, "showlegend": legend,
        "legend": {"font": {"size": look.font - 1}, "orientation": "h", "yanchor": "top", "y": look.legend_y,
                   "x": 0},
        "margin": {"l": 60, "r": 20, "t": 60 if title else 34, "b": look.bottom_room if legend else 50},
        "hovermode": "closest",
    }
    if title:
        layout["title"] = {"text": title, "font": {"size": look.title_font}}
    layout.update(extra)
    return layout


def _axis(look: Look, title: str = "", **extra: object) -> dict:
    axis = {"title": {"text": title, "font": {"size": look.font}}, "tickfont": {"size": look.font - 2},
            "automargin": True}
    axis.update(extra)
    return axis


def _line(look: Look, color: str, dash: str = "solid", width: float | None = None) -> dict:
    return {"color": color, "dash": dash, "width": look.line_width if width is None else width}


def _empty(look: Look, xref: str = "paper", yref: str = "paper") -> dict:
    return {"text": "Press Train or Step", "x": 0.5, "y": 0.5, "xref": xref, "yref": yref, "showarrow": False,
            "font": {"size": look.empty_font, "color": GREY}}


def _fit_data(look: Look, curves: dict[str, np.ndarray], names: dict[str, str], best: np.ndarray | None,
              axes: tuple[str, str] = ("x", "y"), legend: bool = True) -> list[dict]:
    xa, ya = axes
    data = [{"type": "scatter", "x": GRID, "y": np.sin(GRID), "name": "sin(x)", "xaxis": xa, "yaxis": ya,
             "showlegend": False, "line": _line(look, "#000000", width=look.line_width + 1)}]
    if best is not None:
        data.append({"type": "scatter", "x": GRID, "y": cubic(best, GRID), "name": "best cubic", "xaxis": xa,
                     "yaxis": ya, "showlegend": False, "line": _line(look, GREY, "dot")})
    for key, coeffs in curves.items():
        data.append({"type": "scatter", "x": GRID, "y": np.clip(cubic(coeffs, GRID), -50, 50), "name": names[key],
                     "xaxis": xa, "yaxis": ya, "legendgroup": key, "showlegend": legend,
                     "line": _line(look, WAY_COLORS.get(key, GREY), WAY_DASH.get(key, "solid"))})
    return data


def _loss_data(look: Look, run: BasicsRun, names: dict[str, str], axes: tuple[str, str]) -> list[dict]:
    hist = _pick(run.history)
    steps = _arr([m["step"] for m in hist])
    xa, ya = axes
    data = [{"type": "scatter", "x": steps, "y": _arr([m[f"{w}_mse"] for m in hist]), "name": names[w], "xaxis": xa,
             "yaxis": ya, "legendgroup": w, "showlegend": False, "line": _line(look, WAY_COLORS[w], WAY_DASH[w])}
            for w in WAYS]
    best = mse(run.target, run.data)
    data.append({"type": "scatter", "x": [0, max(steps[-1] if len(steps) else 1, 1)], "y": [best, best],
                 "mode": "lines", "name": f"best possible {best:.4g}", "xaxis": xa, "yaxis": ya, "showlegend": False,
                 "line": _line(look, GREY, "dot", 1.5)})
    return data


# ----------------------------------------------------------------------------- the live fit
def live_figure(run: BasicsRun, projector: bool | Look = False, height: int = 260) -> go.Figure:
    """The live view: fitted curves over sin(x), the loss per point, and a, b, c, d against the exact answer."""
    look = Look.of(projector)
    names = {w: way_label(w, run.config.optimizer) for w in WAYS}
    data = _fit_data(look, run.coefficients(), names, run.target)
    data += _loss_data(look, run, names, ("x2", "y2"))
    hist = _pick(run.history)
    steps = _arr([0.0] + [m["step"] for m in hist])
    last = max(float(steps[-1]), 1.0)
    # the gaps hold each panel's tick labels and axis title (narrower, in projector type they ran into the panel
    # on their left)
    cols, rows = ((0.695, 0.795), (0.9, 1.0)), ((0.56, 1.0), (0.0, 0.44))
    layout = _layout(look, height, xaxis=_axis(look, domain=[0, 0.27]),
                     yaxis=_axis(look, "sin(x) and the fits", range=Y_RANGE, domain=[0, 1]),
                     xaxis2=_axis(look, domain=[0.385, 0.585], anchor="y2", tickformat="~s", tickangle=0),
                     yaxis2=_axis(look, "loss per point", type="log", exponentformat="power", domain=[0, 1],
                                  anchor="x2"))
    notes = []
    for k, name in enumerate(COEFFS):
        (x0, x1), (y0, y1) = cols[k % 2], rows[k // 2]
        n = 3 + k
        xa, ya = f"x{n}", f"y{n}"
        layout[f"xaxis{n}"] = _axis(look, domain=[x0, x1], anchor=ya, showticklabels=k >= 2, nticks=3,
                                    tickformat="~s", tickangle=0)  # "2k": a narrow panel's labels stay level
        layout[f"yaxis{n}"] = _axis(look, name, domain=[y0, y1], anchor=xa, nticks=4)
        for w in WAYS:
            data.append({"type": "scatter", "x": steps, "y": _arr([float(run.start[k])] + [m[f"{w}_{name}"] for m in hist]),
                         "name": names[w], "xaxis": xa, "yaxis": ya, "legendgroup": w, "showlegend": False,
                         "line": _line(look, WAY_COLORS[w], WAY_DASH[w])})
        data.append({"type": "scatter", "x": [0, last], "y": [run.target[k]] * 2, "mode": "lines", "xaxis": xa,
                     "yaxis": ya, "name": f"exact {name} = {run.target[k]:.6g}", "showlegend": False,
                     "line": _line(look, "#000000", "dot", 1.5)})
    if not run.history:
        notes.append(_empty(look, "x2 domain", "y2 domain"))
    layout["annotations"] = notes
    _legend_on_top(layout, look)
    return go.Figure(data=data, layout=layout)


def _legend_on_top(layout: dict, look: Look) -> None:
    """One row of legend above the plots (the x axes need no titles: x and step are obvious)."""
    layout["legend"]["font"]["size"] = look.font
    layout["legend"].update(y=1.0, yanchor="bottom", x=0, xanchor="left")
    layout["margin"].update(t=look.font * 2 + 6, b=look.font * 2 + 4, l=50, r=10)


def compact_figure(run: BasicsRun, projector: bool | Look = False, height: int = 300,
                   title: str = "sin(x) and the fits") -> go.Figure:
    """Fit and loss side by side, for the tabs that look at the same run from another angle."""
    look = Look.of(projector)
    names = {w: way_label(w, run.config.optimizer) for w in WAYS}
    data = _fit_data(look, run.coefficients(), names, run.target) + _loss_data(look, run, names, ("x2", "y2"))
    notes = [] if run.history else [_empty(look, "x2 domain", "y2 domain")]
    layout = _layout(look, height, annotations=notes,
                     xaxis=_axis(look, domain=[0, 0.5]), yaxis=_axis(look, title, range=Y_RANGE),
                     xaxis2=_axis(look, domain=[0.62, 1.0], anchor="y2"),
                     yaxis2=_axis(look, "loss per point", type="log", exponentformat="power", anchor="x2"))
    _legend_on_top(layout, look)
    return go.Figure(data=data, layout=layout)


# ============================================================================ the optimizer race
def race_loss_figure(run: OptimizerRace, projector: bool | Look = False, height: int = 270) -> go.Figure:
    look = Look.of(projector)
    hist = _pick(run.history)
    steps = _arr([m["step"] for m in hist])
    data = [{"type": "scatter", "x": steps, "y": _arr([m[f"{r}_loss"] for m in hist]), "name": name,
             "line": _line(look, RACE_COLORS[r])} for r, name in RACERS.items()]
    best = mse(run.target, run.data)
    data.append({"type": "scatter", "x": [0, max(steps[-1] if len(steps) else 1, 1)], "y": [best, best],
                 "mode": "lines", "name": "best possible", "showlegend": False,
                 "line": _line(look, GREY, "dot", 1.5)})
    layout = _layout(look, height, xaxis=_axis(look), yaxis=_axis(look, "loss (MSE)", type="log", exponentformat="power"),
                     annotations=[] if len(steps) else [_empty(look)])
    _legend_on_top(layout, look)
    return go.Figure(data=data, layout=layout)


def contour_figure(run: OptimizerRace, i: int, j: int, hold: str, projector: bool | Look = False,
                   height: int = 270, resolution: int = 50) -> go.Figure:
    """log10 of the MSE over coefficients ``i`` and ``j`` (the others at ``hold``'s current values), with every path."""
    look = Look.of(projector)
    hist = _pick(run.history)
    ci, cj = COEFFS[i], COEFFS[j]
    paths = {r: (np.array([run.start[i]] + [m[f"{r}_{ci}"] for m in hist]),
                 np.array([run.start[j]] + [m[f"{r}_{cj}"] for m in hist])) for r in RACERS}
    xs = np.concatenate([p[0] for p in paths.values()] + [[run.target[i]]])
    ys = np.concatenate([p[1] for p in paths.values()] + [[run.target[j]]])
    xs, ys = xs[np.isfinite(xs)], ys[np.isfinite(ys)]
    pad_x, pad_y = 0.12 * (np.ptp(xs) or 1.0), 0.12 * (np.ptp(ys) or 1.0)
    u = np.linspace(xs.min() - pad_x, xs.max() + pad_x, resolution)
    v = np.linspace(ys.min() - pad_y, ys.max() + pad_y, resolution)
    base = run.racers[hold].coefficients()
    z = np.log10(np.maximum(loss_grid(run.data, base, i, j, u, v), 1e-12))
    data = [{"type": "contour", "x": u, "y": v, "z": z, "colorscale": SEQUENTIAL, "reversescale": True,
             "ncontours": 18, "contours": {"coloring": "heatmap", "showlines": True},
             "line": {"width": 0.5, "color": "rgba(0,0,0,0.25)"}, "name": "loss", "showlegend": False,
             "colorbar": {"title": {"text": "log10 MSE", "side": "right"}, "thickness": 12},
             "hovertemplate": f"{ci}=%{{x:.4g}}<br>{cj}=%{{y:.4g}}<br>log10 MSE=%{{z:.3f}}<extra></extra>"}]
    marker = look.marker_size + 2
    for r, name in RACERS.items():
        px, py = paths[r]
        data.append({"type": "scatter", "x": px, "y": py, "mode": "lines", "name": name, "showlegend": False,
                     "line": _line(look, RACE_COLORS[r])})
        data.append({"type": "scatter", "x": [px[-1]], "y": [py[-1]], "mode": "markers", "name": name,
                     "showlegend": False, "marker": {"color": RACE_COLORS[r], "size": marker,
                                                     "line": {"color": "white", "width": 1}}})
    data.append({"type": "scatter", "x": [run.start[i]], "y": [run.start[j]], "mode": "markers", "name": "start",
                 "showlegend": False, "marker": {"symbol": "circle-open", "color": "#000000", "size": marker + 2}})
    data.append({"type": "scatter", "x": [run.target[i]], "y": [run.target[j]], "mode": "markers",
                 "name": "exact answer", "showlegend": False,
                 "marker": {"symbol": "star", "color": "#000000", "size": marker + 4}})
    layout = _layout(look, height, legend=False, xaxis=_axis(look, ci), yaxis=_axis(look, cj))
    layout["margin"].update(t=look.font * 2 + 6, b=look.font * 3, l=50, r=10)
    return go.Figure(data=data, layout=layout)


# ============================================================================ lessons
def sweep_figure(lrs: np.ndarray, final: np.ndarray, limit: float, notes_lr: float, steps: int,
                 projector: bool | Look = False, height: int = 300) -> go.Figure:
    """MSE after ``steps`` steps against the learning rate (log-log); diverged runs drawn as crosses at the top."""
    look = Look.of(projector)
    ok = np.isfinite(final)
    top = float(np.nanmax(final[ok])) * 3 if ok.any() else 1.0
    data = [{"type": "scatter", "x": lrs[ok], "y": final[ok], "mode": "lines+markers", "name": "converging",
             "line": _line(look, PALETTE[0]), "marker": {"size": look.marker_size}},
            {"type": "scatter", "x": lrs[~ok], "y": np.full(int((~ok).sum()), top), "mode": "markers",
             "name": "diverged", "marker": {"symbol": "x", "color": PALETTE[5], "size": look.marker_size + 2}}]
    shapes, notes = [], []
    for x, text, color, anchor in ((limit, f"limit {limit:.3g}", PALETTE[5], "top"),
                                   (notes_lr, f"notes {notes_lr:g}", "#555555", "bottom")):
        shapes.append({"type": "line", "x0": x, "x1": x, "y0": 0, "y1": 1, "xref": "x", "yref": "paper",
                       "line": {"color": color, "dash": "dash", "width": 1.5}})
        notes.append({"x": float(np.log10(x)), "y": 1 if anchor == "top" else 0, "xref": "x", "yref": "paper",
                      "text": text, "showarrow": False, "xanchor": "right", "yanchor": anchor,
                      "font": {"color": color, "size": look.font - 1}})
    layout = _layout(look, height, shapes=shapes, annotations=notes,
                     xaxis=_axis(look, "learning rate (sum loss)", type="log", exponentformat="power"),
                     yaxis=_axis(look, f"MSE after {steps} steps", type="log", exponentformat="power"))
    _legend_on_top(layout, look)
    layout["margin"]["b"] = look.font * 4
    return go.Figure(data=data, layout=layout)


def divergence_figure(curves: dict[str, np.ndarray], projector: bool | Look = False, height: int = 300) -> go.Figure:
    """MSE against step for a few learning rates around the limit."""
    look = Look.of(projector)
    colors = [PALETTE[0], PALETTE[2], PALETTE[1], PALETTE[5], PALETTE[3]]
    data = []
    for k, (name, ys) in enumerate(curves.items()):
        ys = np.asarray(ys, dtype=float)
        keep = np.isfinite(ys)
        data.append({"type": "scatter", "x": np.arange(1, len(ys) + 1)[keep], "y": ys[keep], "name": name,
                     "line": _line(look, colors[k % len(colors)])})
    layout = _layout(look, height, xaxis=_axis(look, "step"),
                     yaxis=_axis(look, "MSE", type="log", exponentformat="power"))
    _legend_on_top(layout, look)
    layout["margin"]["b"] = look.font * 4
    return go.Figure(data=data, layout=layout)


def loss_bars(per_element: dict[str, np.ndarray], projector: bool | Look = False, height: int = 260) -> go.Figure:
    """Per-element L1 and squared errors (reduction='none'), side by side."""
    look = Look.of(projector)
    n = len(next(iter(per_element.values())))
    data = [{"type": "bar", "x": [f"#{i + 1}" for i in range(n)], "y": np.asarray(values, dtype=float),
             "name": f"{name}, reduction='none'", "marker": {"color": PALETTE[0] if k == 0 else PALETTE[1]}}
            for k, (name, values) in enumerate(per_element.items())]
    layout = _layout(look, height, barmode="group", xaxis=_axis(look, "element"), yaxis=_axis(look, "loss"))
    _legend_on_top(layout, look)
    layout["margin"]["b"] = look.font * 4
    return go.Figure(data=data, layout=layout)


def step_figure(move: int, step: OpenedStep, projector: bool | Look = False, reference: np.ndarray | None = None,
                height: int = 300) -> go.Figure:
    """What move ``move`` (0-4) of an opened step does, drawn; ``reference``: way 1's coefficients (thin line)."""
    look = Look.of(projector)
    data: list[dict] = []
    if move in (0, 1, 3):
        data.append({"type": "scatter", "x": GRID, "y": np.sin(GRID), "name": "sin(x)",
                     "line": _line(look, "#000000", width=look.line_width + 1)})
        if reference is not None:
            data.append({"type": "scatter", "x": GRID, "y": np.clip(cubic(reference, GRID), -50, 50),
                         "name": "way 1", "line": _line(look, WAY_COLORS["numpy"], width=1)})
        data.append({"type": "scatter", "x": GRID, "y": np.clip(cubic(step.coeffs, GRID), -50, 50),
                     "name": "way 2 (y_pred)", "line": _line(look, WAY_COLORS["autograd"])})
    if move == 0:
        idx = list(SAMPLE_INDICES)
        data.append({"type": "scatter", "x": step.x[idx], "y": step.y_pred[idx], "mode": "markers",
                     "name": "5 points (table)", "marker": {"color": WAY_COLORS["autograd"],
                                                                    "size": look.marker_size + 2}})
    elif move == 1:
        xs, ys = [], []
        for i in np.linspace(0, step.n - 1, 41).round().astype(int):
            xs += [step.x[i], step.x[i], None]
            ys += [step.y[i], step.y_pred[i], None]
        data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "name": "errors y_pred − y",
                     "line": _line(look, PALETTE[5], width=1.5)})
    elif move == 3:
        data.append({"type": "scatter", "x": GRID, "y": np.clip(cubic(step.after, GRID), -50, 50),
                     "name": "y_pred after the update", "line": _line(look, PALETTE[3], "dot")})
    if move in (0, 1, 3):
        layout = _layout(look, height, xaxis=_axis(look, "x"), yaxis=_axis(look, range=Y_RANGE))
        _legend_on_top(layout, look)
        layout["margin"]["b"] = look.font * 4
        return go.Figure(data=data, layout=layout)
    labels = [f"dL/d{c}" for c in COEFFS]
    if move == 2:
        if step.grad_before.any():
            data.append({"type": "bar", "x": labels, "y": step.grad_before, "name": ".grad kept from before",
                         "marker": {"color": "#BBBBBB"}})
        data.append({"type": "bar", "x": labels, "y": step.fresh, "name": "this step's gradient",
                     "marker": {"color": PALETTE[0]}})
        data.append({"type": "bar", "x": labels, "y": step.grad_used, "name": ".grad after backward()",
                     "marker": {"color": PALETTE[1]}})
    else:
        data.append({"type": "bar", "x": labels, "y": step.grad_used, "name": ".grad before zeroing",
                     "marker": {"color": PALETTE[1]}})
        data.append({"type": "bar", "x": labels, "y": step.grad_next, "name": ".grad for the next step",
                     "marker": {"color": PALETTE[5]}})
    layout = _layout(look, height, barmode="group", xaxis=_axis(look), yaxis=_axis(look, exponentformat="power"))
    _legend_on_top(layout, look)
    return go.Figure(data=data, layout=layout)
