"""to_parquet writes one schema into every file: object columns whose values' types differ between partitions
are widened at the commit (or refused, leaving nothing); schema= holds with partition_on; the "already exists"
hint of each writer."""

from __future__ import annotations

import decimal
import glob
import os

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import skip_on_stand_in, to_host

import gpuscale.dataframe as gd

_OBJECTS = "object columns of Python objects do not exist in cuDF"
D = decimal.Decimal
_CASES = {
    "ints_then_floats": [1, 2, 1.5, None],
    "decimal_scales": [D("1.1"), None, D("2.25"), D("3")],
    "int_then_float_lists": [[1], [2, 3], [1.5], None],
    "struct_fields": [{"a": 1}, None, {"a": 2, "b": 3}, {"a": 4, "b": None}],
    "bytes_then_text": [b"x", None, "y", "z"],
    "time_zones": [pd.Timestamp("2020-01-01", tz="UTC"), None, pd.Timestamp("2020-06-01 12:00", tz="Europe/Paris"),
                   pd.Timestamp("2021-01-01", tz="Asia/Tokyo")],
}


def _files(path) -> list[str]:
    return sorted(glob.glob(os.path.join(path, "**", "*.parquet"), recursive=True))


def _one_schema(path) -> None:
    schemas = {pq.read_schema(f).remove_metadata() for f in _files(path)}
    assert len(schemas) == 1, schemas


def _nothing_left(path) -> None:
    assert not os.path.exists(path)
    assert glob.glob(f"{path}.tmp-*") == [] and glob.glob(f"{path}.old-*") == []


def _frame(values) -> pd.DataFrame:
    return pd.DataFrame({"i": range(len(values)), "o": pd.Series(values, dtype=object)})


@pytest.mark.parametrize("case", sorted(_CASES))
def test_object_column_of_differing_types_is_written_with_one_schema(tmp_path, case):
    skip_on_stand_in(_OBJECTS)
    pdf = _frame(_CASES[case])
    path, whole = str(tmp_path / "out"), str(tmp_path / "whole.parquet")
    gd.from_pandas(pdf, npartitions=2).to_parquet(path)
    _one_schema(path)
    pdf.to_parquet(whole)  # pyarrow types the whole column at once: what one file holds
    tm.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(whole))
    tm.assert_frame_equal(to_host(gd.read_parquet(path).compute()), pd.read_parquet(whole))


def test_object_column_with_partition_on_is_written_with_one_schema(tmp_path):
    skip_on_stand_in(_OBJECTS)
    pdf = _frame(_CASES["ints_then_floats"] * 2).assign(k=[0, 1] * 4)
    path = str(tmp_path / "out")
    gd.from_pandas(pdf, npartitions=4).to_parquet(path, partition_on=["k"])
    _one_schema(path)
    got = pd.read_parquet(path).sort_index()
    expected = pd.read_parquet(_written_whole(tmp_path, pdf))
    tm.assert_series_equal(got["o"], expected["o"])


def _written_whole(tmp_path, pdf) -> str:
    whole = str(tmp_path / "whole.parquet")
    pdf.to_parquet(whole)
    return whole


@pytest.mark.parametrize("partition_on", [None, ["k"]])
def test_object_column_without_a_common_type_is_refused_leaving_nothing(tmp_path, partition_on):
    skip_on_stand_in(_OBJECTS)
    pdf = _frame([1, 2, "x", "y"]).assign(k=[0, 1, 0, 1])
    path = str(tmp_path / "out")
    with pytest.raises(ValueError, match=r"column 'o'.*int64.*partition 0.*string.*partition 1"):
        gd.from_pandas(pdf, npartitions=2).to_parquet(path, partition_on=partition_on)
    _nothing_left(path)
    with pytest.raises((pa.ArrowException, TypeError, ValueError)):
        pa.Table.from_pandas(pdf)  # pyarrow has no one type for these values either


