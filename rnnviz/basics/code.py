"""Show code: each of the three ways as a standalone script with the page's current settings.

The scripts make the same points, the same start (``np.random.default_rng(seed).random(4)``) and
the same updates as the page's run, so the losses they print every 100 steps are the page's
numbers at those steps (a test executes them and compares).
"""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.basics.run import BasicsConfig

PRINT_EVERY = 100  # the scripts print the loss at every 100th step


def _header(way: str, seed: int) -> str:
    return f'"""{way} (rnnviz, Training loop basics, seed {seed})."""\n'


def _print_lines(loss: str) -> str:
    return (f"    if step % {PRINT_EVERY} == 0:\n"
            f'        print(f"step {{step}} loss {{{loss}:.12g}}")\n')


def numpy_code(config: BasicsConfig, seed: int, steps: int = 2000) -> str:
    """Way 1: the notes' NumPy loop, gradients by hand."""
    mean = config.reduction == "mean"
    return (
        _header("Way 1: gradients written by hand in NumPy", seed)
        + "import numpy as np\n\n"
        f"x = np.linspace(-np.pi, np.pi, {config.n_points})\n"
        "y = np.sin(x)\n\n"
        f"a, b, c, d = np.random.default_rng({seed}).random(4)  # the page's random start, each in [0, 1)\n"
        f"learning_rate = {config.lr!r}\n\n"
        f"for step in range(1, {int(steps)} + 1):\n"
        "    y_pred = a + b * x + c * x**2 + d * x**3  # 1 forward\n"
        + ("    loss = np.square(y_pred - y).mean()  # 2 loss: mean of the squared errors\n"
           "    grad_y_pred = 2 * (y_pred - y) / len(x)  # 3 backward, by hand: dL/dy_pred\n" if mean else
           "    loss = np.square(y_pred - y).sum()  # 2 loss: sum of the squared errors\n"
           "    grad_y_pred = 2 * (y_pred - y)  # 3 backward, by hand: dL/dy_pred\n")
        + "    grad_a = grad_y_pred.sum()  # dL/da = sum dL/dy_pred * 1\n"
        "    grad_b = (grad_y_pred * x).sum()  # dL/db = sum dL/dy_pred * x\n"
        "    grad_c = (grad_y_pred * x**2).sum()\n"
        "    grad_d = (grad_y_pred * x**3).sum()\n"
        "    a -= learning_rate * grad_a  # 4 update\n"
        "    b -= learning_rate * grad_b\n"
        "    c -= learning_rate * grad_c\n"
        "    d -= learning_rate * grad_d\n"
        "    # 5 nothing to zero: grad_a ... grad_d are new variables at every step\n"
        + _print_lines("loss")
        + '\nprint(f"y_pred = {a:.6f} + {b:.6f}*x + {c:.6f}*x^2 + {d:.6f}*x^3")\n'
    )


def autograd_code(config: BasicsConfig, seed: int, steps: int = 2000) -> str:
    """Way 2: the same loop, the gradients by ``loss.backward()``."""
    reduce = "mean" if config.reduction == "mean" else "sum"
    zero = ("    # 5 zero the gradient: FORGOTTEN (the page's toggle), so the next backward() adds to .grad\n"
            "    # a.grad = None; b.grad = None; c.grad = None; d.grad = None\n" if config.forget_zero_grad else
            "    a.grad = None  # 5 zero the gradient (backward() adds to .grad)\n"
            "    b.grad = None\n"
            "    c.grad = None\n"
            "    d.grad = None\n")
    return (
        _header("Way 2: the gradients by autograd (loss.backward())", seed)
        + "import numpy as np\n"
        "import torch\n\n"
        f"x = torch.linspace(-torch.pi, torch.pi, {config.n_points}, dtype=torch.float64)\n"
        "y = torch.sin(x)\n\n"
        f"start = np.random.default_rng({seed}).random(4)  # the page's random start, each in [0, 1)\n"
        "a, b, c, d = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in start)\n"
        f"learning_rate = {config.lr!r}\n\n"
        f"for step in range(1, {int(steps)} + 1):\n"
        "    y_pred = a + b * x + c * x**2 + d * x**3  # 1 forward (records the graph)\n"
        f"    loss = torch.square(y_pred - y).{reduce}()  # 2 loss\n"
        "    loss.backward()  # 3 backward: a.grad, b.grad, c.grad, d.grad\n"
        "    with torch.no_grad():  # 4 update (not recorded in the graph)\n"
        "        a -= learning_rate * a.grad\n"
        "        b -= learning_rate * b.grad\n"
        "        c -= learning_rate * c.grad\n"
        "        d -= learning_rate * d.grad\n"
        + zero
        + _print_lines("loss.item()")
        + '\nprint(f"y_pred = {a.item():.6f} + {b.item():.6f}*x + {c.item():.6f}*x^2 + {d.item():.6f}*x^3")\n'
    )


