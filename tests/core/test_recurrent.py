"""The one table of cell facts agrees with torch: classes, gate order, parameter counts."""

import itertools

import pytest
import torch
from torch import nn

from rnnviz.core.recurrent import CELLS, cell_facts, param_count


def _numel(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize("kind", list(CELLS))
def test_param_count_matches_torch_for_many_settings(kind):
    sizes = ((1, 1), (3, 2), (4, 7), (10, 5))
    for (I, H), layers, bidir, bias in itertools.product(sizes, (1, 2, 3), (False, True), (False, True)):
        projs = [0] + ([p for p in (1, H - 1) if 0 < p < H] if kind == "LSTM" else [])
        for proj in projs:
            module = CELLS[kind].module(I, H, num_layers=layers, bidirectional=bidir, bias=bias,
                                        **({"proj_size": proj} if proj else {}))
            setting = (I, H, layers, bidir, bias, proj)
            assert param_count(kind, *setting) == _numel(module), setting


@pytest.mark.parametrize("kind", list(CELLS))
def test_a_cell_has_the_count_of_one_layer_one_direction(kind):
    for I, H, bias in itertools.product((1, 4, 9), (1, 3, 8), (False, True)):
        assert param_count(kind, I, H, bias=bias) == _numel(CELLS[kind].cell(I, H, bias=bias))


@pytest.mark.parametrize("kind", list(CELLS))
def test_classes_and_blocks_match_the_weight_shapes(kind):
    facts = CELLS[kind]
    assert facts.name == kind == facts.module.__name__ and facts.cell.__name__ == kind + "Cell"
    for module in (facts.module(5, 3), facts.cell(5, 3)):
        w = dict(module.named_parameters())
        W_ih = w.get("weight_ih_l0", w.get("weight_ih"))
        assert W_ih.shape == (facts.blocks * 3, 5)


def test_gate_order_is_pytorchs():
    """Open one gate by its bias and watch the state: the rows must belong to the gate named."""
    assert CELLS["LSTM"].gates == ("i", "f", "g", "o") and CELLS["GRU"].gates == ("r", "z", "n")
    assert CELLS["RNN"].gates == () and CELLS["RNN"].blocks == 1
    torch.manual_seed(0)
    gru = nn.GRUCell(2, 4)
    with torch.no_grad():
        gru.bias_ih.zero_()
        gru.bias_hh.zero_()
        gru.bias_ih[CELLS["GRU"].gate_rows("z", 4)] = 50.0  # z = 1: h_t = h_{t-1}
    h = torch.randn(1, 4)
    torch.testing.assert_close(gru(torch.randn(1, 2), h), h)
    lstm = nn.LSTMCell(2, 4)
    with torch.no_grad():
        lstm.bias_ih.zero_()
        lstm.bias_hh.zero_()
        lstm.bias_ih[CELLS["LSTM"].gate_rows("f", 4)] = 50.0  # f = 1
        lstm.bias_ih[CELLS["LSTM"].gate_rows("i", 4)] = -50.0  # i = 0: c_t = c_{t-1}
    c = torch.randn(1, 4)
    _, c_t = lstm(torch.randn(1, 2), (torch.zeros(1, 4), c))
    torch.testing.assert_close(c_t, c)


def test_cell_facts_accepts_every_spelling_and_refuses_the_rest():
    assert cell_facts("lstm") is cell_facts("LSTM") is cell_facts("LSTMCell") is CELLS["LSTM"]
    with pytest.raises(ValueError):
        cell_facts("transformer")
    with pytest.raises(ValueError):
        param_count("GRU", 3, 4, proj_size=2)
