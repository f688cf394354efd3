"""Predict-then-reveal for the binary-addition page: does the network, as it is now, add 45 + 64 right?

The answer runs the live weights on the two operands (:func:`rnnviz.binary.model.trace`) and shows the
predicted bits next to the true ones. No Streamlit here.
"""

from __future__ import annotations

import numpy as np

from rnnviz.binary.data import bit_string, max_operand
from rnnviz.binary.model import Weights, trace

OPTIONS = ("Yes", "No")


def quiz_operands(bits: int) -> tuple[int, int]:
    """45 + 64 (the page's example), clipped to the operands this many bits allow."""
    top = max_operand(bits)
    return min(45, top), min(64, top)


def addition_answer(W: Weights, a: int, b: int, bits: int, step: int) -> tuple[str, str]:
    """("Yes" or "No", why): the network's bits for ``a + b`` against the true ones, with its closest call."""
    tr = trace(W, a, b, bits)
    predicted = "".join(str(int(v)) for v in tr.predicted_bits[::-1])  # most significant bit first
    true = bit_string(a + b, bits)
    wrong = [bits - 1 - i for i, (p, t) in enumerate(zip(predicted, true)) if p != t]  # bit positions (2^k)
    close = int(np.argmin(np.abs(tr.p - 0.5)))  # the output bit nearest to 0.5
    verdict = ("all bits right" if not wrong else
               f"{len(wrong)} of {bits} bits wrong: " + ", ".join(f"2^{k}" for k in sorted(wrong)))
    why = (f"With the weights of step {step:,} the network reads {a} + {b} one column per time step, least "
           f"significant bit first, and answers\n\n"
           f"| | bits (most significant first) | value |\n|---|---|---|\n"
           f"| network | `{predicted}` | {tr.predicted} |\n| true sum | `{true}` | {a + b} |\n\n"
           f"{verdict.capitalize()}. Its closest call is bit 2^{close}: output {tr.p[close]:.3f} (rounded at 0.5). "
           + ("Press Train and ask again: the answer changes as it learns." if wrong else
              "Untrained weights almost never get every bit right; this network has learned to add."))
    return ("Yes" if tr.correct else "No"), why
