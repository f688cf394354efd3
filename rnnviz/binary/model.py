"""The notes' binary-addition network in NumPy: forward pass and hand-written backpropagation through time.

Input 2 (bit t of a and of b), hidden H (16 in the notes), output 1, sigmoid everywhere, no
biases. Row vectors, as in the notes (``synapse_0``, ``synapse_h``, ``synapse_1``)::

    h_t = σ(x_t W_ih + h_{t-1} W_hh),   h_0 = 0
    p_t = σ(h_t W_ho)                    the probability that bit t of a + b is 1

Loss per addition: L = ½ Σ_t (y_t - p_t)²; the notes add ``alpha * update`` where
``update = -∂L/∂W``, i.e. plain gradient descent on L. What the notes print as *Error* is
Σ_t |y_t - p_t|.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.binary.data import encode, from_bits

# Examples per slice of a batched forward pass. Big matrix products make OpenBLAS start its threads, which
# on a busy 2-core machine made an all-pairs evaluation 5-50 times slower than small single-thread products.
CHUNK = 1024


@dataclass(frozen=True)
class BinaryConfig:
    """The task and the network (the learning rate is live: it changes a running run)."""

    bits: int = 8  # bits per number = time steps; operands stay below 2**(bits-1)
    hidden: int = 16  # hidden units H
    lr: float = 0.1  # learning rate alpha (live)
    eval_every: int = 500  # additions between scorings of all operand pairs (the carry search runs every 100)

    def __post_init__(self) -> None:
        if not 2 <= self.bits <= 16:
            raise ValueError("bits must be between 2 and 16")
        if self.hidden < 1 or self.eval_every < 1:
            raise ValueError("hidden size and eval_every must be positive")
        if not self.lr > 0:
            raise ValueError("the learning rate must be positive")


NOTES = BinaryConfig()  # the notes' settings: 8 bits, 16 hidden units, learning rate 0.1


@dataclass(frozen=True)
class Weights:
    """The three weight matrices (never changed in place: an update makes new arrays)."""

    W_ih: np.ndarray  # (2, H) input -> hidden, the notes' synapse_0
    W_hh: np.ndarray  # (H, H) hidden -> hidden, the notes' synapse_h
    W_ho: np.ndarray  # (H, 1) hidden -> output, the notes' synapse_1

    @property
    def hidden(self) -> int:
        return self.W_hh.shape[0]

    def as_tuple(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return self.W_ih, self.W_hh, self.W_ho

    def is_finite(self) -> bool:
        return all(np.isfinite(w).all() for w in self.as_tuple())


def init_weights(hidden: int, rng: np.random.RandomState) -> Weights:
    """Uniform in [-1, 1), drawn in the notes' order (synapse_0, synapse_1, synapse_h) from ``rng``.

    With ``np.random.RandomState(0)`` these are exactly the notes' weights after ``np.random.seed(0)``.
    """
    W_ih = 2 * rng.random_sample((2, hidden)) - 1  # (2, H)
    W_ho = 2 * rng.random_sample((hidden, 1)) - 1  # (H, 1)
    W_hh = 2 * rng.random_sample((hidden, hidden)) - 1  # (H, H)
    return Weights(W_ih=W_ih, W_hh=W_hh, W_ho=W_ho)


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^{-z}), without overflow warnings for large |z|."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def forward(W: Weights, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Run the network over ``x (T, B, 2)``: returns ``(p, h)`` with ``p (T, B)`` and ``h (T+1, B, H)``.

    ``h[0]`` is the zero start state; ``h[t+1] = σ(x_t W_ih + h[t] W_hh)``, ``p_t = σ(h[t+1] W_ho)``.
    """
    T, B, _ = x.shape
    if B > CHUNK:  # in slices: OpenBLAS would start threads for big matrices, much slower on a busy machine
        parts = [forward(W, x[:, i:i + CHUNK]) for i in range(0, B, CHUNK)]
        return np.concatenate([p for p, _ in parts], axis=1), np.concatenate([h for _, h in parts], axis=1)
    h = np.zeros((T + 1, B, W.hidden))  # (T+1, B, H)
    xin = x[..., :1] * W.W_ih[0] + x[..., 1:] * W.W_ih[1]  # (T, B, H): x_t W_ih for every step at once
    for t in range(T):
        h[t + 1] = sigmoid(xin[t] + h[t] @ W.W_hh)  # (B, H)
    p = sigmoid((h[1:] * W.W_ho[:, 0]).sum(axis=-1))  # (T, B): h_t W_ho for every step at once
    return p, h


