"""The SRN Show-code script: its training loop prints the losses of the page's live run (SRNRun)."""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from rnnviz.srn.code import CodeConfig, snippet
from rnnviz.srn.model import DEFAULT_TARGET, SEED_INPUT, SRNRun, SRNTrainConfig, SRNWeights, srn_numpy

# One interpreter runs every script, each in fresh globals (importing torch costs seconds per process).
_MANY = """
import json, sys
for script in json.loads(sys.stdin.read()):
    print("=" * 20, flush=True)
    exec(compile(script, "<snippet>", "exec"), {"__name__": "__main__"})
"""


def run_scripts(scripts: list[str], cwd) -> list[str]:
    """The stdout of each standalone script, run one after another in one fresh interpreter in ``cwd``."""
    out = subprocess.run([sys.executable, "-c", _MANY], input=json.dumps(scripts), capture_output=True,
                         text=True, timeout=300, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return out.stdout.split("=" * 20 + "\n")[1:]


def printed_losses(stdout: str) -> np.ndarray:
    rows = re.findall(r"^step (\d+): loss (\S+)$", stdout, flags=re.M)
    assert [int(k) for k, _ in rows] == list(range(1, len(rows) + 1))
    return np.array([float(v) for _, v in rows])


def page_losses(c: CodeConfig) -> np.ndarray:
    """What the page's "Train it live" builds from these settings (see app_pages/srn.py), stepped headless."""
    start = c.weights.perturbed(c.noise, c.seed) if c.noise else c.weights
    run = SRNRun(c.x, c.target, start, c.activation, c.training, seed=c.seed)
    run.step(c.steps)
    assert run.step_count == c.steps and run.divergence is None
    return np.array(run.series("loss"))


def _seed_net(activation: str, training: SRNTrainConfig, seed: int, noise: float) -> CodeConfig:
    return CodeConfig(SEED_INPUT, SRNWeights(), activation, DEFAULT_TARGET, training, seed, noise, steps=20)


def _edited() -> CodeConfig:
    """Longer input, edited weights, a hand-made target, no activation."""
    rng = np.random.default_rng(5)
    w = SRNWeights(W_ih=rng.normal(size=(2, 2)), W_hh=rng.normal(size=(2, 2)) * 0.5, b=rng.normal(size=2),
                   W_out=rng.normal(size=(2, 2)), b_out=rng.normal(size=2))
    x, target = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    return CodeConfig(x, w, "none", target, SRNTrainConfig("SGD", 0.1, 2.0), seed=11, noise=0.1, steps=12)


CONFIGS = {
    "page defaults (Adam 0.05, tanh)": _seed_net("tanh", SRNTrainConfig("Adam", 0.05, None), 0, 0.0),
    "SGD defaults": _seed_net("tanh", SRNTrainConfig(), 0, 0.0),
    "Adam, clipped, symmetry broken": _seed_net("tanh", SRNTrainConfig("Adam", 0.03, 1.0), 7, 0.1),
    "SGD sigmoid, lr 0.3, clipped, broken": _seed_net("sigmoid", SRNTrainConfig("SGD", 0.3, 0.5), 3, 0.1),
    "relu, broken": _seed_net("relu", SRNTrainConfig("Adam", 0.01, None), 1, 0.1),
    "edited weights, input and target": _edited(),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    """Every setting's script, run once in a folder outside the project."""
    scripts = [snippet(c) for c in CONFIGS.values()]
    return dict(zip(CONFIGS, run_scripts(scripts, tmp_path_factory.mktemp("srn_code"))))


@pytest.mark.parametrize("name", list(CONFIGS))
def test_snippet_losses_match_the_live_run(name, outputs):
    config, stdout = CONFIGS[name], outputs[name]
    got = printed_losses(stdout)
    assert len(got) == config.steps
    np.testing.assert_allclose(got, page_losses(config), rtol=1e-10, atol=0)  # printed with 12 significant digits
    assert got[-1] < got[0]  # these settings all learn
    # the forward table before it still shows the weights as set (no noise)
    y, _ = srn_numpy(config.x, config.weights, config.activation)
    rows = re.findall(r"^t=\d+ h=\[.*?\] y=\[(.*?)\]$", stdout, flags=re.M)
    np.testing.assert_allclose([[float(v) for v in r.split(",")] for r in rows], y, rtol=1e-12, atol=1e-12)


def test_without_target_only_the_forward_table():
    script = snippet(CodeConfig(SEED_INPUT, SRNWeights(), "tanh"))
    assert "optimizer" not in script and "import numpy" not in script
    assert "import numpy" not in snippet(CodeConfig(SEED_INPUT, SRNWeights(), "tanh", DEFAULT_TARGET))


def test_unknown_optimizer_is_refused():
    with pytest.raises(ValueError, match="unknown optimizer"):
        snippet(CodeConfig(SEED_INPUT, SRNWeights(), "tanh", DEFAULT_TARGET, SRNTrainConfig("LBFGS")))
