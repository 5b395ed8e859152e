"""Collections partitioned differently meet as in dask: ``a + b``, ``df[mask]``, ``df.assign(c=s)`` and the
flex methods repartition both at the union of their known divisions (one alignment path,
``gpuscale.dataframe.expr.base.aligned_operands``); ``Series.map`` / ``Index.map`` take a dict, a function
or a lazy Series; each compared with pandas and, where it runs, with dask."""

from __future__ import annotations

import warnings

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def pair():
    """Two frames over overlapping index ranges, split at different boundaries."""
    a = pd.DataFrame({"x": np.arange(20), "y": np.linspace(0, 1, 20)})
    b = pd.DataFrame({"x": np.arange(12) * 3, "z": np.arange(12.0)}, index=np.arange(5, 29, 2))
    return a, b


@pytest.mark.parametrize("na, nb", [(3, 3), (4, 2), (1, 5)])
def test_binary_operators_align_known_divisions(pair, backend, na, nb):
    a, b = pair
    ga, gb = gd.from_pandas(a, npartitions=na, backend=backend), gd.from_pandas(b, npartitions=nb, backend=backend)
    assert ga.divisions != gb.divisions
    union = tuple(sorted({*ga.divisions, *gb.divisions}))  # dask's alignment: every boundary of both
    for result, expected in [(ga.x + gb.x, a.x + b.x), (ga - gb, a - b), (ga.x.gt(gb.z), a.x.gt(b.z)),
                             (ga.y * gb.z + ga.x, a.y * b.z + a.x)]:
        assert_eq(result, expected)
        assert result.divisions == union


def test_binary_operators_as_dask(pair):
    a, b = pair
    ga, gb = gd.from_pandas(a, npartitions=3), gd.from_pandas(b, npartitions=2)
    da, db = dd.from_pandas(a, npartitions=3), dd.from_pandas(b, npartitions=2)
    assert_eq((ga.x + gb.x).compute(), (da.x + db.x).compute())
    assert_eq((ga / gb).compute(), (da / db).compute())


def test_filter_and_assign_with_differently_partitioned_operands(pair, backend):
    a, b = pair
    ga, gb = gd.from_pandas(a, npartitions=3, backend=backend), gd.from_pandas(b, npartitions=2, backend=backend)
    wide = pd.Series(np.arange(30) % 3 == 0)  # covers a's index, as pandas needs of a boolean key
    gwide = gd.from_pandas(wide, npartitions=4, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # pandas: "Boolean Series key will be reindexed"
        assert_eq(ga[gwide], a[wide])
        assert_eq(ga.loc[gwide], a.loc[wide])
    assert_eq(ga.assign(c=gb.z), a.assign(c=b.z))
    assert_eq(ga.add(gb, fill_value=0), a.add(b, fill_value=0))


def test_unknown_divisions_pair_by_position_or_are_shuffled_by_index(pair, backend):
    a, _ = pair
    base = gd.from_pandas(a, npartitions=2, backend=backend)
    left = base.clear_divisions()
    assert_eq(left.x + base.y, a.x + a.y)  # one source: by position
    other = gd.from_pandas(a, npartitions=3, backend=backend)
    # other partitionings: both shuffled by index into 3 partitions, as dask
    assert_eq(left.x + other.y, a.x + a.y, sort_results=True)


@pytest.fixture
def lookup():
    base = pd.Series(np.array([3, 1, 4, 1, 5, 9, 2, 6], dtype="int16"), index=pd.Index(range(8), name="row"))
    mapper = pd.Series(np.arange(10) * 1.5, index=np.arange(10)[::-1])
    return base, mapper


@pytest.mark.parametrize("nbase, nmap", [(1, 3), (3, 1), (4, 3)])
def test_series_map_looks_up_the_whole_lazy_mapper(lookup, backend, nbase, nmap):
    base, mapper = lookup
    gbase = gd.from_pandas(base, npartitions=nbase, backend=backend)
    gmap = gd.from_pandas(mapper, npartitions=nmap, backend=backend)
    with pytest.warns(UserWarning, match="meta"):
        result = gbase.map(gmap)
    assert_eq(result, base.map(mapper))
    assert result.divisions == gbase.divisions  # every value keeps its label
    assert_eq(gbase.map(gmap, meta=("x", "f8")), base.map(mapper), check_names=False)


@needs_pandas_3("dask's own map races on pandas 2's lazily built index table (InvalidIndexError)")
def test_series_map_as_dask(lookup):
    base, mapper = lookup
    expected = dd.from_pandas(base, npartitions=3).map(dd.from_pandas(mapper, npartitions=2), meta=("x", "f8"))
    result = gd.from_pandas(base, npartitions=3).map(gd.from_pandas(mapper, npartitions=2), meta=("x", "f8"))
    assert_eq(result.compute(), expected.compute())


def test_a_lazy_mapper_shared_by_threads_gives_every_partition_the_whole_table(backend):
    """Every partition's task looks values up in the same mapper object; pandas < 3 builds an index's hash
    table on first use, and threads racing through that made wrong NaNs (a fresh mapper each round)."""
    rng = np.random.default_rng(7)
    n = 50_000
    base = pd.Series(rng.integers(0, n, 80_000))
    for _ in range(8):
        mapper = pd.Series(np.arange(n, dtype="f8"), index=rng.permutation(n))
        result = gd.from_pandas(base, npartitions=16, backend=backend).map(
            gd.from_pandas(mapper, npartitions=1, backend=backend), meta=(None, "f8"))
        assert_eq(result.compute(num_workers=8), base.map(mapper))


def test_series_map_dict_function_and_declared_meta(lookup, backend):
    base, _ = lookup
    gbase = gd.from_pandas(base, npartitions=3, backend=backend)
    table = {v: v * 10 for v in range(6)}
    with pytest.warns(UserWarning, match="meta"):
        assert_eq(gbase.map(table), base.map(table))
    result = gbase.map(table, meta=(None, "f8"))  # the declared meta takes the index of the mapped Series
    assert result._meta.index.name == "row"
    assert_eq(result, base.map(table))
    assert_eq(gbase.map(lambda v: v + 1, meta=base.iloc[:0]), base.map(lambda v: v + 1))
    with pytest.raises(ValueError, match="na_action"):
        gbase.map(table, na_action="drop", meta=("x", "f8"))


def test_index_map_divisions_and_lazy_mapper(lookup, backend):
    _, mapper = lookup
    pdf = pd.DataFrame({"v": range(6)}, index=[1, 2, 3, 5, 7, 8])
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.warns(UserWarning, match="meta"):
        cleared = df.index.map(lambda v: v * 10)
    assert not cleared.known_divisions
    assert_eq(cleared, pdf.index.map(lambda v: v * 10))
    kept = df.index.map(lambda v: v * 10, is_monotonic=True, meta=pdf.index[:0])
    assert kept.divisions == tuple(d * 10 for d in df.divisions)
    assert_eq(kept, pdf.index.map(lambda v: v * 10))
    gmap = gd.from_pandas(mapper, npartitions=3, backend=backend)
    assert_eq(df.index.map(gmap, meta=pd.Index([], dtype="f8")), pdf.index.map(mapper))


def test_dataframe_map_infers_from_sample_values(backend):
    pdf = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0], "y": [10, 20, 30, 40]})
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    with pytest.warns(UserWarning, match="meta"):
        result = df.map(lambda v: v + 1, na_action="ignore")
    assert_eq(result, pdf.map(lambda v: v + 1, na_action="ignore"))


