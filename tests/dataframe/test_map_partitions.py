"""map_partitions / apply / map with dask's meta= forms and results, compared with dask and pandas."""

from __future__ import annotations

import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host


@pytest.fixture
def data():
    return pd.DataFrame({"x": np.arange(100), "y": np.arange(100) * 0.5, "s": ["a", "b", "c", "d"] * 25})


def test_a_number_per_partition_is_a_series_of_them_as_in_dask(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    result = df.map_partitions(lambda p: len(p))
    assert isinstance(result, gd.Series)  # was a Scalar holding partition 0's value: 75% of the data lost
    expected = dd.from_pandas(data, npartitions=4).map_partitions(lambda p: len(p)).compute()
    tm.assert_series_equal(result.compute(), expected)


@pytest.mark.parametrize("func", [len, lambda p: 2.5, lambda p: "x", lambda p: [len(p)], lambda p: (1, len(p)),
                                  lambda p, partition_info=None: partition_info],
                         ids=["len", "float", "str", "list", "tuple", "partition_info"])
def test_values_per_partition_are_labelled_as_dask_labels_them(data, backend, func):
    """dask labels a container per partition by the partition's number (``result[1]`` is partition 1's
    ``partition_info``) and a scalar by 0."""
    got = to_host(gd.from_pandas(data, npartitions=4, backend=backend).map_partitions(func).compute())
    expected = dd.from_pandas(data, npartitions=4).map_partitions(func).compute()
    assert list(got.index) == list(expected.index)
    if backend == "cudf":  # cuDF has no tuples: a column of them is a list column (lists back on the host)
        expected = expected.map(lambda v: list(v) if isinstance(v, tuple) else v)
    assert got.tolist() == expected.tolist()


def test_a_list_per_partition_keeps_every_partition(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    got = to_host(df.map_partitions(lambda p: [len(p)]).compute())
    assert got.tolist() == [[25]] * 4


def test_row_apply_with_a_name_dtype_meta_assigns_aligned(data, backend):
    df = gd.from_pandas(data, npartitions=3, backend=backend)
    doubled = df.apply(lambda r: r["x"] * 2, axis=1, meta=("z", "int64"))
    assert isinstance(doubled, gd.Series) and doubled.name == "z"
    assert_eq(df.assign(z=doubled), data.assign(z=data.x * 2))  # was NaN in 2 of 3 partitions


@pytest.mark.parametrize("meta", [("s", object), ("s", "object"), pd.Series([], name="s", dtype=object)])
def test_map_with_meta_forms(data, backend, meta):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    upper = df.s.map(lambda v: v.upper(), meta=meta) if backend == "pandas" else df.s.str.upper()
    assert isinstance(upper, gd.Series)
    tm.assert_series_equal(upper.compute(), data.s.str.upper(), check_dtype=False)


def test_meta_as_dict_list_of_pairs_and_collection(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    twice = lambda p: p[["x", "y"]] * 2  # noqa: E731
    for meta in ({"x": "int64", "y": "float64"}, [("x", "int64"), ("y", "float64")], df[["x", "y"]]):
        assert_eq(df.map_partitions(twice, meta=meta), data[["x", "y"]] * 2)


def test_groupby_apply_with_a_tuple_meta_keeps_every_group(data, backend):
    df = gd.from_pandas(data, npartitions=4, backend=backend)
    got = df.groupby("s").apply(lambda g: g.x.sum(), meta=(None, "int64"))
    assert isinstance(got, gd.Series)
    expected = data.groupby("s").apply(lambda g: g.x.sum())
    tm.assert_series_equal(to_host(got.compute()).sort_index(), expected, check_names=False)


def test_output_that_disagrees_with_meta_raises_naming_the_columns(data, backend):
    df = gd.from_pandas(data, npartitions=2, backend=backend)
    bad = df.map_partitions(lambda p: p.assign(w=1), meta=df)
    with pytest.raises(ValueError, match=r"Extra:\s+\['w'\]"):
        bad.compute()
    reordered = df.map_partitions(lambda p: p[["y", "x", "s"]], meta=df)
    with pytest.raises(ValueError, match="Order"):
        reordered.compute()


@pytest.mark.parametrize("container", ["csr_matrix", "csr_array"])
def test_sparse_matrices_per_partition_are_one_sparse_array_as_in_dask(container):
    sparse = pytest.importorskip("scipy.sparse")
    import dask

    import gpuscale.array as ga

    pdf = pd.DataFrame(np.where(np.arange(60).reshape(20, 3) % 4 == 0, 1.5, 0.0))
    cls = getattr(sparse, container)
    ours = gd.from_pandas(pdf, npartitions=4, backend="pandas").map_partitions(cls)
    theirs = dd.from_pandas(pdf, npartitions=4).map_partitions(cls)
    assert isinstance(ours, ga.Array)  # was a Series of one matrix per partition
    assert ours.ndim == theirs.ndim == 2 and ours.shape[1] == theirs.shape[1] == 3
    blocks = dask.compute(*ours.to_delayed().flatten().tolist(), scheduler="sync")
    assert len(blocks) == 4 and all(isinstance(b, cls) for b in blocks)  # each partition's matrix, as dask's
    joined = ours.compute()
    assert type(joined) is type(theirs.compute())
    np.testing.assert_array_equal(joined.toarray(), pdf.to_numpy())


@pytest.mark.parametrize("meta_shape", [(0, 2), (0, 0)])
def test_an_array_meta_gives_one_array_of_the_blocks_as_in_dask(meta_shape):
    import gpuscale.array as ga

    pdf = pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0) * 2})
    ours = gd.from_pandas(pdf, npartitions=3, backend="pandas").map_partitions(np.asarray, meta=np.empty(meta_shape))
    theirs = dd.from_pandas(pdf, npartitions=3).map_partitions(np.asarray, meta=np.empty(meta_shape))
    assert isinstance(ours, ga.Array) and ours.ndim == theirs.ndim == 2  # was a Series of one array per partition
    assert ours.dtype == theirs.dtype == np.float64 and ours.numblocks[0] == 3
    assert ours.shape[1] == 2 if meta_shape[1] else np.isnan(ours.shape[1])  # dask's says 0 columns there
    np.testing.assert_array_equal(ours.compute(), theirs.compute())
    np.testing.assert_array_equal(ours.compute(), pdf.to_numpy())
    column = gd.from_pandas(pdf, npartitions=3, backend="pandas").map_partitions(lambda p: p.a.to_numpy(),
                                                                                 meta=np.array(()))
    assert isinstance(column, ga.Array) and column.ndim == 1
    np.testing.assert_array_equal(column.compute(), pdf.a.to_numpy())


