"""The PyTorch twin: the same network with autograd, and an ``nn.RNN`` cousin that must use tanh.

``nn.RNN`` offers only ``nonlinearity="tanh"`` or ``"relu"``, no sigmoid. So the exact twin is
a ten-line custom module with the notes' three matrices and a loop over the bits; autograd does
the backpropagation through time that :func:`rnnviz.binary.model.backward` does by hand, and a
test checks that both give the same gradients. The cousin uses ``nn.RNN(tanh)``
with the same starting weights (biases from 0): tanh(z) = 2σ(2z) - 1 is a sigmoid stretched to (-1, 1) and
four times steeper at 0, so it can express the same adder but learns at its own pace.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from rnnviz.binary.data import all_pairs, encode, max_operand
from rnnviz.binary.model import BinaryConfig, Weights, accuracy, backward, forward, init_weights, sgd
from rnnviz.core.training import one_thread

DTYPE = torch.float64  # the same precision as NumPy, so the twins agree to ~1e-12


class SigmoidRNN(nn.Module):
    """The notes' network with autograd: ``h_t = σ(x_t W_ih + h_{t-1} W_hh)``, ``p_t = σ(h_t W_ho)``, no biases."""

    def __init__(self, W: Weights) -> None:
        super().__init__()
        self.W_ih = nn.Parameter(torch.tensor(W.W_ih, dtype=DTYPE))  # (2, H)
        self.W_hh = nn.Parameter(torch.tensor(W.W_hh, dtype=DTYPE))  # (H, H)
        self.W_ho = nn.Parameter(torch.tensor(W.W_ho, dtype=DTYPE))  # (H, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``x (T, B, 2)`` -> ``(p (T, B), h_T (B, H))``: the bit probabilities and the last state."""
        h = torch.zeros(x.shape[1], self.W_hh.shape[0], dtype=DTYPE)  # (B, H): h_0 = 0
        hs = []
        for x_t in x:  # (B, 2): least significant bit first
            h = torch.sigmoid(x_t @ self.W_ih + h @ self.W_hh)  # (B, H)
            hs.append(h)
        p = torch.sigmoid(torch.stack(hs) @ self.W_ho)[..., 0]  # (T, B)
        return p, h

    def weights(self) -> Weights:
        return Weights(*(t.detach().numpy().copy() for t in (self.W_ih, self.W_hh, self.W_ho)))


class TanhRNN(nn.Module):
    """``nn.RNN(2, H, nonlinearity="tanh")`` + ``nn.Linear(H, 1)`` + a sigmoid, from the notes' starting numbers.

    Unlike the sigmoid network it keeps its biases (started at 0): tanh(0) = 0, so without them a
    state that has read only 0 bits stays exactly 0 and the output σ(0) = 0.5 cannot move.
    """

    def __init__(self, W: Weights) -> None:
        super().__init__()
        H = W.hidden
        self.rnn = nn.RNN(2, H, nonlinearity="tanh")  # input (T, B, 2); sigmoid is not an option
        self.out = nn.Linear(H, 1)
        with torch.no_grad():  # nn.RNN computes x W_ihᵀ: it stores the transposes of the notes' matrices
            self.rnn.weight_ih_l0.copy_(torch.tensor(W.W_ih.T))  # (H, 2)
            self.rnn.weight_hh_l0.copy_(torch.tensor(W.W_hh.T))  # (H, H)
            self.out.weight.copy_(torch.tensor(W.W_ho.T))  # (1, H)
            for bias in (self.rnn.bias_ih_l0, self.rnn.bias_hh_l0, self.out.bias):
                bias.zero_()
        self.double()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """``x (T, B, 2)`` -> ``(p (T, B), h_n (1, B, H))``."""
        out, h_n = self.rnn(x)  # (T, B, H), (1, B, H)
        return torch.sigmoid(self.out(out))[..., 0], h_n  # (T, B)


