"""Show code for the SRN page: a standalone PyTorch script that reproduces the page.

The script first prints h_t and y_t for the page's weights and input,

    h_t = f(W_ih x_t + W_hh h_{t-1} + b),  y_t = W_out h_t + b_out,  h_0 = 0,

then (when a target is given) trains the same network the way the page's live run does
(:class:`rnnviz.srn.model.SRNRun`): the starting weights, optionally plus the seeded
"break the symmetry" noise u ~ U[-s, s] drawn by ``np.random.default_rng(seed)`` in the order
W_ih, W_hh, b, W_out, b_out; the loss

    L = mean_{t, o} (y_{t,o} - target_{t,o})^2

of the whole sequence per step; the same optimizer and learning rate; the same gradient-norm
clipping. It prints ``step k: loss L_k`` for the first ``steps`` steps, where L_k is the loss of
the weights before update k, as the page's loss curve records it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnviz.srn.model import SRNTrainConfig, SRNWeights

OPTIMIZERS: tuple[str, ...] = ("SGD", "Adam", "RMSprop")  # torch.optim classes make_optimizer knows
_F = {"none": "z", "tanh": "torch.tanh(z)", "relu": "torch.relu(z)", "sigmoid": "torch.sigmoid(z)"}


@dataclass(frozen=True, eq=False)
class CodeConfig:
    """What the script reproduces: the page's input, weights and activation, then its live run."""

    x: np.ndarray  # input sequence (T, 2)
    weights: SRNWeights  # W_ih, W_hh, b, W_out, b_out (before any symmetry-breaking noise)
    activation: str = "tanh"  # none / tanh / relu / sigmoid
    target: np.ndarray | None = None  # target outputs (T, O) of the live run; None: forward table only
    training: SRNTrainConfig = SRNTrainConfig()  # optimizer, learning rate, clipping of the live run
    seed: int = 0  # the page's seed (draws the symmetry-breaking noise)
    noise: float = 0.0  # scale s of the seeded U[-s, s] noise on the starting weights; 0: none
    steps: int = 20  # how many training steps (losses) the script prints


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    script = _script(config.x, config.weights, config.activation)
    if config.target is None or config.steps <= 0:
        return script
    if config.training.optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {config.training.optimizer!r}; choose one of {list(OPTIMIZERS)}")
    head = "import numpy as np\n" if config.noise > 0 else ""
    return head + script + _training(config)


def _lit(a: np.ndarray) -> str:
    return repr(np.asarray(a, float).tolist())


def _script(x: np.ndarray, w: SRNWeights, activation: str) -> str:
    """A standalone PyTorch script that prints h_t and y_t for these weights and input."""
    head = (
        "import torch\n\n"
        "torch.set_default_dtype(torch.float64)\n"
        f"x = torch.tensor({_lit(x)})  # (seq_len, input_size)\n"
        f"W_ih = torch.tensor({_lit(w.W_ih)})  # (hidden, input)\n"
        f"W_hh = torch.tensor({_lit(w.W_hh)})  # (hidden, hidden)\n"
        f"b = torch.tensor({_lit(w.b)})\n"
        f"W_out = torch.tensor({_lit(w.W_out)})  # (output, hidden)\n"
        f"b_out = torch.tensor({_lit(w.b_out)})\n\n"
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
        body = (
            f"# nn.RNN offers only tanh and relu, so '{activation}' is written out as a loop:\n"
            "h_t = torch.zeros(W_hh.shape[0])\n"
            "hs = []\n"
            "for x_t in x:\n"
            "    z = W_ih @ x_t + W_hh @ h_t + b\n"
            f"    h_t = {_F[activation]}\n"
            "    hs.append(h_t)\n"
            "h = torch.stack(hs)  # (seq_len, hidden)\n"
            "y = h @ W_out.T + b_out  # (seq_len, output)\n"
        )
    tail = (
        "\nfor t in range(len(x)):\n"
        "    print(f't={t + 1} h={h[t].tolist()} y={y[t].tolist()}')\n"
    )
    return head + body + tail


def _training(c: CodeConfig) -> str:
    """The live run as a plain training loop, printing the first ``c.steps`` losses."""
    t = c.training
    clip = f"clip the gradient norm at {t.clip!r}" if t.clip is not None else "no clipping"
    lines = [
        "",
        f"# ----- 'Train it live': {t.optimizer}, lr {t.lr!r}, {clip}, first {c.steps} steps",
        "# (the page applies a learning rate or clipping changed mid-run from then on; this starts",
        "# with the current ones. The page also pauses and goes back if the loss turns NaN/inf.)",
        f"target = torch.tensor({_lit(c.target)})  # (seq_len, output)",
        "start = [W_ih, W_hh, b, W_out, b_out]",
    ]
    if c.noise > 0:
        lines += [
            f"# Break the symmetry: seeded noise in [-{c.noise!r}, {c.noise!r}] on every weight, in this order",
            f"rng = np.random.default_rng({int(c.seed)})",
            f"start = [p + torch.from_numpy(rng.uniform(-{c.noise!r}, {c.noise!r}, size=tuple(p.shape))) "
            "for p in start]",
        ]
    lines += [
        "params = [p.clone().requires_grad_() for p in start]  # W_ih, W_hh, b, W_out, b_out",
        f"optimizer = torch.optim.{t.optimizer}(params, lr={t.lr!r})",
        "",
        "",
        "def forward(W_ih, W_hh, b, W_out, b_out):",
        '    """h_t = f(W_ih x_t + W_hh h_{t-1} + b), y_t = W_out h_t + b_out, h_0 = 0."""',
        "    h_t = torch.zeros(W_hh.shape[0])",
        "    hs = []",
        "    for x_t in x:",
        "        z = W_ih @ x_t + W_hh @ h_t + b",
        f"        h_t = {_F[c.activation]}",
        "        hs.append(h_t)",
        "    return torch.stack(hs) @ W_out.T + b_out  # (seq_len, output)",
        "",
        "",
        f"for step in range(1, {int(c.steps) + 1}):",
        "    optimizer.zero_grad()",
        "    loss = torch.mean((forward(*params) - target) ** 2)  # MSE over every step and output",
        "    loss.backward()",
    ]
    if t.clip is not None:
        lines.append(f"    torch.nn.utils.clip_grad_norm_(params, max_norm={t.clip!r})")
    lines += [
        "    optimizer.step()",
        "    print(f'step {step}: loss {loss.item():.12g}')",
    ]
    return "\n".join(lines) + "\n"
