"""Partition functions of the groupby extras (``get_group``, ``value_counts``, ordering of results).

The rest of the extras (``head``, ``ffill``, ``idxmax``, ``corr`` ...) run the library's own
groupby method on partitions that hold whole groups (:func:`groupby_whole_groups`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import (_to_pandas, convert_library, is_dataframe_like, library_of, namespace,
                                          stable_sort_kind)
from gpuscale.backends.frame.pandas_version import PANDAS_3
from gpuscale.backends.frame.sort_keys import categorical_levels_misorder, sorted_by_index_columns

__all__ = ["groupby_get_group", "groupby_side_by_side", "groupby_value_counts", "groupby_filter", "sort_by_key_levels",
           "drop_columns", "groupby_resample", "group_numbers", "group_values_of_rows",
           "first_seen_tags", "numbers_by_first_seen", "group_members", "values_are_monotonic",
           "missing_category_level_last"]


def _select(df: Any, selection: Any) -> Any:
    if selection is None:
        return df
    return df[list(selection) if isinstance(selection, tuple) else selection]


def groupby_get_group(df: Any, by: list, selection: Any, key: Any, hidden: tuple = ()) -> Any:
    """The rows of ``df`` whose key columns ``by`` equal ``key`` (a tuple for several keys), with the
    selected columns (all but the ``hidden`` key columns when no selection), as pandas' ``get_group``."""
    keys = key if isinstance(key, tuple) and len(by) > 1 else (key,)
    if len(keys) != len(by):
        raise ValueError(f"get_group: {len(by)} keys, but the group name {key!r} has {len(keys)} values")
    mask = None
    for label, value in zip(by, keys):
        # a missing name (the group of missing keys, dropna=False) is matched by missingness: NaN != NaN
        match = df[label].isna() if _is_missing(value) else (df[label] == value).fillna(False)
        mask = match if mask is None else mask & match
    rows = df[mask]  # (cuDF: a missing key compares as missing, filled above)
    rows = _select(rows, selection)
    return drop_columns(rows, hidden)


def _is_missing(value: Any) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # (a list-like name)
        return False


def drop_columns(obj: Any, labels: tuple) -> Any:
    """``obj`` without the columns ``labels`` it has (a Series unchanged)."""
    if not is_dataframe_like(obj):
        return obj
    present = [c for c in labels if c in obj.columns]
    return obj.drop(columns=present) if present else obj


def groupby_value_counts(df: Any, by: list, column: Any, normalize: bool = False, sort: bool = True,
                         ascending: bool = False, dropna: bool = True, key_dropna: bool = True,
                         meta: Any = None) -> Any:
    """``df.groupby(by, dropna=key_dropna)[column].value_counts(..., dropna=dropna)`` on partitions holding whole
    groups (the groupby's ``dropna`` keeps or drops missing keys, the method's missing values).

    pandas: its own method.  cuDF's ``SeriesGroupBy.value_counts`` raises, so the counts are the sizes
    of the groups of ``by + [column]``, divided by the group totals (``normalize``) and ordered by
    count within each group (stable), which is pandas' order.
    """
    if meta is not None and len(df) == 0:
        return meta
    if library_of(df) == "pandas":
        grouped = df.groupby(by, dropna=key_dropna, sort=True, observed=True)[column]
        return grouped.value_counts(normalize=normalize, sort=sort, ascending=ascending, dropna=dropna)
    dropped = ([*by] if key_dropna else []) + ([column] if dropna else [])
    if dropped:
        df = df.dropna(subset=dropped)
    counts = df.groupby(by + [column], dropna=False, sort=True).size()
    name = "proportion" if normalize else "count"
    frame = counts.reset_index(name=name)
    if normalize:
        totals = frame.groupby(by, dropna=False)[name].transform("sum")
        frame[name] = frame[name] / totals
    if sort:
        frame = frame.sort_values(by + [name], ascending=[True] * len(by) + [ascending],
                                  kind=stable_sort_kind(frame))
    out = frame.set_index(by + [column])[name]
    return out


