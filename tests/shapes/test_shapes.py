"""Shapes page library: shapes and parameter counts against torch, facts, mistakes, swap training, code."""

import itertools
import re
import subprocess
import sys

import pytest
import torch
from torch import nn

from rnnviz.shapes.code import snippet
from rnnviz.shapes.facts import (
    cell_matches_module,
    dense_params,
    output_facts,
    param_formula,
    param_rows,
    param_total,
    seed_comparison,
)
from rnnviz.shapes.mistakes import MISTAKES, run_mistake, swap_demo
from rnnviz.shapes.model import (
    CELLS,
    MODULES,
    SEED_BATCH,
    ShapeConfig,
    build_module,
    cell_loop,
    expected_shapes,
    fmt_shape,
    make_input,
    run_module,
    validate,
)
from rnnviz.shapes.run import SwapRun, SwapTaskConfig

GRID = [
    ShapeConfig(module=m, batch_size=b, seq_len=t, input_size=4, hidden_size=3, num_layers=l, bidirectional=d,
                batch_first=bf, proj_size=p)
    for m, bf, d, l, (b, t), p in itertools.product(MODULES, (False, True), (False, True), (1, 2), ((5, 3), (2, 6)),
                                                    (0, 2))
    if p == 0 or m == "LSTM"
]


def _independent(cfg: ShapeConfig) -> dict[str, tuple[int, ...]]:
    """Shapes from a module built here, straight from torch.nn, with no page code involved."""
    c = cfg.normalised()
    x = torch.randn(*((c.batch_size, c.seq_len) if c.batch_first else (c.seq_len, c.batch_size)), c.input_size)
    if c.is_cell:
        cell = getattr(nn, c.module)(c.input_size, c.hidden_size)
        out = cell(x[:, 0] if c.batch_first else x[0])
        h = out[0] if isinstance(out, tuple) else out
        return {"input": tuple(x.shape), "h_t": tuple(h.shape)}
    kw = dict(num_layers=c.num_layers, bidirectional=c.bidirectional, batch_first=c.batch_first)
    if c.proj_size:
        kw["proj_size"] = c.proj_size
    rnn = getattr(nn, c.module)(c.input_size, c.hidden_size, **kw)
    output, state = rnn(x)
    shapes = {"input": tuple(x.shape), "output": tuple(output.shape)}
    if isinstance(state, tuple):
        shapes.update(h_n=tuple(state[0].shape), c_n=tuple(state[1].shape))
    else:
        shapes["h_n"] = tuple(state.shape)
    return shapes


@pytest.mark.parametrize("cfg", GRID, ids=lambda c: f"{c.module}-bf{int(c.batch_first)}-bi{int(c.bidirectional)}"
                                                    f"-L{c.num_layers}-B{c.batch_size}T{c.seq_len}-p{c.proj_size}")
def test_shown_shapes_are_torch_shapes(cfg):
    infos, values = run_module(cfg)
    for name, info in infos.items():
        assert info.shape == tuple(values[name].shape)
        assert len(info.axes) == len(info.shape)
    assert {n: i.shape for n, i in infos.items()} == expected_shapes(cfg)
    for name, shape in _independent(cfg).items():
        assert infos[name].shape == shape, name


def test_seed_defaults_and_batch_first_leave_h_n():
    infos, _ = run_module(ShapeConfig())
    assert [fmt_shape(infos[n].shape) for n in ("input", "output", "h_n")] == ["(3, 5, 4)", "(3, 5, 2)", "(1, 5, 2)"]
    bf, _ = run_module(ShapeConfig(batch_first=True))
    assert (bf["input"].shape, bf["output"].shape, bf["h_n"].shape) == ((5, 3, 4), (5, 3, 2), (1, 5, 2))
    assert torch.equal(make_input(ShapeConfig()), torch.tensor(SEED_BATCH, dtype=torch.float32))


def test_seed_cell_loop_shapes_and_equivalence():
    cfg = ShapeConfig(module="RNNCell")
    steps = cell_loop(build_module(cfg), make_input(cfg), cfg)
    assert [(tuple(s["x_t"].shape), tuple(s["h_t"].shape)) for s in steps] == [((5, 4), (5, 2))] * 3
    for module in CELLS:
        for bf in (False, True):
            assert cell_matches_module(ShapeConfig(module=module, batch_first=bf), seed=3) < 1e-6


@pytest.mark.parametrize("cfg", GRID[::3])
def test_parameter_counts(cfg):
    module = build_module(cfg)
    expected = sum(p.numel() for p in module.parameters())
    assert param_total(module) == expected == param_formula(cfg)
    rows = param_rows(cfg, module)
    assert sum(r["count"] for r in rows) == expected
    assert [r["parameter"] for r in rows] == [n for n, _ in module.named_parameters()]


def test_gate_stacking_and_seed_numbers():
    rows = {r["parameter"]: r for r in param_rows(ShapeConfig(module="LSTM", bidirectional=True),
                                                   build_module(ShapeConfig(module="LSTM", bidirectional=True)))}
    assert rows["weight_ih_l0"]["shape"] == "(8, 4)" and "4 gates" in rows["weight_ih_l0"]["what"]
    assert "backward" in rows["weight_hh_l0_reverse"]["where"]
    assert param_total(build_module(ShapeConfig())) == 16  # RNN(4, 2): 2*4 + 2*2 + 2 + 2
    nums = list(seed_comparison().values())
    assert nums == [4096 * 1024, 5 * 5 * 128 * 64] == [4_194_304, 204_800]
    assert nums[1] == nn.Conv2d(128, 64, 5, bias=False).weight.numel()
    assert dense_params(3, 4, 2) == sum(p.numel() for p in nn.Linear(12, 6).parameters())


