"""The one chart Look: its two sizes sets, the shared helpers, numbers in heatmap cells that never touch."""

from pathlib import Path

import numpy as np

from rnnviz.core.charts import (
    MIN_CELL_FONT,
    NORMAL,
    PROJECTOR,
    Look,
    cell_px,
    empty_state,
    fit_cell_font,
    heatmap,
    line_chart,
    loss_curve,
)

RNNVIZ = Path(__file__).resolve().parents[2] / "rnnviz"


def test_look_of_gives_the_two_looks():
    assert Look.of(False) is NORMAL and Look.of(True) is PROJECTOR and Look.of(PROJECTOR) is PROJECTOR
    assert (NORMAL.font, NORMAL.line_width, NORMAL.marker_size, NORMAL.height(400)) == (14, 2, 7, 400)
    assert (PROJECTOR.font, PROJECTOR.line_width, PROJECTOR.marker_size, PROJECTOR.height(400)) == (22, 4, 11, 500)
    assert NORMAL.scaled(30) == 30 and PROJECTOR.scaled(30) == 38
    for name in ("font", "title_font", "subtitle_font", "label_font", "cell_font", "empty_font", "line_width",
                 "marker_size", "dense_marker_size", "top_room", "bottom_room"):
        assert getattr(PROJECTOR, name) > getattr(NORMAL, name), name


def test_no_figure_module_restates_a_projector_size():
    offenders = [f"{p.relative_to(RNNVIZ)}:{i}" for p in RNNVIZ.rglob("*.py")
                 for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
                 if "if projector else" in line]
    assert not offenders, f"use rnnviz.core.charts.Look instead: {offenders}"


def test_style_sizes_come_from_the_look():
    for projector in (False, True):
        look = Look.of(projector)
        fig = line_chart({"a": [1.0, 2.0]}, markers=True, projector=projector, height=300)
        assert fig.layout.font.size == look.font and fig.layout.height == look.height(300)
        assert fig.data[0].line.width == look.line_width and fig.data[0].marker.size == look.marker_size


def test_empty_state_is_written_once_in_the_looks_size():
    for projector in (False, True):
        fig = loss_curve([], projector=projector)
        notes = [a for a in fig.layout.annotations if a.text == "Press Train or Step to start"]
        assert len(notes) == 1 and notes[0].font.size == Look.of(projector).empty_font
    assert not loss_curve([1.0, 0.5]).layout.annotations
    assert empty_state(line_chart({}), NORMAL, "nothing yet").layout.annotations[0].text == "nothing yet"


def test_fit_cell_font_keeps_shrinks_or_hides():
    assert fit_cell_font([["0.12", "-0.50"]], 100, 13) == 13  # room to spare: the look's size
    shrunk = fit_cell_font([["-0.50"]], 30, 20)
    assert MIN_CELL_FONT <= shrunk < 20
    assert fit_cell_font([["-0.50"]], 10, 20) is None  # too small to read: values on hover only
    assert fit_cell_font([["1"]], 100, 20, row_height=13) == 10  # short rows limit the size too


def test_heatmap_numbers_fit_their_cells():
    few = heatmap(np.zeros((3, 4)), annotate=True)
    assert few.data[0].textfont.size == NORMAL.cell_font and few.data[0].texttemplate == "%{text}"
    many = heatmap(np.full((3, 60), -0.5), annotate=True, projector=True)
    assert many.data[0].texttemplate is None and many.data[0].text is None  # hidden, hover shows z
    half = heatmap(np.full((3, 12), -0.5), annotate=True, width_px=PROJECTOR.page_px / 2, projector=True)
    font = half.data[0].textfont.size
    assert font is None or font < PROJECTOR.cell_font
    width = cell_px(PROJECTOR, 12, PROJECTOR.page_px / 2)
    assert font is None or 5 * 0.64 * font <= width  # "-0.50" (about 3.2 em) fits its cell


