"""Partition functions of ``interpolate`` across partitions (a two-way scan, ``expr/carry.py``'s ``TwoWayScan``).

Each partition passes on, per column, its first and last valid point ``(x, y, gap)``: the index value (``None``
for ``method="linear"``, which counts rows), the value, and the rows between the point and the partition's edge.
A partition is then filled as pandas fills the whole column: NumPy's ``interp`` over its own valid points plus
the nearest valid point before and after it (at ``-(gap + 1)`` and ``rows + gap`` for ``linear``), and pandas'
rules for ``limit``, ``limit_direction`` and ``limit_area`` applied to each missing value's distance in rows
from those points.

The arithmetic runs on the host in NumPy, as pandas' own does; cuDF partitions make an explicit round trip
(cuDF's ``interpolate`` lacks ``limit``, ``limit_direction`` and ``limit_area``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import _to_pandas, convert_library, is_dataframe_like, library_of

__all__ = ["INTERPOLATE_METHODS", "interpolate_total", "interpolate_edge", "interpolate_combine",
           "interpolate_finish"]

INTERPOLATE_METHODS = ("linear", "time", "index", "values")


def _columns(part: Any) -> list:
    return list(part.items()) if is_dataframe_like(part) else [(None, part)]


def _xs(index: Any, method: str) -> Any:
    """The x of each row for ``method`` (None for ``linear``, which counts rows), as pandas takes it."""
    if method == "linear":
        return None
    if method == "time" and not (isinstance(index, pd.DatetimeIndex)):
        raise ValueError("time-weighted interpolation only works on Series or DataFrames with a DatetimeIndex")
    values = index.asi8 if isinstance(index, (pd.DatetimeIndex, pd.TimedeltaIndex)) else np.asarray(index)
    if values.dtype.kind not in "iuf":
        raise ValueError(f"Index column must be numeric or datetime type when using {method} method other than "
                         "linear. Try setting a numeric or datetime index column before interpolating.")
    return values


def _numbers(col: Any) -> tuple:
    """``(values, valid, kind)`` of a column pandas interpolates: ``"f"`` floats (nullable ones too), ``"M"``
    times as int64; ``(None, None, kind)`` for integers and booleans, which have no missing values to fill."""
    dtype = col.dtype
    masked_int = isinstance(col.array, pd.arrays.IntegerArray)  # pandas makes them Float64
    arrow_number = isinstance(dtype, pd.ArrowDtype) and dtype.kind in "iuf"  # ... and these double[pyarrow]
    if masked_int or arrow_number or isinstance(dtype, (pd.Float32Dtype, pd.Float64Dtype)) or \
            (isinstance(dtype, np.dtype) and dtype.kind == "f"):
        values = col.to_numpy(dtype="float64", na_value=np.nan)
        return values, ~np.isnan(values), "f"
    if isinstance(dtype, pd.DatetimeTZDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "mM"):
        return col.array.asi8.astype("float64"), col.notna().to_numpy(), "M"
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":
        return None, None, "i"
    raise TypeError(f"Cannot interpolate with {dtype} dtype")


def interpolate_total(part: Any, method: str = "linear", **kwargs: Any) -> dict:
    """The partition's rows and, per column, its first and last valid points ``(x, y, gap)`` (None: none)."""
    host = _to_pandas(part)
    xs = _xs(host.index, method)
    rows = len(host)
    columns = {}
    for label, col in _columns(host):
        values, valid, _ = _numbers(col)
        found = np.flatnonzero(valid) if values is not None else []
        if len(found) == 0:
            columns[label] = None
            continue
        first, last = int(found[0]), int(found[-1])
        columns[label] = ((None if xs is None else xs[first], values[first], first),
                          (None if xs is None else xs[last], values[last], rows - 1 - last))
    return {"rows": rows, "columns": columns}


def interpolate_edge(total: dict, forward: bool = True) -> dict:
    """What a partition shows the next one in scan order: per column its last (backward: first) valid point."""
    side = 1 if forward else 0
    return {"columns": {label: None if points is None else points[side] for label, points in total["columns"].items()}}


def interpolate_combine(carry: dict, total: dict, forward: bool = True, **kwargs: Any) -> dict:
    """The nearest valid point after one more partition: its own if it has one, else the carry's, further away."""
    own = interpolate_edge(total, forward)["columns"]
    columns = {}
    for label, point in own.items():
        if point is not None:
            columns[label] = point
        else:
            carried = carry["columns"][label]
            columns[label] = None if carried is None else (carried[0], carried[1], carried[2] + total["rows"])
    return {"columns": columns}


