"""How many students can train at once? N browser sessions training on one app process.

For each N in ``--sessions`` (default 1 4 8): starts ``streamlit run app.py`` on a free local port,
loads the page once (imports, datasets, plotly.js; not measured) and notes the server's RSS, then
opens N sessions in Debian's Chromium (one browser context each, like N students), presses Train in
every one, waits ``--warmup`` seconds and measures for ``--window`` seconds:

* steps/s of every session, from its "Step" metric at the start and end of the window;
* the server's CPU time per training step: its user+system CPU time (/proc/<pid>/stat) over the
  window divided by the steps all sessions gained. Everything the server does is in it: training,
  script reruns, figures, protobuf and websocket traffic;
* the same run trained headless in this process (the run the page builds with default settings,
  ``run_for(0.15 s)`` per tick as the live control does, no Streamlit): steps/s and CPU ms per step
  (``time.process_time``), and the ratios of the browser numbers to these;
* RSS per session: (server RSS with N sessions - RSS after the unmeasured first load) / N;
* errors: exception boxes on the pages, JavaScript errors, sessions that did not train, tracebacks
  in the server's log.

Targets (issue 13): one session trains at >= 80 % of the headless rate; the server's CPU per step is
at most 1.25x headless; 8 sessions at once all train with zero errors. The browser runs on the same
machine and its CPU time is printed too: on 2 cores it competes with the server.

    python bench/ui_load.py [--sessions 1 4 8] [--window 10] [--warmup 4] [--set runner.fastReruns=true]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui_latency import ARGS, CHROMIUM, free_port, settle, start_server, step_value

PATH, CONTROL = "gated", "gated"  # the page measured and its training control's key
VIEW = {"width": 1366, "height": 768}
BUDGET = 0.15  # seconds of training per tick, as rnnviz/ui/training_control.py
TARGET_RATE, TARGET_CPU = 0.80, 1.25
CLK = os.sysconf("SC_CLK_TCK")


def headless(seconds: float) -> tuple[float, float]:
    """(steps/s, CPU ms per step) of the page's default run trained here, tick by tick, nothing drawn."""
    import torch

    from rnnviz.gated.model import PRESETS
    from rnnviz.gated.run import GatedRun

    torch.set_num_threads(1)  # as app.py
    run = GatedRun(PRESETS["digits"], seed=0)  # the page's defaults: digits preset, sidebar seed 0
    run.run_for(0.5)  # warm-up, not measured
    start, cpu, wall = run.step_count, time.process_time(), time.perf_counter()
    while time.perf_counter() - wall < seconds:
        run.run_for(BUDGET)
    steps = run.step_count - start
    return steps / (time.perf_counter() - wall), 1000 * (time.process_time() - cpu) / steps


def _stat(pid: int) -> list[str]:
    text = Path(f"/proc/{pid}/stat").read_text()
    return text[text.rindex(")") + 2:].split()  # fields from the 3rd (state) on


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, all its threads."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / CLK


