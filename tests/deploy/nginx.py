"""Run the project's proxy configuration (deploy/nginx.conf) with Debian's nginx on loopback.

The shipped file is an http-context file for the official nginx image (its upstream is the compose
service ``app:8501``, it listens on port 80 and logs to /var/log/nginx). :func:`render` swaps exactly
those three things, and fails if any of them is not found exactly once, so the tests always run the
shipped routing, cookie and websocket settings unchanged. :func:`main_config` wraps it the way the
image's own nginx.conf does, with the pid file, logs and temp files under a test folder.
"""

from __future__ import annotations

import getpass
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SHIPPED = DEPLOY / "nginx.conf"


def nginx_binary() -> str | None:
    """Debian's nginx (in /usr/sbin, which a normal user's PATH may lack), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _swap(text: str, pattern: str, replacement, what: str) -> str:
    new, n = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    if n != 1:
        raise AssertionError(f"deploy/nginx.conf: expected exactly one {what}, found {n}")
    return new


def render(upstreams: list[str], listen: str, access_log: Path, text: str | None = None) -> str:
    """The shipped file with its upstream servers, listen address and access log replaced."""
    text = SHIPPED.read_text() if text is None else text
    text = _swap(text, r"^(\s*)server\s+app:8501\b([^;]*);",
                 lambda m: "\n".join(f"{m.group(1)}server {u}{m.group(2)};" for u in upstreams), "server app:8501")
    text = _swap(text, r"^(\s*)listen\s+80;", lambda m: f"{m.group(1)}listen {listen};", "listen 80")
    return _swap(text, r"^(\s*access_log\s+)/var/log/nginx/access\.log(\s)",
                 lambda m: f"{m.group(1)}{access_log}{m.group(2)}", "access_log /var/log/nginx/access.log")


def main_config(prefix: Path, site: Path) -> str:
    """A main nginx.conf that includes ``site`` inside ``http``, everything it writes under ``prefix``."""
    user = f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""  # as root, workers stay this user
    temps = "".join(f"    {kind}_temp_path {prefix / kind};\n"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 1;\npid {prefix / 'nginx.pid'};\nerror_log {prefix / 'error.log'} warn;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n{temps}    include {site};\n}}\n")


def write_config(prefix: Path, upstreams: list[str], port: int) -> Path:
    """Write the site and main configs for a proxy on 127.0.0.1:``port``; return the main config."""
    prefix.mkdir(parents=True, exist_ok=True)
    site = prefix / "rnnviz.conf"
    site.write_text(render(upstreams, f"127.0.0.1:{port}", prefix / "access.log"))
    main = prefix / "nginx.conf"
    main.write_text(main_config(prefix, site))
    return main


def check(binary: str, main: Path) -> subprocess.CompletedProcess:
    """``nginx -t`` on a main config: its exit code and messages."""
    return subprocess.run([binary, "-t", "-p", str(main.parent), "-c", str(main), "-e", str(main.parent / "error.log")],
                          capture_output=True, text=True, timeout=30, check=False)


class Nginx:
    """Debian's nginx in the foreground, serving a config written by :func:`write_config`."""

    def __init__(self, binary: str, main: Path, port: int) -> None:
        self.binary, self.main, self.port = binary, main, port
        self.url = f"http://127.0.0.1:{port}"
        self.access_log = main.parent / "access.log"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        prefix = self.main.parent
        self.proc = subprocess.Popen(
            [self.binary, "-p", str(prefix), "-c", str(self.main), "-e", str(prefix / "error.log"),
             "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=open(prefix / "stderr.log", "a"))  # noqa: SIM115
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + (prefix / "error.log").read_text(errors="replace")[-2000:])
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("nginx did not answer /_stcore/health within 20 s")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()  # SIGTERM: fast shutdown, every connection (websockets too) is closed
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def log_lines(self) -> list[dict[str, str]]:
        """The access log, one dict per request: request, status, key (sticky key) and upstream."""
        pattern = re.compile(r'"(?P<request>[^"]*)" (?P<status>\d+) key=(?P<key>\S*) upstream=(?P<upstream>\S*)')
        text = self.access_log.read_text(errors="replace") if self.access_log.exists() else ""
        return [m.groupdict() for m in map(pattern.search, text.splitlines()) if m]
