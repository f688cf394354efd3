"""One live run holding three models (RNN, LSTM, GRU) trained side by side.

Same seed (each model is built under ``seeded(seed, ...)``), same data order (one
batch per step, fed to all three), same loss (cross entropy on the last output).
Every ``eval_every`` steps the run scores the fixed test set; those points feed the
train/test curves, the confusion matrices and the misclassified examples.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any, Callable, Hashable

import numpy as np
import torch
from torch import nn

from rnnviz.gated.cells import KINDS, hidden_gradient_norms, trace
from rnnviz.gated.data import TaskData
from rnnviz.gated.model import GatedConfig, build_model, hidden_sizes, param_count
from rnnviz.core.seeding import seeded
from rnnviz.core.training import TrainingRun, one_thread
from rnnviz.core.torch_run import make_optimizer

PROBE = 100  # test examples used for the gradient-norm profile
_POINT = object()  # cache slot holding which evaluation the cached views belong to


@dataclass(frozen=True)
class Evaluation:
    """One model's scores at one step: train (mean over the batches since the last point) and test."""

    step: int  # steps done when measured
    train_loss: float  # mean cross entropy of the training batches since the previous point
    train_acc: float  # mean accuracy of those batches
    test_loss: float  # cross entropy on the whole test set
    test_acc: float  # accuracy on the whole test set


