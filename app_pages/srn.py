"""Simple recurrent network with hand-set weights (seed 003 sections 1-3, seed 000 section 1.3).

Layout (issue 12, projector-ready): title and the run's settings, then the live section (control, readout, loss
and outputs charts) on the first screen; the grids, the four implementations, the step through time and the
hidden-state evolution in lazy tabs below (only the open tab's explanations run; the grids run always).
"""

import numpy as np
import streamlit as st

from rnnviz.core.charts import loss_curve
from rnnviz.srn import code
from rnnviz.srn.figures import (
    hidden_evolution,
    outputs_vs_target,
    step_equations,
    table_rows,
    unrolled_diagram,
    weights_figure,
)
from rnnviz.srn.model import (
    ACTIVATIONS,
    DEFAULT_TARGET,
    SEED_INPUT,
    SRNRun,
    SRNTrainConfig,
    SRNWeights,
    check_shapes,
    compare_implementations,
    max_difference,
    srn_numpy,
)
from rnnviz.ui.common import chart, projector, seed, show_code
from rnnviz.ui.lesson import Preset, lesson_tools, predict
from rnnviz.ui.sections import by_step, cached, section
from rnnviz.ui.training_control import training_control
from rnnviz.ui.widgets import matrix_editor, reset_grids

P = projector()
ss = st.session_state
ss.setdefault("srn_version", 0)


GRIDS = ("x", "W_ih", "W_hh", "W_out", "b", "b_out", "target")


def _reset_editors() -> None:
    ss["srn_version"] += 1
    reset_grids(*GRIDS)


TABS = ("Weights and numbers, step by step", "Hidden-state evolution")
LIVE_HEIGHT = 280  # the live charts: the control, its readout and the loss chart share the first screen
EQUATION = r"h_t = f(W_{ih}\,x_t + W_{hh}\,h_{t-1} + b), \qquad y_t = W_{out}\,h_t + b_{out}, \qquad h_0 = 0"
INTRO = (
    "**Weights set by hand**: two inputs, two hidden units, two outputs and **every weight 1**, the course notes' "
    "network, fed $x = [1,1], [1,1], [2,2]$. Train it live toward a target (mean squared error over all steps); "
    "the tabs below follow the numbers through time and show NumPy, nn.RNNCell and nn.RNN agree."
)
SYMMETRY = (
    "With every weight equal, both hidden units receive identical gradients and stay identical forever: "
    "the network behaves as if it had one hidden unit. *Break the symmetry* adds a little seeded noise "
    "(this is why real networks start from random weights)."
)

PRESETS = [
    Preset("The notes' numbers", {"srn_activation": "tanh", "srn_logy": False, "srn_noise": False,
                                  "srn_tab": TABS[0]},
           "Every weight 1, x = [1,1], [1,1], [2,2], tanh: the tables below show h = 0.96403, 0.99923, 0.99999 "
           "and y = 1.92806, 1.99845, 1.99998, the same in NumPy, nn.RNNCell and nn.RNN.", then=_reset_editors),
    Preset("No activation explodes", {"srn_activation": "none", "srn_logy": True, "srn_noise": False,
                                      "srn_tab": TABS[1]},
           "Without an activation the state is 2, 6, 16: it more than doubles at every step. Add rows to x "
           "and watch the log-scale chart in 'Hidden-state evolution' climb in a straight line.",
           then=_reset_editors),
    Preset("Symmetry never breaks", {"srn_activation": "tanh", "srn_noise": False, "srn_opt": "Adam", "srn_lr": 0.05},
           "Train it: with every weight equal, h[1] and h[2] get the same gradient and stay equal forever "
           "(the dashed and solid lines lie on top of each other). Then turn on 'Break the symmetry'.",
           then=_reset_editors),
    Preset("Break the symmetry", {"srn_activation": "tanh", "srn_noise": True, "srn_opt": "Adam", "srn_lr": 0.05},
           "The same run with ±0.1 of seeded noise on the starting weights: train it and watch the two hidden "
           "units part ways.", then=_reset_editors),
]
HIDEABLE = {"srn_activation": "Activation", "srn_grids": "Weight and bias grids", "srn_opt": "Optimizer",
            "srn_lr": "Learning rate", "srn_clip_on": "Clip gradient norm", "srn_clip": "Max norm",
            "srn_noise": "Break the symmetry", "srn_logy": "Logarithmic y axis", "srn_t": "Time step slider"}

