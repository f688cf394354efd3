"""Binary-addition lesson tools: presets set bits, hidden units, learning rate and the tab; predict-then-reveal
answers "does the network add 45 + 64 right now?" by running the live weights, checked against the notes."""

from __future__ import annotations

import numpy as np
import pytest

from tests.binary.notes_reference import notes_program
from tests.conftest import button, metric, open_page

PAGE = "app_pages/binary_addition.py"
NOTES = {"binary_bits": 8, "binary_hidden": 16, "binary_lr": 0.1}
PRESETS = [  # (button index, name, what it sets besides the notes' values, tab)
    (0, "The notes' setup", {}, "Train it"),
    (1, "Too few hidden units", {"binary_hidden": 2}, "Train it"),
    (2, "16-bit numbers", {"binary_bits": 16}, "Try it"),
    (3, "Where is the carry?", {}, "Where the carry lives"),
]


def _notes_answer(steps: int, a: int = 45, b: int = 64) -> str:
    """The notes' network after ``steps`` additions, run forward on a + b by hand: its bits, MSB first."""
    w = notes_program(steps=steps, seed=0)
    h = np.zeros(16)
    out = []
    for t in range(8):  # least significant bit first
        x = np.array([(a >> t) & 1, (b >> t) & 1], dtype=float)
        h = 1 / (1 + np.exp(-(x @ w["W_ih"] + h @ w["W_hh"])))
        out.append(int(np.round(1 / (1 + np.exp(-(h @ w["W_ho"][:, 0]))))))
    return "".join(map(str, reversed(out)))


@pytest.fixture(scope="module")
def at():
    return open_page(PAGE)


@pytest.mark.parametrize("index, name, changes, tab", PRESETS)
def test_each_preset_sets_the_page_and_opens_its_tab(at, index, name, changes, tab):
    button(at, f"binary__preset_{index}").click().run()
    assert not at.exception
    assert at.session_state["binary_tab"] == tab
    want = {**NOTES, **changes}
    assert {k: at.select_slider(key=k).value for k in want} == want
    assert any(name in c.value for c in at.caption)
    if name == "16-bit numbers":
        assert at.text_input(key="binary_try_a").value == "12345"
        assert any("12345 + 6789" in m.value for m in at.markdown)


def test_predict_45_plus_64_runs_the_live_network():
    at = open_page(PAGE)
    assert button(at, "binary_predict_sum__reveal").disabled  # commit to a guess first
    untrained = _notes_answer(0)
    right = "Yes" if untrained == "01101101" else "No"
    at.radio(key="binary_predict_sum__guess").set_value("Yes").run()
    button(at, "binary_predict_sum__reveal").click().run()
    assert not at.exception
    said = [m.value for m in at.markdown if "| network |" in m.value]
    assert said and f"`{untrained}`" in said[0] and "`01101101` | 109" in said[0] and "step 0" in said[0]
    assert any(f"**{right}**" in x.value for x in list(at.success) + list(at.error))
    # the answer follows the live run: train 1,000 additions and it is the notes' network after 1,000
    at.selectbox(key="binary__step_size").set_value(1000).run()
    button(at, "binary__btn_step").click().run()
    at.run()
    assert metric(at, "Step") == "1,000"
    said = [m.value for m in at.markdown if "| network |" in m.value]
    assert said and f"`{_notes_answer(1000)}`" in said[0] and "step 1,000" in said[0]
