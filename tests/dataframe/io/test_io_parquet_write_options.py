"""to_parquet's dask options: append, _metadata files, name_function, custom_metadata, schema=."""

from __future__ import annotations

import os

import dask.dataframe as dd
import fsspec
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

import gpuscale.dataframe as gd
from tests.pandas_versions import needs_pandas_3


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"x": np.arange(20, dtype="int64"), "y": np.arange(20) / 4},
                        index=pd.Index(np.arange(20), name="i"))


def _data_files(path) -> list[str]:
    return sorted((n for n in os.listdir(path) if n.endswith(".parquet")), key=lambda n: int(n.split(".")[1]))


@pytest.mark.parametrize("metadata_file", [False, True])
def test_append_adds_files_after_the_existing_ones(tmp_path, frame, metadata_file):
    path = str(tmp_path / "ds")
    gd.from_pandas(frame.iloc[:10], npartitions=2).to_parquet(path, write_metadata_file=metadata_file)
    gd.from_pandas(frame.iloc[10:], npartitions=3).to_parquet(path, append=True)
    assert _data_files(path) == [f"part.{i}.parquet" for i in range(5)]
    assert ("_metadata" in os.listdir(path)) == metadata_file  # kept up to date only where there was one
    tm.assert_frame_equal(gd.read_parquet(path).compute(), frame)
    # dask writes the same dataset the same way
    other = str(tmp_path / "dask")
    dd.from_pandas(frame.iloc[:10], npartitions=2).to_parquet(other, write_metadata_file=metadata_file)
    dd.from_pandas(frame.iloc[10:], npartitions=3).to_parquet(other, append=True)
    assert _data_files(other) == _data_files(path)
    tm.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(other))


def test_append_to_nothing_writes_a_new_dataset(tmp_path, frame):
    path = str(tmp_path / "new")
    gd.from_pandas(frame, npartitions=2).to_parquet(path, append=True)
    tm.assert_frame_equal(pd.read_parquet(path), frame)


def test_append_refuses_other_columns_types_and_overlapping_index(tmp_path, frame):
    path = str(tmp_path / "ds")
    gd.from_pandas(frame.iloc[:10], npartitions=2).to_parquet(path)
    before = sorted(os.listdir(path))
    with pytest.raises(ValueError, match="Appended columns"):
        gd.from_pandas(frame.iloc[10:][["x"]], npartitions=1).to_parquet(path, append=True)
    with pytest.raises(ValueError, match="Appended dtypes"):
        gd.from_pandas(frame.iloc[10:].astype({"x": "int32"}), npartitions=1).to_parquet(path, append=True)
    with pytest.raises(ValueError, match="overlap with previously written divisions"):
        gd.from_pandas(frame.iloc[5:], npartitions=1).to_parquet(path, append=True)
    with pytest.raises(ValueError, match="append=True .* overwrite=True"):
        gd.from_pandas(frame, npartitions=1).to_parquet(path, append=True, overwrite=True)
    assert sorted(os.listdir(path)) == before  # nothing was added
    gd.from_pandas(frame.iloc[5:], npartitions=1).to_parquet(path, append=True, ignore_divisions=True)
    tm.assert_frame_equal(pd.read_parquet(path), pd.concat([frame.iloc[:10], frame.iloc[5:]]))


def test_failed_append_leaves_the_dataset_as_it_was(tmp_path, frame):
    path = str(tmp_path / "ds")
    gd.from_pandas(frame.iloc[:10], npartitions=2).to_parquet(path, write_metadata_file=True)
    before = {n: os.path.getmtime(os.path.join(path, n)) for n in os.listdir(path)}

    def fail(part):
        if (part.x > 15).any():
            raise RuntimeError("boom")
        return part

    bad = gd.from_pandas(frame.iloc[10:], npartitions=3).map_partitions(fail)
    with pytest.raises(RuntimeError, match="boom"):
        bad.to_parquet(path, append=True)
    assert {n: os.path.getmtime(os.path.join(path, n)) for n in os.listdir(path)} == before
    assert [n for n in os.listdir(tmp_path) if ".tmp-" in n] == []


def test_metadata_file_lists_every_row_group(tmp_path, frame):
    path = str(tmp_path / "ds")
    gd.from_pandas(frame, npartitions=4).to_parquet(path, write_metadata_file=True, row_group_size=3)
    merged = pq.read_metadata(os.path.join(path, "_metadata"))
    footers = [pq.read_metadata(os.path.join(path, n)) for n in _data_files(path)]
    assert merged.num_rows == len(frame)
    assert merged.num_row_groups == sum(f.num_row_groups for f in footers)
    paths = {merged.row_group(i).column(0).file_path for i in range(merged.num_row_groups)}
    assert paths == set(_data_files(path))
    assert pq.read_schema(os.path.join(path, "_common_metadata")).names == footers[0].schema.to_arrow_schema().names
    tm.assert_frame_equal(pq.ParquetDataset(path).read_pandas().to_pandas(), frame)