def test_cudf_udf_compilation_failure_says_what_to_do():
    # cuDF's "user defined function compilation failed." (raised from numba's error) gets a note naming the
    # cause and the numba version, as a task error and when metadata is inferred
    from gpuscale.runtime.errors import annotate

    def failing(p):
        try:
            raise TypeError("No implementation of function Function(<built-in function mul>)")
        except TypeError as cause:
            raise ValueError("user defined function compilation failed.") from cause

    with pytest.raises(ValueError) as info:
        failing(None)
    notes = annotate(info.value, ("map", 0)).__notes__
    assert "numba" in notes[-1] and "TypeError: No implementation" in notes[-1]
    s = gd.from_pandas(pd.Series([1.0, 2.0]), npartitions=1)
    with pytest.raises(ValueError, match="meta= does not avoid the compilation"):
        s.map_partitions(failing)


def test_known_divisions_are_kept_as_in_dask(backend):
    """dask keeps the divisions through map_partitions, so time-based steps after it work: resample, time
    windows and partial-date loc gave "Can only resample dataframes with known divisions" before."""
    hours = pd.date_range("2024-01-01", periods=100, freq="h")
    pdf = pd.DataFrame({"a": np.arange(100.0)}, index=hours)
    ours, theirs = gd.from_pandas(pdf, npartitions=4, backend=backend), dd.from_pandas(pdf, npartitions=4)
    doubled, expected = ours.map_partitions(lambda p: p * 2), theirs.map_partitions(lambda p: p * 2)
    assert doubled.divisions == expected.divisions == ours.divisions
    assert_eq(doubled.resample("1D").sum(), expected.resample("1D").sum().compute())
    assert_eq(doubled.a.rolling("3h").sum(), expected.a.rolling("3h").sum().compute())
    assert_eq(doubled.loc["2024-01-02"], expected.loc["2024-01-02"].compute())
    declared = ours.map_partitions(lambda p: p.a + 1, meta=("a", "f8"))
    assert declared.divisions == ours.divisions


