"""Training loop basics (seed 002): fit sin(x) with a cubic three ways, then losses, optimizers, learning rates."""

import numpy as np
import pandas as pd
import streamlit as st

from rnnviz.basics.code import PRINT_EVERY, CodeConfig, snippet
from rnnviz.basics.data import COEFFS, REDUCTIONS, curvatures, largest_stable_lr, make_data, start_coefficients
from rnnviz.basics.figures import (
    compact_figure,
    contour_figure,
    divergence_figure,
    live_figure,
    loss_bars,
    race_loss_figure,
    step_figure,
    sweep_figure,
)
from rnnviz.basics.lessons import MOVES, SEED_EXAMPLE, descent_curves, loss_example, open_step
from rnnviz.basics.quiz import d_answer, d_options
from rnnviz.basics.run import LIVE, RACERS, BasicsConfig, BasicsRun, OptimizerRace, RaceConfig
from rnnviz.basics.stepper import forward_rows, move_code, move_latex
from rnnviz.basics.tables import reduction_rows, way_rows
from rnnviz.basics.ways import OPTIMIZERS, WAY_NAMES, WAYS
from rnnviz.ui.basics_lesson import HIDEABLE, PRESETS
from rnnviz.ui.common import chart, projector, seed, show_code
from rnnviz.ui.lesson import lesson_tools, predict
from rnnviz.ui.training_control import get_run, is_playing, live_view, read_run, training_control
from rnnviz.ui.widgets import matrix_editor

KEY, RACE_KEY = "basics", "basics_opt"
P = projector()
SEED = seed()
ss = st.session_state
TABS = ("Three ways, live", "One step, opened up", "Loss functions", "Optimizers", "Learning rate")
LRS = (1e-7, 3e-7, 1e-6, 2e-6, 3e-6, 3.5e-6, 4e-6, 1e-5, 1e-4, 1e-3, 2e-3, 5e-3, 1e-2)  # ways 1-2
LRS3 = (1e-5, 1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 1.0)  # way 3
RACE_LRS = (1e-4, 3e-4, 1e-3, 3e-3, 5e-3, 7e-3, 1e-2, 3e-2)
PAIRS = ("b, d", "a, c", "a, b", "c, d", "b, c", "a, d")
DEFAULT = BasicsConfig()
LOSS_HELP = ("Loss per point (mean squared error) averaged over the three ways; the table under the chart "
             "gives each way's own loss, as its code prints it.")


def fmt(v: float) -> str:
    return f"{v:g}"


# ----------------------------------------------------------------------------- the shared live fit
def fit_settings() -> BasicsConfig:
    """The live fit's settings: one row, the same in every tab that shows the fit (same keys)."""
    # one row, also in projector mode: it starts with the sidebar folded (the whole width), and its labels wrap
    c = st.columns([1.35, 0.9, 1.1, 1.1, 1.25])
    lr = c[0].select_slider("lr, ways 1-2", LRS, value=DEFAULT.lr, format_func=fmt, key="basics_lr",
                            bind="query-params",
                            help="Learning rate of the plain gradient descent of ways 1 and 2 (the notes: 1e-6). "
                                 "Live: changes the running fit, no reset.")
    reduction = c[1].segmented_control("Loss, ways 1-2", REDUCTIONS, default=DEFAULT.reduction, required=True,
                                       key="basics_reduction", bind="query-params",
                                       help="Sum of the squared errors (the notes) or their mean. Live.")
    optimizer = c[2].selectbox("Way 3 optimizer", OPTIMIZERS, index=OPTIMIZERS.index(DEFAULT.optimizer),
                               key="basics_opt3", bind="query-params",
                               help="The notes use RMSprop. A change restarts the fit (optimizers keep state).")
    lr3 = c[3].select_slider("lr, way 3", LRS3, value=DEFAULT.lr3, format_func=fmt, key="basics_lr3",
                             bind="query-params", help="Way 3's learning rate (the notes: 1e-4). Live.")
    forget = c[4].toggle("Forget zero_grad", key="basics_forget", bind="query-params",
                         help="Ways 2 and 3 skip zeroing .grad, so every backward() adds the new gradient to all "
                              "the earlier ones. Live: watch their curves go wrong.")
    return BasicsConfig(lr=float(lr), reduction=reduction or "sum", forget_zero_grad=bool(forget),
                        optimizer=optimizer, lr3=float(lr3))


