"""How long until a class can start? Cold start of a fresh app process, measured in Chromium.

For each of ``--runs`` fresh server processes (the machine's file cache warm, as for a teacher who
restarts the app): starts ``streamlit run app.py`` and times

* ``answer``: process start until the server answers ``/_stcore/health``;
* ``home``: from the server answering until the home page (the first page) is drawn in a fresh browser;
* ``then page``: two seconds later the student opens a training page (``--page``, default the simple
  RNN): from that click until it shows an enabled Train button and its script run has finished;
* ``direct``: in a second fresh process, the training page opened first (a shared lesson link):
  from the server answering until it is usable.

Each browser is fresh (no cached plotly.js). The first page a student opens pays for the imports
(PyTorch, Plotly, the page's datasets); later pages share them, and the router warms the slow
first uses of PyTorch in the background (rnnviz.core.warmup). Target (issue 13): the first page is
usable within 4 s of the server answering. Printed side by side with the target as a ratio.

    python bench/cold_start.py [--runs 3] [--page srn]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ui_latency import ARGS, CHROMIUM, PAGES, VIEW, free_port, settle, start_server

TARGET_S = 4.0
CONTROLS = {path: control for path, (control, _) in PAGES.items()}


def wait_health(port: int, timeout: float = 60.0) -> float:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter()
        except OSError:
            time.sleep(0.05)
    sys.exit("the server did not answer /_stcore/health")


def _usable(page, page_path: str) -> float:
    """When the page showed an enabled Train button and its script run had finished (perf_counter)."""
    button = page.locator(f".st-key-{CONTROLS[page_path]}__btn_train button:visible").first
    button.wait_for(timeout=120_000)
    while not button.is_enabled():
        time.sleep(0.02)
    settle(page, quiet_ms=300)
    return time.perf_counter() - 0.3  # the quiet period is not part of it


def one(pw, page_path: str) -> dict[str, float]:
    port = free_port()
    log = Path("/tmp") / f"cold_start_{port}.log"
    t0 = time.perf_counter()
    server = start_server(port, log)
    try:
        answered = wait_health(port)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            home = browser.new_page(viewport=VIEW)
            start = time.perf_counter()
            home.goto(f"http://127.0.0.1:{port}/")
            home.wait_for_selector("h1", timeout=60_000)
            home_s = time.perf_counter() - answered
            home_only = time.perf_counter() - start
            time.sleep(2.0)  # a student reads the home page, then opens the lesson's page
            start = time.perf_counter()
            home.goto(f"http://127.0.0.1:{port}/{page_path}")
            then = _usable(home, page_path) - start
            home.close()
        finally:
            browser.close()
        server.terminate()
        server.wait(10)
        # a second fresh process for the page alone: the home page's imports must not be counted for it
        port = free_port()
        server = start_server(port, log)
        answered2 = wait_health(port)
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport=VIEW)
            page.goto(f"http://127.0.0.1:{port}/{page_path}")
            usable = _usable(page, page_path) - answered2
        finally:
            browser.close()
        return {"answer": answered - t0, "home": home_s, "then_page": then, "direct": usable}
    finally:
        server.terminate()
        server.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--page", default="srn", choices=sorted(CONTROLS))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with sync_playwright() as pw:
        for i in range(args.runs):
            rows.append(one(pw, args.page))
            print(f"  run {i + 1}: " + ", ".join(f"{k} {v:.2f} s" for k, v in rows[-1].items()), flush=True)
    med = {k: statistics.median(r[k] for r in rows) for k in rows[0]}
    print(f"\nmedian of {args.runs} fresh processes                      seconds   target   ratio")
    print(f"server answers /_stcore/health                    {med['answer']:7.2f}        -       -")
    print(f"first page (home) usable, from the answer         {med['home']:7.2f}   <={TARGET_S:.1f}   "
          f"{med['home'] / TARGET_S:5.2f}")
    then_label, direct_label = f"then /{args.page} usable, from its click", f"/{args.page} opened directly, from the answer"
    print(f"{then_label:<50}{med['then_page']:7.2f}        -       -")
    print(f"{direct_label:<50}{med['direct']:7.2f}        -       -")

if __name__ == "__main__":
    main()
