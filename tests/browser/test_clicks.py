"""A class clicking fast: random Train / Pause / Step / Reset clicks and live-slider moves on every page.

The race this guards against: Streamlit's fast reruns start a new script thread for a click while the
previous one is still inside a training tick; two threads stepping one model put tracebacks on the
page (and once killed the server). After every Step pressed on a paused run the step count must have
grown by exactly the chosen number of steps, and a Reset must show step 0.
"""

from __future__ import annotations

import os
import random
import re
import time

import pytest

from tests.browser.ui import by_key, click, enabled, exceptions, open_page, settle, step_count, wait_for_change

SECONDS = float(os.environ.get("RNNVIZ_CLICK_SECONDS", "60"))

# url path -> (training-control key, key of a live slider on that page, steps per Step press by default)
PAGES = {
    "srn": ("srn", "srn_lr", 1),
    "shapes": ("shapes", "shapes_lr", 10),
    "seq2seq": ("seq2seq_hello", "s2s_lr", 1),
    "gated": ("gated", "gated_lr", 1),
    "char_lm": ("char_lm", "char_lm_np_lr", 1),
    "training_basics": ("basics", "basics_lr", 1),
    "binary_addition": ("binary", "binary_lr", 1),
}


def _nudge(page, slider_key: str, direction: str) -> None:
    handle = by_key(page, slider_key).locator("input[type='range']").first
    handle.focus()
    page.keyboard.press(direction)


def _reset_shows_zero(page, key: str) -> bool:
    """Press Reset; if the click landed, the page must show step 0. Says whether it landed."""
    before = step_count(page)
    if not click(page, f"{key}__btn_reset"):
        return False
    wait_for_change(page, step_count, before)
    assert step_count(page) == 0, "Reset did not bring the step count back to 0"
    return True


def _finished(page) -> bool:
    """Does the control say the run ended by itself? (Case-sensitive: "converged" also appears in page prose.)"""
    return page.get_by_text(re.compile(r"epochs done:|Converged:|Finished: the planned")).count() > 0


@pytest.mark.parametrize("path", list(PAGES))
def test_random_clicks_never_race(server, browser, shots, path):
    key, slider, per_step = PAGES[path]
    rng = random.Random(f"clicks-{path}")
    page = open_page(browser, f"{server.url}/{path}")
    actions = ["train", "pause", "step", "reset", "slider"]
    weights = [3, 3, 3, 1, 3]
    checked_steps = resets = 0
    direction = "ArrowRight"
    deadline = time.time() + SECONDS
    while time.time() < deadline:
        action = rng.choices(actions, weights)[0]
        if action == "train":
            click(page, f"{key}__btn_train")
        elif action == "pause":
            click(page, f"{key}__btn_pause")
        elif action == "slider":
            _nudge(page, slider, direction)  # back and forth: the learning rate stays near its default
            direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"
        elif action == "reset":
            resets += _reset_shows_zero(page, key)
        elif action == "step":
            click(page, f"{key}__btn_pause")
            settle(page)
            if enabled(page, f"{key}__btn_pause"):  # a tick's rerun re-enabled it: pause again
                click(page, f"{key}__btn_pause")
                settle(page)
            if _finished(page) and step_count(page) > 0:  # out of epochs (seq2seq ends after 15): start again
                resets += _reset_shows_zero(page, key)  # so this Step is one that can be checked
            before = step_count(page)
            if not click(page, f"{key}__btn_step"):  # not clickable within 5 s (page busy): as for a user, nothing
                continue
            after = wait_for_change(page, step_count, before)
            if _finished(page):  # converged or out of epochs: start again so Steps keep being checked
                click(page, f"{key}__btn_reset")
                wait_for_change(page, step_count, after)
                resets += 1
            else:
                assert after == before + per_step, f"Step ×{per_step} went from {before} to {after}"
                checked_steps += 1
        page.wait_for_timeout(rng.randint(80, 600))
        assert exceptions(page) == 0, page.locator("[data-testid='stException']").first.inner_text()
    for _ in range(3):  # every run of the test checks Reset at least once
        if resets:
            break
        settle(page)
        resets += _reset_shows_zero(page, key)
    settle(page)
    page.screenshot(path=str(shots / f"clicks-{path}.png"))
    page.close()
    assert server.alive(), "the server process died"
    assert not server.tracebacks(), server.tracebacks()[0]
    assert checked_steps >= 2 and resets >= 1, (checked_steps, resets)
