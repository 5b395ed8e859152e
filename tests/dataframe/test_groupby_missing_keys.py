"""groupby methods on whole groups where a partition's rows all miss a key (``dropna=True`` keeps no group of
them): pandas' result of no group has another layout, or pandas fails, so such partitions give the metadata."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import PANDAS_3


@pytest.fixture
def pdf() -> pd.DataFrame:
    return pd.DataFrame({"k": ["a", None, None, "b", "a", "b"], "s": ["u", "v", "v", "u", "u", "w"],
                         "x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0], "y": [1, 2, 3, 5, 4, 6]},
                        index=pd.date_range("2024-01-01", periods=6, freq="h"))


def _same(got, expected):
    got = to_host(got.compute()).sort_index()
    expected = expected.sort_index()
    assert list(got.index.names) == list(expected.index.names)
    if isinstance(expected, pd.DataFrame):
        tm.assert_frame_equal(got, expected, check_index_type=False, check_freq=False)
    else:
        tm.assert_series_equal(got, expected, check_index_type=False, check_freq=False)


@pytest.mark.parametrize("how", [lambda g: g.x.nlargest(1), lambda g: g[["x", "y"]].corr(), lambda g: g.x.describe(),
                                 lambda g: g.x.transform(lambda s: s - s.mean()),
                                 lambda g: g[["x", "y"]].transform(lambda s: s * 2)],
                         ids=["nlargest", "corr", "describe", "transform-series", "transform-frame"])
def test_per_group_results_keep_their_layout(pdf, backend, how):
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    _same(how(df.groupby("k")), how(pdf.groupby("k")))


@pytest.mark.parametrize("window", [lambda g: g.rolling(2).mean(), lambda g: g.expanding().sum(),
                                    lambda g: g.ewm(com=1.0).mean(), lambda g: g.rolling("2h").sum()],
                         ids=["rolling", "expanding", "ewm", "rolling-time"])
@pytest.mark.parametrize("by", [["k", "s"], "k"])
@pytest.mark.parametrize("npartitions", [3, 6])
def test_windows_per_group_with_missing_keys(pdf, window, by, npartitions):
    """(Several keys and no group kept: pandas raised "need at least one array to concatenate"; a time window's
    overlap lost rows after the rows of missing keys.)"""
    df = gd.from_pandas(pdf, npartitions=npartitions, backend="pandas")
    _same(window(df.groupby(by).y), window(pdf.groupby(by).y))
    _same(window(df.groupby(by, dropna=False).y), window(pdf.groupby(by, dropna=False).y))


@pytest.mark.parametrize("npartitions", [2, 3])
def test_apply_where_a_partitions_keys_all_miss(pdf, backend, npartitions):
    """``apply`` of a function adding a column: pandas gives a frame whose keys all miss back unchanged (without
    the new column), so the partition of the missing keys made the result's new column float; it is empty."""
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    add = lambda d: d.assign(q=d["y"] * 2)  # noqa: E731
    got = df.groupby("k", group_keys=False)[["y"]].apply(add, meta={"y": "int64", "q": "int64"})
    expected = pdf.groupby("k", group_keys=False)[["y"]].apply(add)
    for i in range(got.npartitions):
        assert to_host(got.get_partition(i).compute()).dtypes.to_dict() == expected.dtypes.to_dict()
    _same(got, expected)


