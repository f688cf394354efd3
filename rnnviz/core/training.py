"""The live-training engine: one plain object per training run.

A :class:`TrainingRun` owns everything a run needs (model, optimizer, data, seed,
step count, history) and advances with :meth:`TrainingRun.step`. It never touches
Streamlit, so tests and benchmarks drive it headless exactly as a page does.

Subclasses implement three small hooks:

* ``_train_step() -> dict``: one optimisation step, returns metrics with ``"loss"``;
* ``snapshot() -> object`` / ``restore(obj)``: a copy of the trainable state
  (weights and optimizer state), used to keep the last good weights when a step
  diverges;

and may use three optional ones: ``after_step(metrics)`` (evaluations, checkpoints),
``after_rollback()`` (forget what an undone step recorded) and ``max_steps`` (a
planned end, such as an epoch budget).

Divergence guard. A NaN/inf loss, or one that :meth:`TrainingRun.is_explosion` calls
exploded, is always caught. A run may also set ``rise_guard``
(:class:`rnnviz.core.divergence.RiseGuard`): then its recent loss is also watched against
the best it reached, and it keeps rolling good checkpoints to go back to, the best of them
by :meth:`TrainingRun.checkpoint_score`, from before the rise.

One writer at a time: Streamlit can start a new script run (a click) while an older
one is still inside a training tick, in another thread. Every step holds the run's
``lock``; a caller that wants the run to itself first calls :meth:`TrainingRun.claim`,
which makes any older ``run_for`` loop stop after its current step, then takes the lock.

:class:`rnnviz.core.torch_run.TorchRun` implements the snapshot hooks for a ``torch.nn.Module`` plus a
``torch.optim.Optimizer`` and the live learning-rate change.
"""

from __future__ import annotations

import bisect
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import torch

from rnnviz.core.divergence import GoodCheckpoint, RiseGuard, RiseWatch

HISTORY_LIMIT = 20_000  # history entries a run keeps before the older half is thinned


def thin_history(history: list[dict[str, float]], limit: int, keep: Callable[[int], bool] = lambda step: False) -> None:
    """Bound a history in place: past ``limit`` entries, drop every other entry of the older half.

    The first entry (what the divergence guard compares with) and the newest half stay whole, and so
    does every entry whose step ``keep(step)`` names. A long run's curve keeps its shape with ever
    coarser detail in its past, and memory stays bounded however long a lesson trains.
    """
    if len(history) <= limit:
        return
    half = len(history) // 2
    history[1:half] = [m for i, m in enumerate(history[1:half]) if i % 2 == 0 or keep(int(m.get("step", 0)))]


@dataclass(frozen=True)
class Divergence:
    """Why a run stopped itself: what happened, at which step, and what to try."""

    step: int  # the step whose loss was bad (the weights are from before it)
    loss: float  # the offending loss value (nan or inf allowed)
    message: str  # one sentence for the learner: what happened and what to try
    restored_step: int | None = None  # the step of the weights the run went back to


