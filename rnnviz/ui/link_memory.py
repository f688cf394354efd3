"""Settings in a closed tab stay in the page address.

Every page draws only its open tab (lazy tabs), and Streamlit 1.67 removes a bound widget's query parameter
at the end of any run that did not draw the widget. Its value survives in the session, but a link copied
while another tab is open lost it: seq2seq's Part 1 settings vanished from a link taken on Part 2, and so did
every view setting of a closed tab. Streamlit offers no public way to keep them, so ``keep_closed_settings``
(called once at the end of every run, from ``app.py``) does it with two small moves on Streamlit's own
query-parameter registry:

- a widget of this page that was bound in an earlier run but not drawn in this one is *unbound* before
  Streamlit's end-of-run clean-up, which then leaves its parameter in the address (its value is kept in the
  session by Streamlit as before, because the widget was bound);
- the last address value of each setting is remembered with the value it stood for; when this page runs
  again without drawing the widget (after a visit to another page), the parameter is put back if the
  session value is still the same, and a page's remembered parameters are taken out of other pages' links.

The browser's Back button had the same loss: Streamlit 1.67 returns to a history entry of the page without
its parameters and, on history navigation, lets the address win, so every changed setting went back to its
default. ``restore_on_back`` (called before the page runs) puts the page's remembered parameters back into
the address before its widgets read it: Back then shows the page as it was left, as the sidebar does.

If Streamlit's internals change shape, it does nothing (the app works as before, only such links are
shorter); ``tests/core/test_link_memory.py`` fails then, so an upgrade cannot break it silently.
"""

from __future__ import annotations

from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

MEMORY_KEY = "_link_memory"  # session key: {param: (page script hash, address value, the value it stood for)}


def _registry() -> tuple[Any, Any, frozenset[str]] | None:
    """(query params registry, run context, ids of the widgets drawn in this run), or None where unavailable."""
    ctx = get_script_run_ctx()
    if ctx is None or ctx.fragment_ids_this_run:  # a fragment run draws only its fragment's widgets
        return None
    try:
        registry = ctx.session_state._state.query_params
        registry._bindings_by_param, registry._query_params  # noqa: B018 - the attributes this module needs
        drawn = frozenset(ctx.shared.widget_ids_this_run.snapshot())
    except AttributeError:
        return None
    return registry, ctx, drawn


def restore_on_back() -> None:
    """On a browser Back/Forward to a page, give its address back the settings it had when it was left."""
    found = _registry()
    if found is None:
        return
    registry, ctx, _drawn = found
    memory = st.session_state.get(MEMORY_KEY, {})
    if not getattr(ctx, "is_history_navigation", False) or not memory:
        return
    try:
        initial = registry._initial_query_params
    except AttributeError:
        return
    page, params = ctx.page_script_hash, registry._query_params
    missing = {param: text for param, (owner, text, _value) in memory.items() if owner == page and param not in params}
    for param, text in missing.items():
        params[param] = text
        initial[param] = [text]  # what the widgets are seeded from on history navigation
    if missing:
        registry._send_query_param_msg()


def _same(a: Any, b: Any) -> bool:
    try:
        return bool(a == b)
    except (TypeError, ValueError):  # arrays and the like: not a setting this module can vouch for
        return False


def keep_closed_settings() -> None:
    """Keep this page's undrawn settings (closed tabs) in the address; take other pages' out of it."""
    found = _registry()
    if found is None:
        return
    registry, ctx, drawn = found
    page = ctx.page_script_hash
    memory: dict[str, tuple[str, str, Any]] = st.session_state.setdefault(MEMORY_KEY, {})
    params = registry._query_params
    changed = False

    for param, binding in list(registry._bindings_by_param.items()):
        if binding.widget_id in drawn:  # drawn: remember what the address says for it (defaults are left out)
            if param in params:
                memory[param] = (binding.script_hash, params[param], st.session_state.get(param))
            else:
                memory.pop(param, None)
        elif binding.script_hash == page:  # this page's, not drawn: Streamlit would take it out of the address
            registry.unbind_widget(binding.widget_id)

    bound = registry._bindings_by_param
    for param, (owner, text, value) in list(memory.items()):
        if param in bound:
            continue
        if owner != page:  # another page's setting, carried along by the navigation: not part of this link
            if param in params:
                del params[param]
                changed = True
        elif not (param in st.session_state and _same(st.session_state[param], value)):
            del memory[param]  # changed by the page while undrawn (a preset, a reset): the old text is wrong
            if params.get(param) == text:
                del params[param]
                changed = True
        elif param not in params:  # back on its page with its tab closed: put it back
            params[param] = text
            changed = True
    if changed:
        registry._send_query_param_msg()
