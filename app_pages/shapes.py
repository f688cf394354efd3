"""Tensor shapes and batch_first (seed 000 section 3, section 1.1)."""

import streamlit as st

from rnnviz.core.charts import loss_curve
from rnnviz.shapes import code
from rnnviz.shapes.diagrams import AXIS_COLOURS, GLOSS, batch_views, cell_step_figure, tensor_blocks
from rnnviz.shapes.facts import cell_matches_module
from rnnviz.shapes.figures import influence_chart, predictions_chart
from rnnviz.shapes.lesson import h_n_question
from rnnviz.shapes.mistakes import swap_demo
from rnnviz.shapes.model import (
    MODULES,
    SEED_BATCH,
    SENTENCES,
    ShapeConfig,
    build_module,
    cell_loop,
    fmt_shape,
    make_input,
    run_module,
    validate,
)
from rnnviz.shapes.run import SwapRun, SwapTaskConfig
from rnnviz.ui.common import chart, projector, seed, show_code
from rnnviz.ui.controls import number_setting, stop_if_missing
from rnnviz.ui.lesson import Preset, lesson_tools, predict
from rnnviz.ui.sections import cached, section
from rnnviz.ui.shapes_views import facts_and_parameters, mistake_gallery
from rnnviz.ui.training_control import training_control

P = projector()
ss = st.session_state

TABS = ("The silent swap, live", "The real shapes", "One batch, two layouts", "Facts and parameters",
        "Mistake gallery")
LIVE, REAL, LAYOUTS = TABS[0], TABS[1], TABS[2]

st.title("Tensor shapes and batch_first")
st.caption(
    "Which axis is time, which is the batch, and why does `h_n` never become batch-first? Every shape on this page "
    "is measured on the real PyTorch module.")
legend = " · ".join(f"<span style='color:{AXIS_COLOURS[k]};font-weight:700'>■ {name}</span>" for k, name in
                    (("seq", "seq_len (time)"), ("batch", "batch"), ("feat", "features"),
                     ("layers", "layers × directions")))
LEGEND = f"Every axis has one colour on this page: {legend}"

SEED_SIZES = {"shapes_module": "RNN", "shapes_batch": 5, "shapes_seq": 3, "shapes_input": 4, "shapes_hidden": 2,
              "shapes_layers": 1, "shapes_bidir": False, "shapes_proj": 0}
PRESETS = [
    Preset("batch_first", {**SEED_SIZES, "shapes_batch_first": True, "shapes_tab": REAL},
           "The notes' RNN with batch_first=True: in 'The real shapes' the input becomes (5, 3, 4) and the output "
           "(5, 3, 2), their batch and time edges swapped, while h_0 and h_n stay (1, 5, 2). Toggle batch_first "
           "off and on and watch which blocks move."),
    Preset("The silent swap", {**SEED_SIZES, "shapes_batch": 3, "shapes_seq": 3, "shapes_batch_first": False,
                               "shapes_pick_mode": "sentence", "shapes_lr": 0.01, "shapes_tab": LIVE},
           "Batch and seq_len both 3: a batch-first tensor fits a module without batch_first and nothing complains. "
           "Train: the swapped model stays near guessing 0. Then open 'One batch, two layouts' (set to highlight "
           "a sentence): a sentence is x[:, b] in one layout and x[b] in the other."),
]
HIDEABLE = {"shapes_controls": "All module and size settings", "shapes_module": "Module",
            "shapes_batch": "batch_size", "shapes_seq": "seq_len", "shapes_input": "input_size",
            "shapes_hidden": "hidden_size", "shapes_layers": "num_layers", "shapes_bidir": "bidirectional",
            "shapes_batch_first": "batch_first", "shapes_proj": "proj_size (LSTM)",
            "shapes_pick_mode": "Highlight (two layouts)", "shapes_mistake": "Mistake picker",
            "shapes_lr": "Learning rate (swap training)"}
