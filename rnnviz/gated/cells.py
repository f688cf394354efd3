"""The three recurrent cells written out step by step: their equations, a NumPy oracle and a torch unroll.

PyTorch stacks the gate weights of one layer in a single matrix, in the order of
:data:`rnnviz.core.recurrent.CELLS` (LSTM ``[i, f, g, o]``, GRU ``[r, z, n]``, RNN one block).

The NumPy functions recompute every gate from a module's own weights and return
them all (the page's gate heatmaps are drawn from these very arrays); tests check
them against ``nn.LSTM``/``nn.GRU``/``nn.RNN``. The torch unroll keeps every
``h_t`` as a graph node so that ``dL/dh_t`` can be read for each time step.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import nn

from rnnviz.core.recurrent import CELLS

KINDS: tuple[str, ...] = tuple(name.lower() for name in CELLS)  # ("rnn", "lstm", "gru")
# What a trace returns per kind: the gates in PyTorch's order, then the states (lstm: i f g o c h; gru: r z n h).
GATES: dict[str, tuple[str, ...]] = {kind: CELLS[kind.upper()].gates + CELLS[kind.upper()].states for kind in KINDS}
# The updates the functions below compute, in LaTeX. b_i stands for PyTorch's two biases added: b_ii + b_hi, and so on.
EQUATIONS: dict[str, list[str]] = {
    "rnn": [r"h_t = f\left(W_{ih}\,x_t + W_{hh}\,h_{t-1} + b\right),\quad f = \tanh \text{ or relu}"],
    "lstm": [
        r"i_t = \sigma(W_{ii}x_t + W_{hi}h_{t-1} + b_i)",
        r"f_t = \sigma(W_{if}x_t + W_{hf}h_{t-1} + b_f)",
        r"g_t = \tanh(W_{ig}x_t + W_{hg}h_{t-1} + b_g)",
        r"o_t = \sigma(W_{io}x_t + W_{ho}h_{t-1} + b_o)",
        r"c_t = f_t \odot c_{t-1} + i_t \odot g_t",
        r"h_t = o_t \odot \tanh(c_t)",
    ],
    "gru": [
        r"r_t = \sigma(W_{ir}x_t + W_{hr}h_{t-1} + b_r)",
        r"z_t = \sigma(W_{iz}x_t + W_{hz}h_{t-1} + b_z)",
        r"n_t = \tanh\big(W_{in}x_t + b_{in} + r_t \odot (W_{hn}h_{t-1} + b_{hn})\big)",
        r"h_t = (1 - z_t) \odot n_t + z_t \odot h_{t-1}",
    ],
}


def cell_weights(module: nn.Module) -> dict[str, np.ndarray]:
    """``W_ih``, ``W_hh``, ``b_ih``, ``b_hh`` of a one-layer ``nn.RNN/LSTM/GRU`` as float64 arrays."""
    return {
        "W_ih": module.weight_ih_l0.detach().double().numpy().copy(),  # (G*H, I)
        "W_hh": module.weight_hh_l0.detach().double().numpy().copy(),  # (G*H, H)
        "b_ih": module.bias_ih_l0.detach().double().numpy().copy(),  # (G*H,)
        "b_hh": module.bias_hh_l0.detach().double().numpy().copy(),  # (G*H,)
    }


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def _named(kind: str, steps: list[tuple[np.ndarray, ...]]) -> dict[str, np.ndarray]:
    """Per-step tuples (in the order of ``GATES[kind]``) -> one (T, H) array per name."""
    return {k: np.array(v) for k, v in zip(GATES[kind], zip(*steps))}


def rnn_trace(x: np.ndarray, w: dict[str, np.ndarray], nonlinearity: str = "tanh") -> dict[str, np.ndarray]:
    """Vanilla RNN over one sequence x (T, I). Returns ``{"h": (T, H)}``.

    h_t = f(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh),  f = tanh or relu,  h_0 = 0
    """
    f: Callable[[np.ndarray], np.ndarray] = np.tanh if nonlinearity == "tanh" else (lambda v: np.maximum(v, 0.0))
    h_t = np.zeros(w["W_hh"].shape[1])  # (H,)
    hs = []
    for x_t in np.asarray(x, dtype=float):  # (I,)
        h_t = f(w["W_ih"] @ x_t + w["b_ih"] + w["W_hh"] @ h_t + w["b_hh"])  # (H,)
        hs.append(h_t)
    return {"h": np.array(hs)}


def lstm_trace(x: np.ndarray, w: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """LSTM over one sequence x (T, I). Returns i, f, g, o, c, h, each (T, H).

    i_t = σ(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi)      input gate
    f_t = σ(W_if x_t + b_if + W_hf h_{t-1} + b_hf)      forget gate
    g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)   cell candidate
    o_t = σ(W_io x_t + b_io + W_ho h_{t-1} + b_ho)      output gate
    c_t = f_t ⊙ c_{t-1} + i_t ⊙ g_t,   h_t = o_t ⊙ tanh(c_t),   h_0 = c_0 = 0
    """
    H = w["W_hh"].shape[1]
    h_t, c_t = np.zeros(H), np.zeros(H)  # (H,), (H,)
    steps = []
    for x_t in np.asarray(x, dtype=float):  # (I,)
        a = w["W_ih"] @ x_t + w["b_ih"] + w["W_hh"] @ h_t + w["b_hh"]  # (4H,) pre-activations
        i, f, g, o = _sigmoid(a[:H]), _sigmoid(a[H:2 * H]), np.tanh(a[2 * H:3 * H]), _sigmoid(a[3 * H:])
        c_t = f * c_t + i * g
        h_t = o * np.tanh(c_t)
        steps.append((i, f, g, o, c_t, h_t))
    return _named("lstm", steps)


def gru_trace(x: np.ndarray, w: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """GRU over one sequence x (T, I). Returns r, z, n, h, each (T, H).

    r_t = σ(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)            reset gate
    z_t = σ(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)            update gate
    n_t = tanh(W_in x_t + b_in + r_t ⊙ (W_hn h_{t-1} + b_hn))  candidate
    h_t = (1 - z_t) ⊙ n_t + z_t ⊙ h_{t-1},   h_0 = 0
    """
    H = w["W_hh"].shape[1]
    h_t = np.zeros(H)  # (H,)
    steps = []
    for x_t in np.asarray(x, dtype=float):  # (I,)
        gi = w["W_ih"] @ x_t + w["b_ih"]  # (3H,) input part
        gh = w["W_hh"] @ h_t + w["b_hh"]  # (3H,) recurrent part
        r = _sigmoid(gi[:H] + gh[:H])
        z = _sigmoid(gi[H:2 * H] + gh[H:2 * H])
        n = np.tanh(gi[2 * H:] + r * gh[2 * H:])
        h_t = (1.0 - z) * n + z * h_t
        steps.append((r, z, n, h_t))
    return _named("gru", steps)


def trace(kind: str, x: np.ndarray, module: nn.Module, nonlinearity: str = "tanh") -> dict[str, np.ndarray]:
    """Every gate and state of ``module`` (kind ``rnn``/``lstm``/``gru``) on one sequence x (T, I)."""
    w = cell_weights(module)
    if kind == "lstm":
        return lstm_trace(x, w)
    if kind == "gru":
        return gru_trace(x, w)
    return rnn_trace(x, w, nonlinearity)


# ----------------------------------------------------------------------------- torch unroll (for gradients)
def unroll(kind: str, module: nn.Module, x: torch.Tensor, nonlinearity: str = "tanh") -> list[torch.Tensor]:
    """The same equations as above in torch, one step at a time, batch-first x (B, T, I).

    Returns the hidden states ``[h_1, ..., h_T]`` (each (B, H)) as separate graph nodes,
    so that ``torch.autograd.grad(loss, hs)`` gives the full ``dL/dh_t`` through time
    (``nn.RNN`` returns its outputs as one tensor, whose gradient only shows the loss's
    direct use of each output, not the path through later steps).
    """
    W_ih, W_hh = module.weight_ih_l0, module.weight_hh_l0  # (G*H, I), (G*H, H)
    b_ih, b_hh = module.bias_ih_l0, module.bias_hh_l0  # (G*H,)
    H = W_hh.shape[1]
    h_t = x.new_zeros(x.shape[0], H)  # (B, H)
    c_t = x.new_zeros(x.shape[0], H)  # (B, H), LSTM only
    hs: list[torch.Tensor] = []
    for t in range(x.shape[1]):
        x_t = x[:, t]  # (B, I)
        if kind == "lstm":
            a = x_t @ W_ih.T + b_ih + h_t @ W_hh.T + b_hh  # (B, 4H)
            i, f, g, o = a.chunk(4, dim=1)  # each (B, H)
            c_t = torch.sigmoid(f) * c_t + torch.sigmoid(i) * torch.tanh(g)
            h_t = torch.sigmoid(o) * torch.tanh(c_t)
        elif kind == "gru":
            gi = x_t @ W_ih.T + b_ih  # (B, 3H)
            gh = h_t @ W_hh.T + b_hh  # (B, 3H)
            r = torch.sigmoid(gi[:, :H] + gh[:, :H])
            z = torch.sigmoid(gi[:, H:2 * H] + gh[:, H:2 * H])
            n = torch.tanh(gi[:, 2 * H:] + r * gh[:, 2 * H:])
            h_t = (1 - z) * n + z * h_t
        else:
            a = x_t @ W_ih.T + b_ih + h_t @ W_hh.T + b_hh  # (B, H)
            h_t = torch.tanh(a) if nonlinearity == "tanh" else torch.relu(a)
        hs.append(h_t)
    return hs


def hidden_gradient_norms(kind: str, module: nn.Module, head: nn.Linear, x: torch.Tensor, y: torch.Tensor,
                          nonlinearity: str = "tanh") -> np.ndarray:
    """||dL/dh_t|| for t = 1..T, averaged over the examples of the batch. Returns (T,).

    L is one example's cross-entropy loss on the classifier ``head(h_T)``; the
    losses are summed (not averaged) so that each example's gradient is its own.
    The weights are not changed (their gradients are discarded).
    """
    with torch.enable_grad():
        hs = unroll(kind, module, x, nonlinearity)
        loss = nn.functional.cross_entropy(head(hs[-1]), y, reduction="sum")
        grads = torch.autograd.grad(loss, hs)  # T tensors, each (B, H)
    return np.array([g.norm(dim=1).mean().item() for g in grads])  # (T,)
