"""from_map, from_delayed, from_graph, to_delayed, from_dask_array, random_split against dask and pandas."""

from __future__ import annotations

import dask
import dask.array as da
import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.testing import assert_eq
from tests.dataframe.frame_helpers import to_host


def _part(i: int, n: int = 5) -> pd.DataFrame:
    return pd.DataFrame({"i": [i] * n, "v": np.arange(n) + 10 * i})


def test_from_map_calls_the_function_once_per_element():
    df = gd.from_map(_part, [0, 1, 2])
    assert df.npartitions == 3
    assert_eq(df, pd.concat([_part(i) for i in range(3)]))


def test_from_map_with_several_iterables_args_and_kwargs():
    df = gd.from_map(lambda i, n, scale=1: _part(i, n) * scale, [0, 1], [2, 3], scale=2)
    assert_eq(df, pd.concat([_part(0, 2) * 2, _part(1, 3) * 2]))


def _text_part(i: int) -> pd.DataFrame:
    return pd.DataFrame({"s": [f"t{i}", None], "v": [i, i + 1]})


def test_from_map_with_convert_string_gives_dask_s_string_dtype():
    import dask.dataframe as dd

    import gpuscale

    with gpuscale.config.set({"dataframe.convert-string": True}):
        df = gd.from_map(_text_part, [0, 1])
        series = gd.from_map(lambda i: _text_part(i).s, [0, 1])
    want = dd.from_map(_text_part, [0, 1])  # dask converts by default
    assert df.dtypes["s"] == want.dtypes["s"] == pd.StringDtype("pyarrow")
    assert series.dtype == pd.StringDtype("pyarrow")
    expected = pd.concat([_text_part(0), _text_part(1)]).astype({"s": pd.StringDtype("pyarrow")})
    assert_eq(df, expected)
    assert_eq(df.v, expected.v)
    assert gd.from_map(_text_part, [0, 1]).dtypes["s"] != pd.StringDtype("pyarrow")  # off by default


def test_from_map_refuses_what_is_not_one_element_per_partition_as_dask():
    import dask.dataframe as dd

    for bad in (5, None):
        with pytest.raises(ValueError, match="must be Iterable"):
            gd.from_map(_part, bad)
        with pytest.raises(ValueError, match="must be Iterable"):
            dd.from_map(_part, bad)
    assert_eq(gd.from_map(_part, (i for i in range(2))), pd.concat([_part(0), _part(1)]))


def test_from_map_checks_partitions_against_meta():
    df = gd.from_map(lambda i: _part(i).assign(extra=1) if i else _part(i), [0, 1], meta=_part(0).iloc[:0])
    with pytest.raises(ValueError, match="Extra"):
        df.compute()


class _ColumnReader:
    """dask's DataFrameIOFunction protocol: told the columns to read."""

    def __init__(self, columns=None, asked=None):
        self.columns, self.asked = columns, [] if asked is None else asked

    def project_columns(self, columns):
        return _ColumnReader(columns, self.asked)

    def __call__(self, i):
        self.asked.append(None if self.columns is None else list(self.columns))
        part = _part(i).assign(w=float(i))
        return part if self.columns is None else part[list(self.columns)]


def test_from_map_tells_a_column_reader_the_columns_as_dask():
    import dask.dataframe as dd

    reader = _ColumnReader()
    df = gd.from_map(reader, [0, 1, 2])
    reader.asked.clear()
    assert_eq(df[["v", "w"]], dd.from_map(_ColumnReader(), [0, 1, 2])[["v", "w"]].compute())
    assert reader.asked == [["v", "w"]] * 3
    reader.asked.clear()
    assert_eq(df.v.sum(), sum(_part(i).v.sum() for i in range(3)))
    assert reader.asked == [["v"]] * 3
    assert_eq(df, pd.concat([_part(i).assign(w=float(i)) for i in range(3)]))


