"""Training speed of the seq2seq page's two runs, and what torch's thread count does to it.

Both runs are tiny (hello -> ohlol: three models of a few hundred weights; the
encoder-decoder: hidden 128, six pairs, six decoder steps). Prints milliseconds per
step with one torch thread and with torch's default, and their ratio: on a busy
2-core machine the default (2 threads) can be many times slower than 1 thread, which
is why the app should call ``torch.set_num_threads(1)``. Target: under 20 ms per step
with one thread for both runs (so "Medium: 10 steps per tick" fits the 150 ms budget).

    python bench/seq2seq_speed.py [steps]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from rnnviz.seq2seq.encdec import EncDecConfig, EncDecRun  # noqa: E402
from rnnviz.seq2seq.hello import HelloConfig, HelloRun  # noqa: E402


def ms_per_step(make, steps: int) -> float:
    run = make()
    run.step(3)  # warm up
    t0 = time.perf_counter()
    run.step(steps)
    return (time.perf_counter() - t0) / steps * 1000


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    default_threads = torch.get_num_threads()
    runs = {
        "hello -> ohlol (3 variants)": lambda: HelloRun(HelloConfig(epochs=10**6), seed=0),
        "encoder-decoder (hidden 128)": lambda: EncDecRun(EncDecConfig(), seed=0),
    }
    for name, make in runs.items():
        torch.set_num_threads(1)
        one = ms_per_step(make, steps)
        torch.set_num_threads(default_threads)
        many = ms_per_step(make, steps)
        print(f"{name:30s} 1 thread: {one:7.2f} ms/step   {default_threads} threads: {many:7.2f} ms/step   "
              f"ratio {many / one:5.2f}")


if __name__ == "__main__":
    main()
