"""Column selection, filtering, assignment and element-wise methods, compared with pandas."""

from __future__ import annotations

import operator

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=4, backend=backend)


def test_column_selection(df, pdf):
    assert_eq(df["x"], pdf["x"])
    assert_eq(df.x, pdf.x)
    assert_eq(df[["y", "x"]], pdf[["y", "x"]])


def test_unknown_column_is_named_at_build_time(df):
    with pytest.raises(KeyError, match=r"\['nope'\].*available columns: \['k', 'j'"):
        df["nope"]
    with pytest.raises(KeyError, match="zz"):
        df[["x", "zz"]]
    with pytest.raises(AttributeError):
        df.nope


def test_boolean_filter(df, pdf):
    assert_eq(df[df.x > 0], pdf[pdf.x > 0])
    assert_eq(df[(df.y > 0) & (df.j == "a") | ~(df.k < 3)], pdf[(pdf.y > 0) & (pdf.j == "a") | ~(pdf.k < 3)])


def test_assign_and_setitem(df, pdf):
    assert_eq(df.assign(z=df.x * 2, w=1, v=lambda d: d.y + d.k), pdf.assign(z=pdf.x * 2, w=1, v=lambda d: d.y + d.k))
    df["z"] = df.y - df.k
    df["x"] = 0.5
    expected = pdf.copy()
    expected["z"] = pdf.y - pdf.k
    expected["x"] = 0.5
    assert_eq(df, expected)


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv,
                                operator.mod, operator.pow, operator.eq, operator.ne, operator.lt, operator.le,
                                operator.gt, operator.ge])
def test_binary_operators(df, pdf, op):
    assert_eq(op(df.y, 3), op(pdf.y, 3))
    assert_eq(op(3, df.y.abs() + 1), op(3, pdf.y.abs() + 1))
    assert_eq(op(df.x, df.y), op(pdf.x, pdf.y))


def test_frame_arithmetic_and_unary(df, pdf):
    sub, psub = df[["x", "y"]], pdf[["x", "y"]]
    assert_eq(sub * 2 + 1, psub * 2 + 1)
    assert_eq(-sub, -psub)
    assert_eq(abs(sub), abs(psub))
    assert_eq(~(df.y > 0), ~(pdf.y > 0))


def test_astype_and_missing(df, pdf):
    assert_eq(df.y.astype("float32"), pdf.y.astype("float32"))
    assert_eq(df.astype({"y": "float64"}), pdf.astype({"y": "float64"}))
    assert_eq(df.x.isna(), pdf.x.isna())
    assert_eq(df.notna(), pdf.notna())
    assert_eq(df.x.fillna(-1), pdf.x.fillna(-1))
    assert_eq(df.fillna({"x": 0}), pdf.fillna({"x": 0}))
    assert_eq(df.dropna(), pdf.dropna())
    assert_eq(df.dropna(subset=["x"]), pdf.dropna(subset=["x"]))


def test_isin_between_where_mask_clip_round(df, pdf):
    assert_eq(df.k.isin([1, 3, 5]), pdf.k.isin([1, 3, 5]))
    assert_eq(df.y.between(-10, 10), pdf.y.between(-10, 10))
    assert_eq(df.y.between(-10, 10, inclusive="left"), pdf.y.between(-10, 10, inclusive="left"))
    assert_eq(df.x.where(df.x > 0, 0), pdf.x.where(pdf.x > 0, 0))
    assert_eq(df.x.mask(df.y > 0), pdf.x.mask(pdf.y > 0))
    assert_eq(df.x.clip(-0.5, 0.5), pdf.x.clip(-0.5, 0.5))
    assert_eq(df.x.round(2), pdf.x.round(2))
    assert_eq(df[["x", "y"]].abs(), pdf[["x", "y"]].abs())


def test_rename_drop_reset_index(df, pdf):
    assert_eq(df.rename(columns={"x": "xx"}), pdf.rename(columns={"x": "xx"}))
    assert_eq(df.x.rename("w"), pdf.x.rename("w"))
    assert_eq(df.drop(columns=["s", "t"]), pdf.drop(columns=["s", "t"]))
    assert_eq(df.drop("x", axis=1), pdf.drop("x", axis=1))
    assert_eq(df.reset_index(drop=True), pdf.reset_index(drop=True), check_index=False)
    with pytest.raises(KeyError, match="nope"):
        df.drop(columns=["nope"])


