"""Reductions, windows, ``describe`` and quantiles of the dtypes beyond plain numbers that disagreed with pandas
(found by fuzzing against pandas 3.1): complex moments, shift/diff of Arrow dictionary and sparse columns,
``describe`` of Arrow durations, quantiles of Arrow decimals."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from tests.pandas_versions import needs_pandas_3
from tests.dataframe.frame_helpers import skip_on_stand_in


def _complex_frame() -> pd.DataFrame:
    c = pd.Series(np.arange(6) + 1j * np.arange(6)[::-1])
    c[2] = np.nan
    return pd.DataFrame({"c": c, "f": np.arange(6.0), "i": np.arange(6)})


@pytest.mark.parametrize("npartitions", [1, 2, 3])
@pytest.mark.parametrize("how", ["mean", "sum", *(pytest.param(h, marks=needs_pandas_3(
    "its complex var/std/sem discard the imaginary parts (var of 0..5 + 5..0j: -7.5)")) for h in ("var", "std", "sem"))])
def test_complex_moments_keep_the_imaginary_part(npartitions, how):
    # the moments were taken of the values cast to float64: mean() of a complex Series lost its imaginary
    # part (2.5 for pandas' 2.5+2.5j), var/std/sem measured the real parts only
    skip_on_stand_in("cuDF has no complex dtype")
    pdf = _complex_frame()
    df = gd.from_pandas(pdf, npartitions=npartitions)
    for kwargs in ({}, {"skipna": False}):
        got, expected = getattr(df.c, how)(**kwargs).compute(), getattr(pdf.c, how)(**kwargs)
        assert np.asarray(got).dtype == np.asarray(expected).dtype, (how, kwargs)
        np.testing.assert_allclose(got, expected, equal_nan=True)
        got, expected = getattr(df, how)(**kwargs).compute(), getattr(pdf, how)(**kwargs)
        pd.testing.assert_series_equal(got, expected, check_exact=False, rtol=1e-12)


_DICTIONARY = pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string()))


@pytest.mark.parametrize("npartitions", [2, 3, 4])
def test_shift_of_arrow_dictionary_columns(npartitions):
    # a partition's edge rows were written into its shifted values with setitem, which on an Arrow dictionary
    # column turns other rows' nulls into values (a pandas bug): shift(1) of [x z y x None z x y] gave y for
    # the null the sixth row takes
    skip_on_stand_in("cuDF has no Arrow dictionary dtype")
    values = ["x", "z", "y", "x", None, "z", "x", "y", None, None, "z", "y"]
    pdf = pd.DataFrame({"d": pd.array(values, dtype=_DICTIONARY), "v": np.arange(12.0)})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    for periods in (1, 2, -1, -3):
        pd.testing.assert_series_equal(df.d.shift(periods).compute(), pdf.d.shift(periods))
        pd.testing.assert_frame_equal(df.shift(periods).compute(), pdf.shift(periods))


@pytest.mark.parametrize("npartitions", [2, 3])
def test_shift_and_diff_of_sparse_columns(npartitions):
    # "SparseArray does not support item assignment via setitem": the edge rows were written in place
    skip_on_stand_in("cuDF has no sparse dtype")
    sparse = pd.arrays.SparseArray([1, 0, np.nan, 2, 0, 0, 3, 0, np.nan, 5])
    pdf = pd.DataFrame({"s": sparse, "v": np.arange(10.0)})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    for periods in (1, -2):
        pd.testing.assert_series_equal(df.s.shift(periods).compute(), pdf.s.shift(periods))
        pd.testing.assert_series_equal(df.s.diff(periods).compute(), pdf.s.diff(periods))
        pd.testing.assert_frame_equal(df.shift(periods).compute(), pdf.shift(periods))
        pd.testing.assert_frame_equal(df.diff(periods).compute(), pdf.diff(periods))


@pytest.mark.parametrize("unit", ["ns", "ms", "s"])
@pytest.mark.parametrize("npartitions", [1, 2])
def test_describe_of_arrow_durations(unit, npartitions):
    # Arrow durations were described as labels (pandas' is_timedelta64_dtype says no to them): count, then NaN
    # for every other row; pandas gives their mean, std, min, quartiles and max as Timedeltas
    skip_on_stand_in("Arrow dtypes are pandas' extension dtypes")
    durations = pd.array([pd.Timedelta(2, "s"), None, pd.Timedelta(1, "s"), pd.Timedelta(1234567, "ms")],
                         dtype=pd.ArrowDtype(pa.duration(unit)))
    pdf = pd.DataFrame({"d": durations, "x": [1.0, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    pd.testing.assert_series_equal(df.d.describe().compute(), pdf.d.describe())
    pd.testing.assert_frame_equal(df.describe().compute(), pdf.describe())
    pd.testing.assert_frame_equal(df.describe(include="all").compute(), pdf.describe(include="all"))


def _decimals() -> pd.Series:
    values = [decimal.Decimal(v) if v else None for v in ("1.5", "2.5", None, "4.25", "-3.10", "0.01")]
    return pd.Series(values, dtype=pd.ArrowDtype(pa.decimal128(10, 2)), name="a")


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_quantiles_of_arrow_decimals(npartitions):
    # median/quantile refused decimals ("quantile: None has non-numeric dtype decimal128(10, 2)[pyarrow]"); pandas
    # takes them with pyarrow: floats (double[pyarrow] in a Series), picked values (lower, nearest) as Decimals
    skip_on_stand_in("Arrow dtypes are pandas' extension dtypes")
    pdf = _decimals().to_frame().assign(b=np.arange(6.0))
    df = gd.from_pandas(pdf, npartitions=npartitions)
    for got, expected in [(df.a.median(), pdf.a.median()), (df.a.quantile(0.3), pdf.a.quantile(0.3)),
                          (df.a.quantile(0.3, interpolation="lower"), pdf.a.quantile(0.3, interpolation="lower")),
                          (df.a.quantile(0.7, interpolation="nearest"), pdf.a.quantile(0.7, interpolation="nearest")),
                          (df.a[df.b == 2].median(), pdf.a[pdf.b == 2].median())]:
        got = got.compute()
        if expected is pd.NA:
            assert got is pd.NA
        else:
            assert got == pytest.approx(expected) and isinstance(got, type(expected))
    for got, expected in [(df.a.quantile([0.3, 0.5]), pdf.a.quantile([0.3, 0.5])), (df.median(), pdf.median()),
                          (df.quantile(0.3), pdf.quantile(0.3))]:
        pd.testing.assert_series_equal(got.compute(), expected)
    pd.testing.assert_frame_equal(df.quantile([0.3, 0.9]).compute(), pdf.quantile([0.3, 0.9]))


@pytest.mark.parametrize("name", [None, "x"])
def test_quantile_refusal_names_the_series(name):
    # the message named an unnamed Series "None"
    df = gd.from_pandas(pd.Series(["a", "b", "c"], name=name), npartitions=2)
    which = "the Series" if name is None else "Series 'x'"
    with pytest.raises(TypeError, match=f"quantile: {which} has non-numeric dtype"):
        df.median()


def _decimal_frame() -> pd.DataFrame:
    values = ["1.25", "3.33", None, "7.77", "2.51", "0.97"]
    return pd.DataFrame({"d": pd.array([None if v is None else decimal.Decimal(v) for v in values],
                                       dtype=pd.ArrowDtype(pa.decimal128(10, 2))),
                         "f": np.arange(1.5, 7.5),
                         "e": pd.array([decimal.Decimal("1.5")] * 6, dtype=pd.ArrowDtype(pa.decimal128(6, 1)))})


@pytest.mark.parametrize("npartitions", [1, 2, 3, 6])
@pytest.mark.parametrize("kwargs", [{}, {"skipna": False}, {"min_count": 5}, {"min_count": 6}, {"split_every": 2}])
def test_prod_of_arrow_decimals_whatever_the_partitions(npartitions, kwargs):
    # pyarrow rounds every product of decimals to the column's scale, so the partitions' partial products
    # multiplied gave another number and scale (Decimal('81.17998875') of 4 partitions, pandas 81.12)
    skip_on_stand_in("cuDF has no Arrow decimal dtype")
    pdf = _decimal_frame()
    df = gd.from_pandas(pdf, npartitions=npartitions)
    pandas_kwargs = {k: v for k, v in kwargs.items() if k != "split_every"}
    for column in ("d", "e"):
        assert repr(df[column].prod(**kwargs).compute()) == repr(pdf[column].prod(**pandas_kwargs))
    pd.testing.assert_series_equal(df.prod(**kwargs).compute(), pdf.prod(**pandas_kwargs))
    pd.testing.assert_series_equal(df[["d", "e"]].prod(**kwargs).compute(), pdf[["d", "e"]].prod(**pandas_kwargs))
    empty = df[df.f > 100]
    try:
        expected = pdf[pdf.f > 100].prod(**pandas_kwargs)
    except TypeError:  # pandas 2.2: float() of NA for no rows with skipna=False / min_count; gpuscale raises it too
        with pytest.raises(TypeError):
            empty.prod(**kwargs).compute()
        return
    pd.testing.assert_series_equal(empty.prod(**kwargs).compute(), expected)


@pytest.mark.parametrize("arrow_type", [pa.date32(), pa.date64()])
@pytest.mark.parametrize("npartitions", [1, 2, 3])
@pytest.mark.parametrize("how", ["mean", "median", "std", "sem"])
@needs_pandas_3("pandas 2.2's std/sem of Arrow dates read days as seconds (fixed in pandas 3)")
def test_moments_of_arrow_dates(arrow_type, npartitions, how):
    # Arrow dates were taken as int64 ticks ("int() argument must be ... not 'datetime.date'"); pandas gives a
    # date of the mean and median, a Timedelta of std and sem (whole seconds of date32, ms of date64)
    skip_on_stand_in("cuDF has no Arrow date dtype")
    import datetime

    days = [0, 3, None, 17, -40, 9, 2, 31, 5, None, 12]
    dates = [None if d is None else datetime.date(1970, 1, 1) + datetime.timedelta(days=d) for d in days]
    pdf = pd.DataFrame({"d": pd.array(dates, dtype=pd.ArrowDtype(arrow_type)), "x": np.arange(11.0)})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    kwargs_list = [{}] if how == "median" else [{}, {"skipna": False}]
    for kwargs in kwargs_list + ([{"ddof": 0}] if how in ("std", "sem") else []):
        assert repr(getattr(df.d, how)(**kwargs).compute()) == repr(getattr(pdf.d, how)(**kwargs)), kwargs
        pd.testing.assert_series_equal(getattr(df, how)(**kwargs).compute(), getattr(pdf, how)(**kwargs))
    with pytest.raises(TypeError, match="var"):  # as pandas
        df.d.var()


@pytest.mark.parametrize("how", ["mean", "std", "sem"])
@needs_pandas_3("pandas 2.2 gives a datetime.datetime for a moment of Arrow timestamps")
def test_missing_moment_of_arrow_timestamps_is_na(how):
    # pandas' missing answer of an Arrow column is NA (NaT was given, as of NumPy datetimes)
    skip_on_stand_in("cuDF has no Arrow timestamp dtype")
    s = pd.Series(pd.array([pd.Timestamp("2020-01-01"), None, pd.Timestamp("2020-01-03")],
                           dtype=pd.ArrowDtype(pa.timestamp("us"))))
    got = getattr(gd.from_pandas(s, npartitions=2), how)
    assert repr(got(skipna=False).compute()) == repr(getattr(s, how)(skipna=False))
    assert repr(got().compute()) == repr(getattr(s, how)())


@pytest.mark.parametrize("npartitions", [1, 2, 3, 4])
@pytest.mark.parametrize("dropna", [True, False])
def test_mode_of_arrow_dictionary_columns(npartitions, dropna):
    # the modes were sorted with sort_values, which pyarrow cannot do for a dictionary column
    # (ArrowNotImplementedError); pandas orders them by their values
    skip_on_stand_in("cuDF has no Arrow dictionary dtype")
    values = ["c", "b", None, "b", "a", "c", None, "a", "z"]
    pdf = pd.DataFrame({"d": pd.array(values, dtype=_DICTIONARY), "v": np.arange(9.0)})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    one_mode = pdf.iloc[:4]
    for got, expected in ((df, pdf), (gd.from_pandas(one_mode, npartitions=min(npartitions, 4)), one_mode)):
        pd.testing.assert_series_equal(got.d.mode(dropna=dropna).compute(), expected.d.mode(dropna=dropna))
        pd.testing.assert_frame_equal(got.mode(dropna=dropna).compute(), expected.mode(dropna=dropna))
    # the missing values' count, where they first appear (pandas 2.2's groupby lost it)
    pd.testing.assert_series_equal(df.d.value_counts(dropna=dropna, sort=False).compute(),
                                   pdf.d.value_counts(dropna=dropna, sort=False))
