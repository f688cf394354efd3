"""A setting drawn in one run and not in the next (a closed tab) stays in the page address.

``rnnviz.ui.link_memory`` works on Streamlit's query-parameter registry; if an upgrade changes it, these
tests fail rather than the links silently losing their closed tabs' settings.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _two_tabs() -> None:
    import streamlit as st

    from rnnviz.ui.link_memory import keep_closed_settings

    tab = st.radio("Tab", ["one", "two"], key="demo_tab", bind="query-params")
    if tab == "one":
        st.slider("Hidden size", 1, 64, 8, key="demo_hidden", bind="query-params")
    else:
        st.selectbox("Cell", ["RNN", "GRU"], key="demo_cell", bind="query-params")
    if st.button("Preset", key="demo_preset"):  # a page changing the closed tab's setting
        st.session_state["demo_hidden"] = 12
    keep_closed_settings()


def _open(tab: str, at: AppTest) -> AppTest:
    at.radio(key="demo_tab").set_value(tab)
    return at.run()


def test_the_registry_this_module_relies_on_is_there():
    at = AppTest.from_function(_two_tabs, default_timeout=30).run()
    assert not at.exception
    assert "_link_memory" in at.session_state, "keep_closed_settings found no query-parameter registry"


def _from_link(**params: str) -> AppTest:
    """The app opened from a link (in a browser, a changed widget writes the address itself; AppTest has none)."""
    at = AppTest.from_function(_two_tabs, default_timeout=30)
    at.query_params.update(params)
    return at.run()


def test_a_closed_tabs_setting_stays_in_the_address_with_its_value():
    at = _from_link(demo_hidden="32")
    assert at.slider(key="demo_hidden").value == 32
    _open("two", at)
    assert not at.slider, "the test needs the slider undrawn"
    assert at.query_params.get("demo_hidden") == "32", "the closed tab's setting left the address"
    at.run()  # and in the runs after that
    assert at.query_params.get("demo_hidden") == "32"
    _open("one", at)
    assert at.slider(key="demo_hidden").value == 32


def test_defaults_stay_out():
    at = AppTest.from_function(_two_tabs, default_timeout=30).run()
    _open("two", at)
    assert "demo_hidden" not in at.query_params, "a default value was put in the address"


def test_a_value_the_page_replaced_while_undrawn_is_not_carried_stale():
    at = _from_link(demo_hidden="32")
    _open("two", at)
    at.button(key="demo_preset").click().run()
    at.run()
    assert at.query_params.get("demo_hidden") != "32", "the address kept a value the page had replaced"
    _open("one", at)
    assert at.slider(key="demo_hidden").value == 12
