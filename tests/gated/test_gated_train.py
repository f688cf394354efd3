"""Behaviour of the three-model run: digits learned, long-range memory only with gates, determinism, code.

All claims are in steps for seed 0 (the seconds are measured by bench/gated.py).
"""

import re
import subprocess
import sys

import numpy as np
import pytest

from rnnviz.gated.code import CodeConfig, snippet
from rnnviz.gated.model import preset
from rnnviz.gated.run import GatedRun


def _train_until(run: GatedRun, kinds: tuple[str, ...], acc: float, max_steps: int) -> GatedRun:
    while run.step_count < max_steps and not all(run.latest(k).test_acc >= acc for k in kinds):
        run.step(run.config.eval_every)
    return run


def test_digits_seed_preset_every_model_reaches_90_percent_within_200_steps():
    run = _train_until(GatedRun(preset("digits"), seed=0), ("rnn", "lstm", "gru"), 0.90, 200)
    reached = {k: run.steps_to_reach(k, 0.90) for k in run.models}
    assert all(s is not None and s <= 200 for s in reached.values()), reached  # measured: 100, 100, 60
    assert run.latest("rnn").step == run.step_count  # one shared step counter, scored together
    assert {e.step for e in run.evals["gru"]} == {e.step for e in run.evals["rnn"]}


def test_long_range_40_gated_cells_reach_95_percent_while_the_rnn_stays_near_chance():
    run = _train_until(GatedRun(preset("long_range", length=40), seed=0), ("lstm", "gru"), 0.95, 150)
    assert run.steps_to_reach("lstm", 0.95) <= 150  # measured: 40
    assert run.steps_to_reach("gru", 0.95) <= 150  # measured: 100
    assert run.latest("rnn").test_acc < 0.35  # chance is 0.25
    assert max(e.test_acc for e in run.evals["rnn"]) < 0.35


def test_long_range_10_all_three_succeed():
    run = _train_until(GatedRun(preset("long_range", length=10), seed=0), ("rnn", "lstm", "gru"), 0.95, 150)
    assert all(run.steps_to_reach(k, 0.95) is not None for k in run.models)  # measured: 80, 30, 90


def test_without_gate_biases_the_gated_cells_are_stuck_at_length_40_too():
    run = GatedRun(preset("long_range", length=40, lstm_forget_bias=None, gru_update_bias=None), seed=0)
    run.step(100)  # with the preset's biases both had reached 95 % by step 100
    assert run.latest("lstm").test_acc < 0.5 and run.latest("gru").test_acc < 0.5


def test_same_seed_same_curves_and_live_settings():
    a, b = GatedRun(preset("long_range", length=8), seed=3), GatedRun(preset("long_range", length=8), seed=3)
    a.step(12)
    b.step(5)
    b.step(7)
    assert a.history == [{**m} for m in b.history]
    a.set_live(0.5, 0.25)
    assert all(g["lr"] == 0.5 for opt in a.optimizers.values() for g in opt.param_groups) and a.clip == 0.25
    c = GatedRun(preset("long_range", length=8), seed=4)
    c.step(2)
    assert c.history[0]["loss"] != a.history[0]["loss"]


def test_explosion_is_caught_and_weights_kept():
    run = GatedRun(preset("digits", hidden=32, optimizer="SGD", lr=1e4, eval_every=5), seed=0)
    run.step(20)
    assert run.divergence is not None and "learning rate" in run.divergence.message
    assert run._state_is_finite()
    assert all(np.isfinite(m["loss"]) for m in run.history)
    assert all(e.step <= run.step_count for e in run.evals["rnn"])


def test_views_of_one_example_and_confusion():
    run = GatedRun(preset("digits", hidden=16), seed=0)
    run.step(30)
    ex = run.example(7)
    assert set(ex["lstm"]) >= {"i", "f", "g", "o", "c", "h", "probs", "p_true"}
    assert set(ex["gru"]) >= {"r", "z", "n", "h"} and ex["rnn"]["h"].shape == (8, 16)
    np.testing.assert_allclose(ex["gru"]["probs"].sum(1), 1.0, rtol=1e-5)
    m = run.confusion("lstm")
    assert m.sum() == 360 and np.trace(m) / 360 == pytest.approx(run.latest("lstm").test_acc)
    for i, true, pred in run.misclassified("rnn"):
        assert true != pred and run.predictions["rnn"][i] == pred
    g = run.gradient_profile()
    assert set(g) == {"rnn", "lstm", "gru"} and g["gru"].shape == (8,)


@pytest.mark.parametrize("task, kind, changes", [
    ("long_range", "lstm", {"length": 12, "clip": 0.5}),
    ("digits", "rnn", {"hidden": 32}),
    ("long_range", "gru", {"length": 6, "same_budget": True, "optimizer": "RMSprop"}),
])
def test_show_code_snippet_prints_the_pages_numbers(root, task, kind, changes):
    config = preset(task, **changes)
    run = GatedRun(config, seed=2)
    run.step(20)
    code = snippet(CodeConfig(kind, config, run.hidden[kind], run.data.spec.input_size, run.data.spec.n_classes,
                              seed=2, steps=20, lr=config.lr, clip=config.clip))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=root)
    assert out.returncode == 0, out.stderr
    rows = re.findall(r"step (\d+) loss ([\d.]+) test_acc ([\d.]+)", out.stdout)
    assert [int(s) for s, _, _ in rows] == [10, 20]
    for s, loss, acc in rows:
        s = int(s)
        assert float(loss) == pytest.approx(run.history[s - 1][f"{kind}_loss"], rel=1e-4, abs=1e-6)
        page_acc = next(e.test_acc for e in run.evals[kind] if e.step == s)
        assert float(acc) == pytest.approx(page_acc, abs=1e-4)
