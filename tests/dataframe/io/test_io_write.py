"""to_parquet / to_csv: round trips through pandas, atomic commits, overwrite refusal."""

from __future__ import annotations

import glob
import os

import pandas as pd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in
import pytest

import gpuscale.dataframe as gd
from io_fixtures import memory_root, parquet_file, pdf, read_back_parquet  # noqa: F401 (fixtures)


def _leftovers(path) -> list[str]:
    return glob.glob(f"{path}.tmp-*") + glob.glob(f"{path}.old-*")


def _fail_on(value):
    def check(part):
        if (part["i"] == value).any():
            raise RuntimeError(f"partition holding i={value} failed")
        return part
    return check


def test_to_parquet_round_trip(tmp_path, pdf, backend):
    path = str(tmp_path / "out")
    result = gd.to_parquet(gd.from_pandas(pdf, npartitions=4), path)
    assert result is None
    assert sorted(os.listdir(path)) == [f"part.{i}.parquet" for i in range(4)]
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf)
    back = gd.read_parquet(path)
    assert back.npartitions == 4  # one per file, as dask (small files are merged only with aggregate_files=True)
    tm.assert_frame_equal(back.compute(), pdf)
    assert _leftovers(path) == []


def test_to_parquet_method_style_and_without_index(tmp_path, pdf, backend):
    path = str(tmp_path / "noindex")
    df = gd.from_pandas(pdf.set_index("i"), npartitions=3)
    gd.to_parquet(df, path, write_index=False)
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf.drop(columns="i"))


def test_to_parquet_partition_on(tmp_path, pdf, backend):
    path = str(tmp_path / "hive")
    gd.to_parquet(gd.from_pandas(pdf, npartitions=2), path, partition_on="k", write_index=False)
    assert sorted(os.listdir(path)) == ["k=0", "k=1", "k=2"]
    back = gd.read_parquet(path).compute()
    expected = read_back_parquet(path, backend)
    tm.assert_frame_equal(back, expected)
    got = back.astype({"k": "int64"}).sort_values("i").reset_index(drop=True)
    tm.assert_frame_equal(got, pdf[got.columns])


def test_to_parquet_memory_url(memory_root, pdf):
    url = f"{memory_root}/written"
    gd.to_parquet(gd.from_pandas(pdf, npartitions=3), url, write_index=False)
    tm.assert_frame_equal(gd.read_parquet(url).compute(), pdf)
    import fsspec

    fs = fsspec.filesystem("memory")
    assert not fs.glob(f"{memory_root}/written.tmp-*")


def test_refuses_to_overwrite(tmp_path, pdf, backend):
    path = str(tmp_path / "out")
    df = gd.from_pandas(pdf, npartitions=2)
    gd.to_parquet(df, path)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        gd.to_parquet(df, path)
    gd.to_parquet(gd.from_pandas(pdf.iloc[:10], npartitions=1), path, overwrite=True)
    assert os.listdir(path) == ["part.0.parquet"]
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf.iloc[:10])
    assert _leftovers(path) == []


def test_empty_existing_folder_is_fine(tmp_path, pdf, backend):
    path = tmp_path / "empty"
    path.mkdir()
    gd.to_parquet(gd.from_pandas(pdf, npartitions=2), str(path))
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf)


def test_failing_partition_leaves_nothing(tmp_path, pdf):
    path = str(tmp_path / "out")
    df = gd.from_pandas(pdf, npartitions=5).map_partitions(_fail_on(70), meta=pdf.iloc[:0])
    with pytest.raises(RuntimeError, match="i=70 failed"):
        gd.to_parquet(df, path)
    assert not os.path.exists(path)
    assert _leftovers(path) == []


def test_failing_overwrite_keeps_the_old_data(tmp_path, pdf, backend):
    path = str(tmp_path / "out")
    gd.to_parquet(gd.from_pandas(pdf.iloc[:10], npartitions=1), path)
    bad = gd.from_pandas(pdf, npartitions=5).map_partitions(_fail_on(3), meta=pdf.iloc[:0])
    with pytest.raises(RuntimeError):
        gd.to_parquet(bad, path, overwrite=True)
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf.iloc[:10])
    assert _leftovers(path) == []


