"""align, combine_first, rename_axis and DataFrame.info against pandas and dask.dataframe."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

dd = pytest.importorskip("dask.dataframe")


@pytest.fixture
def frames():
    a = pd.DataFrame({"x": [1.0, np.nan, 3.0, np.nan, 5.0, 6.0], "y": [1.0, 2.0, np.nan, 4.0, 5.0, np.nan]},
                     index=[0, 2, 4, 6, 8, 10])
    b = pd.DataFrame({"x": [10.0, 20.0, 30.0, 40.0, 50.0], "z": [1.0, 2.0, 3.0, 4.0, 5.0]}, index=[1, 2, 5, 6, 12])
    return a, b


def _host(obj):
    return to_host(obj.compute())


def test_combine_first(frames, backend):
    a, b = frames
    ga, gb = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=3, backend=backend)
    got = ga.combine_first(gb)
    tm.assert_frame_equal(_host(got), a.combine_first(b), check_dtype=False)
    theirs = dd.from_pandas(a, npartitions=2).combine_first(dd.from_pandas(b, npartitions=3)).compute()
    tm.assert_frame_equal(_host(got), theirs, check_dtype=False)
    tm.assert_series_equal(_host(ga.x.combine_first(gb.x)), a.x.combine_first(b.x), check_dtype=False)


@pytest.mark.parametrize("join", ["outer", "inner", "left", "right"])
def test_align(frames, backend, join):
    a, b = frames
    ga, gb = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=3, backend=backend)
    left, right = ga.align(gb, join=join)
    el, er = a.align(b, join=join)
    tm.assert_frame_equal(_host(left), el, check_dtype=False)
    tm.assert_frame_equal(_host(right), er, check_dtype=False)
    sl, sr = ga.x.align(gb.x, join=join, fill_value=0.0)
    esl, esr = a.x.align(b.x, join=join, fill_value=0.0)
    tm.assert_series_equal(_host(sl), esl, check_dtype=False)
    tm.assert_series_equal(_host(sr), esr, check_dtype=False)
    dl, dr = dd.from_pandas(a, npartitions=2).align(dd.from_pandas(b, npartitions=3), join=join)
    tm.assert_frame_equal(_host(left), dl.compute(), check_dtype=False)


@pytest.mark.parametrize("join", ["outer", "inner", "left", "right"])
def test_align_with_a_pandas_other(frames, backend, join):
    # a pandas other is one partition, as dask (it was refused)
    a, b = frames
    ga = gd.from_pandas(a, npartitions=2, backend=backend)
    left, right = ga.align(b.iloc[::-1], join=join)
    el, er = a.align(b, join=join)
    tm.assert_frame_equal(_host(left), el, check_dtype=False)
    tm.assert_frame_equal(_host(right), er, check_dtype=False)
    with pytest.raises(TypeError, match="other must be a DataFrame or Series"):
        ga.align([1, 2, 3])


def test_unknown_divisions_need_equal_partitions(frames):
    a, b = frames
    ga = gd.from_pandas(a, npartitions=2).clear_divisions()
    gb = gd.from_pandas(b, npartitions=3).clear_divisions()
    with pytest.raises(ValueError, match="divisions are unknown"):
        ga.combine_first(gb)


def test_rename_axis(frames, backend):
    a, _ = frames
    ga = gd.from_pandas(a, npartitions=2, backend=backend)
    got = ga.rename_axis("row")
    assert got.divisions == ga.divisions
    tm.assert_frame_equal(_host(got), a.rename_axis("row"))
    tm.assert_frame_equal(_host(ga.rename_axis(columns="cols")), a.rename_axis(columns="cols"))
    tm.assert_series_equal(_host(ga.x.rename_axis("k")), a.x.rename_axis("k"))
    tm.assert_frame_equal(_host(got), dd.from_pandas(a, npartitions=2).rename_axis("row").compute())


def test_info(frames, backend):
    a, _ = frames
    ga = gd.from_pandas(a, npartitions=2)
    buf = io.StringIO()
    ga.info(buf=buf, verbose=True, memory_usage=True)
    text = buf.getvalue()
    assert "6 entries, 0 to 10" in text and "Data columns (total 2 columns)" in text
    assert " 0   x       4 non-null      float64" in text
    # cuDF's memory_usage counts the columns' null masks too (64-byte padded): on cuDF the bytes are the
    # partitions' own count, as dask-cudf's info reports them
    nbytes = a.memory_usage(index=True).sum() if backend == "pandas" else \
        int(_host(ga.memory_usage(index=True).sum()))
    assert f"memory usage: {float(nbytes):.1f} bytes" in text  # (pandas formats the size: 144.0 bytes)
    theirs = io.StringIO()
    dd.from_pandas(a, npartitions=2).info(buf=theirs, verbose=True)
    assert text.splitlines()[2:7] == theirs.getvalue().splitlines()[2:7]  # the column table, as dask's


def _info_lines(frame, **kwargs):
    buf = io.StringIO()
    frame.info(buf=buf, verbose=True, **kwargs)
    return buf.getvalue().splitlines()


def test_info_of_repeated_column_names(backend):
    skip_on_stand_in("cuDF refuses repeated column names")
    p = pd.DataFrame([[1, 2.0], [3, None]], columns=["a", "a"])
    got = _info_lines(gd.from_pandas(p, npartitions=1))  # was: int() argument must be ... not 'Series'
    theirs = _info_lines(p)
    assert got[3:7] == [line.rstrip() for line in theirs[3:7]]  # the table, each count of its own column


_INDEXES = {
    "unordered labels": list("bcaed"),
    "unordered categorical": pd.CategoricalIndex(list("bcaed")),
    "mixed objects": ["x", 1, 2.5, "y", 0],
    "tz datetimes": pd.date_range("2020", periods=5, tz="UTC"),
    "timedeltas": pd.to_timedelta([3, 1, 2, 5, 4], unit="s"),
    "range": pd.RangeIndex(5),
}


@pytest.mark.parametrize("kind", list(_INDEXES))
@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_info_index_line_names_the_first_and_last_labels(backend, kind, npartitions):
    if backend == "cudf" and kind == "mixed objects":
        skip_on_stand_in("cuDF has no mixed-type index")
    p = pd.DataFrame({"v": range(5)}, index=_INDEXES[kind])
    got = gd.from_pandas(p, npartitions=npartitions, sort=False)
    # pandas' "Index: 5 entries, b to d" (was min to max: "a to e", or failed for the categorical and the objects)
    assert _info_lines(got)[1] == _info_lines(p)[1]


def test_info_index_line_of_empty_frames_and_partitions(backend):
    p = pd.DataFrame({"v": range(6)}, index=list("fedcba"))
    got = gd.from_pandas(p, npartitions=3, sort=False)
    assert _info_lines(got[got.v > 1])[1] == _info_lines(p[p.v > 1])[1]  # the first partition is empty
    assert _info_lines(got[got.v < 4])[1] == _info_lines(p[p.v < 4])[1]  # the last one is
    assert _info_lines(got[got.v > 9])[1] == "Index: 0 entries" == _info_lines(p[p.v > 9])[1]


@settings(max_examples=25, deadline=None)
@given(left=st.lists(st.one_of(st.none(), st.floats(-5, 5)), min_size=1, max_size=20),
       right=st.lists(st.one_of(st.none(), st.floats(-5, 5)), min_size=1, max_size=20),
       shift=st.integers(0, 10), lp=st.integers(1, 3), rp=st.integers(1, 3))
# (pandas 2's concat of an empty piece and a RangeIndex of step 2 made an index longer than the rows: a row too many)
@example(left=[None, None], right=[None, None], shift=0, lp=2, rp=1)
def test_combine_first_matches_pandas(left, right, shift, lp, rp):
    a = pd.Series(left, index=range(0, 2 * len(left), 2), dtype=float)
    b = pd.Series(right, index=range(shift, shift + len(right)), dtype=float)
    got = gd.from_pandas(a, npartitions=lp).combine_first(gd.from_pandas(b, npartitions=rp))
    tm.assert_series_equal(_host(got), a.combine_first(b))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_combine_first_columns_of_one_side(backend, npartitions):
    """A column of one side only takes missing values where the other side has rows it lacks: pandas' float64
    (objects for booleans), in the metadata too (it said int64, and a partition meeting no rows of the other side
    raised IntCastingNaNError)."""
    a = pd.DataFrame({"x": [1, 2, 3], "w": [True, False, True]}, index=[0, 1, 4])
    b = pd.DataFrame({"x": [10, 20], "z": [5, 6]}, index=[1, 2])
    got = gd.from_pandas(a, npartitions=npartitions, backend=backend).combine_first(
        gd.from_pandas(b, npartitions=1, backend=backend))
    expected = a.combine_first(b)
    if backend == "pandas":
        assert got._meta.dtypes.to_dict() == expected.dtypes.to_dict()
    pd.testing.assert_frame_equal(to_host(got.compute()), expected, check_dtype=backend == "pandas")
