"""One step of the autograd loop, opened up: the code of each move, and its numbers.

Pure text: the page passes an :class:`~rnnviz.basics.lessons.OpenedStep` and gets LaTeX lines
(formulas with the actual numbers written in) and small tables.
"""

from __future__ import annotations

import numpy as np

from rnnviz.basics.data import COEFFS
from rnnviz.basics.lessons import SAMPLE_INDICES, OpenedStep

# The notes' autograd loop (way 2), one block per move.
LOOP: tuple[tuple[str, ...], ...] = (
    ("y_pred = a + b * x + c * x**2 + d * x**3",),
    ("loss = torch.square(y_pred - y).sum()",),
    ("loss.backward()",),
    ("with torch.no_grad():", "    a -= learning_rate * a.grad", "    ...  # b, c, d alike"),
    ("a.grad = None", "...  # b, c, d alike"),
)
POWER = {0: "", 1: r"\,x_i", 2: r"\,x_i^2", 3: r"\,x_i^3"}


def num(v: float, digits: int = 5) -> str:
    """A number for LaTeX: 0.51234, -1.2346 \\times 10^{-6}, 2.0347 \\times 10^{4}."""
    v = float(v)
    if not np.isfinite(v):
        return r"\infty" if v > 0 else (r"-\infty" if v < 0 else r"\text{NaN}")
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e4:
        return f"{v:.{digits}g}"
    mantissa, exponent = f"{v:.{digits - 1}e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = rf"10^{{{int(exponent)}}}"
    return power if mantissa == "1" else (f"-{power}" if mantissa == "-1" else rf"{mantissa} \times {power}")


def paren(v: float) -> str:
    """A number in parentheses when negative (for products)."""
    s = num(v)
    return f"({s})" if float(v) < 0 else s


def move_code(move: int, reduction: str = "sum", forget: bool = False) -> str:
    """The notes' lines for one move of the loop (``forget``: the zeroing lines commented out)."""
    lines = list(LOOP[move])
    if move == 1 and reduction == "mean":
        lines = [line.replace(".sum()", ".mean()") for line in lines]
    if move == 4 and forget:
        lines = ["# a.grad = None   <- forgotten: .grad keeps every gradient so far", "# ...  # b, c, d alike"]
    return "\n".join(lines)


def forward_rows(step: OpenedStep) -> list[dict[str, float]]:
    """Five of the points: x_i, y_i = sin(x_i), y_pred_i and the error (rounded for the table)."""
    def r(v: float) -> float:
        return round(float(v), 4) + 0.0  # + 0.0: no "-0.0"
    return [{"i": i + 1, "x_i": r(step.x[i]), "y_i = sin(x_i)": r(step.y[i]), "y_pred_i": r(step.y_pred[i]),
             "y_pred_i - y_i": r(step.y_pred[i] - step.y[i])} for i in SAMPLE_INDICES]


def _tidy(v: float) -> float:
    """Rounding noise (|v| < 1e-12, such as sin(-pi) = -1.2e-16) shown as 0."""
    return 0.0 if abs(float(v)) < 1e-12 else float(v)


def _signed(v: float, suffix: str = "") -> str:
    """`` + 0.7 x`` or `` - 0.03 x``: a term of a sum with its sign written as an operator."""
    return (" - " if float(v) < 0 else " + ") + num(abs(float(v))) + suffix


def _aligned(rows: list[str]) -> str:
    return r"\begin{aligned}" + r" \\ ".join(rows) + r"\end{aligned}"


def move_latex(step: OpenedStep, move: int) -> list[str]:
    """The LaTeX of one move, numbers included; sums run over i = 1..N, the first two terms written out."""
    e = step.y_pred - step.y  # (N,)
    n = step.n
    mean = step.reduction == "mean"
    total = rf"\tfrac{{1}}{{{n}}}\textstyle\sum_{{i=1}}^{{{n}}}" if mean else rf"\textstyle\sum_{{i=1}}^{{{n}}}"
    if move == 0:
        c = step.coeffs
        return [_aligned([r"\hat y_i &= a + b\,x_i + c\,x_i^2 + d\,x_i^3",
                          "&= " + num(c[0]) + _signed(c[1], r"\,x_i") + _signed(c[2], r"\,x_i^2")
                          + _signed(c[3], r"\,x_i^3"),
                          (rf"\hat y_1 &= {num(step.y_pred[0])} \quad (x_1 = {num(step.x[0])},\; "
                           rf"y_1 = \sin x_1 = {num(_tidy(step.y[0]))})")])]
    if move == 1:
        first = rf"{paren(e[0])}^2 + {paren(e[1])}^2 + \dots"
        return [_aligned([rf"L &= {total} (\hat y_i - y_i)^2",
                          "&= " + (rf"\tfrac{{1}}{{{n}}}\big({first}\big)" if mean else first),
                          rf"&= {num(step.loss)}"])]
    if move == 2:
        scale = rf"\tfrac{{2}}{{{n}}}" if mean else "2"
        rows = []
        for k, name in enumerate(COEFFS):
            terms = " + ".join(rf"{scale}({num(e[i], 3)})" + (rf"({num(step.x[i] ** k, 3)})" if k else "")
                               for i in range(2))
            rows.append(rf"\partial L / \partial {name} &= {total} {scale}(\hat y_i - y_i){POWER[k]}")
            rows.append(rf"&= {terms} + \dots = {num(step.fresh[k])}")
        out = [_aligned(rows)]
        if step.grad_before.any():
            out.append(_aligned([r"&\text{.grad was not zeroed, so backward() adds:}"] + [
                rf"{name}.\text{{grad}} &= {num(step.grad_before[k])} + {paren(step.fresh[k])} = "
                rf"{num(step.grad_used[k])}" for k, name in enumerate(COEFFS)]))
        return out
    if move == 3:
        rows = [r"p &\leftarrow p - \eta\;p.\text{grad} \quad \text{for } p = a, b, c, d"]
        for k, name in enumerate(COEFFS):
            g = num(step.grad_used[k])
            rows.append(rf"{name} &\leftarrow {num(step.coeffs[k], 7)} - {num(step.lr)} \times "
                        rf"{'(' + g + ')' if step.grad_used[k] < 0 else g} = {num(step.after[k], 7)}")
        return [_aligned(rows)]
    if step.forget:
        return [_aligned([r"&\text{.grad is NOT zeroed: it keeps}"] + [
                    rf"{name}.\text{{grad}} &= {num(step.grad_used[k])}" for k, name in enumerate(COEFFS)]
                 + [r"&\text{and the next backward() adds the next gradient to it}"])]
    return [_aligned([r"a.\text{grad} = b.\text{grad} = c.\text{grad} = d.\text{grad} &= \text{None}",
                      r"&\text{so the next backward() starts from zero}"])]
