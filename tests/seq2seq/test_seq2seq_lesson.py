"""Seq2seq lesson tools: presets open the right part and set it, predict-then-reveal answers "after how many
epochs is the target right?" by training a fresh copy of Part 1's run."""

from __future__ import annotations

from rnnviz.seq2seq.hello import HelloConfig, HelloRun, weights_seed
from rnnviz.seq2seq.lesson import epoch_options, option_for
from tests.conftest import button, open_page, reveal

PAGE = "app_pages/seq2seq.py"
PART1, PART2 = "Part 1 · hello → ohlol", "Part 2 · encoder-decoder on word pairs"


def _keys(at) -> list[str]:
    return [b.key for b in at.button]


def test_notes_setup_preset_opens_part1_with_the_notes_values():
    at = open_page(PAGE)
    at.session_state["s2s_part"] = PART2
    at.run()
    assert "seq2seq_hello__btn_step" not in _keys(at)
    button(at, "s2s__preset_0").click().run()
    assert not at.exception
    assert at.session_state["s2s_part"] == PART1 and "seq2seq_hello__btn_step" in _keys(at)
    assert (at.text_input(key="s2s_source").value, at.text_input(key="s2s_target").value) == ("hello", "ohlol")
    assert at.radio(key="s2s_cell").value == "RNN"
    assert at.number_input(key="s2s_epochs").value == 15
    assert at.select_slider(key="s2s_lr").value == 0.1


def test_teacher_forcing_presets_open_part2_and_set_the_ratio():
    at = open_page(PAGE)
    button(at, "s2s__preset_2").click().run()
    assert not at.exception
    assert at.session_state["s2s_part"] == PART2 and "seq2seq_encdec__btn_step" in _keys(at)
    assert at.slider(key="s2s_tf").value == 0.0
    button(at, "s2s__preset_1").click().run()
    assert not at.exception
    assert at.slider(key="s2s_tf").value == 1.0
    assert any("Teacher forcing 1.0" in c.value for c in at.caption)


def _independent_first_right(variant: str, seed: int = 0) -> int | None:
    """The epoch the seed's run first prints ohlol, from a plain 15-epoch HelloRun."""
    run = HelloRun(HelloConfig(), seed=weights_seed(seed))
    run.step(15)
    return next((e for e, r in enumerate(run.records, 1) if r[variant].predicted == "ohlol"), None)


def test_predict_epochs_reveals_the_runs_own_epoch():
    at = open_page(PAGE)
    guess = at.radio(key="s2s_predict_epochs__guess")
    assert guess.options == ["1-5", "6-10", "11-15", "never within 15"]
    assert button(at, "s2s_predict_epochs__reveal").disabled  # commit to a guess first
    epoch = _independent_first_right("a")
    right = option_for(epoch, 15)
    assert epoch == 3 and right == "1-5"
    guess.set_value("never within 15").run()
    button(at, "s2s_predict_epochs__reveal").click().run()
    assert not at.exception
    assert any(f"the answer is **{right}**" in e.value for e in at.error)
    assert any(f"epoch **{epoch}**" in m.value for m in at.markdown)
    reveal(at, "s2s_predict_epochs", right)
    assert any(f"Right: **{right}**" in s.value for s in at.success)


def test_predict_epochs_can_be_never_at_a_stuck_seed():
    at = open_page(PAGE)
    at.number_input(key="seed").set_value(1).run()
    assert _independent_first_right("a", seed=1) is None
    at.radio(key="s2s_predict_epochs__guess").set_value("1-5").run()
    button(at, "s2s_predict_epochs__reveal").click().run()
    assert not at.exception
    assert any("the answer is **never within 15**" in e.value for e in at.error)


def test_epoch_options_cut_the_budget_in_three():
    assert epoch_options(15) == ["1-5", "6-10", "11-15", "never within 15"]
    assert epoch_options(2) == ["1", "2", "never within 2"]
    assert [option_for(e, 100) for e in (1, 34, 35, 67, 68, 100, None)] == \
        ["1-34", "1-34", "35-67", "35-67", "68-100", "68-100", "never within 100"]
