"""Categorical columns of pandas and cuDF partitions, with dask's "unknown categories" metadata.

A collection's metadata says whether every partition shares one set of categories (*known*) or
each partition has its own (*unknown*, after ``astype("category")``): unknown categories are
written as the single category ``UNKNOWN_CATEGORIES``, as dask does.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import _to_pandas, from_library, is_dataframe_like, is_index_like, library_of

__all__ = ["UNKNOWN_CATEGORIES", "is_categorical", "host_dtype", "has_known_categories", "with_unknown_categories",
           "empty_partition_of",
           "categorical_dtype", "set_known_categories", "wants_unknown_categories", "is_unknown_categorical", "sorted_categories",
           "categorical_call",
           "union_categories", "partition_categories", "categorize_part", "restore_ordered",
           "rank_keys_of_categories", "ordered_category_lists", "combined_category_lists",
           "agreed_ordered_categories", "agreed_categories_of_one", "with_ordered_categories"]

UNKNOWN_CATEGORIES = "__UNKNOWN_CATEGORIES__"


def is_categorical(dtype: Any) -> bool:
    """True for a categorical dtype of pandas or cuDF."""
    return str(dtype) == "category"


def host_dtype(dtype: Any) -> Any:
    """pandas' dtype for a dtype of either library: cuDF's ``CategoricalDtype`` is its own class, whose
    categories are a cuDF Index (which refuses iteration) and which never equals pandas' dtype."""
    from gpuscale.backends import _detect

    return dtype.to_pandas() if _detect.is_cudf_object(dtype) else dtype


def has_known_categories(meta_series: Any) -> bool:
    """True if the metadata of a categorical Series (or index) lists its categories."""
    return not is_unknown_categorical(meta_series.dtype)


def is_unknown_categorical(dtype: Any) -> bool:
    """True for the metadata's dtype of a categorical whose categories are unknown (each partition has its own)."""
    return is_categorical(dtype) and UNKNOWN_CATEGORIES in host_dtype(dtype).categories


def sorted_categories(values: Any) -> Any:
    """The distinct present values of a Series (of either library) as a host Index of their dtype (a
    categorical's: its categories'), sorted when they sort, else in order of appearance: the categories
    ``categorize`` and ``cat.as_known`` give (``string`` values stay ``string``; ``pd.NA`` is no category)."""
    host = _to_pandas(values)
    if is_categorical(host.dtype):
        host = host.astype(host.cat.categories.dtype)
    host = host[host.notna()].drop_duplicates()
    try:
        host = host.sort_values()
    except TypeError:  # values that do not compare (mixed objects)
        pass
    return pd.Index(host.array, dtype=host.dtype)


def wants_unknown_categories(dtype: Any) -> bool:
    """``astype`` to this dtype gives each partition its own categories ("category", or no categories)."""
    if isinstance(dtype, str):
        return dtype == "category"
    return is_categorical(dtype) and getattr(dtype, "categories", None) is None


def categorical_dtype(library: str, categories: Any, ordered: bool = False) -> Any:
    """The ``CategoricalDtype`` of ``library`` (pandas' and cuDF's are different classes); an Index of
    categories keeps its dtype (``string`` categories stay ``string``)."""
    values = categories if is_index_like(categories) else list(categories)
    return from_library(library).CategoricalDtype(categories=values, ordered=ordered)


def categorical_call(obj: Any, attr: str, is_method: bool, *args: Any, **kwargs: Any) -> Any:
    """``obj.cat.attr(...)`` of a categorical Series, ``obj.attr(...)`` of a categorical Index (an Index has
    the categorical members itself); the codes of an Index come back as an Index."""
    cudf = library_of(obj) != "pandas"
    if is_index_like(obj):
        if attr == "rename_categories" and cudf:  # cuDF's CategoricalIndex refuses it (NotImplementedError)
            values = _rename_by_values(from_library("cudf").Series(obj), *args, **kwargs)
            return from_library("cudf").Index(values, name=obj.name)
        value = getattr(obj, attr)
        value = value(*args, **kwargs) if is_method else value
        if attr in _KEEP_ORDER and cudf:
            value = _ordered_as(value, bool(obj.ordered))
        return value if attr != "codes" or is_index_like(value) else from_library(library_of(obj)).Index(value)
    if attr == "rename_categories" and cudf:  # cuDF's Series has no rename_categories
        return _rename_by_values(obj, *args, **kwargs)
    value = getattr(obj.cat, attr)
    value = value(*args, **kwargs) if is_method else value
    return _ordered_as(value, bool(obj.cat.ordered)) if attr in _KEEP_ORDER and cudf else value


