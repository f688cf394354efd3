"""The page's Show-code snippets: one standalone script per engine that replays the page's first steps.

Each script holds what it needs (the vocabulary and the names of its first steps, in the page's
order), builds the same starting weights from the same seed, trains exactly as the page does and
prints ``step k loss L smoothed S``: the page's per-character loss and its smoothed curve for
those steps (a test runs both scripts and compares them with the engines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rnnviz.char_lm.data import Corpus
from rnnviz.char_lm.numpy_engine import ScratchConfig
from rnnviz.char_lm.torch_engine import BatchSampler, TorchConfig
from rnnviz.core import recurrent
from rnnviz.core.seeding import numpy_generator, torch_generator

NUMPY_STEPS = 20  # steps the NumPy script replays (one name each)
TORCH_STEPS = 5  # steps the PyTorch script replays (one batch each)


@dataclass(frozen=True)
class CodeConfig:
    """What a script reproduces: the engine's settings, the seed, and the items of its first steps."""

    engine: str  # "numpy" or "torch"
    chars: str  # the vocabulary without the newline (index 0)
    steps: tuple[tuple[str, ...], ...]  # the items of each step, in the page's order
    seed: int = 0  # the page's seed
    numpy: ScratchConfig = field(default_factory=ScratchConfig)  # settings of the NumPy engine (engine == "numpy")
    torch: TorchConfig = field(default_factory=TorchConfig)  # settings of the PyTorch engine (engine == "torch")


def numpy_code(corpus: Corpus, config: ScratchConfig, seed: int, steps: int = NUMPY_STEPS) -> CodeConfig:
    """The NumPy engine's first ``steps`` names: its training names shuffled once with ``seed + 1``."""
    order = numpy_generator(seed + 1).permutation(len(corpus.train))
    names = tuple((corpus.train[order[k % len(order)]],) for k in range(steps))
    return CodeConfig("numpy", "".join(corpus.chars[1:]), names, seed, numpy=config)


def torch_code(corpus: Corpus, config: TorchConfig, seed: int, steps: int = TORCH_STEPS) -> CodeConfig:
    """The PyTorch engine's first ``steps`` batches, drawn by the engine's own sampler."""
    sampler = BatchSampler([corpus.encode(s) for s in corpus.train], config.batch, torch_generator(seed))
    batches = tuple(tuple(corpus.train[int(i)] for i in sampler.next_indices()) for _ in range(steps))
    return CodeConfig("torch", "".join(corpus.chars[1:]), batches, seed, torch=config)


def snippet(config: CodeConfig) -> str:
    """The Show-code script for ``config``."""
    return _numpy_script(config) if config.engine == "numpy" else _torch_script(config)


def _lines(steps: tuple[tuple[str, ...], ...]) -> str:
    return "\n".join(f"    {json.dumps(list(s), ensure_ascii=False)}," for s in steps)


def _numpy_script(c: CodeConfig) -> str:
    n = c.numpy
    clip = "None" if n.clip is None else repr(float(n.clip))
    names = "\n".join(f"    {json.dumps(s[0], ensure_ascii=False)}," for s in c.steps)
    return f'''"""The course's NumPy RNN, one name per SGD step: the rnnviz page's first {len(c.steps)} steps (seed {c.seed})."""
import numpy as np

chars = ["\\n"] + list({json.dumps(c.chars, ensure_ascii=False)})  # index 0 = newline = "end of name"
ix = {{ch: i for i, ch in enumerate(chars)}}
V, H, lr, clip, carry = len(chars), {n.hidden}, {float(n.lr)!r}, {clip}, {n.carry_hidden}
g = np.random.default_rng({c.seed})  # the page's starting weights: scale * N(0, 1), biases 0
Wax = g.standard_normal((H, V)) * {n.init_scale!r}
Waa = g.standard_normal((H, H)) * {n.init_scale!r}
Wya = g.standard_normal((V, H)) * {n.init_scale!r}
b, by = np.zeros((H, 1)), np.zeros((V, 1))
# The page shuffles its training names once (np.random.default_rng({c.seed} + 1).permutation) and
# takes one per step; these are the first {len(c.steps)} in that order.
names = [
{names}
]

a_prev, smooth = np.zeros((H, 1)), None
for step, name in enumerate(names, 1):
    X = [None] + [ix[ch] for ch in name]  # inputs: the zero vector, then the name
    Y = X[1:] + [0]  # targets: the next character, then the newline
    a, x, y, loss = {{-1: a_prev if carry else np.zeros((H, 1))}}, {{}}, {{}}, 0.0
    for t in range(len(X)):  # forward
        x[t] = np.zeros((V, 1))  # one-hot (V, 1)
        if X[t] is not None:
            x[t][X[t]] = 1
        a[t] = np.tanh(Wax @ x[t] + Waa @ a[t - 1] + b)  # (H, 1)
        z = Wya @ a[t] + by
        y[t] = np.exp(z - z.max()) / np.exp(z - z.max()).sum()  # softmax (V, 1)
        loss -= np.log(y[t][Y[t], 0])
    dWax, dWaa, dWya = np.zeros_like(Wax), np.zeros_like(Waa), np.zeros_like(Wya)
    db, dby, da_next = np.zeros_like(b), np.zeros_like(by), np.zeros((H, 1))
    for t in reversed(range(len(X))):  # backpropagation through time
        dy = y[t].copy()
        dy[Y[t]] -= 1
        dWya += dy @ a[t].T
        dby += dy
        draw = (1 - a[t] ** 2) * (Wya.T @ dy + da_next)  # through tanh
        db += draw
        dWax += draw @ x[t].T
        dWaa += draw @ a[t - 1].T
        da_next = Waa.T @ draw
    grads = [dWax, dWaa, dWya, db, dby]
    if clip is not None:
        grads = [np.clip(d, -clip, clip) for d in grads]  # every entry into [-clip, clip]
    for p, d in zip([Wax, Waa, Wya, b, by], grads):
        p -= lr * d  # SGD
    a_prev = a[len(X) - 1]
    per_char = loss / len(Y)  # the page plots the loss per character
    smooth = per_char if smooth is None else 0.99 * smooth + 0.01 * per_char
    print(f"step {{step}} loss {{per_char:.6f}} smoothed {{smooth:.6f}}  ({{name}})")
'''


