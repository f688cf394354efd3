"""Every page opens in Chromium; SRN training grows its curve; projector mode comes from the URL."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rnnviz.catalog import existing_pages
from tests.browser.ui import exceptions, open_page, step_count


@pytest.mark.parametrize("url_path", [""] + [Path(p.file).stem for p in existing_pages()])
def test_every_page_opens_without_exception(server, browser, shots, url_path):
    page = open_page(browser, f"{server.url}/{url_path}")
    assert exceptions(page) == 0
    page.screenshot(path=str(shots / f"{url_path or 'home'}.png"))
    page.close()
    assert not server.tracebacks()


def test_srn_train_grows_the_loss_curve(server, browser, shots):
    page = open_page(browser, f"{server.url}/srn")
    assert step_count(page) == 0
    page.get_by_role("button", name="Train").first.click()
    deadline = time.time() + 20
    while time.time() < deadline and step_count(page) < 20:
        page.wait_for_timeout(500)
    first = step_count(page)
    assert first >= 20, "training did not advance within 20 s"
    page.wait_for_timeout(1500)
    assert step_count(page) > first  # still growing: the fragment keeps ticking
    page.screenshot(path=str(shots / "srn-training.png"))
    # moving a slider while training neither resets nor stops the run
    slider = page.get_by_role("slider", name="Time step t")
    slider.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(2000)
    moved = step_count(page)
    assert moved > first, "a slider move reset or stopped training"
    page.get_by_role("button", name="Pause").first.click()
    page.wait_for_timeout(1200)
    paused = step_count(page)
    page.wait_for_timeout(1200)
    assert step_count(page) == paused
    assert exceptions(page) == 0
    page.close()


def test_projector_mode_from_url(server, browser, shots):
    page = open_page(browser, f"{server.url}/srn?projector=true&seed=3")
    assert page.get_by_role("switch", name="Projector mode").is_checked() or \
        page.locator("[data-testid='stSidebar'] input[type='checkbox']").first.is_checked()
    page.screenshot(path=str(shots / "srn-projector.png"))
    page.close()


def test_copy_link_button_copies_the_address_with_its_settings(server, browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page = open_page(browser, f"{server.url}/srn?srn_lr=0.1&seed=4", context=context)
    frame = page.frame_locator("[data-testid='stSidebar'] iframe").first
    frame.get_by_role("button", name="Copy link to this setup").click()
    frame.get_by_text("Copied.").wait_for(timeout=5_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "srn_lr=0.1" in copied and "seed=4" in copied
    context.close()
