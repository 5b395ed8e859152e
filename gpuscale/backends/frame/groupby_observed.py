"""``groupby(..., observed=False)``: the groups of unobserved categories, added after the aggregation.

Partials are always grouped with ``observed=True`` (every category in every partial would multiply
their size); the one output partition then gets a row for every combination of the key levels'
categories that no row had, holding the value of an aggregation over no rows (0 for ``sum``,
``count``, ``size`` and ``nunique``, 1 for ``prod``, False for ``any``, True for ``all``, missing
otherwise), as pandas gives.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (_to_pandas, convert_library, is_dataframe_like, is_series_like, library_of,
                                          namespace)
from gpuscale.backends.frame.groupby_extras import sort_by_key_levels
from gpuscale.backends.frame.pandas_version import PANDAS_3

__all__ = ["EMPTY_GROUP_VALUES", "cast_numeric_like", "empty_group_fills", "has_categorical_keys", "one_missing_code",
           "raise_on_unobserved_groups", "with_empty_category", "unobserved_applied", "with_unobserved_groups",
           "with_unobserved_value_counts"]

# the value of an aggregation over a group without rows (other aggregations give a missing value)
EMPTY_GROUP_VALUES = {"sum": 0, "count": 0, "size": 0, "nunique": 0, "prod": 1, "any": False, "all": True}


def _is_categorical(values: Any) -> bool:
    return str(getattr(values, "dtype", "")) == "category"


def has_categorical_keys(meta: Any, by: list) -> bool:
    """Whether any key column of ``meta`` is categorical (``observed`` matters only then)."""
    return any(c in meta.columns and _is_categorical(meta[c]) for c in by)


def _key_levels(index: Any, nkeys: int) -> list:
    return [index.get_level_values(i) for i in range(nkeys)] if nkeys > 1 else [index]


_PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def _all_groups(index: Any, nkeys: int) -> Any:
    """Every group pandas shows with ``observed=False``: all categories of each categorical level, crossed with
    the combinations of the other levels' values that occur (pandas 3; pandas 2: with every value of each other
    level); in ``index``'s library.  Built on the host
    (one row per group): cuDF's ``MultiIndex.from_product`` hands its levels to pandas, which cannot iterate a
    cuDF Index."""
    library = library_of(index)
    host = _to_pandas(index)
    levels = _key_levels(host, nkeys)
    choices = []
    for level in levels:
        if _is_categorical(level):
            categories = level.categories
            # (a missing key kept by dropna=False is a group of its own beside every category, as pandas)
            values = list(categories) + ([np.nan] if bool(level.isna().any()) else [])
            choices.append(pd.CategoricalIndex(values, categories=categories, ordered=level.ordered, name=level.name))
        else:
            choices.append(level.unique())
    others = [i for i, level in enumerate(levels) if not _is_categorical(level)]
    if nkeys == 1 or len(others) < 2 or not _PANDAS_3:  # (pandas 2 crosses every key's values)
        full = choices[0] if nkeys == 1 else pd.MultiIndex.from_product(choices, names=[lv.name for lv in levels])
        return convert_library(full, library)
    combos = pd.MultiIndex.from_arrays([levels[i] for i in others]).unique()  # the other keys as they occur
    rest = [i for i in range(nkeys) if i not in others]
    grid = pd.MultiIndex.from_product([range(len(combos))] + [choices[i] for i in rest])
    arrays: list = [None] * nkeys
    picked = grid.get_level_values(0).to_numpy()
    for j, i in enumerate(others):
        arrays[i] = combos.get_level_values(j).take(picked)
    for j, i in enumerate(rest):
        arrays[i] = grid.get_level_values(j + 1)
    return convert_library(pd.MultiIndex.from_arrays(arrays, names=[lv.name for lv in levels]), library)


def _filler(obj: Any, missing: Any, fills: tuple) -> Any:
    """Rows of ``obj``'s columns for the ``missing`` keys, holding each column's empty-group value."""
    empty = obj.iloc[:0].reindex(missing)
    if is_series_like(obj):
        return _filled(empty, fills[0] if fills else None, obj.dtype)
    columns = [_filled(empty.iloc[:, j], fills[j] if j < len(fills) else None, obj.dtypes.iloc[j])
               for j in range(len(obj.columns))]
    out = namespace(obj).concat(columns, axis=1)
    out.columns = obj.columns
    return out


def _filled(values: Any, fill: Any, dtype: Any) -> Any:
    if fill is None:
        return values
    return values.fillna(fill).astype(dtype)  # 0 / 1 in the column's own dtype (an int sum stays int)


def empty_group_fills(meta: Any, pairs: list, min_count: Any = None) -> tuple:
    """The value of each ``(column, function)`` of ``pairs`` over a group without rows: a reduction's (a sum or
    product of ``min_count`` >= 1 missing), a callable's result on the column's empty Series (pandas calls it
    on the empty group: ``len`` gives 0); None: missing.  ``meta``: the grouped frame or Series, no rows."""
    return tuple(_empty_group_value(meta, column, f, min_count) for column, f in pairs)


def _empty_group_value(meta: Any, column: Any, f: Any, min_count: Any) -> Any:
    if isinstance(f, str):
        return None if min_count and f in ("sum", "prod") else EMPTY_GROUP_VALUES.get(f)
    if not callable(f):
        return None
    empty = _to_pandas(meta if is_series_like(meta) or column is None else meta[column]).iloc[:0]
    try:
        value = f(empty)
    except Exception:  # (a function that needs rows: missing, as before)
        return None
    return value if np.isscalar(value) and not pd.isna(value) else None


def with_unobserved_groups(obj: Any, nkeys: int, fills: tuple, sort: bool = True, meta: Any = None) -> Any:
    """``obj`` (a groupby result indexed by ``nkeys`` key levels) with a row for every unobserved
    combination of categories; ``fills`` holds each column's empty-group value (None: missing)."""
    index = obj.index
    if not any(_is_categorical(level) for level in _key_levels(index, nkeys)):
        return obj
    if index.nlevels != nkeys:
        raise NotImplementedError("groupby observed=False: only results indexed by the group keys")
    full = _all_groups(index, nkeys)
    missing = full[~full.isin(index)]  # (a CuPy mask for cuDF: it stays on the device)
    out = namespace(obj).concat([obj, _filler(obj, missing, fills)]) if len(missing) else obj
    out = one_missing_code(out)
    if sort:  # (pandas' sort_index takes codes with -1 first as sorted: the missing key's group goes last)
        out = sort_by_key_levels(out, nkeys)
    return cast_numeric_like(out, meta)


