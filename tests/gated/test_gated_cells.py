"""Gate oracle: the NumPy step-by-step cells agree with nn.LSTM / nn.GRU / nn.RNN; sizes and biases."""

import numpy as np
import pytest
import torch
from torch import nn

from rnnviz.core.seeding import seeded
from rnnviz.gated.cells import (
    EQUATIONS,
    GATES,
    KINDS,
    cell_weights,
    gru_trace,
    hidden_gradient_norms,
    lstm_trace,
    rnn_trace,
    trace,
    unroll,
)
from rnnviz.gated.data import SYMBOLS, TaskData, load_digits
from rnnviz.gated.model import (
    GatedConfig,
    SequenceClassifier,
    build_model,
    gate_memory,
    hidden_sizes,
    param_count,
    preset,
    set_gate_biases,
)


def _sequence(T: int = 7, I: int = 5, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(T, I))  # (T, I)


def _torch_outputs(module: nn.Module, x: np.ndarray):
    with torch.no_grad():
        out, state = module(torch.tensor(x)[None])  # batch_first: (1, T, H)
    return out[0].numpy(), state


@pytest.mark.parametrize("forget_bias", [None, 3.0])
def test_lstm_gates_recomputed_in_numpy_match_nn_lstm(forget_bias):
    lstm = seeded(1, lambda: nn.LSTM(5, 6, batch_first=True).double())
    if forget_bias is not None:
        with torch.no_grad():
            lstm.bias_ih_l0[6:12] = forget_bias
            lstm.bias_hh_l0[6:12] = 0.0
    x = _sequence()
    tr = lstm_trace(x, cell_weights(lstm))
    out, (h_n, c_n) = _torch_outputs(lstm, x)
    np.testing.assert_allclose(tr["h"], out, atol=1e-12)
    np.testing.assert_allclose(tr["c"][-1], c_n[0, 0].numpy(), atol=1e-12)
    # every gate against nn.LSTMCell with the same weights, one step at a time
    cell = nn.LSTMCell(5, 6).double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(getattr(lstm, name + "_l0"))
    h, c = torch.zeros(1, 6, dtype=torch.float64), torch.zeros(1, 6, dtype=torch.float64)
    for t, x_t in enumerate(torch.tensor(x)):
        a = cell.weight_ih @ x_t + cell.bias_ih + cell.weight_hh @ h[0] + cell.bias_hh
        i, f, g, o = torch.sigmoid(a[:6]), torch.sigmoid(a[6:12]), torch.tanh(a[12:18]), torch.sigmoid(a[18:])
        h, c = cell(x_t[None], (h, c))
        for name, ref in zip("ifgo", (i, f, g, o)):
            np.testing.assert_allclose(tr[name][t], ref.detach().numpy(), atol=1e-12)
        np.testing.assert_allclose(tr["c"][t], c[0].detach().numpy(), atol=1e-12)  # c_t = f c_{t-1} + i g
        np.testing.assert_allclose(tr["h"][t], h[0].detach().numpy(), atol=1e-12)  # h_t = o tanh(c_t)
    assert np.all((tr["f"] > 0) & (tr["f"] < 1)) and np.all(np.abs(tr["g"]) < 1)


@pytest.mark.parametrize("update_bias", [None, 3.0])
def test_gru_gates_recomputed_in_numpy_match_nn_gru(update_bias):
    gru = seeded(2, lambda: nn.GRU(5, 4, batch_first=True).double())
    if update_bias is not None:
        with torch.no_grad():
            gru.bias_ih_l0[4:8] = update_bias
            gru.bias_hh_l0[4:8] = 0.0
    x = _sequence(T=9)
    tr = gru_trace(x, cell_weights(gru))
    out, h_n = _torch_outputs(gru, x)
    np.testing.assert_allclose(tr["h"], out, atol=1e-12)
    np.testing.assert_allclose(tr["h"][-1], h_n[0, 0].numpy(), atol=1e-12)
    # h_t = (1 - z_t) n_t + z_t h_{t-1}: the returned gates rebuild every state
    h_prev = np.vstack([np.zeros(4), tr["h"][:-1]])
    np.testing.assert_allclose((1 - tr["z"]) * tr["n"] + tr["z"] * h_prev, tr["h"], atol=1e-12)
    # the reset gate acts inside the candidate: recompute n_t from r_t
    w = cell_weights(gru)
    n_ref = np.tanh(x @ w["W_ih"][8:].T + w["b_ih"][8:] + tr["r"] * (h_prev @ w["W_hh"][8:].T + w["b_hh"][8:]))
    np.testing.assert_allclose(tr["n"], n_ref, atol=1e-12)
    if update_bias is not None:
        assert tr["z"].mean() > 0.8  # sigma(3) = 0.95: the gate starts leaning to "keep"


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_trace_matches_nn_rnn(nonlinearity):
    rnn = seeded(3, lambda: nn.RNN(5, 6, batch_first=True, nonlinearity=nonlinearity).double())
    x = _sequence()
    np.testing.assert_allclose(rnn_trace(x, cell_weights(rnn), nonlinearity)["h"], _torch_outputs(rnn, x)[0],
                               atol=1e-12)


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_page_trace_and_torch_unroll_use_the_models_own_weights(kind):
    model = seeded(4, lambda: SequenceClassifier(kind, 8, 16, 10, "relu"))
    x = torch.from_numpy(load_digits()[0][:3].copy())  # (3, 8, 8)
    _, out = model(x)  # (3, 8, 16)
    tr = trace(kind, x[1].numpy(), model.rnn, "relu")  # float64 oracle from float32 weights
    np.testing.assert_allclose(tr["h"], out[1].detach().numpy(), atol=1e-5)
    hs = unroll(kind, model.rnn, x, "relu")
    np.testing.assert_allclose(torch.stack(hs, 1).detach().numpy(), out.detach().numpy(), atol=1e-5)