_OPTIMIZER_CALLS = {
    "SGD": "torch.optim.SGD(model.parameters(), lr={lr!r})",
    "SGD + momentum": "torch.optim.SGD(model.parameters(), lr={lr!r}, momentum=0.9)",
    "RMSprop": "torch.optim.RMSprop(model.parameters(), lr={lr!r})",
    "Adam": "torch.optim.Adam(model.parameters(), lr={lr!r})",
}


def linear_code(config: BasicsConfig, seed: int, steps: int = 2000) -> str:
    """Way 3: ``nn.Linear(3, 1)`` + ``nn.Flatten(0, 1)``, ``nn.MSELoss()`` and an optimizer."""
    zero = ("    # optimizer.zero_grad()  # FORGOTTEN (the page's toggle): backward() adds to .grad\n"
            if config.forget_zero_grad else "    optimizer.zero_grad()  # zero the gradient\n")
    return (
        _header("Way 3: nn.Linear(3, 1) + nn.Flatten(0, 1) and an optimizer", seed)
        + "import numpy as np\n"
        "import torch\n"
        "from torch import nn\n\n\n"
        "class Cubic(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.model = nn.Sequential(nn.Linear(3, 1), nn.Flatten(0, 1))\n\n"
        "    def forward(self, features):  # (N, 3) -> (N, 1) -> (N,)\n"
        "        return self.model(features)\n\n\n"
        f"x = torch.linspace(-torch.pi, torch.pi, {config.n_points}, dtype=torch.float64)\n"
        "y = torch.sin(x)\n"
        "features = x.unsqueeze(-1).pow(torch.tensor([1, 2, 3]))  # (N, 3): x, x^2, x^3\n\n"
        "model = Cubic().double()\n"
        f"a, b, c, d = np.random.default_rng({seed}).random(4)  # the page's random start, each in [0, 1)\n"
        "with torch.no_grad():  # bias = a, weights = [b, c, d]\n"
        "    model.model[0].bias.fill_(a)\n"
        "    model.model[0].weight.copy_(torch.tensor([[b, c, d]], dtype=torch.float64))\n"
        f"optimizer = {_OPTIMIZER_CALLS[config.optimizer].format(lr=config.lr3)}\n"
        "loss_fn = nn.MSELoss()  # the mean of the squared errors\n\n"
        f"for step in range(1, {int(steps)} + 1):\n"
        "    y_pred = model(features)  # forward\n"
        "    loss = loss_fn(y_pred, y)  # loss\n"
        + zero
        + "    loss.backward()  # backward\n"
        "    optimizer.step()  # update\n"
        + _print_lines("loss.item()")
        + "\nlayer = model.model[0]\n"
        'print(f"y_pred = {layer.bias.item():.6f} + {layer.weight[0, 0].item():.6f}*x + '
        '{layer.weight[0, 1].item():.6f}*x^2 + {layer.weight[0, 2].item():.6f}*x^3")\n'
    )


CODE = {"numpy": numpy_code, "autograd": autograd_code, "linear": linear_code}


@dataclass(frozen=True)
class CodeConfig:
    """What the script reproduces: one of the three ways with the page's current settings."""

    way: str  # numpy / autograd / linear
    config: BasicsConfig  # the fit's settings, live values included (the script uses them from step 0)
    seed: int  # the page's seed: the random start
    steps: int = 2000  # steps the script runs (the notes: 2,000 for ways 2 and 3)


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    return CODE[config.way](config.config, config.seed, config.steps)
