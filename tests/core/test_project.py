"""Project hygiene: README and CI agree, torch is pinned, no legacy pages/ folder."""

import re

from rnnviz.catalog import PAGES, existing_pages


def _readme_commands(root):
    return re.findall(r"```bash\n(.*?)\n```", (root / "README.md").read_text(), flags=re.S)


def test_ci_runs_the_readme_test_command_verbatim(root):
    ci = (root / ".ci" / "run").read_text().splitlines()
    marker = next(i for i, line in enumerate(ci) if "TEST-COMMAND" in line)
    command = ci[marker + 1].strip()
    assert command.endswith("python -m pytest")
    assert command in _readme_commands(root)


def test_readme_app_command_installs_and_runs(root):
    assert "python -m pip install -r requirements.txt && streamlit run app.py" in _readme_commands(root)


def test_torch_is_pinned_exactly(root):
    lines = [l.strip() for l in (root / "requirements.txt").read_text().splitlines()]
    assert "torch==2.13.0" in lines
    dev = (root / "requirements-dev.txt").read_text()
    assert "-r requirements.txt" in dev and not re.search(r"^torch(?!==2\.13\.0)", dev, flags=re.M)


def test_no_legacy_pages_folder(root):
    # Streamlit runs pages/*.py without app.py on a fresh server's first request.
    assert not (root / "pages").exists()


def test_catalog_pages_exist_and_readme_screenshot_is_shipped(root):
    assert existing_pages(), "no page scripts found"
    assert (root / "app_pages" / "srn.py").exists()
    assert len({p.file for p in PAGES}) == len(PAGES)
    assert (root / "assets" / "screenshot.png").exists()


def test_modules_stay_small(root):
    """House style: no library module or page script over 350 lines (split by concept instead)."""
    files = sorted((root / "rnnviz").rglob("*.py")) + sorted((root / "app_pages").glob("*.py"))
    assert files
    long = {str(f.relative_to(root)): n for f in files if (n := len(f.read_text(encoding="utf-8").splitlines())) > 350}
    assert not long, long
