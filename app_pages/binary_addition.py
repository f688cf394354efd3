"""Binary addition: an RNN learns to add bit by bit and invents a carry (seed 003 section 4)."""

import pandas as pd
import streamlit as st

from rnnviz.binary.code import CodeConfig, snippet
from rnnviz.binary.data import OperandError, bit_string, max_operand, parse_pair
from rnnviz.binary.figures import (
    carry_rows_figure,
    carry_training_figure,
    columns_figure,
    correlation_bars,
    error_figure,
    hidden_figure,
    race_figure,
    right_figure,
    separation_figure,
)
from rnnviz.binary.model import AdditionTrace, BinaryConfig, trace
from rnnviz.binary.quiz import OPTIONS, addition_answer, quiz_operands
from rnnviz.binary.run import ALL_RIGHT_FIRST, ALL_RIGHT_FROM, CARRY_R_SEED0, BinaryRun
from rnnviz.binary.stepper import step_view
from rnnviz.binary.twin import LEARNERS, gradient_check, twin_race
from rnnviz.core.charts import Look
from rnnviz.ui.binary_lesson import HIDEABLE, PRESETS
from rnnviz.ui.common import chart, projector, seed, show_code
from rnnviz.ui.lesson import lesson_tools, predict
from rnnviz.ui.training_control import live_view, read_run, training_control

KEY = "binary"
P = projector()
ss = st.session_state
LRS = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0]
HIDDEN = [2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64]
TABS = ["Train it", "Bit by bit", "Where the carry lives", "Try it", "PyTorch twin"]
REFRESH = 1.0  # seconds between redraws of the views under the tabs while training
HALF = Look.of(P).page_px / 2  # width (px) of a chart in one of two columns, for the numbers in its cells

head = st.columns([1.9, 1, 1, 1], vertical_alignment="bottom")
head[0].title("Binary addition")
bits = head[1].select_slider("Bits (time steps)", list(range(4, 17)), value=8, key="binary_bits",
                             bind="query-params",
                             help="Operands stay below 2^(bits-1) so that the sum fits. 8 bits: 0-127, as in the "
                                  "notes. Longer numbers learn in fewer additions (each has more columns to learn "
                                  "from): at seed 0 about 14,000 at 4 bits, 7,000 at 12. Changing it restarts "
                                  "training.")
hidden = head[2].select_slider("Hidden units", HIDDEN, value=16, key="binary_hidden", bind="query-params",
                               help="The notes use 16. Changing it restarts training.")
lr = head[3].select_slider("Learning rate α (live)", LRS, value=0.1, key="binary_lr", bind="query-params",
                           help="The notes use 0.1. Changes the running training at once, without a reset.")
st.caption(
    "An RNN learns to add two numbers **one bit per time step, least significant bit first** (seed 003 §4; "
    f"operands 0-{max_operand(bits)}), one addition per training step. At seed 0 this *is* the notes' program.",
    help=f"Sigmoid everywhere, no biases, hand-written backpropagation through time. Seed {seed()} (sidebar) draws "
         "the weights, then the operands.")
lesson_tools("binary", PRESETS, HIDEABLE)
config = BinaryConfig(bits=int(bits), hidden=int(hidden), lr=float(lr))


def build() -> BinaryRun:
    return BinaryRun(config, seed=seed())


def readout(run: BinaryRun) -> None:
    """Every tick: the notes' printout of the latest addition and the two scores."""
    if not run.history:
        st.markdown(":material/radio_button_unchecked: `Error – · Pred – · True – · a + b = ?`  \n"
                    ":small[Press **Train**: one step = one addition, as in the notes.]")
        return
    m = run.history[-1]
    ok = ":material/check_circle:" if m["right"] else ":material/cancel:"
    steps, acc = run.measured("acc_all")
    scored = (f"{run.pairs_label}: **{100 * acc[-1]:.1f} %** right (scored at step {int(steps[-1]):,})"
              if acc else "")
    st.markdown(f"{ok} `{run.printout()}`  \n:small[Last 100 additions: **{100 * m['right100']:.0f} %** exactly "
                "right · " + scored + (f" · all right first at step {run.all_right_at:,}" if run.all_right_at
                                       else "") + "]")


run: BinaryRun = training_control(
    KEY, build=build, settings={"config": config, "seed": seed()}, live=("lr",),
    apply_live=lambda r: r.set_live(lr), render=readout, step_sizes=(1, 10, 100, 1000),
    loss_help="The notes' Error of the last addition: the sum over its bits of |target bit - output|.",
)

tabs = st.tabs(TABS, key="binary_tab", on_change="rerun", bind="query-params")