def test_head_tail_len(df, pdf):
    assert_eq(df.head(5), pdf.head(5))
    assert_eq(df.tail(3), pdf.tail(3))
    assert_eq(df[df.y > 40].head(100, npartitions=-1), pdf[pdf.y > 40].head(100))
    assert len(df) == len(pdf)
    assert len(df[df.x > 0]) == int((pdf.x > 0).sum())
    assert_eq(df.head(5, compute=False), pdf.head(5))


def test_map_partitions(df, pdf):
    out = df.map_partitions(lambda p, c: p.assign(z=p.x * c), 10)
    assert_eq(out, pdf.assign(z=pdf.x * 10))
    meta = pd.Series([], dtype="int64", name="n")
    lens = df.map_partitions(lambda p: pd.Series([len(p)], name="n"), meta=meta)
    assert lens.compute().sum() == len(pdf)


def test_lazy_scalar_in_expression(df, pdf):
    centered = df.x - df.x.mean()
    assert_eq(centered, pdf.x - pdf.x.mean())
    scaled = df[["x", "y"]] / df.y.max()
    assert_eq(scaled, pdf[["x", "y"]] / pdf.y.max())
    assert_eq(df[df.y > df.y.mean()], pdf[pdf.y > pdf.y.mean()])
    ratio = (df.y.sum() / df.y.count()) * 2 - 1
    assert ratio.compute() == pytest.approx((pdf.y.sum() / pdf.y.count()) * 2 - 1)


def test_apply_rows_and_map(df, pdf):
    assert_eq(df[["x", "y"]].apply(lambda r: r["x"] + r["y"], axis=1), pdf[["x", "y"]].apply(lambda r: r.x + r.y, axis=1))
    assert_eq(df.k.map({1: "one"}), pdf.k.map({1: "one"}))


def test_columns_setter(df, pdf):
    sub, psub = df[["x", "y"]], pdf[["x", "y"]].copy()
    sub.columns = ["a", "b"]
    psub.columns = ["a", "b"]
    assert_eq(sub, psub)


def test_index_collection(df, pdf):
    assert_eq(df.index, pdf.index)
    assert len(df.index) == len(pdf)


def test_operations_on_empty_partitions(backend):
    pdf = pd.DataFrame({"a": np.arange(10), "b": np.arange(10.0)})
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    filtered = df[df.a > 7]
    assert_eq(filtered.assign(c=filtered.b * 2), pdf[pdf.a > 7].assign(c=pdf[pdf.a > 7].b * 2))
    assert len(df[df.a > 100]) == 0


