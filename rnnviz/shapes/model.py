"""Tensor shapes of PyTorch's recurrent modules, measured on the real modules (seed 000 section 3).

Conventions (``batch_first=False``, PyTorch's default)::

    input   (seq_len, batch, input_size)            batch_first: (batch, seq_len, input_size)
    h_0     (num_layers * D, batch, H_out)           never batch-first
    output  (seq_len, batch, D * H_out)              batch_first: (batch, seq_len, D * H_out)
    h_n     (num_layers * D, batch, H_out)           never batch-first
    c_0/c_n (num_layers * D, batch, hidden_size)     LSTM only

with ``D = 2`` if bidirectional else 1 and ``H_out = proj_size`` if an LSTM has
``proj_size > 0`` else ``hidden_size``. The cells (``RNNCell``, ``LSTMCell``,
``GRUCell``) take one time step: ``x_t (batch, input_size) -> h_t (batch, hidden_size)``,
and the loop over time is written by hand, as in the seed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import nn

from rnnviz.core import recurrent
from rnnviz.core.recurrent import cell_facts
from rnnviz.core.seeding import seeded, torch_generator

# The page's choices, each cell before its module: RNNCell, RNN, LSTMCell, LSTM, GRUCell, GRU.
MODULES: tuple[str, ...] = tuple(c.__name__ for f in recurrent.CELLS.values() for c in (f.cell, f.module))
CELLS: tuple[str, ...] = tuple(f.cell.__name__ for f in recurrent.CELLS.values())  # the one-step cells

# The seed's batch: five sentences of three tokens, each token a 4-number vector.
SENTENCES: tuple[str, ...] = ("我爱你", "我恨你", "我吃了", "我没吃", "我饿了")
# seed 000 section 3.1 prints this tensor, shape (seq_len=3, batch=5, input_size=4): block t is every
# sentence's t-th token.
SEED_BATCH = np.array([
    [[0.4408, -0.7577, 0.9077, -0.0779], [0.5080, -0.1057, 0.5581, -0.4546], [0.8382, 1.3444, 1.1445, -2.0313],
     [0.4016, 1.0184, 0.0556, 0.6046], [1.9827, 0.6735, -0.6609, -0.0764]],
    [[-0.8133, -1.3837, -0.6933, -0.6390], [0.7617, -0.2478, -0.1682, -1.2478], [0.1389, -0.5334, 1.7906, 0.8992],
     [-0.7540, 0.0293, -0.5835, 1.0606], [-0.5817, 0.2823, -1.0507, 0.3087]],
    [[-0.5872, 0.1241, -0.2446, -0.5430], [-0.6749, 0.6816, -0.1754, -1.1233], [0.1708, -1.6483, 0.8012, 0.3567],
     [-0.1961, -1.0277, -0.2133, -0.7144], [-1.3309, 0.6177, 1.5205, -0.4169]],
])  # (T=3, B=5, I=4)

# Axis kinds: every drawn axis is coloured by its kind.
AXIS_KINDS: tuple[str, ...] = ("seq", "batch", "feat", "layers")


@dataclass(frozen=True)
class ShapeConfig:
    """One setting of the page's controls (defaults: the seed's example)."""

    module: str = "RNN"  # one of MODULES
    batch_size: int = 5  # sentences per batch
    seq_len: int = 3  # tokens per sentence (time steps)
    input_size: int = 4  # numbers per token
    hidden_size: int = 2  # hidden units
    num_layers: int = 1  # stacked layers (full modules only)
    bidirectional: bool = False  # a second, backward-running direction (full modules only)
    batch_first: bool = False  # input/output as (batch, seq, features) instead of (seq, batch, features)
    proj_size: int = 0  # LSTM only: project h to this size (0 = off, must be < hidden_size)

    @property
    def is_cell(self) -> bool:
        return self.module in CELLS

    @property
    def family(self) -> str:
        """RNN, LSTM or GRU (the cell's full-module counterpart)."""
        return self.module.replace("Cell", "")

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional and not self.is_cell else 1

    @property
    def h_out(self) -> int:
        """Size of h: proj_size for a projected LSTM, else hidden_size."""
        return self.proj_size if self.module == "LSTM" and self.proj_size > 0 else self.hidden_size

    def normalised(self) -> "ShapeConfig":
        """Switch off what the module does not have (cells: layers, directions, projection)."""
        cfg = self
        if self.is_cell:
            cfg = replace(cfg, num_layers=1, bidirectional=False, proj_size=0)
        elif self.module != "LSTM":
            cfg = replace(cfg, proj_size=0)
        return cfg


def validate(cfg: ShapeConfig) -> str | None:
    """A plain message when PyTorch would refuse these settings, else None."""
    if cfg.module not in MODULES:
        return f"Unknown module {cfg.module!r}: choose one of {', '.join(MODULES)}."
    for name in ("batch_size", "seq_len", "input_size", "hidden_size", "num_layers"):
        if int(getattr(cfg, name)) < 1:
            return f"{name} must be at least 1."
    if cfg.module == "LSTM" and cfg.proj_size >= cfg.hidden_size and cfg.proj_size > 0:
        return (f"proj_size ({cfg.proj_size}) must be smaller than hidden_size ({cfg.hidden_size}): "
                "the projection shrinks h. Use 0 to switch it off.")
    return None


@dataclass(frozen=True)
class TensorInfo:
    """One tensor as PyTorch reports it, with a name for every axis."""

    name: str  # e.g. "input", "h_n"
    shape: tuple[int, ...]  # tuple(t.shape), straight from torch
    axes: tuple[tuple[str, str], ...]  # per axis: (kind in AXIS_KINDS, label such as "seq_len")
    note: str = ""  # one line: what this tensor is


def build_module(cfg: ShapeConfig, seed: int = 0) -> nn.Module:
    """The torch module for these settings, weights drawn from ``seed``."""
    cfg = cfg.normalised()
    facts = cell_facts(cfg.module)
    cls = facts.cell if cfg.is_cell else facts.module
    if cfg.is_cell:
        return seeded(seed, lambda: cls(cfg.input_size, cfg.hidden_size))
    kwargs = dict(num_layers=cfg.num_layers, bidirectional=cfg.bidirectional, batch_first=cfg.batch_first)
    if cfg.module == "LSTM" and cfg.proj_size > 0:
        kwargs["proj_size"] = cfg.proj_size
    return seeded(seed, lambda: cls(cfg.input_size, cfg.hidden_size, **kwargs))


def make_input(cfg: ShapeConfig, seed: int = 0) -> torch.Tensor:
    """The input sequence in the layout ``cfg.batch_first`` asks for.

    With the seed's sizes (seq 3, batch 5, input 4) it is the seed's tensor, else
    seeded standard-normal numbers.
    """
    T, B, I = cfg.seq_len, cfg.batch_size, cfg.input_size
    if (T, B, I) == SEED_BATCH.shape:
        x = torch.tensor(SEED_BATCH, dtype=torch.float32)  # (T, B, I)
    else:
        x = torch.randn(T, B, I, generator=torch_generator(seed))  # (T, B, I)
    return x.transpose(0, 1).contiguous() if cfg.batch_first else x  # (B, T, I) or (T, B, I)


def _seq_axes(cfg: ShapeConfig, feat: str) -> tuple[tuple[str, str], ...]:
    seq, batch, f = ("seq", "seq_len"), ("batch", "batch"), ("feat", feat)
    return (batch, seq, f) if cfg.batch_first else (seq, batch, f)


def _state_axes(feat: str) -> tuple[tuple[str, str], ...]:
    return (("layers", "layers × directions"), ("batch", "batch"), ("feat", feat))


@torch.no_grad()
def run_module(cfg: ShapeConfig, seed: int = 0) -> tuple[dict[str, TensorInfo], dict[str, torch.Tensor]]:
    """Run the module once on zero initial states; return every tensor's info and value.

    Full modules: ``input, h_0, [c_0], output, h_n, [c_n]``.
    Cells: ``input`` (whole sequence), ``x_t``, ``h_0``, ``[c_0]``, ``h_t``, ``[c_t]``, ``outputs``
    (the loop's h_t stacked along the time axis).
    """
    cfg = cfg.normalised()
    module = build_module(cfg, seed)
    x = make_input(cfg, seed)
    H, Ho, LD, B = cfg.hidden_size, cfg.h_out, cfg.num_layers * cfg.directions, cfg.batch_size
    lstm = cfg.family == "LSTM"
    values: dict[str, torch.Tensor] = {"input": x}
    infos: dict[str, TensorInfo] = {
        "input": TensorInfo("input", tuple(x.shape), _seq_axes(cfg, "input_size"), "the whole batch of sequences")}
    if cfg.is_cell:
        steps = cell_loop(module, x, cfg)
        last = steps[-1]
        values["x_t"] = last["x_t"]
        values["h_0"] = steps[0]["h_prev"]
        if lstm:
            values["c_0"] = steps[0]["c_prev"]
        values["h_t"] = last["h_t"]
        if lstm:
            values["c_t"] = last["c_t"]
        values["outputs"] = torch.stack([s["h_t"] for s in steps], dim=1 if cfg.batch_first else 0)
        two = (("batch", "batch"), ("feat", "input_size"))
        infos["x_t"] = TensorInfo("x_t", tuple(values["x_t"].shape), two, "one time step: every sentence's t-th token")
        for n, what in (("h_0", "zeros to start"), ("c_0", "LSTM cell state, zeros to start"),
                        ("h_t", "hidden state after a step"), ("c_t", "LSTM cell state after a step")):
            if n in values:
                infos[n] = TensorInfo(n, tuple(values[n].shape), (("batch", "batch"), ("feat", "hidden_size")), what)
        infos["outputs"] = TensorInfo("outputs", tuple(values["outputs"].shape), _seq_axes(cfg, "hidden_size"),
                                      "every h_t, stacked by the loop")
        return infos, values
    h_feat = "H_out" if Ho != H else "hidden_size"  # the size of h: projected or not
    h0 = torch.zeros(LD, B, Ho)  # (L*D, B, H_out)
    values["h_0"] = h0
    infos["h_0"] = TensorInfo("h_0", tuple(h0.shape), _state_axes(h_feat),
                              "initial hidden state of every layer and direction")
    if lstm:
        c0 = torch.zeros(LD, B, H)  # (L*D, B, H)
        values["c_0"] = c0
        infos["c_0"] = TensorInfo("c_0", tuple(c0.shape), _state_axes("hidden_size"), "initial cell state")
        output, (h_n, c_n) = module(x, (h0, c0))
    else:
        output, h_n = module(x, h0)
    feat_out = ("directions × " if cfg.directions == 2 else "") + h_feat
    values["output"], values["h_n"] = output, h_n
    infos["output"] = TensorInfo("output", tuple(output.shape), _seq_axes(cfg, feat_out),
                                 "top layer's h_t at every time step")
    infos["h_n"] = TensorInfo("h_n", tuple(h_n.shape), _state_axes(h_feat),
                              "last hidden state of every layer and direction")
    if lstm:
        values["c_n"] = c_n
        infos["c_n"] = TensorInfo("c_n", tuple(c_n.shape), _state_axes("hidden_size"), "last cell state")
    return infos, values


@torch.no_grad()
def cell_loop(cell: nn.Module, x: torch.Tensor, cfg: ShapeConfig) -> list[dict[str, torch.Tensor]]:
    """The seed's hand-written loop: ``for x_t in sequence: h_t = cell(x_t, h_{t-1})``.

    Returns one dict per step with ``x_t (B, I)``, ``h_prev``/``h_t (B, H)`` (and ``c_prev``/``c_t``).
    """
    B, H = cfg.batch_size, cfg.hidden_size
    h = torch.zeros(B, H)  # (B, H)
    c = torch.zeros(B, H) if cfg.family == "LSTM" else None
    steps = []
    for t in range(cfg.seq_len):
        x_t = x[:, t] if cfg.batch_first else x[t]  # (B, I): every sentence's t-th token
        step: dict[str, torch.Tensor] = {"x_t": x_t, "h_prev": h}
        if c is not None:
            step["c_prev"] = c
            h, c = cell(x_t, (h, c))
            step["c_t"] = c
        else:
            h = cell(x_t, h)
        step["h_t"] = h
        steps.append(step)
    return steps


def expected_shapes(cfg: ShapeConfig) -> dict[str, tuple[int, ...]]:
    """The shapes the PyTorch documentation promises, worked out by hand (tests compare with torch)."""
    cfg = cfg.normalised()
    T, B, I, H, Ho = cfg.seq_len, cfg.batch_size, cfg.input_size, cfg.hidden_size, cfg.h_out
    LD, D = cfg.num_layers * cfg.directions, cfg.directions

    def seq(f: int) -> tuple[int, int, int]:
        return (B, T, f) if cfg.batch_first else (T, B, f)

    if cfg.is_cell:
        out = {"input": seq(I), "x_t": (B, I), "h_0": (B, H), "h_t": (B, H), "outputs": seq(H)}
        if cfg.family == "LSTM":
            out.update(c_0=(B, H), c_t=(B, H))
        return out
    out = {"input": seq(I), "h_0": (LD, B, Ho), "output": seq(D * Ho), "h_n": (LD, B, Ho)}
    if cfg.family == "LSTM":
        out.update(c_0=(LD, B, H), c_n=(LD, B, H))
    return out


def fmt_shape(shape: tuple[int, ...]) -> str:
    """``(3, 5, 4)``: the tuple as Python prints it (a 1-tuple keeps its comma)."""
    return str(tuple(int(s) for s in shape))