def descendants(root: int) -> list[int]:
    """Every process below ``root`` (here: Playwright's driver and Chromium's processes, and the server)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent[int(entry)] = int(_stat(int(entry))[1])
            except (OSError, ValueError, IndexError):
                continue
    found, frontier = [], [root]
    while frontier:
        kids = [pid for pid, ppid in parent.items() if ppid in frontier]
        found += kids
        frontier = kids
    return found


def cpu_of(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(pid)
        except (OSError, ValueError, IndexError):  # a renderer that ended meanwhile
            continue
    return total


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


def steps(page) -> int | None:
    value = step_value(page)
    return int(re.sub(r"[^0-9]", "", value) or 0) if value else None


def tracebacks(log: Path) -> int:
    return len(re.findall(r"Traceback \(most recent call last\)", log.read_text(errors="replace")))


def open_session(browser, url: str):
    context = browser.new_context(viewport=VIEW)
    page = context.new_page()
    page.js_errors = []
    page.on("pageerror", lambda err: page.js_errors.append(str(err)))
    page.goto(url)
    page.wait_for_selector(f".st-key-{CONTROL}__btn_train button", timeout=180_000)
    settle(page, quiet_ms=500)
    return context, page


def measure(browser, n: int, window: float, warmup: float, options: list[str]) -> dict:
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"ui_load_{port}.log"
    server = start_server(port, log, options)
    url = f"http://127.0.0.1:{port}/{PATH}"
    contexts = []
    try:
        context, _ = open_session(browser, url)  # the first load: imports and caches, not measured
        context.close()
        time.sleep(1.0)
        rss_idle = rss_mb(server.pid)
        pages = []
        for _ in range(n):
            context, page = open_session(browser, url)
            contexts.append(context)
            pages.append(page)
        for page in pages:
            page.locator(f".st-key-{CONTROL}__btn_train button").first.click()
        time.sleep(warmup)
        others = [pid for pid in descendants(os.getpid()) if pid != server.pid]
        start = [(time.perf_counter(), steps(p)) for p in pages]
        cpu0, browser0, t0 = cpu_seconds(server.pid), cpu_of(others), time.perf_counter()
        time.sleep(window)
        end = [(time.perf_counter(), steps(p)) for p in pages]
        cpu1, browser1, t1 = cpu_seconds(server.pid), cpu_of(others), time.perf_counter()
        rss = rss_mb(server.pid)
        rates, gained, errors = [], 0, 0
        for page, (ta, sa), (tb, sb) in zip(pages, start, end):
            done = (sb or 0) - (sa or 0)
            gained += max(done, 0)
            rates.append(done / (tb - ta))
            errors += (done <= 0) + len(page.js_errors) + page.locator("[data-testid='stException']").count()
        errors += tracebacks(log)
        return {"n": n, "rates": rates, "cpu_ms": 1000 * (cpu1 - cpu0) / gained if gained else float("nan"),
                "server_cores": (cpu1 - cpu0) / (t1 - t0), "browser_cores": (browser1 - browser0) / (t1 - t0),
                "rss_idle": rss_idle, "rss_per": (rss - rss_idle) / n, "errors": errors, "log": log}
    finally:
        for context in contexts:
            context.close()
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()


def report(rows: list[dict], ref_rate: float, ref_ms: float) -> str:
    head = (f"{'sessions':>8} {'steps/s per session (min med max)':>34} {'x headless':>10} {'target':>7} "
            f"{'server CPU ms/step':>18} {'headless':>8} {'ratio':>6} {'target':>6} {'server cores':>12} "
            f"{'browser cores':>13} {'RSS MB/session':>14} {'errors':>6}")
    lines = [head, "-" * len(head)]
    for r in rows:
        rates = r["rates"]
        med = statistics.median(rates)
        target = f">={TARGET_RATE:.2f}" if r["n"] == 1 else "-"
        lines.append(
            f"{r['n']:>8} {min(rates):>12.1f} {med:>10.1f} {max(rates):>10.1f} {med / ref_rate:>10.2f} {target:>7} "
            f"{r['cpu_ms']:>18.2f} {ref_ms:>8.2f} {r['cpu_ms'] / ref_ms:>6.2f} {'<=' + str(TARGET_CPU):>6} "
            f"{r['server_cores']:>12.2f} {r['browser_cores']:>13.2f} {r['rss_per']:>14.1f} {r['errors']:>6}")
    lines.append(f"headless: {ref_rate:.1f} steps/s, {ref_ms:.2f} CPU ms/step (one thread, run_for({BUDGET}) ticks)")
    for r in rows:
        lines.append(f"  {r['n']} sessions, steps/s each: {' '.join(f'{x:.0f}' for x in r['rates'])}; "
                     f"server RSS after the first load {r['rss_idle']:.0f} MB; log {r['log']}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", nargs="+", type=int, default=[1, 4, 8], help="sessions at once, one run each")
    parser.add_argument("--window", type=float, default=10.0, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=4.0, help="seconds of training before the window")
    parser.add_argument("--headless-seconds", type=float, default=4.0, help="seconds of the headless reference")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.NAME=VALUE",
                        help="an extra Streamlit config option for the server")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    print(f"page /{PATH}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
          + (f"; options {' '.join(args.set)}" if args.set else ""), flush=True)
    ref_rate, ref_ms = headless(args.headless_seconds)
    print(f"  headless: {ref_rate:.1f} steps/s, {ref_ms:.2f} CPU ms/step", file=sys.stderr)
    rows = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            for n in args.sessions:
                t = time.time()
                rows.append(measure(browser, n, args.window, args.warmup, args.set))
                print(f"  {n} sessions: {time.time() - t:.0f} s", file=sys.stderr)
        finally:
            browser.close()
    print(report(rows, ref_rate, ref_ms))
    print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
