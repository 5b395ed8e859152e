"""A synthetic, taxi-trips-like table: one part at a time, seeded, with realistic patterns.

The columns follow the public NYC yellow-taxi trip records.  Patterns a pipeline can
find: demand and tips depend on the hour, cash trips have no recorded tip, rush hours are
slow, and about 3% of the rows are dirty (zero distance, no passengers, negative fares,
drop-off before pick-up) so the cleaning step has something to remove.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

SEED = 20_240_101
YEAR_START = np.datetime64("2024-01-01T00:00:00", "us")
YEAR_DAYS = 366

TRIP_SCHEMA = pa.schema([
    ("vendor_id", pa.int8()),
    ("pickup_datetime", pa.timestamp("us")),
    ("dropoff_datetime", pa.timestamp("us")),
    ("passenger_count", pa.int8()),
    ("trip_distance", pa.float64()),
    ("pickup_zone", pa.int16()),
    ("dropoff_zone", pa.int16()),
    ("rate_code", pa.int8()),
    ("payment_type", pa.int8()),
    ("fare_amount", pa.float64()),
    ("extra", pa.float64()),
    ("mta_tax", pa.float64()),
    ("tip_amount", pa.float64()),
    ("tolls_amount", pa.float64()),
    ("total_amount", pa.float64()),
])
ROW_BYTES = sum(field.type.bit_width // 8 for field in TRIP_SCHEMA)

# Relative demand by hour of day (quiet at 4-5 am, peaks in the evening).
HOURLY_DEMAND = np.array([
    3.0, 2.2, 1.6, 1.1, 0.8, 0.9, 1.8, 3.2, 4.2, 4.4, 4.3, 4.5,
    4.7, 4.7, 4.9, 5.0, 5.0, 5.6, 6.2, 6.0, 5.5, 5.2, 4.8, 3.9,
])
HOURLY_DEMAND = HOURLY_DEMAND / HOURLY_DEMAND.sum()
# Typical speed (mph) by hour of day: slow in the rush hours.
HOURLY_SPEED = np.array([
    17, 18, 19, 20, 21, 19, 15, 11, 9, 10, 11, 11,
    11, 11, 10, 10, 9, 9, 10, 12, 13, 14, 15, 16,
], dtype=float)
# Mean tip (% of fare, card payments) by hour of day: generous late at night.
HOURLY_TIP_PCT = np.array([
    21, 21.5, 22, 21, 19, 17, 16.5, 17, 17.5, 17.5, 17.5, 17.5,
    17.5, 17.5, 17.5, 18, 18.5, 19, 19.5, 20, 20.5, 20.5, 21, 21,
])

BOROUGH_ZONES = [("EWR", 1), ("Queens", 69), ("Bronx", 43), ("Manhattan", 69),
                 ("Staten Island", 20), ("Brooklyn", 61)]
BOROUGH_PICKUP_SHARE = {"EWR": 0.001, "Queens": 0.07, "Bronx": 0.01, "Manhattan": 0.88,
                        "Staten Island": 0.001, "Brooklyn": 0.038}
AIRPORT_ZONES = {"JFK Airport": 62, "LaGuardia Airport": 68}  # both in Queens (ids 2-70)


def zone_table() -> pa.Table:
    """The 263-row zone dimension table: ``zone_id``, ``borough``, ``zone``, ``service_zone``."""
    ids, boroughs, names, services = [], [], [], []
    for borough, count in BOROUGH_ZONES:
        for k in range(count):
            zone_id = len(ids) + 1
            ids.append(zone_id)
            boroughs.append(borough)
            names.append(_zone_name(zone_id, borough, k))
            services.append(_service_zone(zone_id, borough))
    return pa.table({
        "zone_id": pa.array(ids, pa.int16()),
        "borough": pa.array(boroughs, pa.string()),
        "zone": pa.array(names, pa.string()),
        "service_zone": pa.array(services, pa.string()),
    })


def _zone_name(zone_id: int, borough: str, k: int) -> str:
    airports = {v: name for name, v in AIRPORT_ZONES.items()}
    if zone_id in airports:
        return airports[zone_id]
    return "Newark Airport" if borough == "EWR" else f"{borough} {k + 1:02d}"


def _service_zone(zone_id: int, borough: str) -> str:
    if zone_id in AIRPORT_ZONES.values():
        return "Airports"
    return {"EWR": "EWR", "Manhattan": "Yellow Zone"}.get(borough, "Boro Zone")


def _pickup_zone_weights() -> np.ndarray:
    weights = []
    for borough, count in BOROUGH_ZONES:
        weights += [BOROUGH_PICKUP_SHARE[borough] / count] * count
    weights = np.array(weights)
    for zone_id in AIRPORT_ZONES.values():
        weights[zone_id - 1] = 0.02
    return weights / weights.sum()


def trips_part(part: int, parts: int, rows: int) -> pa.Table:
    """Generate part ``part`` of ``parts``: ``rows`` trips whose pick-ups fall in its slice of 2024.

    The same ``(part, parts, rows)`` always gives the same table (seeded per part), so
    parts can be generated in any order, resumed after an interruption, or in parallel.
    """
    rng = np.random.default_rng([SEED, parts, part])
    pickup, hour = _pickup_times(rng, part, parts, rows)
    distance = _distances(rng, rows)
    minutes = distance / (HOURLY_SPEED[hour] * rng.lognormal(0, 0.25, rows)) * 60 + rng.uniform(1, 4, rows)
    dropoff = pickup + (minutes * 60e6).astype("timedelta64[us]")
    columns = _money(rng, hour, distance, minutes)
    columns.update(
        vendor_id=rng.choice(np.array([1, 2], np.int8), rows, p=[0.3, 0.7]),
        pickup_datetime=pickup,
        dropoff_datetime=dropoff,
        passenger_count=rng.choice(np.arange(7, dtype=np.int8), rows,
                                   p=[0.015, 0.72, 0.14, 0.04, 0.02, 0.04, 0.025]),
        trip_distance=distance,
        pickup_zone=rng.choice(np.arange(1, 264, dtype=np.int16), rows, p=_pickup_zone_weights()),
        dropoff_zone=rng.choice(np.arange(1, 264, dtype=np.int16), rows, p=_pickup_zone_weights()),
    )
    _make_dirty(rng, columns)
    return pa.table({field.name: columns[field.name] for field in TRIP_SCHEMA}, schema=TRIP_SCHEMA)


def _pickup_times(rng, part: int, parts: int, rows: int):
    first_day, last_day = part * YEAR_DAYS // parts, (part + 1) * YEAR_DAYS // parts
    days = rng.integers(first_day, max(last_day, first_day + 1), rows)
    hour = rng.choice(24, rows, p=HOURLY_DEMAND)
    micros = ((days * 24 + hour) * 3600 + rng.integers(0, 3600, rows)) * 1_000_000
    order = np.argsort(micros, kind="stable")
    return YEAR_START + micros[order].astype("timedelta64[us]"), hour[order]


def _distances(rng, rows: int) -> np.ndarray:
    distance = np.round(rng.lognormal(0.55, 0.75, rows), 2)
    return np.clip(distance, 0.1, 60.0)


def _money(rng, hour, distance, minutes) -> dict:
    rows = len(hour)
    payment = rng.choice(np.array([1, 2, 3, 4], np.int8), rows, p=[0.72, 0.25, 0.02, 0.01])
    rate = np.where(rng.random(rows) < 0.03, 2, np.where(rng.random(rows) < 0.01, 5, 1)).astype(np.int8)
    fare = np.round(3.0 + 2.5 * distance + 0.5 * minutes, 2)
    fare = np.where(rate == 2, 70.0, fare)
    extra = np.where((hour >= 20) | (hour < 6), 1.0, np.where((hour >= 16) & (hour < 20), 2.5, 0.0))
    tip_pct = np.clip(rng.normal(HOURLY_TIP_PCT[hour], 6.0), 0, 60)
    tip = np.where(payment == 1, np.round(fare * tip_pct / 100, 2), 0.0)
    tolls = np.where(rng.random(rows) < 0.05, 6.94, 0.0)
    mta_tax = np.full(rows, 0.5)
    total = np.round(fare + extra + mta_tax + tip + tolls, 2)
    return dict(payment_type=payment, rate_code=rate, fare_amount=fare, extra=extra, mta_tax=mta_tax,
                tip_amount=tip, tolls_amount=tolls, total_amount=total)


def _make_dirty(rng, columns: dict) -> None:
    """Corrupt ~3% of the rows the way real trip records are corrupted."""
    rows = len(columns["fare_amount"])
    zero_distance = rng.random(rows) < 0.012
    columns["trip_distance"] = np.where(zero_distance, 0.0, columns["trip_distance"])
    refund = rng.random(rows) < 0.005
    for name in ("fare_amount", "tip_amount", "total_amount"):
        columns[name] = np.where(refund, -columns[name], columns[name])
    swapped = rng.random(rows) < 0.002
    pickup, dropoff = columns["pickup_datetime"], columns["dropoff_datetime"]
    columns["dropoff_datetime"] = np.where(swapped, pickup - (dropoff - pickup), dropoff)
