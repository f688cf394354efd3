"""Lesson presets and hideable controls of the binary-addition page (see :mod:`rnnviz.ui.lesson`)."""

from __future__ import annotations

from rnnviz.binary.run import ALL_RIGHT_FIRST
from rnnviz.ui.lesson import Preset

_NOTES = {"binary_bits": 8, "binary_hidden": 16, "binary_lr": 0.1}

PRESETS = [
    Preset("The notes' setup", {**_NOTES, "binary_tab": "Train it"},
           "8 bits, 16 hidden units, learning rate 0.1: the notes' program at seed 0. Press Train: all 16,384 "
           f"pairs are right for the first time after {ALL_RIGHT_FIRST:,} additions."),
    Preset("Too few hidden units", {**_NOTES, "binary_hidden": 2, "binary_tab": "Train it"},
           "Only 2 hidden units must remember the carry and help make each sum bit. Train as long as with 16 "
           "units and compare the dotted all-pairs score."),
    Preset("16-bit numbers", {**_NOTES, "binary_bits": 16, "binary_tab": "Try it", "binary_try_a": "12345",
                              "binary_try_b": "6789"},
           "Operands up to 32,767, 16 time steps. The same three matrices are used at every column, so what the "
           "network learns about one column works at all of them: train, then watch 12345 + 6789 come right."),
    Preset("Where is the carry?", {**_NOTES, "binary_tab": "Where the carry lives"},
           "The notes' setup, on the carry tab. Train and watch one hidden unit start to follow the carry in the "
           "memory columns (|r| grows towards 1)."),
]

HIDEABLE = {"binary_bits": "Bits (time steps)", "binary_hidden": "Hidden units", "binary_lr": "Learning rate α"}