def half_squared_error(p: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """L = ½ Σ (y - p)²: the loss whose gradient the notes' updates follow."""
    return 0.5 * ((y - p) ** 2).sum()


def autograd_gradients(W: Weights, a: np.ndarray | int, b: np.ndarray | int, bits: int) -> tuple[float, Weights]:
    """The loss and ∂L/∂W computed by autograd for the same weights and additions as the hand-written BPTT."""
    model = SigmoidRNN(W)
    x, y = encode(a, b, bits)
    with one_thread():
        p, _ = model(torch.tensor(x, dtype=DTYPE))
        loss = half_squared_error(p, torch.tensor(y, dtype=DTYPE))
        loss.backward()
    return float(loss.detach()), Weights(*(t.grad.numpy().copy() for t in (model.W_ih, model.W_hh, model.W_ho)))


def gradient_check(W: Weights, a: int, b: int, bits: int) -> dict[str, float]:
    """Largest |hand-written - autograd| for each matrix (and the loss) on one addition."""
    x, y = encode(a, b, bits)
    p, h = forward(W, x)
    hand = backward(W, x, y, p, h)
    loss, auto = autograd_gradients(W, a, b, bits)
    out = {name: float(np.abs(g1 - g2).max()) for name, g1, g2 in zip(("W_ih", "W_hh", "W_ho"), hand.as_tuple(),
                                                                         auto.as_tuple())}
    out["loss"] = abs(loss - float(0.5 * ((y - p) ** 2).sum()))
    return out


@dataclass(frozen=True)
class TwinRace:
    """Three learners on the same additions from the same starting numbers."""

    steps: int  # additions trained
    errors: dict[str, np.ndarray]  # learner -> (steps,) the notes' Error per addition
    rights: dict[str, np.ndarray]  # learner -> (steps,) 1 where the addition was exactly right
    checkpoints: np.ndarray  # steps at which all pairs were scored
    accuracy: dict[str, np.ndarray]  # learner -> fraction of the evaluation pairs right at each checkpoint
    seconds: dict[str, float]  # learner -> training time
    max_weight_gap: float  # largest |NumPy weight - torch twin weight| at the end
    pairs_label: str  # what the accuracy is measured on


LEARNERS = ("NumPy, hand-written BPTT", "PyTorch twin (sigmoid, autograd)", "nn.RNN tanh + biases (autograd)")


def twin_race(config: BinaryConfig, seed: int, steps: int, every: int = 500) -> TwinRace:
    """Train the three learners ``steps`` additions on the run's operand stream (plain SGD, lr from ``config``)."""
    rng = np.random.RandomState(seed)
    W0 = init_weights(config.hidden, rng)
    top = max_operand(config.bits) + 1
    ops = rng.randint(top, size=2 * steps).reshape(steps, 2)  # the same pairs as the live run draws (a, b, a, b, ...)
    eval_a, eval_b, exhaustive = all_pairs(config.bits, seed)
    label = f"all {len(eval_a):,} pairs" if exhaustive else f"{len(eval_a):,} random pairs"
    errors = {k: np.zeros(steps) for k in LEARNERS}
    rights = {k: np.zeros(steps) for k in LEARNERS}
    checkpoints = np.arange(every, steps + 1, every)
    acc = {k: np.zeros(len(checkpoints)) for k in LEARNERS}
    seconds = {}
    x_all, y_all = encode(ops[:, 0], ops[:, 1], config.bits)  # (T, steps, 2), (T, steps)

    def record(name: str, i: int, p: np.ndarray, y: np.ndarray) -> None:
        errors[name][i] = np.abs(y - p).sum()
        rights[name][i] = float(np.all((p > 0.5) == (y > 0.5)))

    # 1. NumPy
    W, t0 = W0, time.perf_counter()
    for i in range(steps):
        x, y = x_all[:, i:i + 1], y_all[:, i:i + 1]  # (T, 1, 2), (T, 1)
        p, h = forward(W, x)
        record(LEARNERS[0], i, p, y)
        W = sgd(W, backward(W, x, y, p, h), config.lr)
        if (i + 1) % every == 0:
            acc[LEARNERS[0]][(i + 1) // every - 1] = accuracy(W, eval_a, eval_b, config.bits)[0]
    seconds[LEARNERS[0]] = time.perf_counter() - t0
    W_numpy = W

    # 2. and 3. the torch learners
    x_t, y_t = torch.tensor(x_all, dtype=DTYPE), torch.tensor(y_all, dtype=DTYPE)
    twins = {}
    with one_thread():
        for name, model in ((LEARNERS[1], SigmoidRNN(W0)), (LEARNERS[2], TanhRNN(W0))):
            opt = torch.optim.SGD(model.parameters(), lr=config.lr)
            t0 = time.perf_counter()
            for i in range(steps):
                x, y = x_t[:, i:i + 1], y_t[:, i:i + 1]  # (T, 1, 2), (T, 1)
                p, _ = model(x)
                loss = half_squared_error(p, y)
                opt.zero_grad()
                loss.backward()
                opt.step()
                record(name, i, p.detach().numpy(), y_all[:, i:i + 1])
                if (i + 1) % every == 0:
                    acc[name][(i + 1) // every - 1] = torch_accuracy(model, eval_a, eval_b, config.bits)
            seconds[name] = time.perf_counter() - t0
            twins[name] = model
    twin_weights = twins[LEARNERS[1]].weights().as_tuple()
    gap = max(float(np.abs(w1 - w2).max()) for w1, w2 in zip(W_numpy.as_tuple(), twin_weights))
    return TwinRace(steps=steps, errors=errors, rights=rights, checkpoints=checkpoints, accuracy=acc,
                    seconds=seconds, max_weight_gap=gap, pairs_label=label)


def torch_accuracy(model: nn.Module, a: np.ndarray, b: np.ndarray, bits: int) -> float:
    """Fraction of the additions ``a + b`` that a torch learner gets exactly right."""
    x, y = encode(a, b, bits)
    with torch.no_grad():
        p, _ = model(torch.tensor(x, dtype=DTYPE))
    return float(((p.numpy() > 0.5) == (y > 0.5)).all(axis=0).mean())
