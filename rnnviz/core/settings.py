"""What a page's settings are, for the live control: which of them rebuild a run, and what changed.

A page hands the control its frozen config (or a mapping of names to values and configs). The
fields named *live* (learning rate, clipping, ...) change the running run; every other field is
part of the run's reset signature, and a change to any of them rebuilds the run with a notice that
names exactly the fields that changed.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Mapping

import numpy as np


def _comparable(value: Any) -> Any:
    """A value that compares with ``==`` to a plain bool (arrays by shape and bytes)."""
    if isinstance(value, np.ndarray):
        return (value.shape, value.dtype.str, value.tobytes())
    if isinstance(value, (list, tuple)):
        return tuple(_comparable(v) for v in value)
    return value


def reset_signature(settings: Any, live: tuple[str, ...] = ()) -> dict[str, Any]:
    """The settings that rebuild a run, by name: dataclass fields (nested ones flattened) minus ``live``."""
    out: dict[str, Any] = {}

    def add(name: str, value: Any) -> None:
        if name in live:
            return
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                add(f.name, getattr(value, f.name))
        else:
            out[name] = _comparable(value)

    if isinstance(settings, Mapping):
        for name, value in settings.items():
            add(str(name), value)
    else:
        add("settings", settings)
    return out


def changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Names whose value differs (or that appear on one side only), in the new order."""
    names = list(new) + [n for n in old if n not in new]
    return [n for n in names if n not in old or n not in new or old[n] != new[n]]


def _label(name: str) -> str:
    return name.replace("_", " ")


def restart_notice(names: list[str], had_steps: int) -> str:
    """One sentence: which settings changed, and that training restarted."""
    labels = [f"**{_label(n)}**" for n in names] or ["a setting"]
    what = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return (f"You changed {what}, so training restarted from step 0 "
            f"(the previous run had {had_steps:,} step{'s' if had_steps != 1 else ''}).")
