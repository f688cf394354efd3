"""Where the project lives: the root folder and the shipped data in ``assets/``."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # rnnviz/core/paths.py -> the project folder
ASSETS = ROOT / "assets"  # shipped data, each file's origin and licence in assets/README.md
