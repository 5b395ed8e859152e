"""The ETL pipeline, written once against the pandas / dask.dataframe API.

Every function takes and returns frames, so the same code runs on a lazy
``gpuscale.dataframe`` (partitions on pandas or cuDF) and on a plain pandas
DataFrame, which is how the demo times "the same pipeline in pandas".
"""

from __future__ import annotations

TRIP_COLUMNS = [
    "pickup_datetime", "dropoff_datetime", "passenger_count", "trip_distance",
    "pickup_zone", "payment_type", "fare_amount", "tip_amount", "total_amount",
]
PAYMENT_NAMES = {1: "card", 2: "cash", 3: "no charge", 4: "dispute"}


def clean(trips):
    """Drop impossible trips: no distance, no passengers, refunds, time running backwards."""
    valid = (
        (trips.trip_distance > 0)
        & (trips.passenger_count > 0)
        & (trips.fare_amount > 0)
        & (trips.dropoff_datetime > trips.pickup_datetime)
    )
    return trips[valid]


def derive(trips):
    """Add duration, speed, tip percentage and the hour of pick-up."""
    minutes = (trips.dropoff_datetime - trips.pickup_datetime).dt.total_seconds() / 60
    return trips.assign(
        duration_min=minutes,
        speed_mph=trips.trip_distance / (minutes / 60),
        tip_pct=100 * trips.tip_amount / trips.fare_amount,
        pickup_hour=trips.pickup_datetime.dt.hour,
    )


def enrich(trips, zones):
    """Join the zone dimension table: borough and zone name of the pick-up."""
    zones = zones[["zone_id", "borough", "zone"]]
    return trips.merge(zones, how="left", left_on="pickup_zone", right_on="zone_id")


def prepare(trips, zones):
    """Clean, derive and enrich: the row-level part of the pipeline."""
    return enrich(derive(clean(trips)), zones)


def aggregate(trips) -> dict:
    """The three group-by aggregations the demo reports, keyed by result name."""
    by_hour = trips.groupby("pickup_hour").agg(
        trips=("fare_amount", "count"),
        mean_fare=("fare_amount", "mean"),
        mean_tip=("tip_amount", "mean"),
        mean_speed_mph=("speed_mph", "mean"),
    )
    by_zone = trips.groupby(["borough", "zone"]).agg(
        trips=("fare_amount", "count"),
        revenue=("total_amount", "sum"),
        mean_distance=("trip_distance", "mean"),
    )
    by_borough_payment = trips.groupby(["borough", "payment_type"]).agg(
        trips=("fare_amount", "count"),
        mean_fare=("fare_amount", "mean"),
        mean_tip_pct=("tip_pct", "mean"),
    )
    return {"by_hour": by_hour.reset_index(), "by_zone": by_zone.reset_index(),
            "by_borough_payment": by_borough_payment.reset_index()}


GROUP_KEYS = {  # result -> the columns that identify a row
    "by_hour": ["pickup_hour"],
    "by_zone": ["borough", "zone"],
    "by_borough_payment": ["borough", "payment_type"],
}
SORT_ORDER = {  # result -> (column, ascending)
    "by_hour": ("pickup_hour", True),
    "by_zone": ("revenue", False),
    "by_borough_payment": ("trips", False),
}


def sort(results: dict) -> dict:
    """Order each aggregate the way it is reported (busiest hour / richest zone first...)."""
    return {name: frame.sort_values(SORT_ORDER[name][0], ascending=SORT_ORDER[name][1])
            for name, frame in results.items()}
