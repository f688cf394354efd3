"""Character LM engines: hand-written gradients, learning, masking, sampling, divergence, corpora."""

import math
import re

import numpy as np
import pytest
import torch

from rnnviz.char_lm.data import (
    CorpusError,
    builtin_corpus,
    builtin_items,
    clean_items,
    novelty,
    parse_upload,
    upload_limit_bytes,
)
from rnnviz.char_lm.numpy_engine import (
    PARAM_NAMES,
    ScratchConfig,
    backward,
    clip_elementwise,
    forward,
    init_params,
    name_xy,
    padded_names,
    per_char_loss,
)
from rnnviz.char_lm.run import ScratchRun, TorchCharRun
from rnnviz.char_lm.sample import SampleSettings, probabilities
from rnnviz.char_lm.torch_engine import IGNORE, CharModel, TorchConfig, padded_batch


@pytest.fixture(scope="module")
def dinos():
    return builtin_corpus("Dinosaur genera")


# ----------------------------------------------------------------------------- corpora
def test_dinosaur_corpus_is_large_clean_and_split(dinos):
    items = builtin_items("Dinosaur genera")
    assert len(items) >= 800 and len(set(items)) == len(items)
    assert all(re.fullmatch(r"[a-z]+", s) for s in items)
    assert {"tyrannosaurus", "triceratops", "velociraptor", "stegosaurus"} <= set(items)
    assert dinos.chars[0] == "\n" and dinos.vocab_size == 27  # the seed's 27 characters
    assert not set(dinos.train) & set(dinos.heldout) and len(dinos.heldout) == round(0.1 * len(items))
    assert builtin_corpus("Dinosaur genera").heldout == dinos.heldout  # the split is fixed


def test_elements_corpus():
    items = builtin_items("Chemical elements")
    assert len(items) == 118 and "oganesson" in items and "hydrogen" in items


def test_upload_accepts_text_and_cuts_free_text():
    lines = [f"name{chr(97 + i % 26)}{chr(97 + i // 26)}" for i in range(40)]
    assert parse_upload("\n".join(lines).encode()) == lines
    text = ("the quick brown fox jumps over the lazy dog " * 40).encode()
    with pytest.raises(CorpusError, match=r"only \d+ different usable"):
        parse_upload(text)  # cut into pieces of at most 40 characters, but only 2 distinct ones
    pieces = clean_items(["word " * 30])
    assert all(len(p) <= 40 for p in pieces)


@pytest.mark.parametrize("data, message", [
    (b"", "is empty"),
    (b"  \n\n ", "is empty"),
    (b"abc\x00def\n" * 50, "binary"),
    ("café\n".encode("latin-1") * 50, "not UTF-8"),
    (b"rex\nbob\n", "only 2 different usable"),
    (b"a" * (upload_limit_bytes() + 1), r"the limit is 1\.0 MB"),
    ("\n".join(chr(0x4E00 + i) * 3 for i in range(3100)).encode(), "3,100 different characters"),
], ids=["empty", "blank", "nul", "latin1", "short", "large", "alphabet"])
def test_upload_rejections_have_messages(data, message):
    with pytest.raises(CorpusError, match=message):
        parse_upload(data, "bad.txt")


def test_unknown_character_message(dinos):
    with pytest.raises(CorpusError, match=r"never seen the character\(s\) '7'"):
        dinos.encode("rex7")


# ----------------------------------------------------------------------------- NumPy engine
def _numeric_grad(params, X, Y, a0, name, idx, eps=1e-6):
    p = {k: v.copy() for k, v in params.items()}
    p[name][idx] += eps
    up = forward(p, X, Y, a0)[0]
    p[name][idx] -= 2 * eps
    down = forward(p, X, Y, a0)[0]
    return (up - down) / (2 * eps)


