"""read_parquet's dask options: split_row_groups, blocksize, aggregate_files, calculate_divisions, dtype_backend,
categories, arrow_to_pandas, filesystem."""

from __future__ import annotations

import math
import os

import dask.dataframe as dd
import fsspec
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

import gpuscale.dataframe as gd


@pytest.fixture
def folder(tmp_path) -> str:
    """Two files of 40 rows each, row groups of 10 rows; a sorted named index."""
    frame = pd.DataFrame({"x": np.arange(80), "s": [f"v{j % 3}" for j in range(80)]},
                         index=pd.Index(np.arange(80) * 2, name="i"))
    path = str(tmp_path / "ds")
    os.makedirs(path)
    for j in range(2):
        frame.iloc[j * 40:(j + 1) * 40].to_parquet(f"{path}/part.{j}.parquet", row_group_size=10)
    return path


@pytest.mark.parametrize("split", [True, False, 1, 3, 4])
def test_split_row_groups_counts_like_dask(folder, split):
    got = gd.read_parquet(folder, split_row_groups=split)
    want = dd.read_parquet(folder, split_row_groups=split)
    per = 4 if split is False else (1 if split is True else split)
    assert got.npartitions == want.npartitions == 2 * math.ceil(4 / per)
    tm.assert_frame_equal(got.compute(), pd.read_parquet(folder))
    # each partition is whole row groups of one file, in order: the index statistics give the divisions
    assert got.divisions == dd.read_parquet(folder, split_row_groups=split, calculate_divisions=True).divisions


def test_split_row_groups_partitions_hold_their_row_groups(folder):
    got = gd.read_parquet(folder, split_row_groups=3)
    sizes = [len(got.get_partition(i).compute()) for i in range(got.npartitions)]
    assert sizes == [30, 10, 30, 10]
    with pytest.raises(ValueError, match="split_row_groups"):
        gd.read_parquet(folder, split_row_groups=0)
    across = gd.read_parquet(folder, split_row_groups=3, aggregate_files=True)  # 8 row groups in all
    assert across.npartitions == dd.read_parquet(folder, split_row_groups=3, aggregate_files=True).npartitions == 3
    tm.assert_frame_equal(across.compute(), pd.read_parquet(folder))


def test_blocksize_and_aggregate_files(folder):
    small = gd.read_parquet(folder, blocksize=600)  # about one row group each
    assert small.npartitions > 2
    tm.assert_frame_equal(small.compute(), pd.read_parquet(folder))
    # as dask: a partition spans files only with aggregate_files=True
    assert gd.read_parquet(folder, blocksize="1MiB").npartitions == dd.read_parquet(folder, blocksize="1MiB") \
        .npartitions == 2
    whole = gd.read_parquet(folder, blocksize="1MiB", aggregate_files=True)
    assert whole.npartitions == dd.read_parquet(folder, blocksize="1MiB", aggregate_files=True).npartitions == 1
    tm.assert_frame_equal(whole.compute(), pd.read_parquet(folder))
    assert gd.read_parquet(folder, blocksize="1MiB", aggregate_files=False).npartitions == 2


@pytest.mark.parametrize("split", ["infer", "adaptive"])
def test_blocksize_none_reads_whole_files(folder, split):
    got = gd.read_parquet(folder, blocksize=None, split_row_groups=split, aggregate_files=True)
    want = dd.read_parquet(folder, blocksize=None, split_row_groups=split, aggregate_files=True)
    assert got.npartitions == want.npartitions == 2
    tm.assert_frame_equal(got.compute(), pd.read_parquet(folder))


def test_filters_keep_one_partition_per_matching_file(tmp_path):
    # dask's default: small files are not merged, so the files left by the filters' statistics count
    frame = pd.DataFrame({"x": range(10), "y": list("aabbccddee")})
    path = str(tmp_path / "small")
    gd.from_pandas(frame, npartitions=5).to_parquet(path)
    for filters, parts in [([("x", ">", 4)], 3), ([("x", "in", (0, 9))], 2), ([("x", "!=", 1)], 5)]:
        got = gd.read_parquet(path, filters=filters)
        assert got.npartitions == dd.read_parquet(path, filters=filters).npartitions == parts
        want = pd.read_parquet(path, filters=filters)
        tm.assert_frame_equal(to_host(got.compute()), want)


