"""What a teacher prepares a lesson with: named presets, hidden controls, a lesson link, predict-then-reveal.

* :func:`preset_bar`: a row of buttons, each setting several of the page's widgets at once (and so the
  page address, since every widget is bound to it). The preset's note says what to look at.
* ``hide=`` in the page address (``?hide=srn_opt,srn_clip_on``) hides the named controls for today's
  lesson (as TensorFlow Playground's ``_hide`` does). A hidden control is still drawn, only not shown, so
  its value, and the link's value for it, keep working. :func:`hide_controls` reads it.
* :func:`lesson_link`: an expander that builds such a link from the page's current setup without typing
  parameter names: pick a preset, tick the controls to hide, copy the link.
* :func:`predict`: a question the student answers before the page shows the answer, which is computed
  from the live model when revealed, with the reason in real numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

from rnnviz.ui.sections import section

HIDE_PARAM = "hide"


@dataclass(frozen=True)
class Preset:
    """A teaching moment in one click: widget values to set, and what to look at once they are set."""

    name: str  # the button label, short ("No activation explodes")
    values: Mapping[str, Any]  # widget key -> value it takes
    note: str  # one or two sentences: what to do and what to watch
    then: Callable[[], None] | None = field(default=None, compare=False)  # extra work (e.g. reset grids)


_PENDING = "lesson__preset_pending"  # (values, stage) of a preset whose values must reach the address


def _apply(page: str, preset: Preset) -> None:
    st.session_state.update(dict(preset.values))
    if preset.then is not None:
        preset.then()
    st.session_state[f"{page}__preset"] = preset.name
    st.session_state[_PENDING] = (dict(preset.values), 1)


def presets_before_page() -> None:
    """Router hook before the page runs: on the first page run after a preset's own, set again each of
    its values that nothing has changed since (see :func:`presets_after_page`)."""
    ss = st.session_state
    pending = ss.get(_PENDING)
    if pending is None or pending[1] < 2:
        return
    del ss[_PENDING]
    for key, value in pending[0].items():
        if key in ss and ss[key] == value:  # a value the user changed since (e.g. another tab) stays changed
            ss[key] = value


def presets_after_page() -> None:
    """Router hook after the page ran: after a preset, one more page run, once the browser has the widgets.

    Streamlit writes a bound widget's programmatic value to the address only if the widget was drawn in
    the run before. A preset that opens another tab sets widgets drawn there for the first time, and the
    link left them out (a copied link lost the preset). A one-shot timer asks for one more page run once
    this one is over (an ``st.rerun()`` here would drop the newly drawn widgets); that run sets the same
    values again, and now they reach the address.
    """
    pending = st.session_state.get(_PENDING)
    if pending is None:
        return
    if pending[1] == 1:
        st.session_state[_PENDING] = (pending[0], 2)

    @st.fragment(run_every=0.1)
    def _again() -> None:
        ctx = get_script_run_ctx()
        if ctx is not None and ctx.fragment_ids_this_run:  # the timer's tick, not the page's own run
            st.rerun(scope="app")

    _again()


def preset_bar(page: str, presets: Sequence[Preset], label: str = "Lesson presets") -> Preset | None:
    """Draw one button per preset; return the preset applied last in this session (``None``: none yet).

    A preset writes its values into the widgets' keys in a callback, before the widgets are drawn, so the
    page runs with them at once and, through the widgets' address binding, puts them in the link.
    """
    st.markdown(f"**{label}**")
    for i, p in enumerate(presets):
        st.button(p.name, key=f"{page}__preset_{i}", on_click=_apply, args=(page, p), help=p.note,
                  width="stretch", icon=":material/school:")
    name = st.session_state.get(f"{page}__preset")
    chosen = next((p for p in presets if p.name == name), None)
    if chosen is not None:
        st.caption(f"**{chosen.name}**: {chosen.note}")
    return chosen


def hidden_keys() -> list[str]:
    """The widget keys named in the page address's ``hide=`` (comma-separated)."""
    raw = st.query_params.get(HIDE_PARAM, "")
    return [k for k in (part.strip() for part in raw.split(",")) if k]


