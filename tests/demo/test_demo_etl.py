"""The ETL functions: right answers on hand-made trips, and the same answers on gpuscale and pandas."""

from __future__ import annotations

import pandas as pd
import pytest

from gpuscale.demo import etl, taxi
from gpuscale.demo.pipeline import compare_results


def _trips(**overrides) -> pd.DataFrame:
    pickup = pd.to_datetime(["2024-01-01 08:10", "2024-01-01 08:20", "2024-01-01 22:00", "2024-01-02 09:00"])
    frame = pd.DataFrame({
        "pickup_datetime": pickup,
        "dropoff_datetime": pickup + pd.to_timedelta([30, 15, 10, 20], unit="min"),
        "passenger_count": [1, 2, 1, 1],
        "trip_distance": [5.0, 1.5, 2.0, 3.0],
        "pickup_zone": [62, 150, 150, 62],
        "payment_type": [1, 2, 1, 1],
        "fare_amount": [20.0, 10.0, 12.0, 16.0],
        "tip_amount": [4.0, 0.0, 3.0, 2.0],
        "total_amount": [25.0, 11.0, 16.0, 19.0],
    })
    for column, values in overrides.items():
        frame[column] = values
    return frame


def _zones() -> pd.DataFrame:
    return taxi.zone_table().to_pandas()


def test_clean_drops_impossible_trips():
    trips = _trips(trip_distance=[5.0, 0.0, 2.0, 3.0], fare_amount=[20.0, 10.0, -12.0, 16.0],
                   passenger_count=[1, 2, 1, 0])
    assert etl.clean(trips).index.tolist() == [0]
    backwards = _trips(dropoff_datetime=_trips().pickup_datetime - pd.Timedelta("1min"))
    assert etl.clean(backwards).empty


def test_derive_adds_duration_speed_tip_and_hour():
    derived = etl.derive(_trips())
    assert derived.duration_min.tolist() == [30.0, 15.0, 10.0, 20.0]
    assert derived.speed_mph.tolist() == [10.0, 6.0, 12.0, 9.0]
    assert derived.tip_pct.tolist() == [20.0, 0.0, 25.0, 12.5]
    assert derived.pickup_hour.tolist() == [8, 8, 22, 9]


def test_enrich_joins_borough_and_zone_name():
    enriched = etl.prepare(_trips(), _zones())
    rows = enriched.sort_values("pickup_datetime")
    assert rows.zone.tolist() == ["JFK Airport", "Manhattan 37", "Manhattan 37", "JFK Airport"]
    assert rows.borough.tolist() == ["Queens", "Manhattan", "Manhattan", "Queens"]


def test_aggregates_and_sort_order():
    results = etl.sort(etl.aggregate(etl.prepare(_trips(), _zones())))
    by_hour = results["by_hour"]
    assert by_hour.pickup_hour.tolist() == [8, 9, 22]
    assert by_hour.trips.tolist() == [2, 1, 1]
    assert by_hour.mean_tip.tolist() == [2.0, 2.0, 3.0]
    by_zone = results["by_zone"]
    assert by_zone.zone.tolist() == ["JFK Airport", "Manhattan 37"]  # by revenue, largest first
    assert by_zone.revenue.tolist() == [44.0, 27.0]
    payment = results["by_borough_payment"]
    assert payment.trips.tolist()[0] == 2


def test_compare_results_finds_differences():
    results = etl.sort(etl.aggregate(etl.prepare(_trips(), _zones())))
    assert compare_results(results, results) == []
    changed = {**results, "by_zone": results["by_zone"].assign(revenue=[44.0, 27.5])}
    problems = compare_results(changed, results)
    assert len(problems) == 1 and problems[0].startswith("by_zone")


@pytest.mark.parametrize("library", ["pandas", "strict-cudf"])
def test_the_same_pipeline_on_gpuscale_gives_the_pandas_answers(library, monkeypatch):
    """On pandas partitions, and on cuDF ones through the strict stand-in (tests/strict_cudf)."""
    import strict_cudf

    import gpuscale.dataframe as gd
    from gpuscale.backends import to_host

    if library == "strict-cudf":
        strict_cudf.install(monkeypatch)
    backend = "pandas" if library == "pandas" else "cudf"
    trips = pd.concat([taxi.trips_part(p, 3, 3000).to_pandas() for p in range(3)], ignore_index=True)
    trips = trips[etl.TRIP_COLUMNS]
    zones = _zones()
    expected = etl.sort(etl.aggregate(etl.prepare(trips, zones)))
    lazy = etl.sort(etl.aggregate(etl.prepare(gd.from_pandas(trips, npartitions=3, backend=backend),
                                              gd.from_pandas(zones, 1, backend=backend))))
    computed = {name: frame.compute() for name, frame in lazy.items()}
    assert all(strict_cudf.is_stand_in(frame) == (library == "strict-cudf") for frame in computed.values())
    actual = {name: to_host(frame) for name, frame in computed.items()}
    assert compare_results(actual, expected) == []
    for name, frame in actual.items():  # sorted the same way, not only equal as sets
        column, ascending = etl.SORT_ORDER[name]
        assert frame[column].is_monotonic_increasing if ascending else frame[column].is_monotonic_decreasing
