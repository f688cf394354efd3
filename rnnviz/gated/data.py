"""The two tasks of the gated page, as sequence-classification data.

* **Digits, row by row** (seed 001): the 1797 8x8 handwritten digits of UCI optdigits
  (``assets/digits.npz``, made by ``tools/make_digits.py``). Each image is read as a
  sequence of 8 rows of 8 pixels (intensities 0..16 scaled to 0..1); the class is the
  digit. A fixed split: 360 test images, 1437 training images.
* **Long-range memory**: the first symbol is one of the letters A, B, C, D; then come
  ``length`` random distractor digits 1..8. The class is the first letter, so the
  network must carry it across every distractor. Symbols are one-hot (12 inputs).

Training batches are drawn by a ``numpy.random.Generator`` passed in by the caller;
all three models of a run receive the very same batch at every step.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch

from rnnviz.core.paths import ASSETS

ASSET = ASSETS / "digits.npz"
DIGITS_TEST = 360  # images held out for testing (about 20 %)
SPLIT_SEED = 0  # the train/test split is fixed, whatever the page's seed
LETTERS: tuple[str, ...] = ("A", "B", "C", "D")  # the symbols to remember (the classes)
DISTRACTORS: tuple[str, ...] = tuple(str(d) for d in range(1, 9))  # the symbols to ignore
SYMBOLS: tuple[str, ...] = LETTERS + DISTRACTORS  # one-hot order of the long-range inputs
LONG_TEST = 500  # fixed test sequences of the long-range task


@lru_cache(maxsize=1)
def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """All 1797 images (N, 8, 8) as float32 in [0, 1] and labels (N,) int64 (read-only arrays)."""
    with np.load(ASSET) as f:
        images = f["images"].astype(np.float32) / 16.0  # (1797, 8, 8)
        labels = f["labels"].astype(np.int64)  # (1797,)
    images.flags.writeable = False
    labels.flags.writeable = False
    return images, labels


def digits_split() -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train, test)`` of the fixed split (a permutation drawn with ``SPLIT_SEED``)."""
    perm = np.random.default_rng(SPLIT_SEED).permutation(len(load_digits()[1]))
    return perm[DIGITS_TEST:], perm[:DIGITS_TEST]


def long_range_sequences(rng: np.random.Generator, n: int, length: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` symbol sequences (n, 1 + length) of indices into ``SYMBOLS`` and their classes (n,).

    Position 0 holds a letter (class 0..3); positions 1..length hold distractor digits.
    """
    first = rng.integers(0, len(LETTERS), n)  # (n,)
    rest = rng.integers(len(LETTERS), len(SYMBOLS), (n, length))  # (n, length)
    return np.concatenate([first[:, None], rest], axis=1), first


def one_hot(seq: np.ndarray) -> np.ndarray:
    """Symbol indices (n, T) -> one-hot float32 (n, T, len(SYMBOLS))."""
    return np.eye(len(SYMBOLS), dtype=np.float32)[seq]  # (n, T, 12)


@dataclass(frozen=True)
class TaskSpec:
    """What a task looks like to a model."""

    name: str  # "digits" or "long_range"
    input_size: int  # numbers per time step
    seq_len: int  # time steps per sequence
    n_classes: int  # classes to tell apart
    class_names: tuple[str, ...]  # how the page names each class


class TaskData:
    """A task's fixed test set and its stream of training batches.

    ``batch(rng, B)`` draws ``B`` training examples ``(x (B, T, I), y (B,))``:
    digits are sampled with replacement from the training images; long-range
    sequences are freshly generated (an endless supply, never the test sequences'
    generator).
    """

    def __init__(self, task: str, length: int = 40, seed: int = 0) -> None:
        if task == "digits":
            images, labels = load_digits()
            train, test = digits_split()
            self.spec = TaskSpec("digits", 8, 8, 10, tuple(str(d) for d in range(10)))
            self.x_train = torch.from_numpy(images[train].copy())  # (1437, 8, 8): 8 rows of 8 pixels
            self.y_train = torch.from_numpy(labels[train].copy())  # (1437,)
            self.x_test = torch.from_numpy(images[test].copy())  # (360, 8, 8)
            self.y_test = torch.from_numpy(labels[test].copy())  # (360,)
            self.test_symbols: np.ndarray | None = None
        elif task == "long_range":
            if not 1 <= int(length) <= 200:
                raise ValueError(f"The sequence length must be between 1 and 200, not {length}.")
            self.spec = TaskSpec("long_range", len(SYMBOLS), 1 + int(length), len(LETTERS), LETTERS)
            seq, y = long_range_sequences(np.random.default_rng([seed, 1]), LONG_TEST, int(length))
            self.test_symbols = seq  # (500, 1 + length) symbol indices, for display
            self.x_test = torch.from_numpy(one_hot(seq))  # (500, 1 + length, 12)
            self.y_test = torch.from_numpy(y)  # (500,)
            self.length = int(length)
        else:
            raise ValueError(f"unknown task {task!r}; choose 'digits' or 'long_range'")

    def batch(self, rng: np.random.Generator, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
        """One training batch ``(x (B, T, I), y (B,))`` drawn with ``rng``."""
        if self.spec.name == "digits":
            idx = torch.from_numpy(rng.integers(0, len(self.y_train), batch_size))  # (B,)
            return self.x_train[idx], self.y_train[idx]
        seq, y = long_range_sequences(rng, batch_size, self.length)
        return torch.from_numpy(one_hot(seq)), torch.from_numpy(y)

    def describe(self, index: int) -> str:
        """A test example in words (long-range: its symbols; digits: its label)."""
        if self.test_symbols is None:
            return f"test image #{index}, a handwritten {int(self.y_test[index])}"
        return " ".join(SYMBOLS[s] for s in self.test_symbols[index])