def test_gradient_norms_match_autograd_and_show_the_vanishing_gradient():
    data = TaskData("long_range", 40, seed=0)
    x, y = data.x_test[:50], data.y_test[:50]
    models = {k: seeded(0, lambda k=k: build_model(k, preset("long_range"), data.spec, 32)) for k in ("rnn", "lstm")}
    norms = {k: hidden_gradient_norms(k, m.rnn, m.fc, x, y, "tanh") for k, m in models.items()}
    assert norms["rnn"].shape == (41,)
    # independent check of the last step: dL/dh_T = fc.weight^T (softmax - onehot), example by example
    m = models["rnn"]
    h_T = unroll("rnn", m.rnn, x, "tanh")[-1].detach()
    p = torch.softmax(m.fc(h_T), 1) - nn.functional.one_hot(y, 4)
    np.testing.assert_allclose(norms["rnn"][-1], (p @ m.fc.weight).norm(dim=1).mean().item(), rtol=1e-5)
    # the untrained tanh RNN: the signal reaching t=1 is a vanishing fraction of the one at t=41
    assert norms["rnn"][0] / norms["rnn"][-1] < 1e-5
    assert norms["lstm"][0] / norms["lstm"][-1] > 100 * norms["rnn"][0] / norms["rnn"][-1]
    assert all(p.grad is None for p in m.parameters())  # diagnostics leave the weights' gradients alone


@pytest.mark.parametrize("kind", ["rnn", "lstm", "gru"])
def test_param_count_matches_torch(kind):
    model = SequenceClassifier(kind, 12, 20, 4)
    assert param_count(kind, 12, 20, 4) == sum(p.numel() for p in model.parameters())


def test_same_budget_sizes_models_to_the_lstms_count():
    spec = TaskData("digits").spec
    sizes = hidden_sizes(GatedConfig(hidden=32, same_budget=True), spec)
    assert sizes["lstm"] == 32 and sizes["rnn"] > sizes["gru"] > 32
    budget = param_count("lstm", 8, 32, 10)
    for kind, h in sizes.items():
        assert abs(param_count(kind, 8, h, 10) - budget) / budget < 0.03
    assert hidden_sizes(GatedConfig(hidden=32), spec) == {"rnn": 32, "lstm": 32, "gru": 32}


def test_gate_biases_set_the_total_bias_and_explanation_numbers():
    spec = TaskData("long_range", 5).spec
    lstm = seeded(0, lambda: build_model("lstm", preset("long_range"), spec, 8))
    total = (lstm.rnn.bias_ih_l0 + lstm.rnn.bias_hh_l0).detach()
    assert torch.allclose(total[8:16], torch.full((8,), 3.0))
    before = seeded(0, lambda: SequenceClassifier("gru", 12, 8, 4))
    after = seeded(0, lambda: SequenceClassifier("gru", 12, 8, 4))
    set_gate_biases(after, None, 2.0)
    assert torch.equal(before.rnn.bias_ih_l0[:8], after.rnn.bias_ih_l0[:8])  # reset gate untouched
    assert torch.allclose((after.rnn.bias_ih_l0 + after.rnn.bias_hh_l0)[8:16], torch.full((8,), 2.0))
    assert gate_memory(0.0, 40) == pytest.approx(0.5 ** 40)
    assert gate_memory(3.0, 40) == pytest.approx(0.1432, abs=1e-4)


def test_tasks_data_shapes_and_content():
    images, labels = load_digits()
    assert images.shape == (1797, 8, 8) and labels.shape == (1797,)
    assert images.min() == 0.0 and images.max() == 1.0 and np.bincount(labels).min() >= 170
    digits = TaskData("digits")
    assert digits.x_test.shape == (360, 8, 8) and len(digits.y_train) == 1437
    long = TaskData("long_range", 12, seed=5)
    assert long.x_test.shape == (500, 13, len(SYMBOLS))
    assert torch.equal(long.x_test[:, 0, :4].argmax(1), long.y_test)  # the class is the first letter
    assert long.x_test[:, 1:, :4].sum() == 0  # distractors are never letters
    x, y = long.batch(np.random.default_rng(0), 16)
    assert x.shape == (16, 13, 12) and y.shape == (16,)
    assert long.describe(0).split()[0] in "ABCD" and len(long.describe(0).split()) == 13
    with pytest.raises(ValueError, match="between 1 and 200"):
        TaskData("long_range", 0)


def test_every_traced_gate_and_state_has_its_equation_next_to_the_code():
    for kind in KINDS:
        lefts = {line.split("=")[0].strip() for line in EQUATIONS[kind]}
        assert lefts == {f"{name}_t" for name in GATES[kind]}, kind
