"""Lesson material of the character language model page: the "which character comes next?" question.

Pure Python (no Streamlit): options and answer come from the live model's next-character probabilities
(:meth:`rnnviz.char_lm.base_run.CharLMRun.next_char_probs`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rnnviz.char_lm.figures import char_label


def next_char_options(probs: np.ndarray, chars: Sequence[str], top: int = 3) -> list[str]:
    """The ``top`` most likely next characters and the least likely one, as labels (⏎ = end), sorted."""
    order = np.argsort(-np.asarray(probs), kind="stable")
    picked = {int(i) for i in order[:top]} | {int(order[-1])}
    return sorted(char_label(chars[i]) for i in picked)


def next_char_answer(probs: np.ndarray, chars: Sequence[str], prefix: str, step: int,
                     top: int = 5) -> tuple[str, str]:
    """The model's most likely next character after ``prefix`` (its label) and the top probabilities."""
    probs = np.asarray(probs)
    order = np.argsort(-probs, kind="stable")
    right = char_label(chars[int(order[0])])
    rows = ", ".join(f"**{char_label(chars[int(i)])}** {probs[i]:.1%}" for i in order[:top])
    low = int(order[-1])
    shown = prefix or "(start of a name)"
    uniform = 1 / len(probs)
    why = (f"After “{shown}” the model at step {step:,} gives: {rows} (the top {top} of {len(probs)} characters; "
           f"the least likely, **{char_label(chars[low])}**, gets {probs[low]:.2%}; ⏎ = the name ends). "
           f"An untrained model gives every character about 1/{len(probs)} = {uniform:.1%}. ")
    if probs[order[0]] < 2 * uniform:
        why += "The model has hardly learned yet: train a few hundred steps and ask again."
    else:
        why += "The bars in the next-character chart above show the same numbers."
    return right, why
