"""Examples of dask's and pandas' documentation that gpuscale got wrong: DataFrame operators with a list of
values per column, the group order of groupby().rolling(), merge_asof on indexes of unknown divisions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

_OPERATORS = ["__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__", "__truediv__",
              "__rtruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__", "__rpow__",
              "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"]


@pytest.mark.filterwarnings("ignore:Operation with tuple:DeprecationWarning", "ignore:Operation with tuple")
@pytest.mark.parametrize("op", _OPERATORS)
@pytest.mark.parametrize("values", [[1, 2], (1, 2), np.array([1, 2])], ids=["list", "tuple", "array"])
def test_frame_operator_with_values_per_column_matches_pandas(op, values):
    pdf = pd.DataFrame({"angles": [0, 3, 4], "degrees": [360, 180, 360]})
    df = gd.from_pandas(pdf, npartitions=2)
    expected = getattr(pdf, op)(values)
    tm.assert_frame_equal(to_host(getattr(df, op)(values).compute()), expected)
    # a column taken from the result: the operand stays matched to the columns, not split by the projection
    tm.assert_series_equal(to_host(getattr(df, op)(values)["degrees"].compute()), expected["degrees"])


def test_frame_values_per_column_of_another_length_refused_at_once_as_pandas():
    pdf = pd.DataFrame({"angles": [0, 3, 4], "degrees": [360, 180, 360]})
    df = gd.from_pandas(pdf, npartitions=2)
    with pytest.raises(ValueError) as theirs:
        pdf + [1, 2, 3]
    with pytest.raises(ValueError, match=str(theirs.value)):
        df + [1, 2, 3]
    with pytest.raises(ValueError, match=str(theirs.value)):
        df == (1, 2, 3)


# the group-wise windows that shuffle the groups together
_GROUPED_WINDOWS = {"rolling-sum": lambda g: g.rolling(2).sum(), "rolling-mean-y": lambda g: g["y"].rolling(3).mean(),
                    "expanding-max": lambda g: g.expanding().max(),
                    "ewm-mean-y": lambda g: g["y"].ewm(alpha=0.5).mean()}


@pytest.mark.parametrize("how", list(_GROUPED_WINDOWS))
@pytest.mark.parametrize("by", ["A", ["A", "B"], "S"])
def test_groupby_windows_come_in_pandas_group_order_across_partitions(how, by):
    rng = np.random.default_rng(5)
    n = 120
    pdf = pd.DataFrame({"A": rng.integers(0, 9, n), "B": rng.integers(0, 2, n),
                        "S": rng.choice(["u", "v", "w", "x"], n), "y": rng.normal(size=n)})
    pdf = pdf[["A", "B", "y"]] if by != "S" else pdf[["S", "y"]]
    df = gd.from_pandas(pdf, npartitions=4, sort=False)
    func = _GROUPED_WINDOWS[how]
    expected = func(pdf.groupby(by))
    got = to_host(func(df.groupby(by)).compute())
    (tm.assert_frame_equal if isinstance(expected, pd.DataFrame) else tm.assert_series_equal)(got, expected)


def test_groupby_rolling_doc_example_in_key_order():
    pdf = pd.DataFrame({"A": [1, 1, 2, 2], "B": [1, 2, 3, 4], "C": [0.362, 0.227, 1.267, -0.562]})
    df = gd.from_pandas(pdf, npartitions=2, sort=False)
    tm.assert_frame_equal(to_host(df.groupby("A").rolling(2).sum().compute()), pdf.groupby("A").rolling(2).sum())
    tm.assert_series_equal(to_host(df.groupby("A").C.rolling(2).sum().compute()),
                           pdf.groupby("A").C.rolling(2).sum())


def test_remove_unused_categories_of_unknown_categories_learns_them():
    pser = pd.Series(["a", "b", "a", "c", None, "b"], dtype=pd.CategoricalDtype(["d", "c", "b", "a"]))
    ser = gd.from_pandas(pser, npartitions=2).cat.as_unknown()
    out = ser.cat.remove_unused_categories()
    expected = pser.cat.remove_unused_categories()
    assert out.cat.known
    got = to_host(out.compute())
    # the order of unknown categories is the learnt one (as as_known), the set and the values pandas'
    assert sorted(got.cat.categories) == sorted(expected.cat.categories)
    tm.assert_series_equal(got.astype(object), expected.astype(object))


@pytest.mark.parametrize("drop", [True, False])
def test_set_index_append_sorts_rows_by_the_column_and_appends_it(drop):
    pdf = pd.DataFrame({"year": [2012, 2014, 2013, 2012, 2015], "sale": [55, 40, 84, 31, 7]})
    df = gd.from_pandas(pdf, npartitions=2)
    out = df.set_index("year", append=True, drop=drop)
    assert not out.known_divisions  # a MultiIndex: no divisions
    expected = pdf.sort_values("year", kind="stable").set_index("year", append=True, drop=drop)
    tm.assert_frame_equal(to_host(out.compute()), expected)
    ordered = pdf.sort_values("year", kind="stable")
    sorted_in = gd.from_pandas(ordered, npartitions=2, sort=False)
    tm.assert_frame_equal(to_host(sorted_in.set_index("year", append=True, sorted=True).compute()),
                          ordered.set_index("year", append=True))
