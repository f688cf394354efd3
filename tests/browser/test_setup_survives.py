"""A page's settings and run survive leaving the page and coming back; a copied link reproduces the setup.

For every page: change two settings (one of them live), press Step a few times, go to Home and come back
(by the sidebar, then by the browser's Back): same settings, same step count, no "training restarted" notice. Then open the page's address in a fresh
browser context (a new session, as a student opening the teacher's link): same settings, and after the
same number of steps, the same loss.
"""

from __future__ import annotations

import pytest

from tests.browser.ui import by_key, click, exceptions, metric, open_page, settle, step_count, wait_for_change

# url path -> (control key, [(widget key, how to change it)], Step presses); a key "tab label/key" names a
# setting drawn in another tab than the live section's (the test opens that tab to change and read it)
LIVE_TABS = {"shapes": "The silent swap, live"}
PAGES = {
    "srn": ("srn", [("srn_lr", "ArrowRight"), ("srn_noise", "toggle")], 3),
    "shapes": ("shapes", [("The silent swap, live/shapes_lr", "ArrowRight"),
                         ("The real shapes/shapes_batch_first", "toggle")], 2),  # Step ×10
    "seq2seq": ("seq2seq_hello", [("s2s_lr", "ArrowLeft"), ("s2s_cell", "radio:GRU")], 3),
    "gated": ("gated", [("gated_lr", "ArrowRight"), ("gated_batch", "ArrowLeft")], 2),
    "char_lm": ("char_lm", [("char_lm_np_lr", "ArrowLeft"), ("char_lm_np_hidden", "ArrowLeft")], 3),
    "training_basics": ("basics", [("basics_lr", "ArrowRight"), ("basics_forget", "toggle")], 3),
    "binary_addition": ("binary", [("binary_lr", "ArrowRight"), ("binary_hidden", "ArrowLeft")], 3),
}


def _tab_and_key(page, key: str) -> str:
    """Open the tab a "tab/key" setting lives in; the widget key."""
    if "/" not in key:
        return key
    tab, key = key.split("/", 1)
    page.get_by_role("tab", name=tab).first.click()
    settle(page)
    return key


def _live_tab(page, path: str) -> None:
    if path in LIVE_TABS:
        page.get_by_role("tab", name=LIVE_TABS[path]).first.click()
        settle(page)


def change(page, key: str, how: str) -> None:
    key = _tab_and_key(page, key)
    box = by_key(page, key)
    if how == "toggle":
        box.locator("label").first.click()
    elif how.startswith("radio:"):
        box.locator("label").filter(has_text=how.split(":", 1)[1]).first.click()
    else:
        box.locator("input[type='range']").first.focus()
        page.keyboard.press(how)
    settle(page)


def read(page, key: str) -> str:
    key = _tab_and_key(page, key)
    box = by_key(page, key)
    box.locator("input").first.wait_for(state="attached", timeout=30_000)
    slider = box.locator("input[type='range']")
    if slider.count():
        return slider.first.get_attribute("aria-valuetext") or slider.first.get_attribute("aria-valuenow")
    radio = box.locator("label:has(input[type='radio']:checked)")
    if radio.count():
        return radio.first.inner_text().strip()
    return str(box.locator("input[type='checkbox']").first.is_checked())


def notice_shown(page) -> bool:
    return page.get_by_text("training restarted").count() > 0


def _go(page, title: str) -> None:
    page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).first.click()
    page.wait_for_selector("h1", timeout=60_000)
    settle(page)


TITLES = {"srn": "Simple recurrent network", "shapes": "Tensor shapes", "seq2seq": "Sequence to sequence",
          "gated": "RNN vs LSTM vs GRU", "char_lm": "Character language model",
          "training_basics": "Training loop basics", "binary_addition": "Binary addition"}


