"""Page sections that rerun alone, and cached pure computations.

A Streamlit page reruns its whole script whenever one of its widgets changes. On a page with
tables, LaTeX, grids and charts that costs the learner most of a second per click. ``section``
turns a function that draws one part of a page into a fragment: a widget inside it reruns only
that function, and the rest of the page stays as it is. Pages use it as a decorator and call the
function where the section belongs::

    @section
    def step_through() -> None:
        t = st.slider("Time step t", 1, T, key="srn_t", bind="query-params")
        ...  # everything that depends on t

    step_through()

Rules that keep a section correct:

* It reads the page's values (widgets above it, data) through its closure. Those are the values
  of the last full run, which is right: a widget outside any section reruns the whole page.
* Its own widgets' values are used only inside it: after a section-only rerun, code outside the
  section still holds the old values. Keep a widget together with everything that depends on it.
* It draws only inside itself (Streamlit cannot redraw elements outside a fragment from it).

A section that shows the state of a training run (samples, a checkpoint list) needs nothing
special: every click on the training control reruns the whole page, the section included, so it
never shows a run older than the step count. Draw it after the control in the script.

``cached`` is ``st.cache_data`` for the pure, expensive computations a page repeats on every
run (oracle checks, equation tables, figures of fixed data). Its arguments must be hashable by
Streamlit (numbers, strings, tuples, numpy arrays, frozen dataclasses of those), and its result
is pickled, so it returns a copy every time: mutating it cannot spoil the cache.

``by_step`` is the same idea for what a page builds from a training run (a heatmap of the current
weights): the model only changes when the run steps, so a rerun for an unrelated widget (a live
learning rate, a sampling temperature) reuses the figure built at this step instead of redoing it.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import streamlit as st

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")


def _draw(body: Callable[[], None]) -> None:
    body()


def run_fragment(body: Callable[[], None], key: str | None = None, run_every: float | None = None) -> None:
    """Draw ``body()`` inside a fragment (optionally keyed, optionally re-run every ``run_every`` s)."""
    st.fragment(_draw, key=key, run_every=run_every)(body)


def section(fn: F | None = None) -> Any:
    """Decorator: calling the function draws it as a page section that reruns alone (see the module doc)."""

    def decorate(f: F) -> F:
        @functools.wraps(f)
        def call(*args: Any, **kwargs: Any) -> None:
            run_fragment(lambda: f(*args, **kwargs))

        return call  # type: ignore[return-value]

    return decorate(fn) if fn is not None else decorate


_WRAPPED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # function -> its cached version


def cached(fn: F) -> F:
    """``st.cache_data`` for a pure function of hashable inputs, without a spinner (the calls are short).

    Use inline, ``cached(unrolled_diagram)(x, h, y, focus=t)``, or as a decorator. The cached version
    of a function is made once (making one hashes the function's source).
    """
    try:
        return _WRAPPED[fn]
    except KeyError:
        wrapped = _WRAPPED[fn] = st.cache_data(fn, max_entries=64, show_spinner=False)
        return wrapped  # type: ignore[return-value]


_BY_STEP: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # run -> {"step": n, key: value}


def by_step(run: Any, key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, reused while ``run`` stays at the same step (same run object, same step count).

    For views of a training run's current state: the weights change only when the run steps, so a
    rerun caused by another widget gets the object built before. ``key`` names the view and every
    other input it depends on (``("digit", index, projector)``). The result is shared, not copied:
    draw it, do not change it. Everything built at an older step is dropped.
    """
    memo = _BY_STEP.get(run)
    if memo is None or memo.get("step") != run.step_count:
        memo = _BY_STEP[run] = {"step": run.step_count}
    if key not in memo:
        memo[key] = build()
    return memo[key]
