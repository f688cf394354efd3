"""Binary numbers as sequences: bits in time order, the operands of the task, the true carry, typed input.

Time runs from the least significant bit: at step ``t`` the network reads bit ``t`` of
``a`` and of ``b`` (bit 0 first) and must output bit ``t`` of ``a + b``. With ``n`` bits
the operands stay below ``2**(n-1)`` so that every sum fits ``n`` bits (8 bits: operands
0-127, as in the notes).
"""

from __future__ import annotations

import re

import numpy as np

EXHAUSTIVE_LIMIT = 16_384  # up to this many operand pairs, "all pairs" really means all of them (8 bits: 128²)
SAMPLE_PAIRS = 4_096  # beyond that, this many seeded random pairs (a score every 500 steps stays cheap at 16 bits)


def max_operand(bits: int) -> int:
    """The largest operand: ``2**(bits-1) - 1`` (8 bits: 127), so that the sum fits ``bits`` bits."""
    return 2 ** (bits - 1) - 1


def to_bits(values: np.ndarray | int, bits: int) -> np.ndarray:
    """Bits of each value in time order, least significant first: ``(..., bits)`` of 0/1 floats."""
    v = np.asarray(values, dtype=np.int64)
    return ((v[..., None] >> np.arange(bits)) & 1).astype(float)  # (..., T)


def from_bits(bits_lsb_first: np.ndarray) -> np.ndarray | int:
    """The integer of bits given least significant first (the last axis is time).

    Probabilities are rounded as the notes' ``np.round`` does: 0.5 goes to 0.
    """
    b = (np.asarray(bits_lsb_first) > 0.5).astype(np.int64)  # np.round, as the notes: 0.5 -> 0
    out = (b << np.arange(b.shape[-1])).sum(axis=-1)  # (...)
    return int(out) if np.ndim(out) == 0 else out


def bit_string(value: int, bits: int) -> str:
    """The notes' way of writing a number: most significant bit first, e.g. ``01101101``."""
    return format(int(value), f"0{bits}b")


def encode(a: np.ndarray | int, b: np.ndarray | int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Network input and target for operand arrays: ``x (T, B, 2)`` and ``y (T, B)``."""
    a, b = np.atleast_1d(a), np.atleast_1d(b)
    x = np.stack([to_bits(a, bits), to_bits(b, bits)], axis=-1)  # (B, T, 2)
    y = to_bits(a + b, bits)  # (B, T)
    return x.transpose(1, 0, 2), y.T  # (T, B, 2), (T, B)


def carries(a: np.ndarray | int, b: np.ndarray | int, bits: int) -> np.ndarray:
    """The carry each column passes on: ``carry[t] = majority(a_t, b_t, carry[t-1])``, shape ``(T, B)``.

    This is what the network must remember from step ``t`` to step ``t + 1``.
    """
    a, b = np.atleast_1d(a).astype(np.int64), np.atleast_1d(b).astype(np.int64)
    out = np.zeros((bits, a.size))
    c = np.zeros(a.size, dtype=np.int64)
    for t in range(bits):
        at, bt = (a >> t) & 1, (b >> t) & 1
        c = (at & bt) | (at & c) | (bt & c)  # (B,)
        out[t] = c
    return out


def all_pairs(bits: int, seed: int = 0, limit: int = EXHAUSTIVE_LIMIT,
              sample: int = SAMPLE_PAIRS) -> tuple[np.ndarray, np.ndarray, bool]:
    """Every operand pair ``(a, b)`` if there are at most ``limit``, else ``sample`` seeded random ones.

    Returns ``(a, b, exhaustive)``; 8 bits gives all 128 x 128 = 16,384 pairs.
    """
    n = max_operand(bits) + 1
    if n * n <= limit:
        a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
        return a.ravel(), b.ravel(), True
    rng = np.random.default_rng([int(seed), 4242])
    return rng.integers(0, n, sample), rng.integers(0, n, sample), False


def probe_pairs(bits: int, count: int = 512, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A fixed seeded sample of operand pairs, used to look for the carry inside the network."""
    rng = np.random.default_rng([int(seed), 777])
    n = max_operand(bits) + 1
    return rng.integers(0, n, count), rng.integers(0, n, count)


class OperandError(ValueError):
    """A typed operand that the network cannot add; the message names the problem."""


_DIGITS = re.compile(r"^\+?\d+$")


def parse_operand(text: str | None, name: str, bits: int = 8) -> int:
    """A typed operand as an int in ``0 .. max_operand(bits)``, or an :class:`OperandError` saying why not."""
    raw = (text or "").strip()
    top = max_operand(bits)
    if not raw:
        raise OperandError(f"Type a whole number from 0 to {top} for {name}.")
    if not _DIGITS.match(raw):
        try:
            number = float(raw.replace(",", "."))
        except ValueError:
            raise OperandError(f"{name} = “{raw}” is not a number: type digits only, like 45.") from None
        if number < 0 or raw.startswith("-"):
            raise OperandError(f"{name} = {raw} is negative: the network adds unsigned binary numbers, "
                               f"from 0 to {top}.")
        raise OperandError(f"{name} = {raw} is not a whole number: each bit stands for 1, 2, 4, 8, …, "
                           "so only whole numbers have bits. Type digits only, like 45.")
    value = int(raw)
    if value > top:
        raise OperandError(f"{name} = {value} is above {top}: with {bits} output bits the operands must stay "
                           f"below {top + 1} ({bits - 1} bits), so that every sum fits {bits} bits.")
    return value


def check_sum(a: int, b: int, bits: int = 8) -> None:
    """Raise an :class:`OperandError` when ``a + b`` needs more than ``bits`` bits."""
    if a + b >= 2 ** bits:
        raise OperandError(f"{a} + {b} = {a + b} needs {(a + b).bit_length()} bits, but the network writes only "
                           f"{bits}: keep each number at most {max_operand(bits)}.")


def parse_pair(text_a: str | None, text_b: str | None, bits: int = 8) -> tuple[int, int]:
    """Both operands, or an :class:`OperandError` naming every problem (one sentence each).

    A number above the limit whose sum with the other would need ``bits + 1`` bits gets
    the sum message, which says exactly that.
    """
    problems, values = [], []
    for text, name in ((text_a, "a"), (text_b, "b")):
        try:
            values.append(parse_operand(text, name, bits))
        except OperandError as err:
            problems.append(str(err))
            values.append(None)
    if len(problems) and all(_DIGITS.match((t or "").strip()) for t in (text_a, text_b)):
        a, b = int((text_a or "").strip()), int((text_b or "").strip())
        if a + b >= 2 ** bits:
            try:
                check_sum(a, b, bits)
            except OperandError as err:
                problems = [str(err)]
    if problems:
        raise OperandError(" ".join(problems))
    return int(values[0]), int(values[1])
