"""Projector mode at 1366x768 cuts no text: every label, button, sidebar page name, metric and chart title shows
whole, on every tab of every page, with the sidebar open (the narrowest the page gets) (issue 12)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PROJECTOR_VIEW
from tests.browser.ui import open_page, settle

PATHS = ["srn", "shapes", "seq2seq", "gated", "char_lm", "training_basics", "binary_addition"]

# visible text boxes whose content is wider than the box (Streamlit cuts such labels with an ellipsis)
_CUT = """() => [...document.querySelectorAll(
    '.stMarkdownEllipsis, .stMarkdownEllipsis p, [data-testid=stMetricValue], [data-testid=stMetricValue] div, button p')]
  .filter(e => e.offsetParent !== null && e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.slice(0, 40))
  .concat([...document.querySelectorAll('.rnnviz-live-chart, .js-plotly-plot')]
    .filter(div => div.offsetParent !== null)
    .flatMap(div => {  // a chart title wider than its chart is cut by the SVG's edge
      const svg = div.querySelector('svg.main-svg');
      if (!svg) return [];
      const width = svg.getBoundingClientRect().width, left = svg.getBoundingClientRect().left;
      return [...div.querySelectorAll('.gtitle')].filter(t => {
        const r = t.getBoundingClientRect();
        return r.width && (r.left < left - 1 || r.right > left + width + 1);
      }).map(t => 'chart title: ' + t.textContent.slice(0, 40));
    }))"""

_TABS = "[data-testid='stMainBlockContainer'] [role='tab']"


@pytest.mark.parametrize("path", PATHS)
def test_projector_mode_cuts_no_text(server, browser, shots, path):
    page = open_page(browser, f"{server.url}/{path}?projector=true", viewport=PROJECTOR_VIEW)
    opener = page.locator("[data-testid='stExpandSidebarButton']")
    if opener.count():  # a projector link starts with the sidebar folded: open it, the page is then narrowest
        opener.first.click()
    page.wait_for_timeout(1500)  # late elements (charts, live part) are drawn
    settle(page)
    cut = {"first tab": page.evaluate(_CUT)}
    page.screenshot(path=str(shots / f"projector-{path}.png"))
    tabs = page.locator(_TABS)
    for i in range(1, tabs.count()):
        name = tabs.nth(i).inner_text()
        tabs.nth(i).click()
        page.wait_for_timeout(800)
        settle(page)
        cut[name] = page.evaluate(_CUT)
    page.close()
    cut = {tab: texts for tab, texts in cut.items() if texts}
    assert cut == {}, f"cut off in projector mode: {cut}"