def test_files_that_agree_are_not_read_again(tmp_path, monkeypatch):
    skip_on_stand_in(_OBJECTS)
    from gpuscale.backends.io import parquet_unify

    def refuse(*args):
        raise AssertionError("a file was rewritten")

    monkeypatch.setattr(parquet_unify, "_rewrite", refuse)
    pdf = _frame(["a", "b", "c", "d"])
    path = str(tmp_path / "out")
    gd.from_pandas(pdf, npartitions=2).to_parquet(path)
    tm.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(_written_whole(tmp_path, pdf)))


def test_append_casts_to_the_datasets_type_or_refuses(tmp_path):
    skip_on_stand_in(_OBJECTS)
    path = str(tmp_path / "out")
    first = _frame([1.5, 2.5])
    gd.from_pandas(first, npartitions=1).to_parquet(path)
    second = _frame([3, 4]).set_axis([2, 3])
    gd.from_pandas(second, npartitions=1).to_parquet(path, append=True)
    _one_schema(path)
    both = pd.concat([first, second])
    tm.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(_written_whole(tmp_path, both)))
    before = {f: os.path.getmtime(f) for f in _files(path)}
    with pytest.raises(ValueError, match=r"Appended dtypes differ.*o: double before, string now"):
        gd.from_pandas(_frame(["x"]).set_axis([4]), npartitions=1).to_parquet(path, append=True)
    assert {f: os.path.getmtime(f) for f in _files(path)} == before
    assert glob.glob(f"{path}.tmp-*") == []


def test_schema_dict_holds_beside_an_object_column(tmp_path):
    skip_on_stand_in(_OBJECTS)
    pdf = _frame(["a", "b", "c", "d"]).assign(x=[1, 2, 3, 4])
    path = str(tmp_path / "out")
    gd.from_pandas(pdf, npartitions=2).to_parquet(path, schema={"x": pa.int32()})
    assert {str(pq.read_schema(f).field("x").type) for f in _files(path)} == {"int32"}


@pytest.mark.parametrize("schema", [{"x": pa.int32()}, pa.schema([("k", pa.int64()), ("x", pa.int16())])],
                         ids=["dict", "schema"])
def test_schema_holds_with_partition_on(tmp_path, schema):
    pdf = pd.DataFrame({"k": [1, 1, 2], "x": [1, 2, 3]})
    path, other = str(tmp_path / "gd"), str(tmp_path / "dd")
    gd.from_pandas(pdf, npartitions=1).to_parquet(path, partition_on=["k"], schema=schema, write_index=False,
                                                  backend="pandas")
    dd.from_pandas(pdf, npartitions=1).to_parquet(other, partition_on=["k"], schema=schema, write_index=False)
    types = [str(pq.read_schema(f).field("x").type) for f in _files(path)]
    assert types == [str(pq.read_schema(f).field("x").type) for f in _files(other)]
    assert types == [str(schema["x"] if isinstance(schema, dict) else schema.field("x").type)] * 2
    tm.assert_frame_equal(pd.read_parquet(path), pd.read_parquet(other))


@pytest.mark.parametrize("writer", ["to_json", "to_orc", "to_csv"])
def test_existing_files_error_names_only_the_writers_own_options(tmp_path, writer):
    pdf = pd.DataFrame({"x": [1, 2]})
    df = gd.from_pandas(pdf, npartitions=1)
    path = str(tmp_path / "out")
    target = {"to_json": f"{path}/*.json", "to_orc": path, "to_csv": f"{path}/*.csv"}[writer]
    options: dict = {}
    getattr(df, writer)(target, **options)
    with pytest.raises(FileExistsError) as info:
        getattr(df, writer)(target, **options)
    assert ("mode='w'" in str(info.value)) == (writer == "to_csv")
    assert "to_csv" not in str(info.value)
    if writer == "to_csv":
        getattr(df, writer)(target, mode="w")  # the hint works
