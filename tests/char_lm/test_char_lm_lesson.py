"""Char-LM lesson tools: presets set the explosion demo and the temperature, predict-then-reveal asks the live
model for the next character."""

from __future__ import annotations

import numpy as np

from rnnviz.char_lm.figures import char_label
from tests.conftest import button, open_page

PAGE = "app_pages/char_lm.py"


def test_presets_set_the_explosion_demo_and_the_temperature():
    at = open_page(PAGE)
    at.radio(key="char_lm_engine").set_value("PyTorch").run()
    button(at, "char_lm__preset_0").click().run()
    assert not at.exception
    assert at.radio(key="char_lm_engine").value == "From scratch (NumPy)"
    assert at.select_slider(key="char_lm_np_lr").value == 0.05
    assert at.toggle(key="char_lm_np_clip_on").value is False
    assert any("Explode without clipping" in c.value for c in at.caption)
    button(at, "char_lm__preset_1").click().run()
    assert not at.exception
    assert at.slider(key="char_lm_temp").value == 0.2
    assert at.session_state["char_lm_tab"] == "Samples & hidden units"  # the preset opens the temperature's tab
    assert at.toggle(key="char_lm_greedy").value is False
    assert any("Temperature 0.2 vs 1.5" in c.value for c in at.caption)


def test_predict_next_character_comes_from_the_live_model():
    at = open_page(PAGE)
    guess = at.radio(key="char_lm_predict_next__guess")
    assert "tyranno" in guess.label and len(guess.options) == 4
    assert button(at, "char_lm_predict_next__reveal").disabled  # commit to a guess first
    at.selectbox(key="char_lm__step_size").set_value(100).run()
    for _ in range(3):
        button(at, "char_lm__btn_step").click().run()
    assert not at.exception
    run = at.session_state["char_lm__run"]
    assert run.step_count == 300
    probs = run.next_char_probs("tyranno")
    expected = char_label(run.corpus.chars[int(np.argmax(probs))])
    guess = at.radio(key="char_lm_predict_next__guess")
    assert expected in guess.options
    guess.set_value(guess.options[0]).run()
    button(at, "char_lm_predict_next__reveal").click().run()
    assert not at.exception
    shown = [s.value for s in at.success] + [e.value for e in at.error]
    assert any(f"**{expected}**" in v for v in shown), shown
    why = next(m.value for m in at.markdown if "the model at step 300" in m.value)
    assert f"**{expected}** {probs.max():.1%}" in why
