"""Lesson presets, hidden controls and the lesson link round-trip through the page address (issue 12).

On every page: press a preset, check that its settings are in the address, add ``hide=`` as a teacher's
lesson link does, open that link in a fresh browser, and check that the page shows the same settings (each
preset widget displays exactly what it displayed after the preset) and hides the named controls."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.ui import by_key, click, exceptions, open_page, settle

# url path -> (page key of the preset buttons, preset index, widget keys the preset sets to non-default values,
#              keys of controls to hide, the training control shown with that preset, if any)
LESSONS = {
    "srn": ("srn", 1, ["srn_activation", "srn_logy"], ["srn_opt", "srn_grids"], "srn"),
    "shapes": ("shapes", 0, ["shapes_batch_first"], ["shapes_module", "shapes_bidir"], None),  # opens The real shapes
    "seq2seq": ("s2s", 2, ["s2s_part", "s2s_tf"], ["s2s_tf", "s2s_ed_hidden"], "seq2seq_encdec"),
    "gated": ("gated", 1, ["gated_task", "gated_fb_on", "gated_zb_on"], ["gated_opt", "gated_batch"], "gated"),
    "char_lm": ("char_lm", 0, ["char_lm_np_lr", "char_lm_np_clip_on"], ["char_lm_corpus", "char_lm_np_carry"],
                "char_lm"),
    "training_basics": ("basics", 2, ["basics_lr", "basics_tab"], ["basics_reduction"], "basics"),
    "binary_addition": ("binary", 1, ["binary_hidden"], ["binary_bits", "binary_lr"], "binary"),
}

# What a widget shows: its text and the state of its inputs (checked, value, the slider's shown value).
STATE = """(key) => {
  const box = [...document.querySelectorAll('.st-key-' + key)].find(e => e.getClientRects().length) ||
              document.querySelector('.st-key-' + key);
  if (!box) return null;
  const tabs = [...box.querySelectorAll('[role=tab]')];  // a tab bar: which tab is open (not the panel's text)
  if (tabs.length) return {text: tabs.filter(t => t.getAttribute('aria-selected') === 'true').map(t => t.innerText).join(),
                           inputs: []};
  const inputs = [...box.querySelectorAll('input, [role=slider], [role=tab]')].map(i => [
    i.type || i.getAttribute('role'), i.checked ?? null, i.value ?? null, i.getAttribute('aria-valuetext'),
    i.getAttribute('aria-selected')]);
  return {text: box.innerText, inputs};
}"""


def _query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _state(page, key: str):
    return page.evaluate(STATE, key)


def _steady(page, key: str):
    """The widget's state once it stopped changing (its inner parts draw a moment after the page)."""
    last = _state(page, key)
    for _ in range(20):
        page.wait_for_timeout(300)
        now = _state(page, key)
        if now == last and now and now["text"]:
            return now
        last = now
    return last


@pytest.mark.parametrize("path", list(LESSONS))
def test_preset_and_hidden_controls_travel_in_the_link(server, browser, shots, path):
    page_key, index, keys, hide, control = LESSONS[path]
    page = open_page(browser, f"{server.url}/{path}", viewport={"width": 1366, "height": 768})
    assert click(page, f"{page_key}__preset_{index}"), "the preset button is missing or disabled"
    settle(page)
    page.wait_for_timeout(500)  # a preset that opens a tab writes its values on one more run (rnnviz.ui.lesson)
    settle(page)
    address = page.evaluate("() => window.location.href")  # page.url misses history.replaceState
    query = _query(address)
    for key in keys:
        assert key in query, f"the preset did not put {key} in the address: {address}"
    shown = {key: _steady(page, key) for key in keys if key != "basics_tab"}
    link = f"{address}&hide={','.join(hide)}"
    page.close()

    # a fresh browser opens the link: the preset's values are shown, the named controls hidden
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    fresh = open_page(browser, link, context=context)
    for key, before in shown.items():
        if key in hide:
            continue
        after = _state(fresh, key)
        for _ in range(40):  # a widget's inner parts (a slider's track and labels) draw a moment after the page
            if after == before:
                break
            fresh.wait_for_timeout(250)
            after = _state(fresh, key)
        assert after == before, f"{key} shows {after} from the link {link}, {before} after the preset"
    for key in hide:
        assert by_key(fresh, key).count() >= 1, f"{key} is not in the page at all"
        by_key(fresh, key).first.wait_for(state="hidden", timeout=10_000)  # fails if the link did not hide it
    if control is not None:
        by_key(fresh, f"{control}__btn_train").locator("button").first.wait_for(state="visible", timeout=30_000)
    assert _query(fresh.evaluate("() => window.location.href")).get("hide") == ",".join(hide)
    assert exceptions(fresh) == 0
    fresh.screenshot(path=str(shots / f"lesson-{path}.png"))
    context.close()
