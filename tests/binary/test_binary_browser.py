"""The binary-addition page in Chromium at a projector's 1366 x 768: one screen, live training, Try it, the stepper.

Uses the browser harness of tests/browser (a real `streamlit run`, Debian's Chromium); skipped when Chromium
or playwright is missing, like the other browser tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, PROJECTOR_VIEW, browser, server, shots  # noqa: F401 (fixtures)
from tests.browser.ui import by_key, click, exceptions, open_page, settle, step_count, wait_for_change

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed")

URL = "binary_addition"


def _inside_view(page, locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR_VIEW["height"] + 1


def _slider_value(page, key: str) -> str:
    handle = by_key(page, key).locator("input[type='range']").first
    return handle.get_attribute("aria-valuetext") or handle.get_attribute("aria-valuenow")


def _drawn_traces(page, key: str) -> int:
    return page.evaluate("""(key) => {
      const div = document.querySelector(`.st-key-${key} .rnnviz-live-chart, .st-key-${key} .js-plotly-plot`);
      if (!div) return 0;
      const paths = [...div.querySelectorAll('.scatterlayer .trace path')];
      return paths.filter(p => (p.getAttribute('d') || '').length > 10).length;
    }""", key)


def test_control_readout_and_main_chart_share_one_screen_and_training_runs(server, browser, shots):  # noqa: F811
    page = open_page(browser, f"{server.url}/{URL}", viewport=PROJECTOR_VIEW)
    assert exceptions(page) == 0
    for what in (by_key(page, "binary__btn_train"), page.get_by_text("Press Train", exact=False).first,
                 by_key(page, "binary_error")):
        assert _inside_view(page, what), f"{what} is not inside the 1366 x 768 screen"
    click(page, "binary__btn_train")
    for _ in range(60):  # up to 30 s on a busy machine
        if step_count(page) >= 300:
            break
        page.wait_for_timeout(500)
    assert step_count(page) >= 300, "training did not advance"
    page.wait_for_timeout(1500)  # the charts under the tabs redraw once a second
    assert _drawn_traces(page, "binary_error") >= 1
    assert page.get_by_text(re.compile(r"Error \d\.\d\d · Pred [01]{8} · True [01]{8} · \d+ \+ \d+ = \d+")).count()
    page.screenshot(path=str(shots / "binary-training.png"))
    click(page, "binary__btn_pause")
    settle(page)
    paused = step_count(page)
    page.wait_for_timeout(1000)
    assert step_count(page) == paused
    assert exceptions(page) == 0
    page.close()
    assert not server.tracebacks(), server.tracebacks()[0]


def test_try_it_names_the_problem_then_adds(server, browser, shots):  # noqa: F811
    page = open_page(browser, f"{server.url}/{URL}", viewport=PROJECTOR_VIEW)
    page.get_by_role("tab", name="Try it").click()
    settle(page)
    box = by_key(page, "binary_try_a").locator("input")
    for typed, message in (("abc", "is not a number"), ("-3", "is negative"), ("1.5", "is not a whole number"),
                           ("200", "needs 9 bits")):
        box.fill(typed)
        box.press("Enter")
        settle(page)
        assert page.get_by_text(message, exact=False).count(), f"no message for {typed!r}"
    box.fill("45")
    box.press("Enter")
    settle(page)
    assert page.get_by_text("45 + 64 → the network says", exact=False).count()
    page.screenshot(path=str(shots / "binary-try-it.png"))
    # the stepper walks left through the columns
    before = _slider_value(page, "binary_try_t")
    click(page, "binary_try_next")
    settle(page)
    assert (before, _slider_value(page, "binary_try_t")) == ("1", "2")
    assert page.get_by_text("reads bit 1 (worth 2)", exact=False).count()
    assert exceptions(page) == 0
    page.close()


def test_step_updates_the_bit_by_bit_view(server, browser, shots):  # noqa: F811
    page = open_page(browser, f"{server.url}/{URL}?binary_tab=Bit+by+bit", viewport={"width": 1366, "height": 1400})
    assert page.get_by_text("not trained yet", exact=False).count()
    before = step_count(page)
    click(page, "binary__btn_step")
    wait_for_change(page, step_count, before)
    page.wait_for_timeout(500)
    assert page.get_by_text("training addition 1,", exact=False).count()
    page.get_by_role("tab", name="Where the carry lives").click()
    settle(page)
    assert page.get_by_text("memory columns", exact=False).count()
    page.screenshot(path=str(shots / "binary-carry.png"))
    assert exceptions(page) == 0
    page.close()
