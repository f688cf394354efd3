"""How much does the live-training engine cost over a bare PyTorch loop?

Runs the SRN training (seed weights, tanh, Adam lr 0.05) for N steps twice in one
process: once through ``SRNRun.step`` (snapshot for the divergence guard, finiteness
check, history), once as a plain ``zero_grad/forward/backward/clip/step`` loop doing the
same model work, and prints both times and the ratio. Target: engine/bare <= 1.5.

    python bench/engine_overhead.py [steps]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import torch  # noqa: E402

from rnnviz.srn.model import DEFAULT_TARGET, SEED_INPUT, SRNModule, SRNRun, SRNTrainConfig, SRNWeights  # noqa: E402


def bare(steps: int) -> tuple[float, float]:
    model = SRNModule(SRNWeights(), "tanh")
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    x, target = torch.tensor(SEED_INPUT), torch.tensor(DEFAULT_TARGET)
    t0 = time.perf_counter()
    for _ in range(steps):
        opt.zero_grad()
        y, _ = model(x)
        loss = torch.mean((y - target) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf"))  # the SRN step reports the norm too
        opt.step()
        last = float(loss.detach())
    return time.perf_counter() - t0, last


def engine(steps: int) -> tuple[float, float]:
    run = SRNRun(SEED_INPUT, DEFAULT_TARGET, SRNWeights(), "tanh", SRNTrainConfig("Adam", 0.05))
    t0 = time.perf_counter()
    run.step(steps)
    return time.perf_counter() - t0, run.history[-1]["loss"]


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    torch.set_num_threads(1)
    engine(50), bare(50)  # warm-up
    tb, lb = bare(steps)
    te, le = engine(steps)
    print(f"steps            {steps}")
    print(f"bare loop        {tb:8.3f} s  {steps / tb:8.0f} steps/s  final loss {lb:.3g}")
    print(f"TrainingRun      {te:8.3f} s  {steps / te:8.0f} steps/s  final loss {le:.3g}")
    print(f"overhead ratio   {te / tb:.2f}  (engine / bare; target <= 1.5)")


if __name__ == "__main__":
    main()