def test_numpy_gradients_match_finite_differences():
    params = init_params(6, 27, seed=3, scale=0.5)  # larger weights: non-trivial gradients
    X, Y = name_xy([20, 25, 18, 1, 14, 14, 15])  # "tyranno"
    a0 = np.random.default_rng(1).standard_normal((6, 1)) * 0.3  # a carried hidden state
    _loss, cache = forward(params, X, Y, a0)
    grads = backward(params, X, Y, cache)
    rng = np.random.default_rng(0)
    for name in PARAM_NAMES:
        for _ in range(6):
            idx = tuple(int(rng.integers(n)) for n in params[name].shape)
            assert grads[f"d{name}"][idx] == pytest.approx(_numeric_grad(params, X, Y, a0, name, idx),
                                                           rel=1e-5, abs=1e-8)


def test_numpy_gradients_match_torch_autograd():
    params = init_params(50, 27, seed=0, scale=0.3)
    X, Y = name_xy([3, 1, 18, 14, 15, 20, 1, 21, 18, 21, 19])  # "carnotaurus"
    a0 = np.zeros((50, 1))
    loss, cache = forward(params, X, Y, a0)
    grads = backward(params, X, Y, cache)
    T = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    h, total = torch.zeros(50, 1, dtype=torch.float64), 0.0
    for x_ix, y_ix in zip(X, Y):
        x = torch.zeros(27, 1, dtype=torch.float64)
        if x_ix is not None:
            x[x_ix] = 1
        h = torch.tanh(T["Wax"] @ x + T["Waa"] @ h + T["b"])
        total = total - torch.log_softmax(T["Wya"] @ h + T["by"], dim=0)[y_ix, 0]
    total.backward()
    assert loss == pytest.approx(float(total.detach()), rel=1e-12)
    for k in PARAM_NAMES:
        np.testing.assert_allclose(grads[f"d{k}"], T[k].grad.numpy(), rtol=1e-9, atol=1e-12)


def test_elementwise_clip_and_batched_loss_agree_with_single_names(dinos):
    g = {"dW": np.array([[-7.0, 2.0], [6.0, -0.5]])}
    np.testing.assert_array_equal(clip_elementwise(g, 5)["dW"], [[-5.0, 2.0], [5.0, -0.5]])
    params = init_params(20, 27, seed=1, scale=0.4)
    names = [dinos.encode(s) for s in dinos.heldout[:12]]
    total = sum(forward(params, *name_xy(n), np.zeros((20, 1)))[0] for n in names)
    chars = sum(len(n) + 1 for n in names)
    assert per_char_loss(params, *padded_names(names)) == pytest.approx(total / chars, rel=1e-10)


def test_numpy_engine_learns(dinos):
    """Seed settings, seed 0: held-out loss per character below 2.25 within 2000 steps (uniform: 3.30)."""
    run = ScratchRun(dinos, ScratchConfig(), seed=0)
    run.step(2000)
    assert run.series("heldout")[-1] < 2.25
    assert [c.step for c in run.checkpoints] == [500, 1000, 1500, 2000]
    mean_chars = dinos.stats()["mean_length"] + 1
    assert run.seed_loss < 0.75 * mean_chars * math.log(27)  # the seed's smoothed loss per name: well below uniform


def test_no_clipping_at_high_learning_rate_pauses_on_divergence(dinos):
    run = ScratchRun(dinos, ScratchConfig(lr=0.1, clip=None), seed=0)
    run.step(1000)
    assert run.divergence is not None and run.step_count < 1000
    assert "clipping" in run.divergence.message and "learning rate" in run.divergence.message
    assert all(np.isfinite(v).all() for v in run.params.values())
    assert run.heldout_loss() < 20  # back on the last good weights
    count = run.step_count
    run.step(10)
    assert run.step_count == count  # paused until the user changes something


