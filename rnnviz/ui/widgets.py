"""Small shared input widgets: a numeric grid editor with validation."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import streamlit as st


def matrix_editor(
    label: str,
    default: np.ndarray,
    key: str,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    dynamic_rows: bool = False,
    help: str | None = None,
) -> tuple[np.ndarray | None, str | None]:
    """Edit a matrix (or a vector, shown as one row) in a grid.

    Returns ``(values, None)`` when every cell holds a finite number, else
    ``(None, message)``; the caller shows the message and keeps its last good state.
    """
    arr = np.atleast_2d(np.asarray(default, dtype=float))
    cols = list(col_labels) if col_labels is not None else [str(j + 1) for j in range(arr.shape[1])]
    frame = pd.DataFrame(arr, columns=cols)
    if row_labels is not None and not dynamic_rows:
        frame.index = list(row_labels)
    st.markdown(f"**{label}**", help=help)
    edited = st.data_editor(
        frame,
        key=key,
        num_rows="dynamic" if dynamic_rows else "fixed",
        hide_index=dynamic_rows,
        column_config={c: st.column_config.NumberColumn(c, format="%.4g", step=0.0001) for c in cols},
        width="stretch",
    )
    try:
        values = edited.to_numpy(dtype=float)
    except (TypeError, ValueError):
        return None, f"{label}: every cell must be a number."
    if values.size == 0:
        return None, f"{label}: needs at least one row."
    if not np.all(np.isfinite(values)):
        return None, f"{label}: a cell is empty or not a finite number; fill it in."
    if np.ndim(default) == 1:
        values = values[0]
    return values, None
