"""The live control's reset signature: live fields never rebuild a run; the notice names what changed."""

from dataclasses import dataclass, replace

import numpy as np

from rnnviz.core.settings import changed, reset_signature, restart_notice


@dataclass(frozen=True)
class Cfg:
    hidden: int = 8
    cell: str = "GRU"
    lr: float = 0.01
    clip: float | None = 1.0


def test_live_fields_are_left_out_and_nested_configs_flatten():
    sig = reset_signature({"config": Cfg(), "seed": 3}, live=("lr", "clip"))
    assert sig == {"hidden": 8, "cell": "GRU", "seed": 3}
    assert reset_signature({"config": replace(Cfg(), lr=0.5, clip=None)}, ("lr", "clip")) == \
        reset_signature({"config": Cfg()}, ("lr", "clip"))


def test_changed_names_the_fields_in_order():
    old = reset_signature({"config": Cfg(), "seed": 0}, ("lr",))
    new = reset_signature({"config": replace(Cfg(), hidden=16, clip=None), "seed": 1}, ("lr",))
    assert changed(old, new) == ["hidden", "clip", "seed"]
    assert changed(new, new) == []


def test_arrays_compare_by_value():
    a = reset_signature({"W_ih": np.ones((2, 2))})
    assert changed(a, reset_signature({"W_ih": np.ones((2, 2))})) == []
    assert changed(a, reset_signature({"W_ih": np.array([[2.0, 1], [1, 1]])})) == ["W_ih"]


def test_notice_lists_the_changes():
    text = restart_notice(["hidden", "break_the_symmetry", "seed"], 100)
    assert "**hidden**, **break the symmetry** and **seed**" in text
    assert "previous run had 100 steps" in text
