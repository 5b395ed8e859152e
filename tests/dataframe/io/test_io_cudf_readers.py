"""cuDF partitions are read by cuDF's own readers (``cudf.read_parquet``, ``cudf.read_csv``) and give what
the pandas leg gives.

On the strict-cudf leg the stand-in's readers record their calls (``cudf.READER_CALLS``), so the
tests see which reader ran, with which row groups, columns and byte ranges; on the real-cuDF leg
(``gpu``) the same comparisons run without the call log.  The pandas leg is the reference: every
cuDF read is compared with the same read made with ``backend="pandas"``.
"""

from __future__ import annotations

import gzip
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import gpuscale.dataframe as gd
from gpuscale.backends import frame as bf
from gpuscale.backends import io as bio
from gpuscale.backends.io.cudf import csv_reader_problem, filter_mask
from gpuscale.backends.io.parquet_stats import ColumnRef
from gpuscale.testing import assert_eq
from io_fixtures import memory_root, parquet_file, pdf  # noqa: F401 (fixtures)


@pytest.fixture
def calls(backend):
    """The stand-in's reader calls, from now on (cuDF legs; the call log exists on the stand-in only)."""
    if backend != "cudf":
        pytest.skip("cuDF's readers read cuDF partitions only")
    import cudf  # the stand-in on the strict-cudf leg (installed in sys.modules), the real one on the GPU leg

    if not getattr(cudf, "STRICT_STAND_IN", False):
        pytest.skip("the real cuDF keeps no call log")
    cudf.READER_CALLS.clear()
    return cudf.READER_CALLS


def _leaf(collection, kind):
    (leaf,) = collection.expr.optimize(fuse=False).find_operations(kind)
    return leaf


def _as_pandas(read, *args, **kwargs):
    """The same read on the pandas leg (the reference)."""
    return read(*args, backend="pandas", **kwargs).compute()


# -- parquet --------------------------------------------------------------------------------------
def test_partitions_read_their_planned_row_groups_and_columns(parquet_file, calls):  # noqa: F811
    df = gd.read_parquet(parquet_file, columns=["i", "s"], partition_bytes=1)
    leaf = _leaf(df, gd.io.ReadParquet)
    assert leaf.reader == "cudf.read_parquet" and "reader=cudf.read_parquet" in leaf._tree_label()
    assert_eq(df, _as_pandas(gd.read_parquet, parquet_file, columns=["i", "s"], partition_bytes=1))
    read = [(path, rg) for name, paths, options in calls for path, ids in zip(paths, options["row_groups"])
            for rg in ids]
    assert sorted(read) == sorted(leaf.row_groups_read) and len(calls) == df.npartitions == 10
    for name, paths, options in calls:
        assert name == "read_parquet" and options["columns"] == ["i", "s"]
        assert options["dataset_kwargs"] == {"partitioning": None} and not options["use_pandas_metadata"]
        assert "filesystem" not in options  # a local file: cuDF opens it itself


@pytest.mark.parametrize("filters", [
    [("i", ">", 75)],
    [[("i", "<", 15)], [("i", ">", 85)]],
    [("f", "!=", 0.5)],  # pyarrow: a missing value matches no comparison
    [("f", "not in", [0.5])],  # ... but matches "not in"
    [("s", "in", ["s1", "s3"]), ("k", ">=", 1)],
    [("d", "<", pd.Timestamp("2024-01-02 03:00"))],
])
def test_user_filters_are_applied_on_the_device_as_pyarrow_applies_them(parquet_file, calls, filters):  # noqa: F811
    df = gd.read_parquet(parquet_file, filters=filters, partition_bytes=1)
    assert_eq(df, _as_pandas(gd.read_parquet, parquet_file, filters=filters, partition_bytes=1))
    expected_groups = sorted(rg for _, rg in _leaf(df, gd.io.ReadParquet).row_groups_read)
    assert sorted(rg for _, _, o in calls for ids in o["row_groups"] for rg in ids) == expected_groups
    assert all("filters" not in options for _, _, options in calls)  # filtered by gpuscale, see gpuscale.backends.io.cudf


