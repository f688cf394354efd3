"""The three sequence classifiers (RNN, LSTM, GRU), their settings, sizes and gate biases.

Each model reads a sequence batch-first and classifies it from the **last output**,
as in seed 001::

    out, state = cell(x)              # out: (B, T, H)
    logits = fc(out[:, -1])           # (B, C)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import torch
from torch import nn

from rnnviz.core import recurrent
from rnnviz.core.recurrent import cell_facts
from rnnviz.gated.cells import KINDS
from rnnviz.gated.data import TaskSpec

NAMES: dict[str, str] = {k: cell_facts(k).name for k in KINDS}  # "rnn" -> "RNN", ...
OPENING_GATES: dict[str, str] = {"lstm": "f", "gru": "z"}  # the gate whose bias keeps the memory at the start


@dataclass(frozen=True)
class GatedConfig:
    """Everything that defines a three-model run (live settings are only its starting values)."""

    task: str = "digits"  # "digits" (8 rows of 8 pixels) or "long_range" (remember the first letter)
    length: int = 40  # long-range task: distractors after the first letter (sequence = 1 + length)
    hidden: int = 128  # hidden units of every model (or of the LSTM, with same_budget)
    same_budget: bool = False  # size RNN and GRU to about the LSTM's parameter count
    rnn_nonlinearity: str = "relu"  # the vanilla RNN's activation: "relu" (seed 001) or "tanh"
    optimizer: str = "RMSprop"  # "RMSprop" (seed 001), "Adam" or "SGD"
    lr: float = 0.003  # learning rate (live: can change without a reset)
    batch_size: int = 64  # examples per training step (the same batch for all three models)
    clip: float | None = None  # max gradient norm, None = no clipping (live)
    lstm_forget_bias: float | None = None  # forget-gate bias b_f at the start; None = PyTorch's random init
    gru_update_bias: float | None = None  # update-gate bias b_z at the start; None = PyTorch's random init
    eval_every: int = 10  # steps between test-set evaluations

    def __post_init__(self) -> None:
        if self.task not in ("digits", "long_range"):
            raise ValueError(f"unknown task {self.task!r}")
        if self.rnn_nonlinearity not in ("tanh", "relu"):
            raise ValueError("the vanilla RNN's nonlinearity must be 'tanh' or 'relu'")
        if self.hidden < 1 or self.batch_size < 1 or self.eval_every < 1:
            raise ValueError("hidden size, batch size and eval_every must be positive")


# The seed's digit classifier: nn.RNN(relu, batch_first), fc on the last output, RMSprop lr 0.003, batch 64, hidden 128.
SEED_PRESET = GatedConfig()
# The long-range default: short of memory for a plain RNN, easy for the gated cells with open gates.
LONG_RANGE_PRESET = GatedConfig(task="long_range", length=40, hidden=32, rnn_nonlinearity="tanh",
                                optimizer="Adam", lr=0.003, batch_size=64,
                                lstm_forget_bias=3.0, gru_update_bias=3.0)
PRESETS: dict[str, GatedConfig] = {"digits": SEED_PRESET, "long_range": LONG_RANGE_PRESET}


def preset(task: str, **changes: object) -> GatedConfig:
    """The default configuration of a task, with optional field changes."""
    return replace(PRESETS[task], **changes)


class SequenceClassifier(nn.Module):
    """One recurrent layer (``nn.RNN``, ``nn.LSTM`` or ``nn.GRU``, batch_first) + a linear classifier."""

    def __init__(self, kind: str, input_size: int, hidden: int, n_classes: int, nonlinearity: str = "tanh") -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"unknown cell {kind!r}; choose one of {KINDS}")
        self.kind = kind
        self.nonlinearity = nonlinearity
        options = {"nonlinearity": nonlinearity} if kind == "rnn" else {}
        self.rnn: nn.Module = cell_facts(kind).module(input_size, hidden, batch_first=True, **options)
        self.fc = nn.Linear(hidden, n_classes)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, T, I) -> ``(logits (B, C), out (B, T, H))``: the class scores and every hidden state."""
        out, _state = self.rnn(x)  # out: (B, T, H); state: h_n (1, B, H) (LSTM: (h_n, c_n))
        return self.fc(out[:, -1]), out  # classify from the last output: (B, C)

    def probabilities_over_time(self, x: torch.Tensor) -> torch.Tensor:
        """The classifier applied after every time step: softmax(fc(h_t)), (B, T, C)."""
        with torch.no_grad():
            _, out = self(x)
            return torch.softmax(self.fc(out), dim=-1)  # (B, T, C)


def param_count(kind: str, input_size: int, hidden: int, n_classes: int) -> int:
    """Trainable parameters: the recurrent layer's G blocks of (W_ih, W_hh, b_ih, b_hh) plus the classifier."""
    return recurrent.param_count(kind, input_size, hidden) + hidden * n_classes + n_classes


def hidden_sizes(config: GatedConfig, spec: TaskSpec) -> dict[str, int]:
    """Hidden units per model: all equal, or (same budget) the size whose count is nearest the LSTM's."""
    if not config.same_budget:
        return {k: config.hidden for k in KINDS}
    budget = param_count("lstm", spec.input_size, config.hidden, spec.n_classes)
    sizes = {}
    for kind in KINDS:
        sizes[kind] = min(range(1, 4 * config.hidden + 1),
                          key=lambda h: abs(param_count(kind, spec.input_size, h, spec.n_classes) - budget))
    return sizes


def set_gate_biases(model: SequenceClassifier, lstm_forget_bias: float | None, gru_update_bias: float | None) -> None:
    """Open the memory at the start: LSTM b_f (rows H..2H), GRU b_z (rows H..2H).

    PyTorch has two bias vectors per gate (b_ih and b_hh) that are simply added; the
    chosen value goes into b_ih and b_hh's slice is set to 0, so the gate's total bias
    is exactly the chosen value.
    """
    value = {"lstm": lstm_forget_bias, "gru": gru_update_bias}.get(model.kind)
    if value is None:
        return
    rows = cell_facts(model.kind).gate_rows(OPENING_GATES[model.kind], model.rnn.hidden_size)  # H..2H
    with torch.no_grad():
        model.rnn.bias_ih_l0[rows] = float(value)
        model.rnn.bias_hh_l0[rows] = 0.0


def build_model(kind: str, config: GatedConfig, spec: TaskSpec, hidden: int) -> SequenceClassifier:
    """A fresh model (call inside ``rnnviz.core.seeding.seeded`` for reproducible weights)."""
    model = SequenceClassifier(kind, spec.input_size, hidden, spec.n_classes, config.rnn_nonlinearity)
    set_gate_biases(model, config.lstm_forget_bias, config.gru_update_bias)
    return model


def gate_memory(bias: float, steps: int) -> float:
    """Fraction of a memory kept after ``steps`` steps by a gate stuck at σ(bias): σ(bias)^steps."""
    return float((1.0 / (1.0 + math.exp(-bias))) ** steps)
