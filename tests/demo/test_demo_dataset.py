"""The demo dataset: realistic, deterministic, generated part by part, cached, resumable."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from gpuscale.demo import dataset as dataset_module
from gpuscale.demo import taxi
from gpuscale.demo.dataset import DatasetPlan, ensure_dataset, part_path
from gpuscale.demo.errors import DemoError

SIZE = 4_000_000  # 50,000 trips in 4 parts


def test_plan_splits_rows_exactly():
    plan = DatasetPlan.for_size(10**9)
    assert plan.rows == 10**9 // taxi.ROW_BYTES
    assert plan.parts == 16
    assert sum(plan.part_rows(p) for p in range(plan.parts)) == plan.rows


def test_parts_are_deterministic_and_independent():
    first = taxi.trips_part(1, 4, 1000)
    assert first.equals(taxi.trips_part(1, 4, 1000))
    assert not first.equals(taxi.trips_part(2, 4, 1000))
    assert first.schema == taxi.TRIP_SCHEMA


def test_trips_look_like_taxi_trips():
    trips = taxi.trips_part(0, 1, 50_000).to_pandas()
    assert trips.pickup_datetime.is_monotonic_increasing
    card, cash = trips[trips.payment_type == 1], trips[trips.payment_type == 2]
    assert (cash.tip_amount == 0).all() and card.tip_amount.mean() > 1
    assert trips.pickup_zone.between(1, 263).all()
    dirty = (trips.trip_distance <= 0) | (trips.fare_amount <= 0) | (trips.passenger_count <= 0)
    assert 0.01 < dirty.mean() < 0.06  # something for the cleaning step, not too much
    by_hour = trips.groupby(trips.pickup_datetime.dt.hour).size()
    assert by_hour[18] > 3 * by_hour[4]  # evening peak, night trough
    clean = trips[trips.fare_amount > 0]
    np.testing.assert_allclose(
        clean.total_amount,
        (clean.fare_amount + clean.extra + clean.mta_tax + clean.tip_amount + clean.tolls_amount).round(2),
        atol=0.011)


def test_zone_table_is_a_dimension_table():
    zones = taxi.zone_table().to_pandas()
    assert zones.zone_id.tolist() == list(range(1, 264))
    assert set(zones.borough) == {"EWR", "Queens", "Bronx", "Manhattan", "Staten Island", "Brooklyn"}
    assert zones.zone.is_unique


def test_generated_once_then_reused(tmp_path):
    first = ensure_dataset(tmp_path, SIZE, progress=False)
    assert not first.reused
    assert first.path == tmp_path / "4MB"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["4MB"]  # no temporary folder left
    trips = pd.read_parquet(first.trips)
    assert len(trips) == first.plan.rows == SIZE // taxi.ROW_BYTES
    assert json.loads((first.path / "manifest.json").read_text())["rows"] == len(trips)
    again = ensure_dataset(tmp_path, SIZE, progress=False)
    assert again.reused and again.path == first.path


def test_interrupted_generation_resumes_with_whole_parts_only(tmp_path, monkeypatch):
    real = taxi.trips_part
    calls = []

    def interrupted_at_part_2(part, parts, rows):
        calls.append(part)
        if part == 2:
            raise KeyboardInterrupt
        return real(part, parts, rows)

    monkeypatch.setattr(dataset_module.taxi, "trips_part", interrupted_at_part_2)
    with pytest.raises(KeyboardInterrupt):
        ensure_dataset(tmp_path, SIZE, progress=False)
    work = tmp_path / ".4MB.incomplete"
    assert not (tmp_path / "4MB").exists()
    assert sorted(p.name for p in (work / "trips").iterdir()) == ["part-00000.parquet", "part-00001.parquet"]
    kept = part_path(work, 0).stat().st_mtime_ns

    monkeypatch.setattr(dataset_module.taxi, "trips_part", real)
    resumed = ensure_dataset(tmp_path, SIZE, progress=False)
    assert part_path(resumed.path, 0).stat().st_mtime_ns == kept  # not generated again
    fresh = ensure_dataset(tmp_path / "fresh", SIZE, progress=False)
    for part in range(resumed.plan.parts):
        assert pq.read_table(part_path(resumed.path, part)).equals(pq.read_table(part_path(fresh.path, part)))


def test_an_incomplete_folder_from_another_plan_is_discarded(tmp_path):
    work = tmp_path / ".4MB.incomplete"
    (work / "trips").mkdir(parents=True)
    (work / "plan.json").write_text('{"format": 0}')
    (work / "trips" / "part-00000.parquet").write_text("stale")
    data = ensure_dataset(tmp_path, SIZE, progress=False)
    assert len(pd.read_parquet(data.trips)) == data.plan.rows


def test_a_foreign_folder_is_not_overwritten(tmp_path):
    (tmp_path / "4MB").mkdir()
    (tmp_path / "4MB" / "mine.txt").write_text("keep me")
    with pytest.raises(DemoError, match="not a complete demo dataset"):
        ensure_dataset(tmp_path, SIZE, progress=False)
    assert (tmp_path / "4MB" / "mine.txt").read_text() == "keep me"


def test_unwritable_data_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(DemoError, match="--data-dir"):
        ensure_dataset(blocker / "data", SIZE, progress=False)


def test_not_enough_disk_space_is_a_clear_error(tmp_path, monkeypatch):
    class Usage:
        free = 1000

    monkeypatch.setattr(dataset_module.shutil, "disk_usage", lambda path: Usage)
    with pytest.raises(DemoError, match="not enough disk space"):
        ensure_dataset(tmp_path, SIZE, progress=False)
