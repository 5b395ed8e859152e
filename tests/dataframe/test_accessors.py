"""The .str and .dt accessors against pandas."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from tests.dataframe import host_testing as tm

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

STRING_OPS = {
    "startswith": lambda s: s.str.startswith("a"),
    "endswith": lambda s: s.str.endswith("e"),
    "contains-literal": lambda s: s.str.contains("an", regex=False),
    "contains-regex": lambda s: s.str.contains(r"^[A-Z].*a$"),
    "slice": lambda s: s.str.slice(1, 3),
    "getitem-slice": lambda s: s.str[:2],
    "strip": lambda s: s.str.strip(),
    "len": lambda s: s.str.len(),
    "lower": lambda s: s.str.lower(),
    "upper": lambda s: s.str.upper(),
    "replace": lambda s: s.str.replace("a", "A", regex=False),
}
DATETIME_OPS = {
    "year": lambda s: s.dt.year, "month": lambda s: s.dt.month, "day": lambda s: s.dt.day,
    "hour": lambda s: s.dt.hour, "dayofweek": lambda s: s.dt.day_of_week, "date": lambda s: s.dt.date,
    "floor": lambda s: s.dt.floor("D"),
    "day_name": lambda s: s.dt.day_name(), "month_name": lambda s: s.dt.month_name(),
}


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=4, backend=backend)


@pytest.mark.parametrize("name", list(STRING_OPS))
def test_string_methods(df, pdf, name):
    op = STRING_OPS[name]
    tm.assert_series_equal(to_host(op(df.s).compute()), op(pdf.s))


@pytest.mark.parametrize("name", list(DATETIME_OPS))
def test_datetime_properties(df, pdf, name, backend):
    op = DATETIME_OPS[name]
    if name == "date" and backend == "cudf":  # cuDF holds no Python date objects (its dt.date is a raising stub)
        with pytest.raises(NotImplementedError, match="cuDF cannot hold"):
            op(df.t)
        return
    tm.assert_series_equal(to_host(op(df.t).compute()), op(pdf.t))


def test_accessor_in_filter(df, pdf):
    tm.assert_frame_equal(to_host(df[df.s.str.startswith("d") & (df.t.dt.month == 2)].compute()),
                          pdf[pdf.s.str.startswith("d") & (pdf.t.dt.month == 2)])


def test_wrong_dtype_accessor_is_clear(df):
    with pytest.raises(AttributeError, match="column 'x' has dtype float64"):
        df.x.str
    with pytest.raises(AttributeError, match="no attribute 'bogus'"):
        df.s.str.bogus


def _dt_members_case():
    pdf = pd.DataFrame({"naive": pd.date_range("2023-12-29 05:00", periods=9, freq="37h"),
                        "aware": pd.date_range("2024-02-27", periods=9, freq="D", tz="Europe/Paris"),
                        "delta": pd.to_timedelta(np.arange(9) * 3777, unit="s"),
                        "period": pd.period_range("2024-01", periods=9, freq="M")})
    return pdf, gd.from_pandas(pdf, npartitions=3, backend="cpu")


_DT_ARGS = {"to_period": ("M",), "round": ("h",), "floor": ("h",), "ceil": ("h",), "strftime": ("%Y-%m",),
            "tz_convert": ("UTC",)}


def test_every_dt_member_of_dask_that_pandas_has_gives_pandas_answer():
    from gpuscale.dataframe.accessors import DatetimeAccessor

    pdf, df = _dt_members_case()
    checked = 0
    for column in pdf:
        for name in DatetimeAccessor._properties + DatetimeAccessor._methods:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pandas' deprecations (dayofweek, weekday ...) and tz drops
                if not hasattr(pdf[column].dt, name):
                    with pytest.raises(AttributeError, match="not offered by the partition library"):
                        getattr(df[column].dt, name)
                    continue
                member = getattr(pdf[column].dt, name)
                args = _DT_ARGS.get(name, ("UTC",) if name == "tz_localize" and column == "naive" else ())
                try:
                    expected = member(*args) if callable(member) else member
                except (TypeError, ValueError):  # not for this dtype (tz_localize of aware values ...)
                    continue
                ours = getattr(df[column].dt, name)
                result = (ours(*args) if callable(ours) else ours).compute()
            if not isinstance(expected, (pd.Series, pd.DataFrame)):  # to_pytimedelta: an array, a Series in dask
                expected = pd.Series(list(expected), name=column, dtype=object)
            if isinstance(expected, pd.DataFrame):
                tm.assert_frame_equal(result, expected)
            else:
                tm.assert_series_equal(result, expected)
            checked += 1
    assert checked > 90


def test_dt_members_read_from_the_dtype():
    pdf, df = _dt_members_case()
    assert str(df.aware.dt.tz) == "Europe/Paris" and df.naive.dt.tz is None
    assert df.naive.dt.unit == pdf.naive.dt.unit
    assert df.period.dt.freq == pdf.period.dt.freq
    with pytest.raises(AttributeError, match="inferred from all of them"):
        df.naive.dt.freq
    assert "to_period" in dir(df.naive.dt) and "to_period" not in dir(df.delta.dt) and "days" in dir(df.delta.dt)


def test_dt_members_of_the_partition_library(df, pdf):
    # on each backend: what its datetime accessor offers works, the rest is named as missing
    for name in ("is_quarter_start", "is_year_end", "is_leap_year", "to_period", "daysinmonth"):
        if hasattr(df._meta.t.dt, name):
            op = (lambda s, n=name: getattr(s.dt, n)("M")) if name == "to_period" else \
                (lambda s, n=name: getattr(s.dt, n))
            tm.assert_series_equal(to_host(op(df.t).compute()), op(pdf.t))
        else:
            with pytest.raises(AttributeError, match=f"dt.{name} is not offered"):
                getattr(df.t.dt, name)


def test_dt_python_objects(df, pdf, backend):
    if backend == "cudf":  # cuDF has no object columns to hold them
        with pytest.raises(NotImplementedError, match="Python datetime objects, which cuDF cannot hold"):
            df.t.dt.to_pydatetime().compute()
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # pandas 2.2: an array now, a Series in pandas 3
        expected = pd.Series(list(pdf.t.dt.to_pydatetime()), name="t", index=pdf.index, dtype=object)
    tm.assert_series_equal(df.t.dt.to_pydatetime().compute(), expected)
    delta = df.t - df.t.min()
    expected = pd.Series(list((pdf.t - pdf.t.min()).dt.to_pytimedelta()), name="t", index=pdf.index, dtype=object)
    tm.assert_series_equal(delta.dt.to_pytimedelta().compute(), expected)


@pytest.mark.parametrize("unit", ["s", "ms", "ns"])
def test_dt_as_unit_as_pandas(backend, unit):
    """pandas' as_unit (dask has none; cuDF has none either: a cast to the dtype pandas gives)."""
    times = pd.Series(pd.date_range("2024-01-30", periods=7, freq="7h"), name="t")
    for values in (times, times - times.min()):
        s = gd.from_pandas(values, npartitions=2, backend=backend)
        assert_eq(s.dt.as_unit(unit), values.dt.as_unit(unit))
    assert "as_unit" in dir(s.dt)
    with pytest.raises(AttributeError, match="needs datetime"):
        gd.from_pandas(pd.Series([1, 2]), npartitions=1, backend=backend).dt.as_unit("s")
    periods = gd.from_pandas(pd.Series(pd.period_range("2024", periods=2)), npartitions=1, backend="pandas")
    with pytest.raises(AttributeError, match="as_unit is for datetime and timedelta"):
        periods.dt.as_unit("s")


