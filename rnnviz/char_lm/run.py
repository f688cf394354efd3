"""Live training runs of the character language model, one class per engine.

:class:`ScratchRun` is the course's NumPy RNN, :class:`TorchCharRun` the PyTorch engine; what
they share (history, held-out loss, checkpoints, the rise guard, overfitting) is
:class:`rnnviz.char_lm.base_run.CharLMRun`, re-exported here.
"""

from __future__ import annotations

import copy
import math
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from rnnviz.char_lm.base_run import CharLMRun
from rnnviz.char_lm.data import Corpus, CorpusError
from rnnviz.char_lm.numpy_engine import (
    MAX_VOCAB,
    VOCAB_LIMIT_WHY,
    ScratchConfig,
    copy_params,
    init_params,
    optimize,
    padded_names,
    per_char_loss,
    sequence_forward,
    step_batch,
)
from rnnviz.char_lm.sample import SampleSettings
from rnnviz.char_lm.torch_engine import BatchSampler, CharModel, TorchConfig, padded_batch, train_step
from rnnviz.char_lm.torch_engine import per_char_loss as torch_per_char_loss
from rnnviz.core.divergence import RiseGuard
from rnnviz.core.seeding import numpy_generator, seeded, torch_generator
from rnnviz.core.torch_run import params_finite, set_optimizer_lr, torch_restore, torch_snapshot
from rnnviz.core.training import one_thread

__all__ = ["CharLMRun", "ScratchRun", "TorchCharRun"]