# cuDF gives these an unordered result when the categories change (CategoricalColumn._set_categories'
# default ordered=False); pandas keeps the ordering
_KEEP_ORDER = ("add_categories", "remove_categories")


def _ordered_as(values: Any, ordered: bool) -> Any:
    """A categorical Series or Index ``values`` with the ordering ``ordered``."""
    accessor = values if is_index_like(values) else values.cat
    if bool(accessor.ordered) == ordered:
        return values
    return accessor.as_ordered() if ordered else accessor.as_unordered()


def restore_ordered(result: Any, parts: list) -> Any:
    """``result`` of a row-wise concat of ``parts`` with the ordering of the categoricals that are ordered
    in every part: cuDF's concat unions categories into an unordered dtype (``CategoricalColumn._concat``,
    ``DataFrame._concat``); pandas keeps it."""
    if library_of(result) == "pandas":
        return result

    def all_ordered(get: Any) -> bool:
        dtypes = [get(p).dtype for p in parts]
        return all(is_categorical(d) and bool(d.ordered) for d in dtypes)

    if is_index_like(result):
        return _ordered_as(result, True) if is_categorical(result.dtype) and all_ordered(lambda p: p) else result
    out = result
    if is_categorical(result.index.dtype) and all_ordered(lambda p: p.index):
        out = out.copy(deep=False)
        out.index = _ordered_as(result.index, True)
    elif result.index.nlevels > 1:
        out = _ordered_levels(out, parts)
    if not is_dataframe_like(result):
        return _ordered_as(out, True) if is_categorical(result.dtype) and all_ordered(lambda p: p) else out
    if not result.columns.is_unique:
        return out
    for column, dtype in result.dtypes.items():
        if is_categorical(dtype) and not dtype.ordered and all(column in p.columns for p in parts) \
                and all_ordered(lambda p: p[column]):
            out = out.copy(deep=False) if out is result else out
            out[column] = _ordered_as(result[column], True)
    return out


def _ordered_levels(result: Any, parts: list) -> Any:
    """``result`` whose MultiIndex levels that are ordered categoricals in every part are ordered again (cuDF's
    concat drops the ordering of each level, as of a column; its MultiIndex has no ``set_levels``)."""
    index = result.index

    def ordered_in_parts(i: int) -> bool:
        return all(p.index.nlevels == index.nlevels and is_categorical(p.index.levels[i].dtype)
                   and bool(p.index.levels[i].dtype.ordered) for p in parts)

    lost = [i for i in range(index.nlevels) if is_categorical(index.levels[i].dtype)
            and not index.levels[i].dtype.ordered and ordered_in_parts(i)]
    if not lost:
        return result
    values = [index.get_level_values(i) for i in range(index.nlevels)]
    values = [_ordered_as(v, True) if i in lost else v for i, v in enumerate(values)]
    out = result.copy(deep=False)
    out.index = from_library(library_of(result)).MultiIndex.from_arrays(values, names=index.names)
    return out


def _rename_by_values(series: Any, new_categories: Any) -> Any:
    """``series.cat.rename_categories(new_categories)`` through the values: each old category replaced by
    its new name, then cast to the renamed categories (in the old order)."""
    old = _to_pandas(series.cat.categories)
    if callable(new_categories):
        new = [new_categories(c) for c in old]
    elif isinstance(new_categories, dict):
        new = [new_categories.get(c, c) for c in old]
    else:
        new = list(new_categories)
        if len(new) != len(old):
            raise ValueError("new categories need to have the same number of items as the old categories!")
    values = series.astype(series.cat.categories.dtype).replace(dict(zip(old, new)))
    return values.astype(categorical_dtype(library_of(series), new, bool(series.cat.ordered)))


