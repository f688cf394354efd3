"""Loss reductions against torch, the learning-rate limit, the loss surface, and the opened-up step's text."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from rnnviz.basics.data import (
    curvatures,
    largest_stable_lr,
    least_squares,
    loss_grid,
    make_data,
    mse,
    start_coefficients,
)
from rnnviz.basics.lessons import ALL_REDUCTIONS, SEED_EXAMPLE, descent_curves, loss_example, open_step, reduce
from rnnviz.basics.stepper import forward_rows, move_code, move_latex, num

DATA = make_data()


def test_the_notes_example_sum_reductions():
    ex = loss_example(SEED_EXAMPLE[:, 0], SEED_EXAMPLE[:, 1])  # y_pred [1, 2, 3], y [1, 2, 5]
    assert ex.ours[("L1", "sum")] == 2.0 and ex.ours[("MSE", "sum")] == 4.0  # the notes print 2. and 4.
    assert ex.ours[("L1", "mean")] == pytest.approx(2 / 3) and ex.ours[("MSE", "mean")] == pytest.approx(4 / 3)
    np.testing.assert_array_equal(ex.ours[("MSE", "none")], [0, 0, 4])


@pytest.mark.parametrize("reduction", ALL_REDUCTIONS)
@pytest.mark.parametrize("values", [SEED_EXAMPLE, np.array([[0.5, -1.0], [2.0, 2.5], [-3.0, 1.0], [7.0, 7.0]]),
                                    np.array([[1e-3, 2e5]])])
def test_reductions_equal_torch_functional(values, reduction):
    ex = loss_example(values[:, 0], values[:, 1])
    p, t = torch.tensor(values[:, 0]), torch.tensor(values[:, 1])
    np.testing.assert_allclose(ex.ours[("L1", reduction)], F.l1_loss(p, t, reduction=reduction).numpy(), rtol=1e-12)
    np.testing.assert_allclose(ex.ours[("MSE", reduction)], F.mse_loss(p, t, reduction=reduction).numpy(),
                               rtol=1e-12)
    np.testing.assert_allclose(ex.ours[("MSE", reduction)],
                               torch.nn.MSELoss(reduction=reduction)(p, t).numpy(), rtol=1e-12)
    assert ex.max_difference < 1e-9


def test_reduce_and_bad_examples():
    assert reduce(np.array([1.0, 3.0]), "sum") == 4.0 and reduce(np.array([1.0, 3.0]), "mean") == 2.0
    with pytest.raises(ValueError):
        loss_example(np.array([1.0, 2.0]), np.array([1.0]))


def test_largest_stable_learning_rate_is_2_over_the_largest_curvature():
    limit = largest_stable_lr(DATA, "sum")
    assert limit == pytest.approx(3.558e-6, rel=1e-3)
    assert largest_stable_lr(DATA, "mean") == pytest.approx(DATA.n * limit, rel=1e-12)  # N times larger
    lams = curvatures(DATA, "sum")
    assert lams.max() / lams.min() == pytest.approx(325.4, rel=1e-3)
    curves = descent_curves(DATA, start_coefficients(0), np.array([0.98 * limit, 1.02 * limit, 1e-6]), 3500)
    assert np.isfinite(curves[0]).all() and curves[0, -1] < curves[0, 0]  # just below: converges (zig-zag)
    assert not np.isfinite(curves[1, -1])  # just above: diverges
    assert curves[2, -1] < 1.01 * mse(least_squares(DATA), DATA)  # the notes' lr: converged in 3,500 steps


def test_descent_curves_match_the_numpy_way():
    from rnnviz.basics.run import BasicsConfig, BasicsRun

    run = BasicsRun(BasicsConfig(), seed=4)
    run.step(50)
    curve = descent_curves(DATA, run.start, np.array([1e-6]), 50)[0]
    np.testing.assert_allclose(curve, [m["numpy_mse"] for m in run.history], rtol=1e-9)


def test_loss_grid_is_the_mse_over_two_coefficients():
    base = np.array([0.1, 0.8, -0.05, -0.09])
    u, v = np.linspace(0.5, 1.0, 4), np.linspace(-0.2, 0.0, 3)
    z = loss_grid(DATA, base, 1, 3, u, v)
    assert z.shape == (3, 4)
    for r, dv in enumerate(v):
        for c, bu in enumerate(u):
            assert z[r, c] == pytest.approx(mse(np.array([0.1, bu, -0.05, dv]), DATA), rel=1e-9)


def test_opened_step_text_carries_the_numbers():
    step = open_step(start_coefficients(0), None, DATA, 1e-6)
    forward = move_latex(step, 0)[0]
    assert num(step.coeffs[1]) in forward and r"\hat y_i" in forward
    assert num(step.loss) in move_latex(step, 1)[0] and "(\\hat y_i - y_i)^2" in move_latex(step, 1)[0]
    backward = move_latex(step, 2)
    assert len(backward) == 1 and all(num(g) in backward[0] for g in step.fresh)
    assert r"\partial L / \partial b" in backward[0] and r"\,x_i" in backward[0]
    update = move_latex(step, 3)[0]
    assert num(step.after[3], 7) in update and r"10^{-6}" in update
    assert "None" in move_latex(step, 4)[0]
    assert [r["i"] for r in forward_rows(step)] == [1, 501, 1001, 1501, 2000]
    assert move_code(2) == "loss.backward()" and "mean()" in move_code(1, "mean")
    assert move_code(4, forget=True).startswith("# a.grad = None")


def test_opened_step_with_forgotten_gradients_shows_the_sum():
    kept = np.array([1.0, 2.0, 3.0, 4.0])
    step = open_step(start_coefficients(0), kept, DATA, 1e-6, forget=True)
    np.testing.assert_allclose(step.grad_used, kept + step.fresh)
    np.testing.assert_allclose(step.grad_next, step.grad_used)
    assert len(move_latex(step, 2)) == 2 and "NOT zeroed" in move_latex(step, 4)[0]


def test_num_formats_for_latex():
    assert num(1e-6) == "10^{-6}" and num(3.5e-6) == r"3.5 \times 10^{-6}" and num(-1e-5) == "-10^{-5}"
    assert num(0.5) == "0.5" and num(0) == "0" and num(float("nan")) == r"\text{NaN}"