def test_aggregate_files_by_hive_key(tmp_path):
    frame = pd.DataFrame({"a": ["p", "q", "r"] * 10, "b": np.arange(30.0)})
    path = str(tmp_path / "hive")
    gd.from_pandas(frame, npartitions=5).to_parquet(path, partition_on="a", write_index=False)
    got = gd.read_parquet(path, blocksize="1MiB", aggregate_files="a")
    assert got.npartitions == 3
    result = got.compute()
    assert all(part.a.nunique() == 1 for part in (got.get_partition(i).compute() for i in range(3)))
    tm.assert_frame_equal(result.sort_values("b").reset_index(drop=True).astype({"a": str}),
                          frame.sort_values("b").reset_index(drop=True).astype({"a": str})[result.columns])


def test_calculate_divisions(folder):
    want = dd.read_parquet(folder, calculate_divisions=True, split_row_groups=False).divisions
    assert gd.read_parquet(folder, split_row_groups=False).divisions == want == (0, 80, 158)
    assert gd.read_parquet(folder, calculate_divisions=True).known_divisions
    unknown = gd.read_parquet(folder, calculate_divisions=False, split_row_groups=True)
    assert not unknown.known_divisions and unknown.npartitions == 8
    tm.assert_frame_equal(unknown.compute(), pd.read_parquet(folder))


@pytest.mark.parametrize("dtype_backend", ["numpy_nullable", "pyarrow"])
def test_dtype_backend_as_pandas(folder, dtype_backend, backend):
    if backend == "cudf" and dtype_backend == "pyarrow":
        with pytest.raises(ValueError, match="dtype_backend='pyarrow'"):
            gd.read_parquet(folder, dtype_backend=dtype_backend)
        return
    got = gd.read_parquet(folder, dtype_backend=dtype_backend)
    if backend == "cudf":  # cuDF columns are nullable already: its usual dtypes
        tm.assert_frame_equal(got.compute(), pd.read_parquet(folder))
        return
    want = pd.read_parquet(folder, dtype_backend=dtype_backend)
    assert dict(got.dtypes) == dict(want.dtypes)  # the meta knows them
    tm.assert_frame_equal(got.compute(), want)


def test_types_mapper_comes_before_dtype_backend(folder, backend):
    if backend == "cudf":
        with pytest.raises(ValueError, match="arrow_to_pandas"):
            gd.read_parquet(folder, arrow_to_pandas={"types_mapper": {pa.int64(): pd.Float32Dtype()}.get})
        return
    got = gd.read_parquet(folder, dtype_backend="numpy_nullable",
                          arrow_to_pandas={"types_mapper": {pa.int64(): pd.Float32Dtype()}.get})
    want = pd.read_parquet(folder, dtype_backend="numpy_nullable").astype({"x": "Float32"})
    want.index = want.index.astype("Float32")
    tm.assert_frame_equal(got.compute(), want)


def test_convert_string_option_reads_strings_as_dask_does(folder, backend):
    import gpuscale

    with gpuscale.config.set({"dataframe.convert-string": True}):
        got = gd.read_parquet(folder)
        projected = gd.read_parquet(folder, columns=["s"])
    want = dd.read_parquet(folder)  # dask converts by default
    if backend == "cudf":  # cuDF's strings are Arrow strings already: its usual dtypes
        assert dict(got.dtypes) == dict(gd.read_parquet(folder).dtypes)
        return
    assert got.dtypes["s"] == want.dtypes["s"] == pd.StringDtype("pyarrow")
    tm.assert_frame_equal(got.compute(), pd.read_parquet(folder).astype({"s": pd.StringDtype("pyarrow")}))
    assert projected.compute().s.dtype == pd.StringDtype("pyarrow")
    assert gd.read_parquet(folder).dtypes["s"] != pd.StringDtype("pyarrow")  # off by default


def test_convert_string_option_reads_dates_decimals_and_index_as_dask_does(tmp_path):
    import datetime
    import decimal

    import gpuscale

    frame = pd.DataFrame({"d": [decimal.Decimal("1.5")] * 3, "t": [datetime.date(2020, 1, 1)] * 3},
                         index=pd.Index(["x", "y", "z"], name="k"))
    frame.to_parquet(tmp_path / "a.parquet")
    with gpuscale.config.set({"dataframe.convert-string": True}):
        got = gd.read_parquet(str(tmp_path), backend="pandas")
    want = dd.read_parquet(str(tmp_path))
    assert dict(got.dtypes) == dict(want.dtypes) == {"d": pd.ArrowDtype(pa.decimal128(2, 1)),
                                                     "t": pd.ArrowDtype(pa.date32())}
    result = got.compute()
    assert result.index.dtype == want.compute().index.dtype == pd.StringDtype("pyarrow")
    tm.assert_frame_equal(result, want.compute())