@pytest.mark.parametrize("npartitions", [1, 2, 3, 4])
def test_apply_with_a_declared_dtype_keeps_the_functions_dtype_at_any_partitioning(backend, npartitions):
    """A declared ``meta`` dtype other than the function's: every partition gives the function's (int64 sums),
    partitions of no group too, so the result's dtype is pandas' and dask's whatever the partitioning (a
    partition of no group gave the declared float64, which the concat then gave the whole result)."""
    pdf = pd.DataFrame({"k": ["a", "b", "a", "c"], "v": [1, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    got = df.groupby("k").v.apply(lambda x: x.sum(), meta=("v", "float64"))
    expected = pdf.groupby("k").v.apply(lambda x: x.sum())
    for i in range(got.npartitions):
        assert to_host(got.get_partition(i).compute()).dtype == expected.dtype
    _same(got, expected)


def test_function_results_all_missing_in_a_partition_keep_the_dtype(backend):
    """A partition whose function results are all missing: pandas gives them object dtype, and the whole result
    was object; each partition now has the metadata's (and pandas') string / float64 dtype."""
    pdf = pd.DataFrame({"a": [0, 0, 1, 1], "s": pd.array(["u", "v", "w", None], dtype="string"),
                        "x": [1.0, 2, 3, 4]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    gb, pgb = df.groupby("a"), pdf.groupby("a")
    last, some = (lambda s: s.iloc[-1]), (lambda s: None if s.iloc[0] > 2 else s.sum())  # noqa: E731
    cases = [(gb.x.apply(some), pgb.x.apply(some)), (gb.x.agg(some), pgb.x.agg(some))]
    if backend == "pandas":  # (cuDF's text is object, as its metadata's)
        cases += [(gb.s.agg(last), pgb.s.agg(last)), (gb.s.apply(last), pgb.s.apply(last))]
    for got, expected in cases:
        assert got.dtype == expected.dtype
        _same(got, expected)


def test_every_key_missing(pdf):
    pdf = pdf.assign(k=np.nan)
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    # (no rows, in the layout of a result with groups: pandas' own result of no group has fewer index levels)
    assert to_host(df.groupby("k").x.nlargest(1).compute()).index.names == ["k", None]
    assert len(df.groupby(["k", "s"]).y.rolling(2).sum().compute()) == 0


@pytest.mark.parametrize("window", [lambda g: g.rolling(2).sum(), lambda g: g.expanding().mean(),
                                    lambda g: g.ewm(com=1).mean()], ids=["rolling", "expanding", "ewm"])
def test_windows_where_a_partition_holds_only_the_missing_category(backend, window):
    """``dropna=False`` with a categorical key: a partition holding only the missing key's rows after the shuffle
    keeps no group, as pandas leaves that group out of its windows (pandas failed on such a partition: 'need at
    least one array to concatenate')."""
    pdf = pd.DataFrame({"c": pd.Categorical(["p", None, "p", "q", None, "q"]), "x": [1.0, 2, 3, 4, 5, 6]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    expected = window(pdf.groupby("c", observed=True, dropna=False).x)
    got = to_host(window(df.groupby("c", observed=True, dropna=False).x).compute())
    tm.assert_series_equal(got.sort_index(level=-1), expected.sort_index(level=-1), check_index_type=False)


def test_numbers_of_groups_when_every_key_is_missing(pdf):
    pdf = pdf.assign(k=np.nan)
    df = gd.from_pandas(pdf, npartitions=2, backend="pandas")
    for ascending in (True, False):
        _same(df.groupby("k").ngroup(ascending=ascending), pdf.groupby("k").ngroup(ascending=ascending))
        _same(df.groupby("k").cumcount(ascending=ascending), pdf.groupby("k").cumcount(ascending=ascending))


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_transform_of_a_function_by_a_nullable_key_with_na(backend, npartitions):
    """``dropna=False``: a partition holding one group and then the group of NA made pandas' transform fail
    ('boolean value of NA is ambiguous', comparing the groups' names); the result is pandas' of the whole frame."""
    pdf = pd.DataFrame({"k": pd.array([1, None, 2, None, 1, 2], dtype="Int64"), "i": [5, 3, 2, 7, 1, 4]})
    gb = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).groupby("k", dropna=False)
    low = lambda s: s - s.min()  # noqa: E731
    _same(gb.i.transform(low, meta=("i", "i8")), pdf.groupby("k", dropna=False).i.transform(low))


@pytest.mark.parametrize("dtype", ["Int64", "boolean", "int64[pyarrow]"])
@pytest.mark.parametrize("dropna", [True, False])
def test_group_numbers_of_nullable_keys_with_na(backend, dtype, dropna):
    """``ngroup`` / ``cumcount(ascending=False)`` with NA in a nullable key (the numbers were cast to int64 as if
    such keys could not be missing: IntCastingNaNError)."""
    keys = [1, None, 0, 1, None, 0] if dtype != "boolean" else [True, None, False, True, None, False]
    pdf = pd.DataFrame({"k": pd.array(keys, dtype=dtype), "x": np.arange(6.0)})
    gb, pgb = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby("k", dropna=dropna), \
        pdf.groupby("k", dropna=dropna)
    tm.assert_series_equal(to_host(gb.ngroup().compute()), pgb.ngroup())
    tm.assert_series_equal(to_host(gb.cumcount(ascending=False).compute()), pgb.cumcount(ascending=False))


def test_unobserved_categories(backend):
    """``observed=False``: ``ngroup`` numbers the groups holding rows (it counted unobserved categories), and a
    sum/product with ``min_count`` >= 1 is missing for them (it gave 0 / 1)."""
    pdf = pd.DataFrame({"k": pd.Categorical(["a", "b", "a", "b"], categories=["z", "a", "b"]),
                        "x": [1.0, 2, 3, 4], "y": [1, 2, 3, 4]})
    gb, pgb = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby("k", observed=False), \
        pdf.groupby("k", observed=False)
    tm.assert_series_equal(to_host(gb.ngroup().compute()), pgb.ngroup())
    for kw in ({}, {"min_count": 1}):
        tm.assert_frame_equal(to_host(gb.sum(**kw).compute()), pgb.sum(**kw))
        tm.assert_series_equal(to_host(gb.x.prod(**kw).compute()), pgb.x.prod(**kw))
    tm.assert_frame_equal(to_host(gb.agg("sum", min_count=1).compute()), pgb.agg("sum", min_count=1))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_agg_of_functions_with_unobserved_categories(backend, npartitions):
    """``observed=False``: ``agg`` of a function gives the groups of unobserved categories its value of no rows,
    as pandas calls it on the empty group (a sum was missing; ``len`` failed casting the missing value to
    int64)."""
    pdf = pd.DataFrame({"c": pd.Categorical(["p", "q", "p"], categories=["p", "q", "r"]), "x": [1.0, 2.0, 3.0],
                        "y": [1, 2, 3]})
    gb = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).groupby("c", observed=False)
    pgb = pdf.groupby("c", observed=False)
    total, size = (lambda s: s.sum()), (lambda s: len(s))  # noqa: E731
    _same(gb.x.agg(total), pgb.x.agg(total))
    _same(gb.x.agg(size), pgb.x.agg(size))
    _same(gb.agg(total), pgb.agg(total))
    _same(gb.agg(["sum", size]), pgb.agg(["sum", size]))
    _same(gb.agg({"x": lambda s: s.max(), "y": size}), pgb.agg({"x": lambda s: s.max(), "y": size}))


@pytest.mark.parametrize("npartitions", [1, 3])
@pytest.mark.parametrize("keys", ["k", ["k", "c"]])
def test_apply_with_unobserved_categories(backend, npartitions, keys):
    """``observed=False``: ``apply`` gives the groups of unobserved categories the function's value of no rows, as
    pandas (they were left out); a function keeping the rows adds none."""
    pdf = pd.DataFrame({"k": pd.Categorical(list("abaabab"), categories=["z", "a", "b", "e"]),
                        "c": pd.Categorical(list("xyxyxyx"), categories=["x", "y", "w"]),
                        "x": [1.0, 2, 3, 4, 5, 6, 7], "y": [1, 2, 3, 4, 5, 6, 7]})
    gb = gd.from_pandas(pdf, npartitions=npartitions, backend=backend).groupby(keys, observed=False)
    pgb = pdf.groupby(keys, observed=False)
    total = lambda s: s.sum()  # noqa: E731
    _same(gb.x.apply(total, meta=("x", "f8")), pgb.x.apply(total))
    _same(gb.y.apply(len, meta=("y", "i8")), pgb.y.apply(len))
    _same(gb[["x", "y"]].apply(total, meta={"x": "f8", "y": "f8"}), pgb[["x", "y"]].apply(total))
    kept = lambda d: d.assign(q=d.y * 2)  # noqa: E731
    _same(gb[["y"]].apply(kept, meta={"y": "i8", "q": "i8"}), pgb[["y"]].apply(kept))


@pytest.mark.parametrize("keys", ["c", ["c", "d"], ["d", "c"]], ids=str)
def test_apply_with_unobserved_categories_and_a_missing_key(backend, keys):
    """``observed=False, dropna=False`` over several partitions: the missing key's groups crossed with the other
    key's categories get the function's value of no rows too, as pandas (``(nan, 'm')`` was left out), and
    sort as pandas' result (the missing key last)."""
    pdf = pd.DataFrame({"c": pd.Categorical(["p", None, "q", "p"], categories=["p", "q"]),
                        "d": pd.Categorical(["m", "n", "m", "n"], categories=["m", "n"]), "x": [1.0, 2, 3, 4]})
    gb = gd.from_pandas(pdf, npartitions=2, backend=backend).groupby(keys, observed=False, dropna=False)
    pgb = pdf.groupby(keys, observed=False, dropna=False)
    _same(gb.x.apply(len, meta=("x", "i8")), pgb.x.apply(len))
    _same(gb.x.apply(lambda s: s.sum(), meta=("x", "f8")), pgb.x.apply(lambda s: s.sum()))


def test_apply_with_unobserved_categories_beside_other_keys():
    """Several partitions and a key that is not categorical: a clear error, not a result without the groups of
    unobserved categories."""
    pdf = pd.DataFrame({"k": pd.Categorical(list("abab"), categories=list("abz")), "s": [1, 1, 2, 2], "x": [1.0] * 4})
    gb = gd.from_pandas(pdf, npartitions=2).groupby(["k", "s"], observed=False)
    with pytest.raises(NotImplementedError, match="every key categorical"):
        gb.x.apply(len, meta=("x", "i8"))
    one = gd.from_pandas(pdf, npartitions=1).groupby(["k", "s"], observed=False)
    _same(one.x.apply(len, meta=("x", "i8")), pdf.groupby(["k", "s"], observed=False).x.apply(len))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_missing_category_group_comes_last(backend, npartitions):
    """``dropna=False`` with a categorical key: the missing key's group is last, as pandas' groupby puts it
    (pandas' ``sort_index`` took codes with -1 first as sorted and left it first)."""
    pdf = pd.DataFrame({"c": pd.Categorical([None, "a", "b"]), "x": [1.0, 2, 3], "k2": [1, 1, 2]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for keys in ("c", ["c", "k2"]):
        gb, pgb = df.groupby(keys, dropna=False, observed=True), pdf.groupby(keys, dropna=False, observed=True)
        for how in ("sum", "count", "first", "median"):
            tm.assert_series_equal(to_host(getattr(gb.x, how)().compute()), getattr(pgb.x, how)())


def test_nullable_columns_and_keys_keep_pandas_dtypes(backend):
    """``size()`` of a nullable or Arrow column is of its kind (``Int64``), as pandas and the metadata (it was
    int64); a nullable boolean key without missing values keeps integer transforms integer (the metadata said
    float64: its sample key was NA)."""
    pdf = pd.DataFrame({"k": [1, 1, 2], "v": pd.array([1, None, 3], dtype="Int64"),
                        "w": pd.array([1, None, 3], dtype="int64[pyarrow]")})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for column in ("v", "w") if backend == "pandas" else ("v",):  # (cuDF holds no Arrow dtypes)
        tm.assert_series_equal(to_host(df.groupby("k")[column].size().compute()), pdf.groupby("k")[column].size())
    flags = pd.DataFrame({"a": pd.array([True, True, False, True], dtype="boolean"), "v": [4, 5, 6, 7]})
    gb = gd.from_pandas(flags, npartitions=4, backend=backend).groupby("a")
    for how in (lambda g: g.v.transform("sum"), lambda g: g.v.cumsum()):
        got, expected = how(gb), how(flags.groupby("a"))
        assert got._meta.dtype == expected.dtype
        tm.assert_series_equal(to_host(got.compute()).sort_index(), expected)


def test_row_wise_results_of_no_rows_keep_the_frame_index(backend):
    """Row-wise groupby results (``shift``, ``rank``, ``ffill``, ``head``) of no rows with a categorical key keep
    the frame's index, as pandas and the metadata (they were indexed by the empty key)."""
    pdf = pd.DataFrame({"k": pd.Categorical(["a", "b"]), "v": [1.0, 2.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in (lambda g: g.v.shift(1), lambda g: g.v.rank(), lambda g: g.v.ffill(), lambda g: g.head(1)):
        got = how(df[df.v > 5].groupby("k", observed=True))
        expected = how(pdf[pdf.v > 5].groupby("k", observed=True))
        for index in (to_host(got.compute()).index, to_host(got._meta).index):
            assert index.dtype.kind == expected.index.dtype.kind == "i" and index.name == expected.index.name


@pytest.mark.parametrize("keys", [["x", "y", "c"], ["c", "x"], ["x", "c", "d"], ["y", "c", "x", "d"]], ids=str)
def test_unobserved_categories_cross_the_combinations_that_occur(backend, keys):
    """``observed=False`` with categorical and other keys: every category crossed with the combinations of the
    other keys that occur, as pandas 3 (the product of every key's values gave 27 groups for pandas' 9)."""
    pdf = pd.DataFrame({"x": [1, 2, 1, 3], "y": ["a", "b", "a", "c"],
                        "c": pd.Categorical(["u", "v", "u", "u"], categories=["u", "v", "w"]),
                        "d": pd.Categorical(["p", "p", "q", "p"], categories=["p", "q"])})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    tm.assert_series_equal(to_host(df.groupby(keys, observed=False).size().compute()),
                           pdf.groupby(keys, observed=False).size())
    if keys == ["x", "y", "c"] and PANDAS_3:  # (pandas 2.2's value_counts shows the observed groups only)
        tm.assert_series_equal(to_host(df[keys].value_counts().compute()).sort_index(),
                               pdf[keys].value_counts().sort_index())
