"""The Dockerfile, .dockerignore, compose file and nginx config agree with each other and with the app.

Docker is not needed: the files are parsed and cross-checked (ports, names, paths, the torch pin,
the health path, Streamlit option names), and nginx -t validates the shipped proxy config.
"""

from __future__ import annotations

import fnmatch
import json
import re
import urllib.parse

import pytest
import tomllib
import yaml

from tests.deploy.nginx import check, free_port, nginx_binary, write_config


def _instructions(root) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", (root / "Dockerfile").read_text())
    return [(m.group(1).upper(), m.group(2).strip()) for m in
            (re.match(r"^\s*([A-Za-z]+)\s+(.*)$", line) for line in text.splitlines() if not line.lstrip().startswith("#"))
            if m]


def _args(root, name: str) -> list[str]:
    return [args for inst, args in _instructions(root) if inst == name]


def _exec_form(args: str) -> list[str]:
    return json.loads(args[args.index("["):])


def _compose(root) -> dict:
    return yaml.safe_load((root / "deploy" / "docker-compose.yml").read_text())


def _option_value(argv: list[str], option: str) -> str:
    return argv[argv.index(option) + 1]


def test_image_runs_the_app_as_a_non_root_user_on_the_exposed_port(root):
    inst = _instructions(root)
    names = [i for i, _ in inst]
    assert names[0] == "FROM" and names[-1] == "CMD"
    (user,) = _args(root, "USER")
    assert user not in ("root", "0") and names.index("USER") < names.index("CMD")
    assert re.search(rf"useradd\b.*\b{re.escape(user)}\b", " ".join(_args(root, "RUN"))), "USER is never created"
    cmd = _exec_form(_args(root, "CMD")[0])
    assert cmd[:3] == ["streamlit", "run", "app.py"] and (root / "app.py").exists()
    assert _option_value(cmd, "--server.address") == "0.0.0.0"  # reachable from the proxy's container
    assert _option_value(cmd, "--server.headless") == "true"
    (exposed,) = _args(root, "EXPOSE")
    assert _option_value(cmd, "--server.port") == exposed


def test_image_command_uses_real_streamlit_options(root):
    from streamlit import config

    cmd = _exec_form(_args(root, "CMD")[0])
    options = [a[2:] for a in cmd if a.startswith("--")]
    assert options and all(o in config._config_options_template for o in options), options


def test_base_python_satisfies_the_project(root):
    base = _args(root, "FROM")[0]
    version = re.search(r"python:(\d+)\.(\d+)", base)
    assert version, base
    need = tomllib.loads((root / "pyproject.toml").read_text())["project"]["requires-python"]
    low = tuple(int(x) for x in re.search(r">=\s*(\d+)\.(\d+)", need).groups())
    assert (int(version.group(1)), int(version.group(2))) >= low


def test_image_installs_the_pinned_cpu_torch_before_the_requirements(root):
    pins = [l.strip() for l in (root / "requirements.txt").read_text().splitlines() if re.match(r"^torch==", l)]
    assert pins == ["torch==2.13.0"]  # the Dockerfile greps this one line out of requirements.txt
    runs = _args(root, "RUN")
    install = next(r for r in runs if "download.pytorch.org/whl/cpu" in r)
    assert "--index-url https://download.pytorch.org/whl/cpu" in install
    assert "grep -E '^torch==' requirements.txt" in install
    assert install.index("whl/cpu") < install.index("pip install -r requirements.txt")
    copies = [(i, a) for i, (inst, a) in enumerate(_instructions(root)) if inst == "COPY"]
    first_run = next(i for i, (inst, a) in enumerate(_instructions(root)) if inst == "RUN" and a == install)
    assert any(a.split()[0] == "requirements.txt" and i < first_run for i, a in copies)


def _health_url(argv: list[str]) -> urllib.parse.SplitResult:
    code = argv[argv.index("-c") + 1]
    return urllib.parse.urlsplit(re.search(r"'(http://[^']+)'", code).group(1))


def test_healthchecks_ask_streamlit_health_on_the_app_port(root):
    docker = _args(root, "HEALTHCHECK")[0]
    docker_argv = _exec_form(docker[docker.index("CMD"):].removeprefix("CMD").strip())
    compose_argv = _compose(root)["services"]["app"]["healthcheck"]["test"]
    assert compose_argv[0] == "CMD" and compose_argv[1:] == docker_argv  # one check, stated twice
    url = _health_url(docker_argv)
    cmd = _exec_form(_args(root, "CMD")[0])
    assert url.path == "/_stcore/health" and str(url.port) == _option_value(cmd, "--server.port")
    assert docker_argv[0] == "python"  # the slim image has no curl


