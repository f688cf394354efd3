"""Lesson material of the RNN vs LSTM vs GRU page: preset values and the "which model wins?" answer.

Pure Python (no Streamlit): the page turns these into buttons and a predict-then-reveal question.
"""

from __future__ import annotations

from rnnviz.gated.cells import KINDS
from rnnviz.gated.model import NAMES, PRESETS, GatedConfig
from rnnviz.gated.run import Evaluation, GatedRun


def widget_values(c: GatedConfig) -> dict[str, object]:
    """The settings widgets' values for a configuration (the presets fill the form with these)."""
    return {
        "gated_length": c.length, "gated_hidden": c.hidden, "gated_budget": c.same_budget,
        "gated_nonlin": c.rnn_nonlinearity, "gated_opt": c.optimizer, "gated_batch": c.batch_size,
        "gated_lr": c.lr, "gated_clip_on": c.clip is not None, "gated_clip": c.clip or 1.0,
        "gated_fb_on": c.lstm_forget_bias is not None, "gated_fb": c.lstm_forget_bias or 1.0,
        "gated_zb_on": c.gru_update_bias is not None, "gated_zb": c.gru_update_bias or 1.0,
    }


_LONG = {"gated_task": "long_range", **widget_values(PRESETS["long_range"])}

# (button label, widget values, what to do and watch): the page makes lesson Presets of these.
LESSON_PRESETS: list[tuple[str, dict[str, object], str]] = [
    ("Vanishing gradient at length 40", _LONG,
     "Long-range memory, 40 distractors after the letter, the page's preset (gate biases b = 3). Train a few "
     "hundred steps: the LSTM and GRU learn to remember the first letter, the plain RNN stays near chance (25 %). "
     "The gradient chart shows why: the RNN's line falls steeply from right to left."),
    ("Forget-gate bias off", {**_LONG, "gated_fb_on": False, "gated_zb_on": False},
     "The same task with PyTorch's default gate biases (about 0): the LSTM's forget gate and the GRU's update "
     "gate start half closed, so only about 0.5^40 of the memory survives the 40 steps. Train and compare with "
     "the previous preset: the gated cells now start as stuck as the plain RNN."),
]


def best_evaluations(run: GatedRun) -> dict[str, Evaluation]:
    """Each model's evaluation with the highest test accuracy so far (the earliest one on ties)."""
    return {k: max(run.evals[k], key=lambda e: e.test_acc) for k in KINDS}


def has_trained(run: GatedRun) -> bool:
    """Whether the test set was scored after some training (the step-0 score is the untrained models')."""
    return any(e.step > 0 for e in run.evals[KINDS[0]])


def winner(run: GatedRun) -> tuple[str | None, str]:
    """The model with the best test accuracy so far in ``run`` (its name) and why, in the run's numbers."""
    best = best_evaluations(run)
    right = max(KINDS, key=lambda k: best[k].test_acc)  # the first of RNN, LSTM, GRU on a tie
    chance = 1 / run.data.spec.n_classes
    c = run.config
    setting = (f"the long-range task at length {c.length}" if c.task == "long_range" else "the digits task")
    rows = "\n".join(f"- **{NAMES[k]}**: {best[k].test_acc:.1%} (step {best[k].step})" for k in KINDS)
    if not has_trained(run):
        return None, (
            f"**This run has not trained yet** (step {run.step_count}; the test set is scored every "
            f"{c.eval_every} steps). All the run has are the untrained models' test accuracies (chance "
            f"is {chance:.0%}), so there is no verdict yet:\n\n{rows}\n\nPress Step (×{c.eval_every} or more) or Train, then ask again.")
    ties = [NAMES[k] for k in KINDS if best[k].test_acc == best[right].test_acc]
    why = (f"In this run ({setting}, {run.step_count} steps), the best test accuracy so far, scored every "
           f"{c.eval_every} steps on {len(run.data.y_test)} test sequences:\n\n{rows}\n\n"
           f"Chance level is {chance:.0%} (a guess among {run.data.spec.n_classes} classes). ")
    if len(ties) > 1:
        why += f"{' and '.join(ties)} tie; the first listed counts as the answer. "
    if c.task == "long_range":
        if best["rnn"].test_acc < chance + 0.1:
            why += ("The plain RNN is still near chance: its gradient shrinks at each of the "
                    f"{c.length} steps back to the first letter, so it never learns what the letter was. ")
        why += ("The LSTM's cell path and the GRU's update path carry the memory (and the gradient) with a factor "
                "near 1 while their gates stay open.")
        if (c.task, c.length) != ("long_range", 40):
            why += f" This run uses length {c.length}, not 40: apply the preset for the question's setting."
    else:
        why += ("This run is on the digits task (8 steps), not the long-range task the question is about: apply "
                "'Vanishing gradient at length 40' and train again.")
    return NAMES[right], why
