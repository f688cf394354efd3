"""Corpora for the character language model: built-in lists, uploads, vocabulary, split.

A corpus is a list of short items (one dinosaur genus, one element name, one couplet of
a Tang poem, one line of an uploaded file). Every item is lower-cased and ends with the
newline character, which the model must learn to predict: ``"\\n"`` is index 0 of every
vocabulary and means "the name is finished".

Uploads: UTF-8 (with or without a byte-order mark) or UTF-16 with its byte-order mark;
the size limit is the server's upload limit (``server.maxUploadSize`` in
``.streamlit/config.toml``), which the page passes in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rnnviz.core.paths import ASSETS
from rnnviz.core.seeding import numpy_generator

NEWLINE = "\n"
TANG = "Tang poems (Chinese)"
BUILTIN: dict[str, str] = {
    # display name -> file in assets/ (origins in assets/README.md)
    "Dinosaur genera": "dinosaurs.txt",  # one item per line
    "Chemical elements": "elements.txt",  # one item per line
    TANG: "tang_poems.txt",  # one poem per line: poet <TAB> title <TAB> text; items are its couplets
}

MAX_UPLOAD_MB = 1  # the default of server.maxUploadSize in .streamlit/config.toml (the page passes the live value)
MIN_ITEMS = 30  # fewer usable lines than this is too little to learn from and hold some out
MAX_ITEM_CHARS = 40  # longer lines of free text are cut (at spaces or punctuation) into pieces of at most this
MAX_VOCAB = 3000  # more distinct characters than this (after lower-casing) is refused: a few thousand hanzi fit
SENTENCE_END = "。！？；"  # a Chinese sentence (a couplet of a poem) ends after one of these
CUT_AFTER = " ，、。！？；：,;."  # free text is cut after one of these where possible


class CorpusError(ValueError):
    """A corpus that cannot be used; the message is written for the learner."""


@dataclass(frozen=True)
class Corpus:
    """A corpus ready for training: items, vocabulary and the held-out split."""

    name: str  # display name ("Dinosaur genera", or the uploaded file's name)
    train: tuple[str, ...]  # items the model learns from (lower case, no newline)
    heldout: tuple[str, ...]  # items never trained on: the honest per-character loss
    chars: tuple[str, ...]  # vocabulary; chars[0] is "\n" (end of item), the rest sorted

    @property
    def vocab_size(self) -> int:
        return len(self.chars)

    @property
    def char_to_ix(self) -> dict[str, int]:
        return {c: i for i, c in enumerate(self.chars)}

    def encode(self, text: str) -> list[int]:
        """Character indices of ``text``; raises :class:`CorpusError` naming any unknown character."""
        table = self.char_to_ix
        unknown = sorted({c for c in text if c not in table})
        if unknown:
            shown = ", ".join(repr(c) for c in unknown)
            raise CorpusError(f"The model has never seen the character(s) {shown}: use only characters "
                              f"of this corpus ({self.alphabet()}).")
        return [table[c] for c in text]

    def decode(self, ids: list[int] | np.ndarray) -> str:
        return "".join(self.chars[int(i)] for i in ids)

    def alphabet(self) -> str:
        return "".join(c if c != " " else "␣" for c in self.chars[1:])

    def stats(self) -> dict[str, float]:
        lengths = [len(s) for s in self.train + self.heldout]
        return {"items": len(lengths), "train": len(self.train), "heldout": len(self.heldout),
                "vocab": self.vocab_size, "mean_length": float(np.mean(lengths)),
                "train_chars": sum(len(s) + 1 for s in self.train)}


def upload_limit_bytes(megabytes: int = MAX_UPLOAD_MB) -> int:
    """The upload limit in bytes, as Streamlit counts a megabyte (2^20 bytes)."""
    return int(megabytes) * 1024 * 1024


def clean_items(lines: list[str]) -> list[str]:
    """Lower-case, collapse whitespace, cut long lines, drop empties and repeats (order kept)."""
    out: list[str] = []
    seen: set[str] = set()
    for raw in lines:
        text = re.sub(r"\s+", " ", raw.replace("\t", " ")).strip().lower()
        for piece in _cut(text, MAX_ITEM_CHARS):
            if piece and piece not in seen:
                seen.add(piece)
                out.append(piece)
    return out


def _cut(text: str, limit: int) -> list[str]:
    """Split free text into pieces of at most ``limit`` characters, after a space or punctuation where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind(c, 0, limit) + 1 for c in CUT_AFTER)  # just after the mark (0: none found)
        if text[limit] == " ":
            cut = limit
        cut = cut if cut > 0 else limit
        pieces.append(text[:cut].strip())
        text = text[cut:].strip()
    pieces.append(text)
    return pieces


@lru_cache(maxsize=4)
def builtin_items(name: str) -> tuple[str, ...]:
    """The cleaned items of a built-in corpus (read-only, cached)."""
    if name not in BUILTIN:
        raise CorpusError(f"Unknown corpus {name!r}; choose one of {sorted(BUILTIN)}.")
    lines = (ASSETS / BUILTIN[name]).read_text(encoding="utf-8").splitlines()
    if name == TANG:
        return tuple(clean_items([c for _, _, text in poems(lines) for c in couplets(text)]))
    return tuple(clean_items(lines))


