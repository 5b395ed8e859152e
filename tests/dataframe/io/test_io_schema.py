"""read_parquet on datasets whose files disagree on the schema: unified, or refused naming column and files."""

from __future__ import annotations

import os

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import gpuscale.dataframe as gd
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host
from io_fixtures import memory_root  # noqa: F401 (fixture)


def _write(folder, frames: dict) -> list[str]:
    os.makedirs(folder, exist_ok=True)
    paths = []
    for name, frame in frames.items():
        paths.append(os.path.join(folder, name))
        frame.to_parquet(paths[-1], index=False)
    return paths


def _arrow_concat(paths: list[str]) -> pd.DataFrame:
    """The reference: Arrow's own permissive concatenation of the files."""
    tables = [pq.read_table(p) for p in paths]
    return pa.concat_tables(tables, promote_options="permissive").to_pandas()


@pytest.fixture
def extra_column(tmp_path) -> tuple[str, list[str]]:
    """Two files; only the second has column ``z``."""
    folder = str(tmp_path / "extra")
    return folder, _write(folder, {
        "part.0.parquet": pd.DataFrame({"x": [1, 2], "y": [1.0, 2.0]}),
        "part.1.parquet": pd.DataFrame({"x": [3, 4], "y": [3.0, 4.0], "z": ["p", "q"]}),
    })


@pytest.fixture
def conflict(tmp_path) -> str:
    """Two files storing ``x`` as int64 and as strings."""
    folder = str(tmp_path / "conflict")
    _write(folder, {"part.0.parquet": pd.DataFrame({"x": [1, 2]}),
                    "part.1.parquet": pd.DataFrame({"x": ["x9999", "b"]})})
    return folder


def test_column_of_some_files_is_read_with_nulls(extra_column):
    folder, paths = extra_column
    df = gd.read_parquet(folder)
    assert list(df.columns) == ["x", "y", "z"]
    result = to_host(df.compute())
    tm.assert_frame_equal(result, _arrow_concat(paths))
    assert result.z.isna().tolist() == [True, True, False, False]


def test_column_of_some_files_selected_and_filtered(extra_column):
    folder, paths = extra_column
    expected = _arrow_concat(paths)
    tm.assert_series_equal(to_host(gd.read_parquet(folder, columns="z").compute()), expected.z)
    df = gd.read_parquet(folder)
    result = to_host(df[df.z == "q"].compute())
    tm.assert_frame_equal(result, expected[expected.z == "q"])
    filtered = to_host(gd.read_parquet(folder, filters=[("z", "==", "p")]).compute())
    assert filtered.x.tolist() == [3]


def test_int_and_float_files_widen_to_float(tmp_path):
    paths = _write(str(tmp_path / "t"), {"part.0.parquet": pd.DataFrame({"x": [1, 2]}),
                                        "part.1.parquet": pd.DataFrame({"x": [0.5, 1.5]})})
    df = gd.read_parquet(str(tmp_path / "t"))
    assert df.x.dtype == "float64"
    tm.assert_frame_equal(to_host(df.compute()), _arrow_concat(paths))


def test_int32_and_int64_widen_to_int64(tmp_path):
    paths = _write(str(tmp_path / "t"), {"part.0.parquet": pd.DataFrame({"x": pd.Series([1, 2], dtype="int32")}),
                                        "part.1.parquet": pd.DataFrame({"x": [2**40, 3]})})
    df = gd.read_parquet(str(tmp_path / "t"))
    assert df.x.dtype == "int64"
    assert to_host(df.compute()).x.tolist() == [1, 2, 2**40, 3]
    assert _arrow_concat(paths).x.tolist() == [1, 2, 2**40, 3]


def test_conflicting_types_refused_at_read_parquet(conflict):
    with pytest.raises(ValueError) as raised:
        gd.read_parquet(conflict)
    message = str(raised.value)
    assert "'x'" in message and "int64" in message and "string" in message
    assert "part.0.parquet" in message and "part.1.parquet" in message
    assert "schema=" in message


def test_first_file_schema_on_request(extra_column, conflict):
    # Dask's choice: the first file's columns only
    assert list(gd.read_parquet(extra_column[0], schema="first").columns) == ["x", "y"]
    df = gd.read_parquet(conflict, schema="first")  # not checked up front: the read names the file
    with pytest.raises(ValueError, match=r"part\.1\.parquet.*column 'x'.*schema='infer'"):
        df.compute()


def test_given_schema_converts_every_file(conflict):
    df = gd.read_parquet(conflict, schema=pa.schema([("x", pa.string())]))
    assert to_host(df.compute()).x.tolist() == ["1", "2", "x9999", "b"]


def test_object_store_uses_first_file_schema_unless_inferring(memory_root, conflict):
    import fsspec

    fs = fsspec.filesystem("memory")
    for name in ("part.0.parquet", "part.1.parquet"):
        fs.pipe(f"{memory_root}/c/{name}", open(os.path.join(conflict, name), "rb").read())
    df = gd.read_parquet(f"{memory_root}/c")  # one footer read up front, as in Dask
    with pytest.raises(ValueError, match=r"part\.1\.parquet.*'x'"):
        df.compute()
    with pytest.raises(ValueError, match=r"column 'x'.*int64.*part\.0\.parquet.*part\.1\.parquet"):
        gd.read_parquet(f"{memory_root}/c", schema="infer")


def test_many_local_files_use_first_file_schema(extra_column, monkeypatch):
    from gpuscale.backends.io import parquet as io_parquet

    monkeypatch.setattr(io_parquet, "INFER_SCHEMA_MAX_FILES", 1)
    assert list(gd.read_parquet(extra_column[0]).columns) == ["x", "y"]
    assert list(gd.read_parquet(extra_column[0], schema="infer").columns) == ["x", "y", "z"]


def test_hive_partition_columns_stay_last(tmp_path):
    root = tmp_path / "hive"
    _write(str(root / "k=a"), {"part.0.parquet": pd.DataFrame({"x": [1]})})
    _write(str(root / "k=b"), {"part.0.parquet": pd.DataFrame({"x": [2], "z": [0.5]})})
    df = gd.read_parquet(str(root))
    assert list(df.columns) == ["x", "z", "k"]
    result = to_host(df.compute())
    assert result.x.tolist() == [1, 2] and result.k.astype(str).tolist() == ["a", "b"]
    assert result.z.isna().tolist() == [True, False]


def test_schema_choice_is_part_of_the_name(extra_column):
    folder = extra_column[0]
    assert gd.read_parquet(folder).expr._name == gd.read_parquet(folder, schema="infer").expr._name
    assert gd.read_parquet(folder).expr._name != gd.read_parquet(folder, schema="first").expr._name


def test_unknown_schema_option(extra_column):
    with pytest.raises(ValueError, match="schema= must be"):
        gd.read_parquet(extra_column[0], schema="union")