def test_pushed_predicates_keep_pandas_meaning(parquet_file, calls):  # noqa: F811
    df = gd.read_parquet(parquet_file)
    query = df[(df.f != 0.5) & (df.i > 20)]
    # a float column's "!=" stays above the read (statistics leave NaN out, and NaN != 0.5 holds)
    (leaf,) = query.expr.optimize(fuse=False).find_operations(gd.io.ReadParquet)
    assert leaf._filters[1] == [("i", ">", 20)]
    reference = gd.read_parquet(parquet_file, backend="pandas")
    assert_eq(query, reference[(reference.f != 0.5) & (reference.i > 20)].compute())
    assert query.compute().to_pandas().f.isna().any()  # "!=" kept the missing values, as pandas does
    assert calls and sorted(calls[0][2]["columns"]) == ["d", "f", "i", "k", "s"]


def test_row_positions_survive_a_filter_over_skipped_row_groups(parquet_file, calls):  # noqa: F811
    # one partition reads row groups 0, 1, 8, 9: its index is each row's position in the file
    filters = [[("i", "<", 15)], [("i", ">", 85)]]
    df = gd.read_parquet(parquet_file, filters=filters)
    assert df.npartitions == 1
    result = df.compute().to_pandas()
    expected = _as_pandas(gd.read_parquet, parquet_file, filters=filters)
    assert list(result.index) == list(expected.index) == [*range(15), *range(86, 100)]
    assert [ids for _, _, o in calls for ids in o["row_groups"]] == [[0, 1, 8, 9]]


def test_index_plans_match_the_pandas_leg(tmp_path, pdf, calls):  # noqa: F811
    stored = str(tmp_path / "stored.parquet")
    pdf.set_index("i").to_parquet(stored, row_group_size=25)
    unnamed = str(tmp_path / "unnamed.parquet")
    pdf.set_index(pd.Index(np.arange(100) * 3)).to_parquet(unnamed, row_group_size=25)
    for path, options in [(stored, {}), (unnamed, {}), (stored, {"index": False}), (unnamed, {"index": "k"}),
                          (stored, {"filters": [("f", ">", 0)]}), (unnamed, {"filters": [("k", "==", 1)]})]:
        df = gd.read_parquet(path, partition_bytes=1, **options)
        assert_eq(df, _as_pandas(gd.read_parquet, path, partition_bytes=1, **options))
    assert calls


def test_categorical_and_zoned_columns_get_the_meta_dtypes(tmp_path, pdf, calls):  # noqa: F811
    path = str(tmp_path / "typed.parquet")
    frame = pdf.assign(c=pd.Categorical(pdf.s), z=pdf.d.dt.tz_localize("Europe/Paris"))
    frame.to_parquet(path, row_group_size=30)
    df = gd.read_parquet(path, partition_bytes=1)
    result = df.compute()
    assert str(result.dtypes["c"]) == "category" and str(result.dtypes["z"]).endswith("Europe/Paris]")
    assert_eq(df, _as_pandas(gd.read_parquet, path, partition_bytes=1))
    assert_eq(df[df.c == "s2"], frame[frame.c == "s2"])


@pytest.mark.parametrize("writer", ["pandas", "arrow"])
def test_integer_and_boolean_columns_with_nulls_keep_them(tmp_path, calls, writer):
    # cuDF reads an integer or boolean column with nulls as its own dtype with a null mask (pyarrow's
    # to_pandas would give float64 and objects); the values, and which are missing, are the pandas leg's
    path = str(tmp_path / "nulls.parquet")
    frame = pd.DataFrame({"i": pd.array([None, 1, 2, None], dtype="Int64"),
                          "b": pd.array([None, True, False, True], dtype="boolean"), "x": [1.0, 2, 3, 4]})
    if writer == "pandas":
        frame.to_parquet(path, row_group_size=2)
    else:
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False).replace_schema_metadata(), path,
                       row_group_size=2)
    df = gd.read_parquet(path, partition_bytes=1)
    expected = _as_pandas(gd.read_parquet, path, partition_bytes=1)
    result = df.compute().to_pandas(nullable=True)
    assert result.i.isna().tolist() == [True, False, False, True] == expected.i.isna().tolist()
    assert result.b.isna().tolist() == [True, False, False, False] == expected.b.isna().tolist()
    assert result.i.dropna().tolist() == [1, 2] and result.b.dropna().tolist() == [True, False, True]
    assert df[df.b.fillna(False)].x.sum().compute() == expected[expected.b.fillna(False)].x.sum()


