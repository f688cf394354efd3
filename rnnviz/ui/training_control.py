"""The one shared live-training control: Train / Pause / Step / Reset.

Usage on a page::

    run = training_control(
        "srn",                                    # namespace for st.session_state
        build=lambda: SRNRun(config, seed),       # a fresh run
        settings={"config": config, "seed": seed},  # a change rebuilds the run, and the notice names it
        live=("lr", "clip"),                      # fields of those settings that never rebuild
        apply_live=lambda r: r.set_live(config.lr, config.clip),  # ... and how they reach the running run
        render=draw_live_charts,                  # called with the run on every tick
    )
    live_view("srn", draw_heavy_view, every=2.0)  # heavy views: redrawn every 2 s while training

While playing, an ``st.fragment(run_every=TICK)`` advances the run for a time
budget and redraws only the live charts. The redraw rate is the timer's (about three a second); at
full speed training fills what the redraw leaves of each tick (its measured cost is subtracted); the rest of the page is untouched, so a
slider move never waits for training and never loses it. The run object lives in
``st.session_state`` (one per user and page), never in a shared cache.

The control is drawn in the page body, never inside a fragment (a page section): a click on its
buttons is then one run of the page, never a request for the ticking fragment (Streamlit merges queued
requests for one fragment, and a click was seen to be lost that way: Reset pressed, step 403 still
shown), and the ticking fragment is never nested in another one (nested fragments left stale, invisible
copies of the control behind, and rerunning several at once crashed the browser's page with "'setIn'
cannot be called on an ElementNode"). :func:`training_control` refuses to be called inside a fragment.
Pages stay quick on a click because only the open tab's content runs and sections cache their pure
work (``rnnviz.ui.sections``). No callback asks for a rerun of its own (``st.rerun()`` from a callback
lost clicks under fast clicking). A timer tick that arrives after Pause (queued before it) ends its
timer with one page run (:func:`_stray_tick`).

One writer per run. Streamlit's fast reruns start a new script thread for a click while the
previous one may still be inside a training tick (turning them off, ``runner.fastReruns = false``,
made the browser drop its websocket under fast clicks, so they stay on). So every entry point (a page
run, a button callback, a tick) first *claims* the run, which makes any
older tick stop after its current step, and then steps or reads it under the run's
lock. Step after Pause therefore advances exactly the chosen number of steps.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState, get_script_run_ctx

from rnnviz.core.settings import changed, reset_signature, restart_notice
from rnnviz.core.training import TrainingRun
from rnnviz.ui.sections import run_fragment

T = TypeVar("T")

TICK_SECONDS = 0.3  # fragment timer while playing: the live view redraws about three times a second
FILL = None  # a tick's training budget: whatever the tick's drawing leaves of TICK_SECONDS
MIN_BUDGET = 0.1  # seconds of training per tick at least, however slow the drawing
SPEEDS: dict[str, tuple[int | None, float | None]] = {
    # label: (max steps per tick, time budget per tick in seconds)
    "Slow (1 step/tick)": (1, 0.15),
    "Medium (10/tick)": (10, 0.15),
    "Fast (max)": (None, FILL),
}
SLOW, MEDIUM, FAST = SPEEDS
DEFAULT_SPEED = FAST


def _k(key: str, name: str) -> str:
    return f"{key}__{name}"


def _reset(key: str, build: Callable[[], TrainingRun]) -> None:
    st.session_state[_k(key, "run")] = build()
    st.session_state[_k(key, "playing")] = False
    st.session_state[_k(key, "rate")] = deque(maxlen=12)


def _take(key: str) -> TrainingRun:
    """Claim the page's run for this thread: an older tick still inside it stops after its current step."""
    run: TrainingRun = st.session_state[_k(key, "run")]
    run.claim()
    return run


def _on_train(key: str) -> None:
    run = _take(key)
    with run.lock:
        run.clear_divergence()
        reason = run.finish_reason
    if reason:  # nothing to train: say what to do instead of ticking once
        st.session_state[_k(key, "notice")] = reason
        return
    st.session_state[_k(key, "playing")] = True
    st.session_state[_k(key, "notice")] = None


def _on_pause(key: str) -> None:
    st.session_state[_k(key, "playing")] = False
    run = _take(key)
    with run.lock:  # wait for a tick in flight: what the page shows next is where training stopped
        pass


