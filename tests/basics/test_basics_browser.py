"""The training-basics page in Chromium at 1366x768: the live tab fits one screen and trains; every tab opens.

Uses the browser harness of tests/browser (a real ``streamlit run`` on a free port, Debian's Chromium);
skipped, with the reason, when Chromium is not installed.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, browser, server, shots  # noqa: F401 (pytest fixtures)
from tests.browser.ui import by_key, click, exceptions, open_page, settle, step_count, wait_for_change

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")
SCREEN = {"width": 1366, "height": 768}
TABS = ("One step, opened up", "Loss functions", "Optimizers", "Learning rate")


def test_live_tab_shows_control_readout_and_chart_on_one_screen_and_trains(server, browser, shots):  # noqa: F811
    page = open_page(browser, f"{server.url}/training_basics", viewport=SCREEN)
    chart = by_key(page, "basics_live")
    chart.locator(".rnnviz-live-chart, .js-plotly-plot").first.wait_for(timeout=30_000)
    boxes = {name: loc.bounding_box() for name, loc in (
        ("Train", by_key(page, "basics__btn_train")),
        ("lr", by_key(page, "basics_lr")),
        ("Step", page.locator("[data-testid='stMetric']").first),
        ("chart", chart),
    )}
    assert all(b is not None for b in boxes.values()), boxes
    assert all(b["y"] >= 0 and b["y"] + b["height"] <= SCREEN["height"] + 2 for b in boxes.values()), boxes
    assert step_count(page) == 0
    click(page, "basics__btn_train")
    deadline = time.time() + 30
    while time.time() < deadline and step_count(page) < 100:
        page.wait_for_timeout(300)
    assert step_count(page) >= 100, "the three ways did not train"
    page.screenshot(path=str(shots / "training_basics-live.png"))
    click(page, "basics__btn_pause")
    settle(page)
    assert exceptions(page) == 0
    page.close()
    assert not server.tracebacks()


def test_every_tab_opens_and_the_race_steps(server, browser, shots):  # noqa: F811
    page = open_page(browser, f"{server.url}/training_basics", viewport=SCREEN)
    for name in TABS:
        page.get_by_role("tab", name=name).click()
        settle(page)
        page.wait_for_timeout(500)
        assert exceptions(page) == 0, name
        page.screenshot(path=str(shots / f"training_basics-{name.split(',')[0].replace(' ', '-').lower()}.png"))
        if name == "Optimizers":
            before = step_count(page)
            click(page, "basics_opt__btn_step")
            assert wait_for_change(page, step_count, before) == before + 1
    assert "basics_tab=Learning+rate" in page.url  # the open tab travels in the link
    page.close()
    assert not server.tracebacks()
