"""groupby(dropna=False) by a categorical key with missing values among several keys: the missing value is the
last value of the key's index level (pandas' levels and codes), so ``sort_index`` puts its groups last."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host

_METHODS = {
    "sum": lambda g: g.v.sum(),
    "size": lambda g: g.size(),
    "count": lambda g: g.count(),
    "first": lambda g: g.v.first(),
    "agg": lambda g: g.agg({"v": ["sum", "max"]}),
    "ohlc": lambda g: g.v.ohlc(),
    "std": lambda g: g.v.std(),
    "value_counts": lambda g: g.v.value_counts(),
}


def _frame():
    return pd.DataFrame({"a": pd.Categorical([None, "x", None, "y", "x", None, "y"]), "b": [1, 1, 2, 2, 1, 1, 2],
                         "v": [1, 2, 3, 4, 5, 6, 7]})


@pytest.mark.parametrize("method", list(_METHODS))
@pytest.mark.parametrize("npartitions", [1, 3, 7])
def test_missing_category_is_the_last_level_value(method, npartitions):
    pdf = _frame()
    run = _METHODS[method]
    expected = run(pdf.groupby(["a", "b"], observed=True, dropna=False))
    got = to_host(run(gd.from_pandas(pdf, npartitions).groupby(["a", "b"], observed=True, dropna=False)).compute())
    assert got.sort_index().index.tolist() == expected.sort_index().index.tolist()
    assert list(got.index.levels[0]) == list(expected.index.levels[0])
    assert got.index.get_level_values(0).tolist() == expected.index.get_level_values(0).tolist()
    assert [list(c) for c in got.index.codes] == [list(c) for c in expected.index.codes]