def groupby_filter(df: Any, by: list, selection: Any, func: Any, dropna: bool = True, kwargs: dict | None = None,
                   key_dropna: bool = True, drop: tuple = ()) -> Any:
    """The rows of the groups of ``df`` (holding whole groups) for which ``func(group, **kwargs)`` is true;
    with ``dropna=False`` the other groups' rows stay, all missing.  pandas: its own ``filter``; cuDF has
    none, so ``apply`` gives each group's rows, none, or its index with missing values."""
    kwargs = kwargs or {}
    if len(df) == 0:
        return drop_columns(_select(df, selection), drop)
    grouped = df.groupby(by, dropna=key_dropna, sort=False, group_keys=False)
    grouped = grouped if selection is None else grouped[list(selection) if isinstance(selection, tuple) else selection]
    if library_of(df) == "pandas":
        return drop_columns(grouped.filter(func, dropna=dropna, **kwargs), drop)

    def kept(group: Any) -> Any:
        if func(group, **kwargs):
            return group
        return group.iloc[:0] if dropna else group.iloc[:0].reindex(group.index)

    if selection is None:  # every column, the keys too, as pandas' filter (apply may leave the keys out)
        grouped = grouped[list(df.columns)]
    return drop_columns(grouped.apply(kept), drop)


def sort_by_key_levels(obj: Any, nkeys: int) -> Any:
    """``obj`` ordered by its first ``nkeys`` index levels (the group keys), keeping the order of rows
    within a group (the values' levels of ``value_counts`` / ``corr`` keep pandas' order)."""
    if categorical_levels_misorder(obj):  # (pandas' sort_index would put a categorical level's NaN first)
        return sorted_by_index_columns(obj, nkeys)
    if obj.index.nlevels == nkeys:
        return obj.sort_index(kind=stable_sort_kind(obj))
    return obj.sort_index(level=list(range(nkeys)), sort_remaining=False, kind=stable_sort_kind(obj))


def groupby_side_by_side(*parts: Any, labels: list, nested: bool) -> Any:
    """Per-column groupby results (Series indexed by the keys) as one frame with the columns ``labels``
    (``(column, function)`` pairs of a MultiIndex when ``nested``)."""
    xp = namespace(parts[0])
    # named by position first: two results of one column share its name, which cuDF refuses side by side
    out = xp.concat([part.rename(i) for i, part in enumerate(parts)], axis=1)
    out.columns = xp.MultiIndex.from_tuples(labels) if nested else xp.Index(labels)
    return out


def groupby_resample(df: Any, by: list, selection: Any, rule: Any, options: tuple, how: str, args: tuple,
                     kwargs: dict, dropna: bool = True, meta: Any = None) -> Any:
    """pandas' ``df.groupby(by).resample(rule, *options)[selection].<how>(*args, **kwargs)`` of a partition
    holding whole groups (after a shuffle by key); ``meta`` for no rows.  cuDF partitions on the host: cuDF's
    grouped resampler takes a frequency only."""
    if meta is not None and len(df) == 0:
        return meta
    if library_of(df) == "cudf":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(groupby_resample, df, by, selection, rule, options, how, args, kwargs, dropna)
    resampler = df.groupby(by, dropna=dropna, observed=True).resample(rule, *options[0], **options[1])
    if selection is not None:
        resampler = resampler[list(selection) if isinstance(selection, tuple) else selection]
    return getattr(resampler, how)(*args, **kwargs)


def group_numbers(sizes: Any, ascending: bool = True) -> Any:
    """Each group's number, from the groups' sizes indexed by the keys in order (one partition: every group,
    with ``observed=False`` those without rows too).  As pandas, the groups with rows are numbered 0 .. in key
    order; descending, ``ngroups - 1`` down, where ``ngroups`` counts the unobserved categories' groups too
    (pandas 2 with several keys: only the groups with rows)."""
    import numpy as np

    held = np.asarray(_to_host_values(sizes) > 0)
    numbers = np.cumsum(held, dtype="int64") - 1
    if not ascending:
        several = getattr(sizes.index, "nlevels", 1) > 1
        total = int(held.sum()) if several and not PANDAS_3 else len(sizes)
        numbers = total - 1 - numbers
    return namespace(sizes).Series(numbers, index=sizes.index)