def fit_control(render) -> BasicsRun:
    """Settings, the shared Train / Pause / Step / Reset control of the fit, and ``render`` on every tick."""
    config = fit_settings()
    return training_control(
        KEY, build=lambda: BasicsRun(config, seed=SEED), settings={"config": config, "seed": SEED}, live=LIVE,
        apply_live=lambda r: r.set_live(config.lr, config.reduction, config.forget_zero_grad, config.lr3),
        render=render, step_sizes=(1, 10, 100, 1000), loss_help=LOSS_HELP)


def checks(run: BasicsRun) -> None:
    """Hand-written gradients against autograd, and way 1 against way 2."""
    diff, scale = run.gradient_check(), run.gradient_scale()
    gap = run.ways_gap()
    ok = diff <= 1e-9 * max(scale, 1.0)
    (st.success if ok else st.error)(
        f"Hand-written gradients = autograd's at way 1's coefficients: max |difference| {diff:.1e} "
        f"(gradients up to {scale:.3g}). Ways 1 and 2 differ by {gap:.1e} in a, b, c, d"
        + (" (forget zero_grad is on: way 2 accumulates)." if run.forget else "."), icon=":material/check_circle:")


def _preset(lr: float, reduction: str = "sum") -> None:
    """Set the live fit's learning rate and loss (ways 1-2); training goes on from where it is."""
    ss["basics_lr"] = lr
    ss["basics_reduction"] = reduction


def render_live(run: BasicsRun) -> None:
    chart(live_figure(run, P), key="basics_live")
    st.dataframe(pd.DataFrame(way_rows(run)), hide_index=True, width="stretch")
    checks(run)


# ----------------------------------------------------------------------------- page
st.title("Training loop basics")
lesson_tools("basics", PRESETS, HIDEABLE)
tabs = st.tabs(TABS, key="basics_tab", on_change="rerun", bind="query-params")

# ============================================================================ 1. three ways
with tabs[0]:
    if tabs[0].open is not False:
        run = fit_control(render_live)
        st.markdown(
            "Fit sin(x) on [−π, π] (2,000 points) with a cubic $\\hat y = a + b x + c x^2 + d x^3$, the course notes' "
            "first training loop (seed 002). **The three ways** start from the same random a, b, c, d (seeded) and "
            "minimise the same errors. "
            "**1** writes the chain rule by hand in NumPy: $\\partial L/\\partial b = \\sum_i 2(\\hat y_i - y_i)\\,x_i$. "
            "**2** lets autograd find the same numbers (`loss.backward()`), updates under `torch.no_grad()` and "
            "zeroes `.grad`. **3** is a network: `nn.Linear(3, 1)` on the features x, x², x³ (its bias is a, its "
            "weights b, c, d), `nn.MSELoss()` and an optimizer. Ways 1 and 2 are one algorithm, so their curves "
            "lie on top of each other (way 2 dashed). The dotted lines are the exact answer, from least squares "
            "(`np.linalg.lstsq`): no training can beat it, because a cubic cannot be sin(x). This one fit runs "
            "behind tabs 1, 2, 3 and 5, each looking at it from another angle; the optimizer race has its own.")
        st.caption("The loss chart shows the loss per point for all three ways (ways 1-2 minimise the sum, which "
                   "is 2,000 times larger; way 3 the mean): one scale for all. RMSprop at a fixed learning rate "
                   "never settles exactly: it hops about ±lr around the answer.")
        st.subheader("Show code")
        way = st.radio("Code for", WAYS, format_func=WAY_NAMES.get, horizontal=True, key="basics_code_way",
                       bind="query-params")
        st.caption(f"A standalone script with this page's settings (seed {SEED}): the same points, start and updates. "
                   f"It prints the way's own loss every {PRINT_EVERY} steps, the numbers the page had at those steps "
                   "(listed under the code) as long as you kept the settings from step 0.")
        config_now = BasicsConfig(lr=run.lr, reduction=run.reduction, forget_zero_grad=run.forget,
                                  optimizer=run.config.optimizer, lr3=run.lr3)
        show_code(snippet(CodeConfig(way, config_now, SEED)), label=f"Show code: {WAY_NAMES[way]}, plain Python")

        def _marks(r: BasicsRun) -> None:
            if not r.marks:
                st.caption(f"The page's losses at every {PRINT_EVERY}th step appear here once it has trained that far.")
                return
            shown = sorted(r.marks)[:20]
            st.caption(f"The page's {WAY_NAMES[way]} loss: " + " · ".join(
                f"step {s}: {r.marks[s][way]:.12g}" for s in shown)
                + (" (a live setting changed during this run: the script uses today's values from step 0)"
                   if r.live_changed else ""))

        live_view(KEY, _marks, every=2.0)
        predict("basics_predict_d", "Predict: once the fit has converged, what is d, the x³ coefficient?",
                d_options(run.data), lambda: read_run(KEY, d_answer),
                help="Pick one, then reveal: the answer is the live fit's exact least-squares target.")

