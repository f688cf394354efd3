"""The PyTorch side of the training engine: cheap snapshots, live learning rates, one thread.

:class:`TorchRun` is a :class:`rnnviz.core.training.TrainingRun` around one ``nn.Module`` and one
optimizer; runs that hold several models use the plain functions (:func:`torch_snapshot`,
:func:`torch_restore`, :func:`set_optimizer_lr`, :func:`params_finite`) directly.
"""

from __future__ import annotations

from typing import Any

import torch

from rnnviz.core.training import TrainingRun

TorchSnapshot = tuple[list[torch.Tensor], list[torch.Tensor], list[dict[str, Any]]]


def torch_snapshot(model: torch.nn.Module, optimizer: torch.optim.Optimizer) -> TorchSnapshot:
    """Cheap copy of everything training changes: parameters, buffers, optimizer state (cloned tensors,
    no state_dict deep copy)."""
    tensors = list(model.parameters()) + list(model.buffers())
    for state in optimizer.state.values():
        tensors.extend(v for v in state.values() if isinstance(v, torch.Tensor))
    with torch.no_grad():
        copies = [t.detach().clone() for t in tensors]
    extras = [{k: v for k, v in st.items() if not isinstance(v, torch.Tensor)} for st in optimizer.state.values()]
    return tensors, copies, extras


def torch_restore(optimizer: torch.optim.Optimizer, snap: TorchSnapshot) -> None:
    """Put back what :func:`torch_snapshot` copied, in place."""
    tensors, copies, extras = snap
    with torch.no_grad():
        for t, c in zip(tensors, copies):
            t.copy_(c)
    for st, extra in zip(optimizer.state.values(), extras):
        st.update(extra)
    # Optimizer state created by the bad step (first step of a fresh optimizer) is dropped.
    known = {id(t) for t in tensors}
    for param in list(optimizer.state):
        if any(id(v) not in known for v in optimizer.state[param].values() if isinstance(v, torch.Tensor)):
            del optimizer.state[param]


def set_optimizer_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = float(lr)


def params_finite(model: torch.nn.Module) -> bool:
    norms = torch._foreach_norm([p.detach() for p in model.parameters()])  # one fused call
    return bool(torch.isfinite(torch.stack(norms)).all())


class TorchRun(TrainingRun):
    """A run around one ``torch.nn.Module`` and one optimizer.

    Subclasses set ``self.model`` and ``self.optimizer`` in ``__init__`` and
    implement ``_train_step``.
    """

    model: torch.nn.Module
    optimizer: torch.optim.Optimizer

    def snapshot(self) -> TorchSnapshot:
        return torch_snapshot(self.model, self.optimizer)

    def restore(self, snap: TorchSnapshot) -> None:
        torch_restore(self.optimizer, snap)

    def set_learning_rate(self, lr: float) -> None:
        set_optimizer_lr(self.optimizer, lr)

    def _state_is_finite(self) -> bool:
        return params_finite(self.model)


def make_optimizer(name: str, params: Any, lr: float) -> torch.optim.Optimizer:
    """Build an optimizer by its display name: ``SGD``, ``Adam`` or ``RMSprop``."""
    table = {"SGD": torch.optim.SGD, "Adam": torch.optim.Adam, "RMSprop": torch.optim.RMSprop}
    if name not in table:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {sorted(table)}")
    return table[name](params, lr=lr)
