"""Partition functions of ``ffill`` / ``bfill`` across partitions (a scan over the partitions).

Forward (``ffill``), in partition order; backward (``bfill``), in reverse order.  A partition's total
is, per column, its last (first, backward) valid value and the missing values after (before) it; the
carry a partition receives is the nearest valid value of the partitions before it in scan order and
how many rows lie between.  A partition is filled by the library's own ``ffill``/``bfill(limit=)``,
then its leading (trailing) run of missing values takes the carried value where ``limit`` allows.
"""

from __future__ import annotations

import warnings
from typing import Any

import pandas as pd

from gpuscale.backends.frame.categorical import is_categorical
from gpuscale.backends.frame.core import is_dataframe_like, make_meta, meta_nonempty, namespace
from gpuscale.backends.frame.cudf_gaps import fill_within
from gpuscale.backends.frame.scalars import where_scalar

__all__ = ["fill_total", "fill_combine", "fill_finish", "missing_total", "missing_combine", "fill_value_limited",
           "fillna_meta"]


def _columns(part: Any) -> list:
    if is_dataframe_like(part):
        return [(c, part[c]) for c in part.columns]
    return [(None, part)]


def fill_total(part: Any, forward: bool = True, limit: Any = None) -> dict:
    """Per column ``(has_value, value, gap)``: the nearest valid value to the partition's end (its start,
    backward) and the rows after (before) it; ``"rows"`` holds the partition's length."""
    out: dict = {"rows": len(part), "columns": {}}
    for label, col in _columns(part):
        valid = col.dropna()
        if len(valid) == 0:
            out["columns"][label] = (False, None, len(part))
            continue
        present = col.notna()
        if forward:
            value = valid.iloc[-1]
            gap = len(part) - 1 - _last_position(present)
        else:
            value = valid.iloc[0]
            gap = _first_position(present)
        out["columns"][label] = (True, value, gap)
    return out


def _first_position(mask: Any) -> int:
    """Position of the first True (the mask has one)."""
    return int(mask.cumsum().eq(0).sum())


def _last_position(mask: Any) -> int:
    """Position of the last True (the mask has one)."""
    total = int(mask.sum())
    return int(len(mask) - int(mask.cumsum().ge(total).sum()))


def fill_combine(carry: dict, total: dict, forward: bool = True, limit: Any = None) -> dict:
    """The carry after one more partition: its own value if it has one, else the carry's, further away."""
    columns = {}
    for label, (has, value, gap) in total["columns"].items():
        if has:
            columns[label] = (has, value, gap)
        else:
            c_has, c_value, c_gap = carry["columns"][label]
            columns[label] = (c_has, c_value, c_gap + total["rows"])
    return {"rows": total["rows"], "columns": columns}


def fill_finish(part: Any, carry: Any, forward: bool = True, limit: Any = None) -> Any:
    """``part`` filled forward (backward) within itself, then from ``carry`` (None: the first in scan order)."""
    filled = fill_within(part, forward, limit)  # (cuDF's ffill/bfill take no limit=)
    if carry is None:
        return filled
    columns = dict(_columns(filled))
    for label, (has, value, gap) in carry["columns"].items():
        col = columns[label]
        if not has or (limit is not None and gap >= limit):
            continue
        present = part[label].notna() if label is not None else part.notna()
        if forward:
            run = present.cumsum().eq(0)  # rows before the first valid value
            distance = run.cumsum()
        else:
            run = present.cumsum().eq(int(present.sum())) & ~present  # rows after the last valid value
            distance = int(run.sum()) - run.cumsum() + 1
        if not bool(run.any()):
            continue
        take = run if limit is None else run & (distance + gap).le(limit)
        filled = _put_filled(filled, part, label, col, take, value)
    return filled


def _put_filled(out: Any, part: Any, label: Any, col: Any, take: Any, value: Any) -> Any:
    """``out`` with its column ``label`` (``col``) holding ``value`` where ``take`` (``part`` copied once before a
    column is set); of a Series partition (``label`` None), the filled Series."""
    if is_categorical(col.dtype) and not bool(pd.isna(value)) and value not in col.cat.categories:
        col = col.cat.add_categories([value])  # unknown categories: another partition's value carried in
    col = col.where(~take, _fill_operand(value, col))
    if label is None:
        return col
    out = out.copy() if out is part else out
    out[label] = col
    return out


