"""The live run: the notes' training loop, one addition per step, with measurements along the way.

Every step draws two operands below ``2**(bits-1)`` from the run's own
``np.random.RandomState(seed)`` (the generator that also drew the weights, as in the notes:
with seed 0 the run *is* the notes' program), runs the network, backpropagates through time
and updates the weights. Each step records ``loss`` (the notes' Error, Σ|y - p|), ``sq_loss``
(½Σ(y - p)², what gradient descent lowers), ``right`` (1 if every bit was right), ``right100``
(the fraction right over the last 100 additions), ``mean100`` (the mean error over them),
``a``, ``b`` and ``pred`` (the answer, in the notes' printout). Every ``probe_every`` steps it
adds the carry search (``carry_corr``: the best unit's |correlation| with the carry over the memory
columns, ``carry_corr_all``: over every column, ``carry_unit``, ``readout``), every ``eval_every`` steps
``acc_all``: the fraction of all operand pairs (16,384 at 8 bits) that the network adds exactly.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

import numpy as np

from rnnviz.binary.carry import CarryReport, find_carry
from rnnviz.binary.data import all_pairs, bit_string, encode, from_bits, max_operand, probe_pairs
from rnnviz.binary.model import NOTES, BinaryConfig, Weights, accuracy, backward, forward, init_weights, sgd
from rnnviz.core.training import TrainingRun

WINDOW = 100  # additions in the moving fraction-right and mean error
# Measured with the notes' settings at seed 0, scoring all 16,384 pairs after every addition up to 12,000 and
# every 10th up to 30,000 (tests/binary/test_binary_train.py checks them): every pair is right for the first
# time after ALL_RIGHT_FIRST additions, and stays right from ALL_RIGHT_FROM on.
ALL_RIGHT_FIRST, ALL_RIGHT_FROM = 6_605, 7_800
CARRY_R_SEED0 = 0.974  # the best unit's |r| with the carry over the memory columns after 10,000 (seed 0)
# metrics recorded now and then (all pairs scored, carry searched), kept apart in ``measurements``
MEASURED = ("acc_all", "bits_all", "carry_corr", "carry_corr_all", "carry_unit", "readout")
NOTES_EVERY = 1000  # the notes print at j % 1000 == 0, i.e. at additions 1, 1001, 2001, ...


@dataclass(frozen=True)
class Addition:
    """One training addition as the network saw it (the weights from before its update)."""

    step: int  # which step trained on it
    a: int  # first operand
    b: int  # second operand
    weights: Weights  # the weights that answered it


class BinaryRun(TrainingRun):
    """The notes' binary-addition training, stepped live; ``loss`` is the notes' Error of each addition."""

    probe_every = 100  # steps between carry searches
    probe_size = 512  # additions in the carry probe

    def __init__(self, config: BinaryConfig = NOTES, seed: int = 0) -> None:
        super().__init__(seed)
        self.config = config
        self.lr = config.lr
        self.rng = np.random.RandomState(self.seed)  # weights first, then two operands per step: the notes' stream
        self.weights = init_weights(config.hidden, self.rng)
        self.start_weights = self.weights
        self.eval_a, self.eval_b, self.exhaustive = all_pairs(config.bits, self.seed)
        self.probe_a, self.probe_b = probe_pairs(config.bits, self.probe_size, self.seed)
        self.last: Addition | None = None
        self.all_right_at: int | None = None  # first measurement at which every pair was right
        self._rights: deque[float] = deque(maxlen=WINDOW)
        self._errors: deque[float] = deque(maxlen=WINDOW)
        self.measurements: list[dict[str, float]] = []  # the steps that scored all pairs or searched the carry
        self._carry: CarryReport | None = None
        self._carry_step = -1
        self._carry_weights: Weights | None = None

    # ----- the training step ------------------------------------------------------------------
    @property
    def bits(self) -> int:
        return self.config.bits

    @property
    def pairs_label(self) -> str:
        """How the all-pairs score is measured, in words."""
        n = len(self.eval_a)
        top = max_operand(self.bits)
        return f"all {n:,} pairs below {top + 1}" if self.exhaustive else f"{n:,} random pairs below {top + 1}"

    def _train_step(self) -> dict[str, float]:
        top = max_operand(self.bits) + 1
        a, b = int(self.rng.randint(top)), int(self.rng.randint(top))  # the notes' randint(largest_number / 2)
        x, y = encode(a, b, self.bits)  # (T, 1, 2), (T, 1)
        p, h = forward(self.weights, x)  # (T, 1), (T+1, 1, H)
        grads = backward(self.weights, x, y, p, h)
        self.last = Addition(self.step_count + 1, a, b, self.weights)
        self.weights = sgd(self.weights, grads, self.lr)
        pred = int(from_bits(p[:, 0]))
        right = float(pred == a + b)
        error = float(np.abs(y - p).sum())
        self._rights.append(right)
        self._errors.append(error)
        metrics = {"loss": error, "sq_loss": float(0.5 * ((y - p) ** 2).sum()), "right": right,
                   "right100": sum(self._rights) / len(self._rights), "mean100": sum(self._errors) / len(self._errors),
                   "a": float(a), "b": float(b), "pred": float(pred)}
        done = self.step_count + 1
        if done % self.probe_every == 0 or done == 1:
            report = self.carry_report()
            metrics.update(carry_corr=abs(report.best_correlation), carry_unit=float(report.best_unit),
                           carry_corr_all=float(np.abs(report.correlations_all).max()),
                           readout=report.readout_accuracy)
        if done % self.config.eval_every == 0 or done == 1:
            metrics["acc_all"], metrics["bits_all"] = accuracy(self.weights, self.eval_a, self.eval_b, self.bits)
            if metrics["acc_all"] == 1.0 and self.all_right_at is None:
                self.all_right_at = done
        if "readout" in metrics or "acc_all" in metrics:
            self.measurements.append({"step": float(done), **{k: v for k, v in metrics.items() if k in MEASURED}})
        return metrics

    # ----- engine hooks -----------------------------------------------------------------------
    def snapshot(self) -> tuple[Weights, Addition | None, int | None]:
        return self.weights, self.last, self.all_right_at  # weights are never changed in place: no copy needed

    def restore(self, snap: tuple[Weights, Addition | None, int | None]) -> None:
        self.weights, self.last, self.all_right_at = snap
        self._carry = None

    def after_rollback(self) -> None:
        self.measurements = [m for m in self.measurements if m["step"] <= self.step_count]
        recent = self.history[-WINDOW:]
        self._rights = deque((m["right"] for m in recent), maxlen=WINDOW)
        self._errors = deque((m["loss"] for m in recent), maxlen=WINDOW)

    def _state_is_finite(self) -> bool:
        return self.weights.is_finite()

    def set_learning_rate(self, lr: float) -> None:
        self.lr = float(lr)

    def set_live(self, lr: float) -> None:
        self.set_learning_rate(lr)

    def divergence_message(self, loss: float, step: int) -> str:
        return (f"Training paused at step {step}: the weights became NaN/inf. The run went back to the last good "
                f"weights (step {self.step_count}). Lower the learning rate, then press Train again.")

    # ----- views --------------------------------------------------------------------------------
    def carry_report(self) -> CarryReport:
        """The carry search on the current weights (cached until the weights change)."""
        if self._carry is None or self._carry_step != self.step_count or self._carry_weights is not self.weights:
            self._carry = find_carry(self.weights, self.probe_a, self.probe_b, self.bits)
            self._carry_step, self._carry_weights = self.step_count, self.weights
        return self._carry

    def measured(self, key: str) -> tuple[list[float], list[float]]:
        """(steps, values) of a metric recorded only now and then (``acc_all``, ``carry_corr``, ...)."""
        rows = [(m["step"], m[key]) for m in self.measurements if key in m]
        return [s for s, _ in rows], [v for _, v in rows]

    def all_pairs_accuracy(self) -> float:
        """The fraction of the evaluation pairs the current weights add exactly (measured now)."""
        return accuracy(self.weights, self.eval_a, self.eval_b, self.bits)[0]

    def keeps_step(self, step: int) -> bool:
        """The notes' printouts (additions 1, 1001, 2001, ...) survive the thinning of a long history."""
        return (step - 1) % NOTES_EVERY == 0

    def printout(self, step: int | None = None) -> str:
        """The notes' printout of one addition as a line: Error · Pred · True · a + b = answer."""
        m = self.at_step(step or self.step_count)
        a, b, pred = int(m["a"]), int(m["b"]), int(m["pred"])
        return (f"Error {m['loss']:.2f} · Pred {bit_string(pred, self.bits)} · True {bit_string(a + b, self.bits)} "
                f"· {a} + {b} = {pred}")

    def notes_printouts(self) -> list[tuple[int, str]]:
        """The lines the notes' program prints: additions 1, 1001, 2001, ... reached so far."""
        return [(s, self.printout(s)) for s in range(1, self.step_count + 1, NOTES_EVERY)]

    def windowed(self, key: str = "right100") -> float:
        return self.history[-1][key] if self.history else math.nan
