"""Sampling from a character model, one character at a time, for either engine.

An engine exposes a *stepper*: ``step(state, inputs (B,)) -> (logits (B, V), state)``.
Sampling feeds the start input, turns the logits into probabilities

    p = softmax(logits / temperature)   (only the top-k kept when top_k > 0)

draws the next character (or takes the most likely one when greedy), feeds it back,
and stops a name at the newline or after ``max_len`` characters, as the seed does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from rnnviz.core.seeding import numpy_generator

Stepper = Callable[[Any, np.ndarray], tuple[np.ndarray, Any]]


@dataclass(frozen=True)
class SampleSettings:
    """How to turn the model's next-character distribution into names."""

    temperature: float = 1.0  # < 1 sharper (safer, more repetitive), > 1 flatter (wilder)
    top_k: int = 0  # keep only the k most likely characters; 0 keeps all
    greedy: bool = False  # always take the most likely character (every name is the same)
    n: int = 7  # number of names (the seed prints 7)
    seed: int = 0  # seed of the draws
    max_len: int = 50  # a name stops after this many characters (the seed's limit)


def probabilities(logits: np.ndarray, temperature: float = 1.0, top_k: int = 0) -> np.ndarray:
    """Row-wise softmax of ``logits / temperature`` with all but the top-k set to 0; rows sum to 1."""
    z = np.asarray(logits, dtype=np.float64) / max(float(temperature), 1e-6)
    if 0 < top_k < z.shape[-1]:
        kth = np.sort(z, axis=-1)[..., -top_k][..., None]
        z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def sample_ids(step: Stepper, state: Any, start: int, settings: SampleSettings) -> list[list[int]]:
    """Sample ``settings.n`` sequences in parallel; each list ends before its newline (index 0)."""
    g = numpy_generator(settings.seed)
    n = settings.n
    inputs = np.full(n, start, dtype=np.int64)
    out: list[list[int]] = [[] for _ in range(n)]
    done = np.zeros(n, dtype=bool)
    for _ in range(settings.max_len):
        logits, state = step(state, inputs)
        if settings.greedy:
            nxt = np.argmax(logits, axis=1)
        else:
            p = probabilities(logits, settings.temperature, settings.top_k)  # (n, V)
            u = g.random(n)[:, None]
            nxt = np.minimum((np.cumsum(p, axis=1) < u).sum(axis=1), p.shape[1] - 1)  # inverse CDF draw
        for i in np.flatnonzero(~done):
            if nxt[i] == 0:
                done[i] = True
            else:
                out[i].append(int(nxt[i]))
        if done.all():
            break
        inputs = nxt.astype(np.int64)
    return out


def softmax_rows(logits: np.ndarray) -> np.ndarray:
    return probabilities(logits, 1.0, 0)
