"""rnnviz (outside rnnviz.ui) never imports streamlit: checked in a fresh interpreter."""

import pkgutil
import subprocess
import sys

import rnnviz


def test_library_imports_without_streamlit(root):
    modules = [m.name for m in pkgutil.walk_packages(rnnviz.__path__, "rnnviz.") if not m.name.startswith("rnnviz.ui")]
    assert len(modules) >= 5
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "bad = sorted(k for k in sys.modules if k == 'streamlit' or k.startswith('streamlit.'))\n"
        "print('STREAMLIT' if bad else 'CLEAN', bad[:3])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("CLEAN"), out.stdout