class TrainingRun:
    """Base class for a run that can be stepped, reset by re-creation, and guarded.

    Divergence guard: a step whose loss is NaN/inf, or larger than
    ``explode_ratio`` times the first recorded loss (and above ``explode_floor``),
    is undone: the weights go back to the snapshot taken before that step, the
    step is not counted, and :attr:`divergence` says what happened. Further calls
    to :meth:`step` do nothing until :meth:`clear_divergence` is called (after the
    user changes something, such as the learning rate).
    """

    explode_ratio: float = 1e4  # loss > ratio * first loss counts as an explosion
    explode_floor: float = 1e3  # ... but only when it is also above this absolute value
    rise_guard: RiseGuard | None = None  # also pause when the recent loss rises (see RiseGuard); None: off
    history_limit: int | None = HISTORY_LIMIT  # see thin_history; None: keep every step

    def __init__(self, seed: int = 0) -> None:
        self.seed = int(seed)
        self.step_count = 0
        self.history: list[dict[str, float]] = []
        self.divergence: Divergence | None = None
        self.train_seconds = 0.0  # wall time spent inside step()
        self._previous: Any = None  # snapshot taken before the last counted step
        self.lock = threading.RLock()  # held by every step and by every reader that needs a still model
        self._generation = 0  # bumped by claim(): older run_for loops see it and stop
        self._claim_lock = threading.Lock()
        self.watch = RiseWatch(self.rise_guard) if self.rise_guard is not None else None

    # ----- hooks ---------------------------------------------------------------
    def _train_step(self) -> dict[str, float]:  # pragma: no cover - abstract
        raise NotImplementedError

    def snapshot(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def restore(self, snap: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def set_learning_rate(self, lr: float) -> None:
        """Change the learning rate of the running run (no reset)."""
        raise NotImplementedError

    def keeps_step(self, step: int) -> bool:
        """Is the history entry of ``step`` kept when the history is thinned? (Printouts a page quotes.)"""
        return False

    def at_step(self, step: int) -> dict[str, float] | None:
        """The history entry of ``step``, if it is still kept (the history may be thinned)."""
        i = bisect.bisect_left(self.history, step, key=lambda m: m["step"])
        return self.history[i] if i < len(self.history) and self.history[i]["step"] == step else None

    def after_step(self, metrics: dict[str, float]) -> None:
        """Called after every counted step with its metrics (already in the history; may add to them)."""

    def after_rollback(self) -> None:
        """Called when a diverging step was undone (the step count may have gone back by one)."""

    def checkpoint_score(self) -> float:
        """How good the current weights are, lower is better: which kept checkpoint a rise goes back to.

        By default the recent training loss; a run with a held-out set should score on it."""
        recent = self.watch.recent if self.watch is not None else None
        return recent if recent is not None else math.inf

    @property
    def max_steps(self) -> int | None:
        """A planned end (e.g. an epoch budget): :meth:`step` never goes beyond it. ``None``: no end."""
        return None

    # ----- public API ----------------------------------------------------------
    @property
    def finished(self) -> bool:
        """True when the run has reached its planned end (e.g. an epoch budget); the control then stops."""
        return self.max_steps is not None and self.step_count >= self.max_steps

    @property
    def finish_reason(self) -> str | None:
        """Why a finished run stopped, in one sentence for the learner (``None`` while not finished)."""
        return self.finish_message() if self.finished else None

    def finish_message(self) -> str:
        """What :attr:`finish_reason` says once the run is finished (subclasses say it their way)."""
        return f"Finished: the planned {self.max_steps:,} steps are done."

    def claim(self) -> int:
        """Become the run's only driver: any older :meth:`run_for` loop stops after its current step.

        Returns a token; :meth:`holds` tells whether it is still the newest one.
        """
        with self._claim_lock:
            self._generation += 1
            return self._generation

    def holds(self, token: int) -> bool:
        return self._generation == token

    def clear_divergence(self) -> None:
        self.divergence = None
        self._previous = None

    def is_explosion(self, loss: float) -> bool:
        if not math.isfinite(loss):
            return True
        if not self.history:
            return False
        first = abs(self.history[0]["loss"])
        return loss > self.explode_floor and loss > self.explode_ratio * max(first, 1e-12)

    def step(self, n: int = 1, keep_going: Callable[[], bool] | None = None) -> dict[str, float]:
        """Run up to ``n`` optimisation steps; return the last metrics (``{}`` if none ran).

        Holds :attr:`lock` throughout, so no two threads ever step (or read, if they take the
        lock too) one run at once. Stops early on a divergence, at :attr:`max_steps`, or as soon
        as ``keep_going()`` is false.

        Step k computes the loss of the weights W_{k-1}, then updates them to W_k. If that
        loss explodes, W_{k-1} is bad, so the run goes back to W_{k-2} (whose loss was
        finite) and un-counts step k-1; if only the update made W_k non-finite, it goes
        back to W_{k-1}.
        """
        last: dict[str, float] = {}
        with self.lock, one_thread():
            t0 = time.perf_counter()
            for _ in range(int(n)):
                if self.divergence is not None or (self.max_steps is not None and self.step_count >= self.max_steps):
                    break
                if keep_going is not None and not keep_going():
                    break
                metrics = self._one_step()
                if not metrics:
                    self.after_rollback()
                    break
                self.after_step(metrics)
                last = metrics
            self.train_seconds += time.perf_counter() - t0
        return last

    def _one_step(self) -> dict[str, float]:
        """One guarded step: its metrics (also appended to the history), or ``{}`` if it diverged."""
        snap = self.snapshot()
        if self.watch is not None and self.watch.due(self.step_count):
            self.watch.keep(self.step_count, snap, self.checkpoint_score())
        metrics = self._train_step()
        loss = float(metrics["loss"])
        exploded = self.is_explosion(loss)
        if exploded or not self._state_is_finite():
            bad_step = self.step_count + 1
            if self.watch is not None and self.watch.good:
                self._go_back()
            elif exploded and self._previous is not None and self.history:
                self.restore(self._previous)
                self.history.pop()
                self.step_count -= 1
            else:
                self.restore(snap)
            self._stop(bad_step, loss)
            return {}
        self._previous = snap
        self.step_count += 1
        metrics = {"step": float(self.step_count), **metrics}
        self.history.append(metrics)
        if self.history_limit is not None and len(self.history) > self.history_limit:
            thin_history(self.history, self.history_limit, self.keeps_step)
        if self.watch is not None and self.watch.update(loss, self.step_count):
            bad_step, recent = self.step_count, float(self.watch.recent or loss)
            self._go_back()
            self._stop(bad_step, recent, rise=True)
            return {}
        return metrics

    def _stop(self, bad_step: int, loss: float, rise: bool = False) -> None:
        self._previous = None
        message = self.rise_message(loss, bad_step) if rise else self.divergence_message(loss, bad_step)
        self.divergence = Divergence(step=bad_step, loss=loss, message=message, restored_step=self.step_count)

    def _go_back(self) -> None:
        """Restore the best kept good checkpoint; forget the steps recorded after it."""
        assert self.watch is not None
        pick = self.watch.pick()
        if pick is not None:
            self._rewind(pick)

    def keep_state(self, score: float) -> GoodCheckpoint:
        """The current state as a checkpoint that :meth:`go_back_to` can return to later."""
        averages = (self.watch.recent, self.watch.reference) if self.watch is not None else (None, None)
        return GoodCheckpoint(self.step_count, self.snapshot(), averages, float(score))

    def go_back_to(self, checkpoint: GoodCheckpoint) -> None:
        """Rewind the run to a kept state (as if the later steps never happened); clears a divergence."""
        self._rewind(checkpoint)
        self.after_rollback()
        self.clear_divergence()

    def _rewind(self, cp: GoodCheckpoint) -> None:
        self.restore(cp.snap)
        self.step_count = cp.step
        self.history = [m for m in self.history if m.get("step", 0) <= cp.step]
        if self.watch is not None:
            self.watch.good = [c for c in self.watch.good if c.step <= cp.step]
            self.watch.recent, self.watch.reference = cp.averages

    def run_for(self, seconds: float, max_steps: int | None = None, chunk: int = 1,
                keep_going: Callable[[], bool] | None = None) -> int:
        """Step in chunks until ``seconds`` of wall time pass (or ``keep_going()`` turns false); return steps done."""
        start = self.step_count
        deadline = time.perf_counter() + seconds
        with self.lock:
            while time.perf_counter() < deadline and self.divergence is None and not self.finished:
                if max_steps is not None and self.step_count - start >= max_steps:
                    break
                if keep_going is not None and not keep_going():
                    break
                todo = chunk if max_steps is None else min(chunk, max_steps - (self.step_count - start))
                if not self.step(todo, keep_going):
                    break
        return self.step_count - start

    def steps_per_second(self) -> float:
        return self.step_count / self.train_seconds if self.train_seconds > 0 else 0.0

    def divergence_message(self, loss: float, step: int) -> str:
        what = "became NaN/inf" if not math.isfinite(loss) else f"exploded to {loss:.3g}"
        return (
            f"Training paused at step {step}: the loss {what}. The run went back to the "
            f"last good weights (step {self.step_count}). Try a smaller learning "
            "rate, or turn on gradient clipping, then press Train again."
        )

    def rise_message(self, recent: float, step: int) -> str:
        """What :attr:`divergence` says when the rise guard stopped the run (subclasses may say more)."""
        return (
            f"Training paused at step {step}: the recent loss rose to {recent:.3g}, well above the best it "
            f"reached. The run went back to a good checkpoint (step {self.step_count}). Try a smaller "
            "learning rate, or turn on gradient clipping, then press Train again."
        )

    def _state_is_finite(self) -> bool:
        return True

    def series(self, key: str) -> list[float]:
        """One metric over the history (missing entries skipped)."""
        return [m[key] for m in self.history if key in m]


@contextmanager
def one_thread() -> Iterator[None]:
    """Run torch on one intra-op thread inside the block, then restore the previous setting.

    The explorer's models multiply matrices of a few dozen rows: a second thread costs more
    than it saves, and on a busy 2-core machine the threads wait for each other and a step
    became 15-40 times slower in our measurements. ``app.py`` sets one thread for the whole
    app; this keeps headless users (tests, benchmarks, notebooks) just as fast.
    """
    before = torch.get_num_threads()
    if before != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if before != 1:
            torch.set_num_threads(before)
