"""Group-wise cumulative scans (``groupby().cumsum/cumprod/cummax/cummin/cumcount``) in one pass per partition.

:func:`groupby_scan_local` runs the library's group-wise scan on the partition as it is and keeps, from
the same grouping, the per-group totals and each row's group position.  :func:`groupby_scan_finish`
then continues every row from the totals of the partitions before it (the carry, folded by
:func:`groupby_scan_combine` with matching keys): one gather of the carry by group position
and one elementwise operation, instead of grouping the partition a second time with the carry in front.

A group-wise ``cumsum`` of float64 columns keyed by one integer column of small range (at most
:data:`_KERNEL_GROUPS` values from its minimum) skips pandas' grouping altogether: the key minus its
minimum is each row's group number, handed with the values to pandas' own group kernels (``group_cumsum``
and ``group_sum``, as ``groupby(sort=False).cumsum()`` and ``.sum()`` call them), so the scans are
pandas' own bit for bit without hashing the keys (:func:`_kernel_scan`); the totals are ``group_sum``'s
compensated sums (pandas 3.1's ``.sum()`` adds the groups of sorted keys without missing values plainly,
by ``np.add.reduceat``, which may differ in the last bit).

Where this does not apply (cuDF, whose ``sort=False`` group order is not the order of first appearance,
and value columns that are not NumPy floats or 64-bit integers), the state keeps the partition and the finish
is :func:`gpuscale.backends.frame.cumulative.groupby_cum_finish`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.cumulative import (
    _ROW_COUNT, groupby_cum_combine, groupby_cum_finish, groupby_cum_total,
)

try:  # private to pandas (stable since 1.3): without it, the scan groups through pandas' GroupBy
    from pandas._libs import groupby as _kernels
except ImportError:  # pragma: no cover - another pandas
    _kernels = None

__all__ = ["groupby_scan_combine", "groupby_scan_finish", "groupby_scan_local", "groupby_scan_total", "missing_flags"]

_KERNEL_GROUPS = 1 << 16  # the most key values (max - min + 1) the kernel path numbers by subtraction

_TOTALS = {"cumsum": "sum", "cumprod": "prod", "cummax": "max", "cummin": "min", "cumcount": "sum"}


def _plain_values(df: Any, by: list, selection: Any, how: str) -> list | None:
    """The value columns a one-pass scan accumulates (none for cumcount), or None where it does not
    apply: partitions that are not pandas, a selected key column, values that are not NumPy floats or
    64-bit integers (the carry is combined with plain NumPy arithmetic)."""
    if not isinstance(df, pd.DataFrame):
        return None
    if how == "cumcount":
        return []
    if selection is None:
        values = [c for c in df.columns if c not in by]
    else:
        values = list(selection) if isinstance(selection, tuple) else [selection]
    if any(c in by for c in values):
        return None
    return values if all(_plain_dtype(df[v].dtype) for v in values) else None


def _plain_dtype(dtype: Any) -> bool:
    """NumPy floats and 64-bit integers (pandas sums narrower integers in their own width where missing
    keys are dropped, so their totals could wrap before the carry widens them)."""
    return isinstance(dtype, np.dtype) and (dtype.kind == "f" or (dtype.kind in "iu" and dtype.itemsize == 8))


def groupby_scan_local(df: Any, by: list, selection: Any, how: str, dropna: bool = True) -> tuple:
    """``(scan, totals, codes)`` of one partition: its own group-wise ``how``, its per-group totals (key
    columns, then one column per value, as :func:`groupby_cum_total`) and each row's position in
    ``totals`` (-1 for rows of dropped missing keys), all from one grouping of the partition.  ``codes``
    is None where the one pass does not apply: ``scan`` is then the partition itself."""
    values = _plain_values(df, by, selection, how)
    if values is None:
        return df, groupby_cum_total(df, by, selection, how, dropna), None
    fast = _kernel_scan(df, by, values, selection, how)
    if fast is not None:
        return fast
    grouped = df.groupby(by, dropna=dropna, sort=False, observed=True)
    scan, totals = _own_scan_and_totals(grouped, values, selection, how)
    codes = grouped.ngroup().to_numpy()
    if codes.dtype.kind == "f":  # pandas numbers the rows of dropped missing keys NaN
        codes = np.where(np.isnan(codes), -1, codes).astype(np.intp)
    return scan, totals, codes


def _small_range_labels(key: np.ndarray) -> tuple | None:
    """``(labels, low, groups)`` of an integer key column whose values span at most :data:`_KERNEL_GROUPS`
    numbers: each row's key minus the smallest (intp), the smallest, and the span; None otherwise."""
    if not len(key) or key.dtype.kind not in "iu":
        return None
    low, high = key.min(), key.max()
    groups = int(high) - int(low) + 1
    if groups > _KERNEL_GROUPS:
        return None
    if low == 0 and key.dtype == np.intp:  # the keys are the group numbers already: no copy
        return key, low, groups
    with np.errstate(over="ignore"):  # in range by the check above
        labels = np.subtract(key, low, dtype=np.intp, casting="unsafe")
    return labels, low, groups


