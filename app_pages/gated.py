"""RNN vs LSTM vs GRU, trained side by side, live (seed 000 exercises, seed 001)."""

import functools

import streamlit as st

from rnnviz.gated import code
from rnnviz.gated.cells import KINDS
from rnnviz.gated.data import LETTERS
from rnnviz.gated.figures import curves, gradient_figure, latex_number, model_rows
from rnnviz.gated.lesson import LESSON_PRESETS, widget_values, winner
from rnnviz.gated.model import NAMES, PRESETS, GatedConfig, gate_memory
from rnnviz.gated.run import GatedRun
from rnnviz.ui import gated_views
from rnnviz.ui.common import chart, projector, seed, show_code
from rnnviz.ui.lesson import Preset, lesson_tools, predict
from rnnviz.ui.sections import section
from rnnviz.ui.training_control import live_view, read_run, training_control

KEY = "gated"
P = projector()
ss = st.session_state
TASKS = {"digits": "Digits, row by row", "long_range": "Long-range memory"}
LRS = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
BIASES = [0.5, 1.0, 2.0, 3.0, 4.0, 5.0]


def _load_preset() -> None:
    ss.update(widget_values(PRESETS[ss["gated_task"]]))


ss.setdefault("gated_task", "digits")
for _k, _v in widget_values(PRESETS[ss["gated_task"]]).items():
    ss.setdefault(_k, _v)

head = st.columns([1.45, 1], vertical_alignment="center" if P else "bottom")
head[0].title("RNN vs LSTM vs GRU")
with head[1]:
    task = st.radio("Task", list(TASKS), format_func=TASKS.get, key="gated_task", horizontal=True,
                    on_change=_load_preset,
                    help="Switching the task loads its preset settings and restarts training.", bind="query-params")
# the intro in one or two sentences; in projector mode it goes under the live section with the settings (big type)
INTRO = ("Trained side by side: a plain RNN, an LSTM (Long Short-Term Memory) and a GRU (Gated Recurrent Unit) learn "
         "the **same task from the same batches with the same seed**. On short sequences they are equals; when the "
         "answer lies **many steps back** only the gated cells learn (the gradient chart shows why).")
if not P:
    st.caption(INTRO)
HIDEABLE = {"gated_task": "Task", "gated_length": "Sequence length", "gated_hidden": "Hidden size",
            "gated_budget": "Same budget", "gated_nonlin": "Plain RNN activation", "gated_opt": "Optimizer",
            "gated_batch": "Batch size", "gated_lr": "Learning rate", "gated_clip_on": "Clip gradients",
            "gated_clip": "Max gradient norm", "gated_fb_on": "LSTM forget bias", "gated_fb": "b_f at the start",
            "gated_zb_on": "GRU update bias", "gated_zb": "b_z at the start"}
lesson_tools(KEY, [Preset(*p) for p in LESSON_PRESETS], HIDEABLE)

# Normal mode: the settings in one compact row (the rest in a collapsed expander), then the live section: control,
# readout, loss and accuracy charts. Projector mode (big type): the live section right under the title, the intro
# and the settings under its charts. The per-model table and the gradient profile follow.
_boxes = [st.container() for _ in range(3)]
settings_box, live_box, details_box = (_boxes[1], _boxes[0], _boxes[2]) if P else _boxes

