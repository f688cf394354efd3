"""Shapes lesson tools: presets set the page, predict-then-reveal answers h_n's shape from the real module,
and the lesson-link builder writes the page's setup with hide=."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import torch
from torch import nn

from rnnviz.shapes.lesson import h_n_question
from rnnviz.shapes.model import ShapeConfig
from tests.conftest import button, metric, open_page, reveal

PAGE = "app_pages/shapes.py"
LIVE, REAL = "The silent swap, live", "The real shapes"


def _tab(at, name: str):
    """Open the page's tab ``name`` (the tabs are lazy: only the open one runs)."""
    at.session_state["shapes_tab"] = name
    at.query_params["shapes_tab"] = name  # a preset may have put another tab in the address, which would win
    return at.run()


def test_batch_first_preset_swaps_input_and_output_not_h_n():
    at = _tab(open_page(PAGE), REAL)
    at.number_input(key="shapes_hidden").set_value(3).run()  # the preset puts the notes' sizes back
    _tab(at, LIVE)
    button(at, "shapes__preset_0").click().run()
    assert not at.exception
    assert at.session_state["shapes_tab"] == REAL  # the preset opens the tab that shows it
    assert at.toggle(key="shapes_batch_first").value is True
    assert at.selectbox(key="shapes_module").value == "RNN"
    assert at.number_input(key="shapes_hidden").value == 2
    assert (metric(at, "input"), metric(at, "output")) == ("(5, 3, 4)", "(5, 3, 2)")
    assert (metric(at, "h_0"), metric(at, "h_n")) == ("(1, 5, 2)", "(1, 5, 2)")
    assert any("**batch_first**" in c.value for c in at.caption)


def test_silent_swap_preset_sets_equal_sizes_and_the_swap_sections():
    at = open_page(PAGE)
    _tab(at, REAL)
    button(at, "shapes__preset_1").click().run()
    assert not at.exception
    assert at.session_state["shapes_tab"] == LIVE  # the preset opens the live training
    assert at.select_slider(key="shapes_lr").value == 0.01
    assert [b for b in at.button if b.key == "shapes__btn_train"]
    _tab(at, REAL)
    assert (at.number_input(key="shapes_batch").value, at.number_input(key="shapes_seq").value) == (3, 3)
    assert at.toggle(key="shapes_batch_first").value is False
    assert at.session_state["shapes_pick_mode"] == "sentence"
    assert metric(at, "input") == "(3, 3, 4)"
    assert any("The silent swap" in c.value for c in at.caption)


def _torch_h_n(module: str, layers: int, bidirectional: bool) -> str:
    """h_n's shape, measured here in plain torch on the page's default sizes (batch 5, seq 3, input 4, hidden 2)."""
    net = getattr(nn, module)(4, 2, num_layers=layers, bidirectional=bidirectional, batch_first=True)
    out = net(torch.zeros(5, 3, 4))
    h_n = out[1][0] if module == "LSTM" else out[1]
    return str(tuple(h_n.shape))


def test_predict_h_n_shape_reveals_the_modules_own_shape():
    at = _tab(open_page(PAGE), REAL)
    at.selectbox(key="shapes_module").set_value("GRU").run()
    at.number_input(key="shapes_layers").set_value(2).run()
    at.toggle(key="shapes_bidir").set_value(True).run()
    right = _torch_h_n("GRU", 2, True)
    assert right == "(4, 5, 2)"
    guess = at.radio(key="shapes_predict_hn__guess")
    assert right in guess.options and len(guess.options) >= 3
    assert button(at, "shapes_predict_hn__reveal").disabled  # commit to a guess first
    wrong = next(o for o in guess.options if o != right)
    guess.set_value(wrong).run()
    button(at, "shapes_predict_hn__reveal").click().run()
    assert not at.exception
    assert any(f"the answer is **{right}**" in e.value for e in at.error)
    assert any("batch_first=True" in m.value and right in m.value for m in at.markdown)
    reveal(at, "shapes_predict_hn", right)
    assert any(f"Right: **{right}**" in s.value for s in at.success)


def test_h_n_question_matches_torch_for_lstm_with_projection():
    cfg = ShapeConfig("LSTM", hidden_size=3, num_layers=3, proj_size=1)
    options, right, why = h_n_question(cfg)
    net = nn.LSTM(4, 3, num_layers=3, proj_size=1, batch_first=True)
    _out, (h_n, c_n) = net(torch.zeros(5, 3, 4))
    assert right == str(tuple(h_n.shape)) == "(3, 5, 1)" and right in options
    assert str(tuple(c_n.shape)) in why


def test_lesson_link_builder_writes_settings_and_hide():
    at = _tab(open_page(PAGE), REAL)  # the settings' widgets exist (their tab is open) when the preset sets them
    button(at, "shapes__preset_0").click().run()
    at.multiselect(key="shapes__hide_pick").set_value(["shapes_module", "shapes_lr"]).run()
    link = next(c.value for c in at.code if "hide=" in c.value)
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert query["hide"] == "shapes_module,shapes_lr"
    assert query["shapes_batch_first"] == "true"