def test_hive_partition_columns_are_added_with_every_category(tmp_path, pdf, calls):  # noqa: F811
    path = str(tmp_path / "hive")
    pdf.to_parquet(path, partition_cols=["k"])
    df = gd.read_parquet(path, partition_bytes=10**9, aggregate_files=True)
    expected = _as_pandas(gd.read_parquet, path, partition_bytes=10**9, aggregate_files=True)
    assert df.npartitions == 1 and len(calls) == 0
    result = df.compute()
    assert len(calls) == 3  # one read per key folder, each without cuDF's own discovery
    assert all(options["columns"] == ["i", "f", "s", "d"] for _, _, options in calls)
    categories = result.dtypes["k"].categories
    assert list(getattr(categories, "to_pandas", lambda: categories)()) == [0, 1, 2]
    assert_eq(df, expected)
    only = gd.read_parquet(path, filters=[("k", ">", 0)], columns=["i", "k"])
    assert_eq(only, _as_pandas(gd.read_parquet, path, filters=[("k", ">", 0)], columns=["i", "k"]))


def test_fsspec_filesystems_are_handed_to_cudf(memory_root, pdf, calls):  # noqa: F811
    import fsspec

    fs = fsspec.filesystem("memory")
    for j in range(2):
        with fs.open(f"{memory_root}/t/p{j}.parquet", "wb") as handle:
            pdf.iloc[j * 50:(j + 1) * 50].to_parquet(handle, index=False)
    df = gd.read_parquet(f"{memory_root}/t", columns=["i", "s"], filters=[("i", ">=", 40)])
    assert_eq(df, _as_pandas(gd.read_parquet, f"{memory_root}/t", columns=["i", "s"], filters=[("i", ">=", 40)]))
    assert calls and all(options["filesystem"] is fs for _, _, options in calls)


def test_files_that_differ_from_the_dataset_schema_are_read_with_arrow(tmp_path, calls):
    folder = tmp_path / "mixed"
    folder.mkdir()
    pq.write_table(pa.table({"a": pa.array([1, 2], pa.int32()), "b": ["x", "y"]}), folder / "0.parquet")
    pq.write_table(pa.table({"a": pa.array([3, 4], pa.int64())}), folder / "1.parquet")
    df = gd.read_parquet(str(folder))
    leaf = _leaf(df, gd.io.ReadParquet)
    assert leaf.reader.startswith("pyarrow (file ") and "reader=pyarrow (file" in leaf._tree_label()
    assert_eq(df, _as_pandas(gd.read_parquet, str(folder)))
    assert calls == []  # the Arrow path, and it says why
    narrow = gd.read_parquet(str(folder / "0.parquet"))
    assert _leaf(narrow, gd.io.ReadParquet).reader == "cudf.read_parquet"


def test_row_counts_read_no_columns(parquet_file, calls):  # noqa: F811
    df = gd.read_parquet(parquet_file, partition_bytes=1)
    assert len(df) == 100
    assert calls == []  # len(): the footers' row counts
    assert int(df._length().compute()) == 100  # rows counted by a scan: no columns read
    assert {tuple(options["columns"]) for _, _, options in calls} == {()}


def test_pandas_partitions_keep_the_arrow_path(parquet_file, backend):  # noqa: F811
    df = gd.read_parquet(parquet_file, backend="pandas")
    leaf = _leaf(df, gd.io.ReadParquet)
    assert leaf.reader == "pyarrow" and leaf._read_spec.reader == "arrow"
    assert "reader=" not in leaf._tree_label()


# -- filters on frames of either library --------------------------------------------------------------
TERMS = [
    ("x", "==", 2.0), ("x", "!=", 2.0), ("x", "<", 2.5), ("x", ">=", 2.0), ("x", "in", [1.0, 3.0]),
    ("x", "not in", [1.0]), ("s", "==", "b"), ("s", "!=", "b"), ("s", "not in", ["a"]), ("c", "==", "b"),
    ("c", ">", "a"), ("y", "<", ColumnRef("x")), ("y", "==", ColumnRef("x")),
]


