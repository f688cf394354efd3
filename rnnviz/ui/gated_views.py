"""The gated page's tabs "Inside one test example": the prediction over time, the LSTM and GRU gates, the hidden
states, and the confusion matrices with the mistakes (Streamlit views of :mod:`rnnviz.gated`; the page draws each
one with ``live_view``, so it follows the run).

Every view takes the run, the test example's ``index``, the page's ``task`` and the ``projector`` flag."""

from __future__ import annotations

import streamlit as st

from rnnviz.gated.cells import EQUATIONS, KINDS
from rnnviz.gated.data import LETTERS
from rnnviz.gated.figures import prediction_over_time
from rnnviz.gated.inside import confusion_figure, digit_reading, gate_heatmaps, hidden_heatmaps, mistakes_figure
from rnnviz.gated.model import NAMES
from rnnviz.gated.run import GatedRun
from rnnviz.ui.common import chart
from rnnviz.ui.sections import by_step

GATE_NOTES = {
    "lstm": "The cell state c_t is the memory: where the forget gate f_t stays near 1 and the input gate i_t near 0, "
            "c_t is carried unchanged, and so is the gradient flowing back along it.",
    "gru": "Where the update gate z_t stays near 1, h_t copies h_{t-1}: the state, and the gradient, pass through "
           "unchanged. The reset gate r_t decides how much of h_{t-1} the candidate n_t may use.",
}


def prediction(r: GatedRun, index: int, task: str, projector: bool) -> None:
    P = projector
    ex = r.example(index)
    class_names = r.data.spec.class_names
    label = int(r.data.y_test[index])
    st.caption(f"Weights after step {r.step_count}.")
    if task == "digits":
        chart(by_step(r, ("digit", index, P), lambda: digit_reading(r.data.x_test[index].numpy(), ex, class_names, P)),
              key="gated_digit")
    chart(by_step(r, ("p_true", index, P),
                  lambda: prediction_over_time(ex, r.data.spec.n_classes, class_names[label], P)), key="gated_ptrue")
    st.caption("The classifier only uses the last output, but applying it after every step shows what each "
               "model would answer so far. A model that remembers keeps its answer up to the end; one that "
               "forgets drifts back to chance as the distractors arrive.")


def gates(r: GatedRun, kind: str, index: int, projector: bool) -> None:
    P = projector
    # side by side; in projector mode the equations go under the heatmaps (big type needs the width)
    fig_col, eq_col = (st.container(), st.container()) if P else st.columns([1.7, 1])
    with eq_col:
        st.markdown(f"**{NAMES[kind]} equations**")
        for line in EQUATIONS[kind]:
            st.latex(line)
        st.caption(GATE_NOTES[kind])
    with fig_col:
        chart(by_step(r, ("gates", kind, index, P),
                      lambda: gate_heatmaps(kind, r.example(index)[kind], P)),
              key=f"gated_gates_{kind}")
    st.caption(f"Weights after step {r.step_count}. σ is the logistic sigmoid, ⊙ the element-wise product; each "
               "b is PyTorch's two biases added (b_ih + b_hh). Gates lie between 0 (closed, white) and 1 (open, dark "
               "blue). The values are recomputed in NumPy from the model's own weights; a test checks them against "
               "nn.LSTM and nn.GRU.")


def lstm_gates(r: GatedRun, index: int, task: str, projector: bool) -> None:
    gates(r, "lstm", index, projector)


def gru_gates(r: GatedRun, index: int, task: str, projector: bool) -> None:
    gates(r, "gru", index, projector)


def hidden(r: GatedRun, index: int, task: str, projector: bool) -> None:
    P = projector
    chart(by_step(r, ("hidden", index, P), lambda: hidden_heatmaps(r.example(index), P)), key="gated_hidden_states")
    st.latex(EQUATIONS["rnn"][0])
    st.caption(f"Weights after step {r.step_count}. Rows are hidden units, columns time steps. A unit that keeps "
               "one colour along its row is holding on to something; speckles that change with every input mean "
               "the state is rewritten at each step. On the long-range task, compare how much of the first "
               "symbol's imprint survives to the right-hand edge in each model.")


def confusion(r: GatedRun, index: int, task: str, projector: bool) -> None:
    P = projector
    class_names = r.data.spec.class_names
    st.caption(f"Test-set predictions of step {r.latest('rnn').step} (the test set is scored every "
               f"{r.config.eval_every} steps).")
    chart(by_step(r, ("confusion", P), lambda: confusion_figure({k: r.confusion(k) for k in KINDS}, class_names, P)),
          key="gated_confusion")
    mistakes = {k: r.misclassified(k, 6) for k in KINDS}
    if not any(mistakes.values()):
        st.success("No test example is misclassified by any model.", icon=":material/check_circle:")
    elif task == "digits":
        chart(by_step(r, ("mistakes", P), lambda: mistakes_figure(r.data.x_test.numpy(), mistakes, class_names, P)),
              key="gated_mistakes")
    else:
        rows = [{"model": NAMES[k], "test #": i,
                 "sequence (first 16 symbols)": " ".join(r.data.describe(i).split()[:16]),
                 "answer": LETTERS[t], "predicted": LETTERS[p]} for k in KINDS for i, t, p in mistakes[k]]
        st.dataframe(rows, hide_index=True, width="stretch")


# the tabs' views, in the order of the tabs: "Prediction over time", "LSTM gates", "GRU gates", "Hidden states",
# "Confusion and mistakes"
TAB_VIEWS = (prediction, lstm_gates, gru_gates, hidden, confusion)
