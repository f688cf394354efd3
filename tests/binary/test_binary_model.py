"""Oracle tests of the binary-addition network: bits, hand-written BPTT against autograd and against the notes."""

import numpy as np
import pytest

from rnnviz.binary.carry import find_carry, unit_correlations
from rnnviz.binary.data import (
    OperandError,
    all_pairs,
    bit_string,
    carries,
    check_sum,
    encode,
    from_bits,
    max_operand,
    parse_operand,
    parse_pair,
    to_bits,
)
from rnnviz.binary.model import (
    CHUNK,
    BinaryConfig,
    Weights,
    accuracy,
    add,
    forward,
    gradients,
    init_weights,
    sgd,
    trace,
)
from rnnviz.binary.run import BinaryRun
from rnnviz.binary.stepper import step_view
from rnnviz.binary.twin import SigmoidRNN, TanhRNN, autograd_gradients, gradient_check, twin_race
from tests.binary.notes_reference import notes_program


def random_weights(hidden: int, seed: int, scale: float = 1.0) -> Weights:
    g = np.random.default_rng(seed)
    return Weights(W_ih=scale * g.uniform(-1, 1, (2, hidden)), W_hh=scale * g.uniform(-1, 1, (hidden, hidden)),
                   W_ho=scale * g.uniform(-1, 1, (hidden, 1)))


# ----------------------------------------------------------------------------- bits
def test_bits_run_from_the_least_significant_and_carries_are_the_school_ones():
    assert to_bits(6, 4).tolist() == [0, 1, 1, 0]
    assert from_bits(np.array([0.2, 0.9, 0.6, 0.1])) == 6
    assert from_bits(np.array([0.5, 0.5])) == 0  # np.round: 0.5 goes to 0, as in the notes
    assert bit_string(109, 8) == "01101101"
    x, y = encode(45, 64, 8)
    assert x.shape == (8, 1, 2) and y.shape == (8, 1)
    assert from_bits(y[:, 0]) == 109
    # 45 + 64: 0101101 + 1000000, no column has two 1s: never a carry; 3 + 1 carries twice
    assert carries(45, 64, 8)[:, 0].tolist() == [0] * 8
    assert carries(3, 1, 4)[:, 0].tolist() == [1, 1, 0, 0]
    assert carries(127, 127, 8)[:, 0].tolist() == [1, 1, 1, 1, 1, 1, 1, 0]
    assert max_operand(8) == 127 and max_operand(4) == 7 and max_operand(16) == 32767


def test_all_pairs_is_exhaustive_up_to_8_bits_and_sampled_beyond():
    a, b, full = all_pairs(8)
    assert full and len(a) == 16_384 and len(set(zip(a.tolist(), b.tolist()))) == 16_384
    a, b, full = all_pairs(12, seed=3)
    assert not full and len(a) == 4_096 and a.max() <= max_operand(12)


@pytest.mark.parametrize("text, fragment", [
    ("abc", "“abc” is not a number"),
    ("-3", "-3 is negative"),
    ("200", "200 is above 127"),
    ("1.5", "1.5 is not a whole number"),
    ("", "Type a whole number from 0 to 127"),
    ("   ", "Type a whole number"),
    ("12e3", "not a whole number"),
    ("0x1F", "not a number"),
])
def test_typed_operands_get_a_message_naming_the_problem(text, fragment):
    with pytest.raises(OperandError, match=None) as err:
        parse_operand(text, "a", 8)
    assert fragment in str(err.value)


def test_typed_operands_that_are_fine_and_sums_that_need_nine_bits():
    assert parse_operand(" 45 ", "a") == 45 and parse_operand("+7", "a") == 7 and parse_operand("0", "a") == 0
    assert parse_operand("127", "a") == 127
    assert parse_pair("45", "64") == (45, 64)
    with pytest.raises(OperandError, match=r"200 \+ 100 = 300 needs 9 bits"):
        parse_pair("200", "100")
    with pytest.raises(OperandError, match="b = 130 is above 127"):
        parse_pair("10", "130")  # fits 8 bits, but outside what the network may be given
    with pytest.raises(OperandError) as err:
        parse_pair("abc", "-1")
    assert "not a number" in str(err.value) and "negative" in str(err.value)
    with pytest.raises(OperandError, match="needs 9 bits"):
        check_sum(200, 100, 8)
    assert parse_operand("15", "a", bits=5) == 15
    with pytest.raises(OperandError, match="16 is above 15"):
        parse_operand("16", "a", bits=5)


