"""Nothing of ours outlives a user's session (issue 13): once Streamlit drops a session (a closed tab,
after ``server.disconnectedSessionTTL``), its training runs are garbage, not kept alive by a module
cache, a memo or a timer. Every page is opened, trained a little, and its session dropped."""

from __future__ import annotations

import gc
import weakref

import pytest

from rnnviz.core.training import TrainingRun
from tests.conftest import button, open_page

PAGES = {  # page file -> a training control's key on it
    "app_pages/srn.py": "srn",
    "app_pages/shapes.py": "shapes",
    "app_pages/seq2seq.py": "seq2seq_hello",
    "app_pages/gated.py": "gated",
    "app_pages/char_lm.py": "char_lm",
    "app_pages/training_basics.py": "basics",
    "app_pages/binary_addition.py": "binary",
}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_dropped_session_releases_its_runs(page):
    at = open_page(page)
    button(at, f"{PAGES[page]}__btn_step").click().run()
    state = at.session_state
    runs = [weakref.ref(state[k]) for k in list(state) if isinstance(state[k], TrainingRun)]
    del state
    assert any(r().step_count > 0 for r in runs), "Step did not train the page's run"
    del at
    gc.collect()
    alive = [type(r()).__name__ for r in runs if r() is not None]
    assert not alive, f"runs still referenced after the session was dropped: {alive}"