def hide_controls(hideable: Mapping[str, str]) -> list[str]:
    """Hide the controls the link names (only those in ``hideable``: key -> label); return their keys.

    The widgets stay in the page (their values and links keep working); a stylesheet takes them off the
    screen, and a caption says how many are hidden for this lesson.
    """
    keys = [k for k in hidden_keys() if k in hideable]
    if keys:
        rules = "\n".join(f".st-key-{k} {{ display: none !important; }}" for k in keys)
        st.html(f"<style>{rules}</style>")
        st.caption(f"This lesson link hides {len(keys)} control{'s' if len(keys) > 1 else ''}: "
                   + ", ".join(hideable[k] for k in keys) + ".")
    return keys


def lesson_url(hide: Sequence[str], base: str | None = None, params: Mapping[str, str] | None = None) -> str:
    """The page address with its current settings and ``hide=`` set to ``hide`` (left out when empty)."""
    base = base if base is not None else (st.context.url or "")
    parts = urlsplit(base)
    query = {k: v for k, v in (params if params is not None else st.query_params.to_dict()).items()
             if k != HIDE_PARAM}
    if hide:
        query[HIDE_PARAM] = ",".join(hide)
    address = f"{parts.scheme}://{parts.netloc}{parts.path}" if parts.netloc else parts.path
    return address + (f"?{urlencode(query, safe=',;:')}" if query else "")


def lesson_link(page: str, hideable: Mapping[str, str]) -> None:
    """An expander that makes a lesson link: this page's setup, with the ticked controls hidden."""
    with st.expander("Make a lesson link", icon=":material/link:"):
        st.caption("The link keeps every setting this page has now (apply a preset first if you like). Tick the "
                   "controls to hide; students who open the link see only the rest.")
        chosen = st.multiselect("Controls to hide", list(hideable), format_func=hideable.get,
                                default=[k for k in hidden_keys() if k in hideable], key=f"{page}__hide_pick")
        st.code(lesson_url(chosen), language=None, wrap_lines=True)


def lesson_tools(page: str, presets: Sequence[Preset], hideable: Mapping[str, str]) -> Preset | None:
    """The page's lesson tools in the sidebar (presets, lesson-link builder), and its ``hide=`` applied.

    In the sidebar, they leave the page's first screen to the page: at 1366x768 a live section keeps its
    control, readout and main chart together. Returns the preset applied last (``None``: none yet).
    """
    with st.sidebar, st.container(key=f"{page}_lesson"):
        st.divider()
        chosen = preset_bar(page, presets)
        lesson_link(page, hideable)
    hide_controls(hideable)
    return chosen


def predict(key: str, question: str, options: Sequence[str], answer: Callable[[], tuple[str | None, str]],
            help: str | None = None) -> None:
    """Predict, then reveal: the student picks an answer, then the page shows the real one and why.

    ``answer()`` is called only when revealed, on the live model: it returns the right option (one of
    ``options``) and an explanation with the real numbers (Markdown), or ``None`` and what to do first
    when the live model cannot answer yet (nothing trained): then no guess is judged.
    """

    @section
    def _body() -> None:
        ss = st.session_state
        revealed_key = f"{key}__revealed"
        guess = st.radio(question, options, index=None, key=f"{key}__guess", help=help, horizontal=True)
        if not ss.get(revealed_key):
            st.button("Reveal the answer", key=f"{key}__reveal", disabled=guess is None,
                      on_click=ss.__setitem__, args=(revealed_key, True), icon=":material/visibility:",
                      help="Commit to a guess first: the button wakes up once you have picked one.")
            return
        right, why = answer()
        if right is None:  # the live model cannot answer yet (e.g. nothing trained): say so, judge nothing
            st.info(why, icon=":material/hourglass_empty:")
            st.button("Ask again", key=f"{key}__again", on_click=_forget, args=(key,), icon=":material/replay:")
            return
        if guess == right:
            st.success(f"Right: **{right}**.", icon=":material/check_circle:")
        else:
            st.error(f"You said **{guess}**; the answer is **{right}**.", icon=":material/cancel:")
        st.markdown(why)
        st.button("Ask again", key=f"{key}__again", on_click=_forget, args=(key,), icon=":material/replay:")

    _body()


def _forget(key: str) -> None:
    st.session_state[f"{key}__revealed"] = False
    st.session_state[f"{key}__guess"] = None
