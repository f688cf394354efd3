"""Behaviour of the live run: it learns to add every pair, invents a carry, repeats itself, takes live changes.

The numbers below were measured with the notes' settings (8 bits, 16 hidden units, lr 0.1) at seed 0,
scoring all 16,384 pairs after every addition up to 12,000 and after every 10th up to 30,000: the
network first adds every pair right after 6,605 additions, wobbles, and from 7,800 on it stays right.
The page states the same numbers (``ALL_RIGHT_FIRST``, ``ALL_RIGHT_FROM`` in app_pages/binary_addition.py).
"""

import math

import numpy as np
import pytest

from rnnviz.binary.data import all_pairs
from rnnviz.binary.model import BinaryConfig, accuracy
from rnnviz.binary.run import ALL_RIGHT_FIRST, ALL_RIGHT_FROM, CARRY_R_SEED0, BinaryRun

CARRY_R = 0.95  # the carry finder's best |correlation| over the memory columns after 10,000 additions is above this


def test_the_stated_numbers_are_these():
    """What the page states, written out here: 6,605 additions first, 7,800 for good, |r| 0.974."""
    assert (ALL_RIGHT_FIRST, ALL_RIGHT_FROM, CARRY_R_SEED0) == (6_605, 7_800, 0.974)


def _quiet_run(seed: int = 0, **config) -> BinaryRun:
    """A run without the periodic measurements (the test scores what it needs itself)."""
    run = BinaryRun(BinaryConfig(eval_every=10**9, **config), seed=seed)
    run.probe_every = 10**9
    return run


@pytest.fixture(scope="module")
def notes_run():
    """The notes' settings at seed 0, trained step by step with checks at the stated points."""
    run = _quiet_run(0)
    a, b, exhaustive = all_pairs(8)
    assert exhaustive and len(a) == 16_384
    marks = {}
    for target in (ALL_RIGHT_FIRST - 1, ALL_RIGHT_FIRST, ALL_RIGHT_FROM, 10_000):
        run.step(target - run.step_count)
        marks[target] = accuracy(run.weights, a, b, 8)[0]
    return run, marks


def test_adds_every_pair_below_128_after_the_stated_number_of_additions(notes_run):
    run, marks = notes_run
    assert marks[ALL_RIGHT_FIRST - 1] < 1.0
    assert marks[ALL_RIGHT_FIRST] == 1.0  # all 16,384 pairs
    assert marks[ALL_RIGHT_FROM] == 1.0
    assert marks[10_000] == 1.0  # the notes' budget
    assert run.history[-1]["right100"] == 1.0


def test_the_carry_finder_finds_a_carry_unit_once_trained(notes_run):
    run, _ = notes_run
    report = run.carry_report()
    assert abs(report.best_correlation) > CARRY_R
    assert abs(report.best_correlation) == pytest.approx(CARRY_R_SEED0, abs=5e-4)
    assert report.readout_accuracy > 0.99
    untrained = BinaryRun(BinaryConfig(), seed=0).carry_report()
    assert abs(untrained.best_correlation) < 0.5  # it was invented, not there from the start
    assert report.ranked[0] == int(np.argmax(np.abs(report.correlations)))


def test_the_live_run_records_its_measurements():
    run = BinaryRun(BinaryConfig(eval_every=200), seed=0)
    run.step(400)
    steps, acc = run.measured("acc_all")
    assert steps == [1.0, 200.0, 400.0] and all(0 <= v <= 1 for v in acc)
    steps, corr = run.measured("carry_corr")
    assert steps == [1.0, 100.0, 200.0, 300.0, 400.0] and all(0 <= v <= 1 for v in corr)
    m = run.history[-1]
    assert set(m) >= {"step", "loss", "sq_loss", "right", "right100", "mean100", "a", "b", "pred"}
    assert m["right100"] == pytest.approx(np.mean([h["right"] for h in run.history[-100:]]))
    assert m["mean100"] == pytest.approx(np.mean([h["loss"] for h in run.history[-100:]]))
    assert run.last is not None and run.last.step == 400 and (run.last.a, run.last.b) == (int(m["a"]), int(m["b"]))
    assert run.printout().startswith(f"Error {m['loss']:.2f} · Pred ")


def test_same_seed_same_curve_other_seed_other_curve():
    one, two, other = (_quiet_run(s) for s in (3, 3, 4))
    for run in (one, two, other):
        run.step(300)
    assert [m["loss"] for m in one.history] == [m["loss"] for m in two.history]
    assert [m["loss"] for m in one.history] != [m["loss"] for m in other.history]


def test_learning_rate_changes_live_without_a_reset():
    run = _quiet_run(0)
    run.step(50)
    before = run.weights
    run.set_live(1.0)
    run.step(1)
    assert run.step_count == 51 and run.lr == 1.0
    fixed = _quiet_run(0)
    fixed.step(51)
    assert not np.allclose(run.weights.W_hh, fixed.weights.W_hh)
    assert run.weights is not before


@pytest.mark.parametrize("bits, hidden", [(4, 8), (16, 16), (6, 2)])
def test_other_sizes_train_and_score(bits, hidden):
    run = BinaryRun(BinaryConfig(bits=bits, hidden=hidden, eval_every=100), seed=1)
    run.step(100)
    assert run.step_count == 100 and math.isfinite(run.history[-1]["loss"])
    assert max(max(m["a"], m["b"]) for m in run.history) <= 2 ** (bits - 1) - 1
    assert run.carry_report().hidden.shape[-1] == hidden
    assert ("all" in run.pairs_label) == (bits <= 8)


def test_longer_numbers_learn_in_fewer_additions():
    """Every addition of n bits gives n columns to learn from (measured at seed 0)."""
    short, long = _quiet_run(0, bits=4), _quiet_run(0, bits=12)
    short.step(7000)
    long.step(7000)
    assert long.all_pairs_accuracy() == 1.0  # 4,096 random pairs below 2048
    assert short.all_pairs_accuracy() < 1.0  # all 64 pairs below 8
    short.step(9000)
    assert short.all_pairs_accuracy() == 1.0


def test_non_finite_weights_pause_and_go_back():
    run = _quiet_run(0)
    run.step(5)
    good = run.weights
    run.set_live(float("inf"))
    run.step(3)
    assert run.divergence is not None and "NaN/inf" in run.divergence.message
    assert run.weights is good and run.step_count == 5
    run.set_live(0.1)
    run.clear_divergence()
    run.step(1)
    assert run.step_count == 6
