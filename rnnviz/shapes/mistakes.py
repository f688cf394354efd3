"""The shape-mistake gallery: common slips, the real PyTorch error each one raises, in plain words.

Each mistake is run on a real module built from the page's settings; the error is
caught and returned, never raised. The silent mistake (sequence and batch axes
swapped with equal sizes) raises nothing at all: :func:`influence` shows what it
breaks (every "sentence result" then depends on every sentence).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import torch
from torch import nn

from rnnviz.shapes.model import SEED_BATCH, SENTENCES, ShapeConfig, build_module, make_input


@dataclass(frozen=True)
class MistakeResult:
    """What happened when the mistaken code ran."""

    title: str  # short name of the mistake
    code: str  # the mistaken line(s), with the current sizes
    raised: bool  # did PyTorch raise?
    error: str  # "RuntimeError: ..." exactly as PyTorch words it ("" if nothing was raised)
    explanation: str  # what went wrong, in plain words
    fix: str  # the corrected line(s)
    result: str = ""  # when nothing was raised: the shapes that came out


def _full(cfg: ShapeConfig) -> ShapeConfig:
    """The gallery runs the full module of the chosen family (RNN for RNNCell, ...)."""
    return replace(cfg, module=cfg.family).normalised()


def _state(cfg: ShapeConfig, *shape: int) -> torch.Tensor | tuple[torch.Tensor, torch.Tensor]:
    """A zero state of this shape (an (h, c) pair for an LSTM; c keeps hidden_size in its last axis)."""
    h = torch.zeros(*shape)
    if cfg.family != "LSTM":
        return h
    return h, torch.zeros(*shape[:-1], cfg.hidden_size)


def _hx(cfg: ShapeConfig) -> str:
    return "(h0, c0)" if cfg.family == "LSTM" else "h0"


def _run(fn: Callable[[], object]) -> tuple[bool, str, object]:
    try:
        return False, "", fn()
    except (RuntimeError, ValueError, IndexError, TypeError) as err:
        return True, f"{type(err).__name__}: {err}", None


def _shapes(out: object) -> str:
    if isinstance(out, torch.Tensor):
        return str(tuple(out.shape))
    if isinstance(out, (tuple, list)):
        return "(" + ", ".join(_shapes(o) for o in out) + ")"
    return repr(out)


MISTAKES: dict[str, str] = {
    "h0_no_layers": "h0 without the layers axis",
    "h0_wrong_batch": "h0 with the wrong batch size",
    "h0_batch_first": "h0 laid out batch-first",
    "input_2d": "2-D input (one time step) to nn.RNN with batch_first=True",
    "input_size": "input_size mismatch",
    "cell_whole_sequence": "the whole sequence given to a cell",
}


@torch.no_grad()
def run_mistake(key: str, cfg: ShapeConfig, seed: int = 0) -> MistakeResult:
    """Run one mistake from :data:`MISTAKES` with the page's sizes and catch what PyTorch says."""
    c = _full(cfg)
    B, I, Ho, LD = c.batch_size, c.input_size, c.h_out, c.num_layers * c.directions
    F, hx = c.family, _hx(c)
    title = MISTAKES[key]
    if key == "cell_whole_sequence":
        cell = build_module(replace(c, module=F + "Cell"), seed)
        x = make_input(replace(c, batch_first=False), seed)  # (T, B, I)
        raised, err, out = _run(lambda: cell(x))
        return MistakeResult(
            title, f"cell = nn.{F}Cell({I}, {c.hidden_size})\nh = cell(x)  # x: {tuple(x.shape)}", raised, err,
            "A cell computes ONE time step: it wants (batch, input_size) for x_t and (batch, hidden_size) for h. "
            "The loop over time is yours to write (or use nn." + F + ", which loops for you).",
            "for x_t in x:  # x_t: " + f"({B}, {I})\n    h = cell(x_t, h)", _shapes(out) if not raised else "")
    module = build_module(c, seed)
    x = make_input(c, seed)  # (T, B, I) or (B, T, I)
    if key == "h0_no_layers":
        raised, err, out = _run(lambda: module(x, _state(c, B, Ho)))
        code, fix = f"h0 = torch.zeros({B}, {Ho})  # (batch, hidden)", f"h0 = torch.zeros({LD}, {B}, {Ho})"
        why = ("A cell's h is (batch, hidden), but nn." + F + " keeps one state per layer and direction, so its "
               f"h0 needs a leading axis of num_layers × directions (= {LD} here), and it must be there even when it is 1.")
    elif key == "h0_wrong_batch":
        raised, err, out = _run(lambda: module(x, _state(c, LD, B + 1, Ho)))
        code, fix = f"h0 = torch.zeros({LD}, {B + 1}, {Ho})  # batch {B + 1}, but x holds {B} sequences", \
            f"h0 = torch.zeros({LD}, x.size({0 if c.batch_first else 1}), {Ho})"
        why = ("Every sequence in the batch needs its own starting state: h0's middle axis must equal the batch "
               f"size of x ({B}). Take it from x instead of typing it (the last batch of an epoch is often smaller).")
    elif key == "h0_batch_first":
        raised, err, out = _run(lambda: module(x, _state(c, B, LD, Ho)))
        code, fix = (f"rnn = nn.{F}(..., batch_first={c.batch_first})\nh0 = torch.zeros({B}, {LD}, {Ho})"
                     "  # batch first, like x?"), f"h0 = torch.zeros({LD}, {B}, {Ho})  # always (layers*dirs, batch, H)"
        why = ("batch_first changes only the input and output tensors. h0 and h_n (and c0, c_n) are ALWAYS "
               "(num_layers × directions, batch, hidden).")
        if not raised:
            why += (f" Here batch ({B}) equals layers × directions ({LD}), so PyTorch cannot tell and the "
                    "run goes through: a silent mistake for these sizes.")
    elif key == "input_2d":
        bf = replace(c, batch_first=True)
        module = build_module(bf, seed)
        x_bf = make_input(bf, seed)  # (B, T, I)
        step = x_bf[:, 0]  # (B, I): every sentence's first token
        raised, err, out = _run(lambda: module(step, _state(c, LD, B, Ho)))
        _r, _e, silent = _run(lambda: module(step))
        code = (f"rnn = nn.{F}({I}, {c.hidden_size}, batch_first=True)\nx_t = x[:, 0]  # ({B}, {I}): one time step\n"
                f"out, h_n = rnn(x_t, {hx})  # {hx}: ({LD}, {B}, {Ho})")
        fix = f"out, h_n = rnn(x_t.unsqueeze(1), {hx})  # ({B}, 1, {I}): batch, seq_len=1, features"
        why = ("A 2-D input is read as ONE unbatched sequence (seq_len, input_size): batch_first does not apply "
               f"to it. PyTorch therefore expects an unbatched 2-D h0. Without h0 there is no error at all: the "
               f"{B} sentences are silently run as one sentence of {B} steps, output {_shapes(silent)}.")
    elif key == "input_size":
        wide = torch.cat([x, torch.zeros(*x.shape[:-1], 1)], dim=-1)  # one feature too many
        raised, err, out = _run(lambda: module(wide))
        code = f"rnn = nn.{F}(input_size={I}, ...)\nout, h_n = rnn(x)  # x: {tuple(wide.shape)}"
        fix = f"rnn = nn.{F}(input_size={I + 1}, ...)  # = x.size(-1), the numbers per token"
        why = ("input_size is the length of ONE token's vector (the last axis of x), not the sequence length "
               "or the batch size. Here each token has one number more than the module was built for.")
    else:
        raise ValueError(f"unknown mistake {key!r}")
    return MistakeResult(title, code, raised, err, why, fix, _shapes(out) if not raised else "")