@pytest.mark.parametrize("term", TERMS, ids=[f"{t[0]}{t[1]}" for t in TERMS])
def test_user_terms_mean_what_pyarrow_means(backend, term):
    table = pa.table({"x": [1.0, 2.0, None, 3.0], "y": [0.0, 2.0, 1.0, None], "s": ["a", "b", None, "c"],
                      "c": pa.array(["a", "b", None, "c"]).dictionary_encode()})
    if isinstance(term[2], ColumnRef):
        expected = {"<": pa.compute.less, "==": pa.compute.equal}[term[1]](table["y"], table["x"])
        expected = pa.compute.fill_null(expected, False).to_pylist()
    else:
        kept = ds.dataset(table.append_column("n", pa.array(range(4)))).to_table(
            filter=pq.filters_to_expression([term]))
        expected = [n in kept["n"].to_pylist() for n in range(4)]
    frame = bf.convert_library(table.to_pandas(), backend)
    mask = filter_mask(frame, [[term]], ())
    assert bf.library_of(mask) == backend
    assert list(bio.frame_to_backend(mask, "pandas").to_pandas() if backend == "cudf" else mask) == expected


@pytest.mark.parametrize("op", ["==", "!=", "<", ">="])
def test_pushed_terms_mean_what_the_pandas_mask_means(backend, op):
    host = pd.DataFrame({"x": [1.0, 2.0, np.nan, 3.0], "y": [0.0, 2.0, 1.0, np.nan]})
    frame = bf.convert_library(host, backend)
    expected = {"==": host.x == 2.0, "!=": host.x != 2.0, "<": host.x < 2.0, ">=": host.x >= 2.0}[op]
    mask = filter_mask(frame, None, [("x", op, 2.0)])
    values = mask.to_pandas() if backend == "cudf" else mask
    assert list(values) == list(expected)


# -- CSV ------------------------------------------------------------------------------------------
def _csv(tmp_path, rows=300, name="data.csv"):
    lines = ["a,b,s,t"] + [f"{j},{j * 0.5},w{j % 7},2024-01-{1 + j % 28:02d}" for j in range(rows)]
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_csv_blocks_are_byte_ranges_of_the_file(tmp_path, calls):
    path = _csv(tmp_path)
    df = gd.read_csv(path, blocksize=1000, parse_dates=["t"])
    leaf = _leaf(df, gd.io.ReadCSV)
    assert leaf.reader == "cudf.read_csv" and "reader=cudf.read_csv" in leaf._tree_label()
    reference = gd.read_csv(path, blocksize=1000, parse_dates=["t"], backend="pandas")
    assert df.npartitions == reference.npartitions > 3
    for j in range(df.npartitions):  # cuDF's byte ranges hold exactly the rows of the host blocks
        assert_eq(df.partitions[j], reference.partitions[j].compute())
    assert_eq(df, reference.compute())
    ranges = [options["byte_range"] for _, _, options in calls]
    assert sorted(set(ranges)) == [(start, 1000) for start in range(0, 1000 * df.npartitions, 1000)]
    for _, source, options in calls:
        assert source == path and options["compression"] is None
        if options["byte_range"][0]:  # no header row inside: the file's names are given
            assert options["header"] is None and options["names"] == ["a", "b", "s", "t"]
        assert options["dtype"] == {"s": "str"}  # text stays text (cuDF would infer dates)


@pytest.mark.parametrize("options", [
    {"usecols": ["a", "s"]},
    {"dtype": {"a": "float64", "s": "category"}},
    {"sep": ";", "names": ["p", "q", "r", "u"], "header": 0},
    {"na_values": ["w3"], "index_col": "a"},
])
def test_csv_options_reach_cudf_and_give_the_pandas_result(tmp_path, calls, options):
    path = _csv(tmp_path)
    if options.get("sep") == ";":
        text = open(path).read().replace(",", ";")
        open(path, "w").write(text)
    df = gd.read_csv(path, blocksize=1500, **options)
    assert _leaf(df, gd.io.ReadCSV).reader == "cudf.read_csv"
    assert_eq(df, gd.read_csv(path, blocksize=1500, backend="pandas", **options).compute())
    assert calls and all(name == "read_csv" for name, _, _ in calls)


