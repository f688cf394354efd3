"""Shared setting widgets whose bad values are said in the page, never silently replaced.

Streamlit's ``number_input`` with ``min_value``/``max_value`` refuses an out-of-range entry in the
browser and quietly keeps the old value (and a link carrying such a value fails to load). These
inputs take any number, then say in the page what is wrong with it; the caller keeps its run.
"""

from __future__ import annotations

from typing import Any

import streamlit as st


def number_setting(where: Any, label: str, lo: float, hi: float, default: float, key: str,
                   whole: bool = True, help: str | None = None, disabled: bool = False) -> float | None:
    """A number input bound to the page address; ``None`` (with an error shown under it) when out of range."""
    value = where.number_input(label, value=int(default) if whole else float(default), step=1 if whole else None,
                               key=key, help=help, disabled=disabled, bind="query-params",
                               format=None if whole else "%.4g")
    if value is None:
        where.error(f"**{label}** is empty: type a number from {lo:g} to {hi:g}.", icon=":material/error:")
        return None
    if whole and value != int(value):
        where.error(f"**{label}** must be a whole number ({value:g} is not).", icon=":material/error:")
        return None
    if not lo <= value <= hi:
        where.error(f"**{label}** must be from {lo:g} to {hi:g}; {value:g} is outside.", icon=":material/error:")
        return None
    return int(value) if whole else float(value)


def stop_if_missing(values: dict[str, Any], what: str = "the settings above") -> None:
    """Stop the rest of the page (the user's run is kept) when any setting came back ``None``."""
    bad = [name for name, v in values.items() if v is None]
    if bad:
        st.info(f"Fix {', '.join(bad)} in {what}: everything below waits for valid values (your training run is "
                "kept).", icon=":material/info:")
        st.stop()
