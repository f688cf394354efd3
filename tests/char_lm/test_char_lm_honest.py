"""Honest numbers on the character LM: the rise guard, overfitting, Chinese text and uploads, snippets that replay."""

import re
import subprocess
import sys

import numpy as np
import pytest

from rnnviz.char_lm import code
from rnnviz.char_lm.data import TANG, CorpusError, builtin_corpus, builtin_items, couplets, parse_upload, poems
from rnnviz.char_lm.figures import next_char_figure
from rnnviz.char_lm.numpy_engine import ScratchConfig
from rnnviz.char_lm.run import ScratchRun, TorchCharRun
from rnnviz.char_lm.torch_engine import TorchConfig
from rnnviz.core.paths import ASSETS


@pytest.fixture(scope="module")
def dinos():
    return builtin_corpus("Dinosaur genera")


def _until_paused(run, limit: int) -> float:
    """Step in chunks until the guard pauses the run; the lowest held-out loss seen on the way (undone steps too)."""
    seen = min(run.series("heldout"), default=np.inf)
    while run.divergence is None and run.step_count < limit:
        run.step(50)
        seen = min([seen, *run.series("heldout"), *(g.score for g in run.watch.good)])
    return seen


# ----------------------------------------------------------------------------- the rise guard
@pytest.mark.parametrize("trained_first", [1681, 0], ids=["after-good-training", "from-scratch"])
def test_explode_preset_pauses_in_time_on_weights_near_the_best(dinos, trained_first):
    """The page's preset (NumPy, lr 0.05, clipping off) pauses with held-out loss within 10 % of the best seen."""
    run = ScratchRun(dinos, ScratchConfig(), seed=0)
    run.step(trained_first)
    run.set_live(0.05, None)  # the preset's settings are live: no rebuild
    best_seen = _until_paused(run, 10_000)
    d = run.divergence
    assert d is not None and d.restored_step == run.step_count < d.step
    restored = run.heldout_loss()
    assert restored <= 1.10 * best_seen
    assert f"step {run.step_count:,} (held-out loss {restored:.3f}" in d.message
    assert run.history[-1]["step"] == run.step_count  # the undone steps are gone from the curve
    assert all(c.step <= run.step_count for c in run.checkpoints)
    count = run.step_count
    run.step(10)
    assert run.step_count == count  # paused until the user changes something


def test_healthy_training_is_never_paused(dinos):
    """The course's settings for 20,000 names, and a tiny corpus that memorises, both run without a pause."""
    run = ScratchRun(dinos, ScratchConfig(), seed=2)
    run.step(20_000)
    assert run.divergence is None and run.step_count == 20_000
    small = TorchCharRun(builtin_corpus("Chemical elements"), TorchConfig(hidden=32), seed=0)
    small.step(400)
    assert small.divergence is None


def test_rewound_run_replays_the_same_steps(dinos):
    """Going back to a kept state and training on gives the very same losses (data order and dropout included)."""
    a = TorchCharRun(dinos, TorchConfig(hidden=32), seed=1)
    a.step(40)
    kept = a.keep_state(a.heldout_loss())
    a.step(20)
    later = a.series("loss")[40:60]
    a.go_back_to(kept)
    assert a.step_count == 40 and len(a.history) == 40
    a.step(20)
    assert a.series("loss")[40:60] == later


# ----------------------------------------------------------------------------- overfitting
def test_overfitting_is_said_and_the_best_checkpoint_restored(dinos):
    """Without dropout the held-out loss rises after its best while training falls; the run says so."""
    run = TorchCharRun(dinos, TorchConfig(dropout=0.0), seed=0)
    run.step(300)
    over = run.overfitting()
    assert over is not None and over.now > over.best and over.train_now < over.train_then
    held = {int(m["step"]): m["heldout"] for m in run.history if "heldout" in m}
    assert over.best_step == min(held, key=held.get) and over.best == pytest.approx(min(held.values()))
    assert run.go_back_to_best() == over.best_step
    assert run.heldout_loss() == pytest.approx(over.best, rel=1e-5)
    assert run.overfitting() is None and run.step_count == over.best_step


def test_default_dropout_keeps_held_out_near_its_best(dinos):
    """The default (dropout 0.5) shows no overfitting notice over 1,500 steps (without: one within 300)."""
    run = TorchCharRun(dinos, TorchConfig(), seed=0)
    for _ in range(15):
        run.step(100)
        assert run.overfitting() is None, run.step_count
    held = run.series("heldout")
    assert held[-1] <= 1.03 * min(held)