@pytest.mark.parametrize("kwargs", [{}, {"sep": ","}, pytest.param(
    {"dtype": bool}, marks=needs_pandas_3("pandas 2.2's str.get_dummies takes no dtype"))])
def test_str_get_dummies_as_pandas(backend, kwargs):
    """The pieces (columns) of the whole collection computed at once; a partition lacking one gets zeros."""
    s = pd.Series(["a|b", "c", None, "b", "a||d", "", "x,y", "c|a"], index=[7, 5, 4, 3, 2, 1, 0, 6])
    ds = gd.from_pandas(s, npartitions=3, sort=False, backend=backend)
    got = ds.str.get_dummies(**kwargs)
    assert list(got.columns) == list(s.str.get_dummies(**kwargs).columns)
    assert_eq(got, s.str.get_dummies(**kwargs))


@pytest.mark.parametrize("dtype", ["str", "string", "string[pyarrow]", "object"])
def test_str_get_dummies_with_a_partition_of_no_text(backend, dtype):
    """pandas' own get_dummies raises on a text column of only missing values: such a partition gets zeros."""
    s = pd.Series(["a b", "c", None, None], dtype=dtype)
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    assert_eq(ds.str.get_dummies(sep=" "), s.str.get_dummies(sep=" "))


@pytest.mark.parametrize("dtype", ["str", "string", "object"])
def test_str_split_expand_pads_in_the_text_dtype(backend, dtype):
    """A partition whose values have fewer parts gets its missing columns in the text dtype of the others
    (they were object columns of NaN: a column of two dtypes)."""
    if backend == "cudf" and dtype == "object":
        pytest.skip("cuDF has no object text: its strings are one dtype")
    s = pd.Series(["a b", "c", "d", "e", None], dtype=dtype)
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    for method in ("split", "rsplit"):
        assert_eq(getattr(ds.str, method)(" ", n=1, expand=True), getattr(s.str, method)(" ", n=1, expand=True))