lesson_tools("shapes", PRESETS, HIDEABLE)
tabs = st.tabs(TABS, key="shapes_tab", on_change="rerun", bind="query-params")

S = seed()


def side_by_side(widths: list[float]) -> list:
    """Columns; in projector mode one part under the other, so that the big chart titles fit whole."""
    return [st.container() for _ in widths] if P else st.columns(widths)


# ----------------------------------------------------------------------------- 1. the silent swap, live
def swap_training() -> None:
    """The control and its charts at the top, the task and the learning rate under them (read first).

    In the page body: a training control never sits in a fragment.
    """
    tcfg = SwapTaskConfig()
    live_box = st.container()  # the control and its charts, at the top of the tab ...
    below = st.columns([2.4, 1], vertical_alignment="center")  # ... the task and its learning rate under them
    lr = below[1].select_slider("Learning rate", [0.001, 0.003, 0.01, 0.03, 0.1], value=tcfg.lr, key="shapes_lr",
                                help="Changes the running training at once, without a reset.", bind="query-params")
    below[0].markdown(
        f"**Train it: the swapped model cannot learn.** Two identical RNNs (hidden {tcfg.hidden_size}) learn to "
        f"output the mean of each sentence's first feature ({tcfg.n} sentences of {tcfg.n} random tokens per "
        "batch). The first gets the right layout; the second gets the batch-first tensor without "
        "`batch_first=True`, and nothing complains. Loss on "
        f"{tcfg.eval_batches * tcfg.n} held-out sentences: guessing 0 scores about {1 / tcfg.n:.2f}.")

    def build() -> SwapRun:
        return SwapRun(tcfg, seed=S)

    def render(run: SwapRun) -> None:
        last = run.history[-1] if run.history else None
        loss_fig = loss_curve({"right layout": run.series("loss"), "swapped axes": run.series("loss_swapped")},
                              run.series("step"), title="Held-out loss (MSE)", projector=P,
                              height=320)  # with the control above it, on the first screen at 1366x768
        preds = run.predictions()
        preds_fig = predictions_chart(preds, projector=P)
        # in its narrow column: a title that fits, and sentence numbers that need no slant (the legend stays clear)
        n_preds = len(preds["target"])
        preds_fig.update_layout(title_text="Held-out predictions")
        preds_fig.update_xaxes(tickvals=[f"sentence {i}" for i in range(n_preds)],
                               ticktext=[str(i) for i in range(n_preds)])
        c1, c2 = st.columns([3, 2])
        with c1:
            chart(loss_fig, key="shapes_swap_loss")
        with c2:
            with st.container():  # always there, so the chart below keeps its place (no remount) at the first step
                if last is not None:
                    st.markdown(f"Held-out loss at step {run.step_count}: **right layout {last['loss']:.4f}**, "
                                f"**swapped axes {last['loss_swapped']:.4f}** (always guessing 0: about "
                                f"{1 / tcfg.n:.2f}).")
            chart(preds_fig, key="shapes_swap_preds")

    with live_box:  # drawn above the learning rate, which it reads
        training_control("shapes", build=build, settings={"seed": S}, render=render,
                         apply_live=lambda r: r.set_learning_rate(lr), step_sizes=(10, 50, 200))


