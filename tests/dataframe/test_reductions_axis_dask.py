"""DataFrame/Series reductions with dask's signatures (issue #14): axis=0/1/None, min_count, numeric_only,
datetime and timedelta columns, NumPy's dispatch (np.sum(ddf, axis=1)) — against pandas and dask.dataframe."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends.convert import to_host
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3

HOWS = ["sum", "prod", "min", "max", "mean", "var", "std", "sem", "count"]


@pytest.fixture
def data(backend):
    rng = np.random.default_rng(3)
    n = 30
    pdf = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(0, 5, n), "c": rng.integers(1, 3, n) > 1},
                       index=np.arange(n) * 2)
    pdf.loc[pdf.index[::7], "a"] = np.nan
    return pdf, gd.from_pandas(pdf, npartitions=4, backend=backend)


@pytest.fixture
def times(backend):
    pdf = pd.DataFrame({
        "num": np.arange(12.0),
        "dt": [pd.NaT] + list(pd.date_range("2021-03-01", periods=11, freq="37h")),
        "td": pd.to_timedelta(list(range(11)) + [None], unit="min"),
        "s": list("abcdefghijkl"),
    })
    return pdf, gd.from_pandas(pdf, npartitions=3, backend=backend)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("axis", [0, 1, "index", "rows", "columns"])
def test_frame_reductions_by_axis_match_pandas(data, how, axis, backend):
    pdf, df = data
    expected = getattr(pdf, how)(axis=axis)
    if backend == "cudf" and expected.dtype == object and axis in (0, "index", "rows"):
        # pandas keeps min/max of float, int and bool columns as objects of each type; a cuDF column holds one
        # dtype, so gpuscale gives their common one (cuDF's own DataFrame.min refuses bool beside other dtypes)
        expected = expected.astype("float64")
    assert_eq(getattr(df, how)(axis=axis), expected)


@pytest.mark.parametrize("how", ["sum", "min", "max", "mean", "std", "var", "sem"])
def test_row_reductions_skipna_false_keep_divisions_and_match_dask(data, how):
    pdf, df = data
    result = getattr(df, how)(axis=1, skipna=False)
    assert result.divisions == df.divisions  # one partition's rows stay in that partition
    assert_eq(result, getattr(pdf, how)(axis=1, skipna=False))
    dask_result = getattr(dd.from_pandas(pdf, npartitions=4), how)(axis=1, skipna=False)
    assert_eq(result, dask_result.compute())


@needs_pandas_3("sum/prod/std/var/sem(axis=None) reduce only the rows; gpuscale reduces both axes as pandas 3")
@pytest.mark.parametrize("how", ["sum", "prod", "min", "max", "mean", "std", "var", "sem", "any", "all", "median"])
def test_axis_none_of_a_frame_reduces_all_values_as_pandas(data, how):
    pdf, df = data
    frame = pdf[["a", "b"]]
    result = getattr(df[["a", "b"]], how)(axis=None).compute()
    assert to_host(result) == pytest.approx(getattr(frame, how)(axis=None), rel=1e-9)


@pytest.mark.parametrize("how", ["sum", "mean", "min", "count", "std"])
def test_series_axis_one_is_refused_as_pandas(data, how):
    pdf, df = data
    with pytest.raises(TypeError if how == "count" else ValueError):  # pandas' Series.count has no axis
        getattr(pdf.a, how)(axis=1)
    with pytest.raises(ValueError, match="No axis named"):
        getattr(df.a, how)(axis=1)
    with pytest.raises(ValueError, match="No axis named"):  # pandas takes "rows" for 0, not other words
        pdf.sum(axis="row")
    with pytest.raises(ValueError, match="No axis named"):
        df.sum(axis="row")


@pytest.mark.parametrize("how", ["sum", "prod"])
@pytest.mark.parametrize("min_count", [0, 1, 20, 40])
def test_min_count_matches_pandas(data, how, min_count):
    pdf, df = data
    assert_eq(getattr(df, how)(min_count=min_count), getattr(pdf, how)(min_count=min_count))
    got, want = getattr(df.a, how)(min_count=min_count).compute(), getattr(pdf.a, how)(min_count=min_count)
    assert got == pytest.approx(want, nan_ok=True)


@pytest.mark.parametrize("how", ["sum", "prod", "min", "max", "count", "mean", "std", "var", "sem"])
def test_numeric_only_keeps_numbers_and_booleans_not_timedeltas(times, how):
    pdf, df = times
    assert_eq(getattr(df, how)(numeric_only=True), getattr(pdf, how)(numeric_only=True))


@pytest.mark.parametrize("how", ["mean", "std", "min", "max"])
def test_datetime_and_timedelta_columns_as_pandas(times, how, backend):
    pdf, df = times
    frame = pdf[["dt", "td"]]
    if backend == "cudf" and how != "std":  # Timestamps beside Timedeltas: no cuDF column holds both
        with pytest.raises(TypeError, match="several types"):
            getattr(df[["dt", "td"]], how)()
        for column in ["dt", "td"]:
            got = to_host(getattr(df[[column]], how)().compute())[column]
            assert abs(got - getattr(frame[[column]], how)()[column]) <= pd.Timedelta(1, "us")
        return
    result = getattr(df[["dt", "td"]], how)().compute()
    expected = getattr(frame, how)()
    for column in ["dt", "td"]:  # float sums of nanoseconds: within a microsecond of pandas
        assert abs(to_host(result)[column] - expected[column]) <= pd.Timedelta(1, "us")
    assert abs(getattr(df.td, how)().compute() - getattr(pdf.td, how)()) <= pd.Timedelta(1, "us")


@pytest.mark.parametrize("how, column", [("prod", "td"), ("var", "dt"), ("sum", "dt"), ("sem", "td")])
def test_what_pandas_refuses_raises_when_built(times, how, column):
    pdf, df = times
    with pytest.raises(TypeError) as expected:
        getattr(pdf[column], how)()
    with pytest.raises(TypeError, match="does not support"):
        getattr(df[column], how)()  # no compute: refused at once, with pandas' words
    assert "does not support" in str(expected.value)


def test_moments_of_strings_are_refused_as_dask(times):
    pdf, df = times
    for how in ["mean", "std", "var", "sem", "skew"]:
        with pytest.raises(ValueError, match="not supported with (str|string|object) series"):
            getattr(df.s, how)()
    with pytest.raises(TypeError):
        df.prod(numeric_only=False)


@pytest.mark.parametrize("how", ["sum", "prod", "min", "max", "mean", "std", "var", "all", "any"])
@pytest.mark.parametrize("axis", [0, 1])
def test_numpy_functions_dispatch_to_the_reductions(data, how, axis):
    pdf, df = data
    kwargs = {"ddof": 1} if how in ("std", "var") else {}
    frame = pdf[["a", "b"]]
    assert_eq(getattr(np, how)(df[["a", "b"]], axis=axis, **kwargs), getattr(np, how)(frame, axis=axis, **kwargs))


def test_numpy_keywords_other_than_defaults_are_refused(data):
    _, df = data
    with pytest.raises(NotImplementedError, match="dtype"):
        df.sum(dtype="float32")
    with pytest.raises(TypeError, match="unexpected"):
        df.sum(where=True)


@pytest.mark.parametrize("how", ["skew", "kurtosis"])
def test_skew_kurtosis_by_row_and_refusals(times, data, how):
    pdf, df = data
    assert_eq(getattr(df, how)(axis=1), getattr(pdf, how)(axis=1))
    with pytest.raises(ValueError, match="axis=None"):
        getattr(df, how)(axis=None)
    tpdf, tdf = times
    with pytest.raises(TypeError, match="does not support"):
        getattr(tdf[["num", "dt"]], how)()


def test_empty_frames_reduce_as_pandas():
    for pdf in [pd.DataFrame(), pd.DataFrame(index=pd.date_range("2000", periods=4))]:
        df = gd.from_pandas(pdf, npartitions=1)
        for how in ["sum", "count", "mean", "var", "sem"]:
            assert_eq(getattr(df, how)(), getattr(pdf, how)())


@pytest.mark.parametrize("q", [0.5, 0.3, [0.2, 0.5, 0.9]])
def test_quantile_and_median_of_datetimes_and_timedeltas_as_pandas(times, q, backend):
    pdf, df = times
    frame = pdf[["num", "dt", "td"]]
    if backend == "cudf" and not isinstance(q, list):  # numbers, Timestamps, Timedeltas: no cuDF column holds all
        with pytest.raises(TypeError, match="several types"):
            df[["num", "dt", "td"]].quantile(q)
    else:
        assert_eq(df[["num", "dt", "td"]].quantile(q), frame.quantile(q))
    assert_eq(df.quantile(q, numeric_only=True), pdf.quantile(q, numeric_only=True))
    for column in ["dt", "td"]:
        got, want = df[column].quantile(q), pdf[column].quantile(q)
        if isinstance(want, pd.Series):
            assert_eq(got, want)
        else:
            assert got.compute() == want
    assert df.dt.median().compute() == pdf.dt.median()
    with pytest.raises(TypeError, match="non-numeric"):
        df.quantile(q)  # the string column


def test_median_by_axis_as_pandas_where_dask_wants_median_approximate(data, times):
    # dask refuses median() of several partitions (NotImplementedError: see median_approximate); the exact median
    # is pandas' answer
    pdf, df = data
    for axis in (0, "index", "rows", 1, "columns"):
        assert_eq(df.median(axis=axis), pdf.median(axis=axis))
    assert to_host(df.a.median(axis="rows").compute()) == pytest.approx(pdf.a.median(axis="rows"))
    pdf, df = times
    assert to_host(df.median(axis=None, numeric_only=True).compute()) == pdf.median(axis=None, numeric_only=True)


@needs_pandas_3("sum/std(axis=None) reduce only the rows; gpuscale reduces both axes as pandas 3")
@pytest.mark.parametrize("how", ["sum", "mean", "min", "max", "std", "median", "any"])
def test_axis_none_of_numbers_and_booleans_reduces_them_as_numbers_as_pandas(data, how):
    # pandas' values of float, int and bool columns are objects it reduces as numbers; gpuscale's flattened
    # values were an object column its reductions refused
    pdf, df = data
    result = getattr(df, how)(axis=None).compute()
    assert to_host(result) == pytest.approx(getattr(pdf, how)(axis=None), rel=1e-9)


def test_row_reductions_keep_their_dtype_over_empty_partitions(backend):
    """Row-wise ``min``/``max``/``any`` where a filter left a partition without rows: that partition takes the
    collection's dtype (pandas types no rows float64 / Float64 / boolean, which the whole result then took)."""
    pdf = pd.DataFrame({"i": [1, 2, 3, 4], "b": [True, False, True, True]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df, pdf = df[df.i > 2], pdf[pdf.i > 2]
    for how in (lambda x: x[["i"]].min(axis=1), lambda x: x[["i", "b"]].any(axis=1), lambda x: x[["i"]].sum(axis=1)):
        got = to_host(how(df).compute())
        pd.testing.assert_series_equal(got, how(pdf))


def test_shifts_across_columns_say_their_dtypes(backend):
    """``diff``/``shift(axis=1)`` of integers: the metadata says pandas' float64 of the emptied column (it said
    int64, from a sample without rows)."""
    pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4, 6, 9]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in (lambda x: x.diff(axis=1), lambda x: x.shift(1, axis=1), lambda x: x.diff(-1, axis=1)):
        got, expected = how(df), how(pdf)
        assert got._meta.dtypes.tolist() == expected.dtypes.tolist()
        pd.testing.assert_frame_equal(to_host(got.compute()), expected)


def test_row_nunique_is_int64(backend):
    """``nunique(axis=1)`` says and gives int64, as pandas (the metadata said float64, from a sample without rows,
    and a partition a filter emptied gave float64)."""
    pdf = pd.DataFrame({"a": [1, 2, 3, 7], "b": [4, 6, 9, 7]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for got, expected in ((df.nunique(axis=1), pdf.nunique(axis=1)),
                          (df[df.a > 2].nunique(axis=1), pdf[pdf.a > 2].nunique(axis=1))):
        assert got._meta.dtype == expected.dtype
        pd.testing.assert_series_equal(to_host(got.compute()), expected)


def test_any_all_bool_only(backend):
    """pandas' ``bool_only=True``: only the boolean columns, down the columns or along rows (it was refused)."""
    pdf = pd.DataFrame({"a": [1, 0, 3], "b": [4.0, 6, 9], "c": [True, False, True], "f": [False, False, True]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in (lambda x: x.any(bool_only=True), lambda x: x.all(bool_only=True),
                lambda x: x.all(axis=1, bool_only=True)):
        pd.testing.assert_series_equal(to_host(how(df).compute()), how(pdf))


def test_nunique_of_a_frame_refuses_axis_none_as_pandas(backend):
    pdf = pd.DataFrame({"a": [1, 1, 2], "b": [3, 4, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="No axis named None for object type DataFrame"):
        pdf.nunique(axis=None)
    with pytest.raises(ValueError, match="No axis named None for object type DataFrame"):
        df.nunique(axis=None)
    assert df.a.nunique(axis=None).compute() == 2  # (a Series' only axis, as before)
