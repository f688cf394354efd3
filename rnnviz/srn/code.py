"""Show code for the SRN page: a standalone PyTorch script that prints h_t and y_t for the page's weights."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.srn.model import SRNWeights


@dataclass(frozen=True, eq=False)
class CodeConfig:
    """What the script reproduces: the page's input, weights and activation."""

    x: np.ndarray  # input sequence (T, 2)
    weights: SRNWeights  # W_ih, W_hh, b, W_out, b_out
    activation: str = "tanh"  # none / tanh / relu / sigmoid


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    return _script(config.x, config.weights, config.activation)


def _script(x: np.ndarray, w: SRNWeights, activation: str) -> str:
    """A standalone PyTorch script that prints h_t and y_t for these weights and input."""
    def lit(a: np.ndarray) -> str:
        return repr(np.asarray(a, float).tolist())

    head = (
        "import torch\n\n"
        "torch.set_default_dtype(torch.float64)\n"
        f"x = torch.tensor({lit(x)})  # (seq_len, input_size)\n"
        f"W_ih = torch.tensor({lit(w.W_ih)})  # (hidden, input)\n"
        f"W_hh = torch.tensor({lit(w.W_hh)})  # (hidden, hidden)\n"
        f"b = torch.tensor({lit(w.b)})\n"
        f"W_out = torch.tensor({lit(w.W_out)})  # (output, hidden)\n"
        f"b_out = torch.tensor({lit(w.b_out)})\n\n"
    )
    if activation in ("tanh", "relu"):
        body = (
            f"rnn = torch.nn.RNN(input_size={w.W_ih.shape[1]}, hidden_size={w.W_ih.shape[0]}, "
            f"nonlinearity='{activation}')\n"
            f"out_layer = torch.nn.Linear({w.W_out.shape[1]}, {w.W_out.shape[0]})\n"
            "with torch.no_grad():\n"
            "    rnn.weight_ih_l0.copy_(W_ih)\n"
            "    rnn.weight_hh_l0.copy_(W_hh)\n"
            "    rnn.bias_ih_l0.copy_(b)\n"
            "    rnn.bias_hh_l0.zero_()\n"
            "    out_layer.weight.copy_(W_out)\n"
            "    out_layer.bias.copy_(b_out)\n"
            "    h0 = torch.zeros(1, 1, W_hh.shape[0])  # (num_layers, batch, hidden)\n"
            "    out, h_n = rnn(x.unsqueeze(1), h0)  # out: (seq_len, batch=1, hidden)\n"
            "    h = out[:, 0]  # (seq_len, hidden)\n"
            "    y = out_layer(h)  # (seq_len, output)\n"
        )
    else:
        f = {"none": "z", "sigmoid": "torch.sigmoid(z)"}[activation]
        body = (
            f"# nn.RNN offers only tanh and relu, so '{activation}' is written out as a loop:\n"
            "h_t = torch.zeros(W_hh.shape[0])\n"
            "hs = []\n"
            "for x_t in x:\n"
            "    z = W_ih @ x_t + W_hh @ h_t + b\n"
            f"    h_t = {f}\n"
            "    hs.append(h_t)\n"
            "h = torch.stack(hs)  # (seq_len, hidden)\n"
            "y = h @ W_out.T + b_out  # (seq_len, output)\n"
        )
    tail = (
        "\nfor t in range(len(x)):\n"
        "    print(f't={t + 1} h={h[t].tolist()} y={y[t].tolist()}')\n"
    )
    return head + body + tail