def test_from_map_gives_a_columns_keyword_the_columns_as_dask():
    import dask.dataframe as dd

    asked = []

    def read(i, columns=None):
        asked.append(columns)
        part = _part(i).assign(w=float(i))
        return part if columns is None else part[columns]

    df = gd.from_map(read, [0, 1, 2])
    asked.clear()
    assert_eq(df.v.sum(), sum(_part(i).v.sum() for i in range(3)))
    assert asked == [["v"]] * 3
    theirs = dd.from_map(read, [0, 1, 2], columns=["w", "i"])
    ours = gd.from_map(read, [0, 1, 2], columns=["w", "i"])  # the columns to read, as dask
    assert list(ours.columns) == list(theirs.columns) == ["w", "i"]
    assert_eq(ours, theirs.compute())

    def first_column(i, columns=None):  # a Series: its columns= argument is passed through
        return _part(i)[columns or ["i", "v"]].iloc[:, 0]

    assert_eq(gd.from_map(first_column, [0, 1], columns=["v"]),
              dd.from_map(first_column, [0, 1], columns=["v"]).compute())

    def read_required(i, columns):
        return _part(i).assign(w=float(i))[columns]

    with pytest.raises(TypeError, match="required `columns`"):
        gd.from_map(read_required, [0, 1])
    meta = _part(0).assign(w=0.0).iloc[:0]
    assert_eq(gd.from_map(read_required, [0, 1], meta=meta), pd.concat([_part(i).assign(w=float(i)) for i in (0, 1)]))
    assert_eq(gd.from_map(read_required, [0, 1], meta=meta).w,
              dd.from_map(read_required, [0, 1], meta=meta).w.compute())


def test_from_delayed_matches_dask():
    parts = [dask.delayed(_part)(i) for i in range(3)]
    df = gd.from_delayed(parts)
    assert df.npartitions == 3
    assert_eq(df, pd.concat([_part(i) for i in range(3)]))
    with_meta = gd.from_delayed(parts, meta=_part(0).iloc[:0], divisions=None)
    assert_eq(with_meta.v.sum(), int(pd.concat([_part(i) for i in range(3)]).v.sum()))


def test_from_delayed_checks_divisions_and_partitions_against_meta_as_dask():
    import dask.dataframe as dd

    parts = [dask.delayed(_part)(i) for i in range(3)]
    with pytest.raises(ValueError, match="divisions"):
        gd.from_delayed(parts, meta=_part(0), divisions=[0, 1, 2])
    with pytest.raises(ValueError, match="divisions"):  # dask refuses it too
        dd.from_delayed(parts, meta=_part(0), divisions=[0, 1, 2])
    with pytest.raises(NotImplementedError, match="divisions='sorted'"):  # (it counted the string's letters)
        gd.from_delayed(parts, meta=_part(0), divisions="sorted")
    assert_eq(gd.from_delayed(parts, prefix="parts").v.sum(), sum(_part(i).v.sum() for i in range(3)))  # dask's
    with pytest.raises(ValueError, match="^Metadata mismatch found in `from_delayed`"):
        gd.from_delayed(parts, meta=_part(0).v).compute()
    misordered = gd.from_delayed(parts, meta=_part(0)[["v", "i"]])
    with pytest.raises(ValueError, match="columns in the computed data do not match the columns in the provided"):
        misordered.compute()
    assert_eq(gd.from_delayed(parts, meta=_part(0)[["v", "i"]], verify_meta=False).v.sum(),
              sum(_part(i).v.sum() for i in range(3)))