def test_name_function_names_the_files(tmp_path, frame):
    path = str(tmp_path / "ds")
    gd.from_pandas(frame, npartitions=3).to_parquet(path, name_function=lambda i: f"data-{i}.parquet")
    assert sorted(os.listdir(path)) == ["data-0.parquet", "data-1.parquet", "data-2.parquet"]
    tm.assert_frame_equal(gd.read_parquet(path).compute(), frame)
    with pytest.raises(ValueError, match="unique"):
        gd.from_pandas(frame, npartitions=3).to_parquet(str(tmp_path / "b"), name_function=lambda i: "same.parquet")
    with pytest.raises(ValueError, match="callable"):
        gd.from_pandas(frame, npartitions=3).to_parquet(str(tmp_path / "c"), name_function="x")
    assert not os.path.exists(tmp_path / "b") and not os.path.exists(tmp_path / "c")


def test_custom_metadata_and_schema_with_pyarrow(tmp_path, frame, backend):
    df = gd.from_pandas(frame, npartitions=2)
    path = str(tmp_path / "ds")
    if backend == "cudf":
        with pytest.raises(TypeError, match="custom_metadata"):
            df.to_parquet(path, custom_metadata={b"k": b"v"})
        with pytest.raises(TypeError, match="schema"):
            df.to_parquet(path, schema={"x": pa.int32()})
        return
    df.to_parquet(path, custom_metadata={b"k": b"v"}, schema={"x": pa.int32()}, write_metadata_file=True)
    for name in [*_data_files(path), "_metadata"]:
        assert pq.read_metadata(os.path.join(path, name)).metadata[b"k"] == b"v"
    assert pq.read_schema(os.path.join(path, "part.0.parquet")).field("x").type == pa.int32()
    tm.assert_frame_equal(pd.read_parquet(path), frame.astype({"x": "int32"}))
    with pytest.raises(ValueError, match="b'pandas'"):
        df.to_parquet(str(tmp_path / "other"), custom_metadata={b"pandas": b"{}"})


@needs_pandas_3("text is object dtype, not large_string")
def test_partition_that_does_not_fit_the_schema_names_both(tmp_path):
    if gd.from_pandas(pd.DataFrame({"x": [1]}), npartitions=1)._meta.__class__.__module__.startswith("cudf"):
        pytest.skip("cuDF's writer takes each partition's own schema")
    parts = [pd.DataFrame({"x": [1, 2], "y": [4.5, 6.0]}), pd.DataFrame({"x": [3], "y": ["a"]})]
    df = gd.from_delayed([__import__("dask").delayed(p) for p in parts], meta=parts[0], verify_meta=False)
    path = str(tmp_path / "ds")
    with pytest.raises(ValueError, match="expected pyarrow schema") as info:
        df.to_parquet(path)
    assert "y: double" in str(info.value) and "y: large_string" in str(info.value)
    assert not os.path.exists(path)
    df.to_parquet(path, schema=None)  # each file its own schema
    assert pq.read_schema(os.path.join(path, "part.1.parquet")).field("y").type == pa.large_string()


def test_partition_on_odd_values_read_back(tmp_path):
    frame = pd.DataFrame({"s": ["a b", "c/d", "a b", "e%"], "x": np.arange(4.0)})
    path = str(tmp_path / "hive")
    gd.from_pandas(frame, npartitions=2).to_parquet(path, partition_on=["s"], write_index=False)
    assert len(os.listdir(path)) == 3  # "c/d" is one folder, not two
    got = gd.read_parquet(path).compute().sort_values("x")
    assert list(to_host(got).s.astype(str)) == list(frame.s)
    assert list(pd.read_parquet(path).sort_values("x").s.astype(str)) == list(frame.s)


@pytest.mark.parametrize("key", [pd.array([0, 1, None, 1, None], dtype="Int64"), ["a", "b", None, "b", np.nan]])
def test_partition_on_missing_keys_round_trip_as_missing(tmp_path, key):
    frame = pd.DataFrame({"k": key, "x": np.arange(5.0)})
    path = str(tmp_path / "hive")
    gd.from_pandas(frame, npartitions=2).to_parquet(path, partition_on=["k"], write_index=False)
    want = dd.from_pandas(frame, npartitions=2)
    want.to_parquet(str(tmp_path / "dask"), partition_on=["k"], write_index=False)
    # the folder names of dask, pyarrow and Spark
    assert sorted(os.listdir(path)) == sorted(os.listdir(tmp_path / "dask"))
    assert "k=__HIVE_DEFAULT_PARTITION__" in os.listdir(path)
    got = gd.read_parquet(path)
    assert list(to_host(got._meta).k.cat.categories) == sorted(set(frame.k.dropna()))
    result = to_host(got.compute()).sort_values("x").reset_index(drop=True)
    expected = frame.astype({"k": pd.CategoricalDtype(sorted(set(frame.k.dropna())))})
    tm.assert_frame_equal(result.astype({"k": expected.k.dtype}), expected[result.columns])
    missing = to_host(gd.read_parquet(path, filters=[("k", "is", None)]).compute())
    assert sorted(missing.x) == [2.0, 4.0] and missing.k.isna().all()
    # a typed hive schema reads the keys as values, as pyarrow and dask do
    typed = pa.schema([("k", pa.int64() if isinstance(key, pd.api.extensions.ExtensionArray) else pa.string())])
    options = {"dataset": {"partitioning": {"flavor": "hive", "schema": typed}}}
    ours = to_host(gd.read_parquet(path, **options).compute()).sort_values("x")
    theirs = dd.read_parquet(path, **options).compute().sort_values("x")
    assert ours.k.isna().tolist() == theirs.k.isna().tolist() == frame.k.isna().tolist()


