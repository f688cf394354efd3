"""The live section fits the first screen (issue 12): at 1366x768, in normal and in projector mode, every
page shows its training control, its step readout and its main live chart without scrolling. In normal
mode the whole chart is on the screen; in projector mode (large type, the sidebar folded) its top part."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PROJECTOR_VIEW
from tests.browser.ui import LIVE_PAGES, by_key, exceptions, open_page

# url path -> (control key, main live chart key): the pages and their live sections, as the live-chart test
PAGES = LIVE_PAGES
HEIGHT = PROJECTOR_VIEW["height"]
PROJECTOR_CHART_SHOWN = 150  # px of the chart (its title and the top of its plot) on the first screen at least


def _box(page, key: str) -> dict:
    """Page coordinates of the first visible element of this key (the page is not scrolled)."""
    loc = by_key(page, key).locator("visible=true").first
    loc.wait_for(timeout=30_000)
    return loc.bounding_box()


@pytest.mark.parametrize("mode", ["normal", "projector"])
@pytest.mark.parametrize("path", list(PAGES))
def test_control_readout_and_main_chart_share_the_first_screen(server, browser, shots, path, mode):
    control, chart = PAGES[path]
    query = ("&" if "?" in path else "?") + "projector=true" if mode == "projector" else ""
    page = open_page(browser, f"{server.url}/{path}{query}", viewport=PROJECTOR_VIEW)
    page.wait_for_timeout(1000)  # the live chart draws a moment after the page
    train = _box(page, f"{control}__btn_train")
    step = page.locator("[data-testid='stMetric']", has_text="Step").locator("visible=true").first.bounding_box()
    drawn = _box(page, chart)
    page.screenshot(path=str(shots / f"first-screen-{path.split('?')[0]}-{mode}.png"))
    assert exceptions(page) == 0
    page.close()
    assert 0 <= train["y"] and train["y"] + train["height"] <= HEIGHT, f"Train button at y={train['y']:.0f}"
    assert step is not None and step["y"] + step["height"] <= HEIGHT, f"step readout at {step}"
    if mode == "normal":
        assert drawn["y"] + drawn["height"] <= HEIGHT + 1, \
            f"main chart spans y={drawn['y']:.0f}-{drawn['y'] + drawn['height']:.0f}: not whole on the first screen"
    else:
        assert drawn["y"] <= HEIGHT - PROJECTOR_CHART_SHOWN, \
            f"main chart starts at y={drawn['y']:.0f}: less than {PROJECTOR_CHART_SHOWN} px of it on the first screen"