def one_missing_code(out: Any) -> Any:
    """``out`` whose pandas MultiIndex holds a missing key as code -1 only: a groupby with ``dropna=False``
    gives a level holding NaN as a value, the added groups code -1, which its ``sort_index`` orders apart and
    whose level pandas' ``observed=False`` groupby does not have.  (cuDF's index holds columns, no codes.)"""
    index = out.index
    if library_of(out) != "pandas" or index.nlevels < 2 or not any(level.hasnans for level in index.levels):
        return out
    arrays = [index.get_level_values(i) for i in range(index.nlevels)]
    return out.set_axis(pd.MultiIndex.from_arrays(arrays, names=index.names), axis=0)


def cast_numeric_like(out: Any, meta: Any) -> Any:
    """``out`` with the numeric dtypes of ``meta`` (an int column is float when some group is empty)."""
    if meta is None:
        return out
    if is_series_like(out):
        return out.astype(meta.dtype) if _numeric(meta.dtype) and out.dtype != meta.dtype else out
    if is_dataframe_like(out):
        casts = {c: t for c, t in zip(out.columns, meta.dtypes) if _numeric(t) and out[c].dtype != t}
        return out.astype(casts) if casts else out
    return out


def _numeric(dtype: Any) -> bool:
    return isinstance(dtype, np.dtype) and dtype.kind in "iufb"


def with_empty_category(sample: Any, by: list) -> Any:
    """``sample`` whose categorical key columns have one more, unused category: aggregated with
    ``observed=False`` it gives the dtypes of a result with an empty group (an int ``min`` is float)."""
    out = sample.copy()
    for c in by:
        if c in out.columns and _is_categorical(out[c]):
            out[c] = out[c].cat.add_categories([_unused_category(out[c].cat.categories)])
    return out


def _unused_category(categories: Any) -> Any:
    if categories.dtype.kind in "iuf":
        return categories.max() + 1 if len(categories) else 0
    if categories.dtype.kind in "mM" and len(categories):  # (of the categories' kind: cuDF mixes none with text)
        return categories.max() + pd.Timedelta(days=1)
    return "__gpuscale_empty_group__"


def with_unobserved_value_counts(counts: Any, nkeys: int, sort: bool = True, ascending: bool = False) -> Any:
    """A groupby ``value_counts`` result (indexed by ``nkeys`` key levels, then the values) with pandas'
    ``observed=False`` rows: every category of each categorical level crossed with the combinations of the other
    levels (the values among them) that occur (pandas 2: with every value of each), 0 where absent, ordered by
    key and value, then (``sort``) by count within a key, ties in value order."""
    index = counts.index
    if not any(_is_categorical(index.get_level_values(i)) for i in range(nkeys)):
        return counts
    # (pandas groups by the keys and the values alike: the values are one more level of groups)
    full = _all_groups(index, nkeys + 1).sort_values()
    out = counts.reindex(full, fill_value=0)
    if sort:
        codes = np.stack([np.asarray(c) for c in _to_pandas(full).codes[:nkeys]])
        group = np.concatenate([[0], np.cumsum(np.any(codes[:, 1:] != codes[:, :-1], axis=0))])
        amount = np.asarray(out.to_numpy(), dtype="float64")
        out = out.iloc[np.lexsort((amount if ascending else -amount, group))]  # stable: ties keep value order
    return out


