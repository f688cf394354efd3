"""The from-scratch engine: the course's character-level RNN written in plain NumPy.

One name per step, exactly as in the seed notes (003 section 5):

    a_t = tanh(W_ax x_t + W_aa a_{t-1} + b)        x_t one-hot (V, 1), a_t (H, 1)
    y_t = softmax(W_ya a_t + b_y)                    (V, 1)
    loss = - sum_t log y_t[target_t]                 (summed over the name's characters)

The first input of a name is the zero vector, the last target is the newline. The
gradient comes from backpropagation through time written by hand, each entry is
clipped to [-clip, clip], and plain SGD updates the weights. By default the hidden
state at the end of one name starts the next one, as in the seed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.core.seeding import numpy_generator

Params = dict[str, np.ndarray]
PARAM_NAMES: tuple[str, ...] = ("Wax", "Waa", "Wya", "b", "by")
MAX_VOCAB = 60  # characters (newline included) this engine accepts; see VOCAB_LIMIT_WHY
VOCAB_LIMIT_WHY = (
    "the from-scratch engine reads one-hot vectors and updates every weight by plain SGD, one item at a time, "
    "as in the course: with hundreds of characters each step costs many times more, and most characters are "
    "seen too rarely to be learned in a live session. The PyTorch engine's embedding handles large "
    "vocabularies (Chinese text, for example)"
)


@dataclass(frozen=True)
class ScratchConfig:
    """Settings of the NumPy engine; the defaults are the seed's."""

    hidden: int = 50  # number of hidden units n_a
    lr: float = 0.01  # SGD learning rate
    clip: float | None = 5.0  # element-wise gradient clip value; None turns clipping off
    carry_hidden: bool = True  # start each name from the last hidden state of the previous one (seed)
    init_scale: float = 0.01  # weights start as init_scale * N(0, 1); biases start at 0


def init_params(hidden: int, vocab: int, seed: int, scale: float = 0.01) -> Params:
    """Small random weights, zero biases: ``Wax (H, V), Waa (H, H), Wya (V, H), b (H, 1), by (V, 1)``."""
    g = numpy_generator(seed)
    return {
        "Wax": g.standard_normal((hidden, vocab)) * scale,
        "Waa": g.standard_normal((hidden, hidden)) * scale,
        "Wya": g.standard_normal((vocab, hidden)) * scale,
        "b": np.zeros((hidden, 1)),
        "by": np.zeros((vocab, 1)),
    }


def copy_params(params: Params) -> Params:
    return {k: v.copy() for k, v in params.items()}


def name_xy(ids: list[int]) -> tuple[list[int | None], list[int]]:
    """Inputs and targets of one name: ``X = [None] + ids`` (None = zero vector), ``Y = ids + [newline]``."""
    return [None] + list(ids), list(ids) + [0]


def softmax_col(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - np.max(z))
    return e / e.sum(axis=0)


def forward(params: Params, X: list[int | None], Y: list[int], a0: np.ndarray) -> tuple[float, tuple]:
    """Forward through one name; returns the summed cross-entropy and the cache for :func:`backward`."""
    Wax, Waa, Wya, b, by = (params[k] for k in PARAM_NAMES)
    V = by.shape[0]
    xs, a, y_hat = {}, {-1: np.copy(a0)}, {}
    loss = 0.0
    for t, ix in enumerate(X):
        xs[t] = np.zeros((V, 1))  # one-hot input (V, 1); the zero vector when ix is None
        if ix is not None:
            xs[t][ix] = 1.0
        a[t] = np.tanh(Wax @ xs[t] + Waa @ a[t - 1] + b)  # (H, 1)
        y_hat[t] = softmax_col(Wya @ a[t] + by)  # (V, 1)
        loss -= float(np.log(y_hat[t][Y[t], 0]))
    return loss, (y_hat, a, xs)


