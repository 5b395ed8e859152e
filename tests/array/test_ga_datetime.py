"""datetime64 / timedelta64 blocks (NumPy chunks only: CuPy and array-api-strict have no such types): what xarray
needs of time coordinates (comparisons, indexing, min/max, where, differences), against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

TIMES = (np.datetime64("2001-01-01", "ns") + np.arange(0, 90 * 86400, 3600 * 7).astype("timedelta64[s]")
         ).astype("datetime64[ns]")
TIMES[[5, 40]] = np.datetime64("NaT")

OPS = {
    "less": lambda x, t: x < t[9], "equal": lambda x, t: x == x, "isnan": lambda x, t: ga.isnan(x) if isinstance(
        x, ga.Array) else np.isnan(x),
    "take": lambda x, t: x[[300, 3, 3, -1]], "slice": lambda x, t: x[7:200:3], "max": lambda x, t: x[6:40].max(),
    "argmin": lambda x, t: (ga.argmin if isinstance(x, ga.Array) else np.argmin)(x[6:40]),
    "where": lambda x, t: (ga.where if isinstance(x, ga.Array) else np.where)(x > t[100], x, t[0]),
    "difference": lambda x, t: x - t[0], "shift": lambda x, t: x + np.timedelta64(1, "D"),
    "sort": lambda x, t: (ga.sort if isinstance(x, ga.Array) else np.sort)(x[6:40]),
}


@pytest.mark.parametrize("name", OPS)
def test_datetime_blocks_match_numpy(backend: str, name: str) -> None:
    if backend != "numpy":
        pytest.skip("datetime64 blocks are NumPy chunks")
    x = ga.from_array(TIMES, chunks=50)
    got = OPS[name](x, TIMES)
    assert_same(got, OPS[name](TIMES, TIMES))
    assert str(got.dtype) == str(np.asarray(OPS[name](TIMES, TIMES)).dtype)


def test_clip_of_dates_and_timedeltas_as_numpy(backend):
    if backend != "numpy":
        pytest.skip("datetime64 is NumPy's")
    dates = np.array(["2020-01-01", "2019-05-03", "2021-05-03"], dtype="datetime64[D]")
    low, high = np.datetime64("2020-01-01"), np.datetime64("2020-12-31")
    np.testing.assert_array_equal(ga.clip(ga.from_array(dates, chunks=2), low, high).compute(),
                                  np.clip(dates, low, high))
    spans = np.array([1, -2, 3], dtype="timedelta64[h]")
    got = ga.clip(ga.from_array(spans, chunks=2), np.timedelta64(0, "h"), np.timedelta64(2, "h"))
    np.testing.assert_array_equal(got.compute(), np.clip(spans, np.timedelta64(0, "h"), np.timedelta64(2, "h")))


@pytest.mark.parametrize("spacing", [(), (3.0,), (np.array([0.0, 0.5, 2.0, 2.5, 4.0, 7.0, 7.5, 9.0, 11.0]),)])
@pytest.mark.parametrize("edge_order", [1, 2])
@pytest.mark.parametrize("dtype", ["timedelta64[ms]", "datetime64[s]"])
def test_gradient_of_dates_and_timedeltas_is_a_timedelta(backend, dtype, edge_order, spacing):
    # NumPy differentiates datetimes as their timedeltas since the epoch: a timedelta gradient (it was float64)
    if backend != "numpy":
        pytest.skip("datetime64 is NumPy's")
    values = np.random.default_rng(7).integers(-10**6, 10**6, size=9).astype(dtype)
    got = ga.gradient(ga.from_array(values, chunks=4), *spacing, edge_order=edge_order)
    assert_same(got, np.gradient(values, *spacing, edge_order=edge_order))