class GatedRun(TrainingRun):
    """RNN, LSTM and GRU stepped together; ``step`` metrics hold ``loss`` (their mean) and per-model values."""

    def __init__(self, config: GatedConfig, seed: int = 0) -> None:
        super().__init__(seed)
        self.config = config
        self.data = TaskData(config.task, config.length, seed)
        spec = self.data.spec
        self.hidden = hidden_sizes(config, spec)
        self.models = {k: seeded(seed, lambda k=k: build_model(k, config, spec, self.hidden[k])) for k in KINDS}
        self.optimizers = {k: make_optimizer(config.optimizer, m.parameters(), config.lr)
                           for k, m in self.models.items()}
        self.params = {k: param_count(k, spec.input_size, self.hidden[k], spec.n_classes) for k in KINDS}
        self.clip = config.clip
        self.lr = config.lr
        self.rng = np.random.default_rng([seed, 0])  # training batches
        self.seconds = {k: 0.0 for k in KINDS}  # time spent in each model's forward/backward/update
        self.evals: dict[str, list[Evaluation]] = {k: [] for k in KINDS}
        self.predictions: dict[str, np.ndarray] = {}  # latest test-set predictions (N,)
        self._window: dict[str, list[tuple[float, float]]] = {k: [] for k in KINDS}
        self._cache: dict[tuple, Any] = {}
        self._eval_cache: dict[Any, Any] = {}
        with one_thread():
            self.evaluate()

    # ----- live settings --------------------------------------------------------
    def set_live(self, lr: float, clip: float | None) -> None:
        """Change the learning rate and gradient clipping of all three models, no reset."""
        self.lr = float(lr)
        self.clip = clip
        for opt in self.optimizers.values():
            for group in opt.param_groups:
                group["lr"] = float(lr)

    def set_learning_rate(self, lr: float) -> None:
        self.set_live(lr, self.clip)

    # ----- training ---------------------------------------------------------------
    def _train_step(self) -> dict[str, float]:
        x, y = self.data.batch(self.rng, self.config.batch_size)  # (B, T, I), (B,)
        metrics: dict[str, float] = {}
        for k, model in self.models.items():
            t0 = time.perf_counter()
            logits, _ = model(x)  # (B, C)
            loss = nn.functional.cross_entropy(logits, y)
            opt = self.optimizers[k]
            opt.zero_grad()
            loss.backward()
            if self.clip is not None:
                nn.utils.clip_grad_norm_(model.parameters(), self.clip)
            opt.step()
            self.seconds[k] += time.perf_counter() - t0
            acc = (logits.argmax(1) == y).float().mean().item()
            metrics[f"{k}_loss"] = loss.item()
            metrics[f"{k}_acc"] = acc
        metrics["loss"] = float(np.mean([metrics[f"{k}_loss"] for k in KINDS]))
        return metrics

    def after_step(self, metrics: dict[str, float]) -> None:
        """Keep the training window; score the test set every ``eval_every`` steps."""
        for k in KINDS:
            self._window[k].append((metrics[f"{k}_loss"], metrics[f"{k}_acc"]))
        if self.step_count % self.config.eval_every == 0:
            self.evaluate()
            metrics.update({f"{k}_test_acc": self.evals[k][-1].test_acc for k in KINDS})

    def after_rollback(self) -> None:
        self._forget_future()

    def _forget_future(self) -> None:
        """After a divergence rolled the weights back, drop evaluations of undone steps."""
        for k in KINDS:
            self.evals[k] = [e for e in self.evals[k] if e.step <= self.step_count]

    @torch.no_grad()
    def evaluate(self) -> None:
        """Score every model on the test set; record one point of the train/test curves."""
        for k, model in self.models.items():
            logits, _ = model(self.data.x_test)  # (N, C)
            test_loss = nn.functional.cross_entropy(logits, self.data.y_test).item()
            pred = logits.argmax(1)
            self.predictions[k] = pred.numpy()
            window = self._window[k]
            if window:
                train_loss, train_acc = (float(v) for v in np.mean(window, axis=0))
            else:  # step 0, no batch seen yet: score the training images (long-range: same as test)
                train_loss, train_acc = self._score_train(model, test_loss, pred)
            self._window[k] = []
            self.evals[k].append(Evaluation(self.step_count, train_loss, train_acc, test_loss,
                                            float((pred == self.data.y_test).float().mean())))

    def _score_train(self, model: nn.Module, test_loss: float, test_pred: torch.Tensor) -> tuple[float, float]:
        if self.data.spec.name != "digits":  # training sequences come from the test sequences' distribution
            return test_loss, float((test_pred == self.data.y_test).float().mean())
        logits, _ = model(self.data.x_train)  # (N_train, C)
        return (nn.functional.cross_entropy(logits, self.data.y_train).item(),
                float((logits.argmax(1) == self.data.y_train).float().mean()))

    # ----- hooks of the divergence guard ----------------------------------------------
    def snapshot(self) -> dict[str, tuple[dict[str, torch.Tensor], dict[str, Any]]]:
        return {k: ({n: v.detach().clone() for n, v in m.state_dict().items()},
                    copy.deepcopy(self.optimizers[k].state_dict())) for k, m in self.models.items()}

    def restore(self, snap: dict[str, tuple[dict[str, torch.Tensor], dict[str, Any]]]) -> None:
        for k, (weights, opt_state) in snap.items():
            self.models[k].load_state_dict(weights)
            self.optimizers[k].load_state_dict(opt_state)

    def _state_is_finite(self) -> bool:
        return all(bool(torch.isfinite(p).all()) for m in self.models.values() for p in m.parameters())

    # ----- what the page shows -----------------------------------------------------
    def ms_per_step(self, kind: str) -> float:
        """Mean milliseconds one model spends per step (forward, backward, update)."""
        return 1000.0 * self.seconds[kind] / self.step_count if self.step_count else 0.0

    def latest(self, kind: str) -> Evaluation:
        return self.evals[kind][-1]

    def steps_to_reach(self, kind: str, test_acc: float) -> int | None:
        """The first evaluation step at which a model's test accuracy reached ``test_acc``."""
        return next((e.step for e in self.evals[kind] if e.test_acc >= test_acc), None)

    def _cached(self, key: tuple, compute: Any) -> Any:
        full = (self.step_count, *key)
        if full not in self._cache:
            if len(self._cache) > 16:
                self._cache.clear()
            self._cache[full] = compute()
        return self._cache[full]

    def at_last_evaluation(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """``compute()``, reused until the next test-set evaluation (for views that change only then)."""
        point = (self.step_count // self.config.eval_every, len(self.evals[KINDS[0]]))
        if self._eval_cache.get(_POINT) != point:
            self._eval_cache = {_POINT: point}
        if key not in self._eval_cache:
            self._eval_cache[key] = compute()
        return self._eval_cache[key]

    def gradient_profile(self) -> dict[str, np.ndarray]:
        """||dL/dh_t|| against t (1..T) per model, on the first test examples, current weights."""
        def compute() -> dict[str, np.ndarray]:
            x, y = self.data.x_test[:PROBE], self.data.y_test[:PROBE]
            with one_thread():
                return {k: hidden_gradient_norms(k, m.rnn, m.fc, x, y, m.nonlinearity) for k, m in self.models.items()}
        return self._cached(("grad",), compute)

    def example(self, index: int) -> dict[str, dict[str, np.ndarray]]:
        """One test example through every model: NumPy gate/state traces plus ``p_true`` (T,) and ``probs`` (T, C)."""
        def compute() -> dict[str, dict[str, np.ndarray]]:
            x = self.data.x_test[index:index + 1]  # (1, T, I)
            label = int(self.data.y_test[index])
            out = {}
            for k, m in self.models.items():
                tr = trace(k, x[0].numpy(), m.rnn, m.nonlinearity)
                with one_thread():
                    probs = m.probabilities_over_time(x)[0].numpy()  # (T, C)
                out[k] = {**tr, "probs": probs, "p_true": probs[:, label]}
            return out
        return self._cached(("example", int(index)), compute)

    def confusion(self, kind: str) -> np.ndarray:
        """Counts (true class, predicted class) of the latest test evaluation, (C, C)."""
        n = self.data.spec.n_classes
        m = np.zeros((n, n), dtype=int)
        np.add.at(m, (self.data.y_test.numpy(), self.predictions[kind]), 1)
        return m

    def misclassified(self, kind: str, limit: int = 6) -> list[tuple[int, int, int]]:
        """Up to ``limit`` test examples the model gets wrong: ``(index, true, predicted)``."""
        y = self.data.y_test.numpy()
        wrong = np.flatnonzero(self.predictions[kind] != y)[:limit]
        return [(int(i), int(y[i]), int(self.predictions[kind][i])) for i in wrong]
