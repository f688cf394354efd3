"""Part 1's predict-then-reveal question: after how many epochs is the target right? (no streamlit here)"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from rnnviz.seq2seq.hello import VARIANTS, HelloConfig, HelloRun

QUESTION_MAX_EPOCHS = 200  # the question looks at most this far (about 0.6 s of training in the worst case)


def question_budget(epochs: int) -> int:
    """How many epochs the question covers: the page's epoch budget, at most QUESTION_MAX_EPOCHS."""
    return max(1, min(int(epochs), QUESTION_MAX_EPOCHS))


def epoch_ranges(budget: int) -> list[tuple[int, int]]:
    """The budget cut in three (``1-5, 6-10, 11-15`` for 15), empty parts left out."""
    cuts = [0, math.ceil(budget / 3), math.ceil(2 * budget / 3), budget]
    return [(lo + 1, hi) for lo, hi in zip(cuts, cuts[1:]) if hi > lo]


def _label(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def epoch_options(budget: int) -> list[str]:
    """The answers to choose from: the three ranges and "never within <budget>"."""
    return [_label(lo, hi) for lo, hi in epoch_ranges(budget)] + [f"never within {budget}"]


def option_for(epoch: int | None, budget: int) -> str:
    """The option an epoch falls in (``None``: never)."""
    for lo, hi in epoch_ranges(budget):
        if epoch is not None and lo <= epoch <= hi:
            return _label(lo, hi)
    return f"never within {budget}"


@dataclass(frozen=True)
class FirstRight:
    """A fresh copy of the page's run trained headless until the variant prints the target."""

    epoch: int | None  # the first epoch whose printout equals the target (None: not within the budget)
    printed: tuple[str, ...]  # the variant's printout at every epoch trained
    losses: tuple[float, ...]  # its own loss at every epoch trained


def first_right_epoch(config: HelloConfig, seed: int, variant: str, budget: int) -> FirstRight:
    """Train a fresh :class:`HelloRun` (same config and weights seed) for up to ``budget`` epochs; stop once
    ``variant`` prints the target (the epoch :meth:`HelloRun.first_right` reports)."""
    run = HelloRun(replace(config, epochs=int(budget)), seed=seed)
    while run.step_count < budget and run.first_right(variant) is None:
        if not run.step(1):  # diverged: no further epoch
            break
    return FirstRight(run.first_right(variant), tuple(r[variant].predicted for r in run.records),
                      tuple(r[variant].loss for r in run.records))


def explain(res: FirstRight, config: HelloConfig, variant: str, budget: int, weights_seed: int) -> str:
    """The reason, in the run's own printouts (Markdown)."""
    shown = list(enumerate(res.printed, start=1))
    if len(shown) > 6:
        shown = shown[:3] + shown[-3:]
    log = ", ".join(f"epoch {e}: *{p}*" for e, p in shown)
    head = (f"A fresh copy of this run ({VARIANTS[variant]}, {config.cell}, lr {config.lr:g}, starting weights "
            f"seed {weights_seed}) trained here prints {log}.")
    if res.epoch is not None:
        return (head + f" So it first prints **{config.target}** at epoch **{res.epoch}** (loss "
                f"{res.losses[res.epoch - 1]:.4f}): the answer is {option_for(res.epoch, budget)}. Step the run above "
                "to see the same printouts.")
    return (head + f" After {len(res.printed)} epochs it still prints *{res.printed[-1] if res.printed else '?'}* "
            f"(loss {res.losses[-1] if res.losses else float('nan'):.4f}), not **{config.target}**. For (a) and (b) "
            "the tanh-bounded scores can leave two characters almost tied; other seeds or variant (c) get there.")
