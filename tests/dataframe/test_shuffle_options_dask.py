"""dask's keywords of shuffle / sort_values / set_index (shuffle_method=, sort=, na_position=,
sort_function=, on=collection ...): results checked against pandas and, where dask runs the same call,
against dask."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.dataframe.expr.shuffle import HashShuffle, RangeShuffle
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import sort_rows, to_host

METHODS = [None, "tasks", "disk"]


@pytest.fixture
def pdf() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    a = rng.integers(0, 40, 60).astype("float64")
    a[::7] = np.nan
    return pd.DataFrame({"a": a, "b": rng.integers(0, 5, 60), "c": np.arange(60)})


def _shuffles(collection, kind) -> list:
    return list(collection.expr.lower_completely().find_operations(kind))


@pytest.mark.parametrize("method", METHODS)
def test_shuffle_method_values_give_the_pandas_rows(pdf, backend, method):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    shuffled = df.shuffle("b", shuffle_method=method, npartitions=3)
    assert shuffled.npartitions == 3
    parts = [to_host(shuffled.partitions[i].compute()) for i in range(3)]
    owners = {key: i for i, p in enumerate(parts) for key in p.b}
    assert all(owners[key] == i for i, p in enumerate(parts) for key in p.b)  # equal keys meet
    tm.assert_frame_equal(sort_rows(pd.concat(parts)), sort_rows(pdf))
    expected = pdf.sort_values("a", na_position="first", kind="stable")
    got = df.sort_values("a", na_position="first", shuffle_method=method).compute()
    tm.assert_frame_equal(to_host(got), expected)
    indexed = df.set_index("c", shuffle_method=method)
    tm.assert_frame_equal(to_host(indexed.compute()), pdf.set_index("c"))


def test_shuffle_method_tasks_is_kept_and_unknown_values_are_refused(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert _shuffles(df.shuffle("b", shuffle_method="tasks"), HashShuffle)[0].method == "tasks"
    assert _shuffles(df.sort_values("a", shuffle_method="tasks"), RangeShuffle)[0].method == "tasks"
    for call in (lambda: df.shuffle("b", shuffle_method="bogus"),
                 lambda: df.sort_values("a", shuffle_method="bogus"),
                 lambda: df.set_index("a", shuffle_method="bogus")):
        with pytest.raises(ValueError, match="shuffle_method='bogus'"):
            call()
    with pytest.raises(ValueError, match="needs a distributed cluster"):  # as dask, P2P needs a cluster
        df.shuffle("b", shuffle_method="p2p").compute()


@pytest.mark.parametrize("nparts", [1, 5])
@pytest.mark.parametrize("by,ascending", [("a", True), ("a", False), (["a", "b"], [False, True])])
@pytest.mark.parametrize("na_position", ["first", "last"])
def test_sort_values_na_position_matches_pandas_and_dask(pdf, backend, nparts, by, ascending, na_position):
    df = gd.from_pandas(pdf, npartitions=nparts, backend=backend)
    got = to_host(df.sort_values(by, ascending=ascending, na_position=na_position).compute())
    expected = pdf.sort_values(by, ascending=ascending, na_position=na_position, kind="stable")
    tm.assert_frame_equal(got, expected)
    theirs = dd.from_pandas(pdf, npartitions=nparts).sort_values(by, ascending=ascending, na_position=na_position)
    keys = [by] if isinstance(by, str) else by  # (dask's order of ties is not pandas' stable one)
    tm.assert_frame_equal(got[keys].reset_index(drop=True), theirs.compute()[keys].reset_index(drop=True))


def test_sort_values_head_keeps_na_position(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    got = to_host(df.sort_values("a", na_position="first").head(10))
    tm.assert_frame_equal(got, pdf.sort_values("a", na_position="first", kind="stable").head(10))


def test_sort_values_options(pdf, backend):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    out = df.sort_values("b", npartitions=2, ignore_index=True)
    assert out.npartitions == 2
    got = to_host(out.compute())
    tm.assert_series_equal(got.b.reset_index(drop=True), pdf.b.sort_values().reset_index(drop=True))
    assert list(got.index) == list(range(len(pdf)))  # numbered 0 .. n-1 in sorted order, as pandas and dask's compute
    first = len(to_host(out.partitions[0].compute()))
    assert list(to_host(out.partitions[1].compute()).index) == list(range(first, len(pdf)))  # positions go on
    with pytest.raises(ValueError, match="na_position must be either 'first' or 'last'"):
        df.sort_values("a", na_position="middle")
    with pytest.raises(ValueError, match="length"):
        df.sort_values("a", ascending=[True, False])


def test_sort_function_gets_dask_keywords(pdf, backend):
    seen = []

    def sort_function(part, by_columns, by, ascending, na_position, ignore_index):
        seen.append((by, ascending, na_position, ignore_index))
        return part.sort_values(by_columns, ascending=ascending, na_position=na_position)

    df = gd.from_pandas(pdf.fillna(-1), npartitions=4, backend=backend)
    got = df.sort_values("b", sort_function=sort_function, sort_function_kwargs={"by_columns": ["b", "c"]})
    expected = pdf.fillna(-1).sort_values(["b", "c"])
    tm.assert_frame_equal(to_host(got.compute()), expected)
    assert set(seen) == {("b", True, "last", False)}


@pytest.mark.parametrize("on", ["series", "frame", "labels"])
def test_shuffle_on_collections_and_label_lists(pdf, backend, on):
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    key = {"series": df.b, "frame": df[["b"]], "labels": pd.Series(["b"])}[on]
    by_values = df.shuffle(key, npartitions=3)
    by_name = df.shuffle("b", npartitions=3)
    for i in range(3):  # the same rows meet as when shuffling by the column's name
        tm.assert_frame_equal(to_host(by_values.partitions[i].compute()), to_host(by_name.partitions[i].compute()))
    doubled = df.shuffle(df.b * 2, npartitions=3)  # values that are no column of df
    parts = [to_host(doubled.partitions[i].compute()) for i in range(3)]
    assert list(parts[0].columns) == list(pdf.columns)
    assert len({i for i, p in enumerate(parts) for key in p.b if key == 3}) <= 1
    tm.assert_frame_equal(sort_rows(pd.concat(parts)), sort_rows(pdf))


def test_shuffle_on_index_and_ignore_index(pdf, backend):
    df = gd.from_pandas(pdf.set_index("b"), npartitions=4, backend=backend)
    by_index = to_host(df.shuffle(on_index=True).compute())
    tm.assert_frame_equal(sort_rows(by_index.reset_index()), sort_rows(pdf[["b", "a", "c"]]))
    with pytest.raises(TypeError, match="either on= or on_index=True"):
        df.shuffle("a", on_index=True)
    flat = to_host(df.shuffle("c", ignore_index=True, npartitions=2).compute())
    assert sorted(flat.c) == sorted(pdf.c) and flat.index.name is None


@pytest.mark.parametrize("drop", [True, False])
@pytest.mark.parametrize("append", [True, False])
def test_set_index_without_sort_is_pandas_per_partition(backend, drop, append):
    pdf = pd.DataFrame({"col1": [2, 4, 1, 3, 5], "col2": [1, 2, 3, 4, 5]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    out = df.set_index("col1", sort=False, drop=drop, append=append)
    assert not out.known_divisions
    tm.assert_frame_equal(to_host(out.compute()), pdf.set_index("col1", drop=drop, append=append))
    theirs = dd.from_pandas(pdf, npartitions=2).set_index("col1", sort=False, drop=drop, append=append)
    tm.assert_frame_equal(to_host(out.compute()), theirs.compute())


def test_set_index_checks_its_options(backend):
    pdf = pd.DataFrame({"x": [4, 1, 2, 5], "y": [1, 2, 3, 4]}, index=[10, 20, 30, 40])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.raises(ValueError, match="sorted"):
        df.set_index("x", divisions=[3, 1, 5])
    with pytest.raises(ValueError, match="at least two"):
        df.set_index("x", divisions=[])
    with pytest.raises(ValueError, match="repartition"):
        df.set_index("x", sort=False, npartitions=3)
    with pytest.raises(ValueError, match="partitions of the frame"):
        df.set_index("x", sorted=True, divisions=[1, 5])
    with pytest.raises(NotImplementedError, match="multi-indexes"):
        df.set_index(["x", "y"])
    tm.assert_frame_equal(to_host(df.set_index(["x"]).compute()), pdf.set_index("x").sort_index())
    assert df.set_index(df.index) is df


def test_set_index_of_sorted_data_needs_no_shuffle(backend):
    pdf = pd.DataFrame({"x": range(100), "y": range(100)})
    df = gd.from_pandas(pdf, npartitions=10, sort=False, backend=backend).clear_divisions()
    out = df.set_index("x")
    assert not _shuffles(out, RangeShuffle)
    assert out.divisions == (*range(0, 100, 10), 99)
    tm.assert_frame_equal(to_host(out.compute()), pdf.set_index("x"))
    backwards = gd.from_pandas(pdf.iloc[::-1], npartitions=10, sort=False, backend=backend)
    assert _shuffles(backwards.set_index("x"), RangeShuffle)
    tm.assert_frame_equal(to_host(backwards.set_index("x").compute()), pdf.set_index("x"))


def test_set_index_sorted_drops_empty_partitions(backend):
    pdf = pd.DataFrame({"a": [1, 2, 2, 3, 3, 3, 4, 5], "b": [1, 1, 0, 0, 0, 1, 0, 0]})
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    out = df[df.b == 1].set_index("a", sorted=True)
    theirs = dd.from_pandas(pdf, npartitions=4)
    assert out.divisions == theirs[theirs.b == 1].set_index("a", sorted=True).divisions == (1, 3, 3)
    tm.assert_frame_equal(to_host(out.compute()), pdf[pdf.b == 1].set_index("a"))


def test_set_index_of_an_index_collection_goes_by_position(backend):
    dates = pd.date_range("2022-02-22", freq="16h", periods=12) - pd.Timedelta(seconds=30)
    pdf = pd.DataFrame({"x": [1, 2, 3, 4] * 3, "y": range(12)}, index=dates)
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    got = df.set_index(df.index.dt.floor("D"))
    tm.assert_frame_equal(to_host(got.compute()), pdf.set_index(dates.floor("D")))
    shifted = df.set_index(df.x + 10)
    tm.assert_frame_equal(to_host(shifted.compute()), pdf.set_index(pdf.x + 10).sort_index(kind="stable"))


def test_assert_eq_sort_results(backend):
    pdf = pd.DataFrame({"a": [3, 1, 2], "b": [1.0, 2.0, 3.0]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    gd.assert_eq(df, pdf.iloc[::-1], sort_results=True)
    gd.assert_eq(df, pdf.iloc[::-1])  # dask's default: rows in any order
    with pytest.raises(AssertionError):
        gd.assert_eq(df, pdf.iloc[::-1], sort_results=False)
    with pytest.raises(AssertionError):
        gd.assert_eq(df, pdf.assign(a=[3, 1, 9]), sort_results=True)


def test_hash_shuffle_meets_bool_keys_that_gained_missing_values(backend):
    if backend != "pandas":  # cuDF's outer merge keeps a bool column bool (with nulls); pandas makes it object
        pytest.skip("pandas' object bool columns")
    left = pd.DataFrame({"A": [True, False] * 50, "B": range(100)})
    right = pd.DataFrame({"B": [2, 109, 345, 50, 95], "C": [3, 2, 3, 7, 1]})
    merged = gd.merge(gd.from_pandas(left, npartitions=10, backend=backend),
                      gd.from_pandas(right, npartitions=1, backend=backend), how="outer", on="B")
    got = to_host(merged.groupby("A").size(split_out=3).compute()).sort_index()
    expected = pd.merge(left, right, how="outer", on="B").groupby("A").size()
    tm.assert_series_equal(got, expected, check_index_type=False, check_dtype=False)
    meta = pd.Series(dtype=int, index=pd.Index([], dtype=bool, name="A"), name="A")
    applied = merged.groupby("A").apply(lambda part: len(part), meta=meta)  # a partition of only missing keys
    tm.assert_series_equal(to_host(applied.compute()).sort_index(), expected.rename("A"), check_index_type=False,
                           check_dtype=False)


def test_shuffle_method_on_a_cluster(pdf, backend):
    distributed = pytest.importorskip("distributed")
    from gpuscale.runtime.distributed import building_graph_for

    def transfers(collection) -> int:
        with building_graph_for(True):
            return sum("p2p-transfer" in str(key) for key in collection.__dask_graph__())

    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert transfers(df.sort_values("a", shuffle_method="p2p")) and transfers(df.shuffle("b", shuffle_method="disk"))
    assert not transfers(df.sort_values("a", shuffle_method="tasks"))  # dask's task shuffle, also on a cluster
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster):
        for method in ("p2p", "tasks"):
            got = df.sort_values("a", na_position="first", shuffle_method=method).compute()
            tm.assert_frame_equal(to_host(got), pdf.sort_values("a", na_position="first", kind="stable"))


def test_set_index_of_arrow_decimals(backend):
    if backend != "pandas":
        pytest.skip("pyarrow extension dtypes are pandas' (cuDF has its own decimals)")
    from decimal import Decimal

    import pyarrow as pa

    pdf = pd.DataFrame({"a": 1, "d": pd.Series([Decimal("5"), Decimal("6.24"), Decimal("1.5")],
                                               dtype=pd.ArrowDtype(pa.decimal128(10, 2)))})
    out = gd.from_pandas(pdf, npartitions=2, backend=backend).set_index("d")
    tm.assert_frame_equal(out.compute(), pdf.set_index("d").sort_index())


def test_set_index_of_categories_in_their_order_is_shuffled(backend):
    dtype = pd.CategoricalDtype(["c", "b", "a"], ordered=True)
    pdf = pd.DataFrame({"k": pd.Series(["a", "a", "b", "c", "c"], dtype=dtype), "v": range(5)})
    df = gd.from_pandas(pdf, npartitions=2, sort=False, backend=backend)  # partitions hold a..a | b..c by value
    out = df.set_index("k")
    tm.assert_frame_equal(to_host(out.compute()), pdf.set_index("k").sort_index(kind="stable"))