def test_categories_of_an_unknown_column_are_an_error(folder, backend):
    if backend != "cudf":  # cuDF refuses categories= altogether (test_categories)
        with pytest.raises(ValueError, match=r"categories= names column\(s\) \['foo'\].*available columns"):
            gd.read_parquet(folder, categories=["foo"])
        with pytest.raises(ValueError):
            dd.read_parquet(folder, categories=["foo"])


def test_categories(folder, backend):
    if backend == "cudf":
        with pytest.raises(ValueError, match="categories"):
            gd.read_parquet(folder, categories=["s"])
        return
    got = gd.read_parquet(folder, categories="s")
    assert got.dtypes["s"] == "category"
    result = got.compute()
    assert sorted(result.s.cat.categories) == ["v0", "v1", "v2"]
    tm.assert_frame_equal(result.astype({"s": str}), pd.read_parquet(folder).astype({"s": str}))
    # each partition's own values: unknown in the metadata, as dask (they were known and empty)
    assert not got.s.cat.known


def test_categoricals_of_numbers_come_back_categorical_as_dask(tmp_path, backend):
    pdf = pd.DataFrame({"x": pd.Categorical([1, 2, 1, 3]), "y": [0.5, 1.5, 2.5, 3.5]})
    path = str(tmp_path / "cats")
    gd.from_pandas(pdf, npartitions=2).to_parquet(path)
    got = gd.read_parquet(path)
    if backend == "cudf":  # cuDF reads the stored numbers, as cudf.read_parquet
        assert got.dtypes["x"] == "int64"
        return
    theirs = dd.read_parquet(path)
    assert got.dtypes["x"] == theirs.dtypes["x"] == "category" and not got.x.cat.known
    result = got.compute()
    assert result.x.tolist() == [1, 2, 1, 3] and sorted(result.x.cat.categories) == [1, 2, 3]
    assert pd.read_parquet(path).x.dtype == "int64"  # pandas alone loses the categorical


def test_filesystem_object(folder):
    got = gd.read_parquet(folder, filesystem=fsspec.filesystem("file"))
    tm.assert_frame_equal(got.compute(), pd.read_parquet(folder))
    tm.assert_frame_equal(gd.read_parquet(folder, filesystem="arrow").compute(), pd.read_parquet(folder))
    with pytest.raises(TypeError, match="filesystem"):
        gd.read_parquet(folder, filesystem=3)


def test_index_list_and_index_false(tmp_path):
    frame = pd.DataFrame({"a": [3, 1, 2, 5], "b": [0.5, 1.5, 2.5, 3.5], "c": list("wxyz")},
                         index=pd.Index([10, 11, 12, 13], name="i"))
    path = str(tmp_path / "ds")
    frame.to_parquet(path + ".parquet")
    source = path + ".parquet"
    # the stored index "i" stays a column, as dask reads it
    by_a = gd.read_parquet(source, index=["a"])
    tm.assert_frame_equal(by_a.compute(), frame.reset_index().set_index("a"))
    assert list(dd.read_parquet(source, index=["a"]).columns) == list(by_a.columns)
    multi = gd.read_parquet(source, index=["a", "c"], columns=["b"]).compute()
    tm.assert_frame_equal(multi, frame.set_index(["a", "c"])[["b"]])
    plain = gd.read_parquet(source, index=False)
    tm.assert_frame_equal(plain.compute(), frame.reset_index())
    assert list(dd.read_parquet(source, index=False).columns) == list(plain.columns)
    filtered = gd.read_parquet(source, index=False, filters=[("a", ">", 1)])  # rows numbered by position
    tm.assert_frame_equal(filtered.compute(), frame.reset_index()[lambda f: f.a > 1])
    masked = gd.read_parquet(source, index=False)
    tm.assert_frame_equal(masked[masked.a > 1].compute(), frame.reset_index()[lambda f: f.a > 1])
    with pytest.raises(ValueError, match="both in index= and in columns="):
        gd.read_parquet(source, index="a", columns=["a", "b"])


