"""Live charts never blank: sampled 20 times, 0.3 s apart, while training, the page's main live chart
always has a drawn trace, is the same element all along (updated in place, never remounted), and
really changes (it is redrawn with new data)."""

from __future__ import annotations

import pytest

from tests.browser.ui import click, exceptions, open_page, settle, step_count, wait_for_change

# url path -> (control key, key of the main live chart)
PAGES = {
    "srn": ("srn", "srn_loss"),
    "shapes": ("shapes", "shapes_swap_loss"),
    "seq2seq": ("seq2seq_hello", "s2s_h_loss"),
    "gated": ("gated", "gated_loss"),
    "char_lm": ("char_lm", "char_lm_loss"),
    "training_basics": ("basics", "basics_live"),
    "binary_addition": ("binary", "binary_error"),
}

SAMPLE = """(key) => {
  const div = document.querySelector('.st-key-' + key + ' .rnnviz-live-chart');
  if (!div) return {found: false};
  if (!div.__rnnvizTag) div.__rnnvizTag = Math.random();
  const drawn = [...div.querySelectorAll('.scatterlayer .trace path')].filter(p => (p.getAttribute('d') || '').length > 10);
  return {found: true, tag: div.__rnnvizTag, traces: drawn.length, draws: Number(div.dataset.drawn || 0),
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
    assert samples[-1]["draws"] > samples[0]["draws"] and samples[-1]["d"] != samples[0]["d"], \
        "the chart did not change while training"
    assert exceptions(page) == 0
    page.close()