class ScratchRun(CharLMRun):
    """The seed's NumPy RNN: one name per SGD step, element-wise clipping."""

    eval_every = 100
    checkpoint_every = 500
    smoothing = 0.99  # per-character curve; the seed's own 0.999 smoothing is kept in seed_loss
    engine = "From scratch (NumPy)"
    rise_guard = RiseGuard(fast=0.97, lost=0.5, every=100, keep=8)  # one name per step: kept every 100, 800 back

    def __init__(self, corpus: Corpus, config: ScratchConfig | None = None, seed: int = 0) -> None:
        config = config if config is not None else ScratchConfig()
        if corpus.vocab_size > MAX_VOCAB:
            raise CorpusError(f"{corpus.name} has {corpus.vocab_size:,} different characters; the from-scratch "
                              f"engine takes at most {MAX_VOCAB}: {VOCAB_LIMIT_WHY}.")
        super().__init__(corpus, seed)
        self.config = config
        self.params = init_params(config.hidden, corpus.vocab_size, seed, config.init_scale)
        self.order = numpy_generator(seed + 1).permutation(len(self.train_ids))  # the seed shuffles once
        self.a_prev = np.zeros((config.hidden, 1))
        self.seed_loss = -math.log(1.0 / corpus.vocab_size) * 7  # the seed's smoothed per-name loss, initial value
        self._held = padded_names(self.heldout_ids)

    def set_live(self, lr: float, clip: float | None) -> None:
        self.config = replace(self.config, lr=float(lr), clip=clip)

    def set_learning_rate(self, lr: float) -> None:
        self.config = replace(self.config, lr=float(lr))

    def _engine_step(self) -> tuple[float, int, float, float]:
        ids = self.train_ids[self.order[self.step_count % len(self.order)]]
        a0 = self.a_prev if self.config.carry_hidden else np.zeros_like(self.a_prev)
        with np.errstate(all="ignore"):
            loss, self.a_prev, before, after = optimize(self.params, ids, a0, self.config.lr, self.config.clip)
        self.seed_loss = 0.999 * self.seed_loss + 0.001 * loss
        return loss / (len(ids) + 1), len(ids) + 1, before, after

    def _train_step(self) -> dict[str, float]:
        metrics = super()._train_step()
        metrics["seed_loss"] = self.seed_loss
        return metrics

    def snapshot(self) -> tuple:
        return copy_params(self.params), self.a_prev.copy(), self._smooth, self.seed_loss, self.total_chars

    def restore(self, snap: tuple) -> None:
        params, a_prev, self._smooth, self.seed_loss, self.total_chars = snap
        self.params, self.a_prev = copy_params(params), a_prev.copy()

    def _state_is_finite(self) -> bool:
        return all(bool(np.isfinite(v).all()) for v in self.params.values())

    def params_copy(self) -> dict[str, np.ndarray]:
        return copy_params(self.params)

    def heldout_loss(self, params: Any = None) -> float:
        with np.errstate(all="ignore"):
            return per_char_loss(params if params is not None else self.params, *self._held)

    def stepper(self, params: Any = None) -> tuple[Any, Any, int]:
        p = params if params is not None else self.params

        def step(a: np.ndarray, inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
            logits, a = step_batch(p, a, inputs)
            return logits, a

        return step, (lambda n: np.zeros((n, p["Waa"].shape[0]))), -1  # -1: the zero start vector

    def logits_and_hidden(self, ids: list[int], params: Any = None) -> tuple[np.ndarray, np.ndarray]:
        inputs = np.array([[-1] + list(ids)], dtype=np.int64)  # (1, T+1)
        logits, hidden = sequence_forward(params if params is not None else self.params, inputs)
        return logits[0], hidden[0]  # (T+1, V), (T+1, H)


class TorchCharRun(CharLMRun):
    """nn.RNN / nn.LSTM / nn.GRU on padded, masked mini-batches, Adam, gradient-norm clipping."""

    eval_every = 10
    checkpoint_every = 50
    smoothing = 0.9
    engine = "PyTorch"

    def __init__(self, corpus: Corpus, config: TorchConfig | None = None, seed: int = 0) -> None:
        super().__init__(corpus, seed)
        config = config if config is not None else TorchConfig()
        self.config = config
        self.model = seeded(seed, lambda: CharModel(corpus.vocab_size, config))
        self.probe = copy.deepcopy(self.model)  # scratch copy for checkpoints; never trained
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr, foreach=True)
        self.batches = BatchSampler(self.train_ids, config.batch, torch_generator(seed))
        self.dropout_generator = torch_generator(seed + 1)  # dropout masks (training only)
        self._held = padded_batch(self.heldout_ids)

    def set_live(self, lr: float, clip: float | None) -> None:
        self.set_learning_rate(lr)
        self.config = replace(self.config, lr=float(lr), clip=clip)

    def sample(self, settings: SampleSettings, params: Any = None) -> list[list[int]]:
        with one_thread():
            return super().sample(settings, params)

    def _engine_step(self) -> tuple[float, int, float, float]:
        inputs, targets = self.batches.next()
        loss, before, after = train_step(self.model, self.optimizer, inputs, targets, self.config.clip,
                                       self.dropout_generator)
        return loss, int((targets >= 0).sum()), before, after

    def snapshot(self) -> tuple:
        return (torch_snapshot(self.model, self.optimizer), self._smooth, self.total_chars, self.batches.state(),
                self.dropout_generator.get_state())

    def restore(self, snap: tuple) -> None:
        inner, self._smooth, self.total_chars, batches, dropout = snap
        torch_restore(self.optimizer, inner)
        self.batches.set_state(batches)
        self.dropout_generator.set_state(dropout)

    def set_learning_rate(self, lr: float) -> None:
        set_optimizer_lr(self.optimizer, lr)

    def _state_is_finite(self) -> bool:
        return params_finite(self.model)

    def params_copy(self) -> dict[str, torch.Tensor]:
        return {k: v.detach().clone() for k, v in self.model.state_dict().items()}

    def _module(self, params: Any) -> CharModel:
        if params is None:
            return self.model
        self.probe.load_state_dict(params)
        return self.probe

    def heldout_loss(self, params: Any = None) -> float:
        return torch_per_char_loss(self._module(params), *self._held)

    def stepper(self, params: Any = None) -> tuple[Any, Any, int]:
        model = self._module(params)

        @torch.no_grad()
        def step(state: Any, inputs: np.ndarray) -> tuple[np.ndarray, Any]:
            logits, state, _ = model.step(torch.from_numpy(inputs), state)
            return logits.numpy().astype(np.float64), state

        return step, (lambda n: None), 0  # start input: the newline

    @torch.no_grad()
    def logits_and_hidden(self, ids: list[int], params: Any = None) -> tuple[np.ndarray, np.ndarray]:
        model = self._module(params)
        inputs = torch.tensor([[0] + list(ids)])  # (1, T+1)
        with one_thread():
            out, _ = model.hidden_states(inputs)  # (1, T+1, H)
            logits = model.out(out)  # (1, T+1, V)
        return logits[0].numpy().astype(np.float64), out[0].numpy().astype(np.float64)