def backward(W: Weights, x: np.ndarray, y: np.ndarray, p: np.ndarray, h: np.ndarray) -> Weights:
    """∂L/∂W of L = ½ Σ_{t,b} (y - p)², by backpropagation through time (the notes' second loop).

    Going back from the last step: δo_t = (p_t - y_t) p_t (1 - p_t) at the output,
    δh_t = (δh_{t+1} W_hhᵀ + δo_t W_hoᵀ) ⊙ h_t (1 - h_t) in the hidden layer; each weight's
    gradient adds up its contribution from every step (the same weights are used at every step).
    """
    T, B, H = x.shape[0], x.shape[1], W.hidden
    d_o = (p - y) * p * (1 - p)  # (T, B)
    back_o = d_o[..., None] * W.W_ho[:, 0]  # (T, B, H): δo_t W_hoᵀ for every step at once
    slope = h[1:] * (1 - h[1:])  # (T, B, H): σ'(z) = h (1 - h)
    d_h = np.empty((T, B, H))  # (T, B, H): δh_t
    d_next = np.zeros((B, H))  # δh_{t+1}, zero after the last step
    W_hh_T = W.W_hh.T
    for t in reversed(range(T)):
        d_next = d_h[t] = (d_next @ W_hh_T + back_o[t]) * slope[t]  # (B, H)
    # every weight is used at every step: its gradient sums the contributions of all steps (and examples)
    flat_d = d_h.reshape(T * B, H)  # (T*B, H)
    g_ih = x.reshape(T * B, 2).T @ flat_d  # (2, H)
    g_hh = h[:-1].reshape(T * B, H).T @ flat_d  # (H, H): h_{t-1}ᵀ δh_t
    g_ho = h[1:].reshape(T * B, H).T @ d_o.reshape(T * B, 1)  # (H, 1): h_tᵀ δo_t
    return Weights(W_ih=g_ih, W_hh=g_hh, W_ho=g_ho)


def loss(p: np.ndarray, y: np.ndarray) -> float:
    """L = ½ Σ (y - p)², the quantity the updates descend."""
    return float(0.5 * ((y - p) ** 2).sum())


def notes_error(p: np.ndarray, y: np.ndarray) -> float:
    """What the notes print as Error: Σ_t |y_t - p_t| over the bits of an addition."""
    return float(np.abs(y - p).sum())


def sgd(W: Weights, grads: Weights, lr: float) -> Weights:
    """W ← W - lr ∂L/∂W (the notes' ``synapse += update * alpha`` with ``update = -∂L/∂W``), as new arrays."""
    return Weights(W_ih=W.W_ih - lr * grads.W_ih, W_hh=W.W_hh - lr * grads.W_hh, W_ho=W.W_ho - lr * grads.W_ho)


def gradients(W: Weights, a: np.ndarray | int, b: np.ndarray | int, bits: int) -> tuple[float, Weights]:
    """The loss and its hand-written BPTT gradients for operands ``a``, ``b`` (ints or arrays)."""
    x, y = encode(a, b, bits)
    p, h = forward(W, x)
    return loss(p, y), backward(W, x, y, p, h)


def add(W: Weights, a: np.ndarray | int, b: np.ndarray | int, bits: int) -> np.ndarray | int:
    """What the network answers for ``a + b`` (each output bit rounded at 0.5)."""
    x, _ = encode(a, b, bits)
    p, _ = forward(W, x)  # (T, B)
    out = from_bits(p.T)  # (B,)
    return out if np.ndim(a) else int(np.atleast_1d(out)[0])


def accuracy(W: Weights, a: np.ndarray, b: np.ndarray, bits: int) -> tuple[float, float]:
    """Over operand arrays: (fraction of additions exactly right, fraction of output bits right)."""
    exact = bits_right = 0.0
    for i in range(0, len(a), CHUNK):  # slice by slice: no big hidden-state array is ever kept
        x, y = encode(a[i:i + CHUNK], b[i:i + CHUNK], bits)
        p, _ = forward(W, x)  # (T, B)
        right = (p > 0.5) == (y > 0.5)  # (T, B)
        exact += float(right.all(axis=0).sum())
        bits_right += float(right.sum())
    return exact / len(a), bits_right / (len(a) * bits)


@dataclass(frozen=True)
class AdditionTrace:
    """Everything one addition does inside the network, step by step (time = bit position, LSB first)."""

    a: int  # first operand
    b: int  # second operand
    x: np.ndarray  # (T, 2) input bits [a_t, b_t]
    y: np.ndarray  # (T,) target bits of a + b
    z_h: np.ndarray  # (T, H) hidden pre-activations x_t W_ih + h_{t-1} W_hh
    from_input: np.ndarray  # (T, H) the x_t W_ih part of z_h
    h: np.ndarray  # (T+1, H) hidden states, h[0] = 0
    z_o: np.ndarray  # (T,) output pre-activations h_t W_ho
    p: np.ndarray  # (T,) output probabilities
    weights: Weights  # the weights that produced it

    @property
    def bits(self) -> int:
        return len(self.y)

    @property
    def predicted_bits(self) -> np.ndarray:
        return (self.p > 0.5).astype(int)  # (T,)

    @property
    def predicted(self) -> int:
        return int(from_bits(self.p))

    @property
    def correct(self) -> bool:
        return self.predicted == self.a + self.b


def trace(W: Weights, a: int, b: int, bits: int) -> AdditionTrace:
    """Run one addition and keep every intermediate number (for the bit-by-bit views and the stepper)."""
    x, y = encode(int(a), int(b), bits)  # (T, 1, 2), (T, 1)
    x1 = x[:, 0]  # (T, 2)
    T, H = bits, W.hidden
    h = np.zeros((T + 1, H))  # (T+1, H)
    z_h, from_input = np.zeros((T, H)), x1 @ W.W_ih  # (T, H), (T, H)
    for t in range(T):
        z_h[t] = from_input[t] + h[t] @ W.W_hh  # (H,)
        h[t + 1] = sigmoid(z_h[t])
    z_o = h[1:] @ W.W_ho[:, 0]  # (T,)
    return AdditionTrace(a=int(a), b=int(b), x=x1, y=y[:, 0], z_h=z_h, from_input=from_input, h=h, z_o=z_o,
                         p=sigmoid(z_o), weights=W)
