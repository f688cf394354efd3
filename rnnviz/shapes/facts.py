"""Facts about recurrent outputs checked on live tensors, and parameter counting (seed 000 s1.1, s3).

* For one layer and one direction, ``output[-1] == h_n[-1]``: the output is the
  sequence of top-layer hidden states and h_n is its last one.
* With several layers, ``output`` holds only the top layer; h_n holds the last step of every layer.
* Bidirectional: ``output[..., :H]`` is the forward direction (its last state at the last
  step), ``output[..., H:]`` the backward one (its last state at the *first* step);
  ``h_n.view(num_layers, 2, batch, H)[:, 0]`` / ``[:, 1]`` hold their final states.
"""

from __future__ import annotations

import re

import torch
from torch import nn

from rnnviz.core import recurrent
from rnnviz.core.recurrent import cell_facts
from rnnviz.shapes.model import ShapeConfig, build_module, cell_loop, make_input

# The seed's weight-sharing comparison (section 1.1).
SEED_FC = (4096, 1024)  # a fully connected layer: 4096 inputs, 1024 outputs
SEED_CONV = (128, 64, 5)  # a convolution: 128 -> 64 channels, 5x5 kernel


def _diff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float((a - b).abs().max())


def output_facts(cfg: ShapeConfig, values: dict[str, torch.Tensor]) -> list[dict[str, object]]:
    """Compare slices of ``output`` with ``h_n`` for the current settings (full modules only).

    Each row: ``check`` (plain words), ``code`` (the slices compared), ``max |difference|``, ``equal``.
    """
    cfg = cfg.normalised()
    out, h_n = values["output"], values["h_n"]
    L, D, B, Ho = cfg.num_layers, cfg.directions, cfg.batch_size, cfg.h_out
    per_layer = h_n.view(L, D, B, Ho)  # (L, D, B, H_out): split layers from directions
    seq_major = out if not cfg.batch_first else out.transpose(0, 1)  # (T, B, D*H_out)
    last, first = ("output[:, -1]", "output[:, 0]") if cfg.batch_first else ("output[-1]", "output[0]")
    rows: list[dict[str, object]] = []

    def add(check: str, code: str, a: torch.Tensor, b: torch.Tensor) -> None:
        d = _diff(a, b)
        rows.append({"check": check, "code": code, "max |difference|": d, "equal": d < 1e-6})

    fwd_code = f"{last}[:, :{Ho}] vs h_n[{-2 if D == 2 else -1}]" if D == 2 else f"{last} vs h_n[-1]"
    add("The output at the last time step is the top layer's final hidden state"
        + (" (forward half)" if D == 2 else ""), fwd_code, seq_major[-1, :, :Ho], per_layer[-1, 0])
    if D == 2:
        add("The backward half at the FIRST time step is the backward direction's final state",
            f"{first}[:, {Ho}:] vs h_n[-1]", seq_major[0, :, Ho:], per_layer[-1, 1])
        add("... and NOT the backward half at the last time step (the backward pass starts there)",
            f"{last}[:, {Ho}:] vs h_n[-1]", seq_major[-1, :, Ho:], per_layer[-1, 1])
    if L > 1:
        add("Lower layers are not in output: the last step differs from layer 0's final state",
            f"{last}[:, :{Ho}] vs h_n[0]", seq_major[-1, :, :Ho], per_layer[0, 0])
    return rows


@torch.no_grad()
def cell_matches_module(cfg: ShapeConfig, seed: int = 0) -> float:
    """Max |difference| between the hand-written cell loop and the full module with the same weights."""
    cfg = cfg.normalised()
    cell = build_module(cfg, seed)
    full = cell_facts(cfg.family).module(cfg.input_size, cfg.hidden_size, batch_first=cfg.batch_first)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(full, f"{name}_l0").copy_(getattr(cell, name))
    x = make_input(cfg, seed)
    steps = cell_loop(cell, x, cfg)
    output = full(x)[0]
    looped = torch.stack([s["h_t"] for s in steps], dim=1 if cfg.batch_first else 0)  # same layout as output
    return _diff(looped, output)


_NAME = re.compile(r"(weight|bias)_(ih|hh|hr)(?:_l(\d+))?(_reverse)?$")


def param_rows(cfg: ShapeConfig, module: nn.Module) -> list[dict[str, object]]:
    """Every parameter: name, shape, count, and what its rows are."""
    cfg = cfg.normalised()
    facts = cell_facts(cfg.family)
    G, gates = facts.blocks, ", ".join(facts.gates)
    rows = []
    for name, p in module.named_parameters():
        m = _NAME.match(name)
        kind, which, layer, rev = m.groups() if m else ("", "", None, None)
        where = ("" if layer is None else f"layer {layer}") + (", backward" if rev else "")
        stacked = f"{G} gates ({gates}) × {cfg.hidden_size} stacked" if G > 1 else f"{cfg.hidden_size}"
        if which == "hr":
            meaning = f"projection h: {cfg.hidden_size} -> {cfg.proj_size}"
        elif kind == "weight":
            src = "input" if which == "ih" else "previous hidden state"
            meaning = f"{stacked} rows, one column per {src} number"
        else:
            meaning = f"{stacked} biases ({'input' if which == 'ih' else 'hidden'} side)"
        rows.append({"parameter": name, "shape": str(tuple(p.shape)), "count": p.numel(),
                     "where": where or "the cell", "what": meaning})
    return rows


def param_total(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def param_formula(cfg: ShapeConfig) -> int:
    """The count worked out by hand: per layer and direction G·H·(in + H_out) + 2·G·H (+ H_out·H projection)."""
    cfg = cfg.normalised()
    return recurrent.param_count(cfg.family, cfg.input_size, cfg.hidden_size, cfg.num_layers, cfg.bidirectional,
                                 proj_size=cfg.proj_size)


def dense_params(seq_len: int, input_size: int, hidden_size: int) -> int:
    """A fully connected layer from the flattened sequence (T·I numbers) to every hidden state (T·H numbers).

    It produces as many numbers as the RNN's output, but has a separate weight for every
    (input step, output step) pair: (T·I)·(T·H) weights + T·H biases, growing with T².
    """
    n_in, n_out = seq_len * input_size, seq_len * hidden_size
    return n_in * n_out + n_out


def seed_comparison() -> dict[str, int]:
    """The seed's numbers: a 4096x1024 fully connected layer and a 5x5 convolution 128 -> 64 channels."""
    (fc_in, fc_out), (c_in, c_out, k) = SEED_FC, SEED_CONV
    return {"fully connected 4096 × 1024": fc_in * fc_out, "convolution 5×5, 128 -> 64 channels": k * k * c_in * c_out}