@pytest.mark.parametrize("reduction", ["sum", "mean", "max"])
def test_one_partition_series_is_broadcast_to_a_frame(backend, reduction):
    # df - df.mean(): the reduction's result (one partition, indexed by the columns) meets every partition
    pdf = pd.DataFrame({"x": [1, 2, 3, 4, 5, 6, 7], "y": [1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5]})
    df = gd.from_pandas(pdf, npartitions=3, backend=backend)
    totals, expected = getattr(df, reduction)() + 1, getattr(pdf, reduction)() + 1
    result = df - totals
    assert_eq(result, pdf - expected)
    assert result.divisions == df.divisions
    assert_eq(totals * df, expected * pdf)
    # a Series of unknown divisions is no broadcast: both are shuffled by index to meet, as dask
    single = gd.from_pandas(pdf.y, npartitions=1, backend=backend).clear_divisions()
    assert_eq(df.x.clear_divisions() + single, pdf.x + pdf.y, sort_results=True)


@pytest.mark.parametrize("operation", ["assign", "add", "fillna", "where"])
def test_a_host_series_given_to_every_partition_aligns_under_threads(operation, backend):
    """A pandas object in a plan (``df.assign(c=series)``, ``df.a + series`` ...) is aligned with each partition
    in that partition's task, all with the one object: with pandas < 3 its lazily built index table raced
    (pandas 2.2.3: 84 of 400 such computations gave NaNs). A fresh object each round."""
    ops = {"assign": lambda d, s: d.assign(c=s), "add": lambda d, s: d.a + s,
           "fillna": lambda d, s: d.b.fillna(s), "where": lambda d, s: d.a.where(s > 10, s)}
    rng = np.random.default_rng(3)
    for _ in range(12):
        n = 20_000
        frame = pd.DataFrame({"a": np.arange(n, dtype="f8"), "b": np.where(np.arange(n) % 3, 1.0, np.nan)},
                             index=rng.permutation(n) * 2)
        series = pd.Series(np.arange(n, dtype="f8"), index=rng.permutation(frame.index.to_numpy()))
        result = ops[operation](gd.from_pandas(frame, npartitions=16, sort=False, backend=backend), series)
        # (pandas sorts the union of two indexes in another order; the rows are compared by label)
        assert_eq(result.compute(num_workers=8).sort_index(), ops[operation](frame, series).sort_index())