def _frame_of_block(block: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame(block, columns=list("abc"))


def test_map_blocks_with_a_frame_meta_gives_a_frame_of_the_blocks_as_dask():
    import dask.dataframe as dd

    import gpuscale.array as ga

    data = np.arange(60.0).reshape(20, 3)
    meta = _frame_of_block(data[:1])
    theirs = da.from_array(data, chunks=(6, 3)).map_blocks(_frame_of_block, meta=meta)
    ours = ga.from_array(data, chunks=(6, 3), backend="numpy").map_blocks(_frame_of_block, meta=meta)
    assert isinstance(ours, gd.DataFrame) and isinstance(theirs, dd.DataFrame)  # was an Array of numbers
    assert ours.npartitions == theirs.npartitions == 4 and not ours.known_divisions
    assert list(ours.columns) == list("abc") and len(ours._meta) == 0
    assert_eq(ours, theirs.compute())
    assert_eq(ours.a.sum(), float(data[:, 0].sum()))
    column = ga.from_array(data[:, 0], chunks=5, backend="numpy")
    series = column.map_blocks(pd.Series, meta=pd.Series([], dtype="float64"))
    assert isinstance(series, gd.Series) and series.npartitions == 4
    assert_eq(series, pd.Series(np.concatenate([data[i:i + 5, 0] for i in range(0, 20, 5)]),
                                index=[*range(5)] * 4))
    with pytest.raises(ValueError, match="one block across axes 1"):
        ga.from_array(data, chunks=(6, 2), backend="numpy").map_blocks(_frame_of_block, meta=meta)


def test_from_graph_takes_a_dask_graph_and_its_keys_as_dask():
    import dask.dataframe as dd

    x = da.from_array(np.arange(12.0).reshape(6, 2), chunks=(2, 2)).map_blocks(
        lambda b: pd.DataFrame(b, columns=["p", "q"]), dtype=object)
    keys = [k for row in x.__dask_keys__() for k in row]
    meta = pd.DataFrame({"p": [0.0], "q": [0.0]})
    ours = gd.from_graph(x.__dask_graph__(), meta, [None] * 4, keys, "blocks")
    theirs = dd.from_graph(dict(x.__dask_graph__()), meta, [None] * 4, keys, "blocks")
    assert ours.npartitions == 3 and len(ours._meta) == 0
    assert_eq(ours, theirs.compute())
    with pytest.raises(ValueError, match="one value more than the keys"):
        gd.from_graph(x.__dask_graph__(), meta, [None] * 3, keys, "blocks")


def test_to_delayed_gives_each_partition(backend):
    pdf = pd.DataFrame({"a": range(10)})
    parts = gd.from_pandas(pdf, npartitions=3, backend=backend).to_delayed()
    assert len(parts) == 3
    computed = dask.compute(*parts, scheduler="sync")
    pd.testing.assert_frame_equal(pd.concat([to_host(p) for p in computed]), pdf)


def test_to_delayed_keeps_only_the_tasks_its_partitions_need(backend):
    import dask.dataframe as dd

    pdf = pd.DataFrame({"x": range(20)})
    df = (gd.from_pandas(pdf, npartitions=20, backend=backend) + 1).loc[:2]
    parts = df.to_delayed()
    assert len(parts[0].dask) < 20  # not the 20 source partitions (dask's bound)
    expected = (dd.from_pandas(pdf, npartitions=20) + 1).loc[:2].to_delayed()
    got = dask.compute(*parts, scheduler="sync")
    assert [len(p) for p in got] == [len(p) for p in dask.compute(*expected, scheduler="sync")]
    pd.testing.assert_frame_equal(pd.concat([to_host(p) for p in got]), (pdf + 1).loc[:2])
    unoptimized = df.to_delayed(optimize_graph=False)
    pd.testing.assert_frame_equal(to_host(unoptimized[0].compute(scheduler="sync")), to_host(got[0]))
    assert df.x.sum().to_delayed().compute(scheduler="sync") == (pdf + 1).loc[:2].x.sum()


def test_from_dask_array_is_lazy_per_row_block_with_dasks_index():
    x = da.from_array(np.arange(24.0).reshape(12, 2), chunks=(4, 2))
    df = gd.from_dask_array(x, columns=["p", "q"])
    assert df.npartitions == 3 and df.divisions == (0, 4, 8, 11)
    expected = dd_from_dask_array(x, columns=["p", "q"])
    assert_eq(df, expected)
    assert_eq(gd.from_dask_array(x[:, 0]), dd_from_dask_array(x[:, 0]))


def test_from_dask_array_meta_gives_only_the_partition_library(backend):
    # xarray's to_dask_dataframe passes meta=pd.DataFrame() for every column: dask takes only its type, the
    # name and dtype come from the array (the empty frame made a frame of no columns)
    import dask.dataframe as dd

    x = da.from_array(np.arange(10.0), chunks=4)
    empty = gd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1, backend=backend)._meta.iloc[:0, :0]
    got = gd.from_dask_array(x, columns="a", meta=empty)
    expected = dd.from_dask_array(x, columns="a", meta=pd.DataFrame())
    assert got.name == "a" and got.dtype == expected.dtype and got.divisions == expected.divisions
    part = got.get_partition(0).compute()
    assert type(part).__module__.split(".")[0] == type(empty).__module__.split(".")[0]
    assert_eq(gd.concat([got, gd.from_dask_array(x * 2, columns="b", meta=empty)], axis=1),
              pd.DataFrame({"a": np.arange(10.0), "b": np.arange(10.0) * 2}))


