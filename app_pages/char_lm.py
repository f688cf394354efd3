"""Character-level language model on dinosaur names (seed 003 section 5), two engines, trained live."""

import streamlit as st

from rnnviz.char_lm import code
from rnnviz.char_lm.data import (
    BUILTIN,
    TANG,
    CorpusError,
)
from rnnviz.char_lm.figures import (
    grad_norm_figure,
    loss_figure,
    next_char_figure,
)
from rnnviz.char_lm.numpy_engine import MAX_VOCAB as SCRATCH_MAX_VOCAB
from rnnviz.char_lm.numpy_engine import VOCAB_LIMIT_WHY, ScratchConfig
from rnnviz.char_lm.run import CharLMRun, ScratchRun, TorchCharRun
from rnnviz.char_lm.torch_engine import CELLS, TorchConfig
from rnnviz.ui.char_lm_lesson import SAMPLES_TAB, lesson_tools, next_char_question
from rnnviz.ui.char_lm_views import samples_and_hidden_units
from rnnviz.ui.common import chart, projector, seed, show_code
from rnnviz.ui.corpus import pick_corpus
from rnnviz.ui.sections import by_step
from rnnviz.ui.training_control import get_run, live_view, training_control

KEY = "char_lm"
P = projector()
ss = st.session_state
SCRATCH, TORCH = "From scratch (NumPy)", "PyTorch"
PREFIXES = {"Dinosaur genera": "tyranno", "Chemical elements": "hydro", TANG: "床前明月"}  # next-character view
EXPLOSION = {"char_lm_engine": SCRATCH, "char_lm_np_lr": 0.05, "char_lm_np_clip_on": False}  # the demo below

TABS = [SAMPLES_TAB, "The names", "The model & code"]
LIVE_CHART_PX = 250  # height of the loss and gradient charts in normal mode: with the readout, on the first screen
REFRESH = 1.0  # seconds between redraws of the next-character view and the samples while training

if P:  # big type: the title takes the whole width, the corpus goes to the settings under the live section
    st.title("Character language model")
else:
    head = st.columns([1.55, 1], vertical_alignment="bottom", gap="small")  # the title on one line
    head[0].title("Character language model")
    with head[1]:
        corpus = pick_corpus()
# the one-sentence intro; in projector mode it goes under the live section (the big type needs the room)
INTRO = ("A recurrent network reads a name **one character at a time** and learns to give every possible "
         "**next** character a probability (⏎: the name ends): trained on about a thousand dinosaur names, it "
         "goes from babbling to inventing names that end in *-saurus*, *-don* or *-raptor*.")
if not P:
    st.caption(INTRO)
lesson_tools(KEY, EXPLOSION)
live_box = st.container()  # the live section: control, readout, loss and gradient charts, right under the title
settings_box = st.container()  # the settings are read before the control, drawn under it

