"""Reductions and statistics that disagreed with pandas / dask (found by fuzzing against pandas 3.1 and
dask 2026.7.1): ``skew``/``kurt(numeric_only=True)`` of booleans and timedeltas, ``axis=None`` of nullable
booleans beside numbers, ``mode(dropna=False)`` of nullable booleans, sums of timedeltas that are all
missing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import PANDAS_3


@pytest.mark.parametrize("how", ["skew", "kurt"])
def test_moments_numeric_only_keep_booleans_and_drop_timedeltas(backend, how):
    # numeric_only selected select_dtypes("number"): timedeltas were kept (and refused: "not numeric; pass
    # numeric_only=True"), booleans dropped, where pandas keeps booleans and drops timedeltas
    pdf = pd.DataFrame({"x": [1.0, 2, 4, 8, 3, 1], "b": [True, False, True, True, False, True],
                        "td": pd.to_timedelta([1, 2, 3, 4, 5, 9], unit="s")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    expected = getattr(pdf, how)(numeric_only=True)
    for frame in (df, df[["x", "b"]]):
        result = getattr(frame, how)(numeric_only=True, skipna=True)
        got = to_host(result.compute())
        assert list(got.index) == ["x", "b"]
        np.testing.assert_allclose(got.to_numpy(dtype="float64"), expected.to_numpy(dtype="float64"))


def test_moments_numeric_only_of_nullable_booleans(backend):
    pdf = pd.DataFrame({"x": [1.0, 2, 4, 8, 3, 1],
                        "B": pd.array([True, False, None, True, False, True], dtype="boolean")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    got = to_host(df.skew(numeric_only=True, skipna=True).compute())
    assert list(got.index) == ["x", "B"]
    np.testing.assert_allclose(got.to_numpy(dtype="float64"),
                               pdf.skew(numeric_only=True).to_numpy(dtype="float64"))


@pytest.mark.parametrize("other", [pd.array([True, False, None], dtype="boolean"),
                                   np.array([True, False, True])])
@pytest.mark.parametrize("numbers", [np.array([1, 2, 3]), np.array([1.5, np.nan, 3]),
                                     pd.array([1, 2, None], dtype="Int64"),
                                     pd.array([1.5, 2, None], dtype="Float64"),
                                     np.array([1, 2, 3], dtype="uint8")])
def test_all_values_of_nullable_booleans_beside_numbers(backend, numbers, other):
    # axis=None stacked a nullable boolean column and a numeric one into objects, whose stand-in metadata
    # held strings: mean/std raised "Could not convert 'a' to numeric", prod a TypeError, median refused
    # objects; pandas reduces them together as numbers, skipping the missing booleans
    pdf = pd.DataFrame({"x": numbers, "B": other})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    # (pandas 2.2's sum/prod/std/var/sem(axis=None) reduce only the rows, deprecated, where gpuscale reduces both
    # axes as pandas 3; its median of floats beside booleans refuses their stack of objects)
    pandas_3_only = ("std", "var", "sem", "sum", "prod", "median") if PANDAS_3 else ()
    for how in ("mean", "max", *pandas_3_only):
        result = getattr(df, how)(axis=None)
        assert np.asarray(result._meta).dtype.kind in "iuf", how
        got = to_host(result.compute())
        assert float(got) == pytest.approx(float(getattr(pdf, how)(axis=None))), how
    assert float(to_host(df.min(axis=None).compute())) == float(pdf.min(axis=None))


def test_mode_dropna_false_of_nullable_booleans(backend):
    # the metadata came from pandas' DataFrame.mode(dropna=False) of a stand-in holding <NA>, which pandas'
    # boolean mode refuses (TypeError "values should be boolean numpy array")
    pdf = pd.DataFrame({"x": pd.array([True, False, False], dtype="boolean"), "y": [1.0, np.nan, np.nan]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    result = df.mode(dropna=False)
    assert str(result._meta.dtypes["x"]) == "boolean"
    got = to_host(result.compute())
    assert got["x"].tolist() == [False]
    assert np.isnan(got["y"].tolist()[0])
    with_missing = pd.DataFrame({"x": pd.array([True, None, None, True, None], dtype="boolean")})
    got = to_host(gd.from_pandas(with_missing, npartitions=2, backend=backend).mode(dropna=False).compute())
    assert got["x"].isna().tolist() == [True]  # <NA> is the most frequent


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_sum_of_timedeltas_with_missing_values_skipna_false(backend, npartitions):
    # the partials, all NaT, were rebuilt into a Series guessed datetime64, whose sum pandas refuses:
    # TypeError "'DatetimeArray' with dtype datetime64[s] does not support operation 'sum'"; pandas: NaT
    ps = pd.Series(pd.to_timedelta([1, None, 3], unit="h"))
    s = gd.from_pandas(ps, npartitions=npartitions, backend=backend)
    for how in ("sum", "min", "max", "mean"):
        assert to_host(getattr(s, how)(skipna=False).compute()) is pd.NaT, how
    assert to_host(s.sum().compute()) == ps.sum()


@pytest.mark.parametrize("npartitions", [1, 2])
def test_min_max_of_timedeltas_beside_numbers_skipna_false(backend, npartitions):
    # pandas reduces an object column of NaT partials to None: the timedelta column's answer said None, not NaT
    if backend == "cudf":
        pytest.skip("pandas' answer is an object Series mixing numbers and timedeltas, which cuDF cannot hold")
    pdf = pd.DataFrame({"x": [1, 2, 3, 4], "td": pd.to_timedelta([1, None, 3, None], unit="h")})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for how in ("min", "max", "sum"):
        got = to_host(getattr(df, how)(skipna=False).compute())
        assert got["td"] is pd.NaT, how
        assert got["x"] == getattr(pdf, how)(skipna=False)["x"], how


def _nullable_frame():
    return pd.DataFrame({"I": pd.array([1, None, 3, 4, 7, 2], dtype="Int64"),
                         "F": pd.array([1.5, 2, None, 4, 0.5, 3], dtype="Float64"),
                         "f": [1.0, 2, 3, 4, 8, 5]})


@pytest.mark.parametrize("how", ["median", "quantile", "quantile-list", "skew", "kurt"])
def test_statistics_of_nullable_columns_are_nullable_floats(backend, how):
    # pandas gives Float64 for the quantiles, medians, skew and kurtosis of frames with nullable numbers
    # (and of a Series' list of quantiles); gpuscale's metadata and results said float64
    if backend == "cudf":
        pytest.skip("cuDF's columns are all nullable: its float64 is the answer")
    pdf = _nullable_frame()
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    call = {"median": lambda f: f.median(), "quantile": lambda f: f.quantile(0.3),
            "quantile-list": lambda f: f.quantile([0.3, 0.5]), "skew": lambda f: f.skew(skipna=True),
            "kurt": lambda f: f.kurt(skipna=True)}[how]
    expected, result = call(pdf), call(df)
    got = to_host(result.compute())
    meta_dtypes = getattr(result._meta, "dtypes", None)
    if isinstance(expected, pd.DataFrame):
        assert list(got.dtypes) == list(meta_dtypes) == list(expected.dtypes)
        pd.testing.assert_frame_equal(got, expected)
    else:
        assert got.dtype == result._meta.dtype == expected.dtype == "Float64"
        pd.testing.assert_series_equal(got, expected, check_names=False)
    series = call(df["I"]) if how == "quantile-list" else None
    if series is not None:
        assert to_host(series.compute()).dtype == series._meta.dtype == call(pdf["I"]).dtype == "Float64"


@pytest.mark.parametrize("dtype", ["Float64", "Int64"])
def test_statistics_of_nullable_series_without_values_are_na(backend, dtype):
    # pandas: <NA> for the median, quantile, skew and kurtosis of nullable numbers without values (NaN before)
    if backend == "cudf":
        pytest.skip("cuDF's scalar without values is its own missing value")
    ps = pd.Series(pd.array([None] * 4, dtype=dtype))
    s = gd.from_pandas(ps, npartitions=2, backend=backend)
    for result in (s.median(), s.quantile(0.3), s.skew(skipna=True), s.kurt(skipna=True)):
        assert to_host(result.compute()) is pd.NA
    short = gd.from_pandas(pd.Series(pd.array([1, None, 3, 4], dtype=dtype)), npartitions=2, backend=backend)
    assert to_host(short.kurt(skipna=True).compute()) is pd.NA  # (three values: pandas' <NA>)


def test_quantiles_picking_values_of_nullable_integers_keep_them(backend):
    # interpolation="lower"/"nearest" pick values: pandas keeps Int64 (gpuscale said float64)
    if backend == "cudf":
        pytest.skip("cuDF's columns are all nullable: its int64 is the answer")
    pdf = _nullable_frame()
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in ("lower", "nearest"):
        expected = pdf.quantile([0.3, 0.7], interpolation=how)
        result = df.quantile([0.3, 0.7], interpolation=how)
        assert list(result._meta.dtypes) == list(expected.dtypes)
        pd.testing.assert_frame_equal(to_host(result.compute()), expected)
        assert to_host(df["I"].quantile(0.3, interpolation=how).compute()) == pdf["I"].quantile(0.3, interpolation=how)