@pytest.mark.parametrize("path", list(PAGES))
def test_settings_and_run_survive_navigation_and_travel_in_the_link(server, browser, shots, path):
    key, settings, presses = PAGES[path]
    page = open_page(browser, f"{server.url}/{path}")
    defaults = {k: read(page, k) for k, _ in settings}
    for k, how in settings:
        change(page, k, how)
    chosen = {k: read(page, k) for k, _ in settings}
    assert chosen != defaults, f"the test did not change the settings: {chosen}"
    _live_tab(page, path)
    for _ in range(presses):
        before = step_count(page)
        click(page, f"{key}__btn_step")
        wait_for_change(page, step_count, before)
    done = step_count(page)
    assert done == presses * (10 if path == "shapes" else 1)
    loss = metric(page, "Loss")
    link = page.evaluate("() => window.location.href")  # page.url misses history.replaceState
    assert all(k.split("/")[-1] in link for k, _ in settings), f"settings missing from the address: {link}"

    _go(page, "Home")
    _go(page, TITLES[path])
    assert {k: read(page, k) for k, _ in settings} == chosen, "settings were lost on the page switch"
    _live_tab(page, path)
    assert step_count(page) == done, "the run was lost on the page switch"
    assert metric(page, "Loss") == loss
    assert not notice_shown(page), "a false 'training restarted' notice after coming back"
    _go(page, "Home")  # and with the browser's Back button (its history entry has no settings of its own)
    page.go_back()
    page.wait_for_selector("h1", timeout=60_000)
    settle(page)
    assert {k: read(page, k) for k, _ in settings} == chosen, "settings were lost on the browser's Back"
    _live_tab(page, path)
    assert step_count(page) == done, "the run was lost on the browser's Back"
    assert not notice_shown(page), "a false 'training restarted' notice after Back"
    assert exceptions(page) == 0
    page.close()

    fresh = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        other = open_page(browser, link, context=fresh)
        assert {k: read(other, k) for k, _ in settings} == chosen, f"the link did not restore the settings: {link}"
        _live_tab(other, path)
        for _ in range(presses):
            before = step_count(other)
            click(other, f"{key}__btn_step")
            wait_for_change(other, step_count, before)
        assert metric(other, "Loss") == loss, "the same link and the same steps gave a different loss"
        other.screenshot(path=str(shots / f"link-{path}.png"))
    finally:
        fresh.close()


def test_srn_grid_values_travel_in_the_link_and_survive_navigation(server, browser):
    page = open_page(browser, f"{server.url}/srn?W_ih=2,1;1,1")
    assert exceptions(page) == 0
    assert page.get_by_text("was not used").count() == 0  # the link's grid was accepted
    def equations(p) -> str:  # h_1 with the numbers; KaTeX draws after the page run (under load: a while after)
        p.locator(".katex-html").first.wait_for(timeout=30_000)
        return " ".join(p.locator(".katex-html").all_inner_texts())

    text_with = equations(page)
    assert text_with.strip(), "no equations drawn"
    _go(page, "Home")
    _go(page, "Simple recurrent network")
    assert "W_ih=2%2C1%3B1%2C1" in page.url or "W_ih=2,1;1,1" in page.url, page.url
    assert equations(page) == text_with
    plain = open_page(browser, f"{server.url}/srn")
    assert equations(plain) != text_with  # the link's grid really mattered
    plain.close()
    page.close()


def _href(page) -> str:
    return page.evaluate("() => window.location.href")


def test_a_closed_tabs_settings_stay_in_the_link_and_out_of_other_pages(server, browser):
    """seq2seq's Part 1 settings, changed and then left for Part 2: still in the address (a link copied on
    Part 2 brings them along), gone from Home's address, and back in the page's address on return."""
    page = open_page(browser, f"{server.url}/seq2seq")
    change(page, "s2s_lr", "ArrowLeft")
    change(page, "s2s_cell", "radio:GRU")
    chosen = {k: read(page, k) for k in ("s2s_lr", "s2s_cell")}
    page.get_by_role("tab", name="Part 2").first.click()
    settle(page)
    assert by_key(page, "s2s_lr").count() == 0, "the test needs Part 1 closed"
    link = _href(page)
    assert "s2s_lr=" in link and "s2s_cell=GRU" in link, f"Part 1's settings left the address: {link}"
    _go(page, "Home")
    assert "s2s_" not in _href(page), f"seq2seq's settings leaked into Home's address: {_href(page)}"
    _go(page, TITLES["seq2seq"])
    assert "s2s_lr=" in _href(page) and "s2s_cell=GRU" in _href(page), f"not back in the address: {_href(page)}"
    page.close()

    fresh = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        other = open_page(browser, link, context=fresh)
        assert by_key(other, "s2s_lr").count() == 0, "the link did not open on Part 2"
        other.get_by_role("tab", name="Part 1").first.click()
        settle(other)
        assert {k: read(other, k) for k in chosen} == chosen, f"the link did not restore Part 1: {link}"
        assert exceptions(other) == 0
    finally:
        fresh.close()
