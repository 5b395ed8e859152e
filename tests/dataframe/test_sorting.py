"""sort_values (global order), top-n, nlargest/nsmallest, set_index with divisions."""

from __future__ import annotations

import numpy as np
import pandas as pd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.reductions import TreeReduce
from gpuscale.testing import assert_eq
from gpuscale.dataframe.expr.shuffle import RangeShuffle
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def df(pdf, backend):
    return gd.from_pandas(pdf, npartitions=6, backend=backend)


@pytest.mark.parametrize("by,ascending", [("x", True), ("y", False), (["k", "x"], [True, False]),
                                          (["j", "y", "x"], [False, True, True]), ("s", True), ("t", False)])
def test_sort_values_global_order(df, pdf, by, ascending):
    out = df.sort_values(by, ascending=ascending)
    expected = pdf.sort_values(by, ascending=ascending, kind="stable")
    got = out.compute()
    cols = by if isinstance(by, list) else [by]
    tm.assert_frame_equal(got[cols].reset_index(drop=True), expected[cols].reset_index(drop=True))
    tm.assert_frame_equal(got.sort_index(), pdf)
    assert list(out.expr.lower_completely().find_operations(RangeShuffle))


def test_series_sort_values(df, pdf):
    tm.assert_series_equal(df.y.sort_values().compute().reset_index(drop=True),
                           pdf.y.sort_values().reset_index(drop=True))


def test_sort_head_is_top_n(df, pdf):
    lazy = df.sort_values(["y", "x"], ascending=[False, True]).head(7, compute=False)
    plan = lazy.expr.optimize(fuse=False)
    assert isinstance(plan, TreeReduce) and not list(plan.find_operations(RangeShuffle))
    expected = pdf.sort_values(["y", "x"], ascending=[False, True]).head(7)
    tm.assert_frame_equal(lazy.compute(), expected)


@needs_pandas_3("nlargest orders tied rows otherwise")
@pytest.mark.parametrize("n", [1, 5, 40])
def test_nlargest_nsmallest(df, pdf, n):
    tm.assert_frame_equal(df.nlargest(n, "y").compute(), pdf.nlargest(n, "y"))
    tm.assert_frame_equal(df.nsmallest(n, ["k", "x"]).compute(), pdf.nsmallest(n, ["k", "x"]))
    tm.assert_series_equal(df.x.nlargest(n).compute(), pdf.x.nlargest(n))


def test_set_index_sorted_divisions(df, pdf):
    out = df.set_index("y")
    assert out.known_divisions
    divisions = out.divisions
    assert list(divisions) == sorted(divisions) and divisions[0] == pdf.y.min() and divisions[-1] == pdf.y.max()
    got = out.compute()
    assert got.index.is_monotonic_increasing
    tm.assert_frame_equal(to_host(got).sort_index(kind="stable"), pdf.set_index("y").sort_index(kind="stable"))
    for i in range(out.npartitions):  # each partition lies inside its divisions
        part = out.get_partition(i).compute()
        if len(part):
            assert divisions[i] <= part.index.min() and part.index.max() <= divisions[i + 1]


def test_set_index_already_sorted(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    out = df.set_index("t", sorted=True)
    assert out.divisions[0] == pdf.t.min() and out.divisions[-1] == pdf.t.max()
    tm.assert_frame_equal(out.compute(), pdf.set_index("t"))


@pytest.mark.parametrize("keys", [[1, 1, 2, 2, 2, 3], [1, 2, 2, 2, 2, 3], [5, 5, 5, 5, 5, 5], [1, 2, 2, 2, 3, 3]])
def test_set_index_sorted_moves_rows_at_shared_boundaries(keys, backend):
    # partitions that share a boundary value ([1, 1 | 2, 2 | 2, 3]): the rows at a boundary move to the partition
    # that boundary starts, as dask, so that every partition holds [division, next division)
    import dask.dataframe as dd

    pdf = pd.DataFrame({"k": keys, "v": np.arange(6.0)})
    out = gd.from_pandas(pdf, npartitions=3, backend=backend).set_index("k", sorted=True)
    expected = dd.from_pandas(pdf, npartitions=3).set_index("k", sorted=True)
    assert out.divisions == expected.divisions
    parts = [to_host(out.get_partition(i).compute()) for i in range(out.npartitions)]
    for part, want in zip(parts, [expected.get_partition(i).compute() for i in range(expected.npartitions)]):
        tm.assert_frame_equal(part, want)
    tm.assert_frame_equal(to_host(out.loc[keys[2]].compute()), pdf.set_index("k").loc[[keys[2]]])


def test_set_index_sorted_refuses_unsorted_partitions(backend):
    pdf = pd.DataFrame({"k": [3, 4, 1, 2], "v": np.arange(4.0)})
    with pytest.raises(ValueError, match="not sorted ascending by 'k'"):
        gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend).set_index("k", sorted=True)