# ----------------------------------------------------------------------------- Chinese text and uploads
def test_tang_poems_corpus_is_chinese_couplets_and_trains():
    lines = (ASSETS / "tang_poems.txt").read_text(encoding="utf-8").splitlines()
    rows = poems(lines)
    assert len(rows) >= 60 and ("李白", "静夜思", "床前明月光，疑是地上霜。举头望明月，低头思故乡。") in rows
    assert couplets("床前明月光，疑是地上霜。举头望明月，低头思故乡。") == ["床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"]
    items = builtin_items(TANG)
    assert all(re.fullmatch(r"[\u4e00-\u9fff，。？！；]+", s) for s in items) and len(items) > 150
    corpus = builtin_corpus(TANG)
    assert corpus.vocab_size > 500
    with pytest.raises(CorpusError, match="at most 60.*PyTorch engine"):
        ScratchRun(corpus)
    run = TorchCharRun(corpus, TorchConfig(hidden=64), seed=0)
    run.step(40)
    assert run.series("loss")[-1] < 0.8 * run.series("loss")[0]
    names = run.sample_names(code_settings())
    assert any(re.search(r"[\u4e00-\u9fff]", n) for n in names)
    fig = next_char_figure(run.next_char_probs("床前明月"), corpus, "床前明月", run.step_count)
    assert len(fig.data[0].x) == 40 and "most likely of" in fig.layout.xaxis.title.text
    assert all(a >= b for a, b in zip(fig.data[0].y, fig.data[0].y[1:]))


def code_settings():
    from rnnviz.char_lm.sample import SampleSettings

    return SampleSettings(n=8, seed=0)


def test_chinese_and_utf16_uploads():
    text = "\n".join(f"第{i}行：春风{chr(0x4E00 + i)}又绿江南岸，明月何时照我还。" for i in range(40))
    items = parse_upload(text.encode("utf-8"), "poems.txt")
    assert len(items) == 40 and items[0].startswith("第0行")
    assert parse_upload(text.encode("utf-16"), "poems16.txt") == items  # with a byte-order mark
    assert parse_upload(text.encode("utf-16-le"), "le.txt") == items  # none: found by its zero bytes? (CJK: no)
    ascii_lines = "\n".join(f"name{i:03d}" for i in range(40))
    assert parse_upload(ascii_lines.encode("utf-16-le"), "ascii16.txt") == [f"name{i:03d}" for i in range(40)]
    long_lines = "\n".join("，".join([f"春眠不觉晓{chr(0x4E00 + i)}处处闻啼鸟"] * 12) + "。" for i in range(40))
    pieces = parse_upload(long_lines.encode("utf-8"), "long.txt")  # free text is cut after Chinese punctuation
    assert len(pieces) > 40 and all(len(p) <= 40 and p.endswith(("，", "。")) for p in pieces)


def test_upload_limit_is_one_number_from_the_config(root):
    import tomllib

    mb = tomllib.loads((root / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    from rnnviz.char_lm.data import MAX_UPLOAD_MB, upload_limit_bytes

    assert mb == MAX_UPLOAD_MB
    ok = ("\n".join(f"item{i:06d}" for i in range(40)) + "\n").encode()
    assert parse_upload(ok, "ok.txt", max_bytes=len(ok))
    with pytest.raises(CorpusError, match=r"the limit is 1\.0 MB"):
        parse_upload(b"x\n" * (upload_limit_bytes(mb) // 2 + 1), "big.txt")


# ----------------------------------------------------------------------------- snippets
def _run_snippet(src: str, cwd) -> list[tuple[float, float]]:
    out = subprocess.run([sys.executable, "-c", src], capture_output=True, text=True, timeout=180, cwd=cwd)
    assert out.returncode == 0, out.stderr
    return [(float(a), float(b)) for a, b in re.findall(r"loss ([\d.]+) smoothed ([\d.]+)", out.stdout)]


@pytest.mark.parametrize("engine, corpus, config", [
    ("numpy", "Dinosaur genera", ScratchConfig(lr=0.05, clip=1.0, hidden=25)),
    ("numpy", "Chemical elements", ScratchConfig(clip=None, carry_hidden=False)),
    ("torch", "Dinosaur genera", TorchConfig()),
    ("torch", TANG, TorchConfig(cell="LSTM", embedding=0, clip=None, batch=8, dropout=0.0)),
], ids=["numpy-dinos", "numpy-elements", "torch-dinos", "torch-tang-lstm-onehot"])
def test_show_code_replays_the_pages_first_losses(tmp_path, engine, corpus, config):
    """Run standalone from another folder, each engine's script prints the page's first losses and curve."""
    c = builtin_corpus(corpus)
    cc = code.numpy_code(c, config, seed=3) if engine == "numpy" else code.torch_code(c, config, seed=3)
    run = ScratchRun(c, config, seed=3) if engine == "numpy" else TorchCharRun(c, config, seed=3)
    run.step(len(cc.steps))
    printed = _run_snippet(code.snippet(cc), tmp_path)
    assert len(printed) == len(cc.steps) == run.step_count
    for (loss, smooth), m in zip(printed, run.history):
        assert loss == pytest.approx(m["loss"], abs=2e-6) and smooth == pytest.approx(m["smooth"], abs=2e-6)
