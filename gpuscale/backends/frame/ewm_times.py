"""Partition functions of ``ewm(halflife=..., times=...).mean()``: weights halving every ``halflife`` of time.

``adjust=True``: a row ``j`` weighs ``0.5 ** ((t_i - t_j) / halflife)`` in row ``i``'s mean; ``adjust=False``:
pandas' recursive form, the mean so far keeping ``0.5 ** (gap / halflife)`` of its weight, the new value the rest.
Missing values weigh nothing; time still passes over them (``ignore_na=False``) or does not (``ignore_na=True``,
as pandas' loop: see :mod:`gpuscale.backends.frame.ewm_times_kernels`).  A scan over the partitions: a partition's
total per column is ``(valid values, whether its first row's time step counts, time after its last valid value,
payload)``, the payload ``(sum, weight, time to its last valid value)`` alone (``adjust=True``) or ``(first value,
product of the later keep factors, mean of the later values from 0, time to its first valid value)``
(``adjust=False``), both linear in what came before.  The carry is per column ``(valid values, time since the
last one, state)`` and the last row's time.  The arithmetic is NumPy's on the host (cuDF partitions make a round
trip).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.convert import to_host
from gpuscale.backends.frame.core import convert_library, library_of
from gpuscale.backends.frame.ewm_times_kernels import elapsed, halving_sums, recursive_means
from gpuscale.backends.frame.expanding import _check_numeric, _columns, _rebuild

__all__ = ["halflife_ns", "ewm_times_total", "ewm_times_combine", "ewm_times_finish"]


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


_NO_STATE = (0, 0, None)  # (valid values, effective time since the last one, state)


def _advance(state: tuple, own: tuple, step: int, halflife: int, adjust: bool) -> tuple:
    """A column's state after a partition (``own``: its total; ``step``: its first row's time step)."""
    n0, gap0, before = state
    n, first_counts, gap, payload = own
    step = step if first_counts else 0
    if n == 0:
        return (n0, gap0 + step + gap, before)
    if adjust:
        s, w, lead = payload
        if n0:
            fade = np.exp2(-((gap0 + step + lead) / halflife))
            s, w = s + fade * before[0], w + fade * before[1]
        return (n0 + n, gap, (s, w))
    first, keep, later, lead = payload
    if n0:
        _, factor = recursive_means(np.array([first]), np.array([gap0 + step + lead]), halflife, before)
        first = factor[0] * before + (1.0 - factor[0]) * first
    return (n0 + n, gap, keep * first + later)


def _column_total(values: np.ndarray, times: np.ndarray, halflife: int, adjust: bool, ignore_na: bool) -> tuple:
    valid = ~np.isnan(values)
    since = elapsed(times, valid, None, ignore_na)
    first_counts = bool(valid[0]) or not ignore_na
    n = int(valid.sum())
    if n == 0:
        return (0, first_counts, int(since[-1]), None)
    x, at = values[valid], since[valid]
    gap = int(since[-1] - at[-1])
    if adjust:
        sums, weights = halving_sums(x, at - at[0], halflife, (0.0, 0.0))
        return (n, first_counts, gap, (sums[-1], weights[-1], int(at[-1])))
    later, keep = recursive_means(x[1:], np.diff(at), halflife, 0.0)
    return (n, first_counts, gap, (x[0], float(np.prod(keep)), later[-1] if len(later) else 0.0, int(at[0])))


def ewm_times_total(part: Any, halflife: int, column: Any = None, min_periods: int = 0, adjust: bool = True,
                    ignore_na: bool = False) -> dict:
    """Per column the partition's total alone (see the module), and its first and last row's times."""
    if len(part) == 0:
        return {"columns": {}, "first": None, "last": None, "total": True}
    host = to_host(part)
    times = _times(host, column)
    out = {}
    for label, col in _columns(host.drop(columns=[column]) if column is not None else host):
        _check_numeric(col, "ewm(times=).mean()")
        out[label] = _column_total(col.astype("float64").to_numpy(), times, halflife, adjust, ignore_na)
    return {"columns": out, "first": int(times[0]), "last": int(times[-1]), "total": True}


def _as_state(carry: dict, halflife: int, adjust: bool) -> dict:
    if not carry.get("total"):
        return carry
    columns = {label: _advance(_NO_STATE, own, 0, halflife, adjust) for label, own in carry["columns"].items()}
    return {"columns": columns, "last": carry["last"]}


def ewm_times_combine(carry: dict, total: dict, halflife: int, column: Any = None, min_periods: int = 0,
                      adjust: bool = True, ignore_na: bool = False) -> dict:
    """The carry after one more partition."""
    carry = _as_state(carry, halflife, adjust)
    if total["first"] is None:  # (an empty partition)
        return carry
    step = 0 if carry["last"] is None else total["first"] - carry["last"]
    columns = dict(carry["columns"])
    for label, own in total["columns"].items():
        columns[label] = _advance(columns.get(label, _NO_STATE), own, step, halflife, adjust)
    return {"columns": columns, "last": total["last"]}


def _column_means(values: np.ndarray, times: np.ndarray, t_prev: Any, state: tuple, halflife: int, adjust: bool,
                  ignore_na: bool) -> tuple:
    """Each row's mean (missing rows: the last one before, NaN before any) and valid values so far."""
    n0, gap0, before = state
    valid = ~np.isnan(values)
    at = gap0 + elapsed(times, valid, t_prev, ignore_na)[valid]  # effective time since the carried state
    if adjust:
        sums, weights = halving_sums(values[valid], at, halflife, before if n0 else (0.0, 0.0))
        means, held = sums / weights, (before[0] / before[1] if n0 else np.nan)
    else:
        means, _ = recursive_means(values[valid], np.diff(at, prepend=0), halflife, before if n0 else None)
        held = before if n0 else np.nan
    last = np.maximum.accumulate(np.where(valid, np.arange(len(values)), -1))  # (each row's last valid row)
    spread = np.full(len(values), np.nan)
    spread[valid] = means
    return np.where(last >= 0, spread[np.maximum(last, 0)], held), np.cumsum(valid) + n0


def ewm_times_finish(part: Any, carry: dict | None, halflife: int, column: Any = None, min_periods: int = 0,
                     adjust: bool = True, ignore_na: bool = False) -> Any:
    """``part``'s time-weighted means continued from the partitions before it (``column``: the times, dropped)."""
    library = library_of(part)
    host = to_host(part)
    values = host.drop(columns=[column]) if column is not None else host
    if len(host) == 0:
        return convert_library(values.astype("float64"), library)
    times = _times(host, column)
    carry = _as_state(carry, halflife, adjust) if carry else {"columns": {}, "last": None}
    out = {}
    for label, col in _columns(values):
        _check_numeric(col, "ewm(times=).mean()")
        means, count = _column_means(col.astype("float64").to_numpy(), times, carry["last"],
                                     carry["columns"].get(label, _NO_STATE), halflife, adjust, ignore_na)
        out[label] = pd.Series(np.where(count >= max(min_periods, 1), means, np.nan), index=col.index, name=col.name)
    return convert_library(_rebuild(values, out), library)
