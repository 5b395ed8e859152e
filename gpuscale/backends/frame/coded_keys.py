"""Group keys given to pandas as integer codes: categorical keys by their codes, several categorical or
integer keys packed into one integer per row.

pandas groups a categorical key with ``observed=True`` by first finding which categories occur
(``recode_for_groupby``: a ``unique`` over the codes and a recoding) before it groups the codes: a
third of the time of a partition's ``sum`` and ``count``.  Several keys cost more: each is
factorized, their codes are combined into one integer and that is factorized again (hashed) to
number the combinations that occur.  The codes of a categorical column, and an integer column
less its minimum, are such numbers already: :func:`codes_keys` hands pandas the codes of a single
categorical key, or one int64 per row packing every categorical and integer key (mixed radix, when
the ranges multiply to less than 2**62), so pandas hashes once.  :func:`keys_back` turns the few
group codes of the result back into the keys (their dtypes and names).  Rows and values are grouped
identically, and with ``sort=False`` the groups come in the same order, that of first appearance.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["codes_keys", "keys_back"]

_MAX_PACKED = 2 ** 62  # packed codes stay well inside int64


def codes_keys(df: Any, by: list) -> tuple[list, list] | None:
    """``(keys, layout)``: the keys to group ``df`` by in place of the columns ``by``, and how
    :func:`keys_back` turns their groups back into ``by``'s values.

    One categorical key: its codes.  Several keys, all categorical or integer: one packed int64.
    Otherwise each categorical key is replaced by its codes.  None where nothing is replaced, or where
    it does not apply: not a pandas DataFrame, a key that is not one column label, or a missing
    categorical value (code -1: pandas' own ``dropna`` handles those).
    """
    if not isinstance(df, pd.DataFrame) or not len(df) or not df.columns.is_unique:
        return None
    if not all(_is_label(name) and name in df.columns for name in by):
        return None
    columns = [df[name] for name in by]
    kinds = [_kind(column) for column in columns]
    if "category" not in kinds and (len(by) < 2 or None in kinds):
        return None  # no categorical key, and nothing to pack
    codes = [_codes(column) if kind == "category" else None for column, kind in zip(columns, kinds)]
    if any(c is not None and c.min() < 0 for c in codes):
        return None
    if len(by) > 1 and None not in kinds:
        packed = _pack(columns, kinds, codes)
        if packed is not None:
            return packed
    keys = [name if c is None else c for name, c in zip(by, codes)]
    layout = [("codes", level, name, column.dtype) for level, (name, column, c) in enumerate(zip(by, columns, codes))
              if c is not None]
    return (keys, layout) if layout else None  # (integer keys whose ranges multiply too far)


def _is_label(name: Any) -> bool:
    try:
        hash(name)
    except TypeError:
        return False
    return not isinstance(name, tuple)


def _kind(column: Any) -> str | None:
    """"category", "int" (a NumPy integer that fits int64), or None."""
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return "category"
    if isinstance(dtype, np.dtype) and (dtype.kind == "i" or (dtype.kind == "u" and dtype.itemsize < 8)):
        return "int"
    return None


def _codes(column: Any) -> np.ndarray:
    return column.cat.codes.to_numpy()


def _pack(columns: list, kinds: list, codes: list) -> tuple[list, list] | None:
    """One int64 per row: the keys' offsets from their minimum (codes: from 0) in mixed radix, last key
    fastest; None where the ranges multiply to ``_MAX_PACKED`` or more."""
    digits = []
    for column, kind, code in zip(columns, kinds, codes):
        if kind == "category":
            digits.append((code, 0, len(column.cat.categories)))
        else:
            values = column.to_numpy()
            low, high = int(values.min()), int(values.max())
            digits.append((values, low, high - low + 1))
    total = 1
    for _, _, size in digits:
        total *= max(size, 1)
    if total >= _MAX_PACKED:
        return None
    packed = np.zeros(len(columns[0]), dtype=np.int64)
    layout = []
    stride = total
    for (values, low, size), column in zip(digits, columns):
        stride //= max(size, 1)
        part = values.astype(np.int64)
        if low:
            part -= low
        packed += part * stride if stride != 1 else part
        layout.append(("packed", stride, size, low, column.name, column.dtype))
    return [packed], layout


def keys_back(index: Any, layout: list) -> Any:
    """The group index of a grouping by :func:`codes_keys`' keys with ``by``'s values in place of the
    codes: their dtypes, and every level named after its key column."""
    if layout[0][0] == "packed":
        values = index.to_numpy().astype(np.int64)
        levels = [_level(values // stride % size + low, dtype, name) for _, stride, size, low, name, dtype in layout]
        return pd.MultiIndex.from_arrays(levels)
    if not isinstance(index, pd.MultiIndex):
        (_, _, name, dtype), = layout
        return _level(index.to_numpy(), dtype, name)
    for _, level, name, dtype in layout:
        index = index.set_levels(_level(index.levels[level].to_numpy(), dtype, None), level=level)
        index = index.set_names(name, level=level)
    return index


def _level(codes: np.ndarray, dtype: Any, name: Any) -> Any:
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.CategoricalIndex(pd.Categorical.from_codes(codes, dtype=dtype), name=name)
    return pd.Index(codes.astype(dtype), name=name)