def test_sort_unknown_column(df):
    with pytest.raises(KeyError, match="nope"):
        df.sort_values("nope")
    with pytest.raises(KeyError, match="nope"):
        df.set_index("nope")


@settings(max_examples=20, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-5, 5), st.just(None)), min_size=1, max_size=40),
       npartitions=st.integers(1, 5), ascending=st.booleans())
def test_sort_with_nans_duplicates_and_empty_partitions(values, npartitions, ascending):
    pdf = pd.DataFrame({"a": pd.array(values, dtype="float64"), "i": np.arange(len(values))})
    df = gd.from_pandas(pdf, npartitions=npartitions)
    got = df.sort_values(["a", "i"], ascending=ascending).compute()
    tm.assert_frame_equal(got, pdf.sort_values(["a", "i"], ascending=ascending))


def test_sort_values_over_more_partitions_than_one_tree_level():
    # more partitions than split_every: the sample tree has a combine level
    import gpuscale.dataframe as gd

    pdf = pd.DataFrame({"a": list(range(100))[::-1], "b": range(100)})
    out = gd.from_pandas(pdf, npartitions=9).sort_values("a").compute()
    tm.assert_frame_equal(out, pdf.sort_values("a"))


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-3, 3).map(float), st.just(float("nan"))), max_size=30),
       kind=st.sampled_from(["int", "float", "datetime"]))
def test_partition_sort_index_matches_pandas_stable_sort(values, kind):
    from gpuscale.backends.frame import sort_index

    index = pd.Index(values)
    if kind == "int":
        index = pd.Index(np.nan_to_num(np.asarray(values, dtype="float64"), nan=7).astype("int64"))
    elif kind == "datetime":
        index = pd.to_datetime(pd.Series(values) * 1e9)
    frame = pd.DataFrame({"row": np.arange(len(values))}, index=pd.Index(index, name="k"))
    tm.assert_frame_equal(sort_index(frame), frame.sort_index(kind="stable"))


@pytest.mark.parametrize("dtype, values", [("boolean", [True, None, False]), ("Int64", [3, None, 1]),
                                           ("Float64", [2.5, None, 1.0]), ("int64[pyarrow]", [3, None, 1])])
def test_sort_by_nullable_keys_with_missing_values(dtype, values):
    # pandas' NA of nullable numbers and booleans cannot be compared with the boundaries: they raised "boolean
    # value of NA is ambiguous" while the rows were split; they go last (or first), as pandas sorts them
    pdf = pd.DataFrame({"key": pd.array(values * 10, dtype=dtype), "x": range(30)})
    df = gd.from_pandas(pdf, npartitions=3, backend="pandas")
    pd.testing.assert_frame_equal(df.sort_values("key").compute(), pdf.sort_values("key", kind="stable"))
    expected = pdf.sort_values("key", ascending=False, na_position="first", kind="stable")
    pd.testing.assert_frame_equal(df.sort_values("key", ascending=False, na_position="first").compute(), expected)
    index = df.set_index("key").compute().index
    assert index[:10].notna().all() and index[-10:].isna().all()