def silent_one() -> None:
    """Why the swapped model cannot learn: the same tensor, read with the wrong axis as time."""
    st.subheader("The silent one: batch and seq_len swapped, equal sizes")
    demo = swap_demo(seed=S)
    st.markdown(
        "Three sentences of three tokens (" + ", ".join(demo["texts"]) + ") stored batch-first as x (3, 3, 4), "
        "given to `nn.RNN(4, 2)` built **without** `batch_first=True`. Nothing complains: the output is "
        f"{demo['wrong_shapes'][0]} and h_n {demo['wrong_shapes'][1]}, exactly the right shapes. But the RNN reads "
        "axis 0 as time, so each \"sentence\" it sees is token k of all three sentences.")
    sc = side_by_side([1, 2])
    sc[0].metric("max |h_n right - h_n swapped|", f"{demo['max_diff']:.4f}")
    sc[0].caption("Same weights, same numbers, different answers, and no error message.")
    with sc[1]:
        chart(cached(influence_chart)(demo["right_influence"].numpy(), demo["wrong_influence"].numpy(), demo["texts"],
                                      projector=P), key="shapes_influence")
        st.caption("Each cell: how much the tokens of one sentence (column) move the final state reported for "
                   "another (row). Right: a diagonal, every sentence on its own. Swapped: the row called \"我爱你\" "
                   "is really token 0 of all three sentences read in order, so it depends on every sentence, most on "
                   "the last one.")


with tabs[0]:
    if tabs[0].open is not False:
        swap_training()
        silent_one()


# ----------------------------------------------------------------------------- module and sizes (tabs 2, 4, 5)
def shape_settings() -> ShapeConfig:
    """The module and its sizes: one box, the same in every tab measured on the module (same keys)."""
    with st.container(border=True, key="shapes_controls"):
        r1 = st.columns([1.4, 1, 1, 1, 1])
        module = r1[0].selectbox("Module", MODULES, index=MODULES.index("RNN"), key="shapes_module",
                                 help="The cells compute one time step; you write the loop over time. "
                                      "RNN, LSTM and GRU run the whole sequence (and several layers) in one call.",
                                 bind="query-params")
        batch = number_setting(r1[1], "batch_size", 1, 16, 5, key="shapes_batch", help="Sentences per batch (1-16).")
        seq_len = number_setting(r1[2], "seq_len", 1, 16, 3, key="shapes_seq",
                                 help="Tokens per sentence (time steps, 1-16).")
        input_size = number_setting(r1[3], "input_size", 1, 16, 4, key="shapes_input", help="Numbers per token (1-16).")
        hidden = number_setting(r1[4], "hidden_size", 1, 16, 2, key="shapes_hidden", help="Hidden units (1-16).")
        is_cell = module.endswith("Cell")
        r2 = st.columns([1.4, 1, 1, 1, 1])
        layers = number_setting(r2[0], "num_layers", 1, 4, 1, key="shapes_layers", disabled=is_cell,
                                help="Stacked layers (1-4): layer k reads layer k-1's outputs. Not for cells.")
        bidirectional = r2[1].toggle("bidirectional", key="shapes_bidir", disabled=is_cell,
                                     help="A second layer runs the sequence backwards. Not for cells.",
                                     bind="query-params")
        batch_first = r2[2].toggle("batch_first", key="shapes_batch_first",
                                   help="Input and output as (batch, seq_len, features). h_0 and h_n do not change.",
                                   bind="query-params")
        proj = number_setting(r2[3], "proj_size (LSTM)", 0, 15, 0, key="shapes_proj", disabled=module != "LSTM",
                              help="LSTM only: project h to this size (0 = off). Must be below hidden_size.")
        r2[4].caption("Cells take one step at a time: num_layers, bidirectional and proj_size belong to the "
                      "full modules." if is_cell else "The seed: RNN, batch 5, seq 3, input 4, hidden 2, 1 layer.")
    stop_if_missing({"batch_size": batch, "seq_len": seq_len, "input_size": input_size, "hidden_size": hidden,
                     "num_layers": layers, "proj_size": proj})
    cfg = ShapeConfig(module, int(batch), int(seq_len), int(input_size), int(hidden), int(layers),
                      bool(bidirectional), bool(batch_first), int(proj)).normalised()
    problem = validate(cfg)
    if problem:
        st.error(problem, icon=":material/error:")
        st.stop()
    return cfg


