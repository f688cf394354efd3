"""Drawing helpers of the seq2seq page: the page layout's three boxes, the main live charts cut to the first
screen, and Part 2's details under the word box (Streamlit views of :mod:`rnnviz.seq2seq`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from rnnviz.core.charts import Look
from rnnviz.seq2seq.encdec import EncDecRun, greedy_decode, seed_way_decode
from rnnviz.seq2seq.encdec_figures import context_figure, decoder_hidden_figure, top5_figure
from rnnviz.ui.common import chart

LIVE_CHART_PX = 270  # the main live chart's height in normal mode (x1.25 in projector mode): on the first screen


def boxes(projector: bool) -> tuple:
    """(settings, live, rest): the settings above the live section, or under its charts in projector mode."""
    first, second, rest = (st.container() for _ in range(3))
    if projector:  # big type: the live section first
        return second, first, rest
    return first, second, rest


def short(fig, projector: bool, legend: bool = True):
    """A main live chart cut to fit the first screen: shorter, its legend inside the top-right corner (a
    falling loss leaves it free) or none, not under the plot."""
    fig.update_layout(height=Look.of(projector).height(LIVE_CHART_PX), margin={"b": 45 if not projector else 60},
                      showlegend=legend, legend={"orientation": "v", "x": 0.99, "xanchor": "right", "y": 0.99,
                                                 "yref": "paper", "yanchor": "top", "bgcolor": "rgba(255,255,255,0.75)"})
    if fig.layout.yaxis.type == "log" and not any(t.x is not None and len(t.x) for t in fig.data):
        fig.update_yaxes(dtick=1)  # the empty chart's five decades: label whole decades only
    return fig


def encdec_details(run: EncDecRun, word: str, view: str, projector: bool) -> None:
    """Part 2, under the word box: every pair now, the word translated two ways, the decoder step by step.

    ``word``: the word to translate; ``view``: the decoder step view's choice ("greedy decoding" or the seed's way)."""
    P = projector
    rows = pd.DataFrame(run.translations())
    st.markdown(f"**Every pair now** ({int(rows['right'].sum())} of {len(rows)} right with greedy decoding)")
    st.dataframe(rows, hide_index=True, width="stretch")
    st.subheader(f"Translate '{word}'")
    try:
        greedy = greedy_decode(run.model, word, run.vocab, run.n_step)
        seedway = seed_way_decode(run.model, word, run.vocab, run.n_step)
    except ValueError as err:
        st.warning(str(err), icon=":material/translate:")
        return
    m = st.columns(2)
    m[0].metric("Greedy, feeding back each prediction", greedy.translation or "(empty)")
    m[1].metric("The seed's way: decoder fed S ? ? ? …", seedway.translation or "(empty)")
    same = "agree" if greedy.translation == seedway.translation else "differ"
    st.markdown(
        f"Here they **{same}**. Greedy decoding gives the decoder, at each step, the character it just "
        "wrote, which is what it was trained on (teacher forcing gives the true previous character; when "
        "the guess is right the two are identical). The seed's test feeds `?` after `S` at every step: the "
        "decoder never sees what it wrote, so the whole word must come from the hidden state alone, from "
        "inputs it never saw in that place during training. Early in training, or for words not in the "
        "list, the two often disagree."
    )
    trace = greedy if view == "greedy decoding" else seedway
    st.subheader("Decoder, step by step")
    chart(context_figure(trace, projector=P), key="s2s_e_context")
    chart(decoder_hidden_figure(trace, f"Decoder hidden state per step ({view})", projector=P),
          key="s2s_e_hidden")
    chart(top5_figure(trace, run.vocab, projector=P), key="s2s_e_top5")  # style() breaks its long title