def _kernel_scan(df: Any, by: list, values: list, selection: Any, how: str) -> tuple | None:
    """:func:`groupby_scan_local`'s state from pandas' group kernels (a ``cumsum`` of float64 columns by one
    small-range integer key column, see the module's notes), or None where that does not apply."""
    if _kernels is None or how != "cumsum" or len(by) != 1 or not values or not df.columns.is_unique:
        return None
    try:  # a column label (not an index level, an array or a list of them)
        if by[0] not in df.columns:
            return None
    except TypeError:
        return None
    key = df[by[0]]
    if not isinstance(key.dtype, np.dtype) or any(df[v].dtype != np.float64 for v in values):
        return None
    numbered = _small_range_labels(key.to_numpy())
    if numbered is None:
        return None
    labels, low, groups = numbered
    scans, totals, counts = [], {}, None
    for v in values:
        column = df[v].to_numpy().reshape(-1, 1)
        scanned = np.empty((len(df), 1))  # (every row has a group: the kernel writes each, NaN for NaN)
        _kernels.group_cumsum(out=scanned, values=column, labels=labels, ngroups=groups, is_datetimelike=False,
                              skipna=True, mask=None, result_mask=None)
        summed, counts = np.empty((groups, 1)), np.zeros(groups, dtype=np.int64)
        _group_sum(summed, counts, column, labels)
        scans.append(scanned[:, 0])
        totals[v] = summed[:, 0]
    present = counts > 0  # the groups of the partition, numbered by key (pandas' totals: by appearance)
    keys = (np.arange(groups) + low).astype(key.dtype)
    codes = labels
    if not present.all():
        keys, codes = keys[present], (np.cumsum(present) - 1)[labels]
        totals = {v: t[present] for v, t in totals.items()}
    total = pd.DataFrame({by[0]: keys, **totals}, columns=[by[0], *values])
    if selection is not None and not isinstance(selection, tuple):
        scan = pd.Series(scans[0], index=df.index, name=selection, copy=False)
    else:
        scan = pd.DataFrame(dict(zip(values, scans)), index=df.index, columns=values)
    return scan, total, codes


def _group_sum(out: np.ndarray, counts: np.ndarray, values: np.ndarray, labels: np.ndarray) -> None:
    """pandas' ``group_sum`` kernel as ``groupby().sum()`` calls it, in pandas 3 (which takes the sum's start,
    ``initial``) and pandas 2 (which starts at 0 and has no such keyword)."""
    kwargs = {"out": out, "counts": counts, "values": values, "labels": labels, "mask": None, "result_mask": None,
              "min_count": 0, "is_datetimelike": False}
    try:
        _kernels.group_sum(**kwargs, initial=0)
    except TypeError:  # pandas 2: "unexpected keyword argument 'initial'" (raised before anything is written)
        _kernels.group_sum(**kwargs)


def groupby_scan_total(state: tuple) -> Any:
    """The per-group totals of a :func:`groupby_scan_local` state."""
    return state[1]


def _own_scan_and_totals(grouped: Any, values: list, selection: Any, how: str) -> tuple:
    """The partition's group-wise ``how`` (labelled as the user selected) and its per-group totals."""
    if how == "cumcount":
        return grouped.cumcount(), grouped.size().reset_index(name=_ROW_COUNT)
    if selection is not None and not isinstance(selection, tuple):  # a Series: pandas' faster Series path
        picked = grouped[selection]
    else:
        picked = grouped[values]
    return getattr(picked, how)(), picked.agg(_TOTALS[how]).reset_index()