def test_divisions_are_forgotten_where_the_index_changes(backend):
    pdf = pd.DataFrame({"a": np.arange(20.0), "k": np.arange(20) % 3}, index=pd.Index(np.arange(20), name="i"))
    df = gd.from_pandas(pdf, npartitions=4, backend=backend)
    assert not df.map_partitions(lambda p: p.reset_index()).known_divisions  # a new (unnamed) index
    assert not df.map_partitions(lambda p: p.set_index("k")).known_divisions  # another index name
    assert not df.map_partitions(lambda p: p * 2, clear_divisions=True).known_divisions
    assert not df.map_partitions(lambda p: len(p)).known_divisions  # a value per partition
    assert_eq(df.map_partitions(lambda p: p.set_index("k")), pdf.set_index("k"))


def test_positional_pairing_keeps_the_first_frames_divisions_as_in_dask(backend):
    hours = pd.date_range("2024-01-01", periods=40, freq="h")
    pdf = pd.DataFrame({"a": np.arange(40.0)}, index=hours)
    ours, theirs = gd.from_pandas(pdf, npartitions=4, backend=backend), dd.from_pandas(pdf, npartitions=4)
    paired = ours.map_partitions(lambda p, q: p + q, ours, align_dataframes=False)
    expected = theirs.map_partitions(lambda p, q: p + q, theirs, align_dataframes=False)
    assert paired.divisions == expected.divisions == ours.divisions
    assert_eq(paired.resample("5h").sum(), (pdf + pdf).resample("5h").sum())  # (dask raises "Index is not
    # contained within new index" for these 5h bins)
    one = gd.from_pandas(pdf.iloc[:1], npartitions=1, backend=backend)  # spread to every partition of the other
    assert not one.map_partitions(lambda q, p: p + q.a.iloc[0], ours, align_dataframes=False).known_divisions


def test_align_dataframes_true_splits_a_one_partition_collection_of_known_divisions(backend):
    # align_dataframes=True given: the one-partition operand is split at the others' divisions, as dask documents
    # (it was given whole to every partition: rows repeated); by default, and with unknown divisions or
    # align_dataframes=False, it still is (dask broadcasts it; a lookup merged into each partition)
    a = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0], index=[0, 1, 2, 3, 4])
    b = pd.Series([10.0, 20.0, 30.0], index=[1, 3, 7])
    for nparts in (2, 3):
        ga = gd.from_pandas(a, npartitions=nparts, backend=backend)
        gb = gd.from_pandas(b, npartitions=1, backend=backend)
        assert_eq(gd.map_partitions(lambda x, y: x + y, ga, gb, align_dataframes=True), a + b)
        assert_eq(gd.map_partitions(lambda y, x: x + y, gb, ga, align_dataframes=True), a + b)
        assert_eq(ga.map_partitions(lambda x, y: x + y, gb, align_dataframes=True), a + b)
        assert_eq(ga.to_frame("v").map_partitions(lambda x, y: x.v + y, gb, align_dataframes=True), a + b)
        whole = ga.map_partitions(lambda x, y: x.add(y, fill_value=0).loc[x.index], gb)
        assert to_host(whole.compute()).tolist() == a.add(b, fill_value=0).loc[a.index].tolist()
        unknown = gb.clear_divisions()
        broadcast = pd.concat([to_host(ga.partitions[i].compute()) + b for i in range(nparts)])
        got = gd.map_partitions(lambda x, y: x + y, ga, unknown, align_dataframes=True)  # each partition: all of b
        tm.assert_series_equal(to_host(got.compute()), broadcast)
        got = ga.map_partitions(lambda x, y: x + y, gb, align_dataframes=False)
        tm.assert_series_equal(to_host(got.compute()), broadcast)
    lookup = pd.DataFrame({"k": [1, 3], "name": ["p", "q"]})
    keys = pd.DataFrame({"k": [1, 3, 1, 3]})
    got = gd.from_pandas(keys, npartitions=2, backend=backend).map_partitions(
        lambda p, t: p.merge(t, on="k"), gd.from_pandas(lookup, npartitions=1, backend=backend))
    assert_eq(got, keys.merge(lookup, on="k"), check_index=False)


