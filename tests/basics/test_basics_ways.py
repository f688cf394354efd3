"""The three ways of seed 002: hand gradients = autograd, ways 1 and 2 identical, all reach the exact answer.

All step counts are for seed 0 (measured numbers in the comments).
"""

import math

import numpy as np
import pytest
import torch

from rnnviz.basics.data import least_squares, make_data, mse, start_coefficients
from rnnviz.basics.lessons import open_step
from rnnviz.basics.run import HISTORY_LIMIT, BasicsConfig, BasicsRun
from rnnviz.basics.ways import WAYS, autograd_gradients, hand_gradients

DATA = make_data()
BEST = mse(least_squares(DATA), DATA)  # 0.0044085827 per point: a cubic cannot be sin(x)


def test_exact_answer_is_the_known_cubic_fit_of_sine():
    a, b, c, d = least_squares(DATA)
    assert abs(a) < 1e-12 and abs(c) < 1e-12  # sin is odd: no even terms
    assert b == pytest.approx(0.856741, abs=1e-6) and d == pytest.approx(-0.0933304, abs=1e-6)
    assert BEST * DATA.n == pytest.approx(8.8171654, rel=1e-7)  # the notes' summed loss at its best


@pytest.mark.parametrize("reduction", ["sum", "mean"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_hand_gradients_equal_autograd_at_random_coefficients(seed, reduction):
    coeffs = np.random.default_rng(100 + seed).normal(0, 2, 4)
    loss_h, grad_h = hand_gradients(coeffs, DATA, reduction)
    loss_a, grad_a = autograd_gradients(coeffs, DATA, reduction)
    assert loss_h == pytest.approx(loss_a, rel=1e-12)
    np.testing.assert_allclose(grad_h, grad_a, rtol=1e-10, atol=1e-9)


def test_numpy_and_autograd_ways_give_identical_curves():
    run = BasicsRun(BasicsConfig(), seed=0)
    run.step(1500)
    h = run.history
    np.testing.assert_allclose([m["numpy_loss"] for m in h], [m["autograd_loss"] for m in h], rtol=1e-11)
    for name in "abcd":
        np.testing.assert_allclose([m[f"numpy_{name}"] for m in h], [m[f"autograd_{name}"] for m in h],
                                   rtol=1e-9, atol=1e-12)
    assert run.ways_gap() < 1e-12
    assert run.gradient_check() <= 1e-9 * run.gradient_scale()


def test_first_step_is_the_notes_numbers_for_seed_0():
    run = BasicsRun(BasicsConfig(), seed=0)
    np.testing.assert_allclose(run.start, start_coefficients(0))
    assert np.all((run.start >= 0) & (run.start < 1))  # like np.random.rand()
    run.step(1)
    first = run.history[0]
    y_pred = run.start[0] + run.start[1] * DATA.x + run.start[2] * DATA.x**2 + run.start[3] * DATA.x**3
    assert first["numpy_loss"] == pytest.approx(np.square(y_pred - DATA.y).sum(), rel=1e-12)  # 1788.78
    assert first["linear_loss"] == pytest.approx(np.square(y_pred - DATA.y).mean(), rel=1e-9)  # same start
    assert first["numpy_mse"] == pytest.approx(first["linear_loss"], rel=1e-9)


def test_all_three_ways_reach_the_best_loss_and_the_exact_coefficients():
    run = BasicsRun(BasicsConfig(), seed=0)
    reached: dict[str, int] = {}
    while run.step_count < 7000 and len(reached) < 3:
        run.step(100)
        for w in WAYS:
            if w not in reached and run.history[-1][f"{w}_mse"] < 1.001 * BEST:
                reached[w] = run.step_count
    assert reached.get("numpy", 10**9) <= 3500 and reached.get("autograd", 10**9) <= 3500  # measured: 3,100
    assert reached.get("linear", 10**9) <= 7000  # RMSprop, lr 1e-4: measured 6,800
    run.step(3000)  # 10,000 steps
    c = run.coefficients()
    assert np.max(np.abs(c["numpy"] - run.target)) < 1e-6  # measured 6e-10
    assert np.max(np.abs(c["autograd"] - run.target)) < 1e-6
    assert np.max(np.abs(c["linear"] - run.target)) < 2e-4  # RMSprop hops about lr around it: measured 5e-5


def test_same_seed_same_numbers_other_seed_other_start():
    a, b = BasicsRun(BasicsConfig(), seed=5), BasicsRun(BasicsConfig(), seed=5)
    a.step(30)
    b.step(10)
    b.step(20)
    assert a.history == b.history
    c = BasicsRun(BasicsConfig(), seed=6)
    assert not np.allclose(c.start, a.start)


def test_forget_zero_grad_really_accumulates_the_gradients():
    run = BasicsRun(BasicsConfig(forget_zero_grad=True), seed=0)
    p0 = run.ways["autograd"].coefficients()
    q0 = run.ways["linear"].coefficients()
    run.step(1)
    p1 = run.ways["autograd"].coefficients()
    q1 = run.ways["linear"].coefficients()
    run.step(1)
    g0, g1 = hand_gradients(p0, DATA, "sum")[1], hand_gradients(p1, DATA, "sum")[1]
    np.testing.assert_allclose(run.ways["autograd"].grads(), g0 + g1, rtol=1e-9)  # .grad = g0 + g1, not g1
    np.testing.assert_allclose(p1, p0 - 1e-6 * g0, rtol=1e-12)
    np.testing.assert_allclose(run.ways["autograd"].coefficients(), p1 - 1e-6 * (g0 + g1), rtol=1e-12)
    h0, h1 = hand_gradients(q0, DATA, "mean")[1], hand_gradients(q1, DATA, "mean")[1]
    np.testing.assert_allclose(run.ways["linear"].grads(), h0 + h1, rtol=1e-9)  # way 3: optimizer.zero_grad() skipped
    # with zeroing (the default) .grad is gone after the step
    normal = BasicsRun(BasicsConfig(), seed=0)
    normal.step(2)
    assert normal.ways["autograd"].grads() is None


def test_forgetting_ruins_the_fit_live_and_switching_back_recovers():
    run = BasicsRun(BasicsConfig(), seed=0)
    run.set_live(1e-6, "sum", True, 1e-4)  # the toggle, on a running fit: no reset
    run.step(3000)
    last = run.history[-1]
    assert last["numpy_mse"] < 1.01 * BEST  # way 1 cannot forget: it converged
    assert last["autograd_mse"] > 20 * BEST  # way 2 swings around instead (momentum without friction)
    assert max(m["autograd_mse"] for m in run.history[-500:]) > 10 * min(m["autograd_mse"] for m in run.history[-500:])
    assert run.live_changed is False  # changed before the first step: Show code still matches
    run.set_live(1e-6, "sum", False, 1e-4)
    assert run.live_changed
    run.step(6000)
    assert run.history[-1]["autograd_mse"] < 1.01 * BEST


def test_opened_step_predicts_the_runs_next_step():
    for forget in (False, True):
        run = BasicsRun(BasicsConfig(forget_zero_grad=forget), seed=2)
        run.step(3)
        way2 = run.ways["autograd"]
        step = open_step(way2.coefficients(), way2.grads(), DATA, run.lr, run.reduction, run.forget)
        before_loss = step.loss
        run.step(1)
        assert run.history[-1]["autograd_loss"] == pytest.approx(before_loss, rel=1e-10)
        np.testing.assert_allclose(way2.coefficients(), step.after, rtol=1e-10)
        if forget:
            np.testing.assert_allclose(way2.grads(), step.grad_next, rtol=1e-10)
        else:
            assert way2.grads() is None and not step.grad_next.any()


def test_lr_past_the_limit_diverges_and_the_guard_keeps_the_last_good_coefficients():
    run = BasicsRun(BasicsConfig(lr=4e-6), seed=0)
    run.step(500)
    assert run.divergence is not None and run.step_count < 60  # measured: paused at step 28
    msg = run.divergence.message
    assert "ways 1 and 2" in msg and "3.56e-06" in msg and "smaller" in msg
    assert all(math.isfinite(m["loss"]) for m in run.history)
    assert all(np.isfinite(c).all() for c in run.coefficients().values())
    steps = run.step_count
    run.step(10)
    assert run.step_count == steps  # paused until cleared
    run.set_live(1e-6, "sum", False, 1e-4)
    run.clear_divergence()
    run.step(200)
    assert run.divergence is None and run.history[-1]["numpy_mse"] < run.history[0]["numpy_mse"]


def test_way_3_divergence_names_way_3():
    run = BasicsRun(BasicsConfig(optimizer="SGD", lr3=1.0), seed=0)
    run.step(50)
    assert run.divergence is not None
    assert "3 · nn.Linear" in run.divergence.message and "0.00712" in run.divergence.message


def test_sum_at_lr_equals_mean_at_n_times_lr():
    a = BasicsRun(BasicsConfig(lr=1e-6, reduction="sum"), seed=0)
    b = BasicsRun(BasicsConfig(lr=2000 * 1e-6, reduction="mean"), seed=0)
    a.step(300)
    b.step(300)
    np.testing.assert_allclose([m["numpy_mse"] for m in a.history], [m["numpy_mse"] for m in b.history], rtol=1e-9)
    c = BasicsRun(BasicsConfig(lr=1e-6, reduction="mean"), seed=0)  # same lr, the mean: 2,000 times smaller steps
    c.step(300)
    assert c.history[-1]["numpy_mse"] > 0.95 * c.history[0]["numpy_mse"]
    assert a.history[-1]["numpy_mse"] < 0.2 * a.history[0]["numpy_mse"]


def test_history_is_thinned_but_keeps_the_ends_and_the_marks():
    run = BasicsRun(BasicsConfig(), seed=0)
    run.step(HISTORY_LIMIT + 500)
    assert len(run.history) <= HISTORY_LIMIT and run.history[-1]["step"] == run.step_count
    assert sorted(run.marks) == list(range(100, 3501, 100))


def test_runs_use_one_thread_and_leave_the_global_rng_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    BasicsRun(BasicsConfig(), seed=9).step(5)
    assert torch.equal(torch.rand(3), expected)