def test_interrupt_leaves_nothing(tmp_path, pdf):
    def interrupt(part):
        if (part["i"] == 50).any():
            raise KeyboardInterrupt
        return part

    path = str(tmp_path / "out")
    df = gd.from_pandas(pdf, npartitions=4).map_partitions(interrupt, meta=pdf.iloc[:0])
    with pytest.raises(KeyboardInterrupt):
        gd.to_parquet(df, path, compute_kwargs={"scheduler": "sync"})
    assert not os.path.exists(path)
    assert _leftovers(path) == []


def test_write_graph_has_one_task_per_partition_and_a_commit(tmp_path, pdf, backend):
    path = str(tmp_path / "lazy")
    job = gd.to_parquet(gd.from_pandas(pdf, npartitions=4), path, compute=False)
    graph = dict(job.__dask_graph__())
    names = [key[0] for key in graph if isinstance(key, tuple)]
    assert sum(name.endswith("-part") for name in names) == 4
    assert sum(name.endswith("-prepare") for name in names) == 1
    assert not os.path.exists(path)  # nothing happens until computed
    assert job.compute() is None
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf)


def test_write_on_a_distributed_client(tmp_path, pdf, backend):
    distributed = pytest.importorskip("distributed")
    path = str(tmp_path / "dist")
    with distributed.Client(processes=False, n_workers=2, threads_per_worker=1, dashboard_address=":0") as client:
        gd.to_parquet(gd.from_pandas(pdf, npartitions=4), path, compute_kwargs={"scheduler": client})
    tm.assert_frame_equal(read_back_parquet(path, backend), pdf)


# -- csv ------------------------------------------------------------------------------------
def test_to_csv_folder(tmp_path, pdf):
    path = str(tmp_path / "csvs")
    gd.to_csv(gd.from_pandas(pdf, npartitions=3), path, index=False)
    assert sorted(os.listdir(path)) == ["0.part", "1.part", "2.part"]
    parts = [pd.read_csv(f"{path}/{i}.part", parse_dates=["d"]) for i in range(3)]
    assert sum(len(p) for p in parts) == 100 and all(len(p) > 0 for p in parts)
    tm.assert_frame_equal(pd.concat(parts, ignore_index=True), pdf, check_dtype=False)
    back = gd.read_csv(f"{path}/*.part", parse_dates=["d"]).compute().reset_index(drop=True)
    tm.assert_frame_equal(back, pdf, check_dtype=False)


def test_to_csv_pattern_and_name_function(tmp_path, pdf):
    gd.to_csv(gd.from_pandas(pdf, npartitions=2), str(tmp_path / "out" / "data-*.csv"),
              name_function=lambda i: f"{i:03d}", index=False)
    assert sorted(os.listdir(tmp_path / "out")) == ["data-000.csv", "data-001.csv"]


def test_to_csv_single_file(tmp_path, pdf):
    path = str(tmp_path / "one.csv")
    gd.to_csv(gd.from_pandas(pdf, npartitions=4), path, single_file=True, index=False)
    tm.assert_frame_equal(pd.read_csv(path, parse_dates=["d"]), pdf, check_dtype=False)
    assert _leftovers(path) == []
    with pytest.raises(FileExistsError):
        gd.to_csv(gd.from_pandas(pdf, npartitions=1), path, single_file=True)


def test_to_csv_failure_leaves_nothing(tmp_path, pdf):
    path = str(tmp_path / "one.csv")
    df = gd.from_pandas(pdf, npartitions=4).map_partitions(_fail_on(99), meta=pdf.iloc[:0])
    with pytest.raises(RuntimeError):
        gd.to_csv(df, path, single_file=True)
    assert os.listdir(tmp_path) == []


def test_csv_round_trip_through_memory(memory_root, pdf):
    url = f"{memory_root}/csv"
    gd.to_csv(gd.from_pandas(pdf, npartitions=2), url, index=False)
    back = gd.read_csv(url, parse_dates=["d"]).compute().reset_index(drop=True)
    tm.assert_frame_equal(back, pdf, check_dtype=False)


def test_backend_keyword_on_writers(tmp_path, pdf):
    import gpuscale

    df = gd.from_pandas(pdf, npartitions=2)
    gd.to_parquet(df, str(tmp_path / "p"), backend="cpu")
    gd.to_csv(df, str(tmp_path / "c"), backend="pandas", index=False)
    tm.assert_frame_equal(pd.read_parquet(tmp_path / "p"), pdf)
    with pytest.raises(ValueError, match="unknown backend"):
        gd.to_parquet(df, str(tmp_path / "q"), backend="tpu")
    if not gpuscale.backends.available()["cudf"].ok:
        with pytest.raises(gpuscale.backends.BackendUnavailableError):
            gd.to_parquet(df, str(tmp_path / "g"), backend="cudf")
    assert not (tmp_path / "q").exists() and not (tmp_path / "g").exists()


