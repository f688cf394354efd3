"""Behaviour of the three-model run: digits learned, long-range memory only with gates, determinism, code.

All claims are in steps for seed 0 (the seconds are measured by bench/gated.py).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnnviz.gated import code as code_module
from rnnviz.gated.code import CodeConfig, snippet
from rnnviz.gated.data import ASSET
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


# One printed point: step, train loss, test loss, train acc %, test acc % (the page's curves and table).
ROW = re.compile(r"^step (\d+)  train loss ([\d.]+)  test loss ([\d.]+)  train acc ([\d.]+)%  test acc ([\d.]+)%$",
                 re.MULTILINE)


def _code_for(run: GatedRun, kind: str, seed: int, steps: int) -> str:
    """The page's Show-code script for ``kind`` with the run's current (live) settings."""
    spec = run.data.spec
    return snippet(CodeConfig(kind, run.config, run.hidden[kind], spec.input_size, spec.n_classes,
                              seed=seed, steps=steps, lr=run.lr, clip=run.clip))


def _execute(args: list[str], cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess:
    """Run Python as a learner would: from ``cwd``, without the project on the path, one thread like the page."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["OMP_NUM_THREADS"] = "1"
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True, timeout=180,
                          cwd=cwd, env=env)


def _assert_same_points(stdout: str, run: GatedRun, kind: str) -> None:
    """Every printed line equals the page's evaluation at that step, and there is one line per evaluation."""
    rows = ROW.findall(stdout)
    page = {e.step: e for e in run.evals[kind]}
    assert [int(r[0]) for r in rows] == sorted(page), stdout
    for step, train_loss, test_loss, train_acc, test_acc in rows:
        e = page[int(step)]
        assert float(train_loss) == pytest.approx(e.train_loss, rel=1e-5, abs=1e-6)  # printed with 6 decimals
        assert float(test_loss) == pytest.approx(e.test_loss, rel=1e-5, abs=1e-6)
        assert float(train_acc) / 100 == pytest.approx(e.train_acc, abs=6e-5)  # printed as 12.34 %
        assert float(test_acc) / 100 == pytest.approx(e.test_acc, abs=6e-5)


@pytest.mark.parametrize("task, kind, changes, live", [
    ("long_range", "lstm", {"length": 12, "clip": 0.5}, None),
    ("digits", "rnn", {"hidden": 32}, None),
    ("long_range", "gru", {"length": 6, "same_budget": True, "optimizer": "RMSprop"}, None),
    ("digits", "gru", {"hidden": 16, "eval_every": 5}, (0.01, 1.0)),  # learning rate and clipping changed live
])
def test_show_code_snippet_prints_the_pages_curves_from_an_empty_folder(tmp_path, task, kind, changes, live):
    run = GatedRun(preset(task, **changes), seed=2)
    if live is not None:
        run.set_live(*live)  # before the first step: the script uses the live values from the start
    run.step(20)
    out = _execute(["-c", _code_for(run, kind, seed=2, steps=20)], cwd=tmp_path)  # not the project folder
    assert out.returncode == 0, out.stderr
    assert len(run.evals[kind]) == 1 + 20 // run.config.eval_every  # step 0 and every eval_every steps
    _assert_same_points(out.stdout, run, kind)
    assert list(tmp_path.iterdir()) == []  # the script writes nothing


def _fake_sklearn(folder: Path, body: str) -> Path:
    """A stand-in ``sklearn`` package in ``folder`` (scikit-learn is no dependency of the project)."""
    (folder / "sklearn").mkdir(parents=True)
    (folder / "sklearn" / "__init__.py").write_text(body)
    return folder


SKLEARN_DIGITS = f"""
import types
import numpy as np
with np.load({str(ASSET)!r}) as f:  # what sklearn.datasets.load_digits() returns: float64 0..16, int labels
    _bunch = types.SimpleNamespace(images=f["images"].astype(np.float64), target=f["labels"].astype(int))
datasets = types.SimpleNamespace(load_digits=lambda: _bunch)
"""


@pytest.mark.parametrize("where", ["next to the script", "scikit-learn"])
def test_digits_snippet_without_the_project_data_finds_it_elsewhere(tmp_path, monkeypatch, where):
    monkeypatch.setattr(code_module, "ASSET", tmp_path / "moved" / "digits.npz")  # the script's DIGITS is missing
    run = GatedRun(preset("digits", hidden=16), seed=1)  # step 0 scores all training and test images
    script_dir, work = tmp_path / "script", tmp_path / "work"
    script_dir.mkdir()
    work.mkdir()
    script = script_dir / "gated_digits.py"
    script.write_text(_code_for(run, "lstm", seed=1, steps=0))
    assert f"DIGITS = Path(r\"{tmp_path / 'moved' / 'digits.npz'}\")" in script.read_text()
    if where == "next to the script":
        shutil.copy(ASSET, script_dir / "digits.npz")
        fake = _fake_sklearn(tmp_path / "fake", "raise ImportError('not installed')\n")
    else:
        fake = _fake_sklearn(tmp_path / "fake", SKLEARN_DIGITS)
    out = _execute([str(script)], cwd=work, pythonpath=fake)
    assert out.returncode == 0, out.stderr
    _assert_same_points(out.stdout, run, "lstm")


def test_digits_snippet_without_any_data_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(code_module, "ASSET", tmp_path / "moved" / "digits.npz")
    run = GatedRun(preset("digits", hidden=8), seed=0)
    fake = _fake_sklearn(tmp_path / "fake", "raise ImportError('not installed')\n")
    out = _execute(["-c", _code_for(run, "rnn", seed=0, steps=0)], cwd=tmp_path, pythonpath=fake)
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr
    assert "copy assets/digits.npz next to this script or pip install scikit-learn" in out.stderr


def test_scikit_learn_digits_are_the_assets_digits_in_the_same_order():
    datasets = pytest.importorskip("sklearn.datasets")  # the snippet's fallback; not a project dependency
    bunch = datasets.load_digits()
    with np.load(ASSET) as f:
        assert np.array_equal(bunch.images, f["images"]) and np.array_equal(bunch.target, f["labels"])
