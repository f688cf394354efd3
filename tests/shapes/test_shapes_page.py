"""AppTest of the shapes page: seed defaults, batch_first, cells, errors, mistakes, Step trains."""


from rnnviz.shapes.mistakes import run_mistake
from rnnviz.shapes.model import ShapeConfig
from tests.conftest import button, metric, open_page

PAGE = "app_pages/shapes.py"
LIVE, REAL, LAYOUTS, FACTS, MISTAKES = ("The silent swap, live", "The real shapes", "One batch, two layouts",
                                        "Facts and parameters", "Mistake gallery")


def _tab(at, name: str):
    """Open the page's tab ``name`` (the tabs are lazy: only the open one runs)."""
    at.session_state["shapes_tab"] = name
    return at.run()


def test_opens_on_the_live_tab_with_its_control_and_chart(at):
    assert not at.exception
    assert at.session_state["shapes_tab"] == LIVE
    assert metric(at, "Step") == "0"
    assert [b for b in at.button if b.key == "shapes__btn_train"]
    assert at.select_slider(key="shapes_lr").value == 0.01


def test_seed_defaults_then_batch_first_swaps_input_and_output_not_h_n(at):
    _tab(at, REAL)
    assert not at.exception
    assert (metric(at, "input"), metric(at, "h_0"), metric(at, "output"), metric(at, "h_n")) == \
        ("(3, 5, 4)", "(1, 5, 2)", "(3, 5, 2)", "(1, 5, 2)")
    _tab(at, FACTS)
    assert metric(at, "Total parameters") == "16"
    _tab(at, REAL)
    at.toggle(key="shapes_batch_first").set_value(True).run()
    assert not at.exception
    assert (metric(at, "input"), metric(at, "output")) == ("(5, 3, 4)", "(5, 3, 2)")
    assert (metric(at, "h_0"), metric(at, "h_n")) == ("(1, 5, 2)", "(1, 5, 2)")
    at.toggle(key="shapes_batch_first").set_value(False).run()
    assert metric(at, "input") == "(3, 5, 4)"


def test_facts_table_and_layers(at):
    _tab(at, FACTS)
    facts = [df.value for df in at.dataframe if "check" in getattr(df.value, "columns", [])]
    assert list(facts[0]["equal"]) == ["yes"] and facts[0]["max |difference|"][0] == "0.00e+00"
    at.number_input(key="shapes_layers").set_value(2).run()
    at.toggle(key="shapes_bidir").set_value(True).run()
    assert not at.exception
    facts = [df.value for df in at.dataframe if "check" in getattr(df.value, "columns", [])]
    assert list(facts[0]["equal"]) == ["yes", "yes", "no", "no"]
    _tab(at, REAL)  # the same settings in every tab measured on the module
    assert (metric(at, "output"), metric(at, "h_n")) == ("(3, 5, 4)", "(4, 5, 2)")
    at.number_input(key="shapes_layers").set_value(1).run()
    at.toggle(key="shapes_bidir").set_value(False).run()


def test_cell_loop_is_steppable(at):
    _tab(at, REAL)
    at.selectbox(key="shapes_module").set_value("LSTMCell").run()
    assert not at.exception
    assert (metric(at, "x_t"), metric(at, "h_t"), metric(at, "c_t")) == ("(5, 4)", "(5, 2)", "(5, 2)")
    log = next(c.value for c in at.code if c.value.startswith("step 0"))
    assert "step 0: input size (5, 4) -> output size (5, 2)   <- shown" in log
    at.slider(key="shapes_cell_t").set_value(3).run()
    log = next(c.value for c in at.code if c.value.startswith("step 0"))
    assert log.splitlines()[2].endswith("<- shown") and "<- shown" not in log.splitlines()[0]
    agree = next(s.value for s in at.success if "max |difference| =" in s.value)
    assert float(agree.split("= ")[-1].rstrip(".")) < 1e-6  # float32: equal up to rounding
    at.selectbox(key="shapes_module").set_value("RNN").run()


def test_bad_proj_size_gives_a_message_not_a_traceback(at):
    _tab(at, REAL)
    at.selectbox(key="shapes_module").set_value("LSTM").run()
    at.number_input(key="shapes_proj").set_value(5).run()
    assert not at.exception
    assert any("proj_size (5) must be smaller than hidden_size (2)" in e.value for e in at.error)
    at.number_input(key="shapes_proj").set_value(1).run()
    assert not at.exception and metric(at, "h_n") == "(1, 5, 1)" and metric(at, "c_n") == "(1, 5, 2)"
    at.number_input(key="shapes_proj").set_value(0).run()
    at.selectbox(key="shapes_module").set_value("RNN").run()


def test_gallery_shows_the_real_error(at):
    _tab(at, MISTAKES)
    at.selectbox(key="shapes_mistake").set_value("h0_wrong_batch").run()
    expected = run_mistake("h0_wrong_batch", ShapeConfig()).error
    assert any(e.value == expected for e in at.error), [e.value for e in at.error]


def test_highlight_picks_update_the_indexing_text(at):
    _tab(at, LAYOUTS)
    at.selectbox(key="shapes_pick_t").set_value(2).run()
    text = " ".join(m.value for m in at.markdown)
    assert "`x[2]` → shape `(5, 4)`" in text and "`x[:, 2]` → shape `(5, 4)`" in text
    at.segmented_control(key="shapes_pick_mode").set_value("sentence").run()
    at.selectbox(key="shapes_pick_b").set_value(4).run()
    text = " ".join(m.value for m in at.markdown)
    assert "`x[:, 4]` → shape `(3, 4)`" in text and "`x[4]` → shape `(3, 4)`" in text


def test_step_trains_and_changes_the_shown_loss():
    at = open_page(PAGE)
    assert metric(at, "Step") == "0" and metric(at, "Loss") == "–"
    button(at, "shapes__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "10"
    first = float(metric(at, "Loss"))
    at.selectbox(key="shapes__step_size").set_value(200).run()
    button(at, "shapes__btn_step").click().run()
    assert metric(at, "Step") == "210"
    assert float(metric(at, "Loss")) < first


def test_out_of_range_sizes_are_said_in_the_page_not_replaced():
    at = _tab(open_page("app_pages/shapes.py"), REAL)
    at.number_input(key="shapes_batch").set_value(0).run()
    assert not at.exception
    assert any("batch_size" in e.value and "from 1 to 16; 0 is outside" in e.value for e in at.error)
    at.number_input(key="shapes_batch").set_value(5).run()
    at.number_input(key="shapes_seq").set_value(99).run()
    assert any("seq_len" in e.value and "99 is outside" in e.value for e in at.error)
    at.number_input(key="shapes_seq").set_value(3).run()
    assert not any("outside" in e.value for e in at.error)