# ----------------------------------------------------------------------------- the per-step loop
@section
def cell_loop_section() -> None:
    """The time-step slider reruns only this section."""
    st.header("The loop the notes write by hand")
    cell = build_module(cfg, S)
    x = make_input(cfg, S)
    steps = cell_loop(cell, x, cfg)
    t = st.slider("Time step t", 1, cfg.seq_len, 1, key="shapes_cell_t",
                  help="Step through the loop: x_t in, h_t out, for every sentence at once.", bind="query-params") if cfg.seq_len > 1 else 1
    s = steps[t - 1]
    chart(cached(cell_step_figure)(s["x_t"].numpy(), s["h_prev"].numpy(), s["h_t"].numpy(), t, cfg.module, projector=P),
          key="shapes_cell_step")
    log = "\n".join(f"step {k}: input size {tuple(st_['x_t'].shape)} -> output size {tuple(st_['h_t'].shape)}"
                    + ("   <- shown" if k == t - 1 else "") for k, st_ in enumerate(steps))
    st.code(log, language="text")
    diff = cell_matches_module(cfg, S)
    (st.success if diff < 1e-6 else st.error)(
        f"The loop gives the same states as `nn.{cfg.family}` with the cell's weights copied in: "
        f"max |difference| = {diff:.2e}.", icon=":material/check_circle:")


# ----------------------------------------------------------------------------- 2. the real shapes
with tabs[1]:
    if tabs[1].open is not False:
        st.caption("Pick a module and sizes: everything in this tab is measured on the real PyTorch module with "
                   "those settings. The defaults are the course notes' example: **5 sentences of 3 tokens, each "
                   "token 4 numbers, 2 hidden units**.")
        cfg = shape_settings()
        module = cfg.module
        infos, values = run_module(cfg, S)
        if not cfg.is_cell:
            _options, *_answer = cached(h_n_question)(cfg, S)  # one run of the module with batch_first=True
            predict("shapes_predict_hn",
                    "Predict: with **batch_first=True** and the settings above, what shape is **h_n**?",
                    _options, lambda: tuple(_answer),
                    help="Pick one, then reveal: the answer comes from running this module with batch_first=True.")
        st.header("The real shapes")
        st.markdown(LEGEND, unsafe_allow_html=True)
        st.caption(f"`tuple(t.shape)` of each tensor after running `nn.{module}` on zeros as the initial state "
                   f"({'seed tensor of the notes' if (cfg.seq_len, cfg.batch_size, cfg.input_size) == SEED_BATCH.shape else 'seeded random input'}).")
        per_row = 3 if P else 4
        for start in range(0, len(infos), per_row):
            cols = st.columns(per_row)
            for col, (name, info) in zip(cols, list(infos.items())[start:start + per_row]):
                col.metric(name, fmt_shape(info.shape), help=f"{info.note}. Axes: " +
                           ", ".join(label for _kind, label in info.axes))
        chart(cached(tensor_blocks)(list(infos.values()), projector=P), key="shapes_blocks")
        if cfg.is_cell:
            st.info("A cell sees one time step: `x_t` is (batch, input_size) and `h` is (batch, hidden_size). "
                    "`batch_first` only changes how you slice the stored sequence: `x[t]` for (seq_len, batch, input), "
                    "`x[:, t]` for (batch, seq_len, input). Every `x_t` is the same either way.", icon=":material/info:")
        else:
            st.info(
                "**Why h_0 and h_n never turn batch-first.** `batch_first` is a convenience for your *data*: "
                "the input and the output, which you build from and compare with batches of sentences. The states are "
                "indexed by layer and direction first (`h_n[-1]` is always the top layer), and `h_n` of one call is "
                "meant to be passed straight back as `h_0` of the next call (or to a decoder), so PyTorch keeps one "
                "layout for them: (num_layers × directions, batch, H_out). Toggle batch_first above: the input and output "
                "blocks swap their orange and blue edges, h_0 and h_n do not move.", icon=":material/info:")
        if cfg.is_cell:
            cell_loop_section()
        show_code(code.snippet(cfg), label="Show code: print these shapes in plain PyTorch")


