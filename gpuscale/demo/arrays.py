"""The array part of the demo: standardise trip features and count anomalies.

The feature matrix has one row per trip (all of them, dirty rows included) and one
column per feature.  On gpuscale it is a chunked array whose blocks are read from the
dataset's parquet parts by ``map_blocks``, one block per part, so it never sits whole
in one process.  The
analysis is written once against the Array API and runs on gpuscale.array and NumPy.
"""

from __future__ import annotations

FEATURES = ["trip_distance", "duration_min", "fare_amount", "tip_amount", "total_amount"]
THRESHOLD = 4.0  # |z| above which a value is called an anomaly
_COLUMNS = ["trip_distance", "pickup_datetime", "dropoff_datetime", "fare_amount", "tip_amount", "total_amount"]


def part_features(path: str):
    """The ``(rows, len(FEATURES))`` float64 NumPy matrix of one parquet part."""
    import numpy as np
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=_COLUMNS)
    column = {name: table.column(name).to_numpy() for name in _COLUMNS}
    minutes = (column["dropoff_datetime"] - column["pickup_datetime"]) / np.timedelta64(1, "m")
    return np.column_stack([minutes if name == "duration_min" else column[name] for name in FEATURES])


def _feature_block(index_block, paths: tuple):
    """A map_blocks function: the block of part ``index_block[0]``, in the block's own library."""
    from array_api_compat import array_namespace

    xp = array_namespace(index_block)
    return xp.asarray(part_features(paths[int(index_block[0])]))


def gpuscale_features(dataset):
    """The feature matrix of ``dataset`` as a gpuscale array, one block per parquet part."""
    import gpuscale.array as ga

    plan = dataset.plan
    paths = tuple(str(dataset.trips / f"part-{p:05d}.parquet") for p in range(plan.parts))
    rows = tuple(plan.part_rows(p) for p in range(plan.parts))
    parts = ga.arange(plan.parts, dtype=ga.int64, chunks=1)
    return ga.map_blocks(_feature_block, parts, paths=paths, dtype=ga.float64, new_axis=1,
                         chunks=(rows, (len(FEATURES),)))


def numpy_features(dataset):
    """The same matrix as one NumPy array (what a plain NumPy program would do)."""
    import numpy as np

    return np.concatenate([part_features(str(p)) for p in sorted(dataset.trips.glob("part-*.parquet"))])


def standardised_anomalies(xp, x) -> dict:
    """Column means and standard deviations, and counts of values with ``|z| > THRESHOLD``.

    Parameters
    ----------
    xp : namespace
        An Array API namespace (``gpuscale.array``, ``numpy``...).
    x : array
        Two-dimensional, rows are trips, columns are ``FEATURES``.
    """
    mean = xp.mean(x, axis=0)
    std = xp.std(x, axis=0)
    z = (x - mean) / std
    beyond = xp.abs(z) > THRESHOLD
    return {
        "mean": mean,
        "std": std,
        "max_abs_z": xp.max(xp.abs(z), axis=0),
        "anomalies_per_feature": xp.sum(xp.astype(beyond, xp.int64), axis=0),
        # keepdims: a 1-element array rather than a 0-d one, which gpuscale cannot yet
        # compute through a distributed.Client (0-d __dask_keys__ is not a list)
        "anomalous_trips": xp.sum(xp.astype(xp.any(beyond, axis=1), xp.int64), keepdims=True),
    }


def as_table(summary: dict):
    """A pandas frame, one row per feature (NumPy inputs)."""
    import numpy as np
    import pandas as pd

    columns = {k: np.asarray(v) for k, v in summary.items() if k != "anomalous_trips"}
    return pd.DataFrame({"feature": FEATURES, **columns})
