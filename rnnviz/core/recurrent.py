"""The facts about PyTorch's three recurrent cells, stated once: classes, gate order, parameter count.

PyTorch stacks the gate weights of one layer (and direction) in a single matrix, one
block of ``hidden_size`` rows per gate, in this order:

* ``nn.LSTM``: ``[i, f, g, o]``: ``weight_ih_l0`` (4H, I), ``weight_hh_l0`` (4H, H), biases (4H,);
* ``nn.GRU``: ``[r, z, n]``: ``weight_ih_l0`` (3H, I), ``weight_hh_l0`` (3H, H), biases (3H,);
* ``nn.RNN``: one block, h itself: (H, I), (H, H), (H,).

So one layer and direction has ``G·H·(in + H_out) + 2·G·H`` parameters (G blocks of
``W_ih``, ``W_hh``, ``b_ih``, ``b_hh``), plus ``H_out·H`` for an LSTM's projection.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn


@dataclass(frozen=True)
class CellFacts:
    """One recurrent cell kind as PyTorch builds it."""

    name: str  # "RNN", "LSTM" or "GRU": the module's class name
    module: type[nn.Module]  # the layer over a whole sequence: nn.RNN / nn.LSTM / nn.GRU
    cell: type[nn.Module]  # the one-time-step cell: nn.RNNCell / nn.LSTMCell / nn.GRUCell
    gates: tuple[str, ...]  # gate blocks in PyTorch's row order of weight_ih/weight_hh (empty: one block, h)
    states: tuple[str, ...]  # what a step carries to the next one: ("h",), or ("c", "h") for the LSTM

    @property
    def blocks(self) -> int:
        """G: the blocks of ``hidden_size`` rows stacked in each weight matrix and bias."""
        return max(len(self.gates), 1)

    def gate_rows(self, gate: str, hidden_size: int) -> slice:
        """The rows of ``weight_ih``/``weight_hh``/biases that belong to ``gate`` (e.g. the LSTM's ``f``)."""
        k = self.gates.index(gate)
        return slice(k * hidden_size, (k + 1) * hidden_size)


CELLS: dict[str, CellFacts] = {
    "RNN": CellFacts("RNN", nn.RNN, nn.RNNCell, (), ("h",)),
    "LSTM": CellFacts("LSTM", nn.LSTM, nn.LSTMCell, ("i", "f", "g", "o"), ("c", "h")),
    "GRU": CellFacts("GRU", nn.GRU, nn.GRUCell, ("r", "z", "n"), ("h",)),
}


def cell_facts(kind: str) -> CellFacts:
    """The facts of ``kind``, spelt any way the pages spell it: ``"lstm"``, ``"LSTM"`` or ``"LSTMCell"``."""
    key = kind.upper().removesuffix("CELL")
    if key not in CELLS:
        raise ValueError(f"unknown cell {kind!r}; choose one of {', '.join(CELLS)}")
    return CELLS[key]


def param_count(kind: str, input_size: int, hidden_size: int, num_layers: int = 1, bidirectional: bool = False,
                bias: bool = True, proj_size: int = 0) -> int:
    """Parameters of ``nn.<kind>(input_size, hidden_size, ...)``: what ``sum(p.numel())`` reports.

    Per layer and direction: ``G·H·(in + H_out)`` weights, ``2·G·H`` biases and (LSTM with
    ``proj_size``) an ``H_out·H`` projection, where ``in`` is ``input_size`` for layer 0 and
    ``D·H_out`` above it. A cell (``nn.LSTMCell`` ...) has the count of one layer, one direction.
    """
    facts = cell_facts(kind)
    if proj_size and (facts.name != "LSTM" or not 0 < proj_size < hidden_size):
        raise ValueError("proj_size is for an LSTM only, and must be smaller than hidden_size")
    G, H, D = facts.blocks, hidden_size, 2 if bidirectional else 1
    H_out = proj_size or hidden_size
    total = 0
    for layer in range(num_layers):
        fan_in = input_size if layer == 0 else D * H_out
        per_direction = G * H * (fan_in + H_out) + (2 * G * H if bias else 0) + (H_out * H if proj_size else 0)
        total += D * per_direction
    return total