def _on_step(key: str) -> None:
    st.session_state[_k(key, "playing")] = False
    run = _take(key)
    with run.lock:
        run.clear_divergence()
        if run.finished:
            st.session_state[_k(key, "notice")] = run.finish_reason
        else:
            run.step(int(st.session_state.get(_k(key, "step_size"), 1)))


def _on_reset(key: str, build: Callable[[], TrainingRun]) -> None:
    old = st.session_state.get(_k(key, "run"))
    if old is not None:
        old.claim()  # an older tick on the old run stops at once
    _reset(key, build)
    st.session_state[_k(key, "notice")] = None


def get_run(key: str) -> TrainingRun | None:
    """The current run of a page namespace, if one exists."""
    return st.session_state.get(_k(key, "run"))


def read_run(key: str, read: Callable[[TrainingRun], T]) -> T:
    """``read(run)`` on the page's current run, under its lock (the model is never read mid-update)."""
    run = st.session_state[_k(key, "run")]
    with run.lock:
        return read(run)


def is_playing(key: str) -> bool:
    return bool(st.session_state.get(_k(key, "playing"), False))


def live_view(key: str, draw: Callable[[TrainingRun], None], every: float = 2.0) -> None:
    """Draw ``draw(run)`` here, and while training redraw it every ``every`` seconds.

    For heavy views (heatmaps, confusion matrices, gradient profiles) that need not follow
    every training tick. The view reads the run under its lock, so it never sees a model
    in the middle of an update; it does not claim the run, so it never stops training.
    Every click on the control reruns the page, so Step and Reset redraw it too.
    """

    def _view() -> None:
        run = get_run(key)
        if run is None:
            return
        with run.lock:
            draw(run)

    run_fragment(_view, run_every=every if is_playing(key) else None)


def training_control(
    key: str,
    build: Callable[[], TrainingRun],
    settings: Any,
    render: Callable[[TrainingRun], None],
    live: tuple[str, ...] = (),
    apply_live: Callable[[TrainingRun], None] | None = None,
    step_sizes: tuple[int, ...] = (1, 10, 100),
    default_speed: str = DEFAULT_SPEED,
    loss_help: str | None = None,
) -> TrainingRun:
    """Draw the control, keep the run in session state, and render live charts.

    ``settings`` is the page's frozen config, or a mapping of names to values and configs; every
    field except those named in ``live`` rebuilds the run when it changes, with a notice naming it.
    """
    if ThreadState.get().fragment_id is not None:
        raise RuntimeError(f"training_control({key!r}) is inside a fragment (an @section or @st.fragment): draw it "
                           "in the page body, so that a click is one page run and the ticking fragment is not nested")
    ss = st.session_state
    sig_key = _k(key, "signature")
    signature = reset_signature(settings, live)
    if _k(key, "run") not in ss:
        _reset(key, build)
        ss[sig_key] = signature
        ss[_k(key, "notice")] = None
    elif ss.get(sig_key) != signature:
        old = ss[_k(key, "run")]
        old.claim()  # an older tick on the replaced run stops at once
        had_steps = old.step_count
        what = changed(ss.get(sig_key) or {}, signature)
        _reset(key, build)
        ss[sig_key] = signature
        if had_steps:
            ss[_k(key, "notice")] = restart_notice(what, had_steps)
    run: TrainingRun = ss[_k(key, "run")]
    run.claim()  # a tick of an older script run (fast rerun) stops after its current step
    with run.lock:
        if apply_live is not None:
            apply_live(run)

    _buttons(key, build, step_sizes, default_speed)

    @st.fragment(run_every=TICK_SECONDS if is_playing(key) else None, key=_k(key, "live"))
    def _live() -> None:
        """The control's live part: notice, readout and ``render``; a tick trains first."""
        if not is_playing(key) and _stray_tick():
            st.rerun(scope="app")  # a timer left over from before Pause: one page run ends it
        run_now: TrainingRun = ss[_k(key, "run")]
        token = run_now.claim()
        with run_now.lock:
            if is_playing(key):
                max_steps, budget = SPEEDS[ss.get(_k(key, "speed"), default_speed)]
                if budget is FILL:  # the drawing rate is fixed (the timer); training fills the time left
                    budget = max(MIN_BUDGET, TICK_SECONDS - ss.get(_k(key, "draw"), 0.05))
                run_now.run_for(budget, max_steps=max_steps,
                                keep_going=lambda: run_now.holds(token) and is_playing(key))
                ss[_k(key, "rate")].append((time.perf_counter(), run_now.step_count))
                if run_now.divergence is not None or run_now.finished:
                    ss[_k(key, "playing")] = False
                    if run_now.finished:
                        ss[_k(key, "notice")] = run_now.finish_reason
                    st.rerun(scope="app")  # the buttons (in the page body) show the new state
            notice = ss.get(_k(key, "notice"))
            with st.container():  # always there: a notice that comes and goes never shifts (remounts) the charts
                if notice:
                    st.info(notice, icon=":material/refresh:")
            drawing = time.perf_counter()
            with st.container(key=_k(key, "live_box")):  # never faded while a tick trains (common._BASE_CSS)
                _status(key, run_now, loss_help)
                render(run_now)
            took = time.perf_counter() - drawing  # a moving average of what one redraw costs this page
            ss[_k(key, "draw")] = 0.7 * ss.get(_k(key, "draw"), took) + 0.3 * took

    _live()
    return run


