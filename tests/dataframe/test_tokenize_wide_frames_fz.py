"""Tokens of wide pandas frames: the columns of one NumPy dtype are hashed as one block (a Series per
column made from_pandas of a 2 x 20000 frame take seconds), and still differ for any difference."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gpuscale.backends import tokenize


def _token(frame):
    return tokenize._compute_token(frame)  # (not the per-object cache: a fresh digest each time)


def test_wide_frame_is_hashed_by_dtype_block(monkeypatch):
    frame = pd.DataFrame(np.zeros((2, 2000)))
    calls = []
    real = tokenize._series_digest
    monkeypatch.setattr(tokenize, "_series_digest", lambda values: calls.append(1) or real(values))
    _token(frame)
    assert len(calls) < 5


def _variants():
    base = pd.DataFrame({"a": [1, 2, 3], "b": [1.0, 2.0, 3.0], "c": [4, 5, 6], "d": ["x", "y", "z"]})
    yield base.assign(a=[1, 2, 4])  # a value
    yield base.assign(c=[1, 2, 3], a=[4, 5, 6])  # two same-dtype columns' values swapped
    yield base.astype({"a": "int32"})  # a dtype
    yield base.astype({"d": pd.CategoricalDtype(["x", "y", "z"])})
    yield base.rename(columns={"a": 0})  # a label and its type
    yield base.rename(columns={"a": "0"})
    yield base.set_axis([0, 1, 5])  # the index
    yield base.assign(b=[1, 2, 3], a=[1.0, 2.0, 3.0])  # the same values under other dtypes in other places
    yield base.assign(t=pd.date_range("2020", periods=3))
    yield base.assign(t=pd.date_range("2020", periods=3, unit="s"))


def test_tokens_differ_for_any_difference():
    base = pd.DataFrame({"a": [1, 2, 3], "b": [1.0, 2.0, 3.0], "c": [4, 5, 6], "d": ["x", "y", "z"]})
    tokens = [_token(base)] + [_token(v) for v in _variants()]
    assert len(set(map(repr, tokens))) == len(tokens)
    assert _token(base) == _token(base.copy()) == _token(base.copy(deep=True))


@pytest.mark.parametrize("order", [["a", "b"], ["b", "a"]])
def test_categorical_order_and_unused_categories(order):
    values = pd.Series(["a", "b", "a"])
    frames = [pd.DataFrame({"k": values.astype(pd.CategoricalDtype(order)), "x": [1, 2, 3]}),
              pd.DataFrame({"k": values.astype(pd.CategoricalDtype(order, ordered=True)), "x": [1, 2, 3]}),
              pd.DataFrame({"k": values.astype(pd.CategoricalDtype(order + ["z"])), "x": [1, 2, 3]})]
    assert len({repr(_token(f)) for f in frames}) == 3


@pytest.mark.parametrize("pair", [([0, "a"], ["0", "a"]), ([0, "a"], ["0", 1]), ([1.5, "x"], ["1.5", "x"])])
def test_object_values_of_other_types_differ(pair):
    # pandas 2 hashes mixed object values by their str()
    first, second = (pd.Series(v, dtype=object) for v in pair)
    assert _token(first) != _token(second)
    assert _token(pd.DataFrame({"k": [1, 2]}, index=first)) != _token(pd.DataFrame({"k": [1, 2]}, index=second))