def test_str_split_expand_pads_a_missing_value_as_pandas(backend):
    """An object Series' missing value (NaN) splits into missing values in every column, the padded ones too (they
    got None, where pandas' own split gives the row's NaN)."""
    if backend == "cudf":
        pytest.skip("cuDF has no object text: its strings are one dtype")
    s = pd.Series(["a b c", "d e", "f", np.nan], dtype=object)
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    for method in ("split", "rsplit"):
        assert_eq(getattr(ds.str, method)(" ", n=2, expand=True), getattr(s.str, method)(" ", n=2, expand=True))


def test_str_split_expand_pads_object_text_with_none_as_pandas(backend):
    """Object text (cuDF's strings too) with fewer parts than ``n + 1`` is padded with None in the columns its
    partition lacks, as pandas; a None value's row holds None (cuDF's partitions padded them with NaN)."""
    s = pd.Series(["a", "b_c", "d", None], dtype=object)
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    for method in ("split", "rsplit"):
        got, expected = to_host(getattr(ds.str, method)("_", n=1, expand=True).compute()), \
            getattr(s.str, method)("_", n=1, expand=True)
        # (repr tells None from NaN, which assert_eq takes as equal)
        assert [list(map(repr, row)) for row in got.itertuples(index=False)] == \
            [list(map(repr, row)) for row in expected.itertuples(index=False)]


@needs_pandas_3("pandas 2.2's extractall of sample values gives an object index level")
@pytest.mark.parametrize("index", [pd.date_range("2021", periods=4), pd.Index(["w", "x", "y", "z"])])
def test_str_extract_metadata_keeps_the_index(backend, index):
    """extract/extractall's metadata comes from sample values: pandas gives an empty Series' extract a RangeIndex
    (the metadata said int64 where the result has the collection's index)."""
    s = pd.Series(["a1", "b2", "c", None], index=index, dtype="string")
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    assert_eq(ds.str.extract(r"([ab])(\d)"), s.str.extract(r"([ab])(\d)"))
    if backend == "pandas":  # (cuDF's StringMethods has no extractall)
        assert_eq(ds.str.extractall(r"([ab])(\d)"), s.str.extractall(r"([ab])(\d)"))


