"""SRN oracle tests: the seed's numbers, and NumPy == nn.RNNCell == nn.RNN for random weights."""

import numpy as np
import pytest
import torch

from rnnviz.srn.model import (
    SEED_INPUT,
    SRNModule,
    SRNWeights,
    check_shapes,
    compare_implementations,
    srn_numpy,
    srn_rnn,
    srn_rnncell,
)


def test_seed_numbers_without_activation():
    y, h = srn_numpy(SEED_INPUT, SRNWeights(), "none")
    np.testing.assert_array_equal(h, [[2, 2], [6, 6], [16, 16]])
    np.testing.assert_array_equal(y, [[4, 4], [12, 12], [32, 32]])


@pytest.mark.parametrize("impl", [srn_numpy, srn_rnncell, srn_rnn])
def test_seed_numbers_with_tanh(impl):
    y, h = impl(SEED_INPUT, SRNWeights(), "tanh")
    np.testing.assert_allclose(h[:, 0], [0.96403, 0.99923, 0.99999], atol=5e-6)
    np.testing.assert_allclose(h[:, 1], h[:, 0])
    np.testing.assert_allclose(y, [[1.92806] * 2, [1.99845] * 2, [1.99998] * 2], atol=5e-6)


def _random_weights(rng, I, H, O):
    return SRNWeights(W_ih=rng.normal(size=(H, I)), W_hh=rng.normal(size=(H, H)) * 0.5, b=rng.normal(size=H),
                      W_out=rng.normal(size=(O, H)), b_out=rng.normal(size=O))


@pytest.mark.parametrize("activation", ["tanh", "relu"])
@pytest.mark.parametrize("trial", range(5))
def test_numpy_rnncell_rnn_agree_on_random_weights(activation, trial):
    rng = np.random.default_rng(trial)
    I, H, O, T = rng.integers(1, 6, size=3).tolist() + [int(rng.integers(1, 11))]
    w = _random_weights(rng, I, H, O)
    x = rng.normal(size=(T, I))
    a = srn_numpy(x, w, activation)
    b = srn_rnncell(x, w, activation)
    c = srn_rnn(x, w, activation)
    for got in (a, b):
        np.testing.assert_allclose(got[0], c[0], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(got[1], c[1], rtol=1e-10, atol=1e-12)


def test_numpy_matches_plain_torch_rnn_with_separate_biases():
    """nn.RNN has two biases; ours is their sum. Check against a freshly initialised nn.RNN."""
    torch.manual_seed(3)
    rnn = torch.nn.RNN(3, 4).double()
    x = torch.randn(6, 1, 3, dtype=torch.float64)
    out, _ = rnn(x)
    p = {k: v.detach().numpy() for k, v in rnn.named_parameters()}
    w = SRNWeights(W_ih=p["weight_ih_l0"], W_hh=p["weight_hh_l0"], b=p["bias_ih_l0"] + p["bias_hh_l0"],
                   W_out=np.eye(4), b_out=np.zeros(4))
    _, h = srn_numpy(x[:, 0].numpy(), w, "tanh")
    np.testing.assert_allclose(h, out[:, 0].detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("activation", ["none", "tanh", "relu", "sigmoid"])
def test_trainable_module_matches_numpy(activation):
    rng = np.random.default_rng(7)
    w = _random_weights(rng, 2, 3, 2)
    x = rng.normal(size=(5, 2))
    y, h = SRNModule(w, activation)(torch.tensor(x))
    ny, nh = srn_numpy(x, w, activation)
    np.testing.assert_allclose(y.detach().numpy(), ny, rtol=1e-12)
    np.testing.assert_allclose(h.detach().numpy(), nh, rtol=1e-12)


def test_torch_refuses_activation_it_does_not_have():
    res = compare_implementations(SEED_INPUT, SRNWeights(), "sigmoid")
    assert "only nonlinearity 'tanh' or 'relu'" in res["nn.RNN one call"]
    assert not isinstance(res["NumPy, chosen activation"], str)


@pytest.mark.parametrize("x, message", [
    (np.ones((0, 2)), "1 to 10 time steps"),
    (np.ones((11, 2)), "1 to 10 time steps"),
    (np.ones((3, 3)), "needs 2 numbers"),
    (np.array([[1.0, np.nan]]), "empty or non-numeric"),
])
def test_bad_input_gives_plain_message(x, message):
    with pytest.raises(ValueError, match=message):
        check_shapes(x, SRNWeights())


def test_unrolled_diagram_shows_the_tables_precision():
    """Issue: the diagram printed y_3 = 2 where the tables print 1.99998."""
    from rnnviz.srn.figures import unrolled_diagram

    w = SRNWeights()
    y, h = srn_numpy(SEED_INPUT, w, "tanh")
    fig = unrolled_diagram(SEED_INPUT, h, y, focus=3)
    texts = " ".join(str(t) for trace in fig.data for t in (trace.text or ()))
    assert "1.99998" in texts and "0.96403" in texts and "1.92806" in texts