def pair() -> list:
    """Two places for charts: side by side, or one under the other in projector mode (big type needs the width)."""
    return [st.container(), st.container()] if P else st.columns(2)


def latest(r: BinaryRun) -> AdditionTrace:
    """The last training addition with the weights that answered it (before their update), or 45 + 64 untrained."""
    if r.last is None:
        return trace(r.weights, min(45, max_operand(r.bits)), min(64, max_operand(r.bits)), r.bits)
    return trace(r.last.weights, r.last.a, r.last.b, r.bits)


# ----------------------------------------------------------------------------- 1. train it
def _train_view(r: BinaryRun) -> None:
    steps, acc = r.measured("acc_all")
    c1, c2 = pair()
    with c1:
        chart(error_figure(r.history, P, height=220), key="binary_error")
    with c2:
        chart(right_figure(r.history, steps, acc, r.pairs_label, P, height=220), key="binary_right")
    st.caption(
        f"With the notes' settings and seed 0 the network adds all 16,384 pairs right for the first time after "
        f"**{ALL_RIGHT_FIRST:,}** additions, wobbles for a while (each addition nudges every weight), and from "
        f"**{ALL_RIGHT_FROM:,}** on it stays right (checked after every addition up to 12,000 and every 10th up "
        f"to 30,000). The notes train 10,000. The dotted line scores all pairs every {r.config.eval_every} steps.")
    with st.expander("The notes' printout (every 1,000 additions)", icon=":material/terminal:",
                     key="binary_printouts"):
        rows = [{"addition": s_, "printout": line} for s_, line in r.notes_printouts()]
        if rows:
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        else:
            st.caption("The notes print at additions 1, 1,001, 2,001, …: train to see them.")


with tabs[0]:
    if tabs[0].open:
        live_view(KEY, _train_view, every=REFRESH)
        qa, qb = quiz_operands(config.bits)

        predict("binary_predict_sum", f"Predict: does the network, as it is right now, add **{qa} + {qb}** correctly?",
                OPTIONS, lambda: read_run(KEY, lambda r: addition_answer(r.weights, qa, qb, r.bits, r.step_count)), help="Pick one, then reveal: the page runs the live network on these numbers.")


# ----------------------------------------------------------------------------- the stepper (tabs 2 and 4)
def _move(key: str, delta: int, top: int) -> None:
    ss[key] = min(top, max(1, int(ss.get(key, 1)) + delta))


def stepper(prefix: str, top: int) -> int:
    """Step buttons and a slider over the time steps, laid out like the columns (t = 1 on the right)."""
    key = f"{prefix}_t"
    if int(ss.get(key, 1)) > top:
        ss[key] = top
    c = st.columns([1.2, 4, 1.2], vertical_alignment="bottom")
    c[0].button("◀ Next step", key=f"{prefix}_next", on_click=_move, args=(key, 1, top), width="stretch",
                help="Step t + 1: one column to the left, as when adding on paper.")
    c[2].button("Previous step ▶", key=f"{prefix}_prev", on_click=_move, args=(key, -1, top), width="stretch",
                help="Step t - 1: one column to the right.")
    start = {} if key in ss else {"value": 1}  # the buttons set the value through session state
    return int(c[1].select_slider("Time step t (right to left, like adding on paper)", list(range(top, 0, -1)),
                                  key=key, bind="query-params", **start))


def addition_views(tr: AdditionTrace, t: int, unit: int, prefix: str, highlight: tuple[int, ...] = ()) -> None:
    """Columns and hidden state side by side (one under the other in projector mode), then step t's numbers."""
    view = step_view(tr, t, unit)
    if P:  # big type needs the whole width
        chart(columns_figure(tr, focus=t, projector=P), key=f"{prefix}_columns")
        chart(hidden_figure(tr, focus=t, highlight=highlight, projector=P), key=f"{prefix}_hidden")
        st.markdown(view.heading + " " + view.by_hand)
        st.latex(view.latex)
    else:
        left, right = st.columns([1.1, 1])
        with left:
            chart(columns_figure(tr, focus=t, projector=P, width_px=HALF * 1.05), key=f"{prefix}_columns")
            st.markdown(view.heading + " " + view.by_hand)
        with right:
            chart(hidden_figure(tr, focus=t, highlight=highlight, projector=P), key=f"{prefix}_hidden")
            st.latex(view.latex)
    st.markdown(view.verdict)
    st.caption(f"h_{t} for every unit (★: the units that follow the carry best): {view.hidden_row}")


