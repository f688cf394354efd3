"""Fixtures for the deploy tests: the browser-test harness (Server, browser) reused, plus nginx."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM, Server, browser  # noqa: F401 - browser is a fixture used here
from tests.deploy.nginx import Nginx, free_port, nginx_binary, write_config


@pytest.fixture(scope="module")
def nginx_bin() -> str:
    found = nginx_binary()
    if found is None:
        pytest.skip("nginx not installed (apt-get install nginx; .ci/run installs it)")
    return found


@pytest.fixture(scope="module")
def chromium() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def stack(nginx_bin, root, tmp_path_factory):
    """Two `streamlit run app.py` replicas on loopback behind the project's nginx configuration."""
    base = tmp_path_factory.mktemp("deploy")
    replicas = []
    proxy = None
    try:
        replicas = [Server(root, base / f"replica{i}.log") for i in range(2)]
        port = free_port()
        proxy = Nginx(nginx_bin, write_config(base / "nginx", [f"127.0.0.1:{r.port}" for r in replicas], port), port)
        proxy.start()
        yield proxy, replicas
    finally:
        if proxy is not None:
            proxy.stop()
        for r in replicas:
            r.stop()
