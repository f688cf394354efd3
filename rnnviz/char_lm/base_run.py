"""What both engines of the character language model share: the base run.

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

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from rnnviz.char_lm.data import Corpus
from rnnviz.char_lm.sample import SampleSettings, sample_ids, softmax_rows
from rnnviz.core.divergence import GoodCheckpoint, RiseGuard
from rnnviz.core.training import TrainingRun

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
