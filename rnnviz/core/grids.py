"""Number grids as students type them, and as they travel in a page address.

A grid cell accepts what a person writes for a number: ``1``, ``-0.5``, ``.5``, ``1e5``,
``2.5E-3`` (spaces around it are fine). Anything else (``1,2``, ``one``, an empty cell,
``nan``) is refused with a message that names the cell; nothing is silently changed.

In a URL a grid is written compactly: rows separated by ``;``, cells by ``,``
(``W_ih=1,1;1,1``); a vector is one row.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np


class GridError(ValueError):
    """A cell that is not a finite number; the message names it."""


def format_number(v: float) -> str:
    """Shortest text that reads back as the same float (``1``, ``0.5``, ``1e+05``)."""
    text = repr(float(v))
    return text[:-2] if text.endswith(".0") else text


def parse_cell(value: object, where: str) -> float:
    """A finite float from a cell's content, or a :class:`GridError` naming ``where``."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == "":
        raise GridError(f"{where} is empty or not a finite number; fill it in.")
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            hint = " Use a dot for decimals (0.5), not a comma." if "," in text else ""
            raise GridError(f"{where} holds “{text}”, which is not a number.{hint} "
                            "Numbers look like 2, -0.5, .5 or 1e5.") from None
    if not math.isfinite(number):
        raise GridError(f"{where} is empty or not a finite number ({value!r}); type an ordinary number.")
    return number


def parse_grid(cells: Sequence[Sequence[object]], label: str, row_labels: Sequence[str],
               col_labels: Sequence[str]) -> np.ndarray:
    """A float matrix from rows of cell contents; the first bad cell raises a :class:`GridError`."""
    out = np.empty((len(cells), len(col_labels)))
    for i, row in enumerate(cells):
        for j, value in enumerate(row):
            out[i, j] = parse_cell(value, f"{label}: the cell in row {row_labels[i]}, column {col_labels[j]}")
    return out


def to_compact(values: np.ndarray) -> str:
    """``[[1, 1], [1, 1]]`` -> ``"1,1;1,1"`` (a vector is one row)."""
    rows = np.atleast_2d(np.asarray(values, dtype=float))
    return ";".join(",".join(format_number(v) for v in row) for row in rows)


def from_compact(text: str, shape: tuple[int, ...] | None = None) -> np.ndarray:
    """Read :func:`to_compact`'s form back; a :class:`GridError` when it is not a grid of numbers
    (or, with ``shape``, not of that shape; ``(None, k)`` fixes only the number of columns)."""
    rows = [r.split(",") for r in text.strip().split(";")] if text.strip() else []
    if not rows or len({len(r) for r in rows}) != 1:
        raise GridError(f"“{text}” is not a grid: rows separated by ';', numbers by ','.")
    grid = np.array([[parse_cell(v, f"the value “{v}” in the link") for v in r] for r in rows])
    if shape is not None:
        want = tuple(shape)
        if len(want) == 1:
            grid = grid.reshape(-1) if grid.shape[0] == 1 else grid
            ok = grid.shape == want
        else:
            ok = grid.ndim == 2 and all(w is None or w == g for w, g in zip(want, grid.shape))
        if not ok:
            raise GridError(f"“{text}” has shape {grid.shape}, expected {want}.")
    return grid
