"""Projector mode at 1366x768 cuts no text: every label, button, sidebar page name and metric shows whole (issue 12)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PROJECTOR_VIEW
from tests.browser.ui import open_page, settle

PATHS = ["srn", "shapes", "seq2seq", "gated", "char_lm", "training_basics", "binary_addition"]

# visible text boxes whose content is wider than the box (Streamlit cuts such labels with an ellipsis)
_CUT = """() => [...document.querySelectorAll(
    '.stMarkdownEllipsis, .stMarkdownEllipsis p, [data-testid=stMetricValue], [data-testid=stMetricValue] div, button p')]
  .filter(e => e.offsetParent !== null && e.getClientRects().length && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.innerText.slice(0, 40))"""


@pytest.mark.parametrize("path", PATHS)
def test_projector_mode_cuts_no_text(server, browser, shots, path):
    page = open_page(browser, f"{server.url}/{path}?projector=true", viewport=PROJECTOR_VIEW)
    page.wait_for_timeout(1500)  # late elements (charts, live part) are drawn
    settle(page)
    cut = page.evaluate(_CUT)
    page.screenshot(path=str(shots / f"projector-{path}.png"))
    page.close()
    assert cut == [], f"cut off in projector mode: {cut}"
