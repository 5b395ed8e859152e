"""pandas scalars and extension dtypes get tokens by value: equal values give equal expression names."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from gpuscale.expr.tokenize import tokenize


@pytest.mark.parametrize("make", [
    lambda: pd.Timestamp("2000-01-31"), lambda: pd.Timestamp("2000-01-31", tz="UTC"), lambda: pd.Timedelta("1h"),
    lambda: pd.Period("2000-01", "M"), lambda: pd.Interval(0, 1), lambda: pd.offsets.MonthEnd(2), lambda: pd.NaT,
    lambda: pd.StringDtype("pyarrow"), lambda: pd.StringDtype("python"), lambda: pd.Int64Dtype(),
    lambda: pd.ArrowDtype(pa.int64()), lambda: pd.DatetimeTZDtype(tz="UTC"), lambda: pd.CategoricalDtype(["a", "b"]),
])
def test_equal_values_have_equal_tokens(make):
    assert tokenize(make()) == tokenize(make())


@pytest.mark.parametrize("one, other", [
    (pd.Timestamp("2000-01-31"), pd.Timestamp("2000-02-01")),
    (pd.Timestamp("2000-01-31"), pd.Timestamp("2000-01-31", tz="UTC")),
    (pd.Timestamp("2000-01-31").as_unit("ns"), pd.Timestamp("2000-01-31").as_unit("s")),
    (pd.StringDtype("pyarrow"), pd.StringDtype("python")),
    (pd.CategoricalDtype(["a", "b"]), pd.CategoricalDtype(["a", "c"])),
    (pd.CategoricalDtype(["a", "b"]), pd.CategoricalDtype(["a", "b"], ordered=True)),
    (pd.CategoricalDtype(list(range(500))), pd.CategoricalDtype(list(range(499)) + [1000])),
])
def test_different_values_have_different_tokens(one, other):
    assert tokenize(one) != tokenize(other)
