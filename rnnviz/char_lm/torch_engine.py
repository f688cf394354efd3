"""The PyTorch engine: nn.RNN / nn.LSTM / nn.GRU on mini-batches of padded, masked names.

    x_t = E[c_{t-1}]  (embedding)  or  onehot(c_{t-1})        c_0 = "\\n" (start of a name)
    h_t, state_t = cell(x_t, state_{t-1})                      h_t (B, H)
    logits_t = W_out h_t + b_out                               (B, V)
    loss = sum over real characters of cross-entropy / number of real characters

Names in a batch have different lengths: shorter ones are padded at the end, and the
padded targets carry ``IGNORE`` so they add nothing to the loss. Because the cell only
reads the past, padding after a name cannot change that name's predictions either.
Adam updates the weights after the gradient's global norm is clipped.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.core import recurrent

IGNORE = -100  # target index of padding: skipped by cross_entropy
CELLS: tuple[str, ...] = tuple(recurrent.CELLS)  # "RNN", "LSTM", "GRU": the page's choices


@dataclass(frozen=True)
class TorchConfig:
    """Settings of the PyTorch engine.

    The default dropout was chosen by measurement (``python bench/char_lm_dropout.py``): on the dinosaur names,
    without dropout the held-out loss is lowest after about 150 steps and then climbs by half as the model
    memorises its 968 training names; with 0.5 it stays within 3 % of its best for 6,000 steps.
    """

    cell: str = "GRU"  # RNN (tanh), LSTM or GRU
    hidden: int = 96  # hidden units
    embedding: int = 24  # embedding size; 0 means one-hot inputs (size = vocabulary)
    batch: int = 32  # names per mini-batch
    lr: float = 0.01  # Adam learning rate
    clip: float | None = 1.0  # max global gradient norm; None turns clipping off
    dropout: float = 0.5  # share of input and hidden-state entries zeroed while training (0: none); see below


class CharModel(nn.Module):
    """Embedding (or one-hot) -> recurrent cell -> linear read-out to next-character logits."""

    def __init__(self, vocab: int, config: TorchConfig) -> None:
        super().__init__()
        if config.cell not in CELLS:
            raise ValueError(f"unknown cell {config.cell!r}; choose one of {CELLS}")
        self.vocab = vocab
        self.embed = nn.Embedding(vocab, config.embedding) if config.embedding > 0 else None
        size_in = config.embedding if config.embedding > 0 else vocab
        self.rnn = recurrent.CELLS[config.cell].module(size_in, config.hidden, batch_first=True)
        self.out = nn.Linear(config.hidden, vocab)
        self.dropout = float(config.dropout)

    def encode(self, ids: torch.Tensor) -> torch.Tensor:
        if self.embed is not None:
            return self.embed(ids)  # (B, T, E)
        return F.one_hot(ids, self.vocab).float()  # (B, T, V)

    def hidden_states(self, ids: torch.Tensor, state=None) -> tuple[torch.Tensor, object]:
        """Sequence model view: ``(outputs (B, T, H), state)`` for input ids ``(B, T)``."""
        return self.rnn(self.encode(ids), state)

    def forward(self, ids: torch.Tensor, targets: torch.Tensor | None = None,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """Language model view: ``(logits (B, T, V), mean loss per real character or None)``.

        With a ``generator`` (training), dropout zeroes each entry of the inputs and of the hidden states
        with probability p and scales the others by 1 / (1 - p); without one (evaluation, sampling)
        nothing is dropped.
        """
        x = self.encode(ids)  # (B, T, E)
        if generator is not None and self.dropout > 0:
            x = self._drop(x, generator)
        out, _ = self.rnn(x)  # (B, T, H)
        if generator is not None and self.dropout > 0:
            out = self._drop(out, generator)
        logits = self.out(out)  # (B, T, V)
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.reshape(-1, self.vocab), targets.reshape(-1),  # (B*T, V), (B*T,)
                               ignore_index=IGNORE)
        return logits, loss

    def _drop(self, v: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        keep = torch.rand(v.shape, generator=generator) >= self.dropout  # same shape as v
        return v * keep / (1.0 - self.dropout)

    def step(self, ids: torch.Tensor, state=None) -> tuple[torch.Tensor, object, torch.Tensor]:
        """One time step for B sequences: ids ``(B,)`` -> ``(logits (B, V), state, h (B, H))``."""
        out, state = self.hidden_states(ids[:, None], state)  # out: (B, 1, H)
        h = out[:, 0]  # (B, H)
        return self.out(h), state, h


def padded_batch(names: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """``inputs (B, T)``: newline then the characters, padded with 0; ``targets (B, T)``: characters then
    newline, padded with ``IGNORE``. T is the longest name + 1."""
    T = max(len(n) for n in names) + 1
    inputs = torch.zeros((len(names), T), dtype=torch.long)
    targets = torch.full((len(names), T), IGNORE, dtype=torch.long)
    for i, n in enumerate(names):
        inputs[i, 1:len(n) + 1] = torch.tensor(n, dtype=torch.long)
        targets[i, :len(n) + 1] = torch.tensor(n + [0], dtype=torch.long)
    return inputs, targets


class BatchSampler:
    """Epochs of shuffled mini-batches from a padded table; each batch is cut to its longest name."""

    def __init__(self, names: list[list[int]], batch: int, generator: torch.Generator) -> None:
        self.inputs, self.targets = padded_batch(names)  # (N, T), (N, T)
        self.lengths = torch.tensor([len(n) + 1 for n in names])
        self.batch = min(batch, len(names))
        self.g = generator
        self._order = torch.empty(0, dtype=torch.long)
        self._pos = 0

    def next_indices(self) -> torch.Tensor:
        """Rows of the next batch ``(B,)``: a new random order (``randperm``) when the epoch runs out."""
        if self._pos + self.batch > len(self._order):
            self._order = torch.randperm(len(self.inputs), generator=self.g)
            self._pos = 0
        idx = self._order[self._pos:self._pos + self.batch]
        self._pos += self.batch
        return idx

    def next(self) -> tuple[torch.Tensor, torch.Tensor]:
        idx = self.next_indices()
        T = int(self.lengths[idx].max())
        return self.inputs[idx, :T], self.targets[idx, :T]  # (B, T), (B, T)

    def state(self) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Where the sampler is (generator state, epoch order, position): a rewound run replays the same batches."""
        return self.g.get_state(), self._order.clone(), self._pos

    def set_state(self, state: tuple[torch.Tensor, torch.Tensor, int]) -> None:
        g_state, order, self._pos = state
        self.g.set_state(g_state)
        self._order = order.clone()


def train_step(model: CharModel, optimizer: torch.optim.Optimizer, inputs: torch.Tensor,
               targets: torch.Tensor, clip: float | None,
               generator: torch.Generator | None = None) -> tuple[float, float, float]:
    """One Adam step on one batch: ``(loss per character, grad norm before, after clipping)``.

    ``generator`` draws the dropout masks (no dropout without it)."""
    optimizer.zero_grad(set_to_none=True)
    _, loss = model(inputs, targets, generator)
    loss.backward()
    before = float(nn.utils.clip_grad_norm_(model.parameters(), clip if clip is not None else float("inf"),
                                            foreach=True))
    after = min(before, clip) if clip is not None else before
    optimizer.step()
    return float(loss.detach()), before, after


@torch.no_grad()
def per_char_loss(model: CharModel, inputs: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean cross-entropy per real character of a padded batch (no gradient)."""
    _, loss = model(inputs, targets)
    return float(loss)
