"""Calls cuDF refuses although its signatures take them, reached by recent features (``gpuscale.backends.frame.
cudf_gaps``; the refusals are in tests/strict_cudf/restrictions/, checked against cuDF by ``make test-cudf``):
row-wise scans with missing values or ``skipna=False``, ``shift``/``diff`` with ``axis=1``, ``shift(freq=)``,
groupby ``pct_change``/``shift`` with ``freq=``, ``concat(axis=1, keys=)`` and NumPy ufuncs with keywords.
Each gives pandas' answer on pandas and on (strict) cuDF partitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends import frame as bf
from gpuscale.backends import to_host
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import sort_rows
from tests.pandas_versions import PANDAS_3


@pytest.fixture
def frames(backend):
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0, 0.5, 5.0, 2.5, np.nan, 8.0],
                        "b": [2.0, 1.0, np.nan, 0.0, 4.0, 1.5, 0.0, 7.0],
                        "c": [0.5, 4.0, 1.0, 2.0, 2.0, 9.0, 0.0, 1.0]})
    return pdf, gd.from_pandas(pdf, npartitions=3, backend=backend)


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin"])
@pytest.mark.parametrize("skipna", [True, False])
def test_row_wise_scans(frames, how, skipna):
    pdf, df = frames
    result = getattr(df, how)(axis=1, skipna=skipna)
    assert result.divisions == df.divisions
    assert_eq(result, getattr(pdf, how)(axis=1, skipna=skipna))
    complete = pdf.fillna(1.0)  # no missing value: cuDF's own row-wise scan
    assert_eq(getattr(gd.from_pandas(complete, npartitions=3), how)(axis=1), getattr(complete, how)(axis=1))


@pytest.mark.parametrize("periods", [1, 2, -1])
def test_row_wise_shift_and_diff(frames, periods):
    pdf, df = frames
    shifted, diffs = df.shift(periods, axis=1), df.diff(periods, axis=1)
    assert shifted.divisions == df.divisions and diffs.divisions == df.divisions
    assert_eq(shifted, pdf.shift(periods, axis=1))
    assert_eq(diffs, pdf.diff(periods, axis=1))


def test_row_wise_shift_of_times_beside_a_partition_without_rows(backend):
    # pandas' shift(axis=1) of no rows mixes a naive and a zoned column to objects; with rows it keeps times
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "n": pd.to_datetime(["2020-01-01"] * 4),
                        "t": pd.date_range("2021-01-01", periods=4, tz="UTC")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    if backend == "cudf":
        pytest.skip("cuDF partitions shift rows on the host")
    got = df[df.a > 2][["n", "t"]].shift(1, axis=1)
    assert_eq(got, pdf[pdf.a > 2][["n", "t"]].shift(1, axis=1))


@pytest.mark.parametrize("freq", ["h", pd.Timedelta(90, unit="min"), "D", "W", "B"])
def test_shift_by_a_frequency_moves_the_labels(backend, freq):
    pdf = pd.DataFrame({"x": np.arange(20.0)}, index=pd.date_range("2021-03-01", periods=20, freq="7h"))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.shift(3, freq=freq), pdf.shift(3, freq=freq))
    assert_eq(df.x.shift(-2, freq=freq), pdf.x.shift(-2, freq=freq))


def test_shift_labels_helper_keeps_the_values(backend):
    pdf = pd.DataFrame({"x": [1, 2, 3]}, index=pd.to_datetime(["2020-01-03", "2020-01-04", "2020-01-06"]))
    part = bf.convert_library(pdf, backend)
    for freq in ("h", "B"):  # on cuDF: the index moved on the device (fixed span), on the host (calendar)
        got = to_host(bf.shift_labels(part, 2, freq))
        pd.testing.assert_frame_equal(got, pdf.shift(2, freq=freq), check_freq=False)


@pytest.fixture
def dated(backend):
    pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1, 2, 1, 2], "x": [1.0, 2, 4, 8, 16, 30, 40, 60]},
                       index=pd.date_range("2020-01-01", periods=8, freq="D"))
    return pdf, gd.from_pandas(pdf, npartitions=3, backend=backend)


def test_groupby_pct_change_and_shift_by_a_frequency(dated):
    pdf, df = dated
    expected = pdf.groupby("k").x.pct_change(freq="2D")
    assert_eq(df.groupby("k").x.pct_change(freq="2D").compute().sort_index(), expected.sort_index(), check_freq=False)
    expected = pdf.groupby("k").x.shift(1, freq="D")
    result = df.groupby("k").x.shift(1, freq="D", meta=expected)
    assert_eq(result.compute().sort_index(), expected.sort_index(), check_index=False)
    assert sorted(to_host(result.compute()).index) == sorted(expected.index)
    native = df.groupby("k").x.pct_change()  # no freq: cuDF's own pct_change
    assert_eq(native.compute().sort_index(), pdf.groupby("k").x.pct_change(), check_freq=False)


@pytest.mark.parametrize("kwargs", [{"keys": ["p", "q"]}, {"keys": ["p", "q"], "names": ["src"]},
                                    {"keys": [("p", 1), ("q", 2)]}, {}])
def test_concat_side_by_side_with_keys(backend, kwargs):
    a = pd.DataFrame({"x": range(6), "y": np.arange(6.0) / 2})
    b = pd.DataFrame({"x": range(10, 16)})
    da, db = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=2, backend=backend)
    # without keys both inputs give a column "x": a cuDF frame cannot hold two columns of one label, and cuDF's
    # concat refuses them (NotImplementedError "duplicate name", as dask-cudf's concat does)
    repeated_on_cudf = backend == "cudf" and not kwargs
    for parts, host in (((da, db), (a, b)), ((da.x, db.x), (a.x, b.x))):
        if repeated_on_cudf:
            with pytest.raises(NotImplementedError, match="duplicate name"):
                gd.concat(list(parts), axis=1)
        else:
            assert_eq(gd.concat(list(parts), axis=1, **kwargs), pd.concat(list(host), axis=1, **kwargs))
    assert_eq(gd.concat([da.y, db], axis=1, **kwargs), pd.concat([a.y, b], axis=1, **kwargs))


def test_concat_side_by_side_helper_labels_repeated_columns(backend):
    a = bf.convert_library(pd.DataFrame({"x": [1, 2]}), backend)
    got = to_host(bf.concat_side_by_side([a, a], kwargs={"keys": ["p", "q"], "names": ["src"]}))
    pd.testing.assert_frame_equal(got, pd.concat([to_host(a)] * 2, axis=1, keys=["p", "q"], names=["src"]))


def test_ufuncs_with_keywords(frames):
    pdf, df = frames
    assert_eq(np.add(df.a, 1, dtype="float32"), np.add(pdf.a, 1, dtype="float32"))
    assert_eq(np.sqrt(df, dtype="float32"), np.sqrt(pdf, dtype="float32"))
    assert_eq(np.multiply(df.a, df.b, casting="same_kind"), np.multiply(pdf.a, pdf.b, casting="same_kind"))
    assert_eq(np.sqrt(df), np.sqrt(pdf))  # no keywords: cuDF's own __array_ufunc__
    assert_eq(np.modf(df.a, dtype="float64")[1], np.modf(pdf.a, dtype="float64")[1])


def test_ufuncs_cupy_lacks(backend):
    pdf = pd.DataFrame({"t": pd.to_datetime(["2020-01-01", None, "2020-01-03"]), "x": [1.0, 2.0, 4.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(np.isnat(df.t), np.isnat(pdf.t))
    assert_eq(np.spacing(df.x), np.spacing(pdf.x))


def _categorical(backend):
    pdf = pd.DataFrame({"c1": pd.Categorical(list("ABAB"), categories=list("ABCD")),
                        "c2": pd.Categorical([1, 2, 2, 1], categories=[1, 2, 3]),
                        "v": [1.0, 2.0, 3.0, 4.0], "i": [1, 2, 1, 1]})
    return pdf, gd.from_pandas(pdf, npartitions=2, backend=backend)


@pytest.mark.parametrize("how", ["sum", "count", "size", "mean", "var", "median", "any", "all", "sem", "quantile"])
@pytest.mark.parametrize("by", ["c1", ["c1", "c2"]])
def test_groupby_observed_false(backend, how, by):
    if not PANDAS_3 and how in ("any", "all") and isinstance(by, list):
        pytest.skip("pandas 2 leaves unobserved key pairs NaN for any/all; pandas 3 and gpuscale: False/True")
    # cuDF's groupby refuses observed=False: gpuscale groups the observed categories and adds the others; only
    # the metadata asked the partitions' library for observed=False (on the host for cuDF)
    pdf, df = _categorical(backend)
    expected = getattr(pdf.groupby(by, observed=False).v, how)()
    got = to_host(getattr(df.groupby(by, observed=False).v, how)().compute())
    pd.testing.assert_series_equal(got, expected, check_categorical=False, check_index_type=False)


def test_groupby_observed_false_agg_and_value_counts(backend):
    pdf, df = _categorical(backend)
    expected = pdf.groupby("c1", observed=False).agg({"v": ["sum", "max"]})
    got = to_host(df.groupby("c1", observed=False).agg({"v": ["sum", "max"]}).compute())
    pd.testing.assert_frame_equal(got, expected, check_categorical=False, check_index_type=False)
    expected = pdf.groupby("c1", observed=False).i.value_counts()
    got = to_host(df.groupby("c1", observed=False).i.value_counts().compute())
    pd.testing.assert_series_equal(got, expected, check_categorical=False, check_index_type=False)


def test_rows_where_matches_a_boolean_series_by_label(backend):
    # cuDF's DataFrame[mask] is positional; partitions aligned by an index shuffle hold their labels in
    # different orders (a[b.x > 2] of two differently shuffled frames is in test_align_unknown_divisions.py)
    pdf = pd.DataFrame({"x": [1, 2, 3, 4]}, index=[10, 20, 30, 40])
    mask = pd.Series([True, False, False, True], index=[40, 30, 20, 10])
    frame, key = bf.convert_library(pdf, backend), bf.convert_library(mask, backend)
    with pytest.warns(UserWarning, match="reindexed"):
        expected = pdf[mask]
    assert to_host(bf.rows_where(frame, key)).x.tolist() == expected.x.tolist() == [1, 4]
    same = bf.convert_library(pd.Series([True, False, True, False], index=pdf.index), backend)
    assert to_host(bf.rows_where(frame, same)).x.tolist() == [1, 3]  # same index: the library's own


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
@pytest.mark.parametrize("indicator", [True, "side"])
def test_merge_indicator(backend, how, indicator):
    # cuDF refuses indicator=True: cuDF partitions merge with marker columns and get pandas' categorical column
    left = pd.DataFrame({"k": [1, 2, 3, 4, 5, 6], "a": range(6)})
    right = pd.DataFrame({"k": [2, 4, 6, 8], "b": [0.5, 1.5, 2.5, 3.5]})
    expected = left.merge(right, on="k", how=how, indicator=indicator)
    shuffled = gd.merge(gd.from_pandas(left, npartitions=2, backend=backend),
                        gd.from_pandas(right, npartitions=2, backend=backend), on="k", how=how, indicator=indicator)
    assert_eq(shuffled, expected, check_index=False, sort_results=True)
    if how in ("inner", "left"):  # a one-partition right side is broadcast
        broadcast = gd.merge(gd.from_pandas(left, npartitions=3, backend=backend),
                             gd.from_pandas(right, npartitions=1, backend=backend), on="k", how=how,
                             indicator=indicator)
        assert_eq(broadcast, expected, check_index=False, sort_results=True)


def test_csv_text_is_pandas_text(backend):
    # libcudf writes floats with 10 significant digits and timestamps with a "Z", and takes header=True/False
    # only: a cuDF partition's text is pandas' (written from a host copy)
    pdf = pd.DataFrame({"a": [1, 2], "b": [-0.8019314252534474, 1.5],
                        "d": pd.to_datetime(["2024-01-01 00:00", "2024-01-01 01:00"])})
    part = bf.convert_library(pdf, backend)
    for options in ({"index": False}, {"header": ["x", "y", "z"]}, {"float_format": "%.3f", "date_format": "%Y"}):
        assert bf.csv_text(part, options) == pdf.to_csv(**options)
    with pytest.raises(ValueError, match="aliases"):
        bf.csv_text(part, {"header": ["x"]})


def test_rolling_and_resample_options_cudf_refuses_run_on_the_host(backend):
    # (the strict-leg runs of test_window.py, test_window_edges.py and test_notebook_compat.py go through them)
    s = pd.Series(np.arange(12.0), index=pd.date_range("2021", periods=12, freq="50min"))
    part, cudf_leg = bf.convert_library(s, backend), backend == "cudf"
    assert bf.rolling_needs_host(part, "2h", {"closed": "both"}) is cudf_leg
    assert bf.rolling_needs_host(part, "2h", {"center": True}) is cudf_leg
    assert not bf.rolling_needs_host(part, 3, {"center": True, "closed": "right"})
    assert bf.resample_needs_host(part, {"origin": pd.Timestamp("2021")}) is cudf_leg
    assert not bf.resample_needs_host(part, {"closed": "right", "label": "right"})
    got = bf.rolling_aggregate(part, "2h", {"closed": "both"}, "sum")
    pd.testing.assert_series_equal(to_host(got), s.rolling("2h", closed="both").sum())


@pytest.mark.parametrize("win_type, kwargs", [("triang", {}), ("gaussian", {"std": 2}), ("boxcar", {})])
def test_weighted_rolling_runs_on_the_host_and_comes_back_in_the_partitions_library(backend, win_type, kwargs):
    # cuDF's Rolling takes no win_type but "boxcar" (NotImplementedError): such windows run on the host; the
    # stand-in handed pandas' weighted Window out as is, so meta and result were pandas objects on cuDF
    pdf = pd.DataFrame({"a": np.random.default_rng(0).normal(size=20), "b": np.arange(20.0)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert bf.rolling_needs_host(bf.convert_library(pdf, backend), 3, {"win_type": win_type}) is (
        backend == "cudf" and win_type != "boxcar")
    for how in ("sum", "mean", "std"):
        got = getattr(df.rolling(3, win_type=win_type), how)(**kwargs)
        result = got.compute()
        assert type(got._meta) is type(result) is type(df._meta)
        pd.testing.assert_frame_equal(to_host(result), getattr(pdf.rolling(3, win_type=win_type), how)(**kwargs))


@pytest.mark.parametrize("forward", [True, False])
@pytest.mark.parametrize("limit", [None, 1, 2])
def test_fill_within_and_across_rows(backend, forward, limit):
    # cuDF's ffill/bfill refuse limit= (emulated on the device) and axis=1 (on the host)
    pdf = pd.DataFrame({"a": [np.nan, 1.0, np.nan, np.nan, np.nan, 4.0, np.nan],
                        "b": [2.0, np.nan, np.nan, 3.0, np.nan, np.nan, np.nan]})
    part = bf.convert_library(pdf, backend)
    expected = pdf.ffill(limit=limit) if forward else pdf.bfill(limit=limit)
    pd.testing.assert_frame_equal(to_host(bf.fill_within(part, forward, limit)), expected)
    pd.testing.assert_series_equal(to_host(bf.fill_within(part["a"], forward, limit)), expected["a"])
    across = pdf.ffill(axis=1, limit=limit) if forward else pdf.bfill(axis=1, limit=limit)
    pd.testing.assert_frame_equal(to_host(bf.fill_rows(part, forward, limit)), across)
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.ffill(axis=1, limit=limit) if forward else df.bfill(axis=1, limit=limit)
    assert got.divisions == df.divisions
    assert_eq(got, across)


def test_melt_of_columns_cudf_refuses(backend):
    # cuDF's melt refuses categorical columns and value columns of different dtypes: on the host for cuDF
    pdf = pd.DataFrame({"k": pd.Categorical(list("abab")), "i": [1, 2, 3, 4], "f": [0.5, 1.5, 2.5, 3.5]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    # (melted partition by partition, as dask: rows in another order)
    melted, expected = gd.melt(df, id_vars=["k"], value_vars=["i", "f"]), pd.melt(pdf, id_vars=["k"],
                                                                                  value_vars=["i", "f"])
    got = to_host(melted.compute()).astype({"k": str})
    pd.testing.assert_frame_equal(sort_rows(got), sort_rows(expected.astype({"k": str})))
    assert_eq(gd.melt(df, id_vars=["i"], value_vars=["f"]), pd.melt(pdf, id_vars=["i"], value_vars=["f"]),
              check_index=False, sort_results=True)
    assert bf.melt_needs_host(bf.convert_library(pdf, backend), id_vars=["k"]) is (backend == "cudf")


def test_melt_of_text_and_numbers_on_cudf_says_to_cast_them(backend):
    """pandas melts text and numbers into one object column, which cuDF cannot hold: cuDF partitions refuse it
    upfront, naming the columns (it failed deep inside with cuDF's mixed-type error); pandas' are melted."""
    pdf = pd.DataFrame({"o": ["m", "n", "m"], "s": ["p", "q", "r"], "c": pd.Categorical(["x", "y", "x"]),
                        "v": [1.5, 2.5, 3.5]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for values in (["s", "v"], ["c", "v"]):
        if backend == "cudf":
            with pytest.raises(TypeError, match=rf"\['{values[0]}'\] hold text and \['v'\].*cast them to one type"):
                gd.melt(df, id_vars=["o"], value_vars=values)
        else:
            expected = pd.melt(pdf, id_vars=["o"], value_vars=values)
            assert_eq(gd.melt(df, id_vars=["o"], value_vars=values), expected, check_index=False, sort_results=True)
    text = pdf.astype({"v": str})  # cast to one type: melted
    assert_eq(gd.melt(gd.from_pandas(text, npartitions=2, backend=backend), id_vars=["o"], value_vars=["s", "v"]),
              pd.melt(text, id_vars=["o"], value_vars=["s", "v"]), check_index=False, sort_results=True)