def _to_host_values(values: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(values).to_numpy()


def group_values_of_rows(part: Any, numbers: Any, by: list, dtype: Any) -> Any:
    """Each row's value of its group in ``numbers`` (a Series indexed by the groups' keys: their numbers for
    ``ngroup``, their sizes for ``cumcount(ascending=False)``), missing where the keys have no group (missing keys
    with ``dropna``), of ``dtype``.  The keys are looked up on the host (cuDF's MultiIndex has no
    ``get_indexer``); the values go back in the partition's library."""
    import numpy as np
    import pandas as pd

    from gpuscale.backends.convert import to_host
    from gpuscale.backends.frame.core import convert_library
    from gpuscale.backends.frame.lookup import share_lookup_table

    keys, table = to_host(part[by]), to_host(numbers)
    labels = pd.MultiIndex.from_frame(keys) if len(by) > 1 else pd.Index(keys.iloc[:, 0])
    share_lookup_table(table)  # (every partition's task looks its keys up in this one table: built once first)
    groups = table.index
    if len(by) > 1:  # (rebuilt alike: a copied cuDF MultiIndex holds a missing key as a level value, not a code)
        groups = pd.MultiIndex.from_frame(groups.to_frame(index=False))
    positions = groups.get_indexer(labels)
    if not len(table):  # no group at all (every key missing): every row without a value
        values = np.full(len(labels), np.nan)
    elif (positions < 0).any():
        values = np.where(positions >= 0, table.to_numpy()[positions], np.nan)
    else:
        values = table.to_numpy()[positions]
    out = pd.Series(values, index=to_host(part.index)).astype(dtype)
    return out if library_of(part) == "pandas" else convert_library(out, library_of(part))


def first_seen_tags(part: Any, i: int, by: list) -> Any:
    """The key columns of partition ``i`` with each row's place in the whole collection (``__first__``: the
    partition's number, then the row's position), to find where each group is first seen."""
    import numpy as np

    out = part[by].copy()
    out["__first__"] = np.arange(len(part), dtype="int64") + (int(i) << 40)
    return out


def numbers_by_first_seen(firsts: Any, ascending: bool = True) -> Any:
    """Each group's number in the order the groups are first seen (``firsts``: each group's first place)."""
    order = firsts.rank(method="first").astype("int64") - 1
    return order if ascending else len(order) - 1 - order


def group_members(keys: Any, by: list, sort: bool, dropna: bool, what: str) -> dict:
    """pandas' ``groups`` (each group's row labels) or ``indices`` (its row positions) of the computed key
    columns ``keys`` (on the host: the answer is a dict of host objects)."""
    from gpuscale.backends.convert import to_host

    grouped = to_host(keys).groupby(by if len(by) > 1 else by[0], sort=sort, dropna=dropna, observed=True)
    return dict(getattr(grouped, what))


def values_are_monotonic(values: Any, increasing: bool = True) -> bool:
    """Whether a group's values never decrease (``increasing``) or never increase (a Series' own property)."""
    return bool(values.is_monotonic_increasing if increasing else values.is_monotonic_decreasing)


def missing_category_level_last(obj: Any) -> Any:
    """``obj`` whose MultiIndex's categorical levels hold a missing value as their last level value (codes
    remapped), as pandas' groupby(dropna=False) of several keys gives: grouped unsorted per partition, the
    missing key came first, and ``sort_index`` (by codes) put its groups first, where pandas puts them last.
    A cuDF result with such a level is fixed on the host (its MultiIndex takes no levels and codes)."""
    index = getattr(obj, "index", None)
    if library_of(obj) != "pandas":
        if getattr(index, "nlevels", 1) < 2 or not any(
                str(index.get_level_values(i).dtype) == "category" and index.get_level_values(i).hasnans
                for i in range(index.nlevels)):
            return obj
        return convert_library(missing_category_level_last(_to_pandas(obj)), library_of(obj))
    if not isinstance(index, pd.MultiIndex):
        return obj
    levels, codes, changed = list(index.levels), list(index.codes), False
    for i, level in enumerate(levels):
        missing, old = np.asarray(level.isna()), np.asarray(codes[i])
        if not isinstance(level.dtype, pd.CategoricalDtype) or not (old < 0).any() and \
                (not missing.any() or missing[-1]):
            continue  # (a missing key as code -1 too, where the level has no missing value)
        kept = np.flatnonzero(~missing)
        new_code = np.full(len(level) + 1, len(kept), dtype=np.intp)  # missing values (and code -1): the last
        new_code[kept] = np.arange(len(kept))
        levels[i] = level[kept].insert(len(kept), np.nan)
        codes[i], changed = new_code[old], True
    if not changed:
        return obj
    out = obj.copy(deep=False)
    out.index = pd.MultiIndex(levels=levels, codes=codes, names=index.names, verify_integrity=False)
    return out
