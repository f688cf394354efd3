"""The page's Show-code snippets: the notes' training in plain NumPy, and the PyTorch twin with its checks.

Both are standalone scripts; the tests execute them and compare what they print with the library.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rnnviz.binary.model import NOTES, BinaryConfig

KINDS = ("numpy", "torch")


@dataclass(frozen=True)
class CodeConfig:
    """What a script reproduces: the page's network and seed, and which of the two scripts."""

    kind: str = "numpy"  # "numpy": the notes' training loop; "torch": the twin, the gradient check and nn.RNN
    model: BinaryConfig = field(default_factory=BinaryConfig)  # bits, hidden units, learning rate
    seed: int = 0  # draws the weights, then the operands (seed 0: the notes' np.random.seed(0))
    steps: int = 10_000  # additions the NumPy script trains (the notes: 10,000)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}")


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    if config.kind == "numpy":
        return numpy_snippet(config.model, config.seed, config.steps)
    return torch_snippet(config.model, config.seed)


def _bptt(x_t: str, indent: str) -> str:
    """The hand-written backpropagation through time, as script lines (both scripts use the same)."""
    lines = [
        "g_ih, g_hh, g_ho = np.zeros_like(W_ih), np.zeros_like(W_hh), np.zeros_like(W_ho)",
        "d_next = np.zeros(hidden)",
        "for t in reversed(range(bits)):",
        "    g_ho[:, 0] += h[t + 1] * d_o[t]",
        "    d_h = (d_next @ W_hh.T + d_o[t] * W_ho[:, 0]) * h[t + 1] * (1 - h[t + 1])",
        "    g_hh += np.outer(h[t], d_h)",
        f"    g_ih += np.outer({x_t}, d_h)",
        "    d_next = d_h",
    ]
    return "".join(indent + line + "\n" for line in lines)


def numpy_snippet(config: BinaryConfig = NOTES, seed: int = 0, steps: int = 10_000) -> str:
    """The notes' algorithm, cleaned up: prints the notes' line every 1000 additions and a final score."""
    return f'''import numpy as np

bits, hidden, alpha, steps = {config.bits}, {config.hidden}, {config.lr!r}, {steps}
rng = np.random.RandomState({seed})  # the notes: np.random.seed(0), then np.random.random / randint


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def to_bits(n):
    return [(n >> t) & 1 for t in range(bits)]  # least significant bit first = time order


# weights uniform in [-1, 1), drawn in the notes' order; no biases
W_ih = 2 * rng.random_sample((2, hidden)) - 1       # synapse_0 (2, H)
W_ho = 2 * rng.random_sample((hidden, 1)) - 1       # synapse_1 (H, 1)
W_hh = 2 * rng.random_sample((hidden, hidden)) - 1  # synapse_h (H, H)


def run(a, b):
    """Forward pass over the bits: inputs x (T, 2), targets y (T,), states h[0..T], outputs p (T,)."""
    x = np.array([to_bits(a), to_bits(b)], dtype=float).T
    y = np.array(to_bits(a + b), dtype=float)
    h, p = [np.zeros(hidden)], np.zeros(bits)
    for t in range(bits):
        h.append(sigmoid(x[t] @ W_ih + h[-1] @ W_hh))  # h_t = σ(x_t W_ih + h_(t-1) W_hh)
        p[t] = sigmoid(h[-1] @ W_ho[:, 0])              # p_t = σ(h_t W_ho)
    return x, y, h, p


def answer(p):
    return sum(int(v > 0.5) << t for t, v in enumerate(p))  # round each bit (0.5 -> 0, as np.round)


for step in range(1, steps + 1):
    a, b = rng.randint(2 ** (bits - 1)), rng.randint(2 ** (bits - 1))  # the sum fits the bits
    x, y, h, p = run(a, b)
    # backpropagation through time of L = ½ Σ (y - p)²
    d_o = (p - y) * p * (1 - p)  # δ at each output
{_bptt("x[t]", "    ")}    W_ih, W_hh, W_ho = W_ih - alpha * g_ih, W_hh - alpha * g_hh, W_ho - alpha * g_ho
    if step % 1000 == 1:  # the notes print at j % 1000 == 0, counting from 0
        out = answer(p)
        print(f"step {{step}}: Error {{np.abs(y - p).sum():.2f}} · Pred {{out:0{{bits}}b}} · "
              f"True {{a + b:0{{bits}}b}} · {{a}} + {{b}} = {{out}}")

n = 2 ** (bits - 1)
if n * n <= 16384:  # score every pair (8 bits: all 128 x 128)
    pairs = [(a, b) for a in range(n) for b in range(n)]
else:  # too many: a random sample
    pairs = [tuple(rng.randint(n, size=2)) for _ in range(4096)]
right = sum(answer(run(a, b)[3]) == a + b for a, b in pairs)
print(f"after {{steps}} additions: {{right}} of {{len(pairs)}} pairs right")
'''