def groupby_scan_combine(carry: Any, total: Any, by: list, selection: Any, how: str, dropna: bool = True) -> Any:
    """The per-group totals of the partitions before ``i + 1``: ``carry`` folded with partition ``i``'s
    ``total`` by matching keys (groups new in ``total`` appended), without grouping them again."""
    values = [c for c in total.columns if c not in by]
    frames = (carry, total)
    if not all(isinstance(f, pd.DataFrame) and all(_plain_dtype(f[v].dtype) for v in values) for f in frames):
        return groupby_cum_combine(carry, total, by, selection, how, dropna)
    where = _carry_rows(carry, total, by)
    seen = where >= 0
    out = carry.copy()
    for v in values:
        folded = out[v].to_numpy().copy()
        folded[where[seen]] = _fold(folded[where[seen]], total[v].to_numpy()[seen], how)
        out[v] = folded
    return concat([out, total[~seen]], ignore_index=True) if not seen.all() else out


def _fold(carried: np.ndarray, more: np.ndarray, how: str) -> np.ndarray:
    """Two totals of one group as one; for cummax/cummin NaN is a group with no value yet."""
    with np.errstate(over="ignore", invalid="ignore"):  # integers wrap around as in the library's own scans
        if how in ("cumsum", "cumcount"):
            return carried + more
        if how == "cumprod":
            return carried * more
        return np.fmax(carried, more) if how == "cummax" else np.fmin(carried, more)


def groupby_scan_finish(state: tuple, carry: Any, by: list, selection: Any, how: str, dropna: bool = True) -> Any:
    """The group-wise cumulative ``how`` of a partition from its :func:`groupby_scan_local` state,
    continued from the groups' totals in the partitions before it (``carry``, or None)."""
    scan, totals, codes = state
    if codes is None:
        return groupby_cum_finish(scan, carry, by, selection, how, dropna)
    if carry is None or not len(carry):
        return scan
    where = _carry_rows(carry, totals, by)
    value_columns = [c for c in totals.columns if c not in by]
    if isinstance(scan, pd.Series):
        continued = _continue(scan.to_numpy(), carry[value_columns[0]].to_numpy(), where, codes, how)
        return pd.Series(continued, index=scan.index, name=scan.name, copy=False)
    out = scan.copy(deep=False)
    for label, value in zip(out.columns, value_columns):
        out[label] = _continue(scan[label].to_numpy(), carry[value].to_numpy(), where, codes, how)
    return out


def _carry_rows(carry: Any, totals: Any, by: list) -> np.ndarray:
    """For each group of ``totals``, its row in ``carry`` (-1 where the group is new)."""
    if len(by) == 1:
        return pd.Index(carry[by[0]]).get_indexer(pd.Index(totals[by[0]]))
    return pd.MultiIndex.from_frame(carry[by]).get_indexer(pd.MultiIndex.from_frame(totals[by]))


def _continue(scan: np.ndarray, carried: np.ndarray, where: np.ndarray, codes: np.ndarray, how: str) -> np.ndarray:
    """``scan`` continued from each row's carried total: per group the carried value (the operation's
    identity for new groups and rows of dropped keys, at position -1), gathered by ``codes``."""
    identity = _identity(how, np.result_type(carried.dtype, scan.dtype))
    per_group = np.append(np.where(where >= 0, carried[where], identity), identity)
    if how in ("cummax", "cummin") and per_group.dtype.kind == "f":
        per_group[np.isnan(per_group)] = identity  # a group with only missing values so far carries nothing
    addend = np.take(per_group, codes)  # a fresh array: the result is written into it
    with np.errstate(over="ignore", invalid="ignore"):  # integers wrap around as in the library's own scans
        if how in ("cumsum", "cumcount"):
            return np.add(scan, addend, out=addend)
        if how == "cumprod":
            return np.multiply(scan, addend, out=addend)
        operation = np.maximum if how == "cummax" else np.minimum
        joined = operation(scan, addend, out=addend)
    return joined  # NaN values stay NaN: np.maximum/np.minimum propagate them


def _identity(how: str, dtype: np.dtype) -> Any:
    """The value that leaves ``how``'s operation unchanged, in ``dtype``."""
    if how in ("cumsum", "cumcount"):
        return dtype.type(0)
    if how == "cumprod":
        return dtype.type(1)
    low, high = (-np.inf, np.inf) if dtype.kind == "f" else (np.iinfo(dtype).min, np.iinfo(dtype).max)
    return dtype.type(low if how == "cummax" else high)


def missing_flags(df: Any, columns: tuple) -> Any:
    """``df`` with ``columns`` replaced by 1 where a value is missing, else 0 (a running max of them tells the rows
    after a group's first missing value: ``cumsum(skipna=False)``)."""
    out = df.copy(deep=False)
    for column in columns:
        out[column] = df[column].isna().astype("int8")
    return out
