"""The seed's task: sin(x) on [-pi, pi] at 2,000 points, fitted by a cubic y = a + b x + c x^2 + d x^3.

Everything is float64: with the notes' summed loss and learning rate 1e-6 the updates are tiny
next to the coefficients, and float32 would round part of them away. The cubic is linear in
its coefficients, so the best one has an exact answer (least squares) and the loss surface is a
quadratic bowl whose curvature sets the largest learning rate that does not diverge.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rnnviz.core.seeding import numpy_generator

N_POINTS = 2000  # the seed's np.linspace(-pi, pi, 2000)
COEFFS: tuple[str, ...] = ("a", "b", "c", "d")  # y = a + b x + c x^2 + d x^3
REDUCTIONS: tuple[str, ...] = ("sum", "mean")  # how the squared errors are reduced to one loss


@dataclass(frozen=True)
class FitData:
    """The points and the cubic's features, computed once."""

    x: np.ndarray  # (N,) inputs, linspace(-pi, pi, N)
    y: np.ndarray  # (N,) targets sin(x)
    x2: np.ndarray  # (N,) x**2, exactly as the notes compute it
    x3: np.ndarray  # (N,) x**3

    @property
    def n(self) -> int:
        return len(self.x)

    @property
    def design(self) -> np.ndarray:
        """The matrix X with columns 1, x, x^2, x^3: y_pred = X @ [a, b, c, d]. Shape (N, 4)."""
        return np.stack([np.ones_like(self.x), self.x, self.x2, self.x3], axis=1)  # (N, 4)


@lru_cache(maxsize=4)
def make_data(n: int = N_POINTS) -> FitData:
    """``n`` points of sin on [-pi, pi] (read-only arrays: the cache is shared by every session)."""
    x = np.linspace(-np.pi, np.pi, int(n))
    arrays = [x, np.sin(x), x**2, x**3]
    for a in arrays:
        a.setflags(write=False)
    return FitData(*arrays)


def start_coefficients(seed: int) -> np.ndarray:
    """The random start a, b, c, d, each uniform in [0, 1) like the notes' np.random.rand(): ``default_rng(seed)``."""
    return numpy_generator(seed).random(4)


def cubic(coeffs: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y = a + b x + c x^2 + d x^3 (x of any shape)."""
    a, b, c, d = (float(v) for v in coeffs)
    return a + b * x + c * x**2 + d * x**3


@lru_cache(maxsize=4)
def _least_squares(n: int) -> tuple[float, ...]:
    data = make_data(n)
    solution, *_ = np.linalg.lstsq(data.design, data.y, rcond=None)
    return tuple(float(v) for v in solution)


def least_squares(data: FitData) -> np.ndarray:
    """The exact best a, b, c, d (smallest summed squared error), by ``np.linalg.lstsq``."""
    return np.array(_least_squares(data.n))


def mse(coeffs: np.ndarray, data: FitData) -> float:
    """Mean squared error of a cubic over the points."""
    r = data.design @ np.asarray(coeffs, dtype=float) - data.y  # (N,)
    return float(np.mean(r * r))


def hessian(data: FitData, reduction: str = "sum") -> np.ndarray:
    """Curvature of the loss in a, b, c, d: H = 2 X^T X for the sum, divided by N for the mean. (4, 4)."""
    X = data.design
    H = 2.0 * X.T @ X
    return H / data.n if reduction == "mean" else H


def curvatures(data: FitData, reduction: str = "sum") -> np.ndarray:
    """The eigenvalues of H, smallest first (4,): the bowl's curvature along its four main directions."""
    return np.linalg.eigvalsh(hessian(data, reduction))


def largest_stable_lr(data: FitData, reduction: str = "sum") -> float:
    """Plain gradient descent converges exactly when lr < 2 / lambda_max(H)."""
    return 2.0 / float(curvatures(data, reduction).max())


def loss_grid(data: FitData, base: np.ndarray, i: int, j: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """MSE over a grid of two coefficients (``i`` takes the values ``u``, ``j`` the values ``v``), the others at ``base``.

    Returns (len(v), len(u)) (rows follow ``v``, as plotly contours expect). The loss is a quadratic,
    so the grid is computed from X^T X and X^T y, never point by point.
    """
    X = data.design
    G, h, yy = X.T @ X / data.n, X.T @ data.y / data.n, float(data.y @ data.y) / data.n
    U, V = np.meshgrid(np.asarray(u, float), np.asarray(v, float))  # (len(v), len(u))
    P = np.broadcast_to(np.asarray(base, float), U.shape + (4,)).copy()  # (len(v), len(u), 4)
    P[..., i], P[..., j] = U, V
    return np.einsum("...k,kl,...l->...", P, G, P) - 2 * P @ h + yy