def partition_categories(part: Any) -> Any:
    """The categories of a categorical Series/Index partition, as a Series (to be unioned across partitions)."""
    categories = part.categories if is_index_like(part) else part.cat.categories
    return from_library(library_of(part)).Series(categories)


def union_categories(dtypes: list) -> Any:
    """One categorical dtype whose categories are those of ``dtypes`` in order of appearance (their dtype
    kept), or None when they all have the same categories."""
    seen = [_to_pandas(d.categories) for d in dtypes]
    if all(s.equals(seen[0]) for s in seen):
        return None
    union = seen[0].append(seen[1:]).drop_duplicates() if len(seen) > 1 else seen[0]
    library = "cudf" if "cudf" in type(dtypes[0]).__module__ else "pandas"
    return categorical_dtype(library, _back(union, library), bool(dtypes[0].ordered))


def categorize_part(part: Any, categories: dict, index: Any = None) -> Any:
    """``part`` with the columns of ``categories`` (and its index when ``index`` lists categories) cast to
    exactly those categories: ``DataFrame.categorize``'s step per partition (an ordered categorical stays
    ordered, as dask's ``set_categories``)."""
    if categories:
        part = set_known_categories(part, categories, ordered=None)
    if index is not None:
        part = part.copy(deep=False)
        values = part.index
        if is_categorical(values.dtype):
            new = values.set_categories(list(index))
        else:
            new = values.astype(categorical_dtype(library_of(part), index))
        part.index = new.rename(values.name)
    return part


def with_unknown_categories(meta: Any, columns: Any = None) -> Any:
    """``meta`` with the categorical columns ``columns`` (a Series meta: itself) marked unknown."""
    library = library_of(meta)
    host = _host(meta)

    def unknown(dtype: Any) -> Any:  # (the ordering is kept, as dask's; text categories keep their dtype)
        categories = getattr(dtype, "categories", None)
        text = categories is not None and (categories.dtype == object or isinstance(categories.dtype, pd.StringDtype))
        placeholder = pd.Index([UNKNOWN_CATEGORIES], dtype=categories.dtype if text else None)
        return pd.CategoricalDtype(placeholder, ordered=bool(getattr(dtype, "ordered", False)))

    if is_dataframe_like(host):
        host = host.astype({c: unknown(host[c].dtype) for c in (columns if columns is not None else host.columns)
                            if is_categorical(host[c].dtype)})
    else:
        host = host.astype(unknown(host.dtype))
    return _back(host, library)


def empty_partition_of(meta: Any) -> Any:
    """A fresh partition without rows shaped like ``meta``: categoricals whose categories are unknown get no
    categories (as dask's ``strip_unknown_categories``), so the placeholder never reaches a result (a
    value_counts counted it as a value of count 0)."""
    columns = dict(meta.dtypes.items()) if is_dataframe_like(meta) else {}
    unknown = [c for c, dtype in columns.items() if is_unknown_categorical(dtype)]
    own = not is_dataframe_like(meta) and is_unknown_categorical(meta.dtype)  # (a Series or an Index)
    index = not is_index_like(meta) and is_unknown_categorical(meta.index.dtype)
    if not (unknown or own or index):
        return meta.copy()
    host = _host(meta).copy()
    if unknown:
        host = host.astype({c: _no_categories(columns[c]) for c in unknown})
    if own:
        host = host.astype(_no_categories(meta.dtype))
    if index:
        host.index = host.index.astype(_no_categories(meta.index.dtype))
    return _back(host, library_of(meta))


def _no_categories(dtype: Any) -> Any:
    categories = host_dtype(dtype).categories
    return pd.CategoricalDtype(categories[:0], ordered=bool(dtype.ordered))


def set_known_categories(part: Any, categories: dict, ordered: bool | None = False) -> Any:
    """Give the columns of ``categories`` (column -> values; None: a Series) exactly those categories
    (``ordered=None``: a categorical column keeps its ordering, others are unordered)."""
    if None in categories:
        return _with_categories(part, categories[None], ordered)
    part = part.copy(deep=False)
    for column, values in categories.items():
        if column in part.columns:  # (a projection moved below categorize may have dropped it)
            part[column] = _with_categories(part[column], values, ordered)
    return part


