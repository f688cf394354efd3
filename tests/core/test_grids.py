"""Grid cells accept what students type and refuse the rest by name; the compact URL form round-trips."""

import numpy as np
import pytest

from rnnviz.core.grids import GridError, from_compact, parse_cell, parse_grid, to_compact


@pytest.mark.parametrize("text, value", [("1", 1.0), ("-0.5", -0.5), (".5", 0.5), ("1e5", 1e5),
                                         (" 2.5E-3 ", 2.5e-3), (3.0, 3.0), (7, 7.0)])
def test_numbers_as_typed(text, value):
    assert parse_cell(text, "x") == value


@pytest.mark.parametrize("text", ["1,2", "one", "", None, "nan", "inf", float("nan"), "1e5e"])
def test_everything_else_is_refused_by_name(text):
    with pytest.raises(GridError) as err:
        parse_cell(text, "W_ih: the cell in row h[1], column x[2]")
    assert "W_ih: the cell in row h[1], column x[2]" in str(err.value)


def test_comma_gets_a_hint_and_is_never_read_as_twelve():
    with pytest.raises(GridError, match="dot for decimals"):
        parse_grid([["1,2", "1"]], "W", ["a"], ["b", "c"])


def test_compact_round_trip():
    a = np.array([[1.0, -0.5], [1e5, 0.125]])
    assert to_compact(a) == "1,-0.5;100000,0.125"
    np.testing.assert_array_equal(from_compact(to_compact(a), (2, 2)), a)
    np.testing.assert_array_equal(from_compact("0.1,-0.2", (2,)), [0.1, -0.2])
    np.testing.assert_array_equal(from_compact("1,1;2,2;3,3", (None, 2)), [[1, 1], [2, 2], [3, 3]])
    with pytest.raises(GridError):
        from_compact("1,1;2", (None, 2))
    with pytest.raises(GridError):
        from_compact("1,1", (2, 2))
