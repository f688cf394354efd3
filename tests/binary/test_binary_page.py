"""AppTest of the binary-addition page: renders, Step advances, every tab draws, "Try it" checks what is typed."""

import json

import pytest

from rnnviz.binary.model import add
from tests.conftest import button, figures, metric, open_page

PAGE = "app_pages/binary_addition.py"


def _titles(at) -> list[str]:
    return [f["layout"].get("title", {}).get("text", "") for f in figures(at)]


def _tab(at, name: str):
    at.session_state["binary_tab"] = name
    return at.run()


def _text(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def test_renders_untrained_with_the_notes_settings(at):
    assert not at.exception
    assert metric(at, "Step") == "0"
    assert at.select_slider(key="binary_bits").value == 8
    assert at.select_slider(key="binary_hidden").value == 16
    assert at.select_slider(key="binary_lr").value == 0.1
    assert "Press **Train**" in _text(at)
    titles = _titles(at)
    assert any(t.startswith("Error per addition") for t in titles)
    assert any(t.startswith("Additions exactly right") for t in titles)
    assert any("class SigmoidRNN" in c.value for c in at.code) and any("rng.randint" in c.value for c in at.code)


def test_step_advances_and_shows_the_notes_printout(at):
    button(at, "binary__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "1"
    run = at.session_state["binary__run"]
    line = run.printout()
    assert line == "Error 3.46 · Pred 00000001 · True 01000101 · 9 + 60 = 1"  # the notes' first printout (seed 0)
    assert line in _text(at)
    at.run()  # Step reran only the live parts; a full run brings back the rest of the page
    at.selectbox(key="binary__step_size").set_value(1000).run()
    button(at, "binary__btn_step").click().run()
    assert metric(at, "Step") == "1,001"
    assert run.printout(1001) == "Error 3.63 · Pred 11111111 · True 00111111 · 28 + 35 = 255"  # the notes' second
    assert "all 16,384 pairs below 128" in _text(at)
    rows = at.dataframe[0].value  # the printout table follows the run
    assert list(rows["addition"]) == [1, 1001]


def test_every_tab_draws_after_training(at):
    for name, expect in [("Bit by bit", "Hidden state h_t: 16 units × 8 steps"),
                         ("Where the carry lives", "The network inventing a carry"),
                         ("Try it", "45 + 64 → "),
                         ("PyTorch twin", None),
                         ("Train it", "Error per addition")]:
        _tab(at, name)
        assert not at.exception, name
        if expect:
            assert any(t.startswith(expect) for t in _titles(at)), (name, _titles(at))
    _tab(at, "PyTorch twin")
    assert any("Hand-written BPTT = autograd" in s.value for s in at.success)


def test_bit_by_bit_stepper_moves_through_the_steps(at):
    _tab(at, "Bit by bit")
    assert at.select_slider(key="binary_bit_t").value == 1
    assert any("reads bit 0 (worth 1)" in m.value for m in at.markdown)
    button(at, "binary_bit_next").click().run()
    button(at, "binary_bit_next").click().run()
    assert at.select_slider(key="binary_bit_t").value == 3
    assert any("reads bit 2 (worth 4)" in m.value for m in at.markdown)
    assert any(r"\sigma" in l.value and "z_{3}" in l.value for l in at.latex)
    button(at, "binary_bit_prev").click().run()
    assert at.select_slider(key="binary_bit_t").value == 2
    for _ in range(10):  # never beyond the last bit
        button(at, "binary_bit_next").click().run()
    assert at.select_slider(key="binary_bit_t").value == 8 and not at.exception
    run = at.session_state["binary__run"]
    assert any(f"training addition {run.step_count:,}" in c.value for c in at.caption)


@pytest.mark.parametrize("a, b, message", [
    ("abc", "64", "a = “abc” is not a number"),
    ("-3", "64", "a = -3 is negative"),
    ("45", "200", "b = 200 is above 127"),
    ("1.5", "64", "a = 1.5 is not a whole number"),
    ("", "64", "Type a whole number from 0 to 127 for a"),
    ("200", "100", "200 + 100 = 300 needs 9 bits"),
])
def test_try_it_rejects_bad_input_with_a_message(a, b, message):
    at = open_page(PAGE)
    _tab(at, "Try it")
    at.text_input(key="binary_try_a").input(a)
    at.text_input(key="binary_try_b").input(b).run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert any(message in e for e in errors), errors
    assert not [t for t in _titles(at) if "→" in t]  # no addition drawn for bad input


def test_try_it_adds_what_you_type_with_the_current_weights():
    at = open_page(PAGE)
    _tab(at, "Try it")
    at.selectbox(key="binary__step_size").set_value(1000).run()
    button(at, "binary__btn_step").click().run()
    at.run()
    at.text_input(key="binary_try_a").input("3")
    at.text_input(key="binary_try_b").input("125").run()
    assert not at.exception and not at.error
    run = at.session_state["binary__run"]
    answer = add(run.weights, 3, 125, 8)
    assert any(f"3 + 125 → the network says **{answer}**" in m.value for m in at.markdown)
    assert any(t.startswith(f"3 + 125 → {answer}") for t in _titles(at))


def test_bits_change_restarts_with_a_notice_and_lr_is_live():
    at = open_page(PAGE)
    button(at, "binary__btn_step").click().run()
    at.run()
    at.select_slider(key="binary_lr").set_value(0.3).run()
    assert metric(at, "Step") == "1" and at.session_state["binary__run"].lr == 0.3
    at.select_slider(key="binary_bits").set_value(6).run()
    assert not at.exception
    assert metric(at, "Step") == "0"
    assert any("training restarted from step 0" in i.value and "bits" in i.value for i in at.info)
    assert "operands 0-31" in _text(at)
    _tab(at, "Bit by bit")
    button(at, "binary__btn_step").click().run()
    assert any(t.startswith("Hidden state h_t: 16 units × 6 steps") for t in _titles(at))
    assert any("training addition 1," in c.value or "training addition 1 " in c.value for c in at.caption)


def test_the_race_trains_three_learners():
    at = open_page(PAGE)
    _tab(at, "PyTorch twin")
    at.select_slider(key="binary_race_steps").set_value(1000).run()
    assert any("Press **Run the race**" in i.value for i in at.info)
    button(at, "binary_race_go").click().run()
    assert not at.exception
    spec = next(f for f in figures(at) if "Error, mean of 100 additions" in json.dumps(f["layout"]))
    assert {d["name"] for d in spec["data"]} >= {"NumPy, hand-written BPTT", "PyTorch twin (sigmoid, autograd)"}
    assert any("differ by at most" in c.value for c in at.caption)