def _torch_script(c: CodeConfig) -> str:
    t = c.torch
    cls = recurrent.CELLS[t.cell].module.__name__
    if t.embedding > 0:
        size_in, embed_def = t.embedding, f"        self.embed = nn.Embedding(V, {t.embedding})\n"
        encode = "self.embed(ids)  # (B, T, E)"
    else:
        size_in, embed_def, encode = "V", "", "F.one_hot(ids, V).float()  # (B, T, V)"
    drop = (f"    def drop(self, v, g):  # dropout: zero each entry with probability p, scale the rest\n"
            f"        return v * (torch.rand(v.shape, generator=g) >= {t.dropout!r}) / (1 - {t.dropout!r})\n\n"
            if t.dropout > 0 else "")
    use_x = "        x = self.drop(x, g) if g is not None else x\n" if t.dropout > 0 else ""
    use_h = "        h = self.drop(h, g) if g is not None else h\n" if t.dropout > 0 else ""
    clip = (f"    nn.utils.clip_grad_norm_(model.parameters(), {float(t.clip)!r})  # scale the gradient to norm <= max\n"
            if t.clip is not None else "")
    return f'''"""A PyTorch {t.cell} character model: the rnnviz page's first {len(c.steps)} steps (seed {c.seed})."""
import torch
import torch.nn.functional as F
from torch import nn

chars = ["\\n"] + list({json.dumps(c.chars, ensure_ascii=False)})  # index 0 = newline = start / end of a name
ix = {{ch: i for i, ch in enumerate(chars)}}
V = len(chars)


class CharModel(nn.Module):
    def __init__(self):
        super().__init__()
{embed_def}        self.rnn = nn.{cls}({size_in}, {t.hidden}, batch_first=True)
        self.out = nn.Linear({t.hidden}, V)

{drop}    def forward(self, ids, g=None):  # ids (B, T); g: the dropout generator (training only)
        x = {encode}
{use_x}        h, _ = self.rnn(x)  # (B, T, H)
{use_h}        return self.out(h)  # logits (B, T, V)


def batch(names):  # inputs: newline + name, padded with 0; targets: name + newline, padded with -100
    T = max(len(n) for n in names) + 1
    inputs = torch.zeros((len(names), T), dtype=torch.long)
    targets = torch.full((len(names), T), -100, dtype=torch.long)
    for i, n in enumerate(names):
        inputs[i, 1:len(n) + 1] = torch.tensor([ix[ch] for ch in n], dtype=torch.long)
        targets[i, :len(n) + 1] = torch.tensor([ix[ch] for ch in n] + [0], dtype=torch.long)
    return inputs, targets


torch.manual_seed({c.seed})  # the page builds its model under this seed: the same starting weights
model = CharModel()
optimizer = torch.optim.Adam(model.parameters(), lr={float(t.lr)!r}, foreach=True)
dropout_g = torch.Generator().manual_seed({c.seed} + 1)  # the page's dropout masks
# The page shuffles its training names with torch.randperm(N, generator=torch.Generator().manual_seed({c.seed}))
# and takes {t.batch} per step (a new order every epoch); these are its first {len(c.steps)} batches.
batches = [
{_lines(c.steps)}
]

smooth = None
for step, names in enumerate(batches, 1):
    inputs, targets = batch(names)
    optimizer.zero_grad()
    logits = model(inputs, dropout_g)
    loss = F.cross_entropy(logits.reshape(-1, V), targets.reshape(-1), ignore_index=-100)  # per real character
    loss.backward()
{clip}    optimizer.step()
    smooth = loss.item() if smooth is None else 0.9 * smooth + 0.1 * loss.item()
    print(f"step {{step}} loss {{loss.item():.6f}} smoothed {{smooth:.6f}}")
'''