# ----------------------------------------------------------------------------- settings
with settings_box:
    if P:
        st.caption(INTRO)
    D = widget_values(PRESETS[task])  # every widget's default is its task preset's (Back in the browser resets to it)
    top = st.columns([1.5, 1, 1, 1], vertical_alignment="bottom")
    with top[0]:
        if task == "long_range":
            length = st.slider("Distractors after the letter (sequence length = 1 + this)", 1, 80, D["gated_length"], step=1,
                               key="gated_length",
                               help="How far back the network must remember. Try 10, then 40.", bind="query-params")
        else:
            length = PRESETS["digits"].length
            st.caption("Each 8×8 digit image is read **one row of 8 pixels per time step**; the classifier reads "
                       "the last output.")
    with top[1]:
        lr = st.select_slider("Learning rate (live)", LRS, D["gated_lr"], key="gated_lr",
                              help="Changes the running training at once, without a reset.", bind="query-params")
    with top[2]:
        batch = st.select_slider("Batch size", [16, 32, 64, 128], D["gated_batch"], key="gated_batch", bind="query-params")
    with top[3]:
        st.button("Preset as in the seed" if task == "digits" else "Restore the defaults", on_click=_load_preset,
                  icon=":material/undo:", key="gated_preset", help="Put every setting back to this task's preset.",
                  width="stretch")

    with st.expander("More settings: model sizes, optimizer, clipping, gate biases", icon=":material/tune:"):
        if task == "digits":
            st.caption("Preset *as in the seed*: `nn.RNN(nonlinearity='relu', batch_first=True)`, a linear classifier on "
                       "the last output, RMSprop with learning rate 0.003, cross-entropy loss, batch 64, hidden 128; the "
                       "LSTM and GRU get the same hidden size and training. Data: UCI optdigits, 1797 images (360 kept "
                       "for testing).")
        else:
            st.caption("The first symbol is a letter A-D; then come random digits 1-8 to ignore; the class is the first "
                       "letter (chance = 25 %). Preset: hidden 32, tanh RNN, Adam with learning rate 0.003, batch 64, "
                       "forget and update gates opened at the start (b = 3).")
        c = st.columns(4, gap="medium")
        with c[0]:
            hidden = st.select_slider("Hidden size", [8, 16, 32, 64, 128], D["gated_hidden"], key="gated_hidden", bind="query-params")
            budget = st.toggle("Same budget", D["gated_budget"], key="gated_budget",
                               help="Same parameter budget. At the same hidden size an LSTM has 4 times, a GRU 3 "
                                    "times the recurrent weights of a plain RNN. On: RNN and GRU get as many hidden "
                                    "units as brings them nearest the LSTM's parameter count, so size cannot explain "
                                    "who wins.", bind="query-params")
        with c[1]:
            nonlin = st.radio("Plain RNN activation", ["relu", "tanh"], ["relu", "tanh"].index(D["gated_nonlin"]), key="gated_nonlin", horizontal=True, bind="query-params")
            optimizer = st.selectbox("Optimizer", ["RMSprop", "Adam", "SGD"], ["RMSprop", "Adam", "SGD"].index(D["gated_opt"]), key="gated_opt", bind="query-params")
        with c[2]:
            clip_on = st.toggle("Clip gradients", D["gated_clip_on"], key="gated_clip_on",
                                help="Live, no reset. Rescale each model's gradient to at most this norm before the "
                                     "update: a cure for exploding gradients (not for vanishing ones).", bind="query-params")
            clip = st.select_slider("Max gradient norm", [0.1, 0.25, 0.5, 1.0, 2.0, 5.0], D["gated_clip"], key="gated_clip",
                                    disabled=not clip_on, bind="query-params")
        with c[3]:
            T = 8 if task == "digits" else 1 + length
            fb_on = st.toggle("LSTM forget b_f", D["gated_fb_on"], key="gated_fb_on",
                              help="Forget-gate bias. On: start the LSTM with its forget gate open (bias b_f below). "
                                   "Off: PyTorch's default random biases (about 0).", bind="query-params")
            fb = st.select_slider("b_f at the start", BIASES, D["gated_fb"], key="gated_fb", disabled=not fb_on, bind="query-params")
            zb_on = st.toggle("GRU update b_z", D["gated_zb_on"], key="gated_zb_on",
                              help="Update-gate bias. On: start the GRU with its update gate leaning to 'keep the "
                                   "old state' (bias b_z below). Off: PyTorch's default random biases (about 0).", bind="query-params")
            zb = st.select_slider("b_z at the start", BIASES, D["gated_zb"], key="gated_zb", disabled=not zb_on, bind="query-params")
        keep_f = gate_memory(fb if fb_on else 0.0, T - 1)
        keep_z = gate_memory(zb if zb_on else 0.0, T - 1)
        st.markdown(
            f"**Why the gate biases matter.** The LSTM carries its memory as $c_t = f_t \\odot c_{{t-1}} + i_t \\odot g_t$ "
            f"and the GRU as $h_t = (1-z_t) \\odot n_t + z_t \\odot h_{{t-1}}$. A new network's gates sit near "
            f"$\\sigma(b)$: with PyTorch's default biases ($b \\approx 0$) $f \\approx z \\approx 0.5$, and after the "
            f"{T - 1} steps from the first to the last symbol only "
            f"$0.5^{{{T - 1}}} \\approx {latex_number(gate_memory(0.0, T - 1))}$ "
            f"of the memory, and of the gradient flowing back to it, is left. Now: LSTM "
            f"$\\sigma({fb if fb_on else 0:g})^{{{T - 1}}} \\approx {latex_number(keep_f)}$, GRU "
            f"$\\sigma({zb if zb_on else 0:g})^{{{T - 1}}} \\approx {latex_number(keep_z)}$. "
            "A positive bias starts the gates open (remember by default); training can still learn to close them."
            + (" Turn the toggles off at length 40 to watch the gated cells get stuck like the plain RNN."
               if task == "long_range" else " Eight steps are short: on digits the biases hardly matter.")
        )

