"""Training-basics lesson tools: presets set the live fit's widgets and open their tab; predict-then-reveal
answers "what does d converge to?" from the page's own run (its least-squares target)."""

from __future__ import annotations

import numpy as np
import pytest

from tests.conftest import button, metric, open_page, reveal

PAGE = "app_pages/training_basics.py"
NOTES = {"basics_lr": 1e-6, "basics_reduction": "sum", "basics_opt3": "RMSprop", "basics_lr3": 1e-4,
         "basics_forget": False}
PRESETS = [  # (button index, name, what it sets besides the notes' values, tab)
    (0, "The notes' setup", {}, "Three ways, live"),
    (1, "Sum vs mean", {"basics_lr": 2e-3, "basics_reduction": "mean"}, "Loss functions"),
    (2, "Too large a learning rate", {"basics_lr": 4e-6}, "Learning rate"),
    (3, "Forget zero_grad", {"basics_forget": True}, "One step, opened up"),
]


def _widgets(at) -> dict:
    return {"basics_lr": at.select_slider(key="basics_lr").value,
            "basics_reduction": at.segmented_control(key="basics_reduction").value,
            "basics_opt3": at.selectbox(key="basics_opt3").value,
            "basics_lr3": at.select_slider(key="basics_lr3").value,
            "basics_forget": at.toggle(key="basics_forget").value}


def _exact_d() -> float:
    """d of the best cubic, computed here from scratch: least squares on the seed's 2,000 points."""
    x = np.linspace(-np.pi, np.pi, 2000)
    X = np.stack([np.ones_like(x), x, x**2, x**3], axis=1)
    return float(np.linalg.lstsq(X, np.sin(x), rcond=None)[0][3])


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


@pytest.mark.parametrize("index, name, changes, tab", PRESETS)
def test_each_preset_sets_the_fit_and_opens_its_tab(at, index, name, changes, tab):
    button(at, f"basics__preset_{index}").click().run()
    assert not at.exception
    assert at.session_state["basics_tab"] == tab
    assert _widgets(at) == {**NOTES, **changes}
    assert any(name in c.value for c in at.caption)


def test_too_large_a_learning_rate_diverges_and_the_guard_pauses():
    at = open_page(PAGE)
    button(at, "basics__preset_2").click().run()
    at.selectbox(key="basics__step_size").set_value(100).run()
    button(at, "basics__btn_step").click().run()
    at.run()
    assert not at.exception
    assert any("Training paused" in e.value for e in at.error)
    assert metric(at, "State") == "diverged"


def test_predict_d_reveals_the_least_squares_answer():
    at = open_page(PAGE)
    d = f"{_exact_d():+.4f}"
    assert d == "-0.0933"
    guess = at.radio(key="basics_predict_d__guess")
    assert d in guess.options and "-0.1667" in guess.options and len(guess.options) == 4
    assert button(at, "basics_predict_d__reveal").disabled  # commit to a guess first
    guess.set_value("-0.1667").run()
    button(at, "basics_predict_d__reveal").click().run()
    assert not at.exception
    assert any(f"the answer is **{d}**" in e.value for e in at.error)
    assert any(f"**d = {d}**" in m.value and "step 0" in m.value for m in at.markdown)
    reveal(at, "basics_predict_d", d)
    assert any(f"Right: **{d}**" in s.value for s in at.success)


def test_lesson_link_hides_the_chosen_controls():
    at = open_page(PAGE)
    at.multiselect(key="basics__hide_pick").set_value(["basics_opt3", "basics_forget"]).run()
    assert any("hide=basics_opt3,basics_forget" in c.value for c in at.code)