# ----------------------------------------------------------------------------- 2. bit by bit
with tabs[1]:
    if tabs[1].open:

        def _bit_view(r: BinaryRun) -> None:
            b1, b2 = st.columns([3, 1], vertical_alignment="bottom")
            with b1:
                t_bit = stepper("binary_bit", r.bits)
            best = r.carry_report().best_unit
            unit = b2.selectbox("Follow hidden unit", list(range(r.config.hidden)), index=best,
                                key="binary_bit_unit", bind="query-params",
                                help=f"Whose sum the equations show. The default is the unit that follows the carry "
                                     f"best right now (unit {best}).")
            tr = latest(r)
            what = (f"training addition {r.last.step:,}, with the weights that answered it" if r.last else
                    "not trained yet: 45 + 64 with the starting weights")
            st.caption(f"The latest {what}. Time runs right to left, like adding on paper. Pause to study it; "
                       "Step ×1 brings the next addition.")
            addition_views(tr, t_bit, unit, "binary_bit", highlight=r.carry_report().ranked[:3])

        live_view(KEY, _bit_view, every=REFRESH)

# ----------------------------------------------------------------------------- 3. the carry
with tabs[2]:
    if tabs[2].open:
        st.markdown(
            "Nobody told the network about carries. But in a column with exactly one 1 (1 + 0 or 0 + 1) the carry "
            "passes straight through, and only the columns to the right decide it: the current bits say nothing, "
            "so a network that adds those **memory columns** right must remember the carry in h_t. Over 512 fixed "
            "additions we ask every unit: **how closely do you follow the carry there?** (Pearson r; negative: "
            "the unit is low when there is a carry.)"
        )

        def _carry_view(r: BinaryRun) -> None:
            report = r.carry_report()
            steps_c, best_c = r.measured("carry_corr")
            _, all_c = r.measured("carry_corr_all")
            _, readout_c = r.measured("readout")
            c1, c2 = pair()
            with c1:
                chart(carry_training_figure(steps_c, best_c, all_c, readout_c, P), key="binary_carry_live")
            with c2:
                chart(correlation_bars(report, projector=P), key="binary_carry_bars")
            c3, c4 = pair()
            with c3:
                chart(carry_rows_figure(latest(r), report, projector=P, width_px=None if P else HALF),
                      key="binary_carry_rows")
            with c4:
                chart(separation_figure(report, report.best_unit, P), key="binary_carry_hist")
            st.caption(
                f"Step {r.step_count:,}: unit {report.best_unit} follows the carry best (r = "
                f"{report.best_correlation:+.2f} over the memory columns; the dotted boxes above mark them). A "
                f"straight line through all {r.config.hidden} units (least squares) reads the carry right in "
                f"{100 * report.readout_accuracy:.1f} % of the memory columns. Over all columns even an untrained "
                "network correlates with the carry (1 + 1 always carries, 0 + 0 never): the grey dotted line. "
                f"With the notes' settings and seed 0 the best unit reaches |r| = {CARRY_R_SEED0:.2f} by 10,000 "
                "additions, from 0.41 at the start. Searched every 100 steps.")

        live_view(KEY, _carry_view, every=REFRESH)

# ----------------------------------------------------------------------------- 4. try it
with tabs[3]:
    if tabs[3].open:
        top = max_operand(config.bits)
        t1, t2, t3 = st.columns([1, 1, 2])
        text_a = t1.text_input(f"a (0-{top})", value="45", key="binary_try_a", max_chars=12, bind="query-params")
        text_b = t2.text_input(f"b (0-{top})", value="64", key="binary_try_b", max_chars=12, bind="query-params")
        try:
            a_val, b_val = parse_pair(text_a, text_b, config.bits)
        except OperandError as err:
            t3.error(str(err), icon=":material/error:")
            st.info("Type two whole numbers to see the network add them step by step.", icon=":material/keyboard:")
        else:
            t3.markdown(f"In binary: `{bit_string(a_val, config.bits)}` + `{bit_string(b_val, config.bits)}` = "
                        f"`{bit_string(a_val + b_val, config.bits)}` ({a_val + b_val}).  \n:small[The network reads "
                        "the columns from the right, one per time step.]")

            def _try_view(r: BinaryRun) -> None:
                tr = trace(r.weights, a_val, b_val, r.bits)
                mark = "right ✓" if tr.correct else f"wrong ✗ (the answer is {a_val + b_val})"
                st.markdown(f"#### {a_val} + {b_val} → the network says **{tr.predicted}**: {mark}")
                st.caption(f"With the weights of step {r.step_count:,}: press Train and watch its answer settle.")
                t_try = stepper("binary_try", r.bits)
                addition_views(tr, t_try, r.carry_report().best_unit, "binary_try",
                               highlight=r.carry_report().ranked[:3])

            live_view(KEY, _try_view, every=REFRESH)

