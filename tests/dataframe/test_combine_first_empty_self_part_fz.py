"""``combine_first`` keeps the metadata's dtypes (and pandas' missing markers) in a partition where ``self`` has
no rows after the two sides are cut at the union of their divisions: pandas' empty-frame path gave objects
and floats there (categoricals, Int64 and strings as object / Float64, NaN for ``<NA>``)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

COLUMNS = {
    "c": lambda n: pd.Categorical(["u", "v", "u", "w"] * n, categories=["u", "v", "w"])[:n],
    "i": lambda n: pd.array(range(n), dtype="Int64"),
    "s": lambda n: pd.array([f"x{k}" for k in range(n)], dtype="string"),
    "p": lambda n: pd.array([f"p{k}" for k in range(n)], dtype="string[pyarrow]"),
    "t": lambda n: pd.Series([f"t{k}" for k in range(n)], dtype="str").array,
    "d": lambda n: pd.date_range("2024-01-01", periods=n, freq="D", tz="Europe/Paris").array,
}


def _frame(labels: list, columns: list) -> pd.DataFrame:
    n = len(labels)
    return pd.DataFrame({c: COLUMNS[c](n) for c in columns}, index=pd.Index(sorted(labels), dtype="int64"))


def _check(a: pd.DataFrame, b: pd.DataFrame, pa: int, pb: int) -> None:
    expected = a.combine_first(b)
    result = gd.from_pandas(a, npartitions=pa).combine_first(gd.from_pandas(b, npartitions=pb))
    computed = result.compute()
    assert dict(result._meta.dtypes) == dict(computed.dtypes)  # (of the partitions' library)
    tm.assert_frame_equal(to_host(computed).sort_index(), expected.sort_index())


def test_partition_without_rows_of_self(backend):
    a = pd.DataFrame({"c": pd.Categorical(["u", "v"]), "i": pd.array([1, 2], dtype="Int64"),
                      "s": pd.array(["x", "y"], dtype="string")}, index=[1, 2])
    b = pd.DataFrame({"z": [0.0, 1.0]}, index=[0, 3])
    _check(a, b, 1, 1)


@pytest.mark.filterwarnings("ignore::FutureWarning")
@settings(max_examples=30, deadline=None)
@given(la=st.sets(st.integers(0, 12), min_size=1, max_size=7), lb=st.sets(st.integers(0, 12), min_size=1, max_size=7),
       pa=st.integers(1, 3), pb=st.integers(1, 3), ca=st.lists(st.sampled_from(sorted(COLUMNS)), min_size=1,
                                                                  max_size=3, unique=True))
def test_combine_first_one_sided_columns_match_pandas(la, lb, pa, pb, ca):
    a = _frame(sorted(la), ca)
    b = _frame(sorted(lb), [c for c in sorted(COLUMNS) if c not in ca][:2])
    _check(a, b, pa, pb)