def _ignored(patterns: list[str], path: str) -> bool:
    parts = path.split("/")
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(p, pat) or fnmatch.fnmatch(p, pat.removeprefix("**/")) for pat in patterns
               for p in prefixes)


def test_dockerignore_keeps_what_the_app_needs(root):
    patterns = [l.strip() for l in (root / ".dockerignore").read_text().splitlines()
                if l.strip() and not l.startswith("#")]
    assert not any(p.startswith("!") for p in patterns)  # _ignored does not model exceptions
    needed = ["app.py", "requirements.txt", ".streamlit/config.toml",
              *(p.relative_to(root).as_posix() for d in ("app_pages", "rnnviz", "assets") for p in (root / d).rglob("*")
                if p.is_file() and "__pycache__" not in p.parts)]
    assert not [p for p in needed if _ignored(patterns, p)]
    for unwanted in (".git/HEAD", "static/plotly.min.js", "rnnviz/__pycache__/x.pyc", "tests/conftest.py"):
        assert _ignored(patterns, unwanted), unwanted


def test_compose_proxy_routes_to_the_app_service(root):
    compose = _compose(root)
    services = compose["services"]
    conf = (root / "deploy" / "nginx.conf").read_text()
    hosts = re.findall(r"^\s*server\s+([\w.-]+):(\d+)", conf, flags=re.MULTILINE)
    assert len(hosts) == 1
    host, port = hosts[0]
    assert host in services and host != "proxy"
    app = services[host]
    assert [str(p) for p in app["expose"]] == [port] == _args(root, "EXPOSE")
    assert "ports" not in app  # replicas are reached through the proxy only
    assert str(app["deploy"]["replicas"]).startswith("${RNNVIZ_REPLICAS:-")
    assert (root / "deploy" / app["build"]["context"] / app["build"]["dockerfile"]).resolve() == root / "Dockerfile"
    proxy = services["proxy"]
    assert proxy["depends_on"][host]["condition"] == "service_healthy"
    mounts = [v.split(":") for v in proxy["volumes"]]
    assert ["./nginx.conf", "/etc/nginx/conf.d/default.conf", "ro"] in mounts
    assert re.fullmatch(r"\$\{RNNVIZ_PORT:-\d+\}:80", proxy["ports"][0])
    assert re.search(r"^\s*listen\s+80;", conf, flags=re.MULTILINE)


def test_proxy_config_is_sticky_by_cookie_and_passes_websockets(root):
    conf = (root / "deploy" / "nginx.conf").read_text()
    code = "\n".join(line.split("#", 1)[0] for line in conf.splitlines())
    assert re.search(r"hash\s+\$rnnviz_key\s+consistent;", code)
    assert "ip_hash" not in code  # a school NAT would put the whole class on one replica
    assert re.search(r"map\s+\$cookie_rnnviz_replica\s+\$rnnviz_key", code)
    assert re.search(r"add_header\s+Set-Cookie\s+\$rnnviz_set_cookie;", code)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade;", code)
    assert re.search(r"proxy_set_header\s+Connection\s+\$rnnviz_connection;", code)
    assert re.search(r"proxy_set_header\s+Host\s+\$http_host;", code)  # Streamlit: Origin must equal Host
    assert re.search(r"proxy_http_version\s+1\.1;", code)
    timeout = re.search(r"proxy_read_timeout\s+(\d+)([smh]?);", code)
    assert timeout and int(timeout.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[timeout.group(2)] >= 600
    upload = re.search(r"client_max_body_size\s+(\d+)m;", code)
    limit = tomllib.loads((root / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]
    assert upload and int(upload.group(1)) > limit  # the app's own upload limit decides, not the proxy


def test_nginx_accepts_the_shipped_config(tmp_path):
    binary = nginx_binary()
    if binary is None:
        pytest.skip("nginx not installed (apt-get install nginx; .ci/run installs it)")
    main = write_config(tmp_path, ["127.0.0.1:8501", "127.0.0.1:8502"], free_port())
    result = check(binary, main)
    assert result.returncode == 0, result.stderr
    assert f"configuration file {main} test is successful" in result.stderr