# ============================================================================ 2. one step
MOVE_KEY = "basics_move"


def _next_move() -> None:
    move = int(ss.get(MOVE_KEY) or 0)
    if move < len(MOVES) - 1:
        ss[MOVE_KEY] = move + 1
        return
    run_now = get_run(KEY)  # the fifth move done: take the step for real (all three ways)
    if run_now is not None and not is_playing(KEY):
        run_now.claim()
        with run_now.lock:
            run_now.clear_divergence()
            run_now.step(1)
    ss[MOVE_KEY] = 0


def render_step(run: BasicsRun) -> None:
    move = int(ss.get(MOVE_KEY) or 0)
    way2 = run.ways["autograd"]
    step = open_step(way2.coefficients(), way2.grads(), run.data, run.lr, run.reduction, run.forget)
    left, right = st.columns([1.6, 1], gap="medium")
    with left:
        st.code(move_code(move, run.reduction, run.forget), language="python")
        for block in move_latex(step, move):
            st.latex(block)
        if move == 0:
            st.dataframe(pd.DataFrame(forward_rows(step)), hide_index=True, width="stretch")
    with right:
        ref = run.ways["numpy"].coefficients()
        chart(step_figure(move, step, P, reference=ref), key="basics_step_fig")
    st.caption(f"Way 2 (autograd) at step {run.step_count}; the sums run over all {run.data.n:,} points, the first two "
               "terms written out. Way 1 (thin blue) is the reference: it computes the same gradients by hand.")


with tabs[1]:
    if tabs[1].open is not False:
        m = st.columns([3, 1])
        m[0].segmented_control("Move", list(range(len(MOVES))), format_func=lambda i: f"{i + 1} {MOVES[i]}",
                               default=0, key=MOVE_KEY, required=True, bind="query-params",
                               help="The five moves of the notes' loop, for the current coefficients of way 2.")
        last_move = int(ss.get(MOVE_KEY) or 0) == len(MOVES) - 1
        m[1].button("Take the step" if last_move else "Next move", key="basics_next", on_click=_next_move,
                    icon=":material/skip_next:", type="primary", disabled=is_playing(KEY), width="stretch",
                    help="After the fifth move this takes the step for real (all three ways, one step).")
        stepper_box = st.container()  # filled below, once the control has made sure the run exists
        st.subheader("Train it, and forget zero_grad")
        st.markdown(
            "`backward()` never overwrites `.grad`: it *adds* to it. That is why the loop zeroes it "
            "(`a.grad = None`, or `optimizer.zero_grad()`). Turn **Forget zero_grad** on, press Reset, then Train: "
            "every update of ways 2 and 3 now uses the sum of all the gradients so far, so their coefficients "
            "overshoot and swing back and forth instead of settling (momentum without friction), and way 2's "
            "curve (orange) leaves way 1's. Near the answer the gradients are almost zero, so forgetting late "
            "does little harm.")
        fit_control(lambda r: chart(compact_figure(r, P), key="basics_zero_fit"))
        with stepper_box:
            live_view(KEY, render_step, every=1.0)

