"""The Show-code snippet: one of the three models, the page's current settings, plain PyTorch.

The script rebuilds the same data, the same initial weights (``torch.manual_seed``
then construction, exactly as :func:`rnnviz.core.seeding.seeded` does) and the same
batches, and it scores the model as :meth:`rnnviz.gated.run.GatedRun.evaluate` does:
at step 0 and every ``eval_every`` steps it prints one point of the page's curves
(train and test loss, train and test accuracy) for that model. A test runs it from
an empty folder and compares those numbers with a headless run.

The digits script finds the data from any folder: the project's ``assets/digits.npz``
(its absolute path is written into the script), else a ``digits.npz`` next to the
script, else scikit-learn's copy of the same 1797 images.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.core.recurrent import cell_facts
from rnnviz.gated.data import ASSET, DIGITS_TEST, DISTRACTORS, LETTERS, LONG_TEST, SPLIT_SEED, SYMBOLS
from rnnviz.gated.model import NAMES, OPENING_GATES, GatedConfig


def _path_literal(path: str) -> str:
    """A Python literal for ``path``: a raw string, as written by hand, whenever that is valid."""
    return f'r"{path}"' if '"' not in path and not path.endswith("\\") else repr(path)


def _digits_block() -> str:
    return (
        "def load_digits():\n"
        '    """UCI optdigits: 1797 images (N, 8, 8), values 0..16, and digits (N,), in scikit-learn\'s order."""\n'
        '    here = Path(globals().get("__file__", "digits.npz")).with_name("digits.npz")  # next to this script\n'
        "    for path in (DIGITS, here):\n"
        "        if path.is_file():\n"
        "            with np.load(path) as data:\n"
        '                return data["images"], data["labels"]\n'
        "    try:\n"
        "        from sklearn import datasets  # scikit-learn ships the same 1797 images, in the same order\n"
        "    except ImportError:\n"
        '        raise SystemExit(f"digits.npz is neither at {DIGITS} nor next to this script: copy "\n'
        '                         "assets/digits.npz next to this script or pip install scikit-learn") from None\n'
        "    data = datasets.load_digits()\n"
        "    return data.images, data.target\n\n\n"
        "images, labels = load_digits()\n"
        "images = images.astype(np.float32) / 16.0  # (1797, 8, 8): each image = 8 rows of 8 pixels, now 0..1\n"
        "labels = labels.astype(np.int64)  # (1797,)\n"
        f"perm = np.random.default_rng({SPLIT_SEED}).permutation(len(labels))  # the page's fixed split\n"
        f"test, train = perm[:{DIGITS_TEST}], perm[{DIGITS_TEST}:]\n"
        "x_train, y_train = torch.from_numpy(images[train]), torch.from_numpy(labels[train])\n"
        "x_test, y_test = torch.from_numpy(images[test]), torch.from_numpy(labels[test])\n"
    )


def _data_block(config: GatedConfig, seed: int) -> str:
    if config.task == "digits":
        return (
            _digits_block()
            + f"rng = np.random.default_rng([{seed}, 0])  # draws the training batches\n\n\n"
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


def _evaluate_block(kind: str, config: GatedConfig) -> str:
    """``evaluate(step, window)``: one point of the page's curves, printed as one line."""
    if config.task == "digits":
        first = ("        else:  # step 0, no batch seen yet: the whole training set\n"
                 "            logits = model(x_train)  # (N_train, C)\n"
                 "            train_loss = loss_fn(logits, y_train).item()\n"
                 "            train_acc = (logits.argmax(1) == y_train).float().mean().item()\n")
    else:
        first = ("        else:  # step 0, no batch seen yet: training sequences are like the test ones\n"
                 "            train_loss, train_acc = test_loss, test_acc\n")
    return (
        "def evaluate(step, window):\n"
        '    """Print one point of the page\'s curves and table, then empty the window."""\n'
        "    with torch.no_grad():\n"
        "        logits = model(x_test)  # (N_test, C)\n"
        "        test_loss = loss_fn(logits, y_test).item()\n"
        "        test_acc = (logits.argmax(1) == y_test).float().mean().item()\n"
        "        if window:  # the mean over the training batches since the previous point\n"
        "            train_loss, train_acc = np.mean(window, axis=0)  # window: (steps, 2)\n"
        + first
        + '    print(f"step {step}  train loss {train_loss:.6f}  test loss {test_loss:.6f}  "\n'
        '          f"train acc {train_acc:.2%}  test acc {test_acc:.2%}")\n'
        "    window.clear()\n\n\n"
        f'print("{NAMES[kind]}: the points of the page\'s curves (train dotted, test solid) and table, every '
        f'{config.eval_every} steps")\n'
        'print("train = mean over the training batches since the previous line, test = the whole test set")\n'
    )


def _script(kind: str, config: GatedConfig, hidden: int, input_size: int, n_classes: int, seed: int,
            steps: int = 200, lr: float | None = None, clip: float | None = None) -> str:
    """A standalone script training ``kind`` (``rnn``/``lstm``/``gru``) as the page does.

    At step 0 and every ``config.eval_every`` steps it prints
    ``step s  train loss L  test loss L  train acc A%  test acc A%``: the points of the
    page's loss and accuracy curves (train = mean over the batches since the previous
    point) and the table's accuracies. ``lr``/``clip`` are the live values (default: the config's).
    """
    lr = config.lr if lr is None else lr
    extra = f", nonlinearity={config.rnn_nonlinearity!r}" if kind == "rnn" else ""
    clip_line = (f"    nn.utils.clip_grad_norm_(model.parameters(), max_norm={float(clip)})\n"
                 if clip is not None else "")
    digits = config.task == "digits"
    return (
        f'"""{NAMES[kind]} on the {"digits, row by row" if digits else "long-range memory"} task, '
        f'as on the rnnviz page (seed {seed})."""\n'
        + ("from pathlib import Path\n\n" if digits else "")
        + "import numpy as np\n"
        "import torch\n"
        "from torch import nn\n\n"
        + (f"DIGITS = Path({_path_literal(str(ASSET))})  # the data in the rnnviz folder\n\n\n" if digits else "")
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
        "loss_fn = nn.CrossEntropyLoss()\n\n\n"
        + _evaluate_block(kind, config)
        + "window = []  # (loss, accuracy) of every training batch since the last evaluation\n"
        "evaluate(0, window)\n"
        f"for step in range(1, {int(steps)} + 1):\n"
        f"    x, y = batch({config.batch_size})\n"
        "    logits = model(x)  # (B, C)\n"
        "    loss = loss_fn(logits, y)\n"
        "    optimizer.zero_grad()\n"
        "    loss.backward()\n"
        + clip_line
        + "    optimizer.step()\n"
        "    window.append((loss.item(), (logits.argmax(1) == y).float().mean().item()))\n"
        f"    if step % {config.eval_every} == 0:\n"
        "        evaluate(step, window)\n"
    )
