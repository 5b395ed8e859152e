"""Categorical columns of pandas and cuDF partitions, with dask's "unknown categories" metadata.

A collection's metadata says whether every partition shares one set of categories (*known*) or
each partition has its own (*unknown*, after ``astype("category")``): unknown categories are
written as the single category ``UNKNOWN_CATEGORIES``, as dask does.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import from_library, is_dataframe_like, library_of

__all__ = ["UNKNOWN_CATEGORIES", "is_categorical", "has_known_categories", "with_unknown_categories",
           "categorical_dtype", "set_known_categories", "wants_unknown_categories"]

UNKNOWN_CATEGORIES = "__UNKNOWN_CATEGORIES__"


def is_categorical(dtype: Any) -> bool:
    """True for a categorical dtype of pandas or cuDF."""
    return str(dtype) == "category"


def has_known_categories(meta_series: Any) -> bool:
    """True if the metadata of a categorical Series (or index) lists its categories."""
    categories = list(meta_series.dtype.categories)
    return UNKNOWN_CATEGORIES not in categories


def wants_unknown_categories(dtype: Any) -> bool:
    """``astype`` to this dtype gives each partition its own categories ("category", or no categories)."""
    if isinstance(dtype, str):
        return dtype == "category"
    return is_categorical(dtype) and getattr(dtype, "categories", None) is None


def categorical_dtype(library: str, categories: Any, ordered: bool = False) -> Any:
    """The ``CategoricalDtype`` of ``library`` (pandas' and cuDF's are different classes)."""
    return from_library(library).CategoricalDtype(categories=list(categories), ordered=ordered)


def with_unknown_categories(meta: Any, columns: Any = None) -> Any:
    """``meta`` with the categorical columns ``columns`` (a Series meta: itself) marked unknown."""
    library = library_of(meta)
    host = _host(meta)
    unknown = pd.CategoricalDtype([UNKNOWN_CATEGORIES])
    if is_dataframe_like(host):
        host = host.astype({c: unknown for c in (columns if columns is not None else host.columns)
                            if is_categorical(host[c].dtype)})
    else:
        host = host.astype(unknown)
    return _back(host, library)


def set_known_categories(part: Any, categories: dict, ordered: bool = False) -> Any:
    """Give the columns of ``categories`` (column -> values; None: a Series) exactly those categories."""
    if None in categories:
        return _with_categories(part, categories[None], ordered)
    part = part.copy(deep=False)
    for column, values in categories.items():
        if column in part.columns:  # (a projection moved below categorize may have dropped it)
            part[column] = _with_categories(part[column], values, ordered)
    return part


def _with_categories(series: Any, values: list, ordered: bool) -> Any:
    if is_categorical(series.dtype):  # astype would keep the old order: unordered dtypes compare equal
        return series.cat.set_categories(list(values), ordered=ordered)
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
