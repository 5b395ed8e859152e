"""``DataFrame.combine`` partition by partition gives pandas' answer on the whole frames: a partition lacking
one side's rows (different divisions cut at their union) is no empty-side shortcut, ``overwrite=False`` keeps
a column by the whole of ``other``, and a whole empty side still gives pandas' shortcut."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import check_by_index

FUNCS = {"larger": lambda x, y: x.where(x > y, y), "sum": lambda x, y: x + y}


def _frame(labels: list, columns: list, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    data = {c: rng.choice([np.nan, -2.0, 0.5, 3.0], len(labels)) for c in columns}
    return pd.DataFrame(data, index=pd.Index(sorted(labels), dtype="int64"), columns=pd.Index(columns),
                        dtype="float64")


def _check(a: pd.DataFrame, b: pd.DataFrame, pa: int, pb: int, func: str, **kwargs) -> None:
    expected = a.combine(b, FUNCS[func], **kwargs)
    left, right = gd.from_pandas(a, npartitions=pa), gd.from_pandas(b, npartitions=pb)
    check_by_index(left.combine(right, FUNCS[func], **kwargs), expected)


def test_partition_lacking_one_side(backend):
    a = pd.DataFrame({"a": [5.0, 6.0]}, index=[10, 11])
    b = pd.DataFrame({"a": [-3.0, 7.0]}, index=[0, 11])
    _check(a, b, 1, 1, "larger", fill_value=-1)
    _check(b, a, 1, 1, "larger", fill_value=-1)


def test_overwrite_false_decided_on_the_whole_other(backend):
    a = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0]}, index=[0, 2])
    b = pd.DataFrame({"a": [10.0, 20.0]}, index=[2, 3])
    _check(a, b, 1, 1, "sum", overwrite=False)
    _check(a, b.assign(a=np.nan), 1, 1, "sum", overwrite=False)  # no value on the whole: a stays


def test_whole_empty_side_is_pandas_shortcut(backend):
    a = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [3.0, np.nan, 4.0]}, index=[0, 2, 5])
    empty = a.iloc[:0]
    _check(empty, a, 1, 2, "sum", fill_value=-1)
    _check(a, empty, 2, 1, "sum", fill_value=-1)
    _check(empty, a[["a"]] * 2, 1, 2, "sum")  # other's columns, as pandas' other.copy()


@settings(max_examples=40, deadline=None)
@given(la=st.sets(st.integers(0, 15), max_size=8), lb=st.sets(st.integers(0, 15), max_size=8),
       pa=st.integers(1, 3), pb=st.integers(1, 3), seed=st.integers(0, 99),
       func=st.sampled_from(sorted(FUNCS)), fill=st.sampled_from([None, -1.0]), overwrite=st.booleans(),
       cb=st.sampled_from([["a"], ["a", "c"], ["c", "a"]]))
def test_combine_matches_pandas_on_the_whole(la, lb, pa, pb, seed, func, fill, overwrite, cb):
    a, b = _frame(sorted(la), ["a", "b"], seed), _frame(sorted(lb), cb, seed + 1)
    _check(a, b, pa, pb, func, fill_value=fill, overwrite=overwrite)