def test_from_dask_array_takes_an_index_with_its_divisions_as_dask():
    import dask.dataframe as dd

    pdf = pd.DataFrame({"v": range(10)}, index=pd.date_range("2020", periods=10, freq="h", name="t"))
    s, ds = gd.from_pandas(pdf, npartitions=3, backend="pandas").v, dd.from_pandas(pdf, npartitions=3).v
    x = da.from_array(np.arange(10.0) * 2, chunks=(tuple(s.map_partitions(len).compute()),))
    result = gd.from_dask_array(x, index=s.index, columns="w")
    assert result.divisions == s.divisions and result.index.dtype == pdf.index.dtype
    assert_eq(result, pd.Series(np.arange(10.0) * 2, index=pdf.index, name="w"))
    x = da.from_array(np.arange(10.0) * 2, chunks=(tuple(ds.map_partitions(len).compute()),))
    assert_eq(result, dd.from_dask_array(x, index=ds.index, columns="w").compute())
    # a gpuscale array of unknown block lengths (a frame's values) with that frame's index
    assert_eq(gd.from_dask_array(s.values, index=s.index), pdf.v.rename(None))
    with pytest.raises(ValueError, match="must be an instance"):
        gd.from_dask_array(x, index=pdf.index)
    with pytest.raises(ValueError, match="numbers of blocks.*2 != 3"):
        gd.from_dask_array(x, index=gd.from_pandas(pdf, npartitions=2).index)


def test_from_dask_array_takes_the_index_library(backend):
    pdf = pd.DataFrame({"v": range(10)}, index=pd.Index(np.arange(10) * 2, name="t"))
    s = gd.from_pandas(pdf, npartitions=3, backend=backend).v
    x = da.from_array(np.arange(10.0), chunks=(tuple(to_host(s.map_partitions(len).compute())),))
    result = gd.from_dask_array(x, index=s.index)  # NumPy blocks with the index's partitions (cuDF ones too)
    assert type(result._meta) is type(s._meta)
    pd.testing.assert_series_equal(to_host(result.compute()), pd.Series(np.arange(10.0), index=pdf.index))
    pd.testing.assert_series_equal(to_host(gd.from_dask_array(s.values, index=s.index).compute()), pdf.v.rename(None))


@pytest.mark.parametrize("chunks", [(1, 2, 3, 0), (0, 1, 2, 3), (1, 0, 2, 3)])
def test_from_dask_array_divisions_over_empty_blocks_as_dask(chunks):
    import dask.dataframe as dd

    x = da.from_array(np.arange(6), chunks=chunks)
    result = gd.from_dask_array(x)
    assert result.divisions == dd.from_dask_array(x).divisions
    assert_eq(result, pd.Series(np.arange(6)))


