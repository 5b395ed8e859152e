"""Per-partition results of groupby functions (``apply``, ``agg`` of a callable) made to match the metadata."""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import is_dataframe_like, is_series_like, library_of

__all__ = ["cast_missing_results", "none_results_as_missing", "with_unnamed_results"]


def cast_missing_results(out: Any, meta: Any) -> Any:
    """``out`` whose object columns take ``meta``'s dtype where their values fit it: pandas gives a partition
    whose function results are all missing object (or ``null[pyarrow]``) values, where the other partitions'
    and the metadata's dtype is ``string`` or ``float64``, and their concatenation would be object.  cuDF types
    the results by its own inference, its text being object: they stay.

    Examples
    --------
    >>> cast_missing_results(pd.Series([None], dtype=object), pd.Series([], dtype="float64")).dtype
    dtype('float64')
    """
    if library_of(out) != "pandas" or meta is None:
        return out
    if is_series_like(out) and is_series_like(meta):
        return _cast(out, meta.dtype)
    if not (is_dataframe_like(out) and is_dataframe_like(meta)) or list(out.columns) != list(meta.columns) \
            or not out.columns.is_unique:
        return out
    columns = {c: _cast(out[c], t) for c, t in zip(out.columns, meta.dtypes)}
    changed = [c for c in out.columns if columns[c].dtype != out[c].dtype]
    if changed:
        out = out.copy(deep=False)
        for c in changed:
            out[c] = columns[c]
    return out


def none_results_as_missing(out: Any, grouped: Any, meta: Any) -> Any:
    """A Series ``meta``'s result of a partition whose groups' functions all gave None: pandas gives an empty
    DataFrame there (its ``apply`` has no result to type), where the groups beside others' results are missing
    values of the Series; here too, so the partitions' results concatenate to pandas' Series.

    Examples
    --------
    >>> df = pd.DataFrame({"g": [2, 2], "x": [1.0, 2.0]})
    >>> grouped = df.groupby("g")
    >>> none_results_as_missing(grouped.apply(lambda d: None), grouped, pd.Series([], dtype="f8")).to_dict()
    {2: nan}
    """
    if meta is None or not is_series_like(meta) or not is_dataframe_like(out) or len(out) != 0:
        return out
    keys = grouped.size().index  # (the groups kept, as the grouping's dropna says)
    if len(keys) == 0:
        return out
    return meta.reindex(keys)  # missing values in meta's dtype (or one holding them), its name


def _cast(values: Any, dtype: Any) -> Any:
    """``values`` as ``dtype`` if they are object values that fit it (all missing, or text for a text dtype)."""
    have = values.dtype
    if have == dtype or not (have == object or str(have) == "null[pyarrow]") or dtype == object:
        return values
    text = isinstance(dtype, pd.StringDtype) and pd.api.types.infer_dtype(values, skipna=True) == "string"
    if not (text or bool(values.isna().all())):
        return values
    try:
        return values.astype(dtype)
    except (TypeError, ValueError):  # (an integer dtype holds no missing value)
        return values


def with_unnamed_results(func: Any) -> Any:
    """``func`` whose Series results have no name, for pandas' ``SeriesGroupBy.transform``: it compares its
    results' names (each its group's key) when it concatenates them, which fails on a missing key's ``NA``
    ('boolean value of NA is ambiguous': one group, then the ``dropna=False`` group of NA), and then names the
    result after the column itself."""

    def run(group: Any, *args: Any, **kwargs: Any) -> Any:
        out = func(group, *args, **kwargs)
        if is_series_like(out):
            out = out.copy(deep=False)
            out.name = None
        return out

    return run
