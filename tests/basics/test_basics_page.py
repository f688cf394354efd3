"""AppTest of the training-basics page: every tab renders, Step advances all three ways, the optimizer
change resets with a message, the stepper takes a real step, the guard pauses a diverging fit."""

import json


from tests.conftest import button, figures, metric, open_page

PAGE = "app_pages/training_basics.py"
TABS = ("Three ways, live", "One step, opened up", "Loss functions", "Optimizers", "Learning rate")


def _ways(at):
    tables = [t.value for t in at.dataframe if "own loss" in getattr(t.value, "columns", [])]
    assert tables, "no table of the three ways"
    return tables[0]


def _press(at, key: str):
    """Click a button, then run the whole page (a control's Step may rerun only its live part)."""
    button(at, key).click().run()
    return at.run()


def _tab(at, name: str):
    at.session_state["basics_tab"] = name
    return at.run()


def _drawn(at) -> str:
    return " ".join(json.dumps(f, ensure_ascii=False) for f in figures(at))


def test_renders_the_live_fit_at_step_0(at):
    assert not at.exception
    assert metric(at, "Step") == "0" and metric(at, "State") == "paused"
    table = _ways(at)
    assert list(table["way"])[:3] == ["1 · NumPy by hand", "2 · autograd", "3 · nn.Linear (RMSprop)"]
    assert list(table["own loss"])[:3] == ["–", "–", "–"] and table["MSE"].iloc[3] == "0.00440858"
    drawn = _drawn(at)
    assert "1 · NumPy" in drawn and "3 · nn.Linear, RMSprop" in drawn and "best cubic" in drawn and "Press Train or Step" in drawn
    assert at.select_slider(key="basics_lr").value == 1e-6 and at.selectbox(key="basics_opt3").value == "RMSprop"
    assert any("learning_rate = 1e-06" in c.value and "grad_b = (grad_y_pred * x).sum()" in c.value for c in at.code)


def test_step_advances_all_three_ways(at):
    _press(at, "basics__btn_step")
    assert not at.exception
    assert metric(at, "Step") == "1" and metric(at, "Loss") != "–"
    first = _ways(at)
    assert first["own loss"].iloc[0] == first["own loss"].iloc[1] == "1788.7831 (sum)"  # ways 1 and 2: one number
    assert first["own loss"].iloc[2] == "0.89439155 (mean)"
    at.selectbox(key="basics__step_size").set_value(100).run()
    _press(at, "basics__btn_step")
    assert metric(at, "Step") == "101"
    later = _ways(at)
    for row in range(3):
        assert later["own loss"].iloc[row] != first["own loss"].iloc[row]
        assert later["b"].iloc[row] != first["b"].iloc[row]
    assert any("Hand-written gradients = autograd's" in s.value for s in at.success)


def test_live_settings_keep_the_run_and_the_optimizer_resets_with_a_message(at):
    steps = metric(at, "Step")
    at.select_slider(key="basics_lr3").set_value(1e-3).run()
    at.toggle(key="basics_forget").set_value(True).run()
    assert metric(at, "Step") == steps and not at.exception
    at.toggle(key="basics_forget").set_value(False).run()
    at.selectbox(key="basics_opt3").set_value("Adam").run()
    assert not at.exception
    assert metric(at, "Step") == "0"
    assert any("You changed **optimizer**" in i.value and "training restarted from step 0" in i.value
               for i in at.info)
    assert list(_ways(at)["way"])[2] == "3 · nn.Linear (Adam)"
    at.radio(key="basics_code_way").set_value("linear").run()
    assert any("torch.optim.Adam(model.parameters(), lr=0.001)" in c.value for c in at.code)


def test_every_tab_renders():
    at = open_page(PAGE)
    for name in TABS:
        _tab(at, name)
        assert not at.exception, name
    drawn = _drawn(at)
    assert "learning rate (sum loss)" in drawn and "lr 4e-06" in drawn  # the learning-rate tab's two charts


def test_stepper_walks_the_five_moves_and_takes_the_step():
    at = _tab(open_page(PAGE), "One step, opened up")
    _press(at, "basics__btn_step")
    latex = " ".join(x.value for x in at.latex)
    assert r"\hat y_i &= a + b\,x_i" in latex
    for move in (1, 2, 3, 4):
        _press(at, "basics_next")
        assert not at.exception and at.session_state["basics_move"] == move
    latex = " ".join(x.value for x in at.latex)
    assert r"\text{None}" in latex
    assert button(at, "basics_next").label == "Take the step"
    _press(at, "basics_next")
    assert metric(at, "Step") == "2" and at.session_state["basics_move"] == 0
    at.session_state["basics_move"] = 2
    at.run()
    latex = " ".join(x.value for x in at.latex)
    assert r"\partial L / \partial b" in latex and any("loss.backward()" in c.value for c in at.code)


def test_loss_tab_checks_torch_and_refuses_a_bad_cell():
    at = _tab(open_page(PAGE), "Loss functions")
    table = next(t.value for t in at.dataframe if "reduction" in getattr(t.value, "columns", []))
    assert list(table["ours"]) == list(table["torch.nn.functional"])
    assert list(table["ours"]) == ["0, 0, 2", "0.666667", "2", "0, 0, 4", "1.33333", "4"]
    assert any("max |difference| 0.0e+00" in s.value for s in at.success)
    at.session_state["basics_example"] = {"edited_rows": {2: {"y": "five"}}, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    assert any("not a number" in e.value for e in at.error)
    _press(at, "basics_try_mean_0.002")
    assert at.select_slider(key="basics_lr").value == 2e-3
    assert at.segmented_control(key="basics_reduction").value == "mean"


def test_learning_rate_tab_divergence_pauses_with_the_guards_message():
    at = _tab(open_page(PAGE), "Learning rate")
    assert metric(at, "Stable up to (sum)") == "3.56e-06"
    _press(at, "basics_preset_4e-06")
    at.selectbox(key="basics__step_size").set_value(100).run()
    _press(at, "basics__btn_step")
    assert not at.exception
    assert any("Training paused" in e.value and "3.56e-06" in e.value for e in at.error)
    assert metric(at, "State") == "diverged" and int(metric(at, "Step")) < 60


def test_optimizer_race_steps_with_its_own_control():
    at = _tab(open_page(PAGE), "Optimizers")
    _press(at, "basics_opt__btn_step")
    assert not at.exception and metric(at, "Step") == "1"
    drawn = _drawn(at)
    assert "SGD + momentum" in drawn and '"contour"' in drawn
    at.selectbox(key="basics_pair").set_value("a, c").run()
    assert metric(at, "Step") == "1" and not at.exception
