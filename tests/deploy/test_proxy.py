"""Two app processes behind the project's nginx configuration: every browser stays on its replica.

The stack (tests/deploy/conftest.py) is two ``streamlit run app.py`` on loopback and Debian's nginx
serving deploy/nginx.conf with those two as its upstream. The proxy's access log names the sticky
key and the replica (``$upstream_addr``) of every request, which is how these tests see routing.
Skipped when nginx or Chromium is absent (.ci/run installs both).
"""

from __future__ import annotations

import re
import time
import urllib.request

from tests.browser.ui import VIEW, click, exceptions, open_page, settle, step_count, wait_for_change

COOKIE = "rnnviz_replica"
PAGE, KEY = "srn", "srn"


def _get(url: str, cookie: str | None = None) -> tuple[int, str | None, str]:
    """Status, the proxy's Set-Cookie header (None if it set none) and body of a GET."""
    request = urllib.request.Request(url, headers={"Cookie": f"{COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as r:
        ours = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith(f"{COOKIE}=")]  # not Streamlit's
        assert len(ours) <= 1, ours
        return r.status, (ours or [None])[0], r.read().decode()


def _lines(proxy, key: str, at_least: int = 1, timeout: float = 5.0) -> list[dict[str, str]]:
    """The access-log lines of a sticky key, waiting for ``at_least`` (nginx logs just after it answers)."""
    deadline = time.time() + timeout
    while True:
        lines = [line for line in proxy.log_lines() if line["key"] == key]
        if len(lines) >= at_least or time.time() > deadline:
            return lines
        time.sleep(0.05)


def _upstreams(proxy, key: str, at_least: int = 1) -> set[str]:
    return {line["upstream"] for line in _lines(proxy, key, at_least)}


def _key_on(proxy, upstream: str) -> str:
    """A cookie value that the proxy sends to ``upstream`` (found by asking it: hashing is nginx's own)."""
    for i in range(40):
        key = f"probe{i:02d}"
        _get(f"{proxy.url}/_stcore/health", key)
        if _upstreams(proxy, key) == {upstream}:
            return key
    raise AssertionError(f"no probe key reached {upstream}")


def test_proxy_sets_a_cookie_once_and_keeps_each_key_on_one_replica(stack):
    proxy, replicas = stack
    status, set_cookie, body = _get(f"{proxy.url}/_stcore/health")
    assert (status, body) == (200, "ok")
    found = re.fullmatch(rf"{COOKIE}=([0-9a-f]{{32}}); Path=/; HttpOnly; SameSite=Lax", set_cookie or "")
    assert found, set_cookie
    key = found.group(1)
    for _ in range(6):
        status, again, _ = _get(f"{proxy.url}/_stcore/health", key)
        assert status == 200 and again is None  # the browser has its cookie: nothing new is set
    assert len(_lines(proxy, key, 7)) == 7
    assert len(_upstreams(proxy, key)) == 1  # the cookie-less first request went where the cookie sends the rest
    # different browsers (keys) spread over both replicas
    spread = set()
    for i in range(40):
        _get(f"{proxy.url}/_stcore/health", f"spread{i}")
        spread |= _upstreams(proxy, f"spread{i}")
    assert spread == {f"127.0.0.1:{r.port}" for r in replicas}


def _step_times(page, times: int) -> int:
    for _ in range(times):
        before = step_count(page)
        assert click(page, f"{KEY}__btn_step")
        assert wait_for_change(page, step_count, before) == before + 1
    return step_count(page)


def _step_once_reconnected(page, before: int, timeout: float = 40.0) -> int:
    """After the proxy came back: Step as soon as the page is connected again; the new count."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if click(page, f"{KEY}__btn_step"):  # disabled while the websocket is down
            return wait_for_change(page, step_count, before, timeout=15)
        page.wait_for_timeout(250)
    raise AssertionError("the page did not reconnect through the restarted proxy")


def test_two_browsers_on_two_replicas_keep_their_own_runs(stack, chromium, browser):
    proxy, replicas = stack
    contexts = [browser.new_context(viewport=VIEW) for _ in range(2)]
    try:
        # the first browser comes without a cookie: nginx gives it one, and a replica
        first = open_page(browser, f"{proxy.url}/{PAGE}", context=contexts[0])
        (key1,) = [c["value"] for c in contexts[0].cookies() if c["name"] == COOKIE]
        (up1,) = _upstreams(proxy, key1)
        # the second browser is given a cookie that the proxy sends to the other replica
        (up2,) = {f"127.0.0.1:{r.port}" for r in replicas} - {up1}
        key2 = _key_on(proxy, up2)
        contexts[1].add_cookies([{"name": COOKIE, "value": key2, "url": proxy.url}])
        second = open_page(browser, f"{proxy.url}/{PAGE}", context=contexts[1])
        assert [c["value"] for c in contexts[1].cookies() if c["name"] == COOKIE] == [key2]

        assert (_step_times(first, 2), _step_times(second, 5)) == (2, 5)
        for page in (first, second):  # train both at once
            assert click(page, f"{KEY}__btn_train")
        first.wait_for_timeout(3000)
        for page in (first, second):
            assert click(page, f"{KEY}__btn_pause")
            settle(page)
        counts = [step_count(first), step_count(second)]
        assert counts[0] > 2 and counts[1] > 5, counts
        first.wait_for_timeout(1000)
        assert [step_count(first), step_count(second)] == counts  # paused runs stay where they are

        # every websocket drops with the proxy; each browser must reconnect to its own process, where
        # its session (and run) still is: a different replica would show a fresh run at step 0
        proxy.stop()
        proxy.start()
        assert _step_once_reconnected(first, counts[0]) == counts[0] + 1
        assert _step_once_reconnected(second, counts[1]) == counts[1] + 1
        assert exceptions(first) == exceptions(second) == 0
    finally:
        for context in contexts:
            context.close()

    # the log: each browser's requests (page, static files, websocket, reconnection) on one replica
    deadline = time.time() + 10
    streams = {}
    while time.time() < deadline:
        lines = proxy.log_lines()
        streams = {k: [x for x in lines if x["key"] == k and "/_stcore/stream" in x["request"]] for k in (key1, key2)}
        if all(streams.values()):
            break
        time.sleep(0.3)
    assert all(x["status"] == "101" for k in streams for x in streams[k]) and all(streams.values()), streams
    assert (_upstreams(proxy, key1), _upstreams(proxy, key2)) == ({up1}, {up2})
    assert len([x for x in proxy.log_lines() if x["key"] == key1]) > 5  # the page's own requests were counted
    for replica in replicas:
        assert replica.alive() and not replica.tracebacks(), replica.tracebacks()
