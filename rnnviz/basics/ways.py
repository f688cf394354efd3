"""The seed's three ways to fit the cubic, each one object that takes one training step at a time.

1. :class:`NumpyWay`: the gradients written by hand in NumPy (the chain rule on paper);
2. :class:`AutogradWay`: four scalar tensors, ``loss.backward()`` fills ``.grad``, the update runs
   under ``torch.no_grad()`` and ``.grad`` is then zeroed (set to ``None``);
3. :class:`LinearWay`: ``nn.Linear(3, 1)`` + ``nn.Flatten(0, 1)`` on the features x, x^2, x^3,
   ``nn.MSELoss()`` and an optimizer (``zero_grad``, ``backward``, ``step``).

Each step returns the way's own loss, computed *before* its update (what the notes print).
Ways 2 and 3 can *forget to zero the gradient*: ``backward()`` then adds the new gradient to
the old ``.grad``, really, as PyTorch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn

from rnnviz.basics.data import FitData
from rnnviz.core.seeding import seeded

WAYS: tuple[str, ...] = ("numpy", "autograd", "linear")
WAY_NAMES: dict[str, str] = {"numpy": "1 · NumPy by hand", "autograd": "2 · autograd", "linear": "3 · nn.Linear"}
OPTIMIZERS: tuple[str, ...] = ("SGD", "SGD + momentum", "RMSprop", "Adam")
MOMENTUM = 0.9  # of "SGD + momentum"


def torch_points(n: int) -> tuple[torch.Tensor, torch.Tensor]:
    """x and sin(x) as the torch code of the notes makes them (float64): ``torch.linspace``, ``torch.sin``."""
    x = torch.linspace(-torch.pi, torch.pi, int(n), dtype=torch.float64)  # (N,)
    return x, torch.sin(x)


def make_optimizer(name: str, params: Any, lr: float) -> torch.optim.Optimizer:
    """One of :data:`OPTIMIZERS` (PyTorch's defaults otherwise; momentum 0.9 for "SGD + momentum")."""
    if name == "SGD":
        return torch.optim.SGD(params, lr=lr)
    if name == "SGD + momentum":
        return torch.optim.SGD(params, lr=lr, momentum=MOMENTUM)
    if name == "RMSprop":
        return torch.optim.RMSprop(params, lr=lr)
    if name == "Adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(f"unknown optimizer {name!r}; choose one of {OPTIMIZERS}")


def hand_gradients(coeffs: np.ndarray, data: FitData, reduction: str = "sum") -> tuple[float, np.ndarray]:
    """The notes' chain rule: loss and [dL/da, dL/db, dL/dc, dL/dd] for L = sum (or mean) of (y_pred - y)^2.

    dL/dy_pred = 2 (y_pred - y) (divided by N for the mean); dL/db = sum 2 (y_pred - y) x, and so on.
    """
    a, b, c, d = (np.float64(v) for v in coeffs)
    y_pred = a + b * data.x + c * data.x2 + d * data.x3  # (N,)
    sq = np.square(y_pred - data.y)
    loss = sq.mean() if reduction == "mean" else sq.sum()
    grad_y_pred = 2 * (y_pred - data.y) / (data.n if reduction == "mean" else 1)  # (N,)
    grads = [grad_y_pred.sum(), (grad_y_pred * data.x).sum(), (grad_y_pred * data.x2).sum(),
             (grad_y_pred * data.x3).sum()]
    return float(loss), np.array(grads, dtype=float)


def autograd_gradients(coeffs: np.ndarray, data: FitData, reduction: str = "sum") -> tuple[float, np.ndarray]:
    """The same loss and gradients by ``loss.backward()`` on the *same* points (to check the hand formulas)."""
    p = torch.tensor(np.asarray(coeffs, dtype=float), dtype=torch.float64, requires_grad=True)  # (4,)
    x, y = torch.from_numpy(np.array(data.x)), torch.from_numpy(np.array(data.y))  # writable copies
    y_pred = p[0] + p[1] * x + p[2] * x**2 + p[3] * x**3  # (N,)
    sq = torch.square(y_pred - y)
    loss = sq.mean() if reduction == "mean" else sq.sum()
    loss.backward()
    return loss.item(), p.grad.numpy().copy()


class NumpyWay:
    """Way 1: plain NumPy, the gradient formulas written out (exactly the notes' loop)."""

    def __init__(self, start: np.ndarray, data: FitData) -> None:
        self.data = data
        self.coeffs = np.array(start, dtype=np.float64)  # a, b, c, d
        self.last_grads = np.zeros(4)

    def step(self, lr: float, reduction: str) -> float:
        """forward, loss, gradients by hand, update (there is no .grad to zero: the gradients are new variables)."""
        a, b, c, d = self.coeffs
        x, y = self.data.x, self.data.y
        y_pred = a + b * x + c * self.data.x2 + d * self.data.x3  # (N,)
        sq = np.square(y_pred - y)
        loss = sq.mean() if reduction == "mean" else sq.sum()
        grad_y_pred = 2 * (y_pred - y) if reduction == "sum" else 2 * (y_pred - y) / len(x)  # (N,)
        grads = np.array([grad_y_pred.sum(), (grad_y_pred * x).sum(), (grad_y_pred * self.data.x2).sum(),
                          (grad_y_pred * self.data.x3).sum()])
        self.coeffs = self.coeffs - lr * grads
        self.last_grads = grads
        return float(loss)

    def coefficients(self) -> np.ndarray:
        return self.coeffs.copy()

    def snapshot(self) -> tuple[np.ndarray, np.ndarray]:
        return self.coeffs.copy(), self.last_grads.copy()

    def restore(self, snap: tuple[np.ndarray, np.ndarray]) -> None:
        self.coeffs, self.last_grads = snap[0].copy(), snap[1].copy()

    def finite(self) -> bool:
        return bool(np.isfinite(self.coeffs).all())


class AutogradWay:
    """Way 2: four scalar tensors with ``requires_grad=True``; autograd computes the gradients."""

    def __init__(self, start: np.ndarray, n: int) -> None:
        self.x, self.y = torch_points(n)
        self.x2, self.x3 = self.x**2, self.x**3  # what the notes compute every step, computed once
        self.params = [torch.tensor(float(v), dtype=torch.float64, requires_grad=True) for v in start]

    def step(self, lr: float, reduction: str, forget_zero_grad: bool = False) -> float:
        a, b, c, d = self.params
        y_pred = a + b * self.x + c * self.x2 + d * self.x3  # 1 forward (N,)
        sq = torch.square(y_pred - self.y)
        loss = sq.mean() if reduction == "mean" else sq.sum()  # 2 loss
        loss.backward()  # 3 backward: .grad += dL/dp (adds to what is there)
        with torch.no_grad():  # 4 update
            for p in self.params:
                p -= lr * p.grad
        if not forget_zero_grad:  # 5 zero the gradient
            for p in self.params:
                p.grad = None
        return loss.item()

    def coefficients(self) -> np.ndarray:
        return np.array([p.item() for p in self.params])

    def grads(self) -> np.ndarray | None:
        """The ``.grad`` the next ``backward()`` will add to (``None`` after zeroing)."""
        if all(p.grad is None for p in self.params):
            return None
        return np.array([0.0 if p.grad is None else p.grad.item() for p in self.params])

    def snapshot(self) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
        return [(p.detach().clone(), None if p.grad is None else p.grad.clone()) for p in self.params]

    def restore(self, snap: list[tuple[torch.Tensor, torch.Tensor | None]]) -> None:
        with torch.no_grad():
            for p, (value, grad) in zip(self.params, snap):
                p.copy_(value)
                p.grad = None if grad is None else grad.clone()

    def finite(self) -> bool:
        return bool(np.isfinite(self.coefficients()).all())


class Cubic(nn.Module):
    """The notes' model: ``nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))`` on (x, x^2, x^3)."""

    def __init__(self) -> None:
        super().__init__()
        self.model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """features (N, 3) -> y_pred (N,): bias a plus weights [b, c, d] times (x, x^2, x^3)."""
        return self.model(features)  # Linear: (N, 1); Flatten(0, 1): (N,)


class LinearWay:
    """Way 3: a one-layer network and an optimizer; the loss is ``nn.MSELoss()`` (the mean)."""

    def __init__(self, start: np.ndarray, n: int, optimizer: str, lr: float, seed: int = 0) -> None:
        self.x, self.y = torch_points(n)
        self.features = self.x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))  # (N, 3): x, x^2, x^3
        self.model = seeded(seed, lambda: Cubic().double())
        with torch.no_grad():  # the same start as the other ways: bias = a, weights = [b, c, d]
            self.model.model[0].bias.fill_(float(start[0]))
            self.model.model[0].weight.copy_(torch.tensor([[float(v) for v in start[1:]]], dtype=torch.float64))
        self.layer = self.model.model[0]
        self.params = list(self.model.parameters())  # weight (1, 3) = [b, c, d], bias (1,) = a
        self.optimizer = make_optimizer(optimizer, self.params, lr)
        self.loss_fn = nn.MSELoss()

    def set_lr(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = float(lr)

    def step(self, forget_zero_grad: bool = False) -> float:
        y_pred = self.model(self.features)  # forward (N,)
        loss = self.loss_fn(y_pred, self.y)  # loss
        if not forget_zero_grad:
            self.optimizer.zero_grad()  # zero the gradient
        loss.backward()  # backward
        self.optimizer.step()  # update
        return loss.item()

    def coefficients(self) -> np.ndarray:
        return np.concatenate([self.layer.bias.detach().numpy(), self.layer.weight.detach().numpy()[0]])

    def grads(self) -> np.ndarray | None:
        if self.layer.weight.grad is None or self.layer.bias.grad is None:
            return None
        return np.concatenate([self.layer.bias.grad.numpy(), self.layer.weight.grad.numpy()[0]])

    def snapshot(self) -> tuple[list[torch.Tensor], list[torch.Tensor | None], dict[int, dict[str, Any]]]:
        params = self.params
        values = [p.detach().clone() for p in params]
        grads = [None if p.grad is None else p.grad.clone() for p in params]
        state = {i: {k: v.clone() if isinstance(v, torch.Tensor) else v for k, v in self.optimizer.state[p].items()}
                 for i, p in enumerate(params) if p in self.optimizer.state}
        return values, grads, state

    def restore(self, snap: tuple[list[torch.Tensor], list[torch.Tensor | None], dict[int, dict[str, Any]]]) -> None:
        values, grads, state = snap
        params = self.params
        with torch.no_grad():
            for p, v, g in zip(params, values, grads):
                p.copy_(v)
                p.grad = None if g is None else g.clone()
        self.optimizer.state.clear()
        for i, saved in state.items():
            self.optimizer.state[params[i]] = {k: v.clone() if isinstance(v, torch.Tensor) else v
                                               for k, v in saved.items()}

    def finite(self) -> bool:
        return bool(np.isfinite(self.coefficients()).all())