def torch_snippet(config: BinaryConfig = NOTES, seed: int = 0) -> str:
    """The PyTorch twin: the custom sigmoid cell, autograd against hand-written BPTT, and the nn.RNN cousin."""
    return f'''import numpy as np
import torch
from torch import nn

bits, hidden = {config.bits}, {config.hidden}
rng = np.random.RandomState({seed})
W_ih = 2 * rng.random_sample((2, hidden)) - 1       # the notes' starting weights
W_ho = 2 * rng.random_sample((hidden, 1)) - 1
W_hh = 2 * rng.random_sample((hidden, hidden)) - 1


def encode(a, b):
    a, b, t = np.atleast_1d(a), np.atleast_1d(b), np.arange(bits)[:, None]  # t (T, 1): bit 0 first
    x = np.stack([(a >> t) & 1, (b >> t) & 1], axis=-1).astype(float)     # (T, B, 2)
    return x, (((a + b) >> t) & 1).astype(float)                          # (T, B)


class SigmoidRNN(nn.Module):
    """nn.RNN offers only tanh and relu: the notes' sigmoid cell is written out (no biases)."""

    def __init__(self):
        super().__init__()
        self.W_ih = nn.Parameter(torch.tensor(W_ih))  # (2, H)
        self.W_hh = nn.Parameter(torch.tensor(W_hh))  # (H, H)
        self.W_ho = nn.Parameter(torch.tensor(W_ho))  # (H, 1)

    def forward(self, x):  # x (T, B, 2) -> p (T, B), h_T (B, H)
        h, hs = torch.zeros(x.shape[1], hidden, dtype=torch.float64), []
        for x_t in x:
            h = torch.sigmoid(x_t @ self.W_ih + h @ self.W_hh)
            hs.append(h)
        return torch.sigmoid(torch.stack(hs) @ self.W_ho)[..., 0], h


# 1. autograd's gradients against the hand-written backpropagation through time, on one addition
a, b = 45, 64
x, y = encode(a, b)
model = SigmoidRNN()
p, _ = model(torch.tensor(x))
loss = 0.5 * ((torch.tensor(y) - p) ** 2).sum()
loss.backward()

sig = lambda z: 1 / (1 + np.exp(-z))
h = [np.zeros(hidden)]
for t in range(bits):
    h.append(sig(x[t, 0] @ W_ih + h[-1] @ W_hh))
q = np.array([sig(h[t + 1] @ W_ho[:, 0]) for t in range(bits)])
d_o = (q - y[:, 0]) * q * (1 - q)
{_bptt("x[t, 0]", "")}for name, hand in (("W_ih", g_ih), ("W_hh", g_hh), ("W_ho", g_ho)):
    gap = np.abs(hand - getattr(model, name).grad.numpy()).max()
    print(f"{{name}}: max |hand-written - autograd| = {{gap:.1e}}")

# 2. the nn.RNN cousin: tanh (sigmoid is not offered), the same starting numbers, biases starting at 0
rnn = nn.RNN(2, hidden, nonlinearity="tanh").double()
out = nn.Linear(hidden, 1).double()
with torch.no_grad():
    rnn.weight_ih_l0.copy_(torch.tensor(W_ih.T))  # nn.RNN computes x W_ihᵀ: transposes
    rnn.weight_hh_l0.copy_(torch.tensor(W_hh.T))
    out.weight.copy_(torch.tensor(W_ho.T))
    for bias in (rnn.bias_ih_l0, rnn.bias_hh_l0, out.bias):
        bias.zero_()
opt = torch.optim.SGD([*rnn.parameters(), *out.parameters()], lr={config.lr!r})
for step in range(1, 5001):
    a, b = rng.randint(2 ** (bits - 1)), rng.randint(2 ** (bits - 1))
    x, y = map(torch.tensor, encode(a, b))
    p = torch.sigmoid(out(rnn(x)[0]))[..., 0]  # (T, 1)
    loss = 0.5 * ((y - p) ** 2).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
n = 2 ** (bits - 1)
if n * n <= 16384:  # every pair (8 bits: all 128 x 128)
    A, B = (g.ravel() for g in np.meshgrid(np.arange(n), np.arange(n)))
else:
    A, B = rng.randint(n, size=4096), rng.randint(n, size=4096)
x, y = encode(A, B)
with torch.no_grad():
    p = torch.sigmoid(out(rnn(torch.tensor(x))[0]))[..., 0].numpy()  # (T, pairs)
right = ((p > 0.5) == (y > 0.5)).all(axis=0).mean()
print(f"nn.RNN tanh after 5000 additions: {{right:.1%}} of the pairs right")
'''
