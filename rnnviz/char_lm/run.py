"""Live training runs of the character language model, one class per engine.

Both runs record, per step: ``loss`` (cross-entropy per character of the step's
names), ``smooth`` (the same, exponentially smoothed), ``grad_norm`` and
``grad_norm_clipped`` (global gradient norm before and after clipping), ``chars``
(characters predicted), and every ``eval_every`` steps ``heldout`` (per-character
loss on names never trained on). Every ``checkpoint_every`` steps they keep a copy
of the weights and a few sampled names, so the learner can scrub back in time.

Honest numbers: the divergence guard watches the recent loss (``rise_guard``) and goes
back to the kept checkpoint with the lowest *held-out* loss; the run also keeps the
state with the best held-out loss so far (:attr:`CharLMRun.best`), and
:meth:`CharLMRun.overfitting` says when held-out rises while training falls.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import torch

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
from rnnviz.char_lm.sample import SampleSettings, sample_ids, softmax_rows
from rnnviz.char_lm.torch_engine import BatchSampler, CharModel, TorchConfig, padded_batch, train_step
from rnnviz.char_lm.torch_engine import per_char_loss as torch_per_char_loss
from rnnviz.core.divergence import GoodCheckpoint, RiseGuard
from rnnviz.core.seeding import numpy_generator, seeded, torch_generator
from rnnviz.core.training import TrainingRun, one_thread, params_finite, set_optimizer_lr, torch_restore, torch_snapshot

CHECKPOINT_SAMPLES = SampleSettings(n=5, seed=0)  # the names shown for every checkpoint
MAX_CHECKPOINTS = 40  # older checkpoints are thinned out beyond this


@dataclass(frozen=True)
class Checkpoint:
    """Weights at one step and the names they produced."""

    step: int  # step count when the copy was taken
    params: Any  # engine weights (NumPy dict or torch state_dict copy)
    samples: tuple[str, ...]  # names sampled with CHECKPOINT_SAMPLES
    heldout: float  # held-out per-character loss of these weights


@dataclass(frozen=True)
class Overfit:
    """Held-out loss rising while the training loss falls: the model memorises its training items."""

    best_step: int  # step of the lowest held-out loss
    best: float  # that held-out loss
    now: float  # held-out loss now (mean of the last evaluations)
    train_then: float  # smoothed training loss at best_step
    train_now: float  # smoothed training loss now


class CharLMRun(TrainingRun):
    """What both engines share: history, held-out loss, checkpoints, samples, probes."""

    eval_every = 10
    checkpoint_every = 50
    smoothing = 0.9
    engine = ""
    rise_guard = RiseGuard(fast=0.97, lost=0.5, every=50, keep=10)  # paused once half of what was learned is lost
    overfit_margin = 0.03  # held-out above (1 + margin) * its best, for overfit_evals evaluations in a row
    overfit_evals = 3

    def __init__(self, corpus: Corpus, seed: int = 0) -> None:
        super().__init__(seed)
        self.corpus = corpus
        self.train_ids = [corpus.encode(s) for s in corpus.train]
        self.heldout_ids = [corpus.encode(s) for s in corpus.heldout]
        self.total_chars = 0
        self.checkpoints: list[Checkpoint] = []
        self._smooth: float | None = None
        self.explode_loss = 5.0 * math.log(corpus.vocab_size)  # per-character loss that counts as exploded
        self.best: GoodCheckpoint | None = None  # the state with the lowest held-out loss so far

    # ----- engine hooks ---------------------------------------------------------------
    def _engine_step(self) -> tuple[float, int, float, float]:  # pragma: no cover - abstract
        """(loss per character, characters, grad norm before, after clipping)"""
        raise NotImplementedError

    def heldout_loss(self, params: Any = None) -> float:  # pragma: no cover - abstract
        raise NotImplementedError

    def params_copy(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def stepper(self, params: Any = None) -> tuple[Any, Any, int]:  # pragma: no cover - abstract
        """(step function, start state for the batch size given later, start input)"""
        raise NotImplementedError

    def logits_and_hidden(self, ids: list[int], params: Any = None) -> tuple[np.ndarray, np.ndarray]:
        """Logits ``(T+1, V)`` and hidden states ``(T+1, H)`` after the start input and each character."""
        raise NotImplementedError  # pragma: no cover - abstract

    # ----- shared -----------------------------------------------------------------------
    def is_explosion(self, loss: float) -> bool:
        return not math.isfinite(loss) or loss > self.explode_loss

    def divergence_message(self, loss: float, step: int) -> str:
        what = "became NaN/inf" if not math.isfinite(loss) else f"exploded to {loss:.3g} per character"
        return f"Training paused at step {step}: the loss {what}. {self._went_back()}"

    def rise_message(self, recent: float, step: int) -> str:
        best = self.watch.best if self.watch is not None and self.watch.best is not None else recent
        return (f"Training paused at step {step}: the recent training loss climbed to {recent:.2f} per character "
                f"(its best was {best:.2f}): the updates are too large and the model is being ruined. "
                f"{self._went_back()}")

    def _went_back(self) -> str:
        return (f"The run went back to its best kept checkpoint, step {self.step_count:,} (held-out loss "
                f"{self.checkpoint_score():.3f}; a uniform guess costs {math.log(self.corpus.vocab_size):.2f}). "
                "Lower the learning rate, or turn gradient clipping on (or tighten it), then press Train again.")

    def checkpoint_score(self) -> float:
        """The held-out loss of the current weights (reused when this step already measured it)."""
        if self.history and self.history[-1]["step"] == self.step_count and "heldout" in self.history[-1]:
            return self.history[-1]["heldout"]
        return self.heldout_loss()

    def after_rollback(self) -> None:
        self.checkpoints = [c for c in self.checkpoints if c.step <= self.step_count]
        if self.best is not None and self.best.step > self.step_count:
            self.best = None
            held = [(m["heldout"], int(m["step"])) for m in self.history if "heldout" in m]
            if held:  # the best state before the rewind is gone: keep the current one if it is the best so far
                low, at = min(held)
                if at == self.step_count:
                    self.best = self.keep_state(low)

    def go_back_to_best(self) -> int | None:
        """Rewind to the state with the lowest held-out loss; returns its step (None: nothing kept)."""
        if self.best is None:
            return None
        self.go_back_to(self.best)
        return self.step_count

    def overfitting(self) -> Overfit | None:
        """Held-out loss above its best for the last few evaluations while the training loss fell since."""
        held = [(int(m["step"]), m["heldout"], m["smooth"]) for m in self.history if "heldout" in m]
        if self.best is None or len(held) < self.overfit_evals + 1:
            return None
        last = held[-self.overfit_evals:]
        limit = (1 + self.overfit_margin) * self.best.score
        then = next((sm for st, _, sm in held if st == self.best.step), None)
        if then is None or any(st <= self.best.step or h <= limit for st, h, _ in last):
            return None
        now_train = last[-1][2]
        if now_train >= then:
            return None
        return Overfit(self.best.step, self.best.score, float(np.mean([h for _, h, _ in last])), then, now_train)

    def _train_step(self) -> dict[str, float]:
        loss, chars, before, after = self._engine_step()
        self.total_chars += chars
        self._smooth = loss if self._smooth is None else self.smoothing * self._smooth + (1 - self.smoothing) * loss
        metrics = {"loss": loss, "smooth": self._smooth, "grad_norm": before, "grad_norm_clipped": after,
                   "chars": float(chars)}
        if (self.step_count + 1) % self.eval_every == 0 and math.isfinite(loss):
            metrics["heldout"] = self.heldout_loss()
        return metrics

    def after_step(self, metrics: dict[str, float]) -> None:
        held = metrics.get("heldout")
        if held is not None and (self.best is None or held < self.best.score):
            self.best = self.keep_state(held)
        if self.step_count % self.checkpoint_every == 0:
            self.add_checkpoint()

    def add_checkpoint(self) -> Checkpoint:
        params = self.params_copy()
        names = tuple(self.corpus.decode(s) for s in self.sample(CHECKPOINT_SAMPLES, params))
        cp = Checkpoint(self.step_count, params, names, self.heldout_loss(params))
        self.checkpoints = [c for c in self.checkpoints if c.step != cp.step] + [cp]
        if len(self.checkpoints) > MAX_CHECKPOINTS:  # keep the first, the last and every other one between
            keep = self.checkpoints[1:-1:2]
            self.checkpoints = [self.checkpoints[0], *keep, self.checkpoints[-1]]
        return cp

    def checkpoint(self, step: int) -> Checkpoint:
        return next(c for c in self.checkpoints if c.step == step)

    def sample(self, settings: SampleSettings, params: Any = None) -> list[list[int]]:
        step, state, start = self.stepper(params)
        return sample_ids(step, state(settings.n), start, settings)

    def sample_names(self, settings: SampleSettings, params: Any = None) -> list[str]:
        return [self.corpus.decode(s) for s in self.sample(settings, params)]

    def next_char_probs(self, prefix: str, params: Any = None) -> np.ndarray:
        """Probabilities ``(V,)`` of the character after ``prefix`` (a CorpusError for unknown characters)."""
        logits, _ = self.logits_and_hidden(self.corpus.encode(prefix), params)
        return softmax_rows(logits[-1:])[0]

    def hidden_over(self, text: str, params: Any = None) -> np.ndarray:
        """Hidden state ``(len(text), H)`` right after reading each character of ``text``."""
        _, hidden = self.logits_and_hidden(self.corpus.encode(text), params)
        return hidden[1:]

    def chars_per_second(self) -> float:
        return self.total_chars / self.train_seconds if self.train_seconds > 0 else 0.0

    def last_heldout(self) -> float | None:
        values = self.series("heldout")
        return values[-1] if values else None


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