def test_is_and_in_filters(tmp_path):
    frame = pd.DataFrame({"a": [1.0, None, 3.0, None, 5.0], "b": list("vwxyz")})
    source = str(tmp_path / "f.parquet")
    frame.to_parquet(source, row_group_size=2)
    for op in ("is", "is not"):
        got = gd.read_parquet(source, filters=[("a", op, None)]).compute()
        want = dd.read_parquet(source, filters=[("a", op, None)]).compute()
        assert len(want) == (2 if op == "is" else 3)
        expected = frame[frame.a.isna() if op == "is" else frame.a.notna()]
        tm.assert_frame_equal(got.reset_index(drop=True), expected.reset_index(drop=True))
    with pytest.raises(ValueError, match="None or NaN"):
        gd.read_parquet(source, filters=[("a", "is", 3)])
    with pytest.raises(TypeError, match="Value of 'in' filter"):
        gd.read_parquet(source, filters=[("a", "in", 3)])


def test_parquet_file_extension(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    pd.DataFrame({"x": [1, 2]}).to_parquet(folder / "one.parquet")
    pd.DataFrame({"x": [3]}).to_parquet(folder / "two.data")
    got = gd.read_parquet(str(folder)).x.compute()
    assert list(to_host(got)) == [1, 2]  # the .parquet file only
    assert int(gd.read_parquet(str(folder), parquet_file_extension=(".parquet", ".data")).x.sum().compute()) == 6
    assert int(gd.read_parquet(str(folder), parquet_file_extension=".data").x.sum().compute()) == 3


def test_metadata_file_among_paths(tmp_path):
    frame = pd.DataFrame({"x": np.arange(12)}, index=pd.Index(np.arange(12), name="i"))
    path = str(tmp_path / "ds")
    gd.from_pandas(frame, npartitions=3).to_parquet(path, write_metadata_file=True)
    files = sorted(str(p) for p in (tmp_path / "ds").glob("*.parquet"))
    tm.assert_frame_equal(gd.read_parquet([*files, f"{path}/_metadata"]).compute(), frame)
    tm.assert_frame_equal(gd.read_parquet(f"{path}/_metadata").compute(), frame)  # the dataset it describes


def test_dataset_partitioning_types_hive_keys(tmp_path):
    frame = pd.DataFrame({"a": range(10), "b": ["cat", "dog"] * 5})
    path = str(tmp_path / "hive")
    gd.from_pandas(frame, npartitions=2).to_parquet(path, partition_on=["b"], write_index=False)
    options = {"flavor": "hive", "schema": pa.schema([("b", pa.string())])}
    got = gd.read_parquet(path, dataset={"partitioning": options}, filters=[("b", "==", "dog")])
    want = pd.read_parquet(path, partitioning=__import__("pyarrow.dataset").dataset.partitioning(**options),
                           filters=[("b", "==", "dog")])
    assert got.dtypes["b"] != "category"
    tm.assert_frame_equal(got.compute().reset_index(drop=True), want.reset_index(drop=True))
    with pytest.raises(TypeError, match="dataset="):
        gd.read_parquet(path, dataset={"format": "parquet"})


@pytest.mark.parametrize("scheduler", ["threads", "processes"])
def test_dataset_partitioning_object(tmp_path, scheduler):
    """``dataset={"partitioning": HivePartitioning(schema)}`` (dask_cudf's tests pass one): the keys take the
    schema's types, a null key folder reads as null, and the object travels to worker processes."""
    import pyarrow.dataset as ds

    if scheduler == "processes":
        skip_on_stand_in("worker processes have no stand-in")
    frame = pd.DataFrame({"id": pd.array([0, 1, None], dtype="Int64"), "x": [1, 2, 3]})
    path = str(tmp_path / "hive")
    gd.from_pandas(frame, npartitions=1).to_parquet(path, partition_on=["id"], write_index=False)
    partitioning = ds.HivePartitioning(pa.schema([("id", pa.int64())]))
    got = gd.read_parquet(path, dataset={"partitioning": partitioning})
    want = pd.read_parquet(path, partitioning=partitioning)
    assert got.dtypes["id"].kind in "if"  # the schema's integers (categories when discovered)
    computed = to_host(got.compute(scheduler=scheduler))
    tm.assert_frame_equal(computed.sort_values("x").reset_index(drop=True)[["x", "id"]],
                          want.sort_values("x").reset_index(drop=True)[["x", "id"]], check_dtype=False)
    with pytest.raises(TypeError, match="a pyarrow Partitioning, got 'directory'"):
        gd.read_parquet(path, dataset={"partitioning": "directory"})