# ============================================================================ 3. loss functions
with tabs[2]:
    if tabs[2].open is not False:
        left, right = st.columns([1, 1.5], gap="large")
        with left:
            values, problem = matrix_editor("A small example (one row per element)", SEED_EXAMPLE,
                                            key="basics_example", url_name="basics_example",
                                            col_labels=["y_pred", "y"], dynamic_rows=True,
                                            help="The notes' y_pred = [1, 2, 3], y = [1, 2, 5]. Edit, add or "
                                                 "delete rows.")
        with right:
            if problem:
                st.error(problem, icon=":material/error:")
            else:
                ex = loss_example(values[:, 0], values[:, 1])
                st.dataframe(pd.DataFrame(reduction_rows(ex)), hide_index=True, width="stretch")
                (st.success if ex.max_difference < 1e-12 else st.error)(
                    f"Equal to `F.l1_loss` / `F.mse_loss` with the same reduction: max |difference| "
                    f"{ex.max_difference:.1e}.", icon=":material/check_circle:")
        if not problem:
            chart(loss_bars(ex.per_element, P), key="basics_loss_bars")
        st.latex(r"\text{L1: } \ell_i = |\hat y_i - y_i| \qquad \text{MSE: } \ell_i = (\hat y_i - y_i)^2 \qquad "
                 r"\text{none: } (\ell_1,\dots,\ell_N) \quad \text{mean: } \tfrac1N\textstyle\sum_i \ell_i \quad "
                 r"\text{sum: } \textstyle\sum_i \ell_i")
        st.caption("L1 grows with the size of an error, MSE with its square: one big error (the third element of "
                   "the notes' example) dominates the MSE. `nn.L1Loss(reduction=...)` and `nn.MSELoss(reduction=...)` "
                   "are these functions as modules; the default reduction is the mean.")
        st.subheader("Sum or mean: the same fit, N times the step")
        st.markdown(
            "The gradient of the **sum** is N = 2,000 times the gradient of the **mean**, so at one learning rate "
            "the sum takes steps 2,000 times longer. That is why the notes' summed loss needs lr 1e-6 while a mean "
            "works with about 2,000 × 1e-6 = 2e-3. Try it on the live fit (ways 1 and 2; way 3 always uses "
            "`nn.MSELoss()`, the mean): at lr 1e-6 switch **Loss, ways 1-2** to *mean* and their curves almost "
            "stop; set lr 2e-3 with the mean and they move exactly as with the sum at 1e-6; then switch back to "
            "*sum* at 2e-3 and the fit blows up in a step or two (the guard pauses it).")
        b = st.columns(4)
        for col, (red, lr, label) in zip(b, (("sum", 1e-6, "sum, lr 1e-6 (notes)"), ("mean", 1e-6, "mean, lr 1e-6"),
                                             ("mean", 2e-3, "mean, lr 2e-3"), ("sum", 2e-3, "sum, lr 2e-3"))):
            col.button(label, key=f"basics_try_{red}_{lr:g}", on_click=_preset, args=(lr, red), width="stretch")
        fit_control(lambda r: chart(compact_figure(r, P), key="basics_sum_mean"))

# ============================================================================ 4. optimizers
with tabs[3]:
    if tabs[3].open is not False:
        c = st.columns([1.4, 1, 1.2])
        race_lr = c[0].select_slider("lr, all four", RACE_LRS, value=1e-3, format_func=fmt, key="basics_opt_lr",
                                     bind="query-params", help="One learning rate for the four optimizers. Live.")
        pair = c[1].selectbox("Contour over", PAIRS, key="basics_pair", bind="query-params",
                              help="The two coefficients of the contour plot.")
        hold = c[2].selectbox("Others held at", list(RACERS), format_func=RACERS.get, index=3, key="basics_hold",
                              bind="query-params",
                              help="The two other coefficients stay at this optimizer's current values.")
        i, j = (COEFFS.index(s.strip()) for s in pair.split(","))

        def render_race(r: OptimizerRace) -> None:
            left_col, right_col = st.columns(2)
            with left_col:
                chart(race_loss_figure(r, P), key="basics_race_loss")
            with right_col:
                chart(contour_figure(r, i, j, hold, P, resolution=50), key="basics_contour")

        training_control(RACE_KEY, build=lambda: OptimizerRace(RaceConfig(), seed=SEED),
                         settings={"seed": SEED}, apply_live=lambda r: r.set_learning_rate(race_lr),
                         render=render_race, step_sizes=(1, 10, 100, 1000),
                         loss_help="Mean squared error averaged over the four optimizers.")
        st.markdown(
            "Four copies of way 3 (`nn.Linear(3, 1)`, `nn.MSELoss()`) from the same start, one learning rate. "
            "**SGD** steps along the gradient: $p \\leftarrow p - \\eta g$; it crawls along the long, flat valley "
            "of this bowl (x and x³ pull almost the same way). **SGD + momentum** (0.9) keeps a velocity "
            "$v \\leftarrow 0.9 v + g$, $p \\leftarrow p - \\eta v$, so it rolls down the valley, overshooting a "
            "little. **RMSprop** divides each coefficient's step by the root of its recent squared gradients, so "
            "every coefficient moves about η per step whatever its gradient's size; with a fixed η it ends up "
            "hopping around the answer. **Adam** adds momentum to that, and its steps shrink as the gradients "
            "become consistent. The contour is the loss over two coefficients with the other two held fixed "
            "(a slice of the 4-D bowl; the star is the exact answer). Push the learning rate to 1e-2: plain SGD "
            "passes its limit and the race pauses.")