# ----------------------------------------------------------------------------- settings
with settings_box:
    if P:
        st.caption(INTRO)
    st.subheader("Model and training settings")
    if P:
        corpus = pick_corpus()
    engine = st.radio("Engine", [SCRATCH, TORCH], key="char_lm_engine", horizontal=True,
                      help="From scratch: the course's NumPy code, one name per step. PyTorch: nn.RNN/LSTM/GRU on "
                           "mini-batches of padded names.", bind="query-params")
    e = st.columns(4)
    if engine == SCRATCH:
        hidden = e[0].select_slider("Hidden units n_a", [10, 25, 50, 100], value=50, key="char_lm_np_hidden",
                                    bind="query-params")
        # the demo button and the preset set these two through session state, before they are drawn; the
        # defaults are given here too, so that the address leaves out exactly the default values
        lr = e[1].select_slider("Learning rate (SGD)", [0.001, 0.003, 0.01, 0.02, 0.05, 0.1, 0.3], value=0.01,
                                key="char_lm_np_lr", help="Changes the running training at once, without a reset.",
                                bind="query-params")
        clip_on = e[2].toggle("Clip each gradient entry", value=True, key="char_lm_np_clip_on",
                              help="The seed's clip(): every entry of every gradient is cut into [-max, max].",
                              bind="query-params")
        clip = e[2].select_slider("Max |entry|", [0.5, 1.0, 2.0, 5.0, 10.0], value=5.0, key="char_lm_np_clip",
                                  disabled=not clip_on, bind="query-params")
        carry = e[3].toggle("Carry hidden state across names", value=True, key="char_lm_np_carry",
                            help="As in the seed, the last hidden state of one name starts the next one.",
                            bind="query-params")
        config = ScratchConfig(hidden=hidden, lr=lr, clip=clip if clip_on else None, carry_hidden=carry)
        steps_choice = (1, 100, 1000)
        clip_label = f"each entry within ±{clip:g}" if clip_on else "off"
    else:
        cell = e[0].selectbox("Cell", CELLS, index=2, key="char_lm_cell", bind="query-params")
        one_hot = e[0].toggle("One-hot inputs instead of an embedding", value=False, key="char_lm_onehot",
                              bind="query-params")
        hidden = e[1].select_slider("Hidden units", [16, 32, 64, 96, 128, 256], value=96, key="char_lm_t_hidden",
                                    bind="query-params")
        batch = e[1].select_slider("Names per batch", [1, 8, 16, 32, 64, 128], value=32, key="char_lm_batch",
                                   bind="query-params")
        dropout = e[2].select_slider("Dropout", [0.0, 0.1, 0.2, 0.3, 0.5, 0.7], value=0.5, key="char_lm_dropout",
                                     help="While training, this share of the inputs and hidden states is zeroed at "
                                          "random: the model cannot simply memorise its names. 0.5 was chosen by "
                                          "measurement: without it the held-out loss starts rising after about 150 "
                                          "steps.",
                                     bind="query-params")
        lr = e[2].select_slider("Learning rate (Adam)", [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3], value=0.01,
                                key="char_lm_t_lr", help="Changes the running training at once, without a reset.",
                                bind="query-params")
        clip_on = e[3].toggle("Clip the gradient norm", value=True, key="char_lm_t_clip_on",
                              help="clip_grad_norm_: the whole gradient is scaled down when its norm exceeds max.",
                              bind="query-params")
        clip = e[3].select_slider("Max norm", [0.1, 0.5, 1.0, 2.0, 5.0], value=1.0, key="char_lm_t_clip",
                                  disabled=not clip_on, bind="query-params")
        config = TorchConfig(cell=cell, hidden=hidden, embedding=0 if one_hot else 24, batch=batch, lr=lr,
                             clip=clip if clip_on else None, dropout=dropout)
        steps_choice = (1, 10, 50)
        clip_label = f"norm ≤ {clip:g}" if clip_on else "off"


def _use_torch() -> None:
    ss["char_lm_engine"] = TORCH


if engine == SCRATCH and corpus.vocab_size > SCRATCH_MAX_VOCAB:
    with live_box:
        st.warning(f"**{corpus.name}** has {corpus.vocab_size:,} different characters; the from-scratch engine takes "
                   f"at most {SCRATCH_MAX_VOCAB}: {VOCAB_LIMIT_WHY}.", icon=":material/translate:")
        st.button("Use the PyTorch engine", on_click=_use_torch, key="char_lm_use_torch", type="primary",
                  icon=":material/swap_horiz:")
    st.stop()


def _explosion_demo() -> None:
    ss.update(EXPLOSION)


with settings_box, st.expander("Clipping made visible: make the gradient explode", icon=":material/bolt:"):
    st.markdown(
        "Backpropagation through time multiplies by $W_{aa}$ once per character, so a gradient can grow "
        "very large on an unlucky name. With the NumPy engine at learning rate **0.05** and clipping **off**, "
        "the gradient norm (its chart, above) climbs to hundreds, one huge update wrecks the "
        "weights and the loss climbs within a few hundred names. The guard watches the recent loss against the "
        "best it reached: once half of what was learned is lost it pauses and goes back to the kept checkpoint "
        "with the best held-out loss, and says which step and which loss. Turn clipping on (±1) and the same "
        "learning rate survives: the dashed *after clipping* line stays low while *before* spikes."
    )
    st.button("Set it up: NumPy engine, learning rate 0.05, clipping off", on_click=_explosion_demo,
              key="char_lm_demo", icon=":material/science:")

corpus_key = (corpus.name, hash(corpus.train + corpus.heldout))


