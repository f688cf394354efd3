"""Browser-test harness: the real app under `streamlit run`, driven by Playwright in Debian's Chromium.

Skipped (with the reason) only when /usr/bin/chromium or playwright is absent; .ci/run installs both.
The server's output goes to a log file that tests read for tracebacks. Screenshots go to the pytest
tmp dir and, if RNNVIZ_SCREENSHOTS is set, there.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PROJECTOR_VIEW = {"width": 1366, "height": 768}


def pytest_collection_modifyitems(config, items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(reason=f"{CHROMIUM} not installed (apt-get install chromium)")
        for item in items:
            if "tests/browser" in str(item.fspath).replace(os.sep, "/"):
                item.add_marker(skip)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `streamlit run app.py` on a free loopback port, its output in a log file."""

    def __init__(self, root: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._log_file = open(log, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(root / "app.py"), "--server.port", str(self.port),
             "--server.headless", "true", "--server.address", "127.0.0.1"],
            cwd=root, stdout=self._log_file, stderr=subprocess.STDOUT, text=True)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.3)
        self.stop()
        pytest.fail("streamlit did not start within 60 s")

    def tracebacks(self) -> list[str]:
        """Tracebacks and fatal errors the server printed so far."""
        text = self.log.read_text(errors="replace")
        return [m.group(0)[:2000] for m in re.finditer(r"(Traceback \(most recent call last\):.*?)(?=\n\S|\Z)"
                                                        r"|corrupted .*|Segmentation fault.*", text, flags=re.S)]

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log_file.close()


@pytest.fixture(scope="module")
def server(root, tmp_path_factory):
    srv = Server(root, tmp_path_factory.mktemp("server") / "streamlit.log")
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright not installed (pip install -r requirements-dev.txt)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path_factory) -> Path:
    where = os.environ.get("RNNVIZ_SCREENSHOTS")
    path = Path(where) if where else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path
