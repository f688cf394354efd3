"""Browser tests: the real app under `streamlit run`, driven by Playwright in Debian's Chromium.

Skipped (with the reason) only when /usr/bin/chromium or playwright is absent; .ci/run installs both.
Screenshots go to the pytest tmp dir (printed with -s) and, if RNNVIZ_SCREENSHOTS is set, there.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rnnviz.catalog import existing_pages

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(root):
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1"],
        cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        pytest.fail("streamlit did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(15)


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed (pip install -r requirements-dev.txt)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path_factory) -> Path:
    where = os.environ.get("RNNVIZ_SCREENSHOTS")
    path = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=60_000)
    page.wait_for_selector("h1", timeout=90_000)  # every page starts with a title
    page.wait_for_timeout(1500)
    return page


def _step_value(page) -> int:
    text = page.locator("[data-testid='stMetric']").filter(has_text="Step").first.inner_text()
    return int(re.sub(r"[^0-9]", "", text.split("\n")[-1]) or 0)


@pytest.mark.parametrize("url_path", [""] + [Path(p.file).stem for p in existing_pages()])
def test_every_page_opens_without_exception(server, browser, shots, url_path):
    page = _open(browser, f"{server}/{url_path}")
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=str(shots / f"{url_path or 'home'}.png"))
    page.close()


def test_srn_train_grows_the_loss_curve(server, browser, shots):
    page = _open(browser, f"{server}/srn")
    assert _step_value(page) == 0
    page.get_by_role("button", name="Train").first.click()
    deadline = time.time() + 20
    while time.time() < deadline and _step_value(page) < 20:
        page.wait_for_timeout(500)
    first = _step_value(page)
    assert first >= 20, "training did not advance within 20 s"
    page.wait_for_timeout(1500)
    assert _step_value(page) > first  # still growing: the fragment keeps ticking
    page.screenshot(path=str(shots / "srn-training.png"))
    # moving a slider while training neither resets nor stops the run
    slider = page.get_by_role("slider", name="Time step t")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(2000)
    moved = _step_value(page)
    assert moved > first, "a slider move reset or stopped training"
    page.get_by_role("button", name="Pause").first.click()
    page.wait_for_timeout(1200)
    paused = _step_value(page)
    page.wait_for_timeout(1200)
    assert _step_value(page) == paused
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


def test_projector_mode_from_url(server, browser, shots):
    page = _open(browser, f"{server}/srn?projector=true&seed=3")
    assert page.get_by_role("switch", name="Projector mode").is_checked() or \
        page.locator("[data-testid='stSidebar'] input[type='checkbox']").first.is_checked()
    page.screenshot(path=str(shots / "srn-projector.png"))
    page.close()