def poems(lines: list[str]) -> list[tuple[str, str, str]]:
    """``(poet, title, text)`` of every poem line (``poet<TAB>title<TAB>text``); ``#`` lines are comments."""
    rows = [line.split("\t") for line in lines if line.strip() and not line.startswith("#")]
    return [(r[0].strip(), r[1].strip(), r[2].strip()) for r in rows if len(r) == 3]


def couplets(text: str) -> list[str]:
    """A poem cut after every sentence end (。！？；): ``"床前明月光，疑是地上霜。"`` and so on."""
    return [m for m in re.findall(f"[^{SENTENCE_END}]+[{SENTENCE_END}]?", text) if m.strip()]


def decode_text(data: bytes, filename: str) -> str:
    """Bytes of an uploaded text file as a string: UTF-8 (BOM optional) or UTF-16 (BOM, or ASCII-like zeros)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or _looks_utf16(data):
        encoding = "utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else (
            "utf-16-le" if data[1::2].count(0) > data[0::2].count(0) else "utf-16-be")
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            raise CorpusError(f"'{filename}' looks like UTF-16 text but cannot be decoded: re-save it as UTF-8 "
                              "and upload again.") from None
    if b"\x00" in data:
        raise CorpusError(f"'{filename}' looks like a binary file (it contains NUL bytes): upload plain text "
                          "(if it is text saved as UTF-16 or UTF-32, re-save it as UTF-8).")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(f"'{filename}' is not UTF-8 text (byte {err.start} cannot be decoded): re-save it as "
                          "UTF-8 and upload again.") from None


def _looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte-order mark: the zero bytes (of ASCII characters, the newline at least) all sit
    at every other position, and the bytes decode that way to lines of text with no control characters.

    Chinese text in UTF-16 has zero bytes only in its newlines and ASCII digits or letters, so the count of
    zeros says little; a clean decode in the direction the zeros point to says a lot."""
    if len(data) < 4 or len(data) % 2:
        return False
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) == 0 or 10 * min(even, odd) > max(even, odd):  # (a hanzi such as 一, U+4E00, has one too)
        return False
    try:
        text = data.decode("utf-16-le" if odd > even else "utf-16-be")
    except UnicodeDecodeError:
        return False
    # a list file has line breaks; bytes that only happen to have zeros in one column decode without any
    return "\n" in text and not any(ord(c) < 32 and c not in "\n\r\t" for c in text)


def parse_upload(data: bytes, filename: str = "upload.txt", max_bytes: int | None = None) -> list[str]:
    """Validate an uploaded text file and return its items; :class:`CorpusError` says what is wrong.

    ``max_bytes``: the upload limit (default: :data:`MAX_UPLOAD_MB`)."""
    limit = upload_limit_bytes() if max_bytes is None else int(max_bytes)
    if len(data) == 0 or not data.strip(b" \t\r\n\x00\xff\xfe\xef\xbb\xbf"):
        raise CorpusError(f"'{filename}' is empty: upload a text file with one item per line.")
    if len(data) > limit:
        raise CorpusError(f"'{filename}' is {_size(len(data))}; the limit is {_size(limit)} (the model trains live "
                          "in your browser session). Upload a shorter list.")
    text = decode_text(data, filename)
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    if controls > max(3, len(text) // 100):
        raise CorpusError(f"'{filename}' contains {controls} control characters: it looks binary, not text.")
    items = clean_items(text.splitlines())
    if len(items) < MIN_ITEMS:
        raise CorpusError(f"'{filename}' has only {len(items)} different usable line(s); at least {MIN_ITEMS} "
                          "are needed to learn from and to hold some out.")
    vocab = {c for s in items for c in s}
    if len(vocab) + 1 > MAX_VOCAB:
        raise CorpusError(f"'{filename}' uses {len(vocab):,} different characters (after lower-casing); the "
                          f"limit is {MAX_VOCAB - 1:,}. Remove symbols or use a smaller alphabet.")
    return items


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.0f} kB"


def make_corpus(name: str, items: list[str] | tuple[str, ...], heldout_fraction: float = 0.1,
                split_seed: int = 0) -> Corpus:
    """Shuffle ``items`` with ``split_seed`` and hold out a fraction (at least 3 items) for evaluation."""
    items = list(items)
    if len(items) < 10:
        raise CorpusError(f"The corpus needs at least 10 items; it has {len(items)}.")
    order = numpy_generator(split_seed).permutation(len(items))
    n_held = max(3, round(heldout_fraction * len(items)))
    heldout = tuple(items[i] for i in order[:n_held])
    train = tuple(items[i] for i in order[n_held:])
    chars = (NEWLINE,) + tuple(sorted({c for s in items for c in s}))
    return Corpus(name=name, train=train, heldout=heldout, chars=chars)


def builtin_corpus(name: str = "Dinosaur genera", heldout_fraction: float = 0.1, split_seed: int = 0) -> Corpus:
    return make_corpus(name, builtin_items(name), heldout_fraction, split_seed)


def novelty(samples: list[str], corpus: Corpus) -> tuple[int, int]:
    """How many samples are new: ``(not in the training items, not in any item of the corpus)``."""
    train = set(corpus.train)
    everything = train | set(corpus.heldout)
    return sum(s not in train for s in samples), sum(s not in everything for s in samples)
