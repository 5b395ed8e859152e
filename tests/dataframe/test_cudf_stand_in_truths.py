"""Reductions of columns of several kinds on cuDF, and stand-in behaviours that must be cuDF's: semi and anti
joins (cuDF takes ``how="leftsemi"``/``"leftanti"``), object columns mixing floats and Timestamps refused."""

from __future__ import annotations

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def kinds():
    return pd.DataFrame({"x": [1.0, 2.0, 0.5], "I": pd.array([1, None, 3], dtype="Int64"),
                         "t": pd.date_range("2021", periods=3)})


@pytest.mark.parametrize("how", ["min", "max"])
@pytest.mark.parametrize("cols", [["I", "t"], ["x", "t"]])
def test_min_max_of_numbers_and_times(kinds, how, cols, backend):
    frame = kinds[cols]
    g = gd.from_pandas(frame, npartitions=2)
    if backend != "cudf":
        tm.assert_series_equal(to_host(getattr(g, how)().compute()), getattr(frame, how)())
        return
    with pytest.raises(TypeError, match="numeric_only=True") as refusal:
        getattr(g, how)()  # refused when the collection is built, naming the columns
    assert all(repr(c) in str(refusal.value) for c in cols)
    tm.assert_series_equal(to_host(getattr(g, how)(numeric_only=True).compute()),
                           getattr(frame, how)(numeric_only=True), check_dtype=False)
    tm.assert_series_equal(to_host(getattr(g[["t"]], how)().compute()), getattr(frame[["t"]], how)())


@pytest.mark.parametrize("how", ["leftsemi", "leftanti"])
def test_semi_and_anti_merges_on_cudf(how, backend):
    if backend != "cudf":
        pytest.skip("cuDF's joins (pandas has no leftsemi/leftanti)")
    import cudf

    left = pd.DataFrame({"k": [1, 2, 3, 2], "x": [1.0, 2, 3, 4]})
    right = pd.DataFrame({"k": [2, 3, 3], "z": [5, 6, 7]})
    got = cudf.from_pandas(left).merge(cudf.from_pandas(right), on="k", how=how).to_pandas()
    matched = left.k.isin(right.k)
    expected = left[matched if how == "leftsemi" else ~matched].reset_index(drop=True)
    tm.assert_frame_equal(got.sort_values("x").reset_index(drop=True), expected)


def test_object_column_of_floats_and_timestamps_refused_by_cudf(backend):
    if backend != "cudf":
        pytest.skip("cuDF's from_pandas")
    import cudf

    mixed = pd.Series([1.5, pd.Timestamp("2021")], dtype=object)
    with pytest.raises(Exception, match="mixed types"):
        cudf.from_pandas(mixed)


def test_cudf_frames_are_weak_referenceable(backend):
    """cuDF's frames take weak references: gpuscale's token cache is keyed by them, so one object has one token
    (the stand-in's took none, and every tokenize of it was a new random token)."""
    if backend != "cudf":
        pytest.skip("cuDF's objects")
    import weakref

    import cudf

    from gpuscale.expr.tokenize import tokenize

    frame = cudf.from_pandas(pd.DataFrame({"a": [1, 2]}))
    for obj in (frame, frame["a"]):
        assert weakref.ref(obj)() is obj
        assert tokenize(obj) == tokenize(obj)