def _fill_operand(value: Any, col: Any) -> Any:
    """``value`` as ``col.where`` takes it: a list (or other nested value of a list or struct column) repeated
    on every row, since ``where`` reads a list as one value per row."""
    if isinstance(value, (list, tuple, dict)) or hasattr(value, "__array__") and getattr(value, "ndim", 0) > 0:
        return namespace(col).Series([value] * len(col), index=col.index, dtype=col.dtype)
    return where_scalar(value, col)


def missing_total(part: Any, **_: Any) -> dict:
    """Per column the missing values of a partition (``fillna(value, limit=)`` counts them across partitions)."""
    return {label: int(col.isna().sum()) for label, col in _columns(part)}


def missing_combine(carry: dict, total: dict, **_: Any) -> dict:
    """The missing values of the partitions so far."""
    return {label: carry.get(label, 0) + n for label, n in total.items()}


def fill_value_limited(part: Any, carry: Any, value: Any, limit: int) -> Any:
    """``fillna(value, limit=)`` of one partition: per column the first ``limit`` missing values of the whole
    collection, less ``carry``'s (those of the partitions before); ``value`` a scalar or a dict per column."""
    out = part
    for label, col in _columns(part):
        if isinstance(value, dict) and label not in value:
            continue
        left = limit - (carry or {}).get(label, 0)
        if left <= 0:
            continue
        missing = col.isna()
        take = missing & missing.cumsum().le(left)
        out = _put_filled(out, part, label, col, take, value[label] if isinstance(value, dict) else value)
    return out


def fillna_meta(meta: Any, value: Any) -> Any:
    """The metadata of ``fillna(value)`` where values are missing: pandas then gives the values' and
    ``value``'s common dtype (objects for a naive timestamp in a tz-aware column, or text in a float one),
    while the empty metadata has nothing to fill and keeps its dtype.  The columns the call names (a
    Series, a dict's keys) are taken to have missing values; a DataFrame's others keep their dtypes (a
    frame-wide ``fillna(0)`` meets many columns without any).  ``value`` a scalar or a dict of them per
    column; None where the sample cannot tell or no dtype changes (the caller infers as usual, and the plan
    stays the one a frame's ``fillna`` projected to a column gives).

    Examples
    --------
    >>> import pandas as pd
    >>> fillna_meta(pd.Series([], dtype="float64"), "text").dtype
    dtype('O')
    >>> fillna_meta(pd.Series([], dtype="float64"), 0) is None
    True
    >>> fillna_meta(pd.DataFrame({"a": [1], "b": [0.5]}).iloc[:0], {"a": "x", "b": "x"}).dtypes.tolist()
    [dtype('int64'), dtype('O')]
    """
    from gpuscale.backends.frame.elementwise import is_scalar_like

    values = value if isinstance(value, dict) else None
    # a Series' scalar or a DataFrame's dict of them (a Series' dict maps row labels)
    if is_dataframe_like(meta) != (values is not None) or not all(map(is_scalar_like, (values or {0: value}).values())):
        return None
    try:
        with warnings.catch_warnings():  # pandas' warning of an incompatible value: the partitions' to give
            warnings.simplefilter("ignore")
            out = make_meta(meta.fillna(value))
            dtypes = {label: _filled_dtype(col, value if values is None else values[label])
                      for label, col in _columns(meta_nonempty(meta)) if values is None or label in values}
        if not is_dataframe_like(out):
            return None if dtypes[None] == out.dtype else out.astype(dtypes[None])
        changed = {label: d for label, d in dtypes.items() if d != out[label].dtype}
        return out.astype(changed) if changed else None
    except Exception:  # noqa: BLE001 - the usual inference decides
        return None


def _filled_dtype(col: Any, value: Any) -> Any:
    """The dtype of ``col.fillna(value)`` with a missing value in ``col`` (none where its dtype holds none:
    integers and booleans keep theirs)."""
    holed = col.shift(1)  # a missing first row
    return col.dtype if holed.dtype != col.dtype else holed.fillna(value).dtype