# ============================================================================ 5. learning rate
with tabs[4]:
    if tabs[4].open is not False:
        fit_data = make_data(DEFAULT.n_points)
        limit_sum, limit_mean = largest_stable_lr(fit_data, "sum"), largest_stable_lr(fit_data, "mean")
        lams = curvatures(fit_data, "sum")
        m = st.columns(4)
        m[0].metric("Notes' lr", "1e-06", help="With the sum of the squared errors over 2,000 points.")
        m[1].metric("Stable up to (sum)", f"{limit_sum:.3g}",
                    help="Plain gradient descent converges exactly when lr < 2 / λ_max, λ_max the largest "
                         "eigenvalue of the loss's curvature H = 2 XᵀX (X: the columns 1, x, x², x³).")
        m[2].metric("Stable up to (mean)", f"{limit_mean:.3g}", help="2,000 times larger: H is divided by N.")
        m[3].metric("λ_max / λ_min", f"{lams.max() / lams.min():.0f}",
                    help="How elongated the bowl is: the flattest direction needs this many times more steps "
                         "than the steepest one.")
        start = start_coefficients(SEED)
        sweep_lrs = np.geomspace(1e-8, 1e-5, 31)
        curves = descent_curves(fit_data, start, sweep_lrs, 300)
        near = np.array([1e-6, 3e-6, 3.5e-6, 3.6e-6, 4e-6])
        near_curves = descent_curves(fit_data, start, near, 120)
        s1, s2 = st.columns(2)
        with s1:
            chart(sweep_figure(sweep_lrs, curves[:, -1], limit_sum, 1e-6, 300, P), key="basics_sweep")
        with s2:
            chart(divergence_figure({f"lr {v:g}": row for v, row in zip(near, near_curves)}, P),
                  key="basics_divergence")
        st.markdown(
            f"**Why there is a limit.** The loss is a quadratic bowl in a, b, c, d. Along its steepest direction "
            f"(curvature λ_max = {lams.max():.3g}) each step multiplies the distance to the bottom by "
            f"|1 − lr·λ_max|. Below lr = 1/λ_max it shrinks smoothly; between 1/λ_max and 2/λ_max it shrinks while "
            f"flipping sign (the zig-zag); above 2/λ_max = {limit_sum:.3g} it grows at every step and the loss "
            "explodes. The flattest direction (λ_min) decides how long convergence takes, which is why the notes "
            "needed thousands of steps. A summed loss over N points multiplies every λ by N, so its learning rate "
            "must be N times smaller. The charts are plain gradient descent from this seed's start, in NumPy.")
        st.subheader("Watch it diverge")
        st.caption("Pick a learning rate for the live fit (sum loss), then Train. Past the limit the loss grows "
                   "every step: the shared guard pauses the fit, goes back to the last good coefficients and "
                   "says what happened.")

        b = st.columns(4)
        for col, (lr, label) in zip(b, ((1e-6, "1e-6 (notes)"), (3e-6, "3e-6 (fast)"),
                                        (3.5e-6, "3.5e-6 (at the edge)"), (4e-6, "4e-6 (diverges)"))):
            col.button(f"lr {label}", key=f"basics_preset_{lr:g}", on_click=_preset, args=(lr,), width="stretch")
        fit_control(lambda r: chart(compact_figure(r, P), key="basics_lr_fit"))
