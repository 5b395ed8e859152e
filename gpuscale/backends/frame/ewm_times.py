"""Partition functions of ``ewm(halflife=..., times=...).mean()``: weights halving every ``halflife`` of time.

A row ``j`` weighs ``0.5 ** ((t_i - t_j) / halflife)`` in row ``i``'s mean (missing values weigh nothing but time
still passes), as pandas' ``adjust=True`` form.  A scan over the partitions: the carry is per column the weighted
sum and weight at the last row's time, and the valid values so far.  Inside a partition the sums are cumulative
sums of ``x * 2 ** (L_j - L_a)`` (``L``: times in half-lives) over blocks spanning at most 500 half-lives, so no
power overflows; each block continues from the one before.  The arithmetic is NumPy's on the host (cuDF partitions
make a round trip).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.convert import to_host
from gpuscale.backends.frame.core import convert_library, library_of
from gpuscale.backends.frame.expanding import _check_numeric, _columns, _rebuild

__all__ = ["halflife_ns", "ewm_times_total", "ewm_times_combine", "ewm_times_finish"]

_SPAN = 500.0  # half-lives per block: 2 ** 500 is far inside float64's range


def halflife_ns(halflife: Any) -> int:
    """``halflife`` (a timedelta or its text) in nanoseconds, as pandas requires it with ``times``."""
    if isinstance(halflife, (int, float, np.number)) or halflife is None:
        raise ValueError("halflife must be a timedelta convertible object")
    try:
        value = pd.Timedelta(halflife)
    except (TypeError, ValueError):
        raise ValueError("halflife must be a timedelta convertible object") from None
    if value is pd.NaT or value.value <= 0:
        raise ValueError(f"halflife must be a positive timedelta, got {halflife!r}")
    return int(value.value)


def _times(part: Any, column: Any) -> np.ndarray:
    values = part.index if column is None else part[column]
    times = pd.DatetimeIndex(to_host(values))
    if times.hasnans:
        raise ValueError("ewm(times=): times must not hold missing values")
    out = times.as_unit("ns").asi8
    if len(out) > 1 and np.any(np.diff(out) < 0):
        raise ValueError("ewm(times=): times must not decrease (sort the collection by them first)")
    return out


def _halving_sums(x: np.ndarray, valid: np.ndarray, lives: np.ndarray, before: tuple) -> tuple:
    """The weighted sums and weights at each row (``lives``: its time in half-lives), continued from
    ``before = (sum, weight, time in half-lives)``."""
    sums, weights = np.empty(len(x)), np.empty(len(x))
    s0, w0, l0 = before
    start = 0
    while start < len(x):
        end = int(np.searchsorted(lives, lives[start] + _SPAN, side="right"))
        block = lives[start:end] - lives[start]
        grow = np.exp2(block)
        fade = np.exp2(-(lives[start:end] - l0)) if w0 else 0.0
        sums[start:end] = s0 * fade + np.cumsum(x[start:end] * grow) / grow
        weights[start:end] = w0 * fade + np.cumsum(valid[start:end] * grow) / grow
        s0, w0, l0 = sums[end - 1], weights[end - 1], lives[end - 1]
        start = end
    return sums, weights


def _column_sums(col: Any, times: np.ndarray, halflife: int, carry: tuple | None) -> tuple:
    values = to_host(col).astype("float64").to_numpy()
    valid = ~np.isnan(values)
    origin = times[0]
    lives = (times - origin) / halflife
    before = (0.0, 0.0, 0.0) if carry is None else (carry[0], carry[1], (carry[3] - origin) / halflife)
    sums, weights = _halving_sums(np.where(valid, values, 0.0), valid.astype("float64"), lives, before)
    return sums, weights, valid


def ewm_times_total(part: Any, halflife: int, column: Any = None, min_periods: int = 0) -> dict:
    """Per column ``(sum, weight, valid values, time)`` at the partition's last row, alone."""
    out: dict = {}
    if len(part) == 0:
        return {"columns": out}
    times = _times(part, column)
    for label, col in _columns(part.drop(columns=[column]) if column is not None else part):
        _check_numeric(col, "ewm(times=).mean()")
        sums, weights, valid = _column_sums(col, times, halflife, None)
        out[label] = (sums[-1], weights[-1], int(valid.sum()), int(times[-1]))
    return {"columns": out}


def ewm_times_combine(carry: dict, total: dict, halflife: int, column: Any = None, min_periods: int = 0) -> dict:
    """The carry after one more partition: the earlier sums halve with the time passed."""
    columns = dict(carry["columns"])
    for label, (s, w, n, t) in total["columns"].items():
        if label in columns and columns[label][1]:
            s0, w0, n0, t0 = columns[label]
            fade = 0.5 ** ((t - t0) / halflife)
            s, w, n = s + s0 * fade, w + w0 * fade, n + n0
        columns[label] = (s, w, n, t)
    return {"columns": columns}


def ewm_times_finish(part: Any, carry: dict | None, halflife: int, column: Any = None, min_periods: int = 0) -> Any:
    """``part``'s time-weighted means continued from the partitions before it (``column``: the times, dropped)."""
    library = library_of(part)
    host = to_host(part)
    values = host.drop(columns=[column]) if column is not None else host
    if len(host) == 0:
        return convert_library(values.astype("float64"), library)
    times = _times(host, column)
    before = carry["columns"] if carry else {}
    out = {}
    for label, col in _columns(values):
        _check_numeric(col, "ewm(times=).mean()")
        previous = before.get(label)
        sums, weights, valid = _column_sums(col, times, halflife, previous if previous and previous[1] else None)
        count = np.cumsum(valid) + (previous[2] if previous else 0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where((count >= max(min_periods, 1)) & (weights > 0), sums / weights, np.nan)
        out[label] = pd.Series(mean, index=col.index, name=col.name)
    return convert_library(_rebuild(values, out), library)
