"""The silent mistake, trained: two identical RNNs, one fed the right layout, one fed batch and seq swapped.

Task: every sentence is ``n`` random tokens of ``input_size`` numbers; the target is
the mean of the tokens' first number (a per-sentence summary). Both models start
from the same weights and see the same batches. The *right* model receives
``(seq_len, batch, input)``; the *swapped* model receives the batch-first tensor
``(batch, seq_len, input)`` without ``batch_first=True``. With batch == seq_len
nothing complains, but the swapped model reads token k of every sentence as one
"sequence": it cannot see any sentence as a whole, so its loss stays near the
target's variance (1/n) while the right model's loss falls towards 0.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from rnnviz.core.seeding import seeded, torch_generator
from rnnviz.core.torch_run import TorchRun, make_optimizer


@dataclass(frozen=True)
class SwapTaskConfig:
    """Settings of the swapped-axes training demo."""

    n: int = 5  # batch size = seq_len (equal, so the wrong call raises no error)
    input_size: int = 4  # numbers per token
    hidden_size: int = 16  # hidden units of both RNNs
    lr: float = 0.01  # Adam learning rate (live)
    eval_batches: int = 40  # fixed evaluation set: this many n × n batches


class Summariser(nn.Module):
    """nn.RNN followed by a linear read-out of the last hidden state: one number per sequence."""

    def __init__(self, input_size: int, hidden_size: int) -> None:
        super().__init__()
        self.rnn = nn.RNN(input_size, hidden_size)
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (T, B, I) -> (prediction (B,), h_n (1, B, H))."""
        _out, h_n = self.rnn(x)
        return self.head(h_n[-1]).squeeze(-1), h_n  # (B,)


def make_batch(cfg: SwapTaskConfig, g: torch.Generator, batches: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    """``batches`` batch-first blocks stacked: x (K, n, n, I) as (block, sentence, token, feature), y (K, n)."""
    x = torch.randn(batches, cfg.n, cfg.n, cfg.input_size, generator=g)  # (K, B, T, I)
    return x, x[..., 0].mean(dim=-1)  # (K, B): mean of each sentence's first feature


def right_layout(x: torch.Tensor) -> torch.Tensor:
    """(K, B, T, I) -> (T, K*B, I): every sentence of every block as one big correct batch."""
    K, B, T, I = x.shape
    return x.reshape(K * B, T, I).transpose(0, 1)  # (T, K*B, I)


def swapped_layout(x: torch.Tensor) -> torch.Tensor:
    """(K, B, T, I) -> (B, K*T, I): each block handed over batch-first, read as (seq, batch, features)."""
    K, B, T, I = x.shape
    return x.transpose(0, 1).reshape(B, K * T, I)  # (B "steps", K*T "sequences", I)


class SwapRun(TorchRun):
    """Train the right-layout and the swapped-layout model side by side on the same batches."""

    def __init__(self, cfg: SwapTaskConfig = SwapTaskConfig(), seed: int = 0) -> None:
        super().__init__(seed)
        self.cfg = cfg
        right = seeded(seed, lambda: Summariser(cfg.input_size, cfg.hidden_size))
        swapped = seeded(seed, lambda: Summariser(cfg.input_size, cfg.hidden_size))  # same start
        self.model = nn.ModuleDict({"right": right, "swapped": swapped})
        self.optimizer = make_optimizer("Adam", self.model.parameters(), cfg.lr)
        self.g = torch_generator(seed)
        self.eval_x, self.eval_y = make_batch(cfg, torch_generator(seed + 1), cfg.eval_batches)

    def _train_step(self) -> dict[str, float]:
        x, y = make_batch(self.cfg, self.g)  # (1, B, T, I), (1, B)
        target = y.reshape(-1)  # (B,)
        pred_right, _ = self.model["right"](right_layout(x))
        pred_swapped, _ = self.model["swapped"](swapped_layout(x))
        loss_right = torch.mean((pred_right - target) ** 2)
        loss_swapped = torch.mean((pred_swapped - target) ** 2)
        self.optimizer.zero_grad()
        (loss_right + loss_swapped).backward()
        self.optimizer.step()
        ev = self.evaluate()
        return {"loss": ev["right"], "loss_swapped": ev["swapped"],
                "train_right": float(loss_right.detach()), "train_swapped": float(loss_swapped.detach())}

    @torch.no_grad()
    def evaluate(self) -> dict[str, float]:
        """Mean squared error of both models on the fixed evaluation sentences."""
        target = self.eval_y.reshape(-1)  # (K*B,)
        right = self.model["right"](right_layout(self.eval_x))[0]
        swapped = self.model["swapped"](swapped_layout(self.eval_x))[0]
        return {"right": float(torch.mean((right - target) ** 2)), "swapped": float(torch.mean((swapped - target) ** 2))}

    @torch.no_grad()
    def predictions(self, count: int = 5) -> dict[str, list[float]]:
        """Target and both predictions for the first ``count`` evaluation sentences."""
        target = self.eval_y.reshape(-1)[:count]
        right = self.model["right"](right_layout(self.eval_x))[0][:count]
        swapped = self.model["swapped"](swapped_layout(self.eval_x))[0][:count]
        return {"target": target.tolist(), "right layout": right.tolist(), "swapped axes": swapped.tolist()}