# ----------------------------------------------------------------------------- the first screen
# The title and the run's settings in two compact rows, then the live section at once. In projector mode (big
# type) one row keeps the activation, the optimizer and the learning rate; clipping and the symmetry switch
# go under the live charts, with the introduction.
if P:
    st.title("Simple recurrent network")
    lesson_tools("srn", PRESETS, HIDEABLE)  # the sidebar's presets and lesson link; hide= notes come here
    top = st.columns([2.3, 1, 1.7], vertical_alignment="bottom")
    live_box = st.container()
    more = st.columns([1.4, 1, 1.4], vertical_alignment="bottom")
    place = [*top, *more]
else:
    head = st.columns([2.6, 0.6, 0.95], vertical_alignment="bottom")
    head[0].title("Simple recurrent network")
    st.caption(INTRO)
    lesson_tools("srn", PRESETS, HIDEABLE)
    row2 = st.columns([2.0, 1.05, 0.6, 1.15], vertical_alignment="bottom")
    place = [row2[0], head[1], head[2], *row2[1:]]
    live_box = st.container()
after_live = st.container()
with place[0]:
    activation = st.radio("Activation f", ACTIVATIONS, index=1, horizontal=True, key="srn_activation",
                          help="nn.RNN offers only tanh and relu; 'none' and 'sigmoid' run in NumPy (and a torch loop).",
                          bind="query-params")
with place[1]:
    optimizer = st.selectbox("Optimizer", ["Adam", "SGD"], key="srn_opt", bind="query-params")
with place[2]:
    lr = st.select_slider("Learning rate", [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.05, 0.1, 0.3, 1.0, 3.0, 10.0, 100.0],
                          value=0.05, key="srn_lr", help="Changes the running training at once, without a reset.",
                          bind="query-params")
with place[3]:
    clip_on = st.toggle("Clip gradient norm", key="srn_clip_on", value=False, bind="query-params")
with place[4]:
    clip = st.number_input("Max norm", 0.01, 100.0, 1.0, key="srn_clip", disabled=not clip_on, bind="query-params")
with place[5]:
    noise = st.toggle("Break the symmetry", key="srn_noise", value=False,
                      help="Add ±0.1 of seeded noise to the starting weights.", bind="query-params")

tabs = st.tabs(TABS, key="srn_tab", on_change="rerun", bind="query-params")

# ----------------------------------------------------------------------------- inputs (first tab, drawn on every run)
# The grids feed the live run, so they are drawn whichever tab is open (a hidden tab keeps them); only the
# explanations under them wait for their tab.
v = ss["srn_version"]
default = SRNWeights()
hid, inp, out = ["h[1]", "h[2]"], ["x[1]", "x[2]"], ["y[1]", "y[2]"]
with tabs[0]:
    st.latex(EQUATION)
    row = st.columns([1, 1, 1], gap="medium")
    with row[0]:
        x, x_err = matrix_editor("Input sequence x (one row per time step, 1-10 rows)", SEED_INPUT,
                                 key=f"srn_x_{v}", url_name="x", col_labels=inp, dynamic_rows=True)
    target_box = row[1].container()
    with row[2]:
        st.button("Reset input and weights to the seed's values", on_click=_reset_editors,
                  icon=":material/undo:", key="srn_reset_editors")
        st.caption("Every cell takes a number (1e-2, -0.5, .5). The live run starts from these weights and "
                   "learns toward the target.")
    grids = st.container(key="srn_grids")
    grids.subheader("Weights and biases")
    g = grids.columns(3, gap="medium")
    with g[0]:
        W_ih, e1 = matrix_editor("W_ih (hidden × input)", default.W_ih, f"srn_wih_{v}", "W_ih", hid, inp)
    with g[1]:
        W_hh, e2 = matrix_editor("W_hh (hidden × hidden)", default.W_hh, f"srn_whh_{v}", "W_hh", hid, hid)
    with g[2]:
        W_out, e4 = matrix_editor("W_out (output × hidden)", default.W_out, f"srn_wout_{v}", "W_out", out, hid)
    g = grids.columns(3, gap="medium")
    with g[0]:
        b, e3 = matrix_editor("b (hidden bias)", default.b, f"srn_b_{v}", "b", None, hid)
    with g[1]:
        b_out, e5 = matrix_editor("b_out (output bias)", default.b_out, f"srn_bout_{v}", "b_out", None, out)

