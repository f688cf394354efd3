"""AppTest of the seq2seq page: both parts render, Step trains, bad input gets a message."""

import pytest

from tests.conftest import button, metric, open_page

PAGE = "app_pages/seq2seq.py"
PART2 = "Part 2 · encoder-decoder on word pairs"


def _headline(at) -> str:
    return next(m.value for m in at.markdown if "Predicted:" in m.value and m.value.startswith("###"))


def _open_part2():
    at = open_page(PAGE)
    at.session_state["s2s_part"] = PART2
    at.run()
    return at


def test_part1_renders_and_step_changes_prediction_and_loss():
    at = open_page(PAGE)
    assert not at.exception
    assert "`e`=0" in " ".join(m.value for m in at.markdown)
    assert metric(at, "Step") == "0" and "Epoch 0/15" in _headline(at)
    button(at, "seq2seq_hello__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "1" and metric(at, "Loss") != "–"
    assert "Predicted: ooool, Epoch 1/15, loss 6.1753" in _headline(at)  # sidebar seed 0 (weights 14), variant (a)
    at.selectbox(key="seq2seq_hello__step_size").set_value(10).run()
    button(at, "seq2seq_hello__btn_step").click().run()
    assert metric(at, "Step") == "11"
    assert "Epoch 11/15" in _headline(at)
    at.radio(key="s2s_focus").set_value("c").run()  # the details of (c): no reset
    assert metric(at, "Step") == "11" and "Predicted: ohlol, Epoch 11/15" in _headline(at)
    table = at.dataframe[0].value
    assert list(table["first right at epoch"]) == ["3", "3", "3"]  # the notes' demo works at the default seed


def test_part1_bad_pair_shows_message_and_keeps_the_run():
    at = open_page(PAGE)
    button(at, "seq2seq_hello__btn_step").click().run()
    at.text_input(key="s2s_target").set_value("ohlo").run()
    assert not at.exception
    assert any("same length" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "seq2seq_hello__btn_step"]
    at.text_input(key="s2s_target").set_value("ohlol").run()
    assert metric(at, "Step") == "1"  # the run survived the bad input
    at.text_input(key="s2s_source").set_value("").run()
    assert any("source string is empty" in e.value for e in at.error)


def test_part2_renders_steps_translates_and_compares_teacher_forcing():
    at = _open_part2()
    assert not at.exception
    assert metric(at, "Step") == "0"
    before = metric(at, "Greedy, feeding back each prediction")
    button(at, "seq2seq_encdec__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "10" and metric(at, "Loss") != "–"
    assert metric(at, "Greedy, feeding back each prediction") != before
    table = next(d.value for d in at.dataframe if "translation" in d.value.columns)
    assert list(table["source"]) == ["man", "black", "king", "girl", "up", "high"]
    # the translate box: a character outside the vocabulary gives a message, not a traceback
    at.text_input(key="s2s_word").set_value("King").run()
    assert not at.exception
    assert any("'K' is not in the vocabulary" in w.value for w in at.warning)
    # a new teacher forcing ratio restarts training and keeps the old curves
    at.slider(key="s2s_tf").set_value(0.5).run()
    assert not at.exception
    assert metric(at, "Step") == "0"
    assert any("training restarted" in i.value for i in at.info)
    assert list(at.session_state["s2s_kept"]) == ["teacher forcing 1, hidden 128, seed 0"]


@pytest.mark.parametrize("text, message", [("man-women\nking", "exactly two words"), ("Sun-moon", "reserved")])
def test_part2_bad_pairs_show_message(text, message):
    at = _open_part2()
    at.text_area(key="s2s_pairs").set_value(text).run()
    assert not at.exception
    assert any(message in e.value for e in at.error)


def test_epochs_out_of_range_get_a_message_and_keep_the_run():
    at = open_page(PAGE)
    button(at, "seq2seq_hello__btn_step").click().run()
    at.number_input(key="s2s_epochs").set_value(0).run()
    assert not at.exception
    assert any("Epochs" in e.value and "0 is outside" in e.value for e in at.error)
    at.number_input(key="s2s_epochs").set_value(15).run()
    assert metric(at, "Step") == "1"  # the run was kept
