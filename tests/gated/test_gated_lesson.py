"""Gated-page lesson tools: presets set the long-range task, predict-then-reveal names the live run's winner."""

from __future__ import annotations

from rnnviz.gated.cells import KINDS
from rnnviz.gated.model import NAMES
from tests.conftest import button, open_page

PAGE = "app_pages/gated.py"


def test_presets_set_the_long_range_task_with_and_without_gate_biases():
    at = open_page(PAGE)
    button(at, "gated__preset_0").click().run()
    assert not at.exception
    assert at.radio(key="gated_task").value == "long_range"
    assert at.slider(key="gated_length").value == 40
    assert at.toggle(key="gated_fb_on").value is True and at.toggle(key="gated_zb_on").value is True
    assert at.select_slider(key="gated_fb").value == 3.0 and at.selectbox(key="gated_opt").value == "Adam"
    assert any("Vanishing gradient at length 40" in c.value for c in at.caption)
    button(at, "gated__preset_1").click().run()
    assert not at.exception
    assert at.radio(key="gated_task").value == "long_range" and at.slider(key="gated_length").value == 40
    assert at.toggle(key="gated_fb_on").value is False and at.toggle(key="gated_zb_on").value is False
    assert any("Forget-gate bias off" in c.value for c in at.caption)


def test_predict_winner_comes_from_the_live_run():
    at = open_page(PAGE)
    button(at, "gated__preset_0").click().run()
    guess = at.radio(key="gated_predict_winner__guess")
    assert list(guess.options) == ["RNN", "LSTM", "GRU"]
    assert button(at, "gated_predict_winner__reveal").disabled  # commit to a guess first
    guess.set_value("RNN").run()
    button(at, "gated_predict_winner__reveal").click().run()
    assert not at.exception
    assert any("has not trained yet" in i.value for i in at.info)  # no made-up winner before training
    assert not any("the answer is" in e.value for e in at.error) and not at.success  # and no verdict
    button(at, "gated_predict_winner__again").click().run()

    at.selectbox(key="gated__step_size").set_value(10).run()
    for _ in range(3):
        button(at, "gated__btn_step").click().run()
    assert not at.exception
    run = at.session_state["gated__run"]
    assert run.step_count == 30 and run.config.task == "long_range" and run.config.length == 40
    best = {k: max(e.test_acc for e in run.evals[k]) for k in KINDS}
    expected = NAMES[max(KINDS, key=best.get)]
    at.radio(key="gated_predict_winner__guess").set_value("RNN").run()
    button(at, "gated_predict_winner__reveal").click().run()
    assert not at.exception
    shown = [s.value for s in at.success] + [e.value for e in at.error]
    assert any(f"**{expected}**" in v for v in shown), shown
    why = next(m.value for m in at.markdown if "best test accuracy so far" in m.value)
    assert all(f"{best[k]:.1%}" in why for k in KINDS) and "25%" in why