def backward(params: Params, X: list[int | None], Y: list[int], cache: tuple) -> Params:
    """Backpropagation through time for :func:`forward`; returns ``dWax, dWaa, dWya, db, dby``."""
    y_hat, a, xs = cache
    Waa, Wya = params["Waa"], params["Wya"]
    g = {f"d{k}": np.zeros_like(params[k]) for k in PARAM_NAMES}
    da_next = np.zeros_like(a[0])
    for t in reversed(range(len(X))):
        dy = y_hat[t].copy()  # dL/dz_t = y_hat - onehot(target)   (V, 1)
        dy[Y[t]] -= 1.0
        g["dWya"] += dy @ a[t].T
        g["dby"] += dy
        da = Wya.T @ dy + da_next  # (H, 1)
        draw = (1.0 - a[t] * a[t]) * da  # through tanh
        g["db"] += draw
        g["dWax"] += draw @ xs[t].T
        g["dWaa"] += draw @ a[t - 1].T
        da_next = Waa.T @ draw
    return g


def global_norm(grads: Params) -> float:
    return float(np.sqrt(sum(float(np.sum(v * v)) for v in grads.values())))


def clip_elementwise(grads: Params, max_value: float) -> Params:
    """Every gradient entry clipped into ``[-max_value, max_value]`` (the seed's ``clip``)."""
    return {k: np.clip(v, -max_value, max_value) for k, v in grads.items()}


def sgd_update(params: Params, grads: Params, lr: float) -> None:
    for k in PARAM_NAMES:
        params[k] -= lr * grads[f"d{k}"]


def optimize(params: Params, ids: list[int], a_prev: np.ndarray, lr: float,
             clip: float | None) -> tuple[float, np.ndarray, float, float]:
    """One SGD step on one name: ``(summed loss, last hidden state, grad norm before, after clipping)``."""
    X, Y = name_xy(ids)
    loss, cache = forward(params, X, Y, a_prev)
    grads = backward(params, X, Y, cache)
    before = global_norm(grads)
    if clip is not None:
        grads = clip_elementwise(grads, clip)
    after = global_norm(grads) if clip is not None else before
    sgd_update(params, grads, lr)
    return loss, cache[1][len(X) - 1], before, after


# ----------------------------------------------------------------------------- batched, for evaluation and sampling
def step_batch(params: Params, a_prev: np.ndarray, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One time step for B sequences at once (rows): ``inputs (B,)`` with -1 = zero vector.

    Returns ``(logits (B, V), a (B, H))``; ``W_ax x`` with a one-hot x is the column ``W_ax[:, ix]``.
    """
    Wax, Waa, Wya, b, by = (params[k] for k in PARAM_NAMES)
    x_part = np.where((inputs >= 0)[:, None], Wax.T[np.maximum(inputs, 0)], 0.0)  # (B, H)
    a = np.tanh(x_part + a_prev @ Waa.T + b.T)  # (B, H)
    return a @ Wya.T + by.T, a  # (B, V), (B, H)


def sequence_forward(params: Params, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All steps of padded sequences ``inputs (B, T)`` from a zero state: ``(logits (B, T, V), a (B, T, H))``."""
    B, T = inputs.shape
    a = np.zeros((B, params["Waa"].shape[0]))
    logits, hidden = [], []
    for t in range(T):
        z, a = step_batch(params, a, inputs[:, t])
        logits.append(z)
        hidden.append(a)
    return np.stack(logits, axis=1), np.stack(hidden, axis=1)  # (B, T, V), (B, T, H)


def padded_names(names: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Inputs ``(B, T)`` (-1 = zero start vector, then the characters) and targets ``(B, T)`` (-100 = padding)."""
    T = max(len(n) for n in names) + 1
    inputs = np.full((len(names), T), -1, dtype=np.int64)
    targets = np.full((len(names), T), -100, dtype=np.int64)
    for i, n in enumerate(names):
        inputs[i, 1:len(n) + 1] = n
        targets[i, :len(n) + 1] = n + [0]
    return inputs, targets


def per_char_loss(params: Params, inputs: np.ndarray, targets: np.ndarray) -> float:
    """Mean cross-entropy per predicted character (newline included), padding ignored."""
    logits, _ = sequence_forward(params, inputs)
    z = logits - logits.max(axis=2, keepdims=True)
    logp = z - np.log(np.exp(z).sum(axis=2, keepdims=True))  # (B, T, V)
    mask = targets >= 0
    picked = np.take_along_axis(logp, np.maximum(targets, 0)[..., None], axis=2)[..., 0]  # (B, T)
    return float(-(picked * mask).sum() / mask.sum())
