"""AppTest of the character LM page: renders, Step produces samples, next-character bars, uploads."""

import base64

import numpy as np
import pytest

from rnnviz.char_lm.sample import SampleSettings
from tests.conftest import button, figures, metric, open_page

PAGE = "app_pages/char_lm.py"


def _specs(at) -> list[dict]:
    return figures(at)


def _values(v) -> list:
    """Plotly sends numpy arrays as base64 typed arrays."""
    if isinstance(v, dict) and "bdata" in v:
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"]).tolist()
    return list(v)


def _chart_titles(at) -> list[str]:
    return [s["layout"].get("title", {}).get("text", "") for s in _specs(at)]


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def _tab(at, name: str):
    """Open one of the page's lazy tabs (its content is drawn only while it is open)."""
    at.session_state["char_lm_tab"] = name
    return at.run()


def test_renders_without_exception(at):
    assert not at.exception
    assert metric(at, "Step") == "0"
    assert any(t.startswith("Next character after “tyranno”") for t in _chart_titles(at))
    assert len(at.dataframe) == 1 and len(at.dataframe[0].value) == 10  # sampled names, even untrained
    _tab(at, "The names")
    assert not at.exception
    assert metric(at, "Vocabulary") == "27"
    _tab(at, "The model & code")
    assert not at.exception
    assert any("Show code: the NumPy engine's first" in e.label for e in at.expander)


def test_step_produces_samples_and_prefix_shows_probabilities():
    at = open_page(PAGE)
    at.radio(key="char_lm_engine").set_value("PyTorch").run()
    at.selectbox(key="char_lm__step_size").set_value(50).run()
    assert not at.exception
    assert not [m for m in at.markdown if m.value.startswith("**step 50**")]
    button(at, "char_lm__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "50"
    shown = [m.value for m in at.markdown if m.value.startswith("**step 50**")]
    assert shown and "held-out" in shown[0]
    assert metric(at, "Held-out loss / char") != "–"
    at.text_input(key="char_lm_prefix").input("stegosauru").run()
    title = "Next character after “stegosauru” (step 50)"
    spec = next(s for s in _specs(at) if s["layout"]["title"]["text"] == title)
    probs = _values(spec["data"][0]["y"])
    assert len(probs) == 27 and abs(sum(probs) - 1) < 1e-6
    assert _values(spec["data"][0]["x"])[probs.index(max(probs))] == "s"  # stegosauru -> s
    at.text_input(key="char_lm_prefix").input("t-rex").run()
    assert any("never seen the character(s) '-'" in w.value for w in at.warning)
    assert not at.exception

    # a second checkpoint, then scrub back to the first and re-sample it at another temperature
    button(at, "char_lm__btn_step").click().run()
    assert metric(at, "Step") == "100"
    slider = next(w for w in at.select_slider if w.key.startswith("char_lm_checkpoint_"))
    assert slider.value == 100  # the newest checkpoint is selected
    slider.set_value(50).run()
    at.slider(key="char_lm_temp").set_value(0.5).run()
    assert not at.exception
    run = at.session_state["char_lm__run"]
    want = run.sample_names(SampleSettings(temperature=0.5, n=10, seed=0), run.checkpoint(50).params)
    shown = list(at.dataframe[0].value["name"])
    assert shown == [n.capitalize() if n else "(empty)" for n in want]
    assert any(t.startswith("Hidden unit ") and "while reading" in t for t in _chart_titles(at))


@pytest.mark.parametrize("name, data, message", [
    ("empty.txt", b"", "is empty"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("latin1.txt", "café\nthé\n".encode("latin-1") * 40, "not UTF-8"),
    ("short.txt", b"rex\nbob\nzed\n", "only 3 different usable"),
    ("large.txt", b"abcdefgh\n" * 120_000, "the limit is 1.0 MB"),  # 1.03 MiB > server.maxUploadSize
], ids=["empty", "binary", "not-utf8", "too-short", "too-large"])
def test_bad_upload_gives_message_and_keeps_run(name, data, message):
    at = open_page(PAGE)
    button(at, "char_lm__btn_step").click().run()
    assert metric(at, "Step") == "1"
    at.radio(key="char_lm_corpus").set_value("Upload your own (.txt)").run()
    at.file_uploader(key="char_lm_upload").set_value((name, data, "text/plain")).run()
    assert not at.exception
    assert any(message in e for e in _errors(at)), _errors(at)
    assert metric(at, "Step") == "1"  # the current run is kept
    assert any("keeps the current corpus (**Dinosaur genera**)" in i.value for i in at.info)


def test_good_upload_trains_on_it():
    at = open_page(PAGE)
    lines = "\n".join(f"{a}{b}ville" for a in "bcdfghk" for b in "aeiou") + "\nrome\nparis\n"
    at.radio(key="char_lm_corpus").set_value("Upload your own (.txt)").run()
    at.file_uploader(key="char_lm_upload").set_value(("towns.txt", lines.encode(), "text/plain")).run()
    assert not at.exception and not _errors(at)
    _tab(at, "The names")
    assert metric(at, "Items") == "37"
    button(at, "char_lm__btn_step").click().run()
    assert metric(at, "Step") == "1"