def test_to_datetime_and_dask_protocol(backend):
    pdf = pd.DataFrame({"d": ["2021-01-02", "2021-03-04", "2022-05-06", "2023-07-08"], "v": [1, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    assert_eq(gd.to_datetime(df.d), pd.to_datetime(pdf.d))
    import dask

    (total,) = dask.compute(df.v.sum(), scheduler="sync")
    assert total == 10
    (frame,) = dask.compute(df[df.v > 2], scheduler="sync")
    assert_eq(frame, pdf[pdf.v > 2])


@pytest.mark.parametrize("dtype", ["str", "string", "object"])
def test_to_datetime_of_text_with_unparsed_partitions(dtype):
    """A partition of no parsed value (and the metadata, from none) takes the microseconds pandas 3 parses text
    to, not seconds: the metadata and every partition agree with pandas' result."""
    s = pd.Series(["2021-01-01", "x", "2021-01-03", None, None, "y"], dtype=dtype)
    ds = gd.from_pandas(s, npartitions=3, backend="pandas")
    assert_eq(gd.to_datetime(ds, errors="coerce"), pd.to_datetime(s, errors="coerce"))


def test_unknown_divisions_of_different_counts_are_shuffled_by_index():
    # known divisions are aligned (tests/dataframe/test_align_map_dask.py); unknown ones meet by a shuffle
    a = gd.from_pandas(pd.DataFrame({"x": np.arange(10)}), npartitions=2).clear_divisions()
    c = gd.from_pandas(pd.DataFrame({"y": np.arange(10)}), npartitions=3).clear_divisions()
    assert_eq(a.x + c.y, pd.Series(np.arange(10) * 2), sort_results=True)


def test_to_datetime_guesses_one_format_for_the_collection(backend):
    """Without ``format=`` pandas guesses the format from the first value and parses every value with it; each
    partition guessed its own (``"13/02/2021"`` read day first in one partition, month first in another)."""
    s = pd.Series(["01/02/2021", "05/06/2021", "13/02/2021", "01/02/2021"])
    gs = gd.from_pandas(s, npartitions=2, backend=backend)
    tm.assert_series_equal(to_host(gd.to_datetime(gs, errors="coerce").compute()), pd.to_datetime(s, errors="coerce"))
    with pytest.raises(ValueError, match="doesn't match format"):
        gd.to_datetime(gs).compute()
    s = pd.Series([None, "05/01/2021", None, "13/01/2021", "10/02/2021"])
    tm.assert_series_equal(to_host(gd.to_datetime(gd.from_pandas(s, npartitions=3, backend=backend),
                                                  dayfirst=True).compute()), pd.to_datetime(s, dayfirst=True))


def test_map_dtype_does_not_depend_on_partitioning(backend):
    """A partition whose mapped values are all missing takes the collection's dtype (its float64 / objects made
    the whole result objects); a categorical mapped to text in some partitions and categories in others concatenates
    (it raised: no categories)."""
    import warnings

    s = pd.Series(["a", None, "b", "c", None, None], dtype="str")
    cs = pd.Series(["a", "b", None, "a"], dtype="category")
    got = gd.from_pandas(s, npartitions=3, backend=backend).map({"a": "x", "b": "y", "c": "z"}, meta=("s", "str"))
    tm.assert_series_equal(to_host(got.compute()), s.map({"a": "x", "b": "y", "c": "z"}), check_names=False)
    if backend != "pandas":
        return  # (cuDF maps text by no Python function)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (meta inferred)
        got = gd.from_pandas(s, npartitions=3).map(lambda x: x + "!", na_action="ignore")
        tm.assert_series_equal(got.compute(), s.map(lambda x: x + "!", na_action="ignore"))
        mapped = gd.from_pandas(cs, npartitions=2).map(lambda x: str(x) + "!").compute()
    assert mapped.astype(str).tolist() == cs.map(lambda x: str(x) + "!").tolist()


def test_row_apply_with_meta_over_empty_partitions(backend):
    """``apply(axis=1)`` giving new columns with ``meta=`` where a filter left a partition without rows (pandas
    gives such a partition back as it is: it failed the metadata check), as dask."""
    if backend != "pandas":
        pytest.skip("cuDF applies no Python function to rows")
    pdf = pd.DataFrame({"i": [1, 2, 3, 4], "f": [1.0, 2.0, 3.0, 4.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df, pdf = df[df.i > 2], pdf[pdf.i > 2]

    def pair(row):
        return pd.Series({"a": row.i, "b": row.f * 2})
    got = df.apply(pair, axis=1, meta={"a": "f8", "b": "f8"})
    tm.assert_frame_equal(got.compute(), pdf.apply(pair, axis=1).astype("float64"))


def test_where_and_mask_with_a_series_other_by_row(backend):
    """``where``/``mask(cond, series, axis=0)``: the Series matched by row, as pandas (``axis=`` was refused)."""
    pdf = pd.DataFrame({"a": [1.0, 2, 3, 4], "b": [4.0, 6, 9, 0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in (lambda x: x.where(x > 1, x["a"], axis=0), lambda x: x.mask(x > 1, x["a"], axis=0),
                lambda x: x.where(x > 2, -1.0, axis=0)):
        tm.assert_frame_equal(to_host(how(df).compute()), how(pdf))


def test_len_of_in_memory_partitions_runs_no_tasks(df, pdf):
    from gpuscale.dataframe.core import FrameBase

    def counted(self):
        raise AssertionError("len() of in-memory partitions computed a plan")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(FrameBase, "_length", counted)
        assert len(df) == len(df.x) == len(df[["x"]]) == len(df.persist()) == len(pdf)
    assert len(df[df.x > 2]) == int((pdf.x > 2).sum())  # a filter's rows are counted


def test_where_and_mask_keep_known_divisions(backend):
    # every row keeps its label, so the divisions stay known (they were dropped, and a later alignment with a
    # collection of known divisions took the unknown-divisions path: rows came back out of order)
    a, b = pd.Series(np.arange(10.0)), pd.Series(np.arange(12.0), index=np.arange(3, 15))
    s, other = gd.from_pandas(a, npartitions=2, backend=backend), gd.from_pandas(b, npartitions=1, backend=backend)
    frame = gd.from_pandas(a.to_frame("x"), npartitions=2, backend=backend)
    for got in (s.where(s > 3), s.mask(s > 3), s.where(s > 3, 0), frame.where(frame > 3),
                frame.mask(frame.x > 3, 0, axis=0)):
        assert got.known_divisions and got.divisions == s.divisions
    kept = s.where(s > 3)
    tm.assert_series_equal(to_host(kept.fillna(other).compute()), a.where(a > 3).fillna(b))
    tm.assert_series_equal(to_host((kept + other).compute()), a.where(a > 3) + b)


def _same(got, expected):
    """The computed collection ``got`` equals the pandas ``expected`` (a Series or DataFrame)."""
    host = to_host(got.compute())
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(host, expected)
        assert got.dtypes.equals(expected.dtypes)
    else:
        tm.assert_series_equal(host, expected)
        assert got.dtype == expected.dtype


@pytest.mark.parametrize("tz", [None, "UTC", "US/Eastern"])
def test_where_and_mask_with_a_timestamp_other(backend, tz):
    # a pd.Timestamp other reached cuDF as is, which refuses it (pyarrow: "Expected bytes, got a 'Timestamp'"); a
    # tz-aware column takes no scalar there at all, a column of its dtype instead
    pdf = pd.DataFrame({"t": pd.date_range("2020-01-01", periods=6, freq="9h", tz=tz), "i": range(6)})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    stamp = pd.Timestamp("2020-01-05", tz=tz)
    for how in (lambda x: x.t.where(x.i > 1, stamp), lambda x: x.t.mask(x.i > 3, stamp),
                lambda x: x[["t"]].where(x[["t"]] > stamp - pd.Timedelta("1D"), stamp)):
        _same(how(df), how(pdf))


@pytest.mark.parametrize("tz", [None, "UTC", "US/Eastern"])
@pytest.mark.parametrize("how", ["cummax", "cummin"])
def test_cummax_cummin_of_datetimes_over_partitions(backend, tz, how):
    # the carry of the partitions before (a tz-aware Timestamp) was handed to cuDF's where as is
    pdf = pd.DataFrame({"t": pd.to_datetime(["2020-01-03", "2020-01-01", None, "2020-01-02", "2020-01-05",
                                             "2020-01-04"]).tz_localize(tz)})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    tm.assert_series_equal(to_host(getattr(df.t, how)().compute()), getattr(pdf.t, how)())
    tm.assert_frame_equal(to_host(getattr(df, how)().compute()), getattr(pdf, how)())


@pytest.mark.parametrize("method", ["where", "mask"])
def test_where_and_mask_with_a_callable_cond_keep_missing_values(backend, method):
    # a callable ran on each partition: on cuDF ``x > 0`` is missing where x is, and cuDF's mask treats that as
    # True ([1, nan, -1, 2].mask(x > 0, 0) gave [0, 0, -1, 0]); it is now called with the collection, as pandas
    # calls it with the whole object
    pdf = pd.DataFrame({"f": [1.0, np.nan, -1.0, 2.0, np.nan], "g": [np.nan, 3.0, -2.0, 0.0, 5.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in (lambda x: getattr(x.f, method)(lambda v: v > 0, 0), lambda x: getattr(x, method)(lambda v: v > 0, 0),
                lambda x: getattr(x, method)(lambda v: v.f > 0, -1.0, axis=0)):
        _same(how(df), how(pdf))
