"""sort_values / set_index by Period, Interval and Arrow dictionary columns across partitions, as pandas on the
whole frame: Periods are split by their ordinals, Intervals by their ``(left, right)`` and a dictionary by its
codes (pandas' sort by several keys orders it so; pyarrow cannot sort a dictionary array)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

N = 600
RNG = np.random.default_rng(7)


def _intervals(kind):
    left = RNG.integers(0, 15, N)
    right = left + RNG.integers(0, 4, N)
    if kind == "int":
        return pd.arrays.IntervalArray.from_arrays(left, right)
    if kind == "time":
        start = pd.Timestamp("2020-01-01")
        return pd.arrays.IntervalArray.from_arrays(start + pd.to_timedelta(left, "D"),
                                                   start + pd.to_timedelta(right, "D"))
    out = pd.arrays.IntervalArray.from_arrays(left.astype(float), right.astype(float))
    out[RNG.integers(0, N, 12)] = np.nan
    return out


def _frame(kind):
    periods = pd.Series(pd.PeriodIndex.from_ordinals(RNG.integers(0, 40, N), freq="D"))
    periods[RNG.integers(0, N, 12)] = pd.NaT
    return pd.DataFrame({"iv": _intervals(kind), "pm": periods.array, "x": RNG.integers(0, 3, N), "r": np.arange(N)})


def _no_stand_in():
    skip_on_stand_in("cuDF has no Period dtype, and no Interval dtype of datetimes or with missing intervals")


@pytest.mark.parametrize("kind", ["int", "float", "time"])
@pytest.mark.parametrize("by", ["iv", "pm", ["pm", "x"], ["iv", "x"], ["x", "iv"]])
@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("na_position", ["last", "first"])
def test_sort_by_periods_and_intervals(kind, by, ascending, na_position):
    _no_stand_in()
    pdf = _frame(kind)
    want = pdf.sort_values(by, ascending=ascending, na_position=na_position, kind="stable")
    got = gd.from_pandas(pdf, npartitions=5).sort_values(by, ascending=ascending, na_position=na_position)
    tm.assert_frame_equal(to_host(got.compute()), want)


@pytest.mark.parametrize("col", ["iv", "pm"])
def test_set_index_periods_and_intervals(col):
    _no_stand_in()
    pdf = _frame("int").dropna(subset=[col])
    got = gd.from_pandas(pdf, npartitions=4).set_index(col)
    tm.assert_frame_equal(to_host(got.compute()), pdf.set_index(col).sort_index(kind="stable"))
    assert list(got.divisions) == sorted(got.divisions)


@pytest.mark.parametrize("npartitions", [1, 2, 4])
@pytest.mark.parametrize("ascending", [True, False])
def test_sort_by_arrow_dictionary_and_another_key(npartitions, ascending):
    skip_on_stand_in("cuDF has no Arrow dictionary dtype")
    kind = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
    pdf = pd.DataFrame({"dc": pd.Series(list(RNG.choice(list("qwertyuiop"), N)), dtype=kind),
                        "k": RNG.integers(0, 30, N)})
    got = gd.from_pandas(pdf, npartitions=npartitions).sort_values(["dc", "k"], ascending=ascending)
    tm.assert_frame_equal(to_host(got.compute()), pdf.sort_values(["dc", "k"], ascending=ascending, kind="stable"))


def test_sort_by_arrow_dictionary_in_dictionary_order():
    skip_on_stand_in("cuDF has no Arrow dictionary dtype")
    kind = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))
    pdf = pd.DataFrame({"dc": pd.Series(["b", "a", "c", "a"], dtype=kind), "k": [1, 2, 3, 4]})
    got = to_host(gd.from_pandas(pdf, npartitions=2).sort_values(["dc", "k"]).compute())
    assert got.k.tolist() == pdf.sort_values(["dc", "k"]).k.tolist() == [1, 2, 4, 3]
