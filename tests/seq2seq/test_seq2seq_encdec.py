"""Part 2 of the seq2seq page: the encoder-decoder on the seed's word pairs (seed 003, section 7)."""

import re
import subprocess
import sys

import pytest
import torch

from rnnviz.seq2seq.code import CodeConfig, snippet
from rnnviz.seq2seq.encdec import (
    SEED_PAIRS,
    EncDecConfig,
    EncDecRun,
    Seq2Seq,
    build_vocabulary,
    check_word,
    encoder_symbols,
    greedy_decode,
    make_data,
    max_length,
    pairs_to_text,
    parse_pairs,
    seed_way_decode,
)
from rnnviz.seq2seq.encdec_figures import comparison_figure, curve_record


def test_vocabulary_and_data_are_the_seeds():
    vocab = build_vocabulary(SEED_PAIRS)
    assert "".join(vocab) == "SE?abcdefghijklmnopqrstuvwxyz"
    assert max_length(SEED_PAIRS) == 5
    assert encoder_symbols("man", 5) == "man??E"
    enc, dec_in, dec_out = make_data(SEED_PAIRS, vocab, 5)
    assert enc.shape == dec_in.shape == dec_out.shape == (6, 6)  # (n_step + 1, pairs)
    read = lambda col: "".join(vocab[i] for i in col.tolist())  # noqa: E731
    assert (read(enc[:, 0]), read(dec_in[:, 0]), read(dec_out[:, 0])) == ("man??E", "Swomen", "womenE")
    assert (read(enc[:, 3]), read(dec_in[:, 3]), read(dec_out[:, 3])) == ("girl?E", "Sboy??", "boy??E")


def test_parse_pairs_accepts_several_separators_and_round_trips():
    assert parse_pairs(pairs_to_text(SEED_PAIRS)) == SEED_PAIRS
    assert parse_pairs("man -> women\n\n black, white \nking queen") == (("man", "women"), ("black", "white"),
                                                                         ("king", "queen"))


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("man", "exactly two words"),
    ("a-b-c", "exactly two words"),
    ("Sun-moon", "reserved"),
    ("man-women\nman-woman", "appears twice"),
    ("abcdefghijklm-x", "longer than 12"),
    ("\n".join(f"w{i}-v{i}" for i in range(21)), "at most 20"),
])
def test_bad_pair_lists_give_plain_messages(text, message):
    with pytest.raises(ValueError, match=message):
        parse_pairs(text)


@pytest.mark.parametrize("word, message", [
    ("King", "'K' is not in the vocabulary"),
    ("m4n!", "'!', '4' are not in the vocabulary"),
    ("blacks", "longest training word has 5"),
    ("m?n", "reserved"),
    ("", "Type a word"),
])
def test_translate_rejects_bad_words_with_a_clear_message(word, message):
    vocab = build_vocabulary(SEED_PAIRS)
    with pytest.raises(ValueError, match=re.escape(message)):
        check_word(word, vocab, 5)
    run = EncDecRun(seed=0)
    with pytest.raises(ValueError, match=re.escape(message)):
        greedy_decode(run.model, word, run.vocab, run.n_step)


def test_full_teacher_forcing_equals_the_seeds_single_decoder_call():
    torch.manual_seed(0)
    model = Seq2Seq(29, 16)
    vocab = build_vocabulary(SEED_PAIRS)
    enc, dec_in, _ = make_data(SEED_PAIRS, vocab, 5)
    logits, _ = model(enc, dec_in, teacher_forcing=1.0)
    _, h = model.encoder(model.lookup[enc])
    out, _ = model.decoder(model.lookup[dec_in], h)  # the seed: all decoder inputs in one call
    torch.testing.assert_close(logits, model.fc(out))


def test_greedy_decoding_feeds_back_its_own_output():
    run = EncDecRun(seed=1)
    run.step(60)
    trace = greedy_decode(run.model, "mans", run.vocab, run.n_step)
    assert trace.inputs[0] == "S"
    assert trace.inputs[1:] == trace.outputs[:-1]
    seed_way = seed_way_decode(run.model, "mans", run.vocab, run.n_step)
    assert seed_way.inputs == list("S?????")
    assert trace.probs.shape[1] == len(run.vocab) and trace.context.shape == (128,)


@pytest.mark.parametrize("ratio, bound", [(1.0, 220), (0.5, 280), (0.0, 300)])
def test_translates_every_pair_within_stated_steps(ratio, bound):
    """Seed 0, hidden 128, Adam 0.001, full batch: measured 167 / 198 / 225 steps."""
    run = EncDecRun(EncDecConfig(teacher_forcing=ratio), seed=0)
    while run.step_count < bound:
        if run.step(1)["pairs_right"] == len(SEED_PAIRS):
            break
    assert run.history[-1]["pairs_right"] == 6, run.step_count
    assert all(row["right"] for row in run.translations())
    assert run.history[-1]["loss"] < 0.25


def test_comparison_figure_draws_kept_curves_dashed():
    run = EncDecRun(EncDecConfig(hidden_size=16), seed=0)
    run.step(3)
    fig = comparison_figure(curve_record(run), "now", {"old": curve_record(run)}, "pairs_right", n_pairs=6)
    assert [t.line.dash for t in fig.data] == ["dash", "solid"]
    assert list(fig.layout.yaxis.range) == [-0.3, 6.3]


def test_show_code_snippet_reproduces_the_run(root):
    config = EncDecConfig(hidden_size=32, lr=0.01, teacher_forcing=0.5)
    run = EncDecRun(config, seed=4)
    run.step(120)
    out = subprocess.run([sys.executable, "-c", snippet(CodeConfig(4, encdec=config, steps=120, every=40))], capture_output=True,
                         text=True, timeout=120, cwd=root)
    assert out.returncode == 0, out.stderr
    losses = [float(v) for v in re.findall(r"step \d+ loss ([\d.]+)", out.stdout)]
    assert losses == pytest.approx([run.history[k]["loss"] for k in (39, 79, 119)], abs=2e-6)
    printed = dict(re.findall(r"^(\w+) -> (\w*)$", out.stdout, flags=re.M))
    assert printed == {row["source"]: row["translation"] for row in run.translations()}