@pytest.mark.parametrize("values", [[1.0, 2.0, np.nan], ["a", "b", None]])
def test_loc_of_the_largest_label_after_set_index_with_missing_keys(values):
    # the rows of missing keys sort last, into the last partition, past its division: loc of the largest label
    # took that partition whole and returned them too (56 rows for 27)
    rng = np.random.default_rng(7)
    pdf = pd.DataFrame({"key": rng.choice(values, 80), "w": rng.integers(0, 5, 80)})
    df = gd.from_pandas(pdf, npartitions=4, backend="pandas").set_index("key")
    expected = pdf.set_index("key").sort_index(kind="stable")
    for label in values[:2]:
        pd.testing.assert_frame_equal(df.loc[label].compute(), expected.loc[[label]])
    assert len(df.loc[values[0]:].compute()) == len(expected.loc[values[0]:])  # (pandas: the missing ones too)
    assert len(df.loc[:values[1]].compute()) == len(expected.loc[:values[1]])


@pytest.mark.parametrize("categories, ordered", [(None, False), (["y", "x", "z"], False), (["y", "x", "z"], True)])
def test_set_index_of_a_categorical_column(categories, ordered):
    # an unordered categorical has no min/max (set_index raised "Categorical is not ordered for operation min");
    # rows go in the categories' order, as pandas sorts them, and divisions are kept only where that order is
    # the values' own (loc and merges compare divisions as values)
    rng = np.random.default_rng(7)
    key = pd.Categorical(rng.choice(["x", "y", None], 80), categories=categories, ordered=ordered)
    pdf = pd.DataFrame({"key": key, "w": rng.integers(0, 5, 80)})
    df = gd.from_pandas(pdf, npartitions=4, backend="pandas").set_index("key")
    expected = pdf.set_index("key").sort_index(kind="stable")
    pd.testing.assert_frame_equal(df.compute(), expected)
    assert df.known_divisions == (categories is None or ordered)  # (ordered: divisions in category order)
    for label in ("x", "y"):
        assert len(df.loc[label].compute()) == (pdf.key == label).sum()


