"""Show code: each way's standalone script prints the page's losses (executed in a fresh interpreter)."""

import re
import subprocess
import sys

import pytest

from rnnviz.basics.code import CodeConfig, snippet
from rnnviz.basics.run import BasicsConfig, BasicsRun

CASES = [
    ("numpy", BasicsConfig(), 0),
    ("autograd", BasicsConfig(), 0),
    ("linear", BasicsConfig(), 0),
    ("numpy", BasicsConfig(lr=2e-3, reduction="mean"), 3),
    ("autograd", BasicsConfig(reduction="mean", lr=1e-3, forget_zero_grad=True), 3),
    ("linear", BasicsConfig(forget_zero_grad=True), 3),
    ("linear", BasicsConfig(optimizer="SGD + momentum", lr3=1e-3), 3),
    ("linear", BasicsConfig(optimizer="Adam", lr3=1e-2), 1),
]


@pytest.mark.parametrize("way, config, seed", CASES)
def test_code_prints_the_pages_losses(root, way, config, seed):
    run = BasicsRun(config, seed=seed)
    run.step(300)
    code = snippet(CodeConfig(way, config, seed, steps=300))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=root,
                         check=False)
    assert out.returncode == 0, out.stderr
    rows = re.findall(r"step (\d+) loss (\S+)", out.stdout)
    assert [int(s) for s, _ in rows] == [100, 200, 300]
    for s, loss in rows:
        assert float(loss) == pytest.approx(run.marks[int(s)][way], rel=1e-9)
    assert "y_pred = " in out.stdout


def test_code_says_what_the_settings_are():
    config = BasicsConfig(lr=3e-6, forget_zero_grad=True, optimizer="Adam", lr3=0.01)
    code = {way: snippet(CodeConfig(way, config, 7)) for way in ("numpy", "autograd", "linear")}
    assert "learning_rate = 3e-06" in code["numpy"] and "default_rng(7)" in code["numpy"]
    assert "FORGOTTEN" in code["autograd"] and "a.grad = None  #" not in code["autograd"]
    assert "torch.optim.Adam(model.parameters(), lr=0.01)" in code["linear"] and "nn.Flatten(0, 1)" in code["linear"]
    assert "range(1, 2000 + 1)" in code["linear"]
