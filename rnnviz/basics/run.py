"""The page's two live runs: the three ways side by side, and the optimizer race.

Both keep a thinned history (at most about :data:`HISTORY_LIMIT` entries: the oldest half is
thinned to every other entry whenever the limit is reached, by the core's ``thin_history``), so a run can go on for a
hundred thousand steps while its charts stay light. The exact losses of every 100th step of
the first :data:`MARK_LIMIT` steps are kept apart, unthinned, for comparing with *Show code*.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from rnnviz.basics.data import COEFFS, FitData, largest_stable_lr, least_squares, make_data, start_coefficients
from rnnviz.basics.ways import WAY_NAMES, WAYS, AutogradWay, LinearWay, NumpyWay, autograd_gradients, hand_gradients
from rnnviz.core.training import TrainingRun

HISTORY_LIMIT = 3000  # entries kept before the older half is thinned
MARK_EVERY = 100  # exact losses kept at every 100th step ...
MARK_LIMIT = 5000  # ... of the first 5,000 steps (what Show code prints)


@dataclass(frozen=True)
class BasicsConfig:
    """Settings of the three-ways run; the live ones change the running run."""

    lr: float = 1e-6  # ways 1-2 learning rate (live), the notes' 1e-6
    reduction: str = "sum"  # ways 1-2 loss: "sum" of squared errors (the notes) or "mean" (live)
    forget_zero_grad: bool = False  # ways 2-3 never zero .grad, so backward() accumulates (live)
    optimizer: str = "RMSprop"  # way 3's optimizer, as in the notes (a change rebuilds the run)
    lr3: float = 1e-4  # way 3 learning rate (live), the notes' 1e-4
    n_points: int = 2000  # points on [-pi, pi]


LIVE: tuple[str, ...] = ("lr", "reduction", "forget_zero_grad", "lr3")  # fields that never rebuild the run


class _Together(TrainingRun):
    """Several learners stepped together: the guard snapshots and restores each of them."""

    _finite = True  # every coefficient after the last step (set by _train_step)
    history_limit = HISTORY_LIMIT  # lower than the core's: every entry holds 13+ numbers per learner

    def members(self) -> dict[str, object]:  # pragma: no cover - abstract
        raise NotImplementedError

    def snapshot(self) -> dict[str, object]:
        return {k: m.snapshot() for k, m in self.members().items()}

    def restore(self, snap: dict[str, object]) -> None:
        members = self.members()
        for k, s in snap.items():
            members[k].restore(s)

    def _state_is_finite(self) -> bool:
        return self._finite


class BasicsRun(_Together):
    """The three ways from one seeded start; ``loss`` is their mean squared error per point, averaged.

    Metrics per step: ``{way}_loss`` (the way's own loss: ways 1-2 sum or mean, way 3 MSE),
    ``{way}_mse`` (per point, comparable across ways) and ``{way}_{a,b,c,d}`` after the update.
    """

    def __init__(self, config: BasicsConfig, seed: int = 0) -> None:
        super().__init__(seed)
        self.config = config
        self.data: FitData = make_data(config.n_points)
        self.start = start_coefficients(seed)
        self.target = least_squares(self.data)
        self.ways = {
            "numpy": NumpyWay(self.start, self.data),
            "autograd": AutogradWay(self.start, config.n_points),
            "linear": LinearWay(self.start, config.n_points, config.optimizer, config.lr3, seed),
        }
        self.lr, self.reduction, self.forget, self.lr3 = config.lr, config.reduction, config.forget_zero_grad, config.lr3
        self.marks: dict[int, dict[str, float]] = {}  # step -> own losses, every MARK_EVERY steps
        self.live_changed = False  # a live setting changed since step 0 (Show code then differs)
        self._bad_step: dict[str, float] = {}

    # ----- live settings ----------------------------------------------------------
    def set_live(self, lr: float, reduction: str, forget_zero_grad: bool, lr3: float) -> None:
        new = (float(lr), reduction, bool(forget_zero_grad), float(lr3))
        if new != (self.lr, self.reduction, self.forget, self.lr3) and self.step_count:
            self.live_changed = True
        self.lr, self.reduction, self.forget, self.lr3 = new
        self.ways["linear"].set_lr(self.lr3)

    def set_learning_rate(self, lr: float) -> None:
        self.set_live(lr, self.reduction, self.forget, self.lr3)

    # ----- training ------------------------------------------------------------------
    def _train_step(self) -> dict[str, float]:
        n = self.data.n
        own = {
            "numpy": self.ways["numpy"].step(self.lr, self.reduction),
            "autograd": self.ways["autograd"].step(self.lr, self.reduction, self.forget),
            "linear": self.ways["linear"].step(self.forget),
        }
        metrics: dict[str, float] = {}
        for way in WAYS:
            metrics[f"{way}_loss"] = own[way]
            per_point = own[way] / n if (way != "linear" and self.reduction == "sum") else own[way]
            metrics[f"{way}_mse"] = per_point
            for name, value in zip(COEFFS, self.ways[way].coefficients()):
                metrics[f"{way}_{name}"] = float(value)
        mses = [metrics[f"{w}_mse"] for w in WAYS]
        self._bad_step = metrics
        self._finite = all(math.isfinite(v) for v in metrics.values())  # read by divergence_message if the guard rejects this step
        metrics["loss"] = float(np.mean(mses)) if all(math.isfinite(v) for v in mses) else float("inf")
        return metrics

    def after_step(self, metrics: dict[str, float]) -> None:
        if self.step_count % MARK_EVERY == 0 and self.step_count <= MARK_LIMIT:
            self.marks[self.step_count] = {w: metrics[f"{w}_loss"] for w in WAYS}

    def after_rollback(self) -> None:
        self.marks = {s: m for s, m in self.marks.items() if s <= self.step_count}

    def members(self) -> dict[str, object]:
        return self.ways

    def divergence_message(self, loss: float, step: int) -> str:
        worst = self._worst_way()
        if worst == "linear":
            advice = f"way 3's optimizer ({self.config.optimizer}) at lr {self.lr3:g} takes too big steps"
            if self.config.optimizer.startswith("SGD"):
                limit = largest_stable_lr(self.data, "mean") * (1.9 if "momentum" in self.config.optimizer else 1)
                advice += f": on the mean loss it is stable only for lr < {limit:.3g}"
            advice += "; pick a smaller way-3 learning rate"
        else:
            limit = largest_stable_lr(self.data, self.reduction)
            advice = (f"with the {self.reduction} loss, plain gradient descent is stable only for lr < "
                      f"{limit:.3g} (2 / the largest curvature), and the lr is {self.lr:g}: pick a smaller one")
        if self.forget and worst != "numpy":
            advice += ", or turn off *forget zero_grad*"
        who = WAY_NAMES[worst]
        other = {"numpy": "autograd", "autograd": "numpy"}.get(worst)
        if other and _blew_up(self._bad_step.get(f"{other}_mse", 0.0), self._bad_step.get(f"{worst}_mse", 0.0)):
            who = "ways 1 and 2 (one algorithm, two implementations)"
        return (f"Training paused at step {step}: the loss of {who} "
                f"{'became NaN/inf' if not math.isfinite(loss) else 'exploded'}. The run went back to the last good "
                f"coefficients (step {self.step_count}). Why: {advice}. Then press Train again.")

    def _worst_way(self) -> str:
        """The way with the largest loss per point in the rejected step (the one that blew up)."""
        return _worst({w: self._bad_step.get(f"{w}_mse", 0.0) for w in WAYS})

    # ----- what the page shows ------------------------------------------------------------
    def coefficients(self) -> dict[str, np.ndarray]:
        return {w: self.ways[w].coefficients() for w in WAYS}

    def gradient_check(self) -> float:
        """max |hand-written - autograd| over dL/da..dL/dd, at way 1's current coefficients, same points and loss."""
        coeffs = self.ways["numpy"].coefficients()
        _, hand = hand_gradients(coeffs, self.data, self.reduction)
        _, auto = autograd_gradients(coeffs, self.data, self.reduction)
        return float(np.max(np.abs(hand - auto)))

    def gradient_scale(self) -> float:
        """The size of those gradients (to judge the difference against)."""
        _, hand = hand_gradients(self.ways["numpy"].coefficients(), self.data, self.reduction)
        return float(np.max(np.abs(hand)))

    def ways_gap(self) -> float:
        """max |coefficient of way 1 - coefficient of way 2|: the two implementations of one algorithm."""
        c = self.coefficients()
        return float(np.max(np.abs(c["numpy"] - c["autograd"])))


def _blew_up(value: float, worst: float) -> bool:
    """``value`` is non-finite or at least a tenth of the worst loss: it diverged too."""
    return not math.isfinite(value) or (math.isfinite(worst) and value >= 0.1 * worst)


def _worst(losses: dict[str, float]) -> str:
    """The name with the largest loss (NaN and inf count as the largest)."""
    return max(losses, key=lambda k: losses[k] if math.isfinite(losses[k]) else math.inf)


# ============================================================================ the optimizer race
RACERS: dict[str, str] = {"sgd": "SGD", "momentum": "SGD + momentum", "rmsprop": "RMSprop", "adam": "Adam"}


@dataclass(frozen=True)
class RaceConfig:
    """Settings of the optimizer race: four copies of way 3, one per optimizer, same start, same loss."""

    lr: float = 1e-3  # one learning rate for all four (live)
    n_points: int = 2000  # points on [-pi, pi]


class OptimizerRace(_Together):
    """SGD, SGD + momentum, RMSprop and Adam on nn.Linear(3, 1) with the mean squared error.

    Metrics per step: ``{racer}_loss`` (MSE before the update), ``{racer}_{a,b,c,d}`` after it;
    ``loss`` is the mean of the four.
    """

    def __init__(self, config: RaceConfig, seed: int = 0) -> None:
        super().__init__(seed)
        self.config = config
        self.data = make_data(config.n_points)
        self.start = start_coefficients(seed)
        self.target = least_squares(self.data)
        self.lr = config.lr
        self._bad_step: dict[str, float] = {}
        self._finite = True
        self.racers = {r: LinearWay(self.start, config.n_points, name, config.lr, seed) for r, name in RACERS.items()}

    def set_learning_rate(self, lr: float) -> None:
        self.lr = float(lr)
        for way in self.racers.values():
            way.set_lr(lr)

    def _train_step(self) -> dict[str, float]:
        metrics: dict[str, float] = {}
        for r, way in self.racers.items():
            metrics[f"{r}_loss"] = way.step()
            for name, value in zip(COEFFS, way.coefficients()):
                metrics[f"{r}_{name}"] = float(value)
        losses = [metrics[f"{r}_loss"] for r in RACERS]
        self._bad_step = metrics
        self._finite = all(math.isfinite(v) for v in metrics.values())
        metrics["loss"] = float(np.mean(losses)) if all(math.isfinite(v) for v in losses) else float("inf")
        return metrics

    def members(self) -> dict[str, object]:
        return self.racers

    def divergence_message(self, loss: float, step: int) -> str:
        worst = _worst({r: self._bad_step.get(f"{r}_loss", 0.0) for r in RACERS})
        limit = largest_stable_lr(self.data, "mean")
        why = (f" Plain SGD is stable here only for lr < {limit:.3g}; with momentum 0.9 the limit is "
               f"{limit * 1.9:.3g}." if worst in ("sgd", "momentum") else "")
        return (f"Training paused at step {step}: the loss of {RACERS[worst]} exploded at lr {self.lr:g}. The race went "
                f"back to step {self.step_count}.{why} Pick a smaller learning rate, then press Train again.")

    def coefficients(self) -> dict[str, np.ndarray]:
        return {r: w.coefficients() for r, w in self.racers.items()}
