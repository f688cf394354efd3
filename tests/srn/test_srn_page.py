"""AppTest of the SRN page: renders, Step trains, edits change the table, bad input gets a message."""

import re
import subprocess
import sys

import numpy as np

from rnnviz.srn.code import CodeConfig, snippet
from rnnviz.srn.model import SEED_INPUT, SRNWeights, srn_numpy
from tests.conftest import button, metric, open_page

PAGE = "app_pages/srn.py"


def _tables(at):
    """The four implementation tables (the grid editors are dataframes too; skip them)."""
    return [df.value for df in at.dataframe if "y_t" in getattr(df.value, "columns", [])]


def _edit(key: str, row: int, col: str, value):
    return {"edited_rows": {row: {col: value}}, "added_rows": [], "deleted_rows": []}


def test_renders_seed_numbers_and_agreement(at):
    assert not at.exception
    tables = _tables(at)
    assert list(tables[0]["y_t"]) == ["4, 4", "12, 12", "32, 32"]  # NumPy, no activation
    for table in tables[1:4]:  # NumPy tanh, RNNCell, RNN
        assert list(table["y_t"]) == ["1.92806, 1.92806", "1.99845, 1.99845", "1.99998, 1.99998"]
        assert list(table["h_t"]) == ["0.96403, 0.96403", "0.99923, 0.99923", "0.99999, 0.99999"]
    assert any("Max |difference| against nn.RNN" in s.value and "0.00e+00" in s.value for s in at.success)
    step1 = " ".join(l.value for l in at.latex)
    assert "0.96403" in step1 and "1.92806" in step1  # t=1 equations with the numbers substituted


def test_step_advances_training_and_changes_shown_loss():
    at = open_page(PAGE)
    assert metric(at, "Step") == "0"
    button(at, "srn__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "1"
    first = metric(at, "Loss")
    assert first != "–"
    at.selectbox(key="srn__step_size").set_value(10).run()
    button(at, "srn__btn_step").click().run()
    assert metric(at, "Step") == "11"
    assert float(metric(at, "Loss")) < float(first)


def test_editing_a_weight_changes_the_table():
    at = open_page(PAGE)
    before = _tables(at)[1]["y_t"].tolist()
    at.session_state["srn_wout_0"] = _edit("srn_wout_0", 0, "h[1]", 3.0)
    at.run()
    assert not at.exception
    after = _tables(at)[1]["y_t"].tolist()
    assert after != before
    w = SRNWeights(W_out=np.array([[3.0, 1.0], [1.0, 1.0]]))
    y, _ = srn_numpy(SEED_INPUT, w, "tanh")
    assert after[0].split(", ")[0] == f"{y[0, 0]:.5f}".rstrip("0")


def test_activation_switch_and_unsupported_torch_activation():
    at = open_page(PAGE)
    at.radio(key="srn_activation").set_value("sigmoid").run()
    assert not at.exception
    assert any("only nonlinearity 'tanh' or 'relu'" in w.value for w in at.warning)
    at.radio(key="srn_activation").set_value("relu").run()
    assert list(_tables(at)[3]["y_t"]) == ["4, 4", "12, 12", "32, 32"]  # relu = identity here


def test_empty_cell_gives_message_not_traceback():
    at = open_page(PAGE)
    at.session_state["srn_whh_0"] = _edit("srn_whh_0", 1, "h[2]", None)
    at.run()
    assert not at.exception
    assert any("empty or not a finite number" in e.value for e in at.error)


def test_show_code_snippet_reproduces_page_numbers(root):
    w = SRNWeights(W_ih=np.array([[0.5, -1.0], [2.0, 0.25]]), b=np.array([0.1, -0.2]))
    x = np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0], [-1.0, 0.5]])
    for activation in ("tanh", "relu", "sigmoid", "none"):
        out = subprocess.run([sys.executable, "-c", snippet(CodeConfig(x, w, activation))], capture_output=True,
                             text=True, timeout=120, cwd=root)
        assert out.returncode == 0, out.stderr
        rows = re.findall(r"t=(\d+) h=\[(.*?)\] y=\[(.*?)\]", out.stdout)
        assert len(rows) == len(x)
        y, h = srn_numpy(x, w, activation)
        got_h = np.array([[float(v) for v in r[1].split(",")] for r in rows])
        got_y = np.array([[float(v) for v in r[2].split(",")] for r in rows])
        np.testing.assert_allclose(got_h, h, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(got_y, y, rtol=1e-12, atol=1e-12)


def test_exploding_learning_rate_pauses_with_message_in_page():
    at = open_page(PAGE)
    at.selectbox(key="srn_opt").set_value("SGD").run()
    at.select_slider(key="srn_lr").set_value(100.0).run()
    at.selectbox(key="srn__step_size").set_value(10).run()
    button(at, "srn__btn_step").click().run()
    assert not at.exception
    assert any("Training paused" in e.value and "smaller learning rate" in e.value for e in at.error)
    assert metric(at, "State") == "diverged"
    steps = int(metric(at, "Step"))
    assert steps < 10
    # lowering the learning rate and stepping again continues from the kept weights
    at.select_slider(key="srn_lr").set_value(0.01).run()
    button(at, "srn__btn_step").click().run()
    assert int(metric(at, "Step")) == steps + 10
    assert not any("Training paused" in e.value for e in at.error)


def test_changing_activation_resets_training_with_notice():
    at = open_page(PAGE)
    button(at, "srn__btn_step").click().run()
    assert metric(at, "Step") == "1"
    at.radio(key="srn_activation").set_value("relu").run()
    assert metric(at, "Step") == "0"
    assert any("training restarted from step 0" in i.value for i in at.info)


def test_show_code_prints_the_losses_of_the_pages_run(tmp_path):
    """Issue "Show code reproduces what the page did": the page's snippet, run elsewhere, prints its run's losses."""
    at = open_page(PAGE)
    at.selectbox(key="srn_opt").set_value("SGD").run()
    at.toggle(key="srn_noise").set_value(True).run()
    at.selectbox(key="srn__step_size").set_value(10).run()
    button(at, "srn__btn_step").click().run()
    assert not at.exception
    assert metric(at, "Step") == "10"
    assert any("first 20 losses of the live run" in e.label for e in at.expander)
    [script] = [c.value for c in at.code if "Train it live" in c.value]
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    losses = [float(v) for v in re.findall(r"^step \d+: loss (\S+)$", out.stdout, flags=re.M)]
    assert len(losses) == 20
    run = at.session_state["srn__run"]
    np.testing.assert_allclose(losses[:10], run.series("loss"), rtol=1e-10, atol=0)
