"""Which script runs a click starts, read off the websocket (issue 10).

Speed is measured in bench/ui_latency.py; these tests check the behaviour behind it. Every script run
begins with a ``new_session`` message whose ``metadata.run.fragment_ids`` name the fragments it reruns
(empty: the whole page). So a test can tell a partial rerun from a full one without timing anything:

* a click on the training control is one script run, of the page or of the section that holds the
  control (never a request for the ticking fragment itself, which Streamlit merges with the tick's own),
  which advances the run once and redraws what shows the run (the character model's sections 4 and 5)
  at the new step, with nothing left missing;
* a section's own widget reruns only that section;
* after Pause no timer keeps rerunning anything (a stray one ends itself with one page run).
"""

from __future__ import annotations

import re

import pytest

from tests.browser.ui import by_key, click, settle, step_count, wait_for_change


class Runs:
    """The script runs a page's server starts, as tuples of the fragment ids they rerun (``()``: the page)."""

    def __init__(self, page) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self._parse = ForwardMsg.FromString
        self.started: list[tuple[str, ...]] = []
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload) -> None:
        if isinstance(payload, str):
            return
        msg = self._parse(payload)
        if msg.WhichOneof("type") == "new_session":
            self.started.append(tuple(msg.metadata.run.fragment_ids))

    def clear(self) -> None:
        self.started.clear()

    def full_runs(self) -> int:
        return sum(1 for ids in self.started if not ids)


@pytest.fixture
def srn(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    runs = Runs(page)  # listening before the page connects
    _goto(page, f"{server.url}/srn")
    yield page, runs
    page.close()


def _goto(page, url: str):
    """Open ``url`` in ``page`` (whose websocket is already watched) and wait for the first run to settle."""
    page.goto(url)
    page.wait_for_selector("h1", timeout=90_000)
    page.wait_for_selector(".st-key-srn__btn_step button, .st-key-char_lm__btn_step button", timeout=90_000)
    settle(page)
    return page


def _tables(page) -> int:
    return page.locator("[data-testid='stDataFrame']").count()


def test_step_is_one_run_and_leaves_the_page_whole(srn):
    page, runs = srn
    tables = _tables(page)
    runs.clear()
    before = step_count(page)
    assert click(page, "srn__btn_step")
    assert wait_for_change(page, step_count, before) == before + 1
    # one run of the whole page; never a second request for the ticking fragment, which Streamlit merges
    # with the tick's (and lost the click)
    assert runs.started == [()], f"Step should be exactly one page run: runs {runs.started}"
    assert page.get_by_text("Four implementations, side by side").is_visible()
    assert _tables(page) == tables, "elements outside the live part disappeared"


def _nudge(page, runs, slider_key: str, key: str) -> None:
    """Clear the run log, move a slider one notch, wait for the page to settle."""
    runs.clear()
    handle = by_key(page, slider_key).locator("input[type='range']").first
    handle.focus()
    page.keyboard.press(key)
    page.wait_for_timeout(300)
    settle(page)


def test_a_section_widget_reruns_only_its_section(srn):
    page, runs = srn
    _nudge(page, runs, "srn_t", "ArrowRight")
    assert runs.started, "moving the slider started no script run"
    assert runs.full_runs() == 0, f"the time-step slider reran the whole page: runs {runs.started}"
    assert len(set(runs.started)) == 1, "more than one section reran"
    # the live learning rate sits beside the training control, in the page body (a control never sits in a
    # fragment: nested fragments left stale copies of the control behind): it reruns the page, keeping the run
    assert click(page, "srn__btn_step")
    settle(page)
    before = step_count(page)
    _nudge(page, runs, "srn_lr", "ArrowLeft")
    assert runs.full_runs() == 1, f"the learning rate should be one page run: runs {runs.started}"
    assert step_count(page) == before > 0, "a live setting restarted the run"


def test_pause_stops_every_timer(srn):
    page, runs = srn
    assert click(page, "srn__btn_train")
    page.wait_for_timeout(1500)
    assert step_count(page) > 0
    runs.clear()
    assert click(page, "srn__btn_pause")
    page.wait_for_timeout(500)
    settle(page)
    assert runs.started, "Pause started no script run"
    stopped_at = step_count(page)
    runs.clear()
    page.wait_for_timeout(1500)  # five ticks' worth
    assert runs.started == [], f"script runs went on after Pause: {runs.started}"
    assert step_count(page) == stopped_at


def test_step_refreshes_the_sections_that_follow_the_run(server, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    runs = Runs(page)
    try:
        _goto(page, f"{server.url}/char_lm")
        shown = re.compile(r"at the last page refresh \(step (\d[\d,]*)\)")

        def follower_step(p) -> int:
            m = shown.search(p.get_by_text(shown).first.inner_text())
            return int(m.group(1).replace(",", "")) if m else -1

        before = follower_step(page)
        runs.clear()
        assert click(page, "char_lm__btn_step")
        wait_for_change(page, follower_step, before)
        assert follower_step(page) == step_count(page) == before + 1
        assert runs.full_runs() == 1, f"Step should be one full-page run: runs {runs.started}"
    finally:
        page.close()
