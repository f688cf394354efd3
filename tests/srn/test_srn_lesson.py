"""SRN lesson tools (issue 12): presets set the page, predict-then-reveal answers from the page's own network,
and the lesson-link builder writes the page's setup with hide=."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.conftest import button, open_page, reveal

PAGE = "app_pages/srn.py"


def test_no_activation_preset_sets_the_page_and_says_what_to_watch():
    at = open_page(PAGE)
    button(at, "srn__preset_1").click().run()
    assert not at.exception
    assert at.radio(key="srn_activation").value == "none"
    assert at.toggle(key="srn_logy").value is True
    assert any("No activation explodes" in c.value for c in at.caption)
    # the tables follow: NumPy without activation shows the notes' 2, 6, 16
    tables = " ".join(df.value.to_string() for df in at.dataframe)
    assert "16" in tables and "32" in tables


def test_predict_h2_reveals_the_networks_own_number():
    at = open_page(PAGE)
    guess = at.radio(key="srn_predict_h2__guess")
    assert "6" in guess.options and len(guess.options) >= 4
    assert button(at, "srn_predict_h2__reveal").disabled  # commit to a guess first
    guess.set_value("2").run()
    button(at, "srn_predict_h2__reveal").click().run()
    assert any("the answer is **6**" in e.value for e in at.error)
    reveal(at, "srn_predict_h2", "6")
    assert any("Right: **6**" in s.value for s in at.success)


def test_lesson_link_builder_writes_settings_and_hide():
    at = open_page(PAGE)
    button(at, "srn__preset_1").click().run()
    at.multiselect(key="srn__hide_pick").set_value(["srn_opt", "srn_lr"]).run()
    link = next(c.value for c in at.code if "hide=" in c.value)
    query = {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}
    assert query["hide"] == "srn_opt,srn_lr"
    assert query["srn_activation"] == "none"