def raise_on_unobserved_groups(part: Any, sizes: Any, how: str) -> Any:
    """``part`` unchanged, or pandas' ValueError for ``how`` (``idxmin``/``idxmax``) when ``sizes`` (every group's
    size, ``observed=False``: the unobserved categories' groups too) holds an empty group."""
    if bool((sizes == 0).any()):
        raise ValueError(f"Can't get {how} of an empty group due to unobserved categories. "
                         "Specify observed=True in groupby instead.")
    return part


def unobserved_applied(observed: Any, empty: Any, by: list, run: dict, meta: Any) -> Any:
    """The rows a groupby ``apply`` with ``observed=False`` gives the groups of unobserved categories: pandas calls
    the function on each of them, without rows.  ``empty`` (the input's metadata, its categorical keys given the
    categories of ``observed``'s) is grouped with ``observed=False`` on the host, less the groups among
    ``observed`` (the key combinations that hold rows); ``run``: the other arguments of
    :func:`groupby_whole_groups`.  A result not indexed by the groups (``group_keys=False``, frames kept) has no
    rows of empty groups."""
    from gpuscale.backends.frame.groupby import groupby_whole_groups

    library, keys = library_of(observed), _to_pandas(observed)
    # (the keys' categories as the partitions hold them: the metadata's may be unknown)
    empty = _to_pandas(empty).astype({c: keys[c].dtype for c in by})
    stand_ins = {} if run.get("dropna", True) else _missing_key_stand_ins(empty, keys, by)
    out = groupby_whole_groups(empty.astype({c: t for c, (_, t) in stand_ins.items()}), by, observed=False, **run)
    out = _stand_ins_as_missing(out, by, stand_ins)
    missing = not PANDAS_3 and len(by) > 1
    if missing:  # pandas 2.2 calls the function on none of them
        out = _unobserved_as_missing(empty, out, by, run, stand_ins)
    if list(out.index.names[:len(by)]) != list(by):
        out = out.iloc[:0]
    elif len(by) == 1:
        groups = out.index if out.index.nlevels == 1 else out.index.get_level_values(0)
        out = out[~np.asarray(groups.isin(keys[by[0]]))]
    else:
        groups = out.index.droplevel(list(range(len(by), out.index.nlevels))) if out.index.nlevels > len(by) \
            else out.index
        out = out[~np.asarray(groups.isin(pd.MultiIndex.from_frame(keys[list(by)])))]
    # (pandas 2.2's missing values: float, whatever the function gives)
    return convert_library(out, library) if missing else cast_numeric_like(convert_library(out, library), meta)


def _missing_key_stand_ins(empty: Any, keys: Any, by: list) -> dict:
    """``{key: (stand-in, dtype)}`` for each key holding a missing value in ``keys`` (``dropna=False``): an
    unused category that stands for the missing key, so that grouping ``empty`` with ``observed=False`` calls
    the function on the groups of the missing key crossed with the other keys' categories, as pandas does."""
    out = {}
    for c in by:
        if bool(keys[c].isna().any()):
            stand_in = _unused_category(empty[c].cat.categories)
            out[c] = (stand_in, empty[c].cat.add_categories([stand_in]).dtype)
    return out


def _stand_ins_as_missing(out: Any, by: list, stand_ins: dict) -> Any:
    """``out`` whose key levels hold a missing value where they hold the stand-in of the missing key."""
    index = out.index
    if not stand_ins or list(index.names[:len(by)]) != list(by):
        return out
    arrays = [index.get_level_values(i) for i in range(index.nlevels)]
    for i, c in enumerate(by):
        if c in stand_ins:
            arrays[i] = arrays[i].remove_categories([stand_ins[c][0]])  # (the stand-in becomes missing)
    rebuilt = arrays[0] if index.nlevels == 1 else pd.MultiIndex.from_arrays(arrays, names=index.names)
    return out.set_axis(rebuilt, axis=0)


def _unobserved_as_missing(empty: Any, out: Any, by: list, run: dict, missing_keys: Any = ()) -> Any:
    """pandas 2.2's groups of unobserved categories of an ``apply`` by several keys: it calls the function on
    none of them, and a result indexed by the groups (a value or a Series per group) gets their rows, missing
    (its ``_reindex_output``); frames kept get none.  Which: the function's result on the empty groups of the
    first key alone (pandas 2.2 calls it on those of one key), ``out``: the result of no group, its layout;
    ``missing_keys``: the keys whose missing value is a group too (``dropna=False``)."""
    from gpuscale.backends.frame.groupby import groupby_whole_groups

    probe = groupby_whole_groups(empty, by[:1], observed=False, **run)
    if probe.index.nlevels != 1 or probe.index.name != by[0]:
        return out.iloc[:0]
    sizes = [len(empty[k].cat.categories) + (k in missing_keys) for k in by]  # (the missing key: code -1, last)
    codes = np.indices(sizes).reshape(len(by), -1)
    codes = [np.where(c == len(empty[k].cat.categories), -1, c) for c, k in zip(codes, by)]
    groups = pd.MultiIndex.from_arrays([pd.Categorical.from_codes(c, dtype=empty[k].dtype)
                                        for c, k in zip(codes, by)], names=by)
    return out.reindex(groups)
