"""The training control refuses to sit inside a fragment."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _control_in_a_fragment() -> None:
    import streamlit as st

    from rnnviz.ui.training_control import training_control

    @st.fragment
    def section() -> None:
        training_control("demo", build=lambda: None, settings={}, render=lambda run: None)

    section()


def _control_in_the_page_body() -> None:
    from rnnviz.srn.model import SEED_INPUT, SRNRun, SRNTrainConfig, SRNWeights
    from rnnviz.ui.training_control import training_control

    training_control("demo", build=lambda: SRNRun(SEED_INPUT, SEED_INPUT, SRNWeights(), "tanh", SRNTrainConfig()),
                     settings={}, render=lambda run: None)


def test_a_control_inside_a_fragment_says_where_it_belongs():
    at = AppTest.from_function(_control_in_a_fragment, default_timeout=60).run()
    assert at.exception, "a training control inside a fragment was accepted"
    assert "draw it in the page body" in at.exception[0].message


def test_a_control_in_the_page_body_draws_its_buttons():
    at = AppTest.from_function(_control_in_the_page_body, default_timeout=60).run()
    assert not at.exception
    assert {"demo__btn_train", "demo__btn_step"} <= {b.key for b in at.button}