def test_sort_values_key_and_kind_as_pandas(backend):
    """pandas' ``key`` (applied to each key column) and ``kind`` (accepted: the sort is always stable)."""
    pdf = pd.DataFrame({"a": ["b", "A", "c", "B", "a", "C"], "n": [3, -1, 2, -5, 0, 1]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    assert_eq(df.sort_values("a", key=lambda s: s.str.lower(), kind="quicksort"),
              pdf.sort_values("a", key=lambda s: s.str.lower(), kind="stable"))
    assert_eq(df.sort_values(["n"], key=abs, ascending=False), pdf.sort_values(["n"], key=abs, ascending=False,
                                                                               kind="stable"))
    assert_eq(df.n.sort_values(key=lambda s: -s), pdf.n.sort_values(key=lambda s: -s))
    with pytest.raises(TypeError, match="callable"):
        df.sort_values("n", key="abs")


@pytest.mark.parametrize("npartitions", [1, 2, 3])
def test_nlargest_of_several_columns_with_nullable_na(backend, npartitions):
    """``nlargest``/``nsmallest`` of several columns whose first is a nullable float with NA: pandas itself loses
    rows of a partition such as ``[NA, 1.0, NA, 1.5]``, so candidates went missing (``[2.5, 1.0]`` for pandas'
    ``[2.5, 1.5]`` on the whole frame)."""
    skip_on_stand_in("pandas' own nlargest of nullable floats, which the stand-in runs, has the bug worked around "
                     "for pandas partitions; cuDF's columns are not pandas' masked arrays")
    pdf = pd.DataFrame({"F": pd.array([1.0, 1.0, 2.5, None, 1.0, None, 1.5], dtype="Float64"),
                        "i": [3, 1, 4, 0, 2, 1, 0]})
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for n in (2, 5):
        tm.assert_frame_equal(to_host(df.nlargest(n, ["F", "i"]).compute()), pdf.nlargest(n, ["F", "i"]))
        tm.assert_frame_equal(to_host(df.nsmallest(n, ["F", "i"]).compute()), pdf.nsmallest(n, ["F", "i"]))


@pytest.mark.parametrize("npartitions", [1, 2])
def test_sort_values_by_an_index_level_name(backend, npartitions):
    """pandas sorts by index level names among the keys (it raised KeyError 'column(s) ['idx'] not found')."""
    pdf = pd.DataFrame({"a": [2, 1, 2, 0], "b": [1.0, 2, 3, 4]}, index=pd.Index([0, 0, 1, 2], name="idx"))
    df = gd.from_pandas(pdf, npartitions=npartitions, backend=backend)
    for by, ascending in ((["idx", "a"], True), (["a", "idx"], [False, True]), ("idx", False)):
        got = df.sort_values(by, ascending=ascending)
        assert list(got.columns) == ["a", "b"]
        pd.testing.assert_frame_equal(to_host(got.compute()), pdf.sort_values(by, ascending=ascending, kind="stable"))


def test_sort_values_by_no_key_and_sort_index_ignore_index(backend):
    """``sort_values([])`` keeps the rows (it raised IndexError over several partitions); ``ignore_index=True``
    of ``sort_index`` numbers the rows 0 .. n-1 across partitions, as pandas (each partition started at 0)."""
    pdf = pd.DataFrame({"a": [3, 1, 2, 0, 5]}, index=[4, 3, 2, 1, 0])
    df = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend)
    pd.testing.assert_frame_equal(to_host(df.sort_values([]).compute()), pdf.sort_values([]))
    pd.testing.assert_frame_equal(to_host(df.sort_values([], ignore_index=True).compute()),
                                  pdf.sort_values([], ignore_index=True))
    for frame, expected in ((df, pdf), (df.a, pdf.a)):
        got = to_host(frame.sort_index(ignore_index=True).compute())
        assert got.index.tolist() == list(range(5)) and got.tolist() == expected.sort_index().tolist() \
            if expected.ndim == 1 else got.a.tolist() == expected.sort_index().a.tolist()
    wide = pd.DataFrame({"b": [1, 2], "a": [3, 4]})
    got = to_host(gd.from_pandas(wide, npartitions=2, backend=backend).sort_index(axis=1, ignore_index=True).compute())
    pd.testing.assert_frame_equal(got, wide.sort_index(axis=1, ignore_index=True), check_column_type=False)


@pytest.mark.parametrize("columns", [["x", "y"], pd.Index(["x", "y"], dtype=object), [1, 2]])
def test_idxmax_result_indexed_by_the_columns_dtype(backend, columns):
    """The metadata of ``DataFrame.idxmax()`` said object where its index holds the columns' str labels."""
    pdf = pd.DataFrame([[1.0, 3], [3.0, 2], [2.0, 1]], columns=columns)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    for how in ("idxmax", "idxmin"):
        got = getattr(df, how)()
        expected = getattr(pdf, how)()
        assert to_host(got._meta).index.dtype == expected.index.dtype
        pd.testing.assert_series_equal(to_host(got.compute()), expected)


@pytest.mark.parametrize("column", ["float16", "duration"])
def test_sort_and_quantile_of_keys_without_a_pandas_index_of_their_own(backend, column):
    # float16 (pandas has no float16 Index) and Arrow durations (compared as Timedeltas) split at boundaries
    import pyarrow as pa

    if backend == "cudf":
        skip_on_stand_in("cuDF has neither float16 nor Arrow-typed columns")
    values = {"float16": np.array([3, 1, 2, 0, 7, 5], dtype="float16"),
              "duration": pd.array([pd.Timedelta(s, "s") if s is not None else None for s in [2, None, 1, 7, 3, 5]],
                                   dtype=pd.ArrowDtype(pa.duration("ns")))}[column]
    frame = pd.DataFrame({"a": values, "b": range(6)})
    df = gd.from_pandas(frame, npartitions=3, backend=backend)
    tm.assert_frame_equal(to_host(df.sort_values("a").compute()), frame.sort_values("a"))
    if column == "float16":
        assert df.a.quantile(0.5).compute() == frame.a.quantile(0.5)
