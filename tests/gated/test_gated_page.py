"""AppTest of the gated page: renders, Step advances all three models, task/length switches reset with a message."""

import json


from tests.conftest import button, figures, metric, open_page

PAGE = "app_pages/gated.py"


def _table(at):
    """The per-model table (model, hidden units, parameters, ms / step, steps done, ...)."""
    tables = [t.value for t in at.table if "steps done" in t.value.columns]
    assert tables, "no model table"
    return tables[0]


def test_renders_three_models_with_the_seed_preset(at):
    assert not at.exception
    table = _table(at)
    assert list(table["model"]) == ["RNN", "LSTM", "GRU"]
    assert list(table["parameters"]) == ["18,954", "71,946", "54,282"]  # hidden 128, 8 inputs, 10 classes
    assert list(table["steps done"]) == [0, 0, 0]
    assert at.radio(key="gated_nonlin").value == "relu" and at.selectbox(key="gated_opt").value == "RMSprop"
    assert at.select_slider(key="gated_lr").value == 0.003
    titles = " ".join(json.dumps(f) for f in figures(at))
    assert "Accuracy" in titles and "Gradient reaching each time step" in titles and "Reading the digit" in titles
    assert any("class Classifier" in c.value and "nn.RNN(8, 128" not in c.value for c in at.code)  # LSTM code


def test_step_advances_all_three_models_and_changes_the_view(at):
    before = _table(at)
    button(at, "gated__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "1"
    table = _table(at)
    assert list(table["steps done"]) == [1, 1, 1]
    assert all(v != "–" for v in table["ms / step"])
    at.selectbox(key="gated__step_size").set_value(10).run()
    button(at, "gated__btn_step").click().run()
    table = _table(at)
    assert list(table["steps done"]) == [11, 11, 11] and list(table["scored at step"]) == [10, 10, 10]
    assert list(table["test acc"]) != list(before["test acc"])
    assert any("weights of step 11" in c.value for c in at.caption)  # the gradient profile


def test_switching_task_or_length_resets_with_a_message():
    at = open_page(PAGE)
    button(at, "gated__btn_step").click().run()
    at.radio(key="gated_task").set_value("long_range").run()
    assert not at.exception
    assert any("training restarted from step 0" in i.value for i in at.info)
    assert metric(at, "Step") == "0"
    assert at.slider(key="gated_length").value == 40 and at.radio(key="gated_nonlin").value == "tanh"
    assert at.toggle(key="gated_fb_on").value and at.select_slider(key="gated_fb").value == 3.0
    assert list(_table(at)["hidden units"]) == [32, 32, 32]
    button(at, "gated__btn_step").click().run()
    at.slider(key="gated_length").set_value(10).run()
    assert any("restarted from step 0 (the previous run had 1 step" in i.value for i in at.info)
    assert any("answer" in m.value and "Sequence #0" in m.value for m in at.markdown)
    # a live change keeps the run
    button(at, "gated__btn_step").click().run()
    at.select_slider(key="gated_lr").set_value(0.01).run()
    assert metric(at, "Step") == "1" and not at.exception


def test_every_inside_view_renders_and_budget_resizes():
    at = open_page(PAGE)
    at.radio(key="gated_task").set_value("long_range").run()
    button(at, "gated__btn_step").click().run()
    for tab in ("LSTM gates", "GRU gates", "Hidden states", "Confusion and mistakes"):
        at.session_state["gated_tab"] = tab
        at.run()
        assert not at.exception, tab
    titles = " ".join(json.dumps(f) for f in figures(at))
    assert "Confusion matrices" in titles
    at.session_state["gated_tab"] = "LSTM gates"
    at.run()
    latex = " ".join(l.value for l in at.latex)
    assert r"f_t = \sigma(W_{if}x_t" in latex and r"c_t = f_t \odot c_{t-1}" in latex
    at.toggle(key="gated_budget").set_value(True).run()
    hidden = list(_table(at)["hidden units"])
    assert hidden[1] == 32 and hidden[0] > hidden[2] > 32


def test_exploding_loss_gives_a_message_and_keeps_the_run():
    at = open_page(PAGE)
    at.radio(key="gated_task").set_value("long_range").run()
    at.number_input(key="gated_example").set_value(450).run()
    at.radio(key="gated_task").set_value("digits").run()  # 360 test images: the example number follows
    assert not at.exception and at.number_input(key="gated_example").value == 359
    at.select_slider(key="gated_lr").set_value(1.0).run()  # RMSprop lr 1 on the ReLU RNN explodes
    at.selectbox(key="gated__step_size").set_value(100).run()
    button(at, "gated__btn_step").click().run()
    assert not at.exception
    assert any("the loss exploded" in e.value and "smaller learning rate" in e.value for e in at.error)
    assert "diverged" in metric(at, "State")
    assert list(_table(at)["steps done"]) == [0, 0, 0]  # back to the last good weights
