"""Where the carry lives: which hidden units track the carry, found by correlation over many additions.

Nobody tells the network about carries. In a column with exactly one 1 (1 + 0 or 0 + 1) the
carry passes straight through: the carry out equals the carry in, which depends only on the
columns to the right. The current bits say nothing about it, so a network that adds those
columns right must *remember* it in its hidden state. We run many additions, take every such
*memory column*, pair its hidden state h_t with the true carry and measure each unit's Pearson
correlation with it. (Over all columns the carry is also predictable from the current bits alone,
1 + 1 always carries, so even an untrained network correlates with it there.) A linear read-out,
least squares on all units, says how much of the carry the state holds in total.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.binary.data import carries, encode
from rnnviz.binary.model import Weights, forward


@dataclass(frozen=True)
class CarryReport:
    """The carry search on one set of weights."""

    correlations: np.ndarray  # (H,) correlation of each unit's h_t with the carry over the memory columns
    correlations_all: np.ndarray  # (H,) the same over every column
    ranked: tuple[int, ...]  # units by |correlation| over the memory columns, strongest first
    readout_accuracy: float  # fraction of memory columns whose carry a linear read-out of h_t gets right
    hidden: np.ndarray  # (T, N, H) hidden states h_1..h_T of the probe additions
    carry: np.ndarray  # (T, N) the true carry each column passes on
    memory: np.ndarray  # (T, N) True where exactly one operand bit is 1 (the carry must be remembered)

    @property
    def best_unit(self) -> int:
        return self.ranked[0]

    @property
    def best_correlation(self) -> float:
        """Signed correlation of the best unit (negative: the unit is *low* when there is a carry)."""
        return float(self.correlations[self.best_unit])


def unit_correlations(hidden: np.ndarray, carry: np.ndarray) -> np.ndarray:
    """Pearson correlation of every unit with the carry over the given columns: ``(..., H)``, ``(...)`` -> ``(H,)``.

    A unit (or a carry) that never changes over the columns gets 0.
    """
    h = hidden.reshape(-1, hidden.shape[-1])  # (columns, H)
    c = carry.reshape(-1)  # (columns,)
    hc, cc = h - h.mean(axis=0), c - c.mean()
    denom = np.sqrt((hc ** 2).sum(axis=0) * (cc ** 2).sum())  # (H,)
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (hc * cc[:, None]).sum(axis=0) / denom
    return np.nan_to_num(r, nan=0.0, posinf=0.0, neginf=0.0)


def readout_accuracy(hidden: np.ndarray, carry: np.ndarray) -> float:
    """Fit carry ≈ h w + c by least squares over the given columns; the fraction the fit gets right at 0.5."""
    h = hidden.reshape(-1, hidden.shape[-1])  # (columns, H)
    design = np.hstack([h, np.ones((len(h), 1))])  # (columns, H+1)
    c = carry.reshape(-1)  # (columns,)
    # normal equations, summed slice by slice: one big product would wake OpenBLAS's threads (slow on a busy machine)
    gram = sum(d.T @ d for d in np.array_split(design, max(1, len(design) // 1024)))  # (H+1, H+1)
    w = np.linalg.solve(gram + 1e-9 * np.eye(design.shape[1]), design.T @ c)  # (H+1,)
    return float(((design @ w >= 0.5) == (c >= 0.5)).mean())


def find_carry(W: Weights, a: np.ndarray, b: np.ndarray, bits: int) -> CarryReport:
    """Run the probe additions ``a + b`` and rank the hidden units by how closely they follow the carry."""
    x, _ = encode(a, b, bits)  # (T, N, 2)
    _, h = forward(W, x)  # (T+1, N, H)
    hidden = h[1:]  # (T, N, H): the state each column hands to the next
    carry = carries(a, b, bits)  # (T, N)
    memory = x[..., 0] != x[..., 1]  # (T, N): 1 + 0 or 0 + 1, the carry passes through
    r = unit_correlations(hidden[memory], carry[memory])  # (H,)
    ranked = tuple(int(i) for i in np.argsort(-np.abs(r), kind="stable"))
    return CarryReport(correlations=r, correlations_all=unit_correlations(hidden, carry), ranked=ranked,
                       readout_accuracy=readout_accuracy(hidden[memory], carry[memory]), hidden=hidden,
                       carry=carry, memory=memory)