def test_partition_on_two_keys_with_missing_values(tmp_path):
    # b's value 7 appears only under a's missing-value folder: its category is still found
    frame = pd.DataFrame({"a": ["p", None, "q", "p", None, "q"], "b": [1, 7, None, 1, 7, 3], "x": np.arange(6.0)})
    path = str(tmp_path / "hive")
    gd.from_pandas(frame, npartitions=2).to_parquet(path, partition_on=["a", "b"], write_index=False)
    got = gd.read_parquet(path)
    result = to_host(got.compute()).sort_values("x")
    assert result.x.tolist() == frame.x.tolist()
    assert result.a.isna().tolist() == frame.a.isna().tolist()
    assert result.b.isna().tolist() == frame.b.isna().tolist()
    assert sorted(result.b.dropna().astype(str)) == sorted(frame.b.dropna().astype(str))
    only_p = to_host(gd.read_parquet(path, filters=[("a", "==", "p")], columns=["x"]).compute())
    assert sorted(only_p.x) == [0.0, 3.0]


def test_filesystem_object_and_listing_cache(tmp_path, frame, monkeypatch):
    fs = fsspec.filesystem("memory")
    gd.from_pandas(frame, npartitions=2).to_parquet("/gpuscale-p6/out", filesystem=fs)
    try:
        assert sorted(fs.ls("/gpuscale-p6/out", detail=False)) == ["/gpuscale-p6/out/part.0.parquet",
                                                                   "/gpuscale-p6/out/part.1.parquet"]
        tm.assert_frame_equal(gd.read_parquet("/gpuscale-p6/out", filesystem=fs).compute(), frame)
    finally:
        fs.rm("/gpuscale-p6", recursive=True)
    assert list(tmp_path.iterdir()) == []
    calls = []
    monkeypatch.setattr(type(fsspec.filesystem("file")), "invalidate_cache", lambda self, path=None: calls.append(path))
    job = gd.from_pandas(frame, npartitions=2).to_parquet(str(tmp_path / "lazy"), compute=False)
    assert calls and calls[-1] == str(tmp_path / "lazy")  # before returning, as dask: a later listing sees the files
    job.compute()
    tm.assert_frame_equal(gd.read_parquet(str(tmp_path / "lazy")).compute(), frame)


@pytest.mark.parametrize("partition_on", [None, "a"])
def test_create_metadata_file_like_dask(tmp_path, partition_on):
    from dask.dataframe.io.parquet import create_metadata_file as dask_create

    from gpuscale.dataframe.io.parquet import create_metadata_file

    frame = pd.DataFrame({"b": range(40), "a": list("ABCD") * 10}, index=pd.Index(range(40), name="i"))
    path = str(tmp_path / "ds")
    gd.from_pandas(frame, npartitions=4).to_parquet(path, partition_on=partition_on)
    files = sorted(str(p) for p in (tmp_path / "ds").rglob("*.parquet"))
    merged = create_metadata_file(files, out_dir=False)
    want = dask_create(files, out_dir=False)
    assert (merged.num_rows, merged.num_row_groups, merged.num_columns) == \
        (want.num_rows, want.num_row_groups, want.num_columns)
    paths = {merged.row_group(i).column(0).file_path for i in range(merged.num_row_groups)}
    assert paths == {os.path.relpath(f, path) for f in files}
    create_metadata_file(files)
    assert pq.read_metadata(os.path.join(path, "_metadata")).num_rows == len(frame)
    tm.assert_frame_equal(gd.read_parquet(path).compute().sort_values("b").astype({"a": str})[["b", "a"]]
                          .reset_index(drop=True), frame.reset_index(drop=True)[["b", "a"]])


def test_append_never_replaces_a_file(tmp_path, frame):
    path = str(tmp_path / "ds")
    gd.from_pandas(frame.iloc[:10], npartitions=3).to_parquet(path)
    removed = pd.read_parquet(os.path.join(path, "part.1.parquet")).index
    os.remove(os.path.join(path, "part.1.parquet"))  # 2 files left, numbered 0 and 2
    gd.from_pandas(frame.iloc[10:], npartitions=2).to_parquet(path, append=True)
    assert _data_files(path) == ["part.0.parquet", "part.2.parquet", "part.3.parquet", "part.4.parquet"]
    before = sorted(os.listdir(path))
    with pytest.raises(ValueError, match="replace the dataset's files"):
        gd.from_pandas(frame.iloc[10:], npartitions=1).to_parquet(path, append=True, ignore_divisions=True,
                                                                  name_function=lambda i: "part.0.parquet")
    assert sorted(os.listdir(path)) == before
    kept = frame.drop(removed)
    tm.assert_frame_equal(gd.read_parquet(path).compute(), kept)
