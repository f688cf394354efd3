"""Look at a page as a user would: start the app, open a page in headless Chromium, click, screenshot.

    python tools/screenshot.py srn out.png --click Train --wait 4 --port 8611
    python tools/screenshot.py "" home.png            # the home page

Uses Debian's Chromium at /usr/bin/chromium (never a downloaded browser).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("page", help="url path of the page, e.g. srn ('' for home)")
    ap.add_argument("out", help="PNG file to write")
    ap.add_argument("--port", type=int, default=8611)
    ap.add_argument("--click", action="append", default=[], help="button label to click (repeatable)")
    ap.add_argument("--wait", type=float, default=2.0, help="seconds to wait after the clicks")
    ap.add_argument("--between", type=float, default=0.5, help="seconds to wait after each click")
    ap.add_argument("--query", default="", help="query string, e.g. projector=true")
    ap.add_argument("--width", type=int, default=1600)
    ap.add_argument("--height", type=int, default=1000)
    ap.add_argument("--full", action="store_true", help="full-page screenshot")
    ap.add_argument("--scroll-to", default=None, help="text to scroll to the top of the view before the shot")
    a = ap.parse_args()
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port", str(a.port),
         "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": a.width, "height": a.height})
            url = f"http://localhost:{a.port}/{a.page}" + (f"?{a.query}" if a.query else "")
            for _ in range(60):
                try:
                    page.goto(url)
                    break
                except Exception:
                    time.sleep(0.5)
            page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=60000)
            page.wait_for_timeout(3000)
            for label in a.click:
                page.get_by_role("button", name=label).first.click()
                page.wait_for_timeout(int(a.between * 1000))
            if a.scroll_to:
                page.get_by_text(a.scroll_to).first.evaluate("e => e.scrollIntoView({block: 'start'})")
            page.wait_for_timeout(int(a.wait * 1000))
            page.screenshot(path=a.out, full_page=a.full)
            exc = page.locator("[data-testid='stException']").count()
            print(f"saved {a.out}; exception boxes: {exc}")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(10)


if __name__ == "__main__":
    main()
