"""The page's lessons that need no live run: reductions of L1 and MSE, one step opened up, learning-rate sweeps.

* :func:`loss_example`: per-element L1 and squared errors, reduced by ``none`` / ``mean`` / ``sum``,
  next to what ``torch.nn.functional.l1_loss`` / ``mse_loss`` return;
* :func:`open_step`: the five moves of the notes' loop (forward, loss, backward, update, zero the
  gradient) for given coefficients, with every number the page writes into the formulas;
* :func:`descent_curves`: plain gradient descent from one start at many learning rates at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from rnnviz.basics.data import FitData

LOSS_NAMES: tuple[str, ...] = ("L1", "MSE")
ALL_REDUCTIONS: tuple[str, ...] = ("none", "mean", "sum")
SEED_EXAMPLE = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 5.0]])  # the notes' y_pred = [1, 2, 3], y = [1, 2, 5]
MOVES: tuple[str, ...] = ("Forward", "Loss", "Backward", "Update", "Zero the gradient")
SAMPLE_INDICES: tuple[int, ...] = (0, 500, 1000, 1500, 1999)  # the points the forward move shows


def reduce(values: np.ndarray, reduction: str) -> np.ndarray | float:
    """``none``: the per-element values; ``mean``: their average; ``sum``: their total."""
    if reduction == "none":
        return np.asarray(values, dtype=float)
    return float(np.mean(values)) if reduction == "mean" else float(np.sum(values))


@dataclass(frozen=True)
class LossExample:
    """L1 and MSE of one small example under the three reductions, ours and torch's."""

    y_pred: np.ndarray  # (n,)
    y: np.ndarray  # (n,)
    per_element: dict[str, np.ndarray]  # "L1": |y_pred - y|, "MSE": (y_pred - y)^2, each (n,)
    ours: dict[tuple[str, str], np.ndarray | float]  # (loss, reduction) -> value
    torch_values: dict[tuple[str, str], np.ndarray | float]  # the same from torch.nn.functional
    max_difference: float  # largest |ours - torch| over everything


def loss_example(y_pred: np.ndarray, y: np.ndarray) -> LossExample:
    """Compute both losses with every reduction, by hand and with ``F.l1_loss`` / ``F.mse_loss`` (float64)."""
    p, t = np.asarray(y_pred, dtype=float).ravel(), np.asarray(y, dtype=float).ravel()
    if p.shape != t.shape or p.size == 0:
        raise ValueError("y_pred and y need the same, non-zero number of elements")
    per = {"L1": np.abs(p - t), "MSE": np.square(p - t)}
    pt, tt = torch.from_numpy(p.copy()), torch.from_numpy(t.copy())
    fns = {"L1": F.l1_loss, "MSE": F.mse_loss}
    ours, theirs, worst = {}, {}, 0.0
    for name in LOSS_NAMES:
        for red in ALL_REDUCTIONS:
            mine = reduce(per[name], red)
            value = fns[name](pt, tt, reduction=red).numpy()
            theirs[(name, red)] = value.copy() if red == "none" else float(value)
            ours[(name, red)] = mine
            worst = max(worst, float(np.max(np.abs(np.asarray(mine) - value))))
    return LossExample(p, t, per, ours, theirs, worst)


@dataclass(frozen=True)
class OpenedStep:
    """One step of the autograd loop (way 2), every number of it; sums run over all N points."""

    coeffs: np.ndarray  # a, b, c, d before the step
    lr: float  # learning rate
    reduction: str  # "sum" (the notes) or "mean"
    forget: bool  # .grad is not zeroed at the end of the step
    n: int  # number of points
    x: np.ndarray  # (N,) the points
    y: np.ndarray  # (N,) sin(x)
    y_pred: np.ndarray  # (N,) move 1: a + b x + c x^2 + d x^3
    loss: float  # move 2: sum (or mean) of (y_pred - y)^2
    fresh: np.ndarray  # move 3: dL/da..dL/dd of this step's loss (4,)
    grad_before: np.ndarray  # .grad before backward(): zeros when it was zeroed (4,)
    grad_used: np.ndarray  # .grad after backward() = grad_before + fresh: what the update uses (4,)
    after: np.ndarray  # move 4: coeffs - lr * grad_used (4,)
    grad_next: np.ndarray  # move 5: .grad the next backward() adds to: zeros, or grad_used if forgotten (4,)

    @property
    def scale(self) -> float:
        """dL/dy_pred = scale * (y_pred - y): 2 for the sum, 2/N for the mean."""
        return 2.0 if self.reduction == "sum" else 2.0 / self.n

    def powers(self) -> list[np.ndarray]:
        """x^0, x^1, x^2, x^3 at every point: dy_pred/da .. dy_pred/dd."""
        return [np.ones_like(self.x), self.x, self.x**2, self.x**3]


def open_step(coeffs: np.ndarray, grad_before: np.ndarray | None, data: FitData, lr: float,
              reduction: str = "sum", forget: bool = False) -> OpenedStep:
    """The five moves for ``coeffs`` (``grad_before``: the ``.grad`` left by earlier steps, ``None`` if zeroed)."""
    c = np.asarray(coeffs, dtype=float)
    a, b, cc, d = c
    y_pred = a + b * data.x + cc * data.x2 + d * data.x3  # (N,)
    sq = np.square(y_pred - data.y)
    loss = float(sq.mean() if reduction == "mean" else sq.sum())
    g = 2 * (y_pred - data.y) / (data.n if reduction == "mean" else 1)  # dL/dy_pred (N,)
    fresh = np.array([g.sum(), (g * data.x).sum(), (g * data.x2).sum(), (g * data.x3).sum()])
    before = np.zeros(4) if grad_before is None else np.asarray(grad_before, dtype=float)
    used = before + fresh
    after = c - lr * used
    return OpenedStep(c, float(lr), reduction, bool(forget), data.n, np.asarray(data.x), np.asarray(data.y), y_pred,
                      loss, fresh, before, used, after, used.copy() if forget else np.zeros(4))


def descent_curves(data: FitData, start: np.ndarray, lrs: np.ndarray, steps: int,
                   reduction: str = "sum", blow_up: float = 1e6) -> np.ndarray:
    """MSE per point before each of ``steps`` gradient-descent steps, one row per learning rate: (len(lrs), steps).

    A run whose MSE passes ``blow_up`` (or stops being finite) is marked diverged: the rest of its row is inf.
    """
    X = data.design  # (N, 4)
    lrs = np.asarray(lrs, dtype=float)
    P = np.tile(np.asarray(start, dtype=float), (len(lrs), 1))  # (L, 4)
    out = np.full((len(lrs), int(steps)), np.inf)
    alive = np.ones(len(lrs), dtype=bool)
    scale = 2.0 / data.n if reduction == "mean" else 2.0
    with np.errstate(over="ignore", invalid="ignore"):
        for k in range(int(steps)):
            r = P[alive] @ X.T - data.y  # (L_alive, N)
            m = np.mean(r * r, axis=1)
            out[alive, k] = m
            bad = ~np.isfinite(m) | (m > blow_up)
            P[alive] = P[alive] - lrs[alive, None] * scale * (r @ X)
            alive[np.flatnonzero(alive)[bad]] = False
            if not alive.any():
                break
    return out
