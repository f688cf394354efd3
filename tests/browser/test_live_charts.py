"""Live charts never blank: sampled 20 times, 0.3 s apart, while training, the page's main live chart
always has a drawn trace, is the same element all along (updated in place, never remounted), and
really changes (it is redrawn with new data)."""

from __future__ import annotations

import pytest

from tests.browser.ui import LIVE_PAGES, by_key, click, exceptions, open_page, settle, step_count, wait_for_change

# url path -> (control key, key of the main live chart)
PAGES = LIVE_PAGES

SAMPLE = """(key) => {
  const div = document.querySelector('.st-key-' + key + ' .rnnviz-live-chart');
  if (!div) return {found: false};
  if (!div.__rnnvizTag) div.__rnnvizTag = Math.random();
  const drawn = [...div.querySelectorAll('.scatterlayer .trace path')].filter(p => (p.getAttribute('d') || '').length > 10);
  const faded = [...document.querySelectorAll('[data-testid=stElementContainer]')].filter(e => e.contains(div))
    .some(e => Number(getComputedStyle(e).opacity) < 0.99);
  return {found: true, tag: div.__rnnvizTag, traces: drawn.length, draws: Number(div.dataset.drawn || 0), faded,
          d: drawn.map(p => p.getAttribute('d')).join('|').length};
}"""


@pytest.mark.parametrize("path", list(PAGES))
def test_live_chart_is_never_blank_and_updates_in_place(server, browser, shots, path):
    key, chart = PAGES[path]
    page = open_page(browser, f"{server.url}/{path}", viewport={"width": 1366, "height": 768})
    if path == "seq2seq":  # 15 epochs pass in seconds: raise the budget so training lasts the whole sampling
        box = page.locator(".st-key-s2s_epochs input")
        box.fill("1000")
        box.press("Enter")
        settle(page)
    click(page, f"{key}__btn_step")
    settle(page)
    before = step_count(page)
    click(page, f"{key}__btn_train")
    wait_for_change(page, step_count, before, settle_after=False)  # ticks have begun: the Train click's page run is over
    page.wait_for_timeout(1000)
    samples = []
    for _ in range(20):
        samples.append(page.evaluate(SAMPLE, chart))
        page.wait_for_timeout(300)
    page.screenshot(path=str(shots / f"live-{path}.png"))
    click(page, f"{key}__btn_pause")
    assert all(s["found"] and s["traces"] >= 1 for s in samples), samples
    assert len({s["tag"] for s in samples}) == 1, "the chart element was replaced (remounted) while training"
    assert not any(s["faded"] for s in samples), "the live chart was faded (stale) while a tick trained"
    assert samples[-1]["draws"] > samples[0]["draws"] and samples[-1]["d"] != samples[0]["d"], \
        "the chart did not change while training"
    assert exceptions(page) == 0
    page.close()


BEST = "char_lm_best"  # "Go back to the best checkpoint": shown whenever the run is past its best held-out step


def test_chart_keeps_its_place_when_a_notice_comes_and_goes(server, browser):
    """A message that appears above a live chart (the char-LM's back-to-best button, the control's restart notice)
    must not shift the chart to a new place in the page: the browser would remount it (this failed in CI: the
    char-LM loss chart was remounted twice in 6 s of training while the best-checkpoint button came and went)."""
    page = open_page(browser, f"{server.url}/char_lm?char_lm_engine=PyTorch", viewport={"width": 1366, "height": 768})
    tag = lambda: page.evaluate(SAMPLE, "char_lm_loss").get("tag")  # noqa: E731
    click(page, "char_lm__btn_step")
    settle(page)
    first = tag()
    shown = []
    for _ in range(12):  # held-out loss is scored every 10 steps: the button shows between scorings
        click(page, "char_lm__btn_step")
        settle(page)
        shown.append(by_key(page, BEST).count() > 0)
        assert tag() == first, f"the loss chart was remounted when the best-checkpoint button {'came' if shown[-1] else 'went'}"
    assert True in shown and False in shown, shown  # the button came and went: the test exercised the shift
    slider = by_key(page, "char_lm_t_hidden").locator("input[type='range']").first
    slider.focus()
    page.keyboard.press("ArrowLeft")  # hidden units 96 -> 64: the run restarts, with a notice above the readout
    settle(page)
    assert page.get_by_text("training restarted from step 0").count() == 1, "no restart notice"
    assert tag() == first, "the loss chart was remounted when the restart notice appeared"
    assert exceptions(page) == 0
    page.close()
