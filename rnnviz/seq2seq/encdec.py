"""Encoder-decoder on word pairs (seed 003, section 7): man -> women, black -> white, ...

Symbols (the seed's): ``S`` starts the decoder input, ``E`` ends a sequence, ``?`` pads a
word to the longest length ``n_step``. For the pair (man, women) with ``n_step = 5``:

    encoder input   m a n ? ? E        (word padded, then E)
    decoder input   S w o m e n        (teacher forcing: the true previous character)
    decoder target  w o m e n E

Model: one-hot -> encoder ``nn.RNN``; its final hidden state (the *context*) is the
decoder's h_0; decoder ``nn.RNN`` -> ``nn.Linear`` to the vocabulary.

    context = h_T^enc,   s_0 = context,   s_t = tanh(W_ih y_{t-1} + W_hh s_{t-1} + b),   p_t = softmax(W s_t + c)

Training feeds the decoder the true previous character with probability
``teacher_forcing`` (per pair and step, from a seeded generator), else its own
previous prediction. Translation decodes greedily, feeding back each prediction.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from rnnviz.core.seeding import seeded, torch_generator
from rnnviz.core.torch_run import TorchRun

START, END, PAD = "S", "E", "?"
SPECIALS: tuple[str, ...] = (START, END, PAD)
SEED_PAIRS: tuple[tuple[str, str], ...] = (
    ("man", "women"), ("black", "white"), ("king", "queen"), ("girl", "boy"), ("up", "down"), ("high", "low"),
)
MAX_PAIRS = 20  # most pairs the page accepts
MAX_WORD = 12  # longest word the page accepts


@dataclass(frozen=True)
class EncDecConfig:
    """Data, architecture and training settings of Part 2 (defaults: the seed's, full batch)."""

    pairs: tuple[tuple[str, str], ...] = SEED_PAIRS  # (source word, target word)
    hidden_size: int = 128  # hidden units of encoder and decoder (seed: 128)
    lr: float = 0.001  # Adam learning rate (seed: 0.001); live
    teacher_forcing: float = 1.0  # probability of feeding the true previous character while training


def pairs_to_text(pairs: tuple[tuple[str, str], ...]) -> str:
    return "\n".join(f"{a}-{b}" for a, b in pairs)


def parse_pairs(text: str) -> tuple[tuple[str, str], ...]:
    """``"man-women"`` lines (``-``, ``->``, ``,`` or spaces between) -> pairs; ``ValueError`` if bad."""
    pairs: list[tuple[str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"\s*(?:->|[-,;:\s])\s*", line) if p]
        if len(parts) != 2:
            raise ValueError(f"Line {number} ('{line}') needs exactly two words, like 'man-women'.")
        for word in parts:
            reserved = sorted(set(word) & set(SPECIALS))
            if reserved:
                raise ValueError(f"Line {number}: '{word}' uses {', '.join(reserved)}; S, E and ? are reserved "
                                 "(start, end and padding symbols). Use lower-case letters.")
            if len(word) > MAX_WORD:
                raise ValueError(f"Line {number}: '{word}' is longer than {MAX_WORD} characters.")
            if not word.isprintable():
                raise ValueError(f"Line {number}: '{word}' has a non-printable character.")
        pairs.append((parts[0], parts[1]))
    if not pairs:
        raise ValueError("The list of pairs is empty: type at least one pair, like 'man-women'.")
    if len(pairs) > MAX_PAIRS:
        raise ValueError(f"Use at most {MAX_PAIRS} pairs (there are {len(pairs)}).")
    sources = [a for a, _ in pairs]
    twice = sorted({a for a in sources if sources.count(a) > 1})
    if twice:
        raise ValueError(f"'{twice[0]}' appears twice as a source word: each word needs one translation.")
    return tuple(pairs)


def build_vocabulary(pairs: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """``S E ?`` then a-z (the seed's 29 symbols) plus any other character the pairs use."""
    chars = set(string.ascii_lowercase) | {c for pair in pairs for w in pair for c in w}
    return SPECIALS + tuple(sorted(chars))


def max_length(pairs: tuple[tuple[str, str], ...]) -> int:
    """n_step: the longest word of all pairs."""
    return max(len(w) for pair in pairs for w in pair)


def _ids(symbols: str, vocab: tuple[str, ...]) -> list[int]:
    return [vocab.index(c) for c in symbols]


def encoder_symbols(word: str, n_step: int) -> str:
    return word + PAD * (n_step - len(word)) + END  # 'man??E'


def make_data(pairs: tuple[tuple[str, str], ...], vocab: tuple[str, ...], n_step: int
              ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Index tensors, time first: encoder input (n_step+1, B), decoder input and target (n_step+1, B)."""
    enc = [_ids(encoder_symbols(a, n_step), vocab) for a, _ in pairs]
    dec_in = [_ids(START + b + PAD * (n_step - len(b)), vocab) for _, b in pairs]
    dec_out = [_ids(b + PAD * (n_step - len(b)) + END, vocab) for _, b in pairs]
    as_t = lambda rows: torch.tensor(rows, dtype=torch.long).T  # (B, L) -> (L, B)  # noqa: E731
    return as_t(enc), as_t(dec_in), as_t(dec_out)


class Seq2Seq(nn.Module):
    """Encoder nn.RNN, decoder nn.RNN started from the encoder's final state, Linear to the vocabulary."""

    def __init__(self, vocab_size: int, hidden_size: int = 128) -> None:
        super().__init__()
        self.register_buffer("lookup", torch.eye(vocab_size))  # (V, V) one-hot rows
        self.encoder = nn.RNN(vocab_size, hidden_size)
        self.decoder = nn.RNN(vocab_size, hidden_size)
        self.fc = nn.Linear(hidden_size, vocab_size)

    def encode(self, enc_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """enc_ids (T, B) -> (encoder outputs (T, B, H), context h_T (1, B, H))."""
        return self.encoder(self.lookup[enc_ids])  # lookup: (T, B, V)

    def decode_step(self, in_ids: torch.Tensor, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One decoder step: in_ids (B,), h (1, B, H) -> (logits (B, V), new h (1, B, H))."""
        out, h = self.decoder(self.lookup[in_ids].unsqueeze(0), h)  # out: (1, B, H)
        return self.fc(out[0]), h  # (B, V)

    def forward(self, enc_ids: torch.Tensor, dec_in: torch.Tensor, teacher_forcing: float = 1.0,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Decoder logits (L, B, V) and final decoder state (1, B, H).

        At step t > 0 each pair's input is the true previous character (``dec_in[t]``) with
        probability ``teacher_forcing``, else the argmax of the previous step's logits (coin
        flips drawn from ``generator`` only when 0 < teacher_forcing < 1).
        """
        _, h = self.encode(enc_ids)
        x_t = dec_in[0]  # (B,) all S
        logits = []
        for t in range(dec_in.shape[0]):
            lg, h = self.decode_step(x_t, h)
            logits.append(lg)
            if t + 1 == dec_in.shape[0]:
                break
            if teacher_forcing >= 1.0:
                x_t = dec_in[t + 1]  # the true previous character
            elif teacher_forcing <= 0.0:
                x_t = lg.detach().argmax(-1)  # the model's own previous prediction
            else:
                teacher = torch.rand(dec_in.shape[1], generator=generator) < teacher_forcing  # (B,) coin flips
                x_t = torch.where(teacher, dec_in[t + 1], lg.detach().argmax(-1))
        return torch.stack(logits), h  # (L, B, V), (1, B, H)


def strip_output(symbols: list[str]) -> str:
    """The seed's reading of decoder output: everything before the first E, without padding."""
    if END in symbols:
        symbols = symbols[:symbols.index(END)]
    return "".join(symbols).replace(PAD, "")


class EncDecRun(TorchRun):
    """Full-batch training on all pairs; each step also measures free-running (greedy) quality."""

    def __init__(self, config: EncDecConfig = EncDecConfig(), seed: int = 0) -> None:
        super().__init__(seed)
        if not config.pairs:
            raise ValueError("Give at least one pair.")
        self.config = config
        self.vocab = build_vocabulary(config.pairs)
        self.n_step = max_length(config.pairs)
        self.enc, self.dec_in, self.dec_out = make_data(config.pairs, self.vocab, self.n_step)
        self.model = seeded(seed, lambda: Seq2Seq(len(self.vocab), config.hidden_size))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.generator = torch_generator(seed)  # teacher-forcing coin flips

    def set_live(self, lr: float) -> None:
        self.set_learning_rate(lr)

    def _train_step(self) -> dict[str, float]:
        self.optimizer.zero_grad()
        logits, _ = self.model(self.enc, self.dec_in, self.config.teacher_forcing, self.generator)
        V = logits.shape[-1]
        loss = F.cross_entropy(logits.reshape(-1, V), self.dec_out.reshape(-1))  # (L*B, V) vs (L*B,)
        loss.backward()
        self.optimizer.step()
        free_loss, right = self.free_running()
        return {"loss": float(loss.detach()), "free_loss": free_loss, "pairs_right": float(sum(right))}

    @torch.no_grad()
    def free_running(self) -> tuple[float, list[bool]]:
        """Greedy decoding of every pair (teacher forcing 0): its loss and which pairs come out right."""
        logits, _ = self.model(self.enc, self.dec_in, teacher_forcing=0.0)
        V = logits.shape[-1]
        loss = float(F.cross_entropy(logits.reshape(-1, V), self.dec_out.reshape(-1)))  # (L*B, V)
        ids = logits.argmax(-1).T.tolist()  # (B, L)
        right = [strip_output([self.vocab[i] for i in row]) == b for row, (_, b) in zip(ids, self.config.pairs)]
        return loss, right

    def check_word(self, word: str) -> None:
        check_word(word, self.vocab, self.n_step)

    def translations(self) -> list[dict[str, object]]:
        """Every pair: its greedy translation and the seed's (padding-fed) translation, right or not."""
        rows = []
        for a, b in self.config.pairs:
            greedy = greedy_decode(self.model, a, self.vocab, self.n_step).translation
            seedway = seed_way_decode(self.model, a, self.vocab, self.n_step).translation
            rows.append({"source": a, "target": b, "translation": greedy, "right": greedy == b,
                         "seed's way (fed ?)": seedway, "seed's way right": seedway == b})
        return rows


def check_word(word: str, vocab: tuple[str, ...], n_step: int) -> None:
    """Raise ``ValueError`` with a plain message if ``word`` cannot be translated."""
    if not word:
        raise ValueError("Type a word to translate.")
    reserved = sorted(set(word) & set(SPECIALS))
    if reserved:
        raise ValueError(f"'{word}' uses {', '.join(reserved)}: S, E and ? are reserved symbols "
                         "(start, end, padding), not letters.")
    unknown = sorted({c for c in word if c not in vocab})
    if unknown:
        shown = ", ".join(f"'{c}'" for c in unknown)
        one = len(unknown) == 1
        raise ValueError(f"{shown} {'is' if one else 'are'} not in the vocabulary ({' '.join(vocab[3:])}); "
                         f"the model has no input for {'it' if one else 'them'}.")
    if len(word) > n_step:
        raise ValueError(f"'{word}' has {len(word)} characters; the longest training word has {n_step}, "
                         f"so the encoder input is {n_step} characters plus E. Use a shorter word.")


@dataclass(frozen=True)
class DecodeTrace:
    """Everything one translation computed, step by step."""

    word: str  # the source word
    context: np.ndarray  # (H,) the encoder's final hidden state = decoder's h_0
    inputs: list[str]  # decoder input symbol at each step
    hidden: np.ndarray  # (L, H) decoder hidden state after each step
    probs: np.ndarray  # (L, V) softmax over the vocabulary at each step
    outputs: list[str]  # argmax symbol at each step
    translation: str  # outputs before the first E, padding removed


def _encode_word(model: Seq2Seq, word: str, vocab: tuple[str, ...], n_step: int) -> tuple[torch.Tensor, np.ndarray]:
    """Check and encode one word: the encoder's final state h (1, 1, H) and a copy of it, the context (H,)."""
    check_word(word, vocab, n_step)
    enc = torch.tensor(_ids(encoder_symbols(word, n_step), vocab)).unsqueeze(1)  # (T, B=1)
    _, h = model.encode(enc)  # (1, 1, H)
    return h, h[0, 0].numpy().copy()


@torch.no_grad()
def greedy_decode(model: Seq2Seq, word: str, vocab: tuple[str, ...], n_step: int) -> DecodeTrace:
    """Autoregressive decoding: start from S, feed back each predicted symbol, stop after E."""
    h, context = _encode_word(model, word, vocab, n_step)
    x_t = torch.tensor([vocab.index(START)])  # (B=1,)
    inputs, hidden, probs, outputs = [], [], [], []
    for _ in range(n_step + 1):
        logits, h = model.decode_step(x_t, h)  # (1, V)
        inputs.append(vocab[int(x_t[0])])
        hidden.append(h[0, 0].numpy().copy())
        probs.append(torch.softmax(logits[0], -1).numpy())
        x_t = logits.argmax(-1)  # (1,) fed back at the next step
        outputs.append(vocab[int(x_t[0])])
        if outputs[-1] == END:
            break
    return DecodeTrace(word, context, inputs, np.array(hidden), np.array(probs), outputs, strip_output(outputs))


@torch.no_grad()
def seed_way_decode(model: Seq2Seq, word: str, vocab: tuple[str, ...], n_step: int) -> DecodeTrace:
    """The seed's test: decoder input 'S' followed by padding only, all steps in one call."""
    h, context = _encode_word(model, word, vocab, n_step)
    symbols = START + PAD * n_step
    dec_in = torch.tensor(_ids(symbols, vocab)).unsqueeze(1)  # (L, B=1)
    out, _ = model.decoder(model.lookup[dec_in], h)  # (L, 1, H)
    logits = model.fc(out[:, 0])  # (L, V)
    outputs = [vocab[i] for i in logits.argmax(-1).tolist()]
    return DecodeTrace(word, context, list(symbols), out[:, 0].numpy().copy(),
                       torch.softmax(logits, -1).numpy(), outputs, strip_output(outputs))
