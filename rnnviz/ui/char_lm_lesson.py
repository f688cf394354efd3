"""Lesson presets, hideable controls and the next-character question of the char-LM page (see
:mod:`rnnviz.ui.lesson`)."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from rnnviz.char_lm.data import CorpusError
from rnnviz.char_lm.lesson import next_char_answer, next_char_options
from rnnviz.ui import lesson
from rnnviz.ui.lesson import Preset, predict
from rnnviz.ui.training_control import get_run, read_run

SAMPLES_TAB = "Samples & hidden units"  # the page's tab with the temperature slider

HIDEABLE = {"char_lm_corpus": "Corpus", "char_lm_engine": "Engine", "char_lm_np_hidden": "Hidden units (NumPy)",
            "char_lm_np_lr": "Learning rate (NumPy)", "char_lm_np_clip_on": "Clipping (NumPy)",
            "char_lm_np_clip": "Max |entry|", "char_lm_np_carry": "Carry hidden state", "char_lm_cell": "Cell",
            "char_lm_t_hidden": "Hidden units (PyTorch)", "char_lm_batch": "Names per batch",
            "char_lm_dropout": "Dropout", "char_lm_t_lr": "Learning rate (Adam)",
            "char_lm_t_clip_on": "Clipping (PyTorch)", "char_lm_t_clip": "Max norm",
            "char_lm_prefix": "Next-character prefix", "char_lm_temp": "Temperature", "char_lm_topk": "Top-k",
            "char_lm_greedy": "Greedy"}


def presets(explosion: Mapping[str, object]) -> list[Preset]:
    """The page's lesson presets; ``explosion`` holds the widget values of its explosion demo."""
    return [
        Preset("Explode without clipping", dict(explosion),
               "NumPy engine, learning rate 0.05, clipping off. Train: the gradient norm (its chart is by the loss "
               "chart) climbs to hundreds and the loss jumps up within a few hundred names, until the guard "
               "rolls back. Then turn clipping on and train again at the same learning rate."),
        Preset("Temperature 0.2 vs 1.5", {"char_lm_temp": 0.2, "char_lm_greedy": False, "char_lm_topk": 0,
                                          "char_lm_tab": SAMPLES_TAB},
               f"Train a few thousand names first. At temperature 0.2 (tab {SAMPLES_TAB}) the samples are safe and "
               "alike; then drag Temperature to 1.5: the distribution flattens and the names turn wild."),
    ]


def lesson_tools(page: str, explosion: Mapping[str, object]) -> None:
    """The preset bar and the lesson-link builder, then hide what the link says to hide."""
    lesson.lesson_tools(page, presets(explosion), HIDEABLE)


def next_char_question(page: str, prefix: str) -> None:
    """Predict, then reveal: the live model's most likely character after the next-character view's prefix."""
    run = get_run(page)
    if run is None:
        return
    try:
        options = read_run(page, lambda r: next_char_options(r.next_char_probs(prefix), r.corpus.chars))
    except CorpusError:  # the prefix has characters the corpus lacks: the chart above says so
        return

    def answer() -> tuple[str, str]:
        return read_run(page, lambda r: next_char_answer(r.next_char_probs(prefix), r.corpus.chars, prefix,
                                                         r.step_count))

    predict(f"{page}_predict_next", f"Predict: which character comes next after “{prefix or '(start)'}”?",
            options, answer, help="The options are the model's three favourites now and one it finds unlikely. "
            "Pick one, then reveal: the answer is computed from the model as it is at that moment.")
