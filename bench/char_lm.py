"""Time to quality: the course's NumPy RNN against the page's PyTorch engine, on the dinosaur corpus.

1. From scratch (NumPy), the seed's settings: hidden 50, SGD lr 0.01, element-wise clip 5,
   one name per step, hidden state carried from name to name, 35000 steps. Its held-out
   loss per character at the end is the quality target.
2. PyTorch engine (the page's defaults: GRU 96, embedding 24, batches of 32 padded and
   masked names, Adam 0.01, gradient-norm clip 1, one intra-op thread): trained until its
   held-out loss per character reaches the target (checked every 5 steps).

Only training time is counted, for both; held-out evaluations are not. The PyTorch time
is the median over three seeds. Prints both times and ``speedup N.N`` (NumPy time /
PyTorch time). Run from the project root: ``python bench/char_lm.py`` (under a minute).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnnviz.char_lm.data import builtin_corpus  # noqa: E402
from rnnviz.char_lm.numpy_engine import init_params, optimize, padded_names, per_char_loss  # noqa: E402
from rnnviz.char_lm.torch_engine import BatchSampler, CharModel, TorchConfig, padded_batch, train_step  # noqa: E402
from rnnviz.char_lm.torch_engine import per_char_loss as torch_loss  # noqa: E402
from rnnviz.core.seeding import numpy_generator, seeded, torch_generator  # noqa: E402

SEED_STEPS = 35_000
CHECK_EVERY = 5
MAX_TORCH_STEPS = 5_000


def numpy_seed_run(corpus, seed: int = 0) -> tuple[float, float]:
    """The seed's training loop; returns (training seconds, held-out loss per character)."""
    names = [corpus.encode(s) for s in corpus.train]
    order = numpy_generator(seed + 1).permutation(len(names))
    params = init_params(50, corpus.vocab_size, seed)
    a_prev = np.zeros((50, 1))
    start = time.perf_counter()
    for j in range(SEED_STEPS):
        _, a_prev, _, _ = optimize(params, names[order[j % len(names)]], a_prev, 0.01, 5.0)
    seconds = time.perf_counter() - start
    return seconds, per_char_loss(params, *padded_names([corpus.encode(s) for s in corpus.heldout]))


def torch_time_to(corpus, target: float, config: TorchConfig, seed: int) -> tuple[float, int, float]:
    """Train until the held-out loss per character is <= target: (training seconds, steps, loss reached)."""
    names = [corpus.encode(s) for s in corpus.train]
    held = padded_batch([corpus.encode(s) for s in corpus.heldout])
    model = seeded(seed, lambda: CharModel(corpus.vocab_size, config))
    optimizer = torch.optim.Adam(model.parameters(), lr=config.lr, foreach=True)
    batches = BatchSampler(names, config.batch, torch_generator(seed))
    seconds, loss = 0.0, float("inf")
    for step in range(1, MAX_TORCH_STEPS + 1):
        inputs, targets = batches.next()
        t0 = time.perf_counter()
        train_step(model, optimizer, inputs, targets, config.clip)
        seconds += time.perf_counter() - t0
        if step % CHECK_EVERY == 0:
            loss = torch_loss(model, *held)
            if loss <= target:
                return seconds, step, loss
    return seconds, MAX_TORCH_STEPS, loss


def main() -> None:
    corpus = builtin_corpus("Dinosaur genera")
    print(f"corpus: {len(corpus.train)} training names, {len(corpus.heldout)} held out, vocabulary {corpus.vocab_size}")
    np_seconds, target = numpy_seed_run(corpus)
    print(f"numpy (from scratch, seed settings): {SEED_STEPS} steps in {np_seconds:.2f} s, "
          f"held-out loss {target:.4f} per character")

    def measure(label: str, config: TorchConfig, threads: int) -> float:
        torch.set_num_threads(threads)
        runs = [torch_time_to(corpus, target, config, seed) for seed in (0, 1, 2)]
        for seed, (sec, steps, loss) in zip((0, 1, 2), runs):
            print(f"  {label}, seed {seed}: {steps} steps, {sec:.3f} s, held-out {loss:.4f}")
        med = statistics.median(r[0] for r in runs)
        print(f"{label}: median {med:.3f} s to held-out <= {target:.4f} ({threads} thread(s))")
        return med

    reference = measure("reference: nn.RNN (tanh) on the same batches", TorchConfig(cell="RNN", hidden=96), 2)
    ours = measure("pytorch engine (page defaults)", TorchConfig(), 1)
    print(f"numpy time {np_seconds:.2f} s")
    print(f"torch time {ours:.3f} s")
    print(f"reference ratio (nn.RNN, 2 threads) {np_seconds / reference:.1f}")
    print(f"speedup {np_seconds / ours:.1f}")


if __name__ == "__main__":
    main()
