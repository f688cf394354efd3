"""The learning path: every page of the app, in teaching order.

``app.py`` builds the navigation from this list and the Home page draws one card
per entry, so adding a page means adding its script under ``app_pages/`` and one
entry here. Pure data: no Streamlit import.
"""

from __future__ import annotations

from dataclasses import dataclass

from rnnviz.core.paths import ROOT


@dataclass(frozen=True)
class PageInfo:
    """One page of the app."""

    file: str  # script path relative to the project root
    title: str  # navigation and card title
    icon: str  # material icon for navigation and card
    section: str  # navigation section: Foundations / Models / Training
    blurb: str  # one line: what the learner will see
    seeds: str = ""  # which seed notes it follows


HOME = PageInfo("app_pages/home.py", "Home", ":material/home:", "", "The learning path.")

PAGES: tuple[PageInfo, ...] = (
    PageInfo(
        "app_pages/srn.py",
        "Simple recurrent network",
        ":material/hub:",
        "Foundations",
        "A 2-2-2 RNN with every weight set by hand: edit weights, step through time, "
        "compare NumPy with nn.RNNCell and nn.RNN, then train it live.",
        "003 s1-3, 000 s1.3",
    ),
    PageInfo(
        "app_pages/shapes.py",
        "Tensor shapes and batch_first",
        ":material/view_in_ar:",
        "Foundations",
        "Which axis is time and which is batch: the real shapes of input, output, h_n "
        "for every module, and the mistakes that crash or silently mislead.",
        "000 s3",
    ),
    PageInfo(
        "app_pages/seq2seq.py",
        "Sequence to sequence",
        ":material/swap_horiz:",
        "Models",
        "hello -> ohlol trained live in three variants, then an encoder-decoder "
        "translating word pairs step by step.",
        "000 examples, 003 s6-7",
    ),
    PageInfo(
        "app_pages/gated.py",
        "RNN vs LSTM vs GRU",
        ":material/compare_arrows:",
        "Models",
        "Three cell types trained side by side on digits and a long-memory task: "
        "see the vanishing gradient and the gates that fix it.",
        "000 exercises, 001",
    ),
    PageInfo(
        "app_pages/char_lm.py",
        "Character language model",
        ":material/text_fields:",
        "Models",
        "Dinosaur names learned one character at a time: samples improve live, "
        "next-character probabilities, hidden units over text.",
        "003 s5",
    ),
    PageInfo(
        "app_pages/training_basics.py",
        "Training loop basics",
        ":material/model_training:",
        "Training",
        "Fit sin(x) with a cubic three ways (hand-written gradients, autograd, nn.Linear + optimizer): "
        "the five moves of every training loop, losses and optimizers made visible.",
        "002",
    ),
    PageInfo(
        "app_pages/binary_addition.py",
        "Binary addition",
        ":material/add_circle:",
        "Training",
        "An RNN learns to add two numbers bit by bit with hand-written backpropagation through time, "
        "and invents a carry you can watch.",
        "003 s4",
    ),
)


def existing_pages() -> list[PageInfo]:
    """The catalogue entries whose script is present (so a missing page never breaks the app)."""
    return [p for p in PAGES if (ROOT / p.file).exists()]


def sections() -> dict[str, list[PageInfo]]:
    """Existing pages grouped by section, in teaching order."""
    out: dict[str, list[PageInfo]] = {}
    for p in existing_pages():
        out.setdefault(p.section, []).append(p)
    return out