def _stray_tick() -> bool:
    """Is this script run a timer tick of the fragment now running (rather than a page or section run)?"""
    ctx = get_script_run_ctx()
    current = ThreadState.get().fragment_id
    return bool(ctx is not None and ctx.fragment_ids_this_run and current in ctx.fragment_ids_this_run)


def _buttons(key: str, build: Callable[[], TrainingRun], step_sizes: tuple[int, ...], default_speed: str) -> None:
    """Train / Pause / Step / Reset, the Step size and the speed."""
    ss = st.session_state
    playing = is_playing(key)
    cols = st.columns([1, 1, 1.2, 1, 2.6])  # the speed box fits "Fast (max)" in projector mode
    cols[0].button("Train", key=_k(key, "btn_train"), on_click=_on_train, args=(key,), type="primary",
                   icon=":material/play_arrow:", shortcut="T", disabled=playing, width="stretch",
                   help="Start live training (shortcut T).")
    cols[1].button("Pause", key=_k(key, "btn_pause"), on_click=_on_pause, args=(key,),
                   icon=":material/pause:", shortcut="P", disabled=not playing, width="stretch",
                   help="Pause training (shortcut P).")
    step_size = int(ss.get(_k(key, "step_size"), step_sizes[0]))
    cols[2].button(f"Step ×{step_size}", key=_k(key, "btn_step"), on_click=_on_step, args=(key,),
                   icon=":material/skip_next:", shortcut="S", width="stretch",
                   help="Run this many steps, then stop (shortcut S).")
    cols[3].button("Reset", key=_k(key, "btn_reset"), on_click=_on_reset, args=(key, build),
                   icon=":material/restart_alt:", shortcut="0", width="stretch",
                   help="Start again from step 0 with the same seed and settings (shortcut 0).")
    with cols[4]:
        sub = st.columns(2)
        sub[0].selectbox("Step size", step_sizes, key=_k(key, "step_size"), bind="query-params",
                         help="How many training steps one press of Step runs.")
        sub[1].selectbox("Speed", list(SPEEDS), index=list(SPEEDS).index(default_speed),
                         key=_k(key, "speed"),
                         help="Steps per tick (about 3 ticks a second) while training: 1, 10, or as many as "
                              "fit in the time the tick's redraw leaves.", bind="query-params")


def _status(key: str, run: TrainingRun, loss_help: str | None = None) -> None:
    """Step count, last loss, and the measured steps per second."""
    with st.container():  # always there, like the notice: the elements after it keep their place
        if run.divergence is not None:
            st.error(run.divergence.message, icon=":material/warning:")
    rate = 0.0
    samples = st.session_state.get(_k(key, "rate"))
    if is_playing(key) and samples and len(samples) >= 2:
        (t0, s0), (t1, s1) = samples[0], samples[-1]
        rate = (s1 - s0) / (t1 - t0) if t1 > t0 else 0.0
    last = run.history[-1]["loss"] if run.history else float("nan")
    state = "training" if is_playing(key) else (
        "diverged" if run.divergence else ("finished" if run.finished else "paused"))
    c = st.columns(4)
    c[0].metric("Step", f"{run.step_count:,}")
    c[1].metric("Loss", f"{last:.5g}" if run.history else "–", help=loss_help or "Training loss of the last step.")
    c[2].metric("Steps / s", f"{rate:,.0f}" if rate else "–",
                help="Measured while training, including redraws. Pure training speed: "
                     f"{run.steps_per_second():,.0f} steps/s.")
    c[3].metric("State", state)
