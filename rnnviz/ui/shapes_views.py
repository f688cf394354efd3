"""Two tabs of the shapes page: "Facts and parameters" and the "Mistake gallery" (Streamlit views of
:mod:`rnnviz.shapes`; the gallery is a page section that reruns alone, see :mod:`rnnviz.ui.sections`)."""

from __future__ import annotations

import streamlit as st

from rnnviz.shapes.facts import output_facts, param_formula, param_rows, param_total, seed_comparison
from rnnviz.shapes.figures import seed_numbers_chart, weight_sharing_chart
from rnnviz.shapes.mistakes import MISTAKES, run_mistake
from rnnviz.shapes.model import ShapeConfig, build_module, run_module
from rnnviz.ui.common import chart
from rnnviz.ui.sections import cached, section


def side_by_side(widths: list[float], projector: bool) -> list:
    """Columns; in projector mode one part under the other, so that the big chart titles fit whole."""
    if projector:
        return [st.container() for _ in widths]
    return st.columns(widths)


def facts_and_parameters(cfg: ShapeConfig, seed: int, projector: bool) -> None:
    """What ``output`` and ``h_n`` share, checked on the real tensors, then the parameter count and weight sharing."""
    _infos, values = run_module(cfg, seed)
    st.header("Facts, checked on these tensors")
    if cfg.is_cell:
        st.caption("A cell has no `output`/`h_n` pair: choose RNN, LSTM or GRU to check how they relate.")
    else:
        rows = output_facts(cfg, values)
        st.dataframe([{**r, "max |difference|": f"{r['max |difference|']:.2e}", "equal": "yes" if r["equal"] else "no"}
                      for r in rows], hide_index=True, width="stretch")
        st.caption("`output` is the TOP layer's hidden state at every time step; `h_n` is the LAST step of EVERY "
                   "layer and direction. Try num_layers = 2 (lower layers appear only in h_n) and bidirectional (the "
                   "backward direction finishes at t = 0, so its final state sits in the first step of output's "
                   "second half).")
    st.header("Parameters and weight sharing")
    module_obj = build_module(cfg, seed)
    prow = param_rows(cfg, module_obj)
    total, formula = param_total(module_obj), param_formula(cfg)
    pcols = st.columns([3, 1])
    pcols[0].dataframe(prow, hide_index=True, width="stretch")
    pcols[1].metric("Total parameters", f"{total:,}", help="sum(p.numel() for p in module.parameters())")
    pcols[1].caption(f"By hand: {formula:,} ({'matches' if formula == total else 'DIFFERS'}). Each weight matrix "
                     "stacks its gates: 4 for LSTM (i, f, g, o), 3 for GRU (r, z, n), 1 for RNN.")
    wc = side_by_side([3, 2], projector)
    with wc[0]:
        chart(cached(weight_sharing_chart)(total, cfg.module, cfg.input_size, cfg.hidden_size,
                                           marker_len=cfg.seq_len, projector=projector), key="shapes_sharing")
    with wc[1]:
        chart(cached(seed_numbers_chart)(projector=projector), key="shapes_seed_numbers")
        nums = list(seed_comparison().values())
        st.caption(f"Fully connected 4096 × 1024 = {nums[0]:,} weights; a 5 × 5 convolution from 128 to 64 "
                   f"channels = 5·5·128·64 = {nums[1]:,}. Both CNN and RNN reuse one small set of weights: the "
                   "RNN's at every time step, so its count does not depend on seq_len.")


# ----------------------------------------------------------------------------- mistakes
@section
def mistake_gallery(cfg: ShapeConfig, seed: int) -> None:
    """The mistake picker reruns only this section (``cfg``: the module and sizes picked in the tab)."""
    st.header("Shape-mistake gallery")
    st.markdown(f"Each mistake really runs, with your sizes, on `nn.{cfg.family}` (or `nn.{cfg.family}Cell`).")
    choice = st.selectbox("Mistake", list(MISTAKES), format_func=MISTAKES.get, key="shapes_mistake", bind="query-params")
    res = run_mistake(choice, cfg, seed)
    mc = st.columns(2)
    with mc[0]:
        st.markdown("**The code**")
        st.code(res.code, language="python")
        st.markdown("**The fix**")
        st.code(res.fix, language="python")
    with mc[1]:
        if res.raised:
            st.markdown("**What PyTorch says**")
            st.error(res.error, icon=":material/bug_report:")
        else:
            st.warning(f"No error with these sizes: the call returned {res.result}.", icon=":material/warning:")
        st.markdown(f"**In plain words.** {res.explanation}")