config = GatedConfig(
    task=task, length=int(length), hidden=int(hidden), same_budget=bool(budget), rnn_nonlinearity=nonlin,
    optimizer=optimizer, lr=float(lr), batch_size=int(batch), clip=float(clip) if clip_on else None,
    lstm_forget_bias=float(fb) if fb_on else None, gru_update_bias=float(zb) if zb_on else None,
)
clip_value = float(clip) if clip_on else None


def build() -> GatedRun:
    return GatedRun(config, seed=seed())


CHART_HEIGHT = 228 if not P else 360  # the loss and accuracy charts (px): on the first screen with the control


def _short(fig):
    """A loss or accuracy chart cut to fit under the control: shorter, one legend entry per model at its right
    (the title says which line is test, which train; a click on a model still hides both of its lines)."""
    for trace in fig.data:
        model, split = trace.name.rsplit(" ", 1)
        if split == "train":
            trace.showlegend = False
        else:
            trace.name = model
            trace.hovertemplate = f"step %{{x}}: %{{y:.4g}}<extra>{model} test</extra>"
    if P:  # the big title font: the line key goes on a second line
        title = fig.layout.title.text
        fig.update_layout(title={"text": title.replace(" (", "<br>(")}, margin={"t": 110})
    return fig.update_layout(height=CHART_HEIGHT, margin={"b": 45 if not P else 60},
                             legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top"})


def render(run: GatedRun) -> None:
    """Runs on every training tick: nothing beyond the control's readout (the charts refresh once a second)."""


def _charts(run: GatedRun) -> None:
    left, right = st.columns(2)
    with left:
        chart(run.at_last_evaluation(("loss", P), lambda: _short(curves(run, "loss", P))), key="gated_loss")
    with right:
        chart(run.at_last_evaluation(("acc", P), lambda: _short(curves(run, "acc", P))), key="gated_acc")


def _details(run: GatedRun) -> None:
    st.table(model_rows(run), border="horizontal", hide_index=True)
    grad_step, grad_fig = run.at_last_evaluation(
        ("grad", P), lambda: (run.step_count, gradient_figure(run.gradient_profile(), P)))
    chart(grad_fig, key="gated_grad")
    st.caption(
        "Each point is the size of the loss's gradient with respect to the hidden state at step t, averaged over "
        f"100 test examples with the weights of step {grad_step} (redrawn every {run.config.eval_every} steps). "
        "The loss is computed after the last step, so its gradient "
        "enters at the right and travels left, multiplied by one Jacobian ∂h_t/∂h_{t-1} per step. For the plain "
        "RNN that factor is much the same at every step, so the gradient shrinks (or, with large weights, grows) "
        "geometrically: a straight line on this log scale. When it shrinks, the first inputs get almost no "
        "learning signal. The LSTM's cell path c_t = f_t ⊙ c_{t-1} + … and the GRU's z_t ⊙ h_{t-1} path carry it "
        "back with a factor near 1 wherever those gates are open."
    )


with live_box:
    try:
        run: GatedRun = training_control(
            KEY, build=build,
            settings={"config": config, "seed": seed()},
            live=("lr", "clip"),
            apply_live=lambda r: r.set_live(lr, clip_value),
            render=render,
        )
    except (OSError, ValueError) as err:  # e.g. the digits file is missing or unreadable
        st.error(f"Could not set up the training run: {err}", icon=":material/error:")
        st.stop()
    # The curves and the gradient profile change only when the test set is scored (every 10 steps): while
    # training they refresh once a second, so the browser spends its time on training ticks, not on redrawing.
    live_view(KEY, _charts, every=1.0)
with details_box:  # the per-model table (model, hidden units, parameters, accuracies, ...) and the gradient profile
    live_view(KEY, _details, every=1.0)


predict("gated_predict_winner", "Predict: which model wins at length 40?", [NAMES[k] for k in KINDS],
        lambda: read_run(KEY, winner),
        help="Pick one, then reveal: the answer is the best test accuracy so far of each model in this run.")

# ----------------------------------------------------------------------------- inside one example
REFRESH = 3.0  # while training, redraw these views every 3 s (a digit reading costs ~60 ms to build and draw)


@section
def inside_example() -> None:
    """The example picker and the tabs rerun only this section; the views under the tabs follow the run."""
    st.header("Inside one test example")
    n_test = len(run.data.y_test)
    ss.setdefault("gated_example", 0)
    if ss["gated_example"] > n_test - 1:  # the other task has more test examples
        ss["gated_example"] = n_test - 1
    ex_cols = st.columns([1, 3])
    index = int(ex_cols[0].number_input(f"Test example (0-{n_test - 1})", 0, n_test - 1, key="gated_example",
                                        bind="query-params"))
    label = int(run.data.y_test[index])
    with ex_cols[1]:
        if task == "digits":
            st.markdown(f"**Test image #{index}**, a handwritten **{label}**. Press ▶ Play in the chart to read it "
                        "row by row.")
        else:
            symbols = run.data.describe(index).split()
            st.markdown(f"**Sequence #{index}** ({len(symbols)} symbols, answer **{LETTERS[label]}**):  \n"
                        f"**:orange-background[{symbols[0]}]** " + " ".join(symbols[1:]))

    tabs = st.tabs(["Prediction over time", "LSTM gates", "GRU gates", "Hidden states", "Confusion and mistakes"],
                   key="gated_tab", on_change="rerun", bind="query-params")
    for tab, view in zip(tabs, gated_views.TAB_VIEWS):
        with tab:
            if tab.open:
                live_view(KEY, functools.partial(view, index=index, task=task, projector=P), every=REFRESH)


inside_example()


# ----------------------------------------------------------------------------- code
@section
def the_code() -> None:
    """The model picker reruns only this section."""
    st.header("The code")
    code_kind = st.radio("Show the code for", KINDS, format_func=NAMES.get, key="gated_code_kind", horizontal=True,
                         index=1, bind="query-params")
    st.caption(f"A standalone script with the same data, seed, initial weights and batches as this page. It trains "
               f"the {NAMES[code_kind]} for 200 steps and prints its train and test loss and accuracy at step 0 and "
               f"every {config.eval_every} steps: the points of the curves and the table's accuracies at those steps "
               "(if you change the learning rate or clipping during training, the script uses the current values "
               "from the start). It runs from any folder.")
    show_code(code.snippet(code.CodeConfig(code_kind, config, run.hidden[code_kind], run.data.spec.input_size,
                                           run.data.spec.n_classes, seed(), steps=200, lr=lr, clip=clip_value)))


the_code()