# ----------------------------------------------------------------------------- the silent mistake
SWAP_N = 3  # the first three seed sentences, three tokens each: batch = seq_len = 3


def swap_data() -> tuple[torch.Tensor, list[str]]:
    """The seed's first three sentences as a batch-first tensor (B=3, T=3, I=4) and their texts."""
    x = torch.tensor(SEED_BATCH[:, :SWAP_N], dtype=torch.float32)  # (T=3, B=3, I=4)
    return x.transpose(0, 1).contiguous(), list(SENTENCES[:SWAP_N])  # (B, T, I)


def swap_demo(hidden_size: int = 2, seed: int = 0) -> dict[str, object]:
    """Batch-first data fed to an RNN built WITHOUT batch_first, with batch == seq_len: no error.

    Returns the output shapes of the right and the wrong call, the max |difference| of
    their results per sentence, and both influence matrices.
    """
    x, texts = swap_data()  # (B, T, I)
    rnn = build_module(ShapeConfig(module="RNN", input_size=x.shape[-1], hidden_size=hidden_size), seed)
    with torch.no_grad():
        right_out, right_h = rnn(x.transpose(0, 1))  # told the truth: (T, B, I)
        wrong_out, wrong_h = rnn(x)  # (B, T, I) read as (T, B, I)
    return {
        "texts": texts,
        "right_shapes": (tuple(right_out.shape), tuple(right_h.shape)),
        "wrong_shapes": (tuple(wrong_out.shape), tuple(wrong_h.shape)),
        "max_diff": float((right_h - wrong_h).abs().max()),
        "right_influence": influence(rnn, x, swapped=False),
        "wrong_influence": influence(rnn, x, swapped=True),
    }


def influence(rnn: nn.Module, x: torch.Tensor, swapped: bool) -> torch.Tensor:
    """(B, B) matrix: how strongly sentence j's tokens move the final state reported for sentence i.

    Entry (i, j) = Frobenius norm of d h_n[:, i] / d x[j]. A correct call gives a diagonal
    matrix (each sentence's result depends on that sentence only).
    """
    def result(inp: torch.Tensor) -> torch.Tensor:
        seq_major = inp if swapped else inp.transpose(0, 1)  # the tensor handed to the RNN
        return rnn(seq_major)[1][-1]  # (B, H): "sentence i's" final state

    jac = torch.autograd.functional.jacobian(result, x)  # (B, H, B, T, I)
    return jac.pow(2).sum(dim=(1, 3, 4)).sqrt()  # (B, B)
