"""The rise guard: divergence measured against a run's own recent loss, and good checkpoints to go back to.

An exploding loss (NaN/inf, or 10^4 times the first loss) is easy to catch, but a loss can also
climb over a few hundred steps without ever exploding: a per-character loss that creeps from 2
to 9 has ruined a language model long before it is 10^4 times anything. A :class:`RiseWatch`
follows two exponential moving averages of the loss,

    recent_t = a_f recent_{t-1} + (1 - a_f) loss_t          (a_f = ``fast``, about 20 steps)
    reference_t = a_s reference_{t-1} + (1 - a_s) loss_t    (a_s = ``slow``, about 100 steps)

with ``best`` the lowest reference after the warm-up and ``start`` the first loss, and says the
run has diverged when

    recent_t > ratio * best    and    recent_t - best > lost * (start - best)

(well above the best it reached, and a real share of what was learned given back: the second
test keeps a noisy loss near zero from counting as a rise). Every ``every`` steps it keeps a
checkpoint (the last ``keep``, and only while the loss is not already rising); on a divergence
the run goes back to the kept one with the lowest score (by default the recent loss; a run with
held-out data scores on it). :class:`rnnviz.core.training.TrainingRun` drives it when a run sets
``rise_guard``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RiseGuard:
    """Settings of the rise test and of the rolling checkpoints (see the module doc)."""

    fast: float = 0.95  # smoothing of the recent loss (about 20 steps)
    slow: float = 0.99  # smoothing of the reference loss (about 100 steps)
    ratio: float = 1.25  # recent loss above ratio * best ...
    lost: float = 0.3  # ... that has also given back this share of the progress since the first step
    warmup: int = 100  # steps before ``best`` is tracked
    every: int = 50  # keep a checkpoint every this many steps ...
    keep: int = 10  # ... the last this many of them


@dataclass(frozen=True)
class GoodCheckpoint:
    """A kept state of a guarded run."""

    step: int  # step count of the state
    snap: Any  # what the run's snapshot() returned
    averages: tuple[float | None, float | None]  # (recent, reference) at that step, restored with it
    score: float  # how good the state is, lower is better (held-out loss, or the recent loss)


class RiseWatch:
    """The moving averages, the best loss and the rolling checkpoints of one run."""

    def __init__(self, guard: RiseGuard) -> None:
        self.guard = guard
        self.recent: float | None = None
        self.reference: float | None = None
        self.best: float | None = None
        self.start: float | None = None
        self.good: list[GoodCheckpoint] = []

    def update(self, loss: float, step: int) -> bool:
        """Take in a counted step's loss (``step`` = steps done); True when the recent loss has risen."""
        g = self.guard
        if self.recent is None or self.reference is None:
            self.recent = self.reference = self.start = loss
            return False
        self.recent = g.fast * self.recent + (1 - g.fast) * loss
        self.reference = g.slow * self.reference + (1 - g.slow) * loss
        if step < g.warmup:
            return False
        self.best = self.reference if self.best is None else min(self.best, self.reference)
        start = self.start if self.start is not None else self.best
        return self.recent > g.ratio * self.best and self.recent - self.best > g.lost * (start - self.best)

    def calm(self) -> bool:
        """Not already half-way into a rise: a checkpoint taken now is worth keeping."""
        if self.best is None or self.recent is None:
            return True
        return self.recent <= (1 + (self.guard.ratio - 1) / 2) * self.best

    def due(self, step: int) -> bool:
        """Is a checkpoint of the state at ``step`` due (and worth keeping)?"""
        return step % self.guard.every == 0 and self.calm() and not (self.good and self.good[-1].step == step)

    def keep(self, step: int, snap: Any, score: float) -> None:
        self.good.append(GoodCheckpoint(step, snap, (self.recent, self.reference), float(score)))
        del self.good[:-self.guard.keep]

    def pick(self) -> GoodCheckpoint | None:
        """The kept checkpoint to go back to: the lowest score (ties: the latest)."""
        if not self.good:
            return None
        return min(reversed(self.good), key=lambda c: c.score)
