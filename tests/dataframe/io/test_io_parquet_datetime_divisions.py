"""read_parquet(calculate_divisions=True) of a datetime (or date) index: divisions from the footer statistics,
as Timestamps of the index's unit and time zone, and ``loc`` prunes partitions by them."""

from __future__ import annotations

import datetime
import os

import dask.dataframe as dd
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.dataframe import host_testing as tm
from tests.dataframe.frame_helpers import to_host

import gpuscale.dataframe as gd


def _write(path: str, frame: pd.DataFrame, files: int = 4) -> str:
    os.makedirs(path)
    rows = len(frame) // files
    for j in range(files):
        frame.iloc[j * rows:(j + 1) * rows].to_parquet(f"{path}/part.{j}.parquet")
    return path


def _frame(unit: str, tz: str | None) -> pd.DataFrame:
    index = pd.DatetimeIndex(pd.date_range("2024-01-01", periods=8, freq="12h", tz=tz), freq=None, name="t")
    index = index.as_unit(unit)
    return pd.DataFrame({"x": range(8)}, index=index)


@pytest.mark.parametrize("unit", ["ns", "us", "ms"])
@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_datetime_index_divisions_from_statistics(tmp_path, backend, unit, tz):
    frame = _frame(unit, tz)
    path = _write(str(tmp_path / "ds"), frame)
    got = gd.read_parquet(path, calculate_divisions=True)
    expected = tuple(frame.index[::2]) + (frame.index[-1],)
    assert got.divisions == expected
    # (str: pandas 2.2's pytz zones of one place differ by the offset they hold)
    assert all(isinstance(d, pd.Timestamp) and str(d.tz) == str(frame.index.tz) and d.unit == unit for d in got.divisions)
    assert got.divisions == dd.read_parquet(path, calculate_divisions=True).divisions  # (dask's are in UTC)
    tm.assert_frame_equal(to_host(got.compute()), frame)
    start = pd.Timestamp("2024-01-02", tz=tz)
    selected = got.loc["2024-01-02":]
    assert selected.npartitions == 3  # the first file is not read
    tm.assert_frame_equal(to_host(selected.compute()), frame.loc[start:])


def test_datetime_divisions_refused_without_trustworthy_statistics(tmp_path):
    frame = _frame("ns", None)
    unsorted = _write(str(tmp_path / "unsorted"), frame.iloc[::-1])
    assert not gd.read_parquet(unsorted, calculate_divisions=True).known_divisions
    with_null = frame.copy()
    with_null.index = with_null.index.where(with_null.x != 1)
    assert not gd.read_parquet(_write(str(tmp_path / "null"), with_null), calculate_divisions=True).known_divisions
    # INT96 timestamps (an old writer's): parquet leaves their order undefined
    int96 = str(tmp_path / "int96")
    os.makedirs(int96)
    for j in range(2):
        table = pa.Table.from_pandas(frame.iloc[j * 4:(j + 1) * 4])
        pq.write_table(table, f"{int96}/part.{j}.parquet", use_deprecated_int96_timestamps=True)
    assert not gd.read_parquet(int96, calculate_divisions=True).known_divisions


def test_date_index_divisions(tmp_path, backend):
    days = [datetime.date(2024, 1, d) for d in range(1, 9)]
    frame = pd.DataFrame({"d": days, "x": range(8)})
    path = _write(str(tmp_path / "dates"), frame)
    got = gd.read_parquet(path, index="d", calculate_divisions=True)
    if got.index.dtype == object:  # (pandas: datetime.date objects, which the statistics are not compared as)
        assert not got.known_divisions
        return
    assert got.divisions == tuple(pd.Timestamp(d) for d in days[::2]) + (pd.Timestamp(days[-1]),)
    assert got.loc["2024-01-05":].npartitions == 2
    tm.assert_frame_equal(to_host(got.loc["2024-01-05":].compute()), to_host(got.compute()).loc["2024-01-05":])
