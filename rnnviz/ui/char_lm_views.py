"""The char-LM page's tab "Samples & hidden units": sample names from any checkpoint, and read a name's hidden
units (a page section that reruns alone, see :mod:`rnnviz.ui.sections`)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from rnnviz.char_lm.data import Corpus, CorpusError, novelty
from rnnviz.char_lm.figures import hidden_heatmap_figure, hidden_text_figure, sample_rows, timeline_figure
from rnnviz.char_lm.run import CharLMRun
from rnnviz.char_lm.sample import SampleSettings
from rnnviz.ui.common import chart
from rnnviz.ui.sections import by_step, section
from rnnviz.ui.training_control import get_run


@section
def samples_and_hidden_units(key: str, corpus: Corpus, projector: bool) -> None:
    """Samples and hidden units: their widgets rerun only them; Step or Reset refreshes them (they follow the run).

    ``key``: the page's run key; ``corpus``: the page's corpus; ``projector``: projector mode."""
    ss = st.session_state
    run: CharLMRun = get_run(key)
    st.subheader("Sample names from any checkpoint")
    st.caption(f"A checkpoint (weights and five names) is kept every {run.checkpoint_every:,} steps. Pick one, then "
               "sample as many names as you like, at any temperature. This tab shows the run as it was at "
               f"the last page refresh (step {run.step_count:,}): pause or move any control to refresh them.")
    NOW = -1  # option meaning "the weights right now"
    options = [cp.step for cp in run.checkpoints]
    if not options or options[-1] != run.step_count:
        options.append(NOW)
    s1, s2 = st.columns([1.4, 1], gap="large")
    with s1:
        # select_slider remembers a position, not a value: a new key whenever the options change (new checkpoints)
        picked = st.select_slider("Checkpoint (step)", options, value=options[-1],
                                  key=f"char_lm_checkpoint_{hash(tuple(options))}",
                                  format_func=lambda o: f"now (step {run.step_count:,})" if o == NOW else f"{o:,}",
                                  disabled=len(options) < 2)
        with run.lock:  # a checkpoint list that a training tick is thinning out is never read half-way
            params = None if picked in (NOW, run.step_count) else run.checkpoint(picked).params
        cps = run.checkpoints
        if cps:
            chart(by_step(run, ("timeline", picked, projector),
                          lambda: timeline_figure([c.step for c in cps], [c.heldout for c in cps],
                                                  None if picked == NOW else picked, projector)),
                  key="char_lm_timeline")
    with s2:
        k = st.columns(2)
        temperature = k[0].slider("Temperature", 0.1, 2.0, 1.0, 0.1, key="char_lm_temp",
                                  help="Below 1: safer, more typical names. Above 1: wilder ones.", bind="query-params")
        top_k = k[1].number_input("Top-k (0 = all)", 0, 60, 0, key="char_lm_topk",
                                  help="Draw only among the k most likely next characters.", bind="query-params")
        greedy = k[0].toggle("Greedy (always the most likely)", value=False, key="char_lm_greedy", bind="query-params")
        n_samples = k[1].slider("Number of names", 1, 30, 10, key="char_lm_n", bind="query-params")
        sample_seed = k[0].number_input("Sampling seed", 0, 10_000, 0, key="char_lm_sample_seed", bind="query-params")
    settings = SampleSettings(temperature=temperature, top_k=int(top_k), greedy=greedy, n=n_samples,
                              seed=int(sample_seed))
    with run.lock:
        names = by_step(run, ("names", settings, picked), lambda: run.sample_names(settings, params))
    new_train, new_all = novelty(names, run.corpus)
    nm = st.columns(3)
    nm[0].metric("Not in the training list", f"{new_train} / {len(names)}")
    nm[1].metric("Not in any list (truly new)", f"{new_all} / {len(names)}")
    nm[2].metric("Mean length", f"{np.mean([len(n) for n in names]):.1f}")
    st.dataframe(sample_rows(names, run.corpus), hide_index=True, width="stretch", key="char_lm_samples")
    if greedy and n_samples > 1:
        st.caption("Greedy decoding has no randomness: every name is the same.")

    # ------------------------------------------------------------------------- 5. hidden units
    st.subheader("Hidden units over a name")
    h1, h2 = st.columns([1, 1])
    OWN = "(type your own)"
    sampled = list(dict.fromkeys(n for n in names if n))
    if ss.get("char_lm_hidden_src") not in [OWN, *sampled]:
        ss["char_lm_hidden_src"] = sampled[0] if sampled else OWN
    source = h1.selectbox("Name to read", [OWN, *sampled], key="char_lm_hidden_src",
                          format_func=lambda n: n if n == OWN else f"sampled: {n.capitalize()}", bind="query-params")
    if source == OWN:
        own_default = "tyrannosaurus" if "tyrannosaurus" in corpus.train else corpus.train[0]
        text = h1.text_input("Your text", value=own_default, key=f"char_lm_hidden_text_{corpus.name}",
                             max_chars=30).strip().lower()
    else:
        text = source
    try:
        with run.lock:
            hidden_states = by_step(run, ("hidden", text, picked),
                                    lambda: run.hidden_over(text, params)) if text else None
    except CorpusError as err:
        st.warning(str(err), icon=":material/keyboard:")
        hidden_states = None
    if hidden_states is None:
        st.info("Type a name made of this corpus's characters to see the hidden units.")
    else:
        spread = hidden_states.max(axis=0) - hidden_states.min(axis=0)
        by_spread = [int(i) for i in np.argsort(-spread)]
        if ss.get("char_lm_unit") not in by_spread:  # a different hidden size: start from the busiest unit
            ss["char_lm_unit"] = by_spread[0]
        unit = h2.selectbox("Hidden unit (sorted: the most active on this name first)", by_spread, key="char_lm_unit",
                            format_func=lambda j: f"unit {j} (range {spread[j]:.2f})", bind="query-params")
        chart(by_step(run, ("unit_text", text, picked, unit, projector),
                      lambda: hidden_text_figure(text, hidden_states[:, unit], int(unit), projector)),
              key="char_lm_unit_text")
        chart(by_step(run, ("units", text, picked, unit, projector),
                      lambda: hidden_heatmap_figure(text, hidden_states, int(unit), projector)), key="char_lm_units")
        st.caption("Each column is the hidden state right after reading that character. A unit that lights up "
                   "near the end of '-saurus' or after a vowel is a feature the network invented to predict "
                   "the next letter." + (" LSTM: the output h_t is shown, not the cell state c_t."
                                         if getattr(run.config, "cell", "") == "LSTM" else ""))
