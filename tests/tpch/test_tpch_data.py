"""TPC-H data generation: portable column types, one folder per table, idempotent, nothing half-written."""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks.tpch import data


def test_tables_have_portable_types_and_several_files(tpch_path):
    for table in data.TABLES:
        files = sorted((tpch_path / table).glob("*.parquet"))
        assert files, table
        for field in pq.read_schema(files[0]):
            assert not pa.types.is_decimal(field.type), (table, field)
            assert not pa.types.is_date(field.type), (table, field)
            assert not pa.types.is_string_view(field.type), (table, field)
    assert len(list((tpch_path / "lineitem").glob("*.parquet"))) >= 2


def test_marker_records_how_the_data_was_made(tpch_path):
    info = json.loads((tpch_path / data.MARKER).read_text())
    assert info["scale_factor"] == 0.01
    assert info["generator"].startswith("tpchgen-cli")


def test_generation_is_reused_when_present(tmp_path):
    first = data.generate(0.001, cache_dir=tmp_path, parts=2)
    stamp = (first / data.MARKER).stat().st_mtime_ns
    again = data.generate(0.001, cache_dir=tmp_path, parts=2)
    assert again == first == tmp_path / "sf0.001"
    assert (again / data.MARKER).stat().st_mtime_ns == stamp
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sf0.001"]


def test_interrupted_generation_leaves_nothing(tmp_path, monkeypatch):
    def fake_generator(out, sf, parts):
        (out / "lineitem").mkdir(parents=True)
        (out / "lineitem" / "lineitem.1.parquet").write_bytes(b"partial")

    def broken(raw, tables):
        (tables / "lineitem").mkdir(parents=True)
        raise KeyboardInterrupt("stopped during conversion")

    monkeypatch.setattr(data, "_run_tpchgen", fake_generator)
    monkeypatch.setattr(data, "_convert_all", broken)
    with pytest.raises(KeyboardInterrupt):
        data.generate(0.001, cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_foreign_folder_is_neither_used_nor_overwritten(tmp_path):
    stale = tmp_path / "sf0.001"
    (stale / "lineitem").mkdir(parents=True)
    with pytest.raises(FileExistsError, match="no _tpch.json"):
        data.generate(0.001, cache_dir=tmp_path)
    assert not data.is_complete(stale)
    assert [p.name for p in tmp_path.iterdir()] == ["sf0.001"]


def test_convert_file_casts_decimal_date_and_string_view(tmp_path):
    table = pa.table({
        "price": pa.array([Decimal("1.25"), Decimal("2.00")], pa.decimal128(15, 2)),
        "day": pa.array([0, 1], pa.int32()).cast(pa.date32()),
        "name": pa.array(["a", "b"]).cast(pa.string_view()),
        "key": pa.array([1, 2], pa.int64()),
    })
    pq.write_table(table, tmp_path / "src.parquet")
    data.convert_file(tmp_path / "src.parquet", tmp_path / "dst.parquet")
    out = pq.read_table(tmp_path / "dst.parquet")
    assert out.schema.types == [pa.float64(), pa.timestamp("us"), pa.string(), pa.int64()]
    assert out.column("price").to_pylist() == [1.25, 2.0]
    assert out.column("day").to_pylist() == [datetime(1970, 1, 1), datetime(1970, 1, 2)]
    assert out.column("name").to_pylist() == ["a", "b"]


def test_default_parts_and_names():
    assert data.default_parts(0.01) == 2
    assert data.default_parts(1) == 4
    assert data.default_parts(10) == 40
    assert data.sf_name(1.0) == "sf1" and data.sf_name(0.01) == "sf0.01"