def test_from_dask_array_of_unknown_block_lengths_numbers_rows_per_block():
    import dask.dataframe as dd

    x = da.from_array(np.arange(12.0).reshape(6, 2), chunks=(3, 2))
    x = x[x[:, 0] > 1]
    result = gd.from_dask_array(x)
    assert not result.known_divisions
    assert_eq(result, dd.from_dask_array(x).compute())
    unknown_width = da.Array({("w", 0, 0): np.ones((2, 3))}, "w", ((np.nan,), (np.nan,)), np.float64)
    with pytest.raises(ValueError, match="Shape along axis 1 must be known"):
        gd.from_dask_array(unknown_width)


def test_from_dask_array_of_records_and_shape_errors():
    import dask.dataframe as dd

    records = np.array([(1, "a", 0.5), (2, "b", 1.5)], dtype=[("a", "i4"), ("b", "object"), ("c", "f8")])
    x = da.from_array(records, chunks=1)
    assert_eq(gd.from_dask_array(x), pd.DataFrame(records))
    assert_eq(gd.from_dask_array(x, columns=["c", "a"]), pd.DataFrame(records, columns=["c", "a"]))
    assert list(gd.from_dask_array(x).columns) == list(dd.from_dask_array(x).columns)
    with pytest.raises(ValueError, match="more than 2D array"):
        gd.from_dask_array(da.ones((3, 3, 3), chunks=2))
    with pytest.raises(ValueError, match="names must match width"):
        gd.from_dask_array(da.ones((10, 3), chunks=(3, 3)), columns=["a"])


def dd_from_dask_array(x, **kwargs):
    import dask.dataframe as dd

    return dd.from_dask_array(x, **kwargs).compute()


def test_random_split_partitions_every_row_once_and_is_reproducible(backend):
    pdf = pd.DataFrame({"a": range(1000)})
    df = gd.from_pandas(pdf, npartitions=5, backend=backend)
    a, b = df.random_split([0.7, 0.3], random_state=42)
    left, right = to_host(a.compute()), to_host(b.compute())
    assert sorted([*left.a, *right.a]) == list(range(1000))
    assert 600 < len(left) < 800
    again = to_host(df.random_split([0.7, 0.3], random_state=42)[0].compute())
    pd.testing.assert_frame_equal(again, left)
    with pytest.raises(ValueError, match="sum to 1"):
        df.random_split([0.5, 0.6])


@pytest.mark.parametrize("index", [False, True])
@pytest.mark.parametrize("fmt", ["tuple", "dict"])
def test_to_bag_gives_dasks_items(backend, index, fmt):
    import dask.dataframe as dd

    pdf = pd.DataFrame({"x": ["a", "b", "c", "d"], "y": [2, 3, 4, 5]}, index=pd.Index([1.0, 2.0, 3.0, 4.0], name="i"))
    df, ddf = gd.from_pandas(pdf, npartitions=2, backend=backend), dd.from_pandas(pdf, npartitions=2)
    bag = df.to_bag(index, format=fmt)
    assert bag.npartitions == 2
    assert bag.compute(scheduler="sync") == ddf.to_bag(index, format=fmt).compute(scheduler="sync")
    ours = df.y.to_bag(index, format=fmt).compute(scheduler="sync")
    assert ours == ddf.y.to_bag(index, format=fmt).compute(scheduler="sync")
    frames = dask.compute(*df.to_bag(format="frame").to_delayed(), scheduler="sync")  # the partitions whole
    pd.testing.assert_frame_equal(to_host(pd.concat([to_host(f) for f in frames])), pdf)
    with pytest.raises(ValueError, match="format"):
        df.to_bag(format="list")


def test_top_level_to_bag_and_to_records_as_dask(backend):
    import dask.dataframe as dd

    pdf = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]})
    df, ddf = gd.from_pandas(pdf, npartitions=2, backend=backend), dd.from_pandas(pdf, npartitions=2)
    assert gd.to_bag(df, True).compute(scheduler="sync") == dd.to_bag(ddf, True).compute(scheduler="sync")
    np.testing.assert_array_equal(gd.to_records(df).compute(), pdf.to_records())
