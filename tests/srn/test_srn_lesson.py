"""SRN lesson tools (issue 12): presets set the page, predict-then-reveal answers from the page's own network,
and the lesson-link builder writes the page's setup with hide=."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from tests.conftest import button, open_page, reveal

PAGE = "app_pages/srn.py"


def _tab(at, name: str):
    """Open the tab ``name`` (the tabs are bound to the address, which a preset has already set)."""
    at.session_state["srn_tab"] = name
    at.query_params["srn_tab"] = name
    return at.run()


def test_no_activation_preset_sets_the_page_and_says_what_to_watch():
    at = open_page(PAGE)
    button(at, "srn__preset_1").click().run()
    assert not at.exception
    assert at.radio(key="srn_activation").value == "none"
    assert at.toggle(key="srn_logy").value is True
    assert any("No activation explodes" in c.value for c in at.caption)
    # it opens the tab with the chart to watch (lazy tabs: only the open one is drawn)
    assert at.session_state["srn_tab"] == "Hidden-state evolution"
    assert any("srn_evolution" in str(el.proto) for el in at.get("bidi_component")) or \
        any(h.value.startswith("Hidden-state evolution") for h in at.header)
    # the tables follow (first tab): NumPy without activation shows the notes' 2, 6, 16
    _tab(at, "Weights and numbers, step by step")
    assert not at.exception
    assert at.radio(key="srn_activation").value == "none"
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


def test_log_axis_survives_switching_tabs_and_stays_in_the_address():
    """Issue 12 (lazy tabs): the preset's log axis is kept while another tab is open, and the chart redraws."""
    at = open_page(PAGE)
    button(at, "srn__preset_1").click().run()
    assert at.query_params["srn_logy"] in ("true", ["true"])
    _tab(at, "Weights and numbers, step by step")
    assert not at.exception
    _tab(at, "Hidden-state evolution")
    assert not at.exception
    assert at.toggle(key="srn_logy").value is True
    assert at.radio(key="srn_activation").value == "none"
