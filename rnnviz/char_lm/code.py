"""The page's Show-code snippet: the seed's RNN step in NumPy, checked against torch autograd."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.char_lm.numpy_engine import init_params, optimize


@dataclass(frozen=True)
class CodeConfig:
    """What the script reproduces: one SGD step of the course's NumPy RNN from the engine's seeded start."""

    name: str  # the training name the step is taken on
    chars: str  # the vocabulary without the newline (index 0)
    hidden: int = 50  # hidden units n_a
    seed: int = 0  # seed of the starting weights
    lr: float = 0.01  # SGD learning rate
    clip: float | None = 5.0  # element-wise clip; None: off


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    c = config
    return _script(c.name, c.chars, c.hidden, c.seed, c.lr, c.clip)


def _script(name: str, chars: str, hidden: int = 50, seed: int = 0, lr: float = 0.01,
                 clip: float | None = 5.0) -> str:
    """A standalone script: one SGD step of the seed's RNN on ``name``, gradients checked with torch.

    ``chars`` is the vocabulary without the newline (index 0). It prints the loss, the
    gradient norm before and after element-wise clipping, the largest difference
    between the hand-written and the autograd gradients, and the loss after the step.
    """
    clip_text = "None" if clip is None else repr(float(clip))
    return f'''import numpy as np
import torch

chars = ["\\n"] + list({chars!r})  # index 0 = newline = "end of name"
ix = {{c: i for i, c in enumerate(chars)}}
V, H, lr, clip = len(chars), {hidden}, {lr!r}, {clip_text}
g = np.random.default_rng({seed})
P = {{"Wax": g.standard_normal((H, V)) * 0.01, "Waa": g.standard_normal((H, H)) * 0.01,
     "Wya": g.standard_normal((V, H)) * 0.01, "b": np.zeros((H, 1)), "by": np.zeros((V, 1))}}
X = [None] + [ix[c] for c in {name!r}]  # first input: the zero vector
Y = X[1:] + [0]                          # targets: the next character, then newline


def forward(P):
    a, xs, ys, loss = {{-1: np.zeros((H, 1))}}, {{}}, {{}}, 0.0
    for t in range(len(X)):
        xs[t] = np.zeros((V, 1))  # one-hot (V, 1)
        if X[t] is not None:
            xs[t][X[t]] = 1
        a[t] = np.tanh(P["Wax"] @ xs[t] + P["Waa"] @ a[t - 1] + P["b"])  # (H, 1)
        z = P["Wya"] @ a[t] + P["by"]
        ys[t] = np.exp(z - z.max()) / np.exp(z - z.max()).sum()  # softmax (V, 1)
        loss -= np.log(ys[t][Y[t], 0])
    return loss, a, xs, ys


loss, a, xs, ys = forward(P)
d = {{k: np.zeros_like(v) for k, v in P.items()}}
da_next = np.zeros((H, 1))
for t in reversed(range(len(X))):  # backpropagation through time
    dy = ys[t].copy()
    dy[Y[t]] -= 1
    d["Wya"] += dy @ a[t].T
    d["by"] += dy
    draw = (1 - a[t] ** 2) * (P["Wya"].T @ dy + da_next)
    d["b"] += draw
    d["Wax"] += draw @ xs[t].T
    d["Waa"] += draw @ a[t - 1].T
    da_next = P["Waa"].T @ draw

# the same loss with torch autograd, on the same weights
T = {{k: torch.tensor(v, requires_grad=True) for k, v in P.items()}}
h, tl = torch.zeros(H, 1, dtype=torch.float64), 0
for t in range(len(X)):
    x = torch.zeros(V, 1, dtype=torch.float64)
    if X[t] is not None:
        x[X[t]] = 1
    h = torch.tanh(T["Wax"] @ x + T["Waa"] @ h + T["b"])
    tl = tl - torch.log_softmax(T["Wya"] @ h + T["by"], dim=0)[Y[t], 0]
tl.backward()
worst = max(float(np.abs(d[k] - T[k].grad.numpy()).max()) for k in P)

norm = lambda grads: float(np.sqrt(sum((v ** 2).sum() for v in grads.values())))
before = norm(d)
if clip is not None:
    d = {{k: np.clip(v, -clip, clip) for k, v in d.items()}}  # element-wise clipping
print(f"loss {{loss:.6f}} (torch {{float(tl.detach()):.6f}})")
print(f"grad norm before clipping {{before:.6f}}, after {{norm(d):.6f}}")
print(f"max |hand-written - autograd| {{worst:.2e}}")
for k in P:
    P[k] -= lr * d[k]  # one SGD step
print(f"loss after one step {{forward(P)[0]:.6f}}")
'''


def expected_output(name: str, chars: str, hidden: int = 50, seed: int = 0, lr: float = 0.01,
                    clip: float | None = 5.0) -> dict[str, float]:
    """What the snippet prints, computed with the library (the test compares the two)."""
    table = {c: i for i, c in enumerate(["\n"] + list(chars))}
    ids = [table[c] for c in name]
    params = init_params(hidden, len(chars) + 1, seed)
    loss, _, before, after = optimize(params, ids, np.zeros((hidden, 1)), lr, clip)
    loss_after, _, _, _ = optimize({k: v.copy() for k, v in params.items()}, ids, np.zeros((hidden, 1)), 0.0, None)
    return {"loss": loss, "before": before, "after": after, "loss_after": loss_after}