def test_output_facts():
    rows = output_facts(ShapeConfig(), run_module(ShapeConfig())[1])
    assert len(rows) == 1 and rows[0]["equal"] and rows[0]["max |difference|"] < 1e-6
    cfg = ShapeConfig(module="GRU", num_layers=2, bidirectional=True, batch_first=True)
    rows = output_facts(cfg, run_module(cfg)[1])
    assert [r["equal"] for r in rows] == [True, True, False, False]
    assert rows[1]["code"].startswith("output[:, 0]")  # backward final state sits at the first step
    cfg = ShapeConfig(module="LSTM", hidden_size=3, proj_size=2, num_layers=3)
    rows = output_facts(cfg, run_module(cfg)[1])
    assert [r["equal"] for r in rows] == [True, False]


@pytest.mark.parametrize("family", ["RNN", "LSTM", "GRUCell"])
def test_every_gallery_mistake_really_raises(family):
    cfg = ShapeConfig(module=family)
    for key in MISTAKES:
        res = run_mistake(key, cfg)
        assert res.raised, key
        assert res.error.split(":")[0] in ("RuntimeError", "ValueError"), res.error


def test_gallery_messages_are_torch_messages():
    rnn, x = nn.RNN(4, 2), torch.randn(3, 5, 4)
    with pytest.raises(RuntimeError, match="hx should also be 3-D") as e1:
        rnn(x, torch.zeros(5, 2))
    assert run_mistake("h0_no_layers", ShapeConfig()).error == f"RuntimeError: {e1.value}"
    with pytest.raises(RuntimeError, match=re.escape("Expected hidden size (1, 5, 2), got [1, 6, 2]")):
        rnn(x, torch.zeros(1, 6, 2))
    assert "got [1, 6, 2]" in run_mistake("h0_wrong_batch", ShapeConfig()).error
    with pytest.raises(RuntimeError, match="Expected 4, got 5"):
        rnn(torch.randn(3, 5, 5))
    with pytest.raises(RuntimeError, match="unbatched 2-D input"):
        nn.RNN(4, 2, batch_first=True)(torch.randn(5, 4), torch.zeros(1, 5, 2))
    with pytest.raises(ValueError, match="Expected input to be 1D or 2D"):
        nn.RNNCell(4, 2)(x)


def test_h0_batch_first_is_silent_when_sizes_coincide():
    res = run_mistake("h0_batch_first", ShapeConfig(batch_size=1))
    assert not res.raised and "silent" in res.explanation


def test_silent_swap_really_does_not_raise_and_mixes_sentences():
    x = torch.randn(3, 3, 4)
    rnn = nn.RNN(4, 2)  # built without batch_first
    out, h_n = rnn(x)  # a batch-first tensor: no error
    assert tuple(out.shape) == (3, 3, 2) and tuple(h_n.shape) == (1, 3, 2)
    demo = swap_demo()
    assert demo["right_shapes"] == demo["wrong_shapes"] == ((3, 3, 2), (1, 3, 2))
    assert demo["max_diff"] > 0.1
    right, wrong = demo["right_influence"], demo["wrong_influence"]
    off = ~torch.eye(3, dtype=torch.bool)
    assert float(right[off].abs().max()) == 0.0 and float(right.diagonal().min()) > 0
    assert float(wrong[off].min()) > 0  # every reported result depends on other sentences


def test_swap_training_right_learns_swapped_cannot():
    torch.set_num_threads(1)
    run = SwapRun(SwapTaskConfig(), seed=0)
    first = run.step(1)
    run.step(299)
    assert run.step_count == 300
    assert run.history[-1]["loss"] < 0.03 < first["loss"]
    assert run.history[-1]["loss_swapped"] > 0.15  # about the target variance 1/5: no better than guessing
    again = SwapRun(SwapTaskConfig(), seed=0)
    again.step(5)
    assert again.series("loss") == run.series("loss")[:5]


def test_validate_messages():
    assert validate(ShapeConfig()) is None
    assert "proj_size" in validate(ShapeConfig(module="LSTM", proj_size=2))
    assert validate(ShapeConfig(module="GRU", proj_size=5)) is None  # ignored outside LSTM


@pytest.mark.parametrize("cfg", [ShapeConfig(), ShapeConfig(module="LSTM", hidden_size=3, proj_size=2, num_layers=2,
                                                             bidirectional=True, batch_first=True),
                                 ShapeConfig(module="LSTMCell", batch_first=True, seq_len=4)])
def test_show_code_prints_the_page_shapes(cfg, root):
    out = subprocess.run([sys.executable, "-c", snippet(cfg)], capture_output=True, text=True, timeout=120,
                         cwd=root)
    assert out.returncode == 0, out.stderr
    printed = dict(re.findall(r"^(\w+) (\([\d, ]*\))$", out.stdout, flags=re.M))
    infos, _ = run_module(cfg)
    assert printed == {n: fmt_shape(i.shape) for n, i in infos.items()}
    if not cfg.is_cell:
        diff = float(re.search(r"max \|output last step - h_n top layer\| (\S+)", out.stdout).group(1))
        assert diff < 1e-6
    else:
        assert out.stdout.count("-> h_t") == cfg.seq_len