def build() -> CharLMRun:
    if engine == SCRATCH:
        return ScratchRun(corpus, config, seed=seed())
    return TorchCharRun(corpus, config, seed=seed())


def _sized(fig):
    """The live charts, shorter in normal mode: the control, the readout and both charts fit one screen."""
    if not P:
        fig.update_layout(height=LIVE_CHART_PX)
    return fig


def render(run: CharLMRun) -> None:
    held = run.last_heldout()
    r = st.columns([1, 1, 1.25, 0.75] if P else 4)  # projector: room for "Smoothed loss / name" on one line
    r[0].metric("Characters / s", f"{run.chars_per_second():,.0f}" if run.step_count else "–",
                help="Characters predicted per second of pure training.")
    r[1].metric("Held-out loss / char", f"{held:.3f}" if held is not None else "–",
                help=f"Measured every {run.eval_every} steps on names never trained on.")
    if run.engine == SCRATCH:
        r[2].metric("Smoothed loss / name", f"{run.seed_loss:.2f}",
                    help="The seed's smoothed loss, the number the course prints: 0.999 · loss + 0.001 · current "
                         "name's summed loss.")
    else:
        r[2].metric("Epochs", f"{run.step_count * run.batches.batch / len(run.train_ids):.1f}",
                    help="Passes over the training names.")
    r[3].metric("Names seen", f"{run.step_count * (1 if run.engine == SCRATCH else run.batches.batch):,}")
    with st.container():  # always there: the notice and its button come and go, the charts below keep their place
        _overfitting_notice(run)
    c1, c2 = [st.container(), st.container()] if P else st.columns(2)  # big type: one under the other
    with c1:
        label = "smoothed, dropout on" if run.engine == TORCH and run.config.dropout > 0 else "smoothed"
        best = (run.best.step, run.best.score) if run.best is not None else None
        chart(by_step(run, ("loss", P, label, best),
                      lambda: _sized(loss_figure(run.history, run.corpus.vocab_size, label, P, best))),
              key="char_lm_loss")
    with c2:
        chart(by_step(run, ("grad", P, clip_label), lambda: _sized(grad_norm_figure(run.history, clip_label, P))),
              key="char_lm_grad")


def _go_back_to_best() -> None:
    run = get_run(KEY)
    if run is not None:
        run.claim()  # an older training tick stops after its current step
        with run.lock:
            run.go_back_to_best()


def _overfitting_notice(run: CharLMRun) -> None:
    """Overfitting said out loud, and a way back to the best held-out state."""
    over = run.overfitting()
    if over is not None:
        st.warning(f"**Overfitting: the model is memorising names.** The held-out loss was lowest at step "
                   f"{over.best_step:,} ({over.best:.3f}) and is now {over.now:.3f}, while the training loss fell from "
                   f"{over.train_then:.3f} to {over.train_now:.3f}. Go back to the best checkpoint, then try more "
                   "dropout, fewer hidden units or a smaller learning rate.", icon=":material/school:")
    if run.best is not None and run.best.step < run.step_count:
        st.button(f"Go back to the best checkpoint (step {run.best.step:,}, held-out {run.best.score:.3f})",
                  on_click=_go_back_to_best, key="char_lm_best", icon=":material/undo:",
                  type="primary" if over is not None else "secondary",
                  help="Rewind the run to the weights with the lowest held-out loss so far (later steps are undone).")


with live_box:
    training_control(
        KEY,
        build=build,
        settings={"engine": engine, "corpus": corpus_key, "config": config, "seed": seed()},
        live=("lr", "clip"),
        apply_live=lambda run: run.set_live(lr, config.clip),
        render=render,
        step_sizes=steps_choice,
    )