def test_compressed_and_remote_csv_is_parsed_by_cudf_from_memory(tmp_path, memory_root, calls):  # noqa: F811
    import fsspec

    plain = _csv(tmp_path)
    packed = str(tmp_path / "data.csv.gz")
    with open(plain, "rb") as src, gzip.open(packed, "wb") as dst:
        dst.write(src.read())
    remote = f"{memory_root}/data.csv"
    with fsspec.open(remote, "wb") as dst, open(plain, "rb") as src:
        dst.write(src.read())
    for path in (packed, remote):
        calls.clear()
        df = gd.read_csv(path, blocksize=1000)
        assert_eq(df, gd.read_csv(path, blocksize=1000, backend="pandas").compute())
        assert calls and all("byte_range" not in options for _, _, options in calls)
        assert all(type(source).__name__ == "BytesIO" for _, source, _ in calls)


def test_options_cudf_lacks_fall_back_to_pandas_with_the_reason(tmp_path, calls):
    path = _csv(tmp_path)
    df = gd.read_csv(path, blocksize=1000, converters={"a": int})
    leaf = _leaf(df, gd.io.ReadCSV)
    assert leaf.reader == "pandas (cuDF's read_csv has no option 'converters')"
    assert_eq(df, gd.read_csv(path, blocksize=1000, converters={"a": int}, backend="pandas").compute())
    assert calls == []


@pytest.mark.parametrize(("options", "reason"), [
    ({}, None),
    ({"encoding": "latin-1"}, "no option 'encoding'"),
    ({"sep": r"\s+"}, "is not one character"),
    ({"usecols": lambda c: c != "b"}, "usecols="),
    ({"parse_dates": True}, "parse_dates=True"),
    ({"parse_dates": [["a", "b"]]}, "parse_dates="),
    ({"skiprows": [1, 2]}, "skiprows="),
    ({"na_values": {"a": ["x"]}}, "na_values="),
    ({"header": 2}, "header=2"),
    ({"header": None}, "header=None without names="),
    ({"header": None, "names": ["a"]}, None),
])
def test_csv_reader_problem_names_the_option(options, reason):
    source = bio.CsvSource(fs=None, kwargs=tuple(sorted(options.items(), key=lambda kv: kv[0])), compression=None)
    problem = csv_reader_problem(source)
    assert problem is None if reason is None else reason in problem


def test_csv_errors_name_file_and_line_on_the_device_path(tmp_path, calls):
    lines = ["a,b"] + [f"{j},{j}" for j in range(200)]
    lines[120] = "oops,120"
    path = tmp_path / "typed.csv"
    path.write_text("\n".join(lines) + "\n")
    df = gd.read_csv(str(path), blocksize=300, sample=300, dtype={"a": "int64"})
    with pytest.raises(bio.CsvDtypeError, match=r"column 'a' of '.*typed\.csv' to int64: value 'oops' at line 121"):
        df.compute()
    assert calls


# -- the stand-in refuses what cuDF's readers refuse --------------------------------------------------
def test_the_stand_in_readers_take_cudf_s_keywords_only(parquet_file, tmp_path, calls):  # noqa: F811
    from strict_cudf import StrictCudfError

    cudf = sys.modules["cudf"]
    with pytest.raises(ValueError, match="doesn't support the following keyword arguments"):
        cudf.read_parquet([parquet_file], row_group_size=3)
    with pytest.raises(StrictCudfError, match="no keyword 'encoding'"):
        cudf.read_csv(_csv(tmp_path), encoding="utf-8")
    with pytest.raises(RuntimeError, match="byte_range offset with header"):
        cudf.read_csv(_csv(tmp_path), byte_range=(10, 100))
    with pytest.raises(ValueError, match="byte range"):
        cudf.read_csv(_csv(tmp_path), byte_range=(0, 100), nrows=3)


def test_csv_timestamps_with_the_utc_designator_keep_the_sample_s_zone(tmp_path, backend):
    # cuDF's (and dask-cudf's) to_csv writes timestamps as 2024-01-01T00:00:00.000000Z: pandas' sample reads
    # them UTC-aware, libcudf without a zone; every block gets the sample's dtype
    times = pd.date_range("2024-01-01", periods=300, freq="h")
    path = tmp_path / "zulu.csv"
    path.write_text("t,v\n" + "".join(f"{t:%Y-%m-%dT%H:%M:%S}.000000Z,{j}\n" for j, t in enumerate(times)))
    df = gd.read_csv(str(path), blocksize=2000, parse_dates=["t"])
    assert df.npartitions > 1
    expected = pd.read_csv(path, parse_dates=["t"])
    assert_eq(df, expected, check_index=False)
