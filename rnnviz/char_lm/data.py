"""Corpora for the character language model: built-in lists, uploads, vocabulary, split.

A corpus is a list of short items (one dinosaur genus, one element name, one line of
an uploaded file). Every item is lower-cased and ends with the newline character,
which the model must learn to predict: ``"\\n"`` is index 0 of every vocabulary and
means "the name is finished".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rnnviz.core.paths import ASSETS
from rnnviz.core.seeding import numpy_generator

NEWLINE = "\n"
BUILTIN: dict[str, str] = {
    # display name -> file in assets/ (one item per line; origins in assets/README.md)
    "Dinosaur genera": "dinosaurs.txt",
    "Chemical elements": "elements.txt",
}

MAX_UPLOAD_BYTES = 200_000  # uploads larger than this are refused (the page trains live)
MIN_ITEMS = 30  # fewer usable lines than this is too little to learn from and hold some out
MAX_ITEM_CHARS = 40  # longer lines of free text are cut at spaces into pieces of at most this length
MAX_VOCAB = 60  # more distinct characters than this (after lower-casing) is refused


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


def clean_items(lines: list[str]) -> list[str]:
    """Lower-case, collapse whitespace, cut long lines at spaces, drop empties and repeats (order kept)."""
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
    """Split free text into pieces of at most ``limit`` characters, at spaces where possible."""
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit + 1)
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
    return tuple(clean_items((ASSETS / BUILTIN[name]).read_text(encoding="utf-8").splitlines()))


def parse_upload(data: bytes, filename: str = "upload.txt") -> list[str]:
    """Validate an uploaded text file and return its items; :class:`CorpusError` says what is wrong."""
    if len(data) == 0 or not data.strip():
        raise CorpusError(f"'{filename}' is empty: upload a text file with one item per line.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise CorpusError(f"'{filename}' is {len(data) / 1000:.0f} kB; the limit is {MAX_UPLOAD_BYTES // 1000} kB "
                          "(the model trains live in your browser session). Upload a shorter list.")
    if b"\x00" in data:
        raise CorpusError(f"'{filename}' looks like a binary file (it contains NUL bytes): upload plain text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise CorpusError(f"'{filename}' is not UTF-8 text (byte {err.start} cannot be decoded): save it as "
                          "UTF-8 and upload again.") from None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    if controls > max(3, len(text) // 100):
        raise CorpusError(f"'{filename}' contains {controls} control characters: it looks binary, not text.")
    items = clean_items(text.splitlines())
    if len(items) < MIN_ITEMS:
        raise CorpusError(f"'{filename}' has only {len(items)} different usable line(s); at least {MIN_ITEMS} "
                          "are needed to learn from and to hold some out.")
    vocab = {c for s in items for c in s}
    if len(vocab) + 1 > MAX_VOCAB:
        raise CorpusError(f"'{filename}' uses {len(vocab)} different characters (after lower-casing); the "
                          f"limit is {MAX_VOCAB - 1}. Remove symbols or use a smaller alphabet.")
    return items


def make_corpus(name: str, items: list[str] | tuple[str, ...], heldout_fraction: float = 0.1,
                split_seed: int = 0) -> Corpus:
    """Shuffle ``items`` with ``split_seed`` and hold out a fraction (at least 3 items) for evaluation."""
    items = list(items)
    if len(items) < 10:
        raise CorpusError(f"The corpus needs at least 10 items; it has {len(items)}.")
    order = numpy_generator(split_seed).permutation(len(items))
    n_held = max(3, int(round(heldout_fraction * len(items))))
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
