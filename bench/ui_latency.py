"""How fast does a click answer? Median time from a click to the updated page, per page, in Chromium.

Starts ``streamlit run app.py`` on a free local port, opens every page at 1366x768 in Debian's
Chromium (a fresh session per page) and measures, ``--repeats`` times each:

* ``step -> metric``: a click on the training control's Step button until the "Step" metric shows
  the new count (what the learner waits for);
* ``step -> idle``: the same click until the script runs it started have finished (the page is no
  longer marked as running: the rest of the page stops looking stale). A click can start two runs
  (a keyed fragment rerun replaces the click's own run), so the end is the last change to
  ``notRunning`` that was followed by 300 ms of quiet;
* ``slider -> idle``: one keyboard move (ArrowRight, then ArrowLeft, ...) of a live slider until the
  script runs it started have finished.

Times are taken inside the page: a capture listener stamps the click or key press, the app root's
``data-test-script-state`` attribute (``running`` / ``notRunning``) is watched by a MutationObserver,
and the metric is polled on every animation frame. The page is idle (no run for 300 ms) before
each measurement. Target: median <= 200 ms on an otherwise idle 2-core machine.

    python bench/ui_latency.py [--pages srn shapes ...] [--repeats 15] [--port 8641] [--set runner.postScriptGC=false]
"""

from __future__ import annotations

import argparse
import math
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEW = {"width": 1366, "height": 768}
TARGET_MS = 200.0

# url path -> (training-control key, live slider key); a page whose script is missing is skipped
PAGES: dict[str, tuple[str, str]] = {
    "srn": ("srn", "srn_lr"),
    "shapes": ("shapes", "shapes_lr"),
    "seq2seq": ("seq2seq_hello", "s2s_lr"),
    "gated": ("gated", "gated_lr"),
    "char_lm": ("char_lm", "char_lm_np_lr"),
    "training_basics": ("basics", "basics_lr"),
    "binary_addition": ("binary", "binary_lr"),
}
RESET_AT = 12  # press Reset (not measured) before a Step once the count reaches this: epoch budgets end runs

# Installed once per page: stamps the start of an action and the script runs that follow it.
_INSTRUMENT = """
() => {
  if (window.__lat) return;
  const lat = window.__lat = {armed: false, t0: null, started: null, ended: null};
  const stamp = () => { if (lat.armed && lat.t0 === null) { lat.t0 = performance.now(); lat.armed = false; } };
  document.addEventListener('click', stamp, true);
  document.addEventListener('keydown', stamp, true);
  const state = () => {
    const el = document.querySelector('[data-test-script-state]');
    return el ? el.getAttribute('data-test-script-state') : null;
  };
  new MutationObserver(() => {
    if (lat.t0 === null) return;
    const s = state();
    if (s === 'running') { if (lat.started === null) lat.started = performance.now(); lat.ended = null; }
    else if (lat.started !== null && lat.ended === null) lat.ended = performance.now();
  }).observe(document.body, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
}
"""
_ARM = "() => { Object.assign(window.__lat, {armed: true, t0: null, started: null, ended: null}); }"
_STEP_METRIC = """
() => {
  const label = [...document.querySelectorAll("[data-testid='stMetricLabel']")]
    .find(e => e.innerText.trim() === 'Step');
  const box = label && label.closest("[data-testid='stMetric']");
  const value = box && box.querySelector("[data-testid='stMetricValue']");
  return value ? value.innerText.trim() : null;
}
"""
_METRIC_CHANGED = f"""
(before) => {{
  const lat = window.__lat;
  if (lat.t0 === null) return false;
  const now = ({_STEP_METRIC})();
  return now !== null && now !== before ? performance.now() - lat.t0 : false;
}}
"""
# the end of the last run the action started: idle for QUIET_MS after it (a click may start two runs)
QUIET_MS = 300
_RUN_ENDED = f"""
() => {{
  const l = window.__lat;
  if (l.t0 === null || l.ended === null || performance.now() - l.ended < {QUIET_MS}) return false;
  return l.ended - l.t0;
}}
"""
_BUSY = "[data-test-script-state='running'], [data-stale='true']"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, log: Path, options: list[str] = ()) -> subprocess.Popen:
    """``streamlit run app.py`` on ``port``; ``options`` are extra ``section.name=value`` config settings."""
    extra = [arg for opt in options for arg in (f"--{opt.split('=', 1)[0]}", opt.split("=", 1)[1])]
    out = open(log, "w")  # noqa: SIM115 - the server writes to it until it stops
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.headless", "true", "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
         "--browser.gatherUsageStats", "false", *extra],
        cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                break
            time.sleep(0.3)
    proc.terminate()
    sys.exit(f"streamlit did not start on port {port}; see {log}")


def settle(page, quiet_ms: int = 300, timeout: float = 60.0) -> None:
    """Wait until no script run has been going for ``quiet_ms``."""
    deadline = time.time() + timeout
    quiet_since = None
    while time.time() < deadline:
        if page.locator(_BUSY).count():
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.time()
        elif (time.time() - quiet_since) * 1000 >= quiet_ms:
            return
        page.wait_for_timeout(30)


