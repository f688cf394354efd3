"""The stepper's text: one time step of an addition, by hand and inside the network, with its numbers."""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.binary.model import AdditionTrace


@dataclass(frozen=True)
class StepView:
    """What the stepper shows for step ``t`` (1-based) of an addition."""

    heading: str  # markdown: which bit this step reads
    by_hand: str  # markdown: the school algorithm for this column
    equations: list[str]  # LaTeX lines with the numbers of this step, aligned at "&="

    @property
    def latex(self) -> str:
        """The equations as one aligned LaTeX block."""
        return r"\begin{aligned}" + r" \\ ".join(self.equations) + r"\end{aligned}"
    hidden_row: str  # the whole h_t, one number per unit
    verdict: str  # markdown: the predicted bit against the target


def _n(v: float) -> str:
    """A number for LaTeX, 3 decimals."""
    return f"{v:.3f}"


def _p(v: float) -> str:
    """A number that follows an operator: negative ones in parentheses."""
    return f"({v:.3f})" if v < 0 else f"{v:.3f}"


def step_view(tr: AdditionTrace, t: int, unit: int) -> StepView:
    """The numbers of step ``t`` (1..T) of ``tr``, following hidden unit ``unit`` through the sums."""
    if not 1 <= t <= tr.bits:
        raise ValueError(f"step must be between 1 and {tr.bits}")
    i = t - 1
    a_i, b_i = int(tr.x[i, 0]), int(tr.x[i, 1])
    carry_in = 0
    for k in range(i):  # the carry arriving at column i, by hand
        carry_in = (int(tr.x[k, 0]) + int(tr.x[k, 1]) + carry_in) // 2
    total = a_i + b_i + carry_in
    W = tr.weights
    j = int(unit)
    h_part = float(tr.z_h[i, j] - tr.from_input[i, j])
    heading = (f"**Step t = {t}** reads bit {i} (worth {2 ** i}) of each number: "
               f"$x_{{{t}}}$ = [a bit, b bit] = [{a_i}, {b_i}]"
               + (", and the state starts at $h_0 = 0$." if t == 1 else "."))
    by_hand = (f"By hand: {a_i} + {b_i} + carry {carry_in} = {total} → write **{total % 2}**, carry "
               f"**{total // 2}** to the next column.")
    inputs = rf"{a_i}\cdot{_p(W.W_ih[0, j])} + {b_i}\cdot{_p(W.W_ih[1, j])}"
    equations = [  # aligned at "&=": shown as one block
        rf"z_{{{t}}}[{j}] &= x_{{{t}}} W_{{ih}}[:,{j}] + h_{{{t - 1}}} W_{{hh}}[:,{j}]",
        rf"&= {inputs} + {_p(h_part)} = {_n(float(tr.z_h[i, j]))}",
        rf"h_{{{t}}}[{j}] &= \sigma(z_{{{t}}}[{j}]) = \sigma({_n(float(tr.z_h[i, j]))}) = {_n(float(tr.h[t, j]))}",
        rf"p_{{{t}}} &= \sigma(h_{{{t}}} W_{{ho}}) = \sigma({_n(float(tr.z_o[i]))}) = {_n(float(tr.p[i]))}",
    ]
    hidden_row = "  ".join(f"{k}:{v:.2f}" for k, v in enumerate(tr.h[t]))
    bit, target = int(tr.predicted_bits[i]), int(tr.y[i])
    mark = "right ✓" if bit == target else "wrong ✗"
    verdict = (f"$p_{{{t}}}$ = {tr.p[i]:.3f} rounds to **{bit}**; the target bit is **{target}**: {mark}. "
               f"The memory term $h_{{{t - 1}}} W_{{hh}}[:,{j}]$ = {h_part:+.3f} is all that step {t} knows about "
               "the columns to the right: the carry, if the network keeps one, must be in there.")
    return StepView(heading=heading, by_hand=by_hand, equations=equations, hidden_row=hidden_row, verdict=verdict)
