"""The page's tables as rows of text: the three ways side by side, and the loss reductions next to torch's."""

from __future__ import annotations

import numpy as np

from rnnviz.basics.data import COEFFS, mse
from rnnviz.basics.lessons import ALL_REDUCTIONS, LOSS_NAMES, LossExample
from rnnviz.basics.run import BasicsRun
from rnnviz.basics.ways import WAY_NAMES, WAYS


def _fixed(v: float) -> str:
    """Six decimals, rounding noise shown as 0 (no "-0.000000")."""
    text = f"{v:.6f}"
    return "0.000000" if float(text) == 0 else text


def way_rows(run: BasicsRun) -> list[dict[str, str]]:
    """One row per way (its own loss, the loss per point, a..d, distance to the exact answer), then the answer."""
    last = run.history[-1] if run.history else None
    coeffs = run.coefficients()
    rows = []
    for w in WAYS:
        own = "sum" if (w != "linear" and run.reduction == "sum") else "mean"
        row = {"way": WAY_NAMES[w] + (f" ({run.config.optimizer})" if w == "linear" else ""),
               "own loss": f"{last[f'{w}_loss']:.8g} ({own})" if last else "–",
               "MSE": f"{last[f'{w}_mse']:.6g}" if last else "–"}
        row.update({name: _fixed(v) for name, v in zip(COEFFS, coeffs[w])})
        row["max |Δ| to exact"] = f"{np.max(np.abs(coeffs[w] - run.target)):.2e}"
        rows.append(row)
    best = mse(run.target, run.data)
    rows.append({"way": "exact least squares", "own loss": f"{best * run.data.n:.8g} (sum)", "MSE": f"{best:.6g}",
                 **{name: _fixed(v) for name, v in zip(COEFFS, run.target)}, "max |Δ| to exact": "0"})
    return rows


def reduction_rows(ex: LossExample) -> list[dict[str, str]]:
    """L1 and MSE under each reduction: our value and torch's, as text (``none`` gives a vector)."""
    def text(v: np.ndarray | float) -> str:
        return ", ".join(f"{x:g}" for x in np.ravel(v)) if np.ndim(v) else f"{float(v):g}"
    return [{"loss": name, "reduction": red, "ours": text(ex.ours[(name, red)]),
             "torch.nn.functional": text(ex.torch_values[(name, red)])}
            for name in LOSS_NAMES for red in ALL_REDUCTIONS]