def test_to_parquet_needs_a_dataframe(tmp_path, pdf):
    with pytest.raises(TypeError, match="to_frame"):
        gd.to_parquet(gd.from_pandas(pdf, npartitions=2)["i"], str(tmp_path / "s"))


def test_read_filter_write_on_worker_processes(tmp_path, parquet_file, pdf):
    # fragments, read specs and write targets travel to other processes by pickle
    skip_on_stand_in("worker processes import no stand-in")
    distributed = pytest.importorskip("distributed")
    path = str(tmp_path / "from-workers")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as client:
        df = gd.read_parquet(parquet_file, partition_bytes=1)
        query = df[df.i >= 42][["i", "s"]]
        gd.to_parquet(query, path, compute_kwargs={"scheduler": client})
        csv = gd.read_csv(_write_csv(tmp_path, pdf), blocksize=600)
        got_csv = csv.compute(scheduler=client).reset_index(drop=True)
    expected = pd.read_parquet(parquet_file)
    tm.assert_frame_equal(pd.read_parquet(path), expected.loc[expected.i >= 42, ["i", "s"]])
    tm.assert_frame_equal(got_csv, pd.read_csv(tmp_path / "w.csv"))


def _write_csv(tmp_path, pdf) -> str:
    path = tmp_path / "w.csv"
    pdf.to_csv(path, index=False)
    return str(path)


@pytest.mark.parametrize("rows", [50, 50.0])
def test_parquet_options_are_translated_for_the_partitions_writer(tmp_path, pdf, backend, rows):
    # pyarrow's names work on every backend: cuDF's writer calls row_group_size row_group_size_rows (and takes
    # a whole number, which pyarrow takes as a float too)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df.to_parquet(str(tmp_path / "out"), row_group_size=rows, compression="zstd")
    import pyarrow.parquet as pq

    metas = [pq.ParquetFile(f).metadata for f in sorted((tmp_path / "out").glob("*.parquet"))]
    groups = [m.row_group(i) for m in metas for i in range(m.num_row_groups)]
    assert max(g.num_rows for g in groups) == 50 and sum(g.num_rows for g in groups) == len(pdf)
    assert {g.column(0).compression for g in groups} == {"ZSTD"}
    tm.assert_frame_equal(gd.read_parquet(str(tmp_path / "out")).compute(), pdf)


@pytest.mark.parametrize("option", ["flavor", "no_such_option"])
def test_parquet_options_a_writer_lacks_are_refused_before_writing(tmp_path, pdf, backend, option):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    if option == "flavor" and backend == "pandas":
        pytest.skip("pyarrow's writer has it")
    with pytest.raises(TypeError, match=option):
        df.to_parquet(str(tmp_path / "out"), **{option: "spark"})
    assert not list(tmp_path.iterdir())  # nothing written, no temporary folder left


@pytest.mark.parametrize(("options", "message"), [
    ({"compression": "brotli"}, "compression='brotli'"),
    ({"compression": {"i": "zstd"}}, "one codec for all columns"),
    ({"use_dictionary": ["s"]}, "use_dictionary"),
    ({"write_statistics": ["i"]}, "write_statistics"),
    ({"column_encoding": "PLAIN"}, "a dict of column"),
    ({"column_encoding": {"i": "RLE"}}, "column_encoding"),
    ({"row_group_size": 2.5}, "row_group_size=2.5"),
])
def test_parquet_values_cudf_s_writer_lacks_are_refused_before_writing(tmp_path, pdf, backend, options, message):
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    if backend == "pandas":
        pytest.skip("pyarrow's writer takes them")
    with pytest.raises(ValueError, match=message):
        df.to_parquet(str(tmp_path / "out"), **options)
    assert not list(tmp_path.iterdir())