# ----------------------------------------------------------------------------- 5. the PyTorch twin
with tabs[4]:
    if tabs[4].open:
        e1, e2 = pair()
        with e1:
            st.markdown(
                "**`nn.RNN` has no sigmoid**: its `nonlinearity` is `'tanh'` or `'relu'`. So the exact twin is a "
                "small custom module with the notes' three matrices and a loop over the bits, and **autograd** "
                "does the backpropagation through time that this page does by hand. Its cousin is a real "
                "`nn.RNN(tanh)` + `nn.Linear` from the same starting weights. tanh(z) = 2σ(2z) − 1: the same S, "
                "stretched to (−1, 1) and four times steeper at 0. It needs biases (started at 0): tanh(0) = 0, "
                "so while the bits read so far are all 0 its state stays exactly 0 and the output is σ(0) = 0.5, "
                "a coin toss; a sigmoid unit is never 0, which works like a built-in bias."
            )
        with e2:
            st.code("class SigmoidRNN(nn.Module):  # nn.RNN can't\n"
                    "    def forward(self, x):     # x (T, B, 2)\n"
                    "        h = torch.zeros(x.shape[1], H)\n"
                    "        hs = []\n"
                    "        for x_t in x:         # bit 0 first\n"
                    "            h = torch.sigmoid(x_t @ self.W_ih\n"
                    "                              + h @ self.W_hh)\n"
                    "            hs.append(h)\n"
                    "        return torch.sigmoid(\n"
                    "            torch.stack(hs) @ self.W_ho), h\n\n"
                    "loss = 0.5 * ((y - p) ** 2).sum()\n"
                    "loss.backward()  # BPTT by autograd", language="python")

        def _check_view(r: BinaryRun) -> None:
            tr = latest(r)
            gaps = gradient_check(tr.weights, tr.a, tr.b, r.bits)
            worst = max(gaps.values())
            (st.success if worst < 1e-10 else st.error)(
                f"**Hand-written BPTT = autograd** on {tr.a} + {tr.b} (the latest addition, with its weights): "
                "largest |difference| " + " · ".join(f"∂L/∂{k} {v:.1e}" for k, v in gaps.items() if k != "loss")
                + " (float64 rounding).", icon=":material/check_circle:")

        live_view(KEY, _check_view, every=2.0)

        st.subheader("The race: the same additions, three learners")
        r1, r2 = pair() if P else st.columns([1, 3])
        race_steps = r1.select_slider("Additions", [1000, 3000, 10000], value=3000, key="binary_race_steps",
                                      bind="query-params",
                                      help="10,000 takes about 20 s: autograd on such tiny matrices is slower "
                                           "than NumPy.")
        r1.button("Run the race", key="binary_race_go", icon=":material/sprint:", type="primary")
        race_key = (config.bits, config.hidden, config.lr, seed(), int(race_steps))

        @st.cache_data(max_entries=8, show_spinner="Training the three learners on the same additions…")
        def _race(key: tuple) -> object:
            b_, h_, lr_, seed_, steps_ = key
            return twin_race(BinaryConfig(bits=b_, hidden=h_, lr=lr_), seed_, steps_)

        with r2:
            if ss.get("binary_race_go") or ss.get("binary_race_shown") == race_key:
                race = _race(race_key)
                ss["binary_race_shown"] = race_key
                chart(race_figure(race, P), key="binary_race")
                finals = " · ".join(f"{name.split(' (')[0]} {100 * acc[-1]:.1f} %"
                                    for name, acc in race.accuracy.items() if len(acc))
                st.caption(
                    f"x: additions trained. Seed {seed()}, learning rate {config.lr:g}, plain SGD, one addition per "
                    f"update. After {race.steps:,} additions the NumPy weights and the PyTorch twin's differ by at "
                    f"most {race.max_weight_gap:.1e}: the same learner (its dotted curve hides the NumPy one). "
                    f"At the end, right: {finals}. Seconds: "
                    + ", ".join(f"{k} {v:.1f}" for k, v in race.seconds.items()) + ".")
            else:
                st.info(f"Press **Run the race** to train {LEARNERS[0]}, {LEARNERS[1]} and {LEARNERS[2]} on the "
                        "same additions from the same starting weights.", icon=":material/sprint:")

# ----------------------------------------------------------------------------- code
show_code(snippet(CodeConfig("numpy", config, seed())),
          label="Show code: the notes' training in plain NumPy (10,000 additions, the printout, a final score)")
show_code(snippet(CodeConfig("torch", config, seed())),
          label="Show code: the PyTorch twin, the gradient check, and nn.RNN (tanh)")
