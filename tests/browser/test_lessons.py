"""Lesson presets, hidden controls and the lesson link round-trip through the page address (issue 12)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.ui import by_key, click, exceptions, open_page, settle

# url path -> (page key, preset index to press, {widget key: value the preset puts in the address},
#              {key of a control to hide: its name in the lesson-link builder})
LESSONS = {
    "srn": ("srn", 1, {"srn_activation": "none", "srn_logy": "true"},
            {"srn_opt": "Optimizer", "srn_grids": "Weight and bias grids"}),
}


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


@pytest.mark.parametrize("path", list(LESSONS))
def test_preset_and_hidden_controls_travel_in_the_link(server, browser, shots, path):
    page_key, index, expected, hide = LESSONS[path]
    page = open_page(browser, f"{server.url}/{path}")
    assert click(page, f"{page_key}__preset_{index}")
    settle(page)
    query = _query(page.url)
    for key, value in expected.items():
        assert query.get(key) == value, f"the preset did not put {key}={value} in the address: {page.url}"
    # the address now holds the preset; a teacher's lesson link adds hide= (the builder is tested in AppTest)
    link = f"{page.url}&hide={','.join(hide)}"
    page.close()

    # a fresh browser opens the link: the preset's values are set and the named controls are hidden
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    fresh = open_page(browser, link, context=context)
    for key in hide:
        assert by_key(fresh, key).count() == 1, f"{key} is not in the page at all"
        by_key(fresh, key).first.wait_for(state="hidden", timeout=10_000)  # fails if the link did not hide it
    assert by_key(fresh, f"{page_key}__btn_train").locator("button").first.is_visible()
    assert exceptions(fresh) == 0
    fresh.screenshot(path=str(shots / f"lesson-{path}.png"), full_page=True)
    context.close()