# ----------------------------------------------------------------------------- PyTorch engine
def test_masked_padding_does_not_change_a_names_loss(dinos):
    model = CharModel(27, TorchConfig(cell="LSTM", hidden=16, embedding=8))
    names = [dinos.encode(s) for s in ("rex", "tyrannosaurus", "zby", "pachycephalosaurus")]
    inputs, targets = padded_batch(names)
    with torch.no_grad():
        alone_in, alone_tg = padded_batch(names[:1])
        _, alone = model(alone_in, alone_tg)
        logits, _ = model(inputs, targets)
        first = torch.nn.functional.cross_entropy(logits[0], targets[0], ignore_index=IGNORE)
        _, batch_loss = model(inputs, targets)
    assert float(first) == pytest.approx(float(alone), rel=1e-6)
    assert int((targets == IGNORE).sum()) > 0
    with torch.no_grad():
        per_name = [float(model(*padded_batch([n]))[1]) * (len(n) + 1) for n in names]
    assert float(batch_loss) == pytest.approx(sum(per_name) / sum(len(n) + 1 for n in names), rel=1e-5)


def test_torch_engine_learns(dinos):
    """GRU, 96 units, batches of 32, Adam 0.01, seed 0: held-out loss per character below 1.9 within 60 steps."""
    run = TorchCharRun(dinos, TorchConfig(), seed=0)
    run.step(60)
    assert run.series("heldout")[-1] < 1.9
    assert run.chars_per_second() > 0 and run.checkpoints[-1].step == 50


def test_torch_runs_are_deterministic(dinos):
    a, b = TorchCharRun(dinos, TorchConfig(cell="RNN", hidden=32), seed=4), TorchCharRun(
        dinos, TorchConfig(cell="RNN", hidden=32), seed=4)
    a.step(5)
    b.step(5)
    assert a.series("loss") == b.series("loss")


# ----------------------------------------------------------------------------- sampling and probes
def test_probabilities_temperature_and_top_k():
    logits = np.array([[2.0, 1.0, 0.0, -1.0]])
    p = probabilities(logits)
    assert p.sum() == pytest.approx(1.0) and p[0, 0] > p[0, 1]
    assert probabilities(logits, 0.5)[0, 0] > p[0, 0] > probabilities(logits, 2.0)[0, 0]
    top2 = probabilities(logits, 1.0, 2)[0]
    assert top2[2] == 0 and top2[3] == 0 and top2[:2].sum() == pytest.approx(1.0)


def test_sampling_greedy_top1_and_checkpoints(dinos):
    run = TorchCharRun(dinos, TorchConfig(hidden=32), seed=0)
    run.step(50)
    greedy = run.sample_names(SampleSettings(greedy=True, n=3))
    assert len(set(greedy)) == 1
    assert run.sample_names(SampleSettings(top_k=1, n=3, seed=5)) == greedy
    names = run.sample_names(SampleSettings(n=20, seed=1))
    assert len(names) == 20 and all(len(n) <= 50 and "\n" not in n for n in names)
    assert run.sample_names(SampleSettings(n=20, seed=1)) == names  # seeded
    new_train, new_all = novelty(names, dinos)
    assert 0 <= new_all <= new_train <= 20
    cp = run.checkpoints[-1]
    assert run.sample_names(SampleSettings(n=5, seed=0), cp.params) == list(cp.samples)
    probs = run.next_char_probs("tyrannosauru")
    assert probs.shape == (27,) and probs.sum() == pytest.approx(1.0)
    assert run.hidden_over("rex").shape == (3, 32)


def test_numpy_probes_match_the_training_forward(dinos):
    run = ScratchRun(dinos, ScratchConfig(hidden=20), seed=2)
    run.step(30)
    ids = dinos.encode("allosaurus")
    _, cache = forward(run.params, *name_xy(ids), np.zeros((20, 1)))
    np.testing.assert_allclose(run.next_char_probs("allosaurus"), cache[0][len(ids)][:, 0], rtol=1e-10)
    np.testing.assert_allclose(run.hidden_over("allo"), np.hstack([cache[1][t] for t in range(1, 5)]).T,
                               rtol=1e-10)