@pytest.mark.parametrize("index", [
    pd.Index([5, 9]), pd.Index([5, 9], dtype="uint8"), pd.Index([0.5, 1.5]), pd.Index(["p", "q"]),
    pd.Index(["p", "q"], dtype="string"), pd.Index([True, False]), pd.date_range("2001", periods=2, tz="UTC"),
    pd.timedelta_range("1s", periods=2), pd.CategoricalIndex(["u", "v"]),
    pd.MultiIndex.from_tuples([(1, "a"), (2, "b")], names=["i", "s"]),
], ids=lambda index: str(getattr(index, "dtype", "multi")))
def test_inference_samples_have_one_row_per_label(index):
    """A user function given the sample rows (``s.loc[label]``, ``s.get(label)``, pandas 2's
    ``Series.combine``) must see one row per label, as in data with a unique index."""
    from gpuscale.backends import frame as bf

    sample = bf.meta_nonempty(pd.DataFrame({"x": [1.5, 2.5]}, index=index).iloc[:0])
    assert len(sample) == 2 and sample.index.is_unique
    assert list(sample.index.names) == list(index.names)
    if not isinstance(index, pd.MultiIndex):
        assert sample.index.dtype == index.dtype
    assert np.isscalar(sample.x.loc[sample.index[0]])


def test_meta_is_inferred_from_sample_rows_as_dask_infers_it(backend):
    # on no rows ``map``/``apply`` of a Series keep its dtype; dask (and gpuscale) infer on two sample rows
    if backend != "pandas":
        pytest.skip("element-wise Python functions on a cuDF Series")
    s = pd.Series(["a", "bb", None], dtype="string", name="x")
    ds = gd.from_pandas(s, npartitions=2, backend=backend)
    lengths = ds.map_partitions(lambda p: p.map(lambda v: 0 if v is pd.NA else len(v)))
    theirs = dd.from_pandas(s, npartitions=2).map_partitions(lambda p: p.map(lambda v: 0 if v is pd.NA else len(v)))
    assert lengths._meta.dtype == theirs._meta.dtype == lengths.compute().dtype
    numbers = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend=backend)
    text = numbers.map_partitions(lambda p: p.apply(lambda v: f"v{v}"))
    assert text._meta.dtype == text.compute().dtype


@pytest.mark.parametrize("meta", [None, ("n", "i8")])
def test_one_value_per_partition_is_a_row_whether_meta_is_given_or_not(backend, meta):
    # len on each partition: a Series of one row per partition labelled 0, named as meta says, as dask's
    frame = pd.DataFrame({"x": range(8)})
    kw = {} if meta is None else {"meta": meta}
    ours = gd.from_pandas(frame, npartitions=4, backend=backend).map_partitions(len, **kw)
    theirs = dd.from_pandas(frame, npartitions=4).map_partitions(len, **kw).compute()
    result = to_host(ours.compute())
    assert result.index.tolist() == theirs.index.tolist() == [0, 0, 0, 0]
    assert result.tolist() == theirs.tolist() and result.name == theirs.name == ours.name


def test_lazy_head_and_tail_keep_the_bounds_of_the_partitions_they_take(backend):
    # head(compute=False) is a collection whose divisions are those of the partitions it reads, as dask's
    frame = pd.DataFrame({"x": range(8)})
    ours = gd.from_pandas(frame, npartitions=4, backend=backend)
    theirs = dd.from_pandas(frame, npartitions=4)
    for take in (lambda d: d.head(2, compute=False), lambda d: d.head(3, npartitions=2, compute=False),
                 lambda d: d.head(2, npartitions=-1, compute=False), lambda d: d.tail(2, compute=False),
                 lambda d: d.clear_divisions().head(2, compute=False)):
        assert take(ours).divisions == take(theirs).divisions
        assert_eq(take(ours), take(theirs).compute())