def test_long_curves_are_decimated_but_keep_their_extremes():
    from rnnviz.core.charts import loss_curve
    from rnnviz.core.decimate import MAX_POINTS, decimate

    rng = np.random.default_rng(0)
    steps = np.arange(1, 35_001)
    losses = 3.0 * np.exp(-steps / 5_000) + 0.05 * rng.random(len(steps))
    losses[12_345] = 9.0  # one spike
    xs, ys = decimate(steps, losses)
    assert len(xs) <= MAX_POINTS
    assert ys.max() == losses.max() and ys.min() == losses.min()  # the spike and the best loss survive
    assert (xs[0], xs[-1]) == (1, 35_000) and np.all(np.diff(xs) > 0)
    assert np.array_equal(ys, losses[(xs - 1).astype(int)])  # real points, not averages
    short_x, short_y = decimate([1, 2, 3], [3.0, 2.0, 1.0])
    assert list(short_y) == [3.0, 2.0, 1.0]
    fig = loss_curve(list(losses), list(steps))
    assert len(fig.data[0].y) <= MAX_POINTS
    assert '"bdata"' in fig.to_json()  # sent in plotly's compact binary encoding
    assert len(fig.to_json()) < 40_000


def test_log_axes_spanning_decades_are_labelled_at_powers_of_ten_only():
    import numpy as np
    import plotly.graph_objects as go

    from rnnviz.core.log_axes import readable_log_axes

    fig = go.Figure([go.Scatter(y=np.logspace(-3, -1, 50)), go.Scatter(y=[2.0, 3.0, 4.0], xaxis="x2", yaxis="y2")])
    fig.update_layout(yaxis={"type": "log"}, yaxis2={"type": "log", "anchor": "x2"}, yaxis3={"type": "linear"})
    readable_log_axes(fig)
    assert fig.layout.yaxis.dtick == 1  # two decades: 10^-3, 10^-2, 10^-1 and nothing between to collide
    assert list(fig.layout.yaxis2.tickvals) == [2, 3, 4]  # less than 3x: every digit, written out
    assert list(fig.layout.yaxis2.ticktext) == ["2", "3", "4"]
    assert fig.layout.yaxis3.dtick is None


def test_a_log_axis_across_one_power_of_ten_is_labelled_in_full_numbers():
    """SRN's loss from 5 to 0.56 read "5 4 3 2 1 9 8 7 6 5" (Plotly's bare digits): now 1, 2, 5."""
    import plotly.graph_objects as go

    from rnnviz.core.log_axes import readable_log_axes

    def ticks(ys):
        fig = go.Figure(go.Scatter(y=ys))
        fig.update_layout(yaxis={"type": "log"})
        readable_log_axes(fig)
        return None if fig.layout.yaxis.tickvals is None else list(fig.layout.yaxis.ticktext)

    assert ticks([5.0, 2.0, 0.9, 0.56]) == ["1", "2", "5"]
    assert ticks([0.04, 0.02, 0.005]) == ["0.005", "0.01", "0.02"]
    assert ticks([0.0042, 0.0042]) is None  # a flat line (a target before training): Plotly pads it by decades
    assert ticks([3e-6, 9e-6]) is None  # 0.000003 ... written out would be long: Plotly's own labels


def test_log_axes_read_figures_that_went_through_json():
    """A cached figure comes back from JSON with its arrays in Plotly's typed-array form (base64 bdata)."""
    import numpy as np
    import plotly.graph_objects as go
    import plotly.io as pio

    from rnnviz.core.log_axes import readable_log_axes

    fig = go.Figure([go.Scatter(x=np.arange(50.0), y=np.logspace(-4, 0, 50)), go.Scatter(x=["a", "b"], y=[1, 2])])
    fig.update_layout(yaxis={"type": "log"})
    again = pio.from_json(fig.to_json())
    assert isinstance(again.data[0].y, dict) or hasattr(again.data[0].y, "__len__")
    readable_log_axes(again)
    assert again.layout.yaxis.dtick == 1


def test_a_log_axis_too_short_for_every_power_of_ten_labels_every_few():
    """SRN trained to 1e-12 on a 280 px chart listed 14 powers of ten on top of each other."""
    import numpy as np

    from rnnviz.core.charts import loss_curve
    from rnnviz.core.log_axes import readable_log_axes

    short = readable_log_axes(loss_curve(list(np.logspace(1, -12, 400)), list(range(400)), height=280))
    decades = 13 / short.layout.yaxis.dtick
    assert short.layout.yaxis.dtick > 1 and decades <= 170 / (2.2 * 11), short.layout.yaxis.dtick
    tall = readable_log_axes(loss_curve(list(np.logspace(0, -3, 400)), list(range(400)), height=340))
    assert tall.layout.yaxis.dtick == 1  # three decades fit: every one labelled
