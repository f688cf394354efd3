"""Small shared input widgets: a number grid that checks what students type and lives in the URL."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import streamlit as st

from rnnviz.core.grids import GridError, format_number, from_compact, parse_grid, to_compact


def _store(url_name: str) -> str:
    return f"grid__{url_name}"


def reset_grids(*url_names: str) -> None:
    """Forget the edited values of these grids (session and page address): they show their defaults again."""
    for name in url_names:
        st.session_state.pop(_store(name), None)
        if name in st.query_params:
            del st.query_params[name]


def _committed(url_name: str, default: np.ndarray, dynamic_rows: bool) -> np.ndarray:
    """The grid's current value: kept in the session (survives page switches), else from the link, else the default."""
    shape = (None, default.shape[1]) if dynamic_rows else default.shape
    kept = st.session_state.get(_store(url_name))
    if kept is not None and (dynamic_rows and kept.shape[1] == default.shape[1] or kept.shape == default.shape):
        return kept
    text = st.query_params.get(url_name)
    if text:
        try:
            return from_compact(text, shape).reshape(-1, default.shape[1])
        except GridError as err:
            st.warning(f"The link's value for {url_name} was not used: {err}", icon=":material/link_off:")
    return default


def matrix_editor(
    label: str,
    default: np.ndarray,
    key: str,
    url_name: str,
    row_labels: Sequence[str] | None = None,
    col_labels: Sequence[str] | None = None,
    dynamic_rows: bool = False,
    help: str | None = None,
) -> tuple[np.ndarray | None, str | None]:
    """Edit a matrix (or a vector, shown as one row) in a grid of text cells.

    Cells take what people type for numbers (``1e5``, ``-0.5``, ``.5``); anything else gets a
    message naming the cell, never a silent change. The value is kept in the session (it
    survives leaving the page) and, when it differs from ``default``, written to the page
    address as ``url_name=1,1;1,1`` so a copied link restores it.

    Returns ``(values, None)`` when every cell holds a finite number, else ``(None, message)``;
    the caller shows the message and keeps its last good state.
    """
    base = np.atleast_2d(np.asarray(default, dtype=float))
    current = _committed(url_name, base, dynamic_rows)
    cols = list(col_labels) if col_labels is not None else [str(j + 1) for j in range(base.shape[1])]
    frame = pd.DataFrame([[format_number(v) for v in row] for row in current], columns=cols)
    if row_labels is not None and not dynamic_rows:
        frame.index = list(row_labels)
    st.markdown(f"**{label}**", help=help)
    edited = st.data_editor(
        frame,
        key=key,
        num_rows="dynamic" if dynamic_rows else "fixed",
        hide_index=dynamic_rows,
        column_config={c: st.column_config.TextColumn(c) for c in cols},
        width="stretch",
    )
    rows = [str(r) for r in edited.index] if not dynamic_rows else [str(i + 1) for i in range(len(edited))]
    if len(edited) == 0:
        return None, f"{label}: needs at least one row."
    try:
        values = parse_grid(edited.to_numpy(dtype=object).tolist(), label.split(" (")[0], rows, cols)
    except GridError as err:
        return None, str(err)
    st.session_state[_store(url_name)] = values
    same_as_default = values.shape == base.shape and np.array_equal(values, base)
    if same_as_default:
        if url_name in st.query_params:
            del st.query_params[url_name]
    else:
        st.query_params[url_name] = to_compact(values)
    return (values[0] if np.ndim(default) == 1 else values), None
