"""The simple recurrent network (SRN) of seed 003, four ways, plus live training.

One hidden layer, weights shared over time:

    h_t = f(W_ih x_t + W_hh h_{t-1} + b)        (h_0 = 0)
    y_t = W_out h_t + b_out

``f`` is one of ``none`` (identity), ``tanh``, ``relu``, ``sigmoid``. PyTorch's
``nn.RNNCell``/``nn.RNN`` only offer ``tanh`` and ``relu``; for the other two the
torch implementations report that instead of a number.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import torch
from torch import nn

from rnnviz.core.seeding import numpy_generator
from rnnviz.core.torch_run import TorchRun, make_optimizer

ACTIVATIONS: tuple[str, ...] = ("none", "tanh", "relu", "sigmoid")
TORCH_ACTIVATIONS: tuple[str, ...] = ("tanh", "relu")  # what nn.RNN(nonlinearity=...) accepts
SEED_INPUT = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]])  # seed 003's sequence, (T=3, I=2)
DEFAULT_TARGET = np.array([[1.0, -1.0], [0.5, -0.5], [-1.0, 1.0]])  # (T=3, O=2)
MAX_STEPS = 10  # the page allows sequences of 1..10 steps


def _ones(*shape: int) -> np.ndarray:
    return np.ones(shape)


@dataclass(frozen=True)
class SRNWeights:
    """Every parameter of the 2-2-2 network (defaults: the seed's, all weights 1, biases 0)."""

    W_ih: np.ndarray = field(default_factory=lambda: _ones(2, 2))  # (H, I) input -> hidden
    W_hh: np.ndarray = field(default_factory=lambda: _ones(2, 2))  # (H, H) hidden -> hidden
    b: np.ndarray = field(default_factory=lambda: np.zeros(2))  # (H,) hidden bias
    W_out: np.ndarray = field(default_factory=lambda: _ones(2, 2))  # (O, H) hidden -> output
    b_out: np.ndarray = field(default_factory=lambda: np.zeros(2))  # (O,) output bias

    def as_dict(self) -> dict[str, np.ndarray]:
        return {"W_ih": self.W_ih, "W_hh": self.W_hh, "b": self.b, "W_out": self.W_out, "b_out": self.b_out}

    def perturbed(self, scale: float, seed: int) -> "SRNWeights":
        """A copy with uniform noise in [-scale, scale] added to every weight (seeded)."""
        rng = numpy_generator(seed)
        return SRNWeights(**{k: v + rng.uniform(-scale, scale, size=v.shape) for k, v in self.as_dict().items()})


def check_shapes(x: np.ndarray, w: SRNWeights) -> None:
    """Raise ``ValueError`` with a plain message when the pieces do not fit together."""
    if x.ndim != 2 or not 1 <= x.shape[0] <= MAX_STEPS:
        raise ValueError(f"The input needs 1 to {MAX_STEPS} time steps (rows); it has {x.shape[0]}.")
    H, I = w.W_ih.shape
    if x.shape[1] != I:
        raise ValueError(f"Each input step needs {I} numbers (W_ih has {I} columns); got {x.shape[1]}.")
    if w.W_hh.shape != (H, H) or w.b.shape != (H,) or w.W_out.shape[1] != H or w.b_out.shape != (w.W_out.shape[0],):
        raise ValueError("The weight matrices do not fit together.")
    for name, v in [("input", x), *w.as_dict().items()]:
        if not np.all(np.isfinite(v)):
            raise ValueError(f"{name} contains an empty or non-numeric entry.")


def activate(z: np.ndarray, activation: str) -> np.ndarray:
    """Apply the named activation element-wise (NumPy)."""
    if activation == "none":
        return z
    if activation == "tanh":
        return np.tanh(z)
    if activation == "relu":
        return np.maximum(z, 0.0)
    if activation == "sigmoid":
        return 1.0 / (1.0 + np.exp(-z))
    raise ValueError(f"unknown activation {activation!r}")


def srn_numpy(x: np.ndarray, w: SRNWeights, activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """Plain NumPy loop. Returns ``(y, h)``: outputs (T, O) and every hidden state (T, H).

    h_t = f(W_ih x_t + W_hh h_{t-1} + b),  y_t = W_out h_t + b_out
    """
    h_t = np.zeros(w.W_hh.shape[0])  # (H,)
    hs, ys = [], []
    for x_t in np.asarray(x, dtype=float):  # x_t: (I,)
        h_t = activate(w.W_ih @ x_t + w.W_hh @ h_t + w.b, activation)  # (H,)
        hs.append(h_t)
        ys.append(w.W_out @ h_t + w.b_out)  # (O,)
    return np.array(ys), np.array(hs)


def _torch_copy(kind: type[nn.Module], w: SRNWeights, activation: str) -> nn.Module:
    """A float64 ``nn.RNN`` or ``nn.RNNCell`` holding our weights (b goes into bias_ih, bias_hh is 0)."""
    if activation not in TORCH_ACTIVATIONS:
        raise ValueError(f"nn.RNN and nn.RNNCell support only nonlinearity 'tanh' or 'relu', not '{activation}'.")
    H, I = w.W_ih.shape
    module = kind(I, H, nonlinearity=activation).double()
    suffix = "_l0" if isinstance(module, nn.RNN) else ""
    with torch.no_grad():
        getattr(module, "weight_ih" + suffix).copy_(torch.tensor(w.W_ih))
        getattr(module, "weight_hh" + suffix).copy_(torch.tensor(w.W_hh))
        getattr(module, "bias_ih" + suffix).copy_(torch.tensor(w.b))
        getattr(module, "bias_hh" + suffix).zero_()
    return module


def _linear(w: SRNWeights) -> nn.Linear:
    out = nn.Linear(w.W_out.shape[1], w.W_out.shape[0]).double()
    with torch.no_grad():
        out.weight.copy_(torch.tensor(w.W_out))
        out.bias.copy_(torch.tensor(w.b_out))
    return out


@torch.no_grad()
def srn_rnncell(x: np.ndarray, w: SRNWeights, activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """``nn.RNNCell`` called once per time step in a Python loop, then the output Linear."""
    cell = _torch_copy(nn.RNNCell, w, activation)
    out = _linear(w)
    h_t = torch.zeros(1, w.W_hh.shape[0], dtype=torch.float64)  # (B=1, H)
    hs, ys = [], []
    for x_t in torch.tensor(np.asarray(x, dtype=float)).unsqueeze(1):  # x_t: (B=1, I)
        h_t = cell(x_t, h_t)  # (1, H)
        hs.append(h_t[0].numpy())
        ys.append(out(h_t)[0].numpy())  # (O,)
    return np.array(ys), np.array(hs)


@torch.no_grad()
def srn_rnn(x: np.ndarray, w: SRNWeights, activation: str = "tanh") -> tuple[np.ndarray, np.ndarray]:
    """``nn.RNN`` over the whole sequence in one call, then the output Linear."""
    rnn = _torch_copy(nn.RNN, w, activation)
    seq = torch.tensor(np.asarray(x, dtype=float)).unsqueeze(1)  # (T, B=1, I)
    h_0 = torch.zeros(1, 1, w.W_hh.shape[0], dtype=torch.float64)  # (num_layers=1, B=1, H)
    out, _h_n = rnn(seq, h_0)  # out: (T, 1, H), h_n: (1, 1, H)
    h = out[:, 0]  # (T, H)
    return _linear(w)(h).numpy(), h.numpy()


IMPLEMENTATIONS = {
    "NumPy, no activation": lambda x, w, a: srn_numpy(x, w, "none"),
    "NumPy, chosen activation": srn_numpy,
    "nn.RNNCell loop": srn_rnncell,
    "nn.RNN one call": srn_rnn,
}


def compare_implementations(x: np.ndarray, w: SRNWeights, activation: str) -> dict[str, tuple[np.ndarray, np.ndarray] | str]:
    """Run all four implementations; an implementation that cannot run gives its reason (a string)."""
    results: dict[str, tuple[np.ndarray, np.ndarray] | str] = {}
    for name, fn in IMPLEMENTATIONS.items():
        try:
            results[name] = fn(x, w, activation)
        except ValueError as err:
            results[name] = str(err)
    return results


def max_difference(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> float:
    """Largest absolute difference over outputs and hidden states."""
    return float(max(np.max(np.abs(a[0] - b[0])), np.max(np.abs(a[1] - b[1]))))


# ----------------------------------------------------------------------------- training
class SRNModule(nn.Module):
    """The SRN as trainable torch parameters (any of the four activations).

    h_t = f(W_ih x_t + W_hh h_{t-1} + b),  y_t = W_out h_t + b_out
    """

    def __init__(self, w: SRNWeights, activation: str) -> None:
        super().__init__()
        self.activation = activation
        for name, value in w.as_dict().items():
            setattr(self, name, nn.Parameter(torch.tensor(value, dtype=torch.float64)))

    def _f(self, z: torch.Tensor) -> torch.Tensor:
        return {"none": lambda v: v, "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}[self.activation](z)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: (T, I) -> (y (T, O), h (T, H))."""
        h_t = torch.zeros(self.W_hh.shape[0], dtype=x.dtype)  # (H,)
        hs = []
        for x_t in x:  # (I,)
            h_t = self._f(self.W_ih @ x_t + self.W_hh @ h_t + self.b)  # (H,)
            hs.append(h_t)
        h = torch.stack(hs)  # (T, H)
        return h @ self.W_out.T + self.b_out, h  # (T, O), (T, H)

    def weights(self) -> SRNWeights:
        return SRNWeights(**{k: getattr(self, k).detach().numpy().copy() for k in SRNWeights().as_dict()})


@dataclass(frozen=True)
class SRNTrainConfig:
    """Live training of the SRN towards a target output sequence."""

    optimizer: str = "SGD"  # SGD or Adam
    lr: float = 0.05  # learning rate (live: changes without reset)
    clip: float | None = None  # max gradient norm, None for no clipping (live)


class SRNRun(TorchRun):
    """Train the SRN from given starting weights to output ``target`` (MSE, full sequence per step)."""

    def __init__(self, x: np.ndarray, target: np.ndarray, start: SRNWeights, activation: str,
                 config: SRNTrainConfig = SRNTrainConfig(), seed: int = 0) -> None:
        super().__init__(seed)
        check_shapes(np.asarray(x, float), start)
        if np.shape(target) != (len(x), start.W_out.shape[0]):
            raise ValueError(f"The target needs {len(x)} rows of {start.W_out.shape[0]} numbers, one per input step.")
        self.config = config
        self.x = torch.tensor(np.asarray(x, float))  # (T, I)
        self.target = torch.tensor(np.asarray(target, float))  # (T, O)
        self.model = SRNModule(start, activation)
        self.optimizer = make_optimizer(config.optimizer, self.model.parameters(), config.lr)

    converged_below = 1e-12  # the live control stops once the loss is this small (nothing left to see)

    @property
    def finished(self) -> bool:
        return bool(self.history) and self.history[-1]["loss"] < self.converged_below

    def finish_message(self) -> str:
        return (f"Converged: the loss fell below {self.converged_below:g} at step {self.step_count:,}; "
                "there is nothing left to learn. Change the target or the weights, or press Reset.")

    def set_live(self, lr: float, clip: float | None) -> None:
        self.set_learning_rate(lr)
        self.config = replace(self.config, lr=lr, clip=clip)

    def _train_step(self) -> dict[str, float]:
        self.optimizer.zero_grad()
        y, _h = self.model(self.x)
        loss = torch.mean((y - self.target) ** 2)
        loss.backward()
        grad_norm = float(torch.nn.utils.clip_grad_norm_(self.model.parameters(), self.config.clip or float("inf")))
        self.optimizer.step()
        return {"loss": float(loss.detach()), "grad_norm": grad_norm}

    @torch.no_grad()
    def current(self) -> tuple[np.ndarray, np.ndarray]:
        """Outputs and hidden states of the current weights: ``(y (T, O), h (T, H))``."""
        y, h = self.model(self.x)
        return y.numpy(), h.numpy()