errors = [e for e in (x_err, e1, e2, e3, e4, e5) if e]
if not errors:
    weights = SRNWeights(W_ih=W_ih, W_hh=W_hh, b=b, W_out=W_out, b_out=b_out)
    try:
        check_shapes(x, weights)
    except ValueError as err:
        errors.append(str(err))
if not x_err:
    T = len(x)
    with target_box:
        default_target = DEFAULT_TARGET[:T] if T <= len(DEFAULT_TARGET) else np.vstack(
            [DEFAULT_TARGET, np.zeros((T - len(DEFAULT_TARGET), 2))])
        target, t_err = matrix_editor(f"Target y (one row per step: {T} rows)", default_target,
                                      key=f"srn_target_{v}_{T}", url_name="target",
                                      row_labels=[f"t={i + 1}" for i in range(T)], col_labels=out)
    if t_err:
        errors.append(t_err)
if errors:
    with live_box:
        for e in errors:
            st.error(e, icon=":material/error:")
        st.info(f"Fix the highlighted entry (tab '{TABS[0]}'): training and everything else wait for valid "
                "numbers (your training run is kept).")
    st.stop()

T = len(x)
y_act, h_act = srn_numpy(x, weights, activation)
y_none, h_none = srn_numpy(x, weights, "none")  # the network without activation (the question and the chart)


# ----------------------------------------------------------------------------- the live section
def render(run: SRNRun) -> None:
    """The live charts, built once per step: a rerun from a slider or a click elsewhere redraws them as they are."""
    y_now, h_now = by_step(run, "current", run.current)
    c1, c2 = st.columns(2)
    with c1:
        chart(by_step(run, ("loss", P), lambda: loss_curve(run.series("loss"), run.series("step"),
                                                           title="Training loss (MSE)", projector=P,
                                                           height=LIVE_HEIGHT)), key="srn_loss")
    with c2:
        chart(by_step(run, ("outputs", P), lambda: outputs_vs_target(y_now, target, projector=P, height=LIVE_HEIGHT)),
              key="srn_outputs")
    chart(by_step(run, ("weights", P), lambda: weights_figure(run.model.weights(), projector=P)), key="srn_weights")
    chart(by_step(run, ("hidden", P), lambda: hidden_evolution({"h_t now": h_now}, projector=P)), key="srn_h_live")


noise_scale = 0.1 if noise else 0.0
start = weights.perturbed(noise_scale, seed()) if noise else weights
clip_value = float(clip) if clip_on else None
train_config = SRNTrainConfig(optimizer, lr, clip_value)


def build() -> SRNRun:
    return SRNRun(x, target, start, activation, train_config, seed=seed())


with live_box:  # page body (a training control never sits in a fragment), drawn above the tabs
    training_control(
        "srn",
        build=build,
        settings={"input": x, "target": target, "activation": activation, "optimizer": optimizer,
                  "break_the_symmetry": noise, "seed": seed(), "weights": weights},
        apply_live=lambda r: r.set_live(lr, clip_value),
        render=render,
        default_speed="Medium (10/tick)",
    )
with after_live:
    st.caption(SYMMETRY + f" The run starts from the weights in the tab '{TABS[0]}' and learns toward its target.")
    if P:
        st.caption(INTRO)