def test_cudf_partitions_are_written_by_cudf_s_writer_with_its_option_names(tmp_path, pdf, backend, monkeypatch):
    if backend == "pandas":
        pytest.skip("cuDF's writer")
    import sys

    written = []
    frame_type = type(sys.modules["cudf"].from_pandas(pdf.iloc[:1]))
    to_parquet = frame_type.__getattr__

    def recording(self, name):
        member = to_parquet(self, name)
        if name != "to_parquet":
            return member

        def write(path, **options):
            written.append((path, options))
            return member(path, **options)
        return write

    if getattr(sys.modules["cudf"], "STRICT_STAND_IN", False):
        monkeypatch.setattr(frame_type, "__getattr__", recording)
    df = gd.from_pandas(pdf, npartitions=2, backend=backend)
    df.to_parquet(str(tmp_path / "out"), row_group_size=20, compression="gzip", column_encoding={"i": "plain"},
                  write_statistics=False)
    tm.assert_frame_equal(read_back_parquet(tmp_path / "out", backend), pdf)
    if written:  # the stand-in: a local path (cuDF writes the file itself), cuDF's option names and values
        assert all(isinstance(path, str) and path.endswith(".parquet") for path, _ in written)
        assert written[0][1] == {"index": True, "row_group_size_rows": 20, "compression": "GZIP",
                                 "column_encoding": {"i": "PLAIN"}, "statistics": "NONE"}


@pytest.mark.parametrize("emptied", ["first", "middle", "all_but_last"])
def test_object_column_of_emptied_partitions_gets_the_other_files_type(tmp_path, emptied):
    # an object column of an empty partition has no value to type it by: Arrow writes it as null, and pyarrow,
    # pandas and dask then read the dataset with the first file's schema and cannot cast strings to null
    import numpy as np
    import pyarrow.parquet as pq

    pdf = pd.DataFrame({"i": np.arange(80), "s": pd.Series([f"v{i}" for i in range(80)], dtype=object),
                        "d": pd.Series([{"k": i} if i % 2 else None for i in range(80)], dtype=object)})
    df = gd.from_pandas(pdf, npartitions=4, backend="pandas")
    keep = {"first": df.i >= 20, "middle": (df.i < 20) | (df.i >= 40), "all_but_last": df.i >= 60}[emptied]
    path = str(tmp_path / "out")
    df[keep].to_parquet(path)
    expected = pdf[{"first": pdf.i >= 20, "middle": (pdf.i < 20) | (pdf.i >= 40),
                    "all_but_last": pdf.i >= 60}[emptied]]
    got = pd.read_parquet(path)  # pyarrow's dataset reader, with the first file's schema
    assert got["i"].tolist() == expected["i"].tolist()
    assert got["s"].tolist() == expected["s"].tolist()
    files = sorted(glob.glob(os.path.join(path, "*.parquet")))
    assert {str(pq.read_schema(f).field("s").type) for f in files} == {"string"}
    assert len({str(pq.read_schema(f).field("d").type) for f in files}) == 1
    tm.assert_frame_equal(gd.read_parquet(path).compute()[["i"]], pd.read_parquet(path)[["i"]])


def test_settle_null_columns_leaves_columns_null_everywhere_or_of_several_types(tmp_path):
    import fsspec
    import pyarrow as pa
    import pyarrow.parquet as pq

    from gpuscale.backends.io.parquet_files import settle_null_columns

    folder = tmp_path / "parts"
    folder.mkdir()
    tables = [pa.table({"a": pa.array([None, None], pa.null()), "b": pa.array([None], pa.null()).take([0, 0]),
                        "c": pa.array([None, None], pa.null())}),
              pa.table({"a": pa.array(["x", "y"]), "b": pa.array([None, None], pa.null()), "c": pa.array([1, 2])}),
              pa.table({"a": pa.array([None, None], pa.null()), "b": pa.array([None, None], pa.null()),
                        "c": pa.array(["p", "q"])})]
    for n, table in enumerate(tables):
        pq.write_table(table, folder / f"part.{n}.parquet")
    rewritten = settle_null_columns(fsspec.filesystem("file"), str(folder), ("a", "b", "c"), {})
    assert sorted(os.path.basename(p) for p in rewritten) == ["part.0.parquet", "part.2.parquet"]
    types = [{f.name: str(f.type) for f in pq.read_schema(folder / f"part.{n}.parquet")} for n in range(3)]
    assert [t["a"] for t in types] == ["string", "string", "string"]  # one type elsewhere: taken
    assert [t["b"] for t in types] == ["null", "null", "null"]  # null everywhere: left
    assert [t["c"] for t in types] == ["null", "int64", "string"]  # two types elsewhere: left
    assert pq.read_table(folder / "part.0.parquet").column("a").to_pylist() == [None, None]
