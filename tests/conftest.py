"""Shared test fixtures: AppTest on a page of the real app, and the project root."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

torch.set_num_threads(1)  # tests run side by side on a 2-core machine; keep each one lean


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def open_page(page: str, timeout: float = 120):
    """AppTest of ``app.py`` switched to ``page`` (e.g. ``"app_pages/srn.py"``), already run once."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.run()
    at.switch_page(page).run()
    return at


@pytest.fixture(scope="module")
def at(request):
    """The page named by the test module's ``PAGE``, opened once per module."""
    return open_page(request.module.PAGE)


def figures(at) -> list[dict]:
    """The plotly figure specs the page drew: Streamlit plotly charts and our in-place live charts."""
    import json

    specs = [json.loads(el.proto.spec) for el in at.get("plotly_chart")]
    specs += [json.loads(json.loads(el.proto.json)["figure"]) for el in at.get("bidi_component")
              if el.proto.component_name == "rnnviz_live_chart"]
    return specs


def button(at, key: str):
    """The button with this widget key."""
    found = [b for b in at.button if b.key == key]
    assert found, f"no button with key {key!r}; have {[b.key for b in at.button]}"
    return found[0]


def metric(at, label: str) -> str:
    """The shown value of the metric with this label."""
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}; have {[m.label for m in at.metric]}"
    return found[0]


def reveal(at, key: str, guess) -> None:
    """Answer the predict-then-reveal question ``key`` with ``guess`` (asking again first if already revealed)."""
    if any(b.key == f"{key}__again" for b in at.button):
        button(at, f"{key}__again").click().run()
    at.radio(key=f"{key}__guess").set_value(guess).run()
    button(at, f"{key}__reveal").click().run()
