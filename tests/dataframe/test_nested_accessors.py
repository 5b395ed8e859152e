"""``.list`` and ``.struct`` (cuDF's list and struct methods, dask_cudf's accessors) on Arrow list/struct columns of
pandas partitions and on cuDF's list/struct columns (the strict stand-in's), against the rows worked out in Python."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host
from tests.pandas_versions import needs_pandas_3

ROWS = [[3, 1, 2], None, [5, 4], [1, 1, None], [], [7]]
NESTED = [[[1, 2], [3]], None, [[4], None, [5, 6]], [[]]]
POINTS = [{"x": 1, "y": 2.5, "tag": "a"}, {"x": 3, "y": None, "tag": "b"}, None, {"x": 0, "y": 1.0, "tag": None}]


def _missing(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value))


def _plain(value):
    """A computed value as Python: lists (of plain values), None for every kind of missing."""
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_plain(v) for v in value]
    if _missing(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _values(collection) -> list:
    """``collection`` computed (checked against its metadata) as a list of plain Python values."""
    computed = to_host(collection.compute())
    assert_eq(collection, computed)  # the metadata says what the partitions hold
    return [_plain(v) for v in computed.tolist()]


@pytest.fixture
def lists(backend):
    series = pd.Series(ROWS, dtype=pd.ArrowDtype(pa.list_(pa.int64())), name="v")
    return gd.from_pandas(series, npartitions=3, backend=backend)


def _per_row(func, rows=ROWS):
    return [None if row is None else func(row) for row in rows]


def test_list_methods_with_cudf_s_meaning(lists):
    assert _values(lists.list.len()) == _per_row(len)
    assert _values(lists.list.get(-1)) == _per_row(lambda r: r[-1] if r else None)
    assert _values(lists.list[0]) == _per_row(lambda r: r[0] if r else None)
    assert _values(lists.list.get(2, default=-9)) == _per_row(lambda r: r[2] if len(r) > 2 else -9)
    assert _values(lists.list.contains(1)) == _per_row(lambda r: 1 in r)
    assert _values(lists.list.index(1)) == _per_row(lambda r: r.index(1) if 1 in r else -1)
    assert _values(lists.list.astype("float64")) == _per_row(lambda r: [None if v is None else float(v) for v in r])


def test_list_unique_keeps_one_of_each_value_and_one_null(lists):
    def distinct(row):
        return sorted({v for v in row if v is not None}) + ([None] if None in row else [])

    got = _values(lists.list.unique())
    assert [None if r is None else sorted(v for v in r if v is not None) + [None] * (None in r) for r in got] \
        == _per_row(distinct)


@pytest.mark.parametrize(("ascending", "na_position"), [(True, "last"), (False, "first")])
def test_list_sort_values(lists, ascending, na_position):
    def ordered(row):
        present = sorted((v for v in row if v is not None), reverse=not ascending)
        nulls = [None] * (len(row) - len(present))
        return nulls + present if na_position == "first" else present + nulls

    assert _values(lists.list.sort_values(ascending=ascending, na_position=na_position)) == _per_row(ordered)
    renumbered = lists.list.sort_values(ignore_index=True)
    assert renumbered.divisions == (None,) * (renumbered.npartitions + 1)


def test_list_leaves_and_concat_of_nested_lists(backend):
    series = pd.Series(NESTED, dtype=pd.ArrowDtype(pa.list_(pa.list_(pa.int64()))))
    nested = gd.from_pandas(series, npartitions=2, backend=backend)
    leaves = [v for row in NESTED if row is not None for inner in row if inner is not None for v in inner]
    got = to_host(nested.list.leaves.compute())
    assert [_plain(v) for v in got.tolist()] == leaves
    assert nested.list.leaves.divisions == (None,) * 3  # one row per value: the index no longer orders them
    assert _values(nested.list.concat()) == _per_row(lambda r: [v for i in r if i is not None for v in i], NESTED)


def test_list_take_of_the_same_positions_from_every_row(lists, backend):
    rows = [[3, 1, 2], None, [5, 4], [7, 8]]
    series = gd.from_pandas(pd.Series(rows, dtype=pd.ArrowDtype(pa.list_(pa.int64()))), npartitions=2,
                            backend=backend)
    assert _values(series.list.take([[1, 0]] * len(rows))) == _per_row(lambda r: [r[1], r[0]], rows)
    with pytest.raises(NotImplementedError, match="same positions for every row"):
        lists.list.take([[0]] * (len(ROWS) - 1) + [[1]])


def test_list_refusals(lists, backend):
    with pytest.raises(NotImplementedError, match="one int"):
        lists.list.get([0] * len(ROWS))
    with pytest.raises(AttributeError, match="has no attribute 'explode'"):
        lists.list.explode()  # noqa: B018
    numbers = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend=backend)
    with pytest.raises(AttributeError, match=".list accessor needs list values"):
        numbers.list  # noqa: B018
    assert "list" in dir(lists) and "list" not in dir(numbers) and "struct" not in dir(lists)


def test_object_lists_of_pandas_are_named_with_the_way_out():
    objects = gd.from_pandas(pd.Series([[1, 2], [3]]), npartitions=1, backend="pandas")
    with pytest.raises(AttributeError, match="dtype_backend='pyarrow'"):
        objects.list  # noqa: B018


@pytest.fixture
def points(backend):
    series = pd.Series(POINTS, dtype=pd.ArrowDtype(pa.struct([("x", pa.int64()), ("y", pa.float64()),
                                                              ("tag", pa.string())])), name="p")
    return gd.from_pandas(series, npartitions=2, backend=backend)


def test_struct_field_and_explode(points):
    for key, position in (("x", 0), ("y", 1), ("tag", 2)):
        expected = [None if p is None else p[key] for p in POINTS]
        assert _values(points.struct.field(key)) == expected
        assert _values(points.struct.field(position)) == expected
        assert points.struct.field(position).name == key
    exploded = to_host(points.struct.explode().compute())
    assert list(exploded.columns) == ["x", "y", "tag"]
    assert [[_plain(v) for v in row] for row in exploded.itertuples(index=False)] == \
        [[None] * 3 if p is None else [p["x"], p["y"], p["tag"]] for p in POINTS]
    with pytest.raises(KeyError, match="'z' is not a field"):
        points.struct.field("z")
    with pytest.raises(IndexError, match="position 7 is out of range"):
        points.struct.field(7)


@pytest.mark.parametrize("npartitions", [1, 2, 3])
@needs_pandas_3("pandas 2.2 numbers flattened values 0..n-1 over the whole result, gpuscale per partition")
def test_list_flatten_and_slices_as_pandas(backend, npartitions):
    # pandas' ArrowAccessor has flatten() and s.list[start:stop:step] (each list sliced): flatten was missing,
    # a slice refused as a position per row
    series = pd.Series(ROWS, dtype=pd.ArrowDtype(pa.list_(pa.int64())), index=range(10, 16), name="v")
    lists = gd.from_pandas(series, npartitions=npartitions, backend=backend)
    if backend == "cudf":  # cuDF's .list has neither: said when asked
        for call in (lambda: lists.list.flatten(), lambda: lists.list[0:1]):
            with pytest.raises(NotImplementedError, match="pandas' Arrow list method"):
                call()
        return
    flat = lists.list.flatten()
    assert flat._meta.dtype == series.list.flatten().dtype
    pd.testing.assert_series_equal(flat.compute(), series.list.flatten())
    for key in (slice(0, 1), slice(1, None), slice(None, None, 2), slice(1, 2)):
        assert lists.list[key]._meta.dtype == series.list[key].dtype
        pd.testing.assert_series_equal(lists.list[key].compute(), series.list[key])
    nested = pd.Series(NESTED, dtype=pd.ArrowDtype(pa.list_(pa.list_(pa.int64()))))
    pd.testing.assert_series_equal(gd.from_pandas(nested, npartitions=npartitions).list.flatten().compute(),
                                   nested.list.flatten())


def test_struct_dtypes_as_pandas(points, backend):
    # pandas' Series.struct.dtypes: the fields' dtypes by name (it was missing)
    expected = pd.Series(POINTS, dtype=pd.ArrowDtype(pa.struct([("x", pa.int64()), ("y", pa.float64()),
                                                                ("tag", pa.string())]))).struct.dtypes
    got = points.struct.dtypes
    assert list(got.index) == list(expected.index)
    if backend != "cudf":
        pd.testing.assert_series_equal(got, expected)
