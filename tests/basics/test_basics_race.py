"""The optimizer race: same start, one learning rate, SGD / momentum / RMSprop / Adam; figures of the page."""

import json

import numpy as np

from rnnviz.basics.data import least_squares, make_data, mse
from rnnviz.basics.figures import compact_figure, contour_figure, live_figure, race_loss_figure, step_figure
from rnnviz.basics.lessons import open_step
from rnnviz.basics.run import RACERS, BasicsConfig, BasicsRun, OptimizerRace, RaceConfig

BEST = mse(least_squares(make_data()), make_data())


def _steps_to(run: OptimizerRace, factor: float, limit: int) -> dict[str, int]:
    reached: dict[str, int] = {}
    while run.step_count < limit and len(reached) < len(RACERS):
        run.step(100)
        for r in RACERS:
            if r not in reached and run.history[-1][f"{r}_loss"] < factor * BEST:
                reached[r] = run.step_count
    return reached


def test_momentum_first_sgd_last_at_lr_1e_3():
    run = OptimizerRace(RaceConfig(), seed=0)
    assert all(np.allclose(c, run.start) for c in run.coefficients().values())  # the same start
    reached = _steps_to(run, 1.01, 5000)
    assert reached["momentum"] <= 700  # measured 500
    assert reached["rmsprop"] <= 1500 and reached["adam"] <= 2500  # measured 1,000 and 2,000
    assert reached["sgd"] <= 5000 and reached["sgd"] > reached["adam"]  # measured 4,900


def test_race_is_deterministic_and_lr_is_live():
    a, b = OptimizerRace(RaceConfig(), seed=3), OptimizerRace(RaceConfig(), seed=3)
    a.step(20)
    b.step(20)
    assert a.history == b.history
    a.set_learning_rate(3e-3)
    assert all(g["lr"] == 3e-3 for w in a.racers.values() for g in w.optimizer.param_groups)


def test_sgd_past_its_limit_pauses_the_race_with_a_message():
    run = OptimizerRace(RaceConfig(lr=1e-2), seed=0)
    run.step(300)
    assert run.divergence is not None
    assert "SGD" in run.divergence.message and "0.00712" in run.divergence.message
    assert all(np.isfinite(c).all() for c in run.coefficients().values())


def test_figures_build_and_show_what_they_say():
    run = BasicsRun(BasicsConfig(), seed=0)
    empty = live_figure(run)
    assert "Press Train or Step" in json.dumps(empty.to_plotly_json()["layout"]["annotations"], default=str)
    run.step(30)
    fig = live_figure(run)
    names = {t.name for t in fig.data}
    assert {"sin(x)", "best cubic", "1 · NumPy", "2 · autograd", "3 · nn.Linear, RMSprop"} <= names
    assert len(fig.data) == 2 + 3 + 4 + 4 * 4  # fit, loss (+ best line), 4 coefficient panels of 3 ways + target
    assert fig.layout.yaxis2.type == "log"
    compact_figure(run, projector=True)
    race = OptimizerRace(RaceConfig(), seed=0)
    race.step(40)
    assert len(race_loss_figure(race).data) == 5
    contour = contour_figure(race, 1, 3, "adam")
    assert contour.data[0].type == "contour" and contour.layout.xaxis.title.text == "b"
    step = open_step(run.ways["autograd"].coefficients(), None, run.data, 1e-6)
    for move in range(5):
        step_figure(move, step, reference=run.ways["numpy"].coefficients())