def test_index_string_tests_are_arrays_of_every_partition(backend):
    """An Index's ``str.contains`` (pandas: an array) covers every partition (it gave the first partition's) and
    serves as a row mask, as pandas' ``df[df.index.str.contains(...)]``."""
    pdf = pd.DataFrame({"x": range(6)}, index=pd.Index(["a_1", "b_2", "c_3", "d", "e_5", "f_6"]))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    for how in (lambda i: i.str.contains("_"), lambda i: i.str.startswith("a"), lambda i: i.str.isdigit()):
        got = how(df.index).compute()
        np.testing.assert_array_equal(got.get() if hasattr(got, "get") else got, how(pdf.index))
    tm.assert_frame_equal(to_host(df[df.index.str.contains("_")].compute()), pdf[pdf.index.str.contains("_")])
    tm.assert_index_equal(to_host(df.index.str.upper().compute()), pdf.index.str.upper())


def test_split_expand_every_split_and_regex(backend):
    """``n=0`` is pandas' "every split": refused as ``n=-1`` is (it kept only the first piece); ``regex=`` as pandas."""
    s = pd.Series(["a1b2c", "x3y", None, "q"])
    gs = gd.from_pandas(s, npartitions=2, backend=backend)
    with pytest.raises(NotImplementedError, match="n="):
        gs.str.split("_", n=0, expand=True)
    tm.assert_frame_equal(to_host(gs.str.split(r"\d", n=2, expand=True, regex=True).compute()),
                          s.str.split(r"\d", n=2, expand=True, regex=True))


def test_get_dummies_of_a_categorical_with_missing_values(backend):
    """The pieces of a categorical's text are text (they were cast to its categories, missing, and sorting them
    raised)."""
    cs = pd.Series(["a|b", None, "b", "c"], dtype="category")
    tm.assert_frame_equal(to_host(gd.from_pandas(cs, npartitions=2, backend=backend).str.get_dummies().compute()),
                          cs.str.get_dummies())


def test_index_extract_numbers_rows_over_the_whole_index(backend):
    """An Index's ``str.extract`` is numbered 0 .. n-1 over the whole Index, as pandas (each partition restarted
    at 0)."""
    pdf = pd.DataFrame({"x": range(6)}, index=pd.Index(["a_1", "b_2", "c_3", "d", "e_5", "f_6"]))
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    tm.assert_frame_equal(to_host(df.index.str.extract(r"(\w)_(\d)").compute()),
                          pdf.index.str.extract(r"(\w)_(\d)"))


def test_index_extractall_numbers_rows_over_the_whole_index(backend):
    """An Index's ``str.extractall`` numbers its matches' rows by their positions in the whole Index, as pandas
    (each partition restarted at 0, so matches of different partitions shared a label)."""
    if backend == "cudf":
        pytest.skip("cuDF's StringMethods has no extractall")
    pdf = pd.DataFrame({"x": range(6)}, index=pd.Index(["a_1", "b", "c_3_4", "d", "e_5", "f6"]))
    df = gd.from_pandas(pdf, npartitions=3, sort=False, backend=backend)
    tm.assert_frame_equal(to_host(df.index.str.extractall(r"_(\d)").compute()), pdf.index.str.extractall(r"_(\d)"))


@pytest.mark.parametrize("dtype", ["str", "string", "object"])
def test_str_split_lists_with_a_partition_of_no_text(backend, dtype):
    """A partition of only missing text: split / findall / encode give objects, as pandas among strings (pandas'
    text dtypes give float64 there, so .str.len() of the lists raised), and the lengths of the lists as pandas'
    (float64 NaN, objects with pd.NA for pd.NA; the int64 of the metadata where no value is missing)."""
    if backend == "cudf":
        pytest.skip("cuDF's split gives list values, which have no .str (their lengths: .list.len())")
    s = pd.Series(["a b", "c d e", None, None], dtype=dtype)
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    for how in (lambda t: t.str.split(" "), lambda t: t.str.rsplit(" "), lambda t: t.str.findall("[a-c]")):
        got = how(ds)
        assert [str(how(ds).get_partition(i).compute().dtype) for i in range(2)] == [str(got.dtype)] * 2
        tm.assert_series_equal(to_host(got.compute()), how(s))
        tm.assert_series_equal(to_host(got.str.len().compute()), how(s).str.len())
    full = gd.from_pandas(s.iloc[:2], npartitions=2, backend=backend).str.split(" ").str.len()
    assert full.dtype == full.compute().dtype == s.iloc[:2].str.split(" ").str.len().dtype