# ----------------------------------------------------------------------------- BPTT
@pytest.mark.parametrize("seed, hidden, bits, batch", [(0, 16, 8, 1), (1, 16, 8, 32), (2, 5, 4, 7), (3, 24, 12, 3)])
def test_hand_written_bptt_equals_autograd(seed, hidden, bits, batch):
    W = random_weights(hidden, seed, scale=1.5)
    g = np.random.default_rng(100 + seed)
    a = g.integers(0, max_operand(bits) + 1, batch)
    b = g.integers(0, max_operand(bits) + 1, batch)
    loss_hand, hand = gradients(W, a, b, bits)
    loss_auto, auto = autograd_gradients(W, a, b, bits)
    assert loss_hand == pytest.approx(loss_auto, rel=1e-12)
    for h, t in zip(hand.as_tuple(), auto.as_tuple()):
        assert h.shape == t.shape
        np.testing.assert_allclose(h, t, rtol=1e-9, atol=1e-12)


def test_gradients_match_finite_differences():
    W = random_weights(6, 7)
    a, b = np.array([45, 3, 127]), np.array([64, 1, 0])
    _, grads = gradients(W, a, b, 8)
    eps = 1e-6
    for name in ("W_ih", "W_hh", "W_ho"):
        M = getattr(W, name)
        for idx in [(0, 0), (1, M.shape[1] // 2), (M.shape[0] - 1, M.shape[1] - 1)]:
            plus, minus = M.copy(), M.copy()
            plus[idx] += eps
            minus[idx] -= eps
            lp = gradients(Weights(**{**W.__dict__, name: plus}), a, b, 8)[0]
            lm = gradients(Weights(**{**W.__dict__, name: minus}), a, b, 8)[0]
            assert getattr(grads, name)[idx] == pytest.approx((lp - lm) / (2 * eps), rel=1e-5, abs=1e-8)


def test_gradient_check_and_the_torch_twin_forward():
    W = random_weights(16, 5)
    gaps = gradient_check(W, 45, 64, 8)
    assert max(gaps.values()) < 1e-12
    import torch

    x, _ = encode(np.array([45, 3]), np.array([64, 120]), 8)
    p_np, h_np = forward(W, x)
    p_t, h_last = SigmoidRNN(W)(torch.tensor(x))
    np.testing.assert_allclose(p_t.detach().numpy(), p_np, atol=1e-12)
    np.testing.assert_allclose(h_last.detach().numpy(), h_np[-1], atol=1e-12)
    p_tanh, h_n = TanhRNN(W)(torch.tensor(x))
    assert p_tanh.shape == (8, 2) and h_n.shape == (1, 2, 16)


def test_forward_in_slices_equals_one_pass():
    W = random_weights(16, 9)
    a, b, _ = all_pairs(8)
    a, b = a[: CHUNK * 2 + 17], b[: CHUNK * 2 + 17]
    x, y = encode(a, b, 8)
    p, h = forward(W, x)
    p_small, h_small = forward(W, x[:, -17:])
    np.testing.assert_allclose(p[:, -17:], p_small, atol=0)
    np.testing.assert_allclose(h[:, -17:], h_small, atol=0)
    right = (p > 0.5) == (y > 0.5)
    assert accuracy(W, a, b, 8) == pytest.approx((right.all(axis=0).mean(), right.mean()))


# ----------------------------------------------------------------------------- the notes
def test_seed_0_is_the_notes_program():
    """Same weights, same operands, same updates: the library's run is the notes' code with np.random.seed(0)."""
    notes = notes_program(steps=2001)
    run = BinaryRun(BinaryConfig(), seed=0)
    start = init_weights(16, np.random.RandomState(0))
    np.testing.assert_array_equal(run.start_weights.W_ih, start.W_ih)
    run.step(2001)
    for name in ("W_ih", "W_hh", "W_ho"):
        np.testing.assert_allclose(getattr(run.weights, name), notes[name], atol=1e-12)
    ours = run.notes_printouts()
    assert [s for s, _ in ours] == [1, 1001, 2001]
    for (step, line), theirs in zip(ours, notes["printouts"]):
        assert line == (f"Error {theirs['error']:.2f} · Pred {theirs['pred']} · True {theirs['true']} · "
                        f"{theirs['a']} + {theirs['b']} = {theirs['out']}")
    assert ours[0][1] == "Error 3.46 · Pred 00000001 · True 01000101 · 9 + 60 = 1"


def test_notes_program_with_other_sizes_matches_too():
    notes = notes_program(steps=300, seed=4, binary_dim=6, hidden_dim=5, alpha=0.3)
    run = BinaryRun(BinaryConfig(bits=6, hidden=5, lr=0.3), seed=4)
    run.step(300)
    for name in ("W_ih", "W_hh", "W_ho"):
        np.testing.assert_allclose(getattr(run.weights, name), notes[name], atol=1e-12)


def test_one_update_is_plain_gradient_descent():
    W = random_weights(4, 1)
    _, g = gradients(W, 5, 9, 8)
    W2 = sgd(W, g, 0.1)
    np.testing.assert_allclose(W2.W_hh, W.W_hh - 0.1 * g.W_hh)
    assert W2.W_hh is not W.W_hh  # new arrays: snapshots and the bit-by-bit views keep the old ones


# ----------------------------------------------------------------------------- views
def test_trace_and_stepper_numbers_agree_with_the_forward_pass():
    W = random_weights(16, 2)
    tr = trace(W, 45, 64, 8)
    x, _ = encode(45, 64, 8)
    p, h = forward(W, x)
    np.testing.assert_allclose(tr.p, p[:, 0])
    np.testing.assert_allclose(tr.h, h[:, 0])
    assert tr.predicted == add(W, 45, 64, 8)
    view = step_view(tr, 3, 4)
    assert "reads bit 2 (worth 4)" in view.heading and "[1, 0]" in view.heading
    assert "1 + 0 + carry 0 = 1" in view.by_hand
    assert f"{tr.z_h[2, 4]:.3f}" in view.equations[1] and f"{tr.h[3, 4]:.3f}" in view.equations[2]
    assert f"{tr.p[2]:.3f}" in view.equations[3] and view.latex.startswith(r"\begin{aligned}")
    assert "1 + 1 + carry 0 = 2 → write **0**, carry **1**" in step_view(trace(W, 3, 1, 4), 1, 0).by_hand
    assert "1 + 0 + carry 1 = 2" in step_view(trace(W, 3, 1, 4), 2, 0).by_hand
    with pytest.raises(ValueError):
        step_view(tr, 9, 0)


def test_unit_correlations_find_a_planted_carry_unit():
    a, b = np.arange(40), np.arange(40)[::-1]
    carry = carries(a, b, 8)  # (T, N)
    rng = np.random.default_rng(0)
    hidden = rng.uniform(size=(8, 40, 4))
    hidden[..., 2] = 0.2 + 0.6 * carry  # a unit that *is* the carry
    hidden[..., 3] = 0.5  # a constant unit: correlation 0, not NaN
    r = unit_correlations(hidden, carry)
    assert r[2] == pytest.approx(1.0) and r[3] == 0.0 and abs(r[0]) < 0.5


def test_carry_report_shapes():
    W = random_weights(16, 4)
    report = find_carry(W, np.arange(50), np.arange(50)[::-1], 8)
    assert report.hidden.shape == (8, 50, 16) and report.carry.shape == (8, 50)
    assert sorted(report.ranked) == list(range(16))
    assert abs(report.best_correlation) == pytest.approx(np.abs(report.correlations).max())
    assert report.memory.dtype == bool and 0.0 <= report.readout_accuracy <= 1.0


def test_twin_race_twin_is_the_same_learner_on_the_runs_additions():
    race = twin_race(BinaryConfig(bits=6, hidden=8), seed=2, steps=200, every=100)
    numpy_name, twin_name, tanh_name = list(race.errors)
    run = BinaryRun(BinaryConfig(bits=6, hidden=8), seed=2)
    run.step(200)
    np.testing.assert_array_equal(race.errors[numpy_name], [m["loss"] for m in run.history])  # same operands
    assert race.max_weight_gap < 1e-10
    np.testing.assert_allclose(race.errors[numpy_name], race.errors[twin_name], atol=1e-9)
    assert race.checkpoints.tolist() == [100, 200] and race.accuracy[tanh_name].shape == (2,)
    assert race.pairs_label == "all 1,024 pairs"
