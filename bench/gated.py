"""Speed of the gated page: how long until the gated cells solve the long-range task, live.

The issue's claim: with default settings and a fixed seed, at length 40 the LSTM and
GRU reach >= 95 % test accuracy within about 10 s of live training while the plain
RNN stays near chance; at length 10 all three succeed. Tests check this in *steps*
(tests/test_gated_train.py); this script measures the *seconds*, two ways:

1. headless: ``GatedRun.step`` in a loop, nothing drawn (pure training time);
2. simulated live page: the same tick loop as the shared training control
   (``run_for(0.15 s)`` per 0.3 s tick, then the page's live charts built and
   serialised to JSON as Streamlit does, and the "inside one example" views every
   two seconds), so the time includes drawing;
3. ``--browser``: the real page. ``streamlit run`` on ``--port``, Debian's Chromium
   (Playwright) opens the page, chooses the long-range task, presses Train and reads
   the Step counter until it reaches the step at which the headless run (same seed,
   deterministic) had both gated cells at >= 95 %. This includes everything: Streamlit,
   the browser drawing the charts on the same machine, and whatever else the machine runs.

Run: ``python bench/gated.py`` (``--seed N``, ``--length L``, ``--browser --port 8703``).
Prints times, steps and the ratio to the 10 s target. Nothing here is a test: timings
depend on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rnnviz.gated.cells import KINDS  # noqa: E402
from rnnviz.gated.inside import gate_heatmaps  # noqa: E402
from rnnviz.gated.model import preset  # noqa: E402
from rnnviz.gated.run import GatedRun  # noqa: E402
from rnnviz.gated.figures import curves, gradient_figure, model_rows, prediction_over_time  # noqa: E402

TICK, BUDGET, INSIDE_EVERY = 0.3, 0.15, 2.0  # as rnnviz/ui/training_control.py and app_pages/gated.py
TARGET_SECONDS = 10.0


def solved(run: GatedRun, kinds: tuple[str, ...], acc: float) -> bool:
    return all(run.latest(k).test_acc >= acc for k in kinds)


def headless(task: str, length: int, seed: int, kinds: tuple[str, ...], acc: float, max_steps: int) -> None:
    run = GatedRun(preset(task, length=length), seed)
    t0 = time.perf_counter()
    while run.step_count < max_steps and not solved(run, kinds, acc):
        run.step(run.config.eval_every)
    dt = time.perf_counter() - t0
    reached = {k: run.steps_to_reach(k, acc) for k in KINDS}
    where = f"L={length}" if task == "long_range" else "8 rows"
    print(f"headless  {task:10s} {where:6s} {run.step_count:5d} steps {dt:6.2f} s "
          f"({1000 * dt / max(run.step_count, 1):.1f} ms/step for all three)  first step >= {acc:.0%}: {reached}  "
          f"test acc: " + ", ".join(f"{k} {run.latest(k).test_acc:.1%}" for k in KINDS))


def live(task: str, length: int, seed: int, kinds: tuple[str, ...], acc: float, limit: float) -> None:
    run = GatedRun(preset(task, length=length), seed)
    start = time.perf_counter()
    last_inside = -INSIDE_EVERY
    draw = 0.0
    while time.perf_counter() - start < limit and not solved(run, kinds, acc):
        tick = time.perf_counter()
        run.run_for(BUDGET)
        d0 = time.perf_counter()
        model_rows(run)
        for fig in (curves(run, "loss"), curves(run, "acc"), gradient_figure(run.gradient_profile())):
            fig.to_json()
        if tick - last_inside >= INSIDE_EVERY:  # the open tab (default: prediction over time) and one gate view
            last_inside = tick
            ex = run.example(0)
            prediction_over_time(ex, run.data.spec.n_classes, "x").to_json()
            gate_heatmaps("lstm", ex["lstm"]).to_json()
        draw += time.perf_counter() - d0
        rest = TICK - (time.perf_counter() - tick)
        if rest > 0:
            time.sleep(rest)
    wall = time.perf_counter() - start
    ok = solved(run, kinds, acc)
    where = f"L={length}" if task == "long_range" else "8 rows"
    print(f"live      {task:10s} {where:6s} {run.step_count:5d} steps {wall:6.2f} s wall "
          f"(training {run.train_seconds:.2f} s, drawing {draw:.2f} s) "
          f"{'reached' if ok else 'NOT reached'} {acc:.0%} for {'/'.join(kinds)}; ratio to {TARGET_SECONDS:.0f} s: "
          f"{wall / TARGET_SECONDS:.2f}  test acc: " + ", ".join(f"{k} {run.latest(k).test_acc:.1%}" for k in KINDS))


def browser(seed: int, port: int) -> None:
    """The real page in Chromium: seconds from pressing Train until the Step counter passes the target step."""
    from playwright.sync_api import sync_playwright

    ref = GatedRun(preset("long_range"), seed)
    while ref.step_count < 2000 and not solved(ref, ("lstm", "gru"), 0.95):
        ref.step(ref.config.eval_every)
    target = max(ref.steps_to_reach("lstm", 0.95) or 0, ref.steps_to_reach("gru", 0.95) or 0)
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port",
                             str(port), "--server.headless", "true"], cwd=root,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as p:
            chrome = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            page = chrome.new_page(viewport={"width": 1600, "height": 1400})
            for _ in range(120):
                try:
                    page.goto(f"http://localhost:{port}/gated?seed={seed}")
                    break
                except Exception:
                    time.sleep(0.5)
            page.wait_for_selector("[data-testid='stMetric']", timeout=120000)
            page.get_by_text("Long-range memory").first.click()
            page.wait_for_timeout(4000)
            page.get_by_text("Train the three models").first.evaluate("e => e.scrollIntoView({block: 'start'})")
            step_value = page.locator("[data-testid='stMetric']").filter(has_text="Step").first.locator(
                "[data-testid='stMetricValue']")
            page.get_by_role("button", name="Train").first.click()
            start = time.perf_counter()
            steps = 0
            while time.perf_counter() - start < 120:
                steps = int(step_value.inner_text().replace(",", "") or 0)
                if steps >= target:
                    break
                page.wait_for_timeout(100)
            wall = time.perf_counter() - start
            chrome.close()
    finally:
        proc.terminate()
        proc.wait(10)
    load = os.getloadavg()[0]
    print(f"browser   long_range L=40   the Step counter, polled every 0.1 s, first read {steps} "
          f"(>= {target}, the step at which the headless run had LSTM and GRU >= 95 %) "
          f"{wall:.2f} s after pressing Train; {steps / wall:.1f} steps/s; ratio to "
          f"{TARGET_SECONDS:.0f} s: {wall / TARGET_SECONDS:.2f}; machine load average {load:.1f} "
          f"on {os.cpu_count()} cores")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--length", type=int, default=40)
    ap.add_argument("--browser", action="store_true", help="also time the real page in Chromium")
    ap.add_argument("--port", type=int, default=8703, help="port for --browser")
    a = ap.parse_args()
    print(f"machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    gated = ("lstm", "gru")
    headless("long_range", a.length, a.seed, gated, 0.95, 2000)
    headless("long_range", 10, a.seed, KINDS, 0.95, 2000)
    headless("digits", 40, a.seed, KINDS, 0.90, 2000)
    live("long_range", a.length, a.seed, gated, 0.95, 60.0)
    live("long_range", 10, a.seed, KINDS, 0.95, 60.0)
    live("digits", 40, a.seed, KINDS, 0.90, 60.0)
    if a.browser:
        browser(a.seed, a.port)


if __name__ == "__main__":
    main()