def interpolate_finish(part: Any, before: Any, after: Any, method: str = "linear", limit: Any = None,
                       limit_direction: str = "forward", limit_area: Any = None) -> Any:
    """``part`` with its missing values interpolated between the valid points around them, as pandas."""
    host = _to_pandas(part)
    xs = _xs(host.index, method)
    out = host.copy()
    for label, col in _columns(host):
        values, valid, kind = _numbers(col)
        if values is None or (valid.all() and _filled_dtype(col) == col.dtype):  # (nothing to fill, no new dtype)
            continue
        prev = before["columns"].get(label) if before is not None else None
        nxt = after["columns"].get(label) if after is not None else None
        filled, missing = _fill_column(values, valid, xs, prev, nxt, limit, limit_direction, limit_area)
        new = _as_dtype(filled, missing, col, kind)
        if label is None:
            out = new
        else:
            out[label] = new
    return convert_library(out, "cudf") if library_of(part) == "cudf" else out


def _fill_column(values: Any, valid: Any, xs: Any, prev: Any, nxt: Any, limit: Any, direction: str,
                 area: Any) -> Any:
    rows = len(values)
    positions = np.arange(rows, dtype="float64")
    x = positions if xs is None else xs
    known_x, known_y = [x[valid]], [values[valid]]
    prev_pos, next_pos = -np.inf, np.inf
    if prev is not None:
        prev_pos = -(prev[2] + 1.0)
        known_x.insert(0, [prev_pos if xs is None else prev[0]])
        known_y.insert(0, [prev[1]])
    if nxt is not None:
        next_pos = rows + float(nxt[2])
        known_x.append([next_pos if xs is None else nxt[0]])
        known_y.append([nxt[1]])
    kx, ky = np.concatenate(known_x), np.concatenate(known_y)
    if len(kx) == 0:
        return values, ~valid
    missing = ~valid
    out = values.copy()
    out[missing] = np.interp(x[missing], kx, ky)
    # rows from the nearest valid value before / after each row (inf: none), as pandas counts them for limit=
    since = positions - np.maximum.accumulate(np.where(valid, positions, prev_pos))
    until = np.minimum.accumulate(np.where(valid, positions, next_pos)[::-1])[::-1] - positions
    keep_missing = _kept_missing(since, until, limit, direction, area)
    return out, missing & keep_missing


def _kept_missing(since: Any, until: Any, limit: Any, direction: str, area: Any) -> Any:
    """Which missing rows pandas leaves missing (``_interpolate_1d``'s ``preserve_nans``)."""
    bound = np.inf if limit is None else limit
    if direction == "forward":
        keep = np.isinf(since) | (since > bound)
    elif direction == "backward":
        keep = np.isinf(until) | (until > bound)
    else:
        keep = (since > bound) & (until > bound)
    if area == "inside":
        keep = keep | np.isinf(since) | np.isinf(until)
    elif area == "outside":
        keep = keep | (~np.isinf(since) & ~np.isinf(until))
    return keep


def _as_dtype(values: Any, missing: Any, col: Any, kind: str) -> Any:
    """The filled values as a column of ``col``'s dtype, index and name (missing where pandas leaves them)."""
    if kind == "M":
        ints = values.astype("int64")
        ints[missing] = np.iinfo("int64").min  # NaT
        letter = "m" if col.dtype.kind == "m" else "M"
        out = pd.Series(ints.view(f"{letter}8[{col.dt.unit}]"), index=col.index, name=col.name)
        tz = getattr(col.dtype, "tz", None)
        return out.dt.tz_localize("UTC").dt.tz_convert(tz) if tz is not None else out
    values = values.copy()
    values[missing] = np.nan
    return pd.Series(values, index=col.index, name=col.name).astype(_filled_dtype(col))


def _filled_dtype(col: Any) -> Any:
    """The dtype pandas gives an interpolated number column: nullable integers become ``Float64``, Arrow integers
    ``double[pyarrow]``, others keep theirs."""
    if isinstance(col.array, pd.arrays.IntegerArray):
        return pd.Float64Dtype()
    if isinstance(col.dtype, pd.ArrowDtype) and col.dtype.kind in "iu":
        import pyarrow as pa  # (only an Arrow column brings it here)

        return pd.ArrowDtype(pa.float64())
    return col.dtype