# ----------------------------------------------------------------------------- 3. the seed's batch
def _on_click() -> None:
    points = ss["shapes_batch_views"].selection.points if "shapes_batch_views" in ss else []
    if points and points[0].get("customdata"):
        b, t_, _f = points[0]["customdata"]
        ss["shapes_pick_b"], ss["shapes_pick_t"] = int(b), int(t_)


@section
def two_layouts() -> None:
    """The highlight controls (and clicks on the chart) rerun only this section."""
    st.header("One batch of sentences, two layouts")
    st.markdown(
        "The notes' batch: " + ", ".join(f"**{s}** ({' '.join(GLOSS[c] for c in s)})" for s in SENTENCES)
        + ". Each token is a 4-number vector, so the batch is a (3, 5, 4) tensor when time comes first and a "
          "(5, 3, 4) tensor with `batch_first=True`. **Click any number** (or use the controls) to highlight a "
          "slice in both views.")
    pc = st.columns([1.3, 1, 1])
    pick = pc[0].segmented_control("Highlight", ["time step", "sentence", "token"], default="time step",
                                   key="shapes_pick_mode", bind="query-params") or "time step"
    pick_t = pc[1].selectbox("time step t", range(3), key="shapes_pick_t",
                             format_func=lambda k: f"t = {k} ({'/'.join(s[k] for s in SENTENCES)})", bind="query-params")
    pick_b = pc[2].selectbox("sentence b", range(5), key="shapes_pick_b",
                             format_func=lambda k: f"b = {k}: {SENTENCES[k]}", bind="query-params")
    chart(cached(batch_views)(SEED_BATCH, pick, int(pick_t), int(pick_b), projector=P), key="shapes_batch_views",
          on_select=_on_click, selection_mode="points")
    seq_x = {"time step": (f"x[{pick_t}]", "(5, 4)"), "sentence": (f"x[:, {pick_b}]", "(3, 4)"),
             "token": (f"x[{pick_t}, {pick_b}]", "(4,)")}[pick]
    bf_x = {"time step": (f"x[:, {pick_t}]", "(5, 4)"), "sentence": (f"x[{pick_b}]", "(3, 4)"),
            "token": (f"x[{pick_b}, {pick_t}]", "(4,)")}[pick]
    what = {"time step": f"token {pick_t} of all five sentences (what a cell eats at step {pick_t})",
            "sentence": f"sentence {pick_b}, {SENTENCES[pick_b]}, all three tokens",
            "token": f"token {pick_t} of sentence {pick_b}: {SENTENCES[pick_b][pick_t]} ({GLOSS[SENTENCES[pick_b][pick_t]]})"}[pick]
    hc = st.columns(2)
    hc[0].markdown(f"**(seq_len, batch, input):** `{seq_x[0]}` → shape `{seq_x[1]}`")
    hc[1].markdown(f"**(batch, seq_len, input):** `{bf_x[0]}` → shape `{bf_x[1]}`")
    st.caption(f"Highlighted: {what}. Same numbers, different index: in the default layout a time step is one "
               "index away; with batch_first a sentence is.")


with tabs[2]:
    if tabs[2].open is not False:
        st.markdown(LEGEND, unsafe_allow_html=True)
        two_layouts()


# ----------------------------------------------------------------------------- 4. facts and parameters
with tabs[3]:
    if tabs[3].open is not False:
        cfg = shape_settings()
        facts_and_parameters(cfg, S, P)


# ----------------------------------------------------------------------------- 5. mistakes
with tabs[4]:
    if tabs[4].open is not False:
        cfg = shape_settings()
        mistake_gallery(cfg, S)
        st.info("The one mistake PyTorch cannot catch, batch and seq_len swapped when they are equal, is trained "
                f"live in the tab **{LIVE}**.", icon=":material/visibility_off:")

