"""Small Playwright helpers shared by the browser tests: open a page, find widgets by key, read metrics."""

from __future__ import annotations

import re
import time

VIEW = {"width": 1500, "height": 1000}

# url path -> (training-control key, key of the page's main live chart)
LIVE_PAGES = {
    "srn": ("srn", "srn_loss"),
    "shapes": ("shapes", "shapes_swap_loss"),
    "seq2seq": ("seq2seq_hello", "s2s_h_loss"),
    "gated": ("gated", "gated_loss"),
    "char_lm": ("char_lm", "char_lm_loss"),
    "training_basics": ("basics", "basics_live"),
    "binary_addition": ("binary", "binary_error"),
}


def open_page(browser, url: str, viewport: dict | None = None, context=None):
    """A new tab on ``url``, waited until the page title is drawn and the first run has settled."""
    page = context.new_page() if context is not None else browser.new_page(viewport=viewport or VIEW)
    page.goto(url)
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=60_000)
    page.wait_for_selector("h1", timeout=90_000)  # every page starts with a title
    settle(page)
    return page


def settle(page, quiet_ms: int = 500, timeout: float = 30.0) -> None:
    """Wait until no script run has been going for ``quiet_ms`` (the app's own script-state marker)."""
    deadline = time.time() + timeout
    quiet_since = None
    running = "[data-test-script-state='running'], [data-stale='true']"
    while time.time() < deadline:
        if page.locator(running).count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif (time.time() - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(50)


def wait_for_change(page, read, before, timeout: float = 8.0, settle_after: bool = True):
    """Poll ``read(page)`` until it differs from ``before`` (or the time is up); then let the page settle
    (not while training: the ticks keep it busy)."""
    deadline = time.time() + timeout
    while time.time() < deadline and read(page) == before:
        page.wait_for_timeout(50)
    if settle_after:
        settle(page)
    return read(page)


def by_key(page, key: str):
    """The element container of the widget with this Streamlit key."""
    return page.locator(f".st-key-{key}")


def click(page, key: str) -> bool:
    """Click the button with this key if it is enabled; say whether it was."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    button = by_key(page, key).locator("button:visible").first
    if not button.is_enabled():
        return False
    try:  # it may turn disabled between the check and the click (a tick's rerun): then, as for a user, nothing
        button.click(timeout=5_000)
    except PlaywrightTimeout:
        return False
    return True


def enabled(page, key: str) -> bool:
    button = by_key(page, key).locator("button:visible").first
    button.wait_for(state="attached", timeout=30_000)
    return button.is_enabled()


def metric(page, label: str) -> str:
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=re.compile(f"^{re.escape(label)}$"))).first
    return box.locator("[data-testid='stMetricValue']").inner_text().strip()


def step_count(page) -> int:
    return int(re.sub(r"[^0-9]", "", metric(page, "Step")) or 0)


def exceptions(page) -> int:
    return page.locator("[data-testid='stException']").count()
