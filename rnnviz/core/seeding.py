"""Deterministic, session-safe randomness.

Streamlit serves every user from threads of one process, so the global torch RNG
is shared. Model construction (whose default initialisers draw from that global
RNG) therefore happens under a lock, inside ``torch.random.fork_rng`` with a
fixed seed: the same seed always builds the same weights, and no session can
disturb another's draws. Everything random after construction uses an explicit
``torch.Generator`` or ``numpy.random.Generator``.
"""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

import numpy as np
import torch

T = TypeVar("T")
_lock = threading.Lock()


def seeded(seed: int, build: Callable[[], T]) -> T:
    """Call ``build()`` with the global torch RNG seeded to ``seed``, then restore it."""
    with _lock, torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        return build()


def torch_generator(seed: int) -> torch.Generator:
    """A private CPU generator seeded with ``seed``."""
    g = torch.Generator()
    g.manual_seed(int(seed))
    return g


def numpy_generator(seed: int) -> np.random.Generator:
    """A private NumPy generator seeded with ``seed``."""
    return np.random.default_rng(int(seed))