# ----------------------------------------------------------------------------- 1. the numbers, step by step
@section
def step_through() -> None:
    """The time-step slider reruns only this section."""
    st.header("Step through time")
    t = st.slider("Time step t", 1, T, 1, key="srn_t", bind="query-params") if T > 1 else 1
    for line in cached(step_equations)(x, h_act, weights, activation, t):
        st.latex(line)
    chart(cached(unrolled_diagram)(x, h_act, y_act, focus=t, projector=P), key="srn_unrolled")


def _h2_question() -> tuple[list[str], str]:
    """Options for "h_2 with no activation" from the page's own numbers: the answer and tempting mistakes."""
    right = f"{h_none[1, 0]:.6g}"
    tempting = [h_none[0, 0], 2 * h_none[0, 0], y_none[1, 0], float(np.tanh(h_none[1, 0]))]
    options = {right} | {f"{v:.6g}" for v in tempting}
    return sorted(options, key=float), right


with tabs[0]:
    if tabs[0].open is not False:
        st.header("Four implementations, side by side")
        results = cached(compare_implementations)(x, weights, activation)
        cols = st.columns(2, gap="large") * 2
        for col, (name, res) in zip(cols, results.items()):
            with col:
                st.markdown(f"**{name}**")
                if isinstance(res, str):
                    st.warning(res, icon=":material/block:")
                else:
                    st.dataframe(table_rows(*res), hide_index=True, width="stretch")
        reference = results["nn.RNN one call"]
        if isinstance(reference, str):
            st.info(f"Agreement check against nn.RNN is not possible with '{activation}': {reference} "
                    "Choose tanh or relu to compare with PyTorch.")
        else:
            diffs = {name: max_difference(res, reference) for name, res in results.items()
                     if not isinstance(res, str) and name != "nn.RNN one call" and name != "NumPy, no activation"}
            worst = max(diffs.values())
            text = " · ".join(f"{n}: {d:.2e}" for n, d in diffs.items())
            (st.success if worst < 1e-9 else st.error)(
                f"Max |difference| against nn.RNN (h_t and y_t): {text}", icon=":material/check_circle:")

        step_through()

        if T >= 2:
            _options, _right = _h2_question()
            predict(
                "srn_predict_h2",
                "Predict: with **no activation** and the weights above, what is h_2 (unit 1)?",
                _options,
                lambda: (_right, (
                    f"h_2 = W_ih x_2 + W_hh h_1 + b. With the weights above h_1 = {h_none[0, 0]:.6g} "
                    f"(unit 1), so h_2 = {_right}: the new input *plus* the whole previous state, fed through W_hh. "
                    "With tanh the same sum is squashed into (-1, 1) instead, which is why the tanh tables stay "
                    "below 1.")),
                help="Pick one, then reveal: the answer comes from the NumPy network above, with these weights.",
            )


# ----------------------------------------------------------------------------- 2. evolution
@section
def evolution(log_y: bool) -> None:
    """The chart of the second tab, drawn only while the tab is open."""
    compare = {"no activation": h_none}
    if activation != "none":
        compare[activation] = h_act
    chart(cached(hidden_evolution)(compare, projector=P,
                                   log_y=log_y and all((h > 0).all() for h in compare.values())),
          key="srn_evolution")
    st.caption(
        "Without an activation each step adds W_hh h_{t-1} to the new input, so with weights of 1 the state "
        "doubles and more at every step and grows without bound (2, 6, 16 with the seed's input). tanh squashes "
        "every pre-activation into (-1, 1): the state saturates near 1 and the outputs stay near 2."
    )


with tabs[1]:
    st.header("Hidden-state evolution: why the activation matters")
    # drawn on every run, whichever tab is open: a preset sets it (and so the page address) from another tab
    log_y = st.toggle("Logarithmic y axis", key="srn_logy", value=False, bind="query-params")
    if tabs[1].open is not False:
        evolution(log_y)

# ----------------------------------------------------------------------------- code
code_config = code.CodeConfig(x, weights, activation, target, train_config, seed(), noise_scale, steps=20)
show_code(code.snippet(code_config), label="Show code: reproduce this in plain PyTorch (the four implementations' "
          f"table, then the first {code_config.steps} losses of the live run)")