def step_value(page) -> str | None:
    return page.evaluate(_STEP_METRIC)


def measure_step(page, control: str, timeout_ms: int) -> tuple[float, float] | None:
    """(ms to the new Step value, ms to the end of the run) for one Step click; None if nothing changed."""
    before = step_value(page)
    page.evaluate(_ARM)
    page.locator(f".st-key-{control}__btn_step button").first.click()
    try:
        to_metric = page.wait_for_function(_METRIC_CHANGED, arg=before, polling="raf", timeout=timeout_ms).json_value()
        to_idle = page.wait_for_function(_RUN_ENDED, polling="raf", timeout=timeout_ms).json_value()
    except Exception:  # noqa: BLE001 - a finished run, or a stuck one: not a sample
        return None
    return float(to_metric), float(to_idle)


def measure_slider(page, slider: str, key: str, timeout_ms: int) -> float | None:
    handle = page.locator(f".st-key-{slider} input[type='range']").first
    handle.focus()
    page.evaluate(_ARM)
    page.keyboard.press(key)
    try:
        return float(page.wait_for_function(_RUN_ENDED, polling="raf", timeout=timeout_ms).json_value())
    except Exception:  # noqa: BLE001
        return None


def reset_if_needed(page, control: str) -> None:
    value = step_value(page)
    count = int("".join(ch for ch in value if ch.isdigit()) or 0) if value else 0
    if count >= RESET_AT:
        page.locator(f".st-key-{control}__btn_reset button").first.click()
        page.wait_for_timeout(100)
        settle(page)


def bench_page(browser, url: str, path: str, repeats: int, timeout_ms: int) -> dict[str, list[float]]:
    control, slider = PAGES[path]
    context = browser.new_context(viewport=VIEW)
    page = context.new_page()
    samples: dict[str, list[float]] = {"step -> metric": [], "step -> idle": [], "slider -> idle": []}
    try:
        page.goto(f"{url}/{path}")
        page.wait_for_selector("h1", timeout=120_000)
        page.wait_for_selector(f".st-key-{control}__btn_step button", timeout=120_000)
        settle(page, quiet_ms=800)
        page.evaluate(_INSTRUMENT)
        # one unmeasured round first: lazy imports, first figures, the plotly bundle
        measure_step(page, control, timeout_ms)
        settle(page)
        for _ in range(repeats):
            reset_if_needed(page, control)
            got = measure_step(page, control, timeout_ms)
            if got is not None:
                samples["step -> metric"].append(got[0])
                samples["step -> idle"].append(got[1])
            settle(page)
        if page.locator(f".st-key-{slider} input[type='range']").count():
            measure_slider(page, slider, "ArrowRight", timeout_ms)
            settle(page)
            for i in range(repeats):
                got = measure_slider(page, slider, "ArrowLeft" if i % 2 == 0 else "ArrowRight", timeout_ms)
                if got is not None:
                    samples["slider -> idle"].append(got)
                settle(page)
        else:
            print(f"  {path}: no slider .st-key-{slider} on the page, skipped", file=sys.stderr)
    finally:
        context.close()
    return samples


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.9 * len(ordered)) - 1)]


def table(rows: list[tuple[str, str, list[float]]]) -> str:
    lines = [f"{'page':<16} {'action':<15} {'median ms':>9} {'p90 ms':>8} {'n':>3} {'target':>6} {'ratio':>6}",
             "-" * 69]
    for path, action, values in rows:
        if not values:
            lines.append(f"{path:<16} {action:<15} {'-':>9} {'-':>8} {0:>3} {TARGET_MS:>6.0f} {'-':>6}")
            continue
        med = statistics.median(values)
        lines.append(f"{path:<16} {action:<15} {med:>9.0f} {p90(values):>8.0f} {len(values):>3} "
                     f"{TARGET_MS:>6.0f} {med / TARGET_MS:>6.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), choices=list(PAGES), help="url paths to measure")
    parser.add_argument("--repeats", type=int, default=15, help="measurements per page and action")
    parser.add_argument("--port", type=int, default=0, help="server port (default: a free one)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds to wait for one answer")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.NAME=VALUE",
                        help="an extra Streamlit config option for the server, e.g. runner.postScriptGC=false")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    pages = [p for p in args.pages if (ROOT / "app_pages" / f"{p}.py").exists()]
    port = args.port or free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"ui_latency_{port}.log"
    load = os.getloadavg()[0]
    print(f"streamlit on port {port} (log {log}); load average {load:.1f} on {os.cpu_count()} cores"
          + (f"; options {' '.join(args.set)}" if args.set else ""))
    server = start_server(port, log, args.set)
    rows: list[tuple[str, str, list[float]]] = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                for path in pages:
                    t = time.time()
                    samples = bench_page(browser, f"http://127.0.0.1:{port}", path, args.repeats,
                                         int(args.timeout * 1000))
                    rows += [(path, action, values) for action, values in samples.items()]
                    print(f"  {path}: {time.time() - t:.0f} s", file=sys.stderr)
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
    print(table(rows))
    print(f"load average now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