def _with_categories(series: Any, values: list, ordered: bool | None) -> Any:
    if ordered is None:
        ordered = is_categorical(series.dtype) and bool(series.dtype.ordered)
    if is_categorical(series.dtype):  # astype would keep the old order: unordered dtypes compare equal
        # (a pandas Index of categories keeps its dtype: string categories stay string)
        keep = library_of(series) == "pandas" and is_index_like(values)
        return series.cat.set_categories(values if keep else list(values), ordered=ordered)
    dtype = categorical_dtype(library_of(series), values, ordered)
    if library_of(series) == "pandas":
        return _pandas_codes_by_factorize(series, dtype)
    return series.astype(dtype)


def _pandas_codes_by_factorize(series: Any, dtype: Any) -> Any:
    """pandas' ``series.astype(dtype)`` for a non-categorical Series, computed by factorizing the values
    and looking up only the distinct ones (pandas' astype looks up every row: 5-7x slower on strings)."""
    import numpy as np

    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    lookup = np.append(pd.Index(dtype.categories).get_indexer(uniques), -1)  # -1: missing, or not a category
    return pd.Series(pd.Categorical.from_codes(lookup[codes], dtype=dtype), index=series.index, name=series.name)


def _host(obj: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(obj)


def _back(obj: Any, library: str) -> Any:
    from gpuscale.backends.frame.core import convert_library

    return convert_library(obj, library)


def rank_keys_of_categories(values: Any) -> Any:
    """What pandas ranks a categorical Series by: an ordered one's codes (float64, missing values NaN), an
    unordered one's values."""
    if not values.dtype.ordered:
        return values.astype(values.dtype.categories.dtype)
    return values.cat.codes.astype("float64").where(values.notna())


# -- ordered categoricals with unknown categories: one order for all partitions -----------------------
def ordered_category_lists(part: Any, columns: Any = None) -> list:
    """``[{column: host Index of categories}]`` of the categorical ``columns`` of a partition (None: the
    partition is a Series or an Index): a tree reduction's chunk step for :func:`agreed_ordered_categories`."""
    if columns is None:
        return [{None: _to_pandas(part.categories if is_index_like(part) else part.cat.categories)}]
    return [{c: _to_pandas(part[c].cat.categories) for c in columns}]


def combined_category_lists(parts: list, **_: Any) -> list:
    """The lists of :func:`ordered_category_lists` results, flattened (combine step)."""
    return [entry for p in parts for entry in (p if isinstance(p, list) else [p])]


def agreed_ordered_categories(parts: list, **_: Any) -> dict:
    """column -> the categories, in order, that the partitions' ordered categoricals agree on (aggregate step).

    The same categories everywhere keep their order; categories that differ but are sorted in every partition
    (``astype("category")`` per partition) give their sorted union, as pandas gives the whole data; others have
    no one order and raise pandas' error of ``union_categoricals``.
    """
    entries = combined_category_lists(parts)
    return {column: _agreed([e[column] for e in entries], column) for column in entries[0]} if entries else {}


def agreed_categories_of_one(parts: list, **_: Any) -> Any:
    """:func:`agreed_ordered_categories` of one Series or Index: the host Index of its categories."""
    return agreed_ordered_categories(parts)[None]


def _agreed(lists: list, column: Any) -> Any:
    used = [c for c in lists if len(c)] or lists[:1]  # (an empty partition has no categories: any order)
    if all(c.equals(used[0]) for c in used):
        return used[0]
    union = used[0].append(used[1:]).drop_duplicates()
    if all(c.is_monotonic_increasing for c in used):
        try:
            return union.sort_values()
        except TypeError:  # values that do not compare
            pass
    where = "" if column is None else f" of column {column!r}"
    raise TypeError(f"to union ordered Categoricals, all categories must be the same: the partitions{where} have "
                    "ordered categories in different orders (set one order with cat.set_categories, or "
                    "cat.as_unordered())")


def with_ordered_categories(part: Any, categories: dict) -> Any:
    """``part`` whose ordered categoricals (column -> categories; None: a Series) take the agreed categories."""
    return set_known_categories(part, categories, ordered=True)