# ----------------------------------------------------------------------------- next character, samples while training
st.subheader("What comes next, and samples while training")
c3, c4 = [st.container(), st.container()] if P else st.columns([1, 1.4], gap="medium")  # big type: stacked
with c4:
    prefix_default = PREFIXES.get(corpus.name, corpus.train[0][:3])
    prefix_key = "char_lm_prefix" if corpus.name == "Dinosaur genera" else (
        f"char_lm_prefix_{list(BUILTIN).index(corpus.name)}" if corpus.name in BUILTIN else "char_lm_prefix_upload")
    prefix = st.text_input("Next-character view: type the start of a name", value=prefix_default, key=prefix_key,
                           max_chars=40, help="The bars below show what the current model expects next.",
                           bind="query-params")

    def _next_char_view(run: CharLMRun) -> None:
        try:
            probs = run.next_char_probs(prefix.lower())
        except CorpusError as err:
            st.warning(str(err), icon=":material/keyboard:")
        else:
            chart(next_char_figure(probs, run.corpus, prefix.lower(), run.step_count, P), key="char_lm_next")

    live_view(KEY, _next_char_view, every=REFRESH)
with c3:

    def _samples_view(run: CharLMRun) -> None:
        st.markdown("**Samples while training**")
        if run.checkpoints:
            for cp in reversed(run.checkpoints[-3:]):
                st.markdown(f"**step {cp.step:,}** (held-out {cp.heldout:.2f}): "
                            + " · ".join(n.capitalize() or "(empty)" for n in cp.samples))
        else:
            st.info(f"Every {run.checkpoint_every:,} steps five names are sampled here: press Train, or Step.",
                    icon=":material/hourglass_empty:")

    live_view(KEY, _samples_view, every=REFRESH)
next_char_question(KEY, prefix.lower())

tabs = st.tabs(TABS, key="char_lm_tab", on_change="rerun", bind="query-params")


# ----------------------------------------------------------------------------- samples, hidden units (tab 1)
with tabs[0]:
    if tabs[0].open is not False:
        samples_and_hidden_units(KEY, corpus, P)

# ----------------------------------------------------------------------------- the names
with tabs[1]:
    if tabs[1].open is not False:
        s = corpus.stats()
        m = st.columns(4)
        m[0].metric("Items", f"{s['items']:,}")
        m[1].metric("Training / held out", f"{s['train']:,} / {s['heldout']:,}")
        m[2].metric("Vocabulary", f"{s['vocab']}", help="Distinct characters, the newline (end of name) included.")
        m[3].metric("Mean length", f"{s['mean_length']:.1f} characters")
        shown = corpus.alphabet() if len(corpus.alphabet()) <= 80 else corpus.alphabet()[:80] + " …"
        st.caption(f"**{corpus.name}**, a few training items: " + ", ".join(n.capitalize() for n in corpus.train[:8])
                   + " … Characters: `" + shown + "`. The held-out items are never trained on: "
                   "their loss per character is the honest measure of what the model learned.")

# ----------------------------------------------------------------------------- the model and its code
with tabs[2]:
    if tabs[2].open is not False:
        st.markdown(
            "A recurrent network reads a name one character at a time and, at every step, gives a probability to "
            "each possible **next** character (the newline ⏎ means *the name ends here*). Trained on about a "
            "thousand real dinosaur genera, it starts by babbling random letters and ends up inventing names "
            "that end in *-saurus*, *-don* or *-raptor*. This is the course's NumPy model (hidden size 50, SGD with "
            "learning rate 0.01, every gradient entry clipped to ±5, one name per step), next to a PyTorch model "
            "trained on mini-batches."
        )
        st.latex(r"a_t = \tanh(W_{ax}\,x_t + W_{aa}\,a_{t-1} + b), \qquad "
                 r"\hat y_t = \mathrm{softmax}(W_{ya}\,a_t + b_y)")
        st.latex(r"\mathcal{L} = -\sum_t \log \hat y_t[\text{next character}]")
        code_config = (code.numpy_code(corpus, config, seed()) if engine == SCRATCH
                       else code.torch_code(corpus, config, seed()))
        n_code = len(code_config.steps)
        show_code(code.snippet(code_config),
                  label=f"Show code: the {'NumPy' if engine == SCRATCH else 'PyTorch'} engine's first {n_code} steps, "
                        "standalone")
        st.caption(f"A standalone script (copy it anywhere and run it): the same vocabulary, seed, starting weights "
                   f"and {'names' if engine == SCRATCH else 'batches'} as this page. It prints the loss per character "
                   f"and the smoothed curve of steps 1 to {n_code}: the numbers this page shows after Step (with the "
                   "current learning rate and clipping from the start).")
