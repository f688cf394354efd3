"""How the PyTorch engine's default dropout was chosen: held-out loss over training, per dropout.

For each dropout (0, 0.2, 0.5) and the page's other defaults (GRU 96, embedding 24, batches
of 32, Adam 0.01, clip 1) on the dinosaur names, trains for ``--steps`` steps (default 3,000)
and prints the step of the lowest held-out loss, that loss, the held-out loss at the end and
their ratio (end / best: 1.00 means no overfitting; the page's notice fires above 1.03).
Run from the project root: ``python bench/char_lm_dropout.py`` (a few minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnnviz.char_lm.data import builtin_corpus  # noqa: E402
from rnnviz.char_lm.run import TorchCharRun  # noqa: E402
from rnnviz.char_lm.torch_engine import TorchConfig  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    corpus = builtin_corpus("Dinosaur genera")
    print(f"{'dropout':>8} {'best step':>10} {'best held-out':>14} {'end held-out':>13} {'end / best':>11}")
    for dropout in (0.0, 0.2, 0.5):
        run = TorchCharRun(corpus, TorchConfig(dropout=dropout), seed=args.seed)
        run.step(args.steps)
        held = [(m["heldout"], int(m["step"])) for m in run.history if "heldout" in m]
        best, at = min(held)
        end = held[-1][0]
        print(f"{dropout:>8.1f} {at:>10,} {best:>14.3f} {end:>13.3f} {end / best:>11.2f}")


if __name__ == "__main__":
    main()
