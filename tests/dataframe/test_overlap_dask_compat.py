"""map_overlap with other collections as arguments, a dtype ``meta=`` keeping the input's index,
rolling ``cov``/``corr`` and ``apply(engine=...)``, against pandas and dask (dask's test_rolling, issue 14)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

dd = pytest.importorskip("dask.dataframe")


def dask_result(obj):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return obj.compute(scheduler="sync")


@pytest.fixture
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    n = 40
    return pd.DataFrame({"a": rng.normal(size=n).cumsum(), "b": rng.integers(0, 100, n),
                         "c": rng.integers(0, 100, n)})


@pytest.fixture
def timeframe() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    index = pd.date_range("2016-01-01", freq="3s", periods=60).union(
        pd.date_range("2016-01-01", freq="5s", periods=60))[:40]
    return pd.DataFrame({"b": rng.integers(0, 100, 40).astype(float), "c": rng.normal(size=40)}, index=index)


def shifted_sum(df, before, after, other=0):
    return df + df.shift(before) + df.shift(-after) + other


# -- map_overlap with other collections ---------------------------------------------------------------------
@pytest.mark.parametrize("before,after", [(0, 3), (3, 0), (2, 2), (0, 0)])
def test_map_overlap_passes_other_frames_partition_by_partition(frame, backend, before, after):
    df = gd.from_pandas(frame, npartitions=4, backend=backend)
    other = gd.from_pandas(frame * 2, npartitions=4, backend=backend)
    expected = shifted_sum(frame, before, after, frame * 2)
    assert_eq(gd.map_overlap(shifted_sum, df, before, after, before, after, other), expected)
    assert_eq(df.b.map_overlap(shifted_sum, before, after, before, after, other.b),
              shifted_sum(frame.b, before, after, frame.b * 2))


def test_map_overlap_other_frames_match_dask(frame):
    ddf, ddf2 = dd.from_pandas(frame, npartitions=4), dd.from_pandas(frame * 2, npartitions=4)
    df, df2 = gd.from_pandas(frame, npartitions=4), gd.from_pandas(frame * 2, npartitions=4)
    tm.assert_frame_equal(to_host(gd.map_overlap(shifted_sum, df, 2, 1, 2, 1, df2).compute()),
                          dask_result(dd.map_overlap(shifted_sum, ddf, 2, 1, 2, 1, ddf2)))


def test_map_overlap_aligns_other_partitionings_and_pandas_arguments(frame, timeframe, backend):
    df = gd.from_pandas(frame, npartitions=4, backend=backend)
    other = gd.from_pandas(frame * 2, npartitions=3, backend=backend)  # other divisions: aligned first
    expected = shifted_sum(frame, 3, 3, frame * 2)
    assert_eq(gd.map_overlap(shifted_sum, df, 3, 3, 3, 3, other, align_dataframes=True), expected)
    assert_eq(gd.map_overlap(shifted_sum, df, 3, 3, 3, 3, frame * 2), expected)  # pandas: one partition
    assert_eq(gd.map_overlap(shifted_sum, frame, 3, 3, 3, 3, frame * 2), expected)
    ts = gd.from_pandas(timeframe, npartitions=3, backend=backend)
    ts2 = gd.from_pandas(timeframe * 2, npartitions=2, backend=backend)
    span = pd.Timedelta(seconds=4)  # rows are at most 3 s apart: one row either side is within the span
    assert_eq(gd.map_overlap(shifted_sum, ts, span, span, 1, 1, ts2), shifted_sum(timeframe, 1, 1, timeframe * 2))


def test_map_overlap_other_frames_with_unknown_divisions_need_as_many_partitions(frame):
    df = gd.from_pandas(frame, npartitions=4).clear_divisions()
    with pytest.raises(ValueError, match="unknown divisions and different numbers of partitions"):
        gd.map_overlap(shifted_sum, df, 1, 1, 1, 1, gd.from_pandas(frame, npartitions=2).clear_divisions())
    same = gd.from_pandas(frame * 2, npartitions=4).clear_divisions()
    assert_eq(gd.map_overlap(shifted_sum, df, 1, 1, 1, 1, same), shifted_sum(frame, 1, 1, frame * 2))


def test_map_overlap_dtype_meta_keeps_the_index_name(backend):
    pdf = pd.DataFrame({"x": [1, 2, 4, 7, 11], "y": [1.0, 2.0, 3.0, 4.0, 5.0]}).rename_axis("myindex")
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    result = df.map_overlap(lambda d: d.rolling(2).sum(), 2, 0, meta={"x": "f8", "y": "f8"})
    assert result._meta.index.name == "myindex"
    assert_eq(result, pdf.rolling(2).sum())


# -- rolling cov / corr / apply engines ---------------------------------------------------------------------
@pytest.mark.parametrize("how", ["cov", "corr"])
@pytest.mark.parametrize("window,center", [(1, False), (2, True), (4, False), (5, True)])
def test_rolling_cov_and_corr_match_pandas(frame, backend, how, window, center):
    if backend != "pandas":
        pytest.skip("pandas partitions (cuDF's Rolling has no cov/corr)")
    df = gd.from_pandas(frame, npartitions=3)
    assert_eq(getattr(df[["b", "c"]].rolling(window, center=center), how)(),
              getattr(frame[["b", "c"]].rolling(window, center=center), how)())
    assert_eq(getattr(df.b.rolling(window, center=center), how)(),
              getattr(frame.b.rolling(window, center=center), how)())


@pytest.mark.parametrize("window", ["1s", "3s", pd.offsets.Second(5)])
def test_time_rolling_cov_matches_dask(timeframe, backend, window):
    if backend != "pandas":
        pytest.skip("pandas partitions (cuDF's Rolling has no cov/corr)")
    df, ddf = gd.from_pandas(timeframe, npartitions=3), dd.from_pandas(timeframe, npartitions=3)
    tm.assert_frame_equal(to_host(df.rolling(window).cov().compute()), dask_result(ddf.rolling(window).cov()))
    assert_eq(df.b.rolling(window).cov(ddof=0), timeframe.b.rolling(window).cov(ddof=0))


def test_rolling_cov_is_refused_on_cudf(frame, backend):
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    if backend != "cudf":
        assert_eq(df.b.rolling(3).cov(), frame.b.rolling(3).cov())
        return
    with pytest.raises(NotImplementedError, match="cuDF's Rolling has no cov"):
        df.b.rolling(3).cov()


def test_rolling_apply_with_the_numba_engine(backend):
    pytest.importorskip("numba")
    pdf = pd.DataFrame({"A": range(5), "B": range(0, 10, 2)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)

    def f(x):
        return np.sum(x) + 5

    assert_eq(df.rolling(3).apply(f, engine="numba", raw=True), pdf.rolling(3).apply(f, engine="numba", raw=True))
    if backend == "cudf":
        with pytest.raises(NotImplementedError, match="always compiles func with numba"):
            df.rolling(3).apply(f, engine="cython", raw=True)


def test_overlaps_of_one_frame_share_the_borrowed_rows(frame, backend):
    df = gd.from_pandas(frame, npartitions=4, backend=backend)
    first = df.map_overlap(shifted_sum, 0, 3, 0, 3, other=2)
    second = df.map_overlap(shifted_sum, 0, 3, 0, 3, other=3)
    assert first._name != second._name
    extra = set(second.__dask_graph__()) - set(first.__dask_graph__())
    assert len(extra) == df.npartitions  # only the final map differs (as dask)
    one, two = gd.compute(first, second)
    tm.assert_frame_equal(to_host(one), shifted_sum(frame, 0, 3, other=2))
    tm.assert_frame_equal(to_host(two), shifted_sum(frame, 0, 3, other=3))


def test_map_overlap_refuses_collections_whose_indexes_cannot_be_aligned(timeframe, frame):
    ts = gd.from_pandas(timeframe, npartitions=2)
    with pytest.raises(ValueError, match="cannot be aligned"):
        gd.map_overlap(shifted_sum, ts, 1, 1, 1, 1, frame)
