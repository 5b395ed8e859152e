"""The array part of the demo: standardise trip features and count anomalies.

Written once against the Array API, so the same function runs on ``gpuscale.array``
(chunked, lazy; NumPy or CuPy chunks) and on NumPy.  The feature matrix has one row
per trip and one column per feature; it is chunked by rows.
"""

from __future__ import annotations

FEATURES = ["trip_distance", "duration_min", "fare_amount", "tip_amount", "speed_mph"]
THRESHOLD = 4.0  # |z| above which a value is called an anomaly


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
        "anomalous_trips": xp.sum(xp.astype(xp.any(beyond, axis=1), xp.int64)),
    }


def as_table(summary: dict):
    """A pandas frame, one row per feature (NumPy inputs)."""
    import numpy as np
    import pandas as pd

    columns = {k: np.asarray(v) for k, v in summary.items() if k != "anomalous_trips"}
    return pd.DataFrame({"feature": FEATURES, **columns})
