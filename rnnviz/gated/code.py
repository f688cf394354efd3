"""The Show-code snippet: one of the three models, the page's current settings, plain PyTorch.

The script rebuilds the same data, the same initial weights (``torch.manual_seed``
then construction, exactly as :func:`rnnviz.core.seeding.seeded` does) and the same
batches, so its printed losses and test accuracies are the page's numbers for
that model (a test executes it and compares).
"""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.core.recurrent import cell_facts
from rnnviz.gated.data import DIGITS_TEST, DISTRACTORS, LETTERS, LONG_TEST, SPLIT_SEED, SYMBOLS
from rnnviz.gated.model import NAMES, OPENING_GATES, GatedConfig


def _data_block(config: GatedConfig, seed: int) -> str:
    if config.task == "digits":
        return (
            "# UCI optdigits, 1797 images of 8x8 pixels (0..16); run this from the rnnviz folder\n"
            'data = np.load("assets/digits.npz")\n'
            'images = data["images"].astype(np.float32) / 16.0  # (1797, 8, 8): each image = 8 rows of 8 pixels\n'
            'labels = data["labels"].astype(np.int64)  # (1797,)\n'
            f"perm = np.random.default_rng({SPLIT_SEED}).permutation(len(labels))  # the page's fixed split\n"
            f"test, train = perm[:{DIGITS_TEST}], perm[{DIGITS_TEST}:]\n"
            "x_train, y_train = torch.from_numpy(images[train]), torch.from_numpy(labels[train])\n"
            "x_test, y_test = torch.from_numpy(images[test]), torch.from_numpy(labels[test])\n"
            f"rng = np.random.default_rng([{seed}, 0])  # draws the training batches\n\n\n"
            "def batch(n):\n"
            "    idx = torch.from_numpy(rng.integers(0, len(y_train), n))  # with replacement\n"
            "    return x_train[idx], y_train[idx]  # (n, 8, 8), (n,)\n"
        )
    n_sym, n_let = len(SYMBOLS), len(LETTERS)
    return (
        f"LENGTH = {config.length}  # distractors after the letter to remember\n"
        f"SYMBOLS = {''.join(SYMBOLS)!r}  # one-hot order: letters {'/'.join(LETTERS)}, "
        f"distractors {DISTRACTORS[0]}..{DISTRACTORS[-1]}\n\n\n"
        "def sequences(rng, n):\n"
        f"    first = rng.integers(0, {n_let}, n)  # the class: which letter comes first\n"
        f"    rest = rng.integers({n_let}, {n_sym}, (n, LENGTH))  # random distractors\n"
        "    seq = np.concatenate([first[:, None], rest], axis=1)  # (n, 1 + LENGTH)\n"
        f"    return torch.from_numpy(np.eye({n_sym}, dtype=np.float32)[seq]), torch.from_numpy(first)\n\n\n"
        f"x_test, y_test = sequences(np.random.default_rng([{seed}, 1]), {LONG_TEST})  # fixed test set\n"
        f"rng = np.random.default_rng([{seed}, 0])  # draws the training batches\n\n\n"
        "def batch(n):\n"
        "    return sequences(rng, n)  # (n, 1 + LENGTH, 12), (n,)\n"
    )


def _bias_block(kind: str, config: GatedConfig, hidden: int) -> str:
    value = {"lstm": config.lstm_forget_bias, "gru": config.gru_update_bias}.get(kind)
    if value is None:
        return ""
    facts, gate = cell_facts(kind), OPENING_GATES[kind]
    rows = facts.gate_rows(gate, hidden)
    what = (f"{'forget' if kind == 'lstm' else 'update'}-gate bias b_{gate} "
            f"(PyTorch orders the {facts.name} gates {', '.join(facts.gates)})")
    return (
        f"with torch.no_grad():  # {what}\n"
        f"    model.rnn.bias_ih_l0[{rows.start}:{rows.stop}] = {float(value)}\n"
        f"    model.rnn.bias_hh_l0[{rows.start}:{rows.stop}] = 0.0  # the two biases add up: total = {float(value)}\n"
    )


@dataclass(frozen=True)
class CodeConfig:
    """What the script reproduces: one of the page's three models, trained as the page trains it."""

    kind: str  # rnn / lstm / gru
    config: GatedConfig  # the page's task and training settings
    hidden: int  # that model's hidden size (the same-budget option changes it)
    input_size: int  # features per time step
    n_classes: int  # classes of the task
    seed: int  # the page's seed
    steps: int = 200  # training steps the script runs
    lr: float | None = None  # the live learning rate (None: the config's)
    clip: float | None = None  # the live clipping (None: the config's)


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    c = config
    return _script(c.kind, c.config, c.hidden, c.input_size, c.n_classes, c.seed, c.steps, c.lr, c.clip)


def _script(kind: str, config: GatedConfig, hidden: int, input_size: int, n_classes: int, seed: int,
                 steps: int = 200, lr: float | None = None, clip: float | None = None) -> str:
    """A standalone script training ``kind`` (``rnn``/``lstm``/``gru``) as the page does.

    It prints ``step s loss L test_acc A`` every ``config.eval_every`` steps.
    ``lr``/``clip`` are the live values (default: the config's).
    """
    lr = config.lr if lr is None else lr
    extra = f", nonlinearity={config.rnn_nonlinearity!r}" if kind == "rnn" else ""
    clip_line = (f"    nn.utils.clip_grad_norm_(model.parameters(), max_norm={float(clip)})\n"
                 if clip is not None else "")
    return (
        f'"""{NAMES[kind]} on the {"digits, row by row" if config.task == "digits" else "long-range memory"} task, '
        f'as on the rnnviz page (seed {seed})."""\n'
        "import numpy as np\n"
        "import torch\n"
        "from torch import nn\n\n"
        + _data_block(config, seed)
        + "\n\nclass Classifier(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        f"        self.rnn = nn.{NAMES[kind]}({input_size}, {hidden}, batch_first=True{extra})\n"
        f"        self.fc = nn.Linear({hidden}, {n_classes})\n\n"
        "    def forward(self, x):  # x: (B, T, I)\n"
        "        out, state = self.rnn(x)  # out: (B, T, H), every hidden state\n"
        "        return self.fc(out[:, -1])  # classify from the last output: (B, C)\n\n\n"
        f"torch.manual_seed({seed})  # the same initial weights as the page\n"
        "model = Classifier()\n"
        + _bias_block(kind, config, hidden)
        + f"optimizer = torch.optim.{config.optimizer}(model.parameters(), lr={float(lr)})\n"
        "loss_fn = nn.CrossEntropyLoss()\n\n"
        f"for step in range(1, {int(steps)} + 1):\n"
        f"    x, y = batch({config.batch_size})\n"
        "    loss = loss_fn(model(x), y)\n"
        "    optimizer.zero_grad()\n"
        "    loss.backward()\n"
        + clip_line
        + "    optimizer.step()\n"
        f"    if step % {config.eval_every} == 0:\n"
        "        with torch.no_grad():\n"
        "            test_acc = (model(x_test).argmax(1) == y_test).float().mean().item()\n"
        '        print(f"step {step} loss {loss.item():.6f} test_acc {test_acc:.4f}")\n'
    )
