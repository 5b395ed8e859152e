"""dask's ``dataframe.convert-string``: string columns as Arrow-backed ``string[pyarrow]`` (pandas partitions).

Dask turns the object and ``str`` string columns (and index) of pandas data it is given into
``pd.StringDtype("pyarrow")``.  gpuscale does the same when ``dataframe.convert_string`` is on, but only for
object columns that hold strings (a column of mixed Python objects keeps them rather than becoming their
text).  cuDF partitions are left alone: cuDF's strings are Arrow strings already.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import is_dataframe_like, is_index_like, is_series_like, library_of

__all__ = ["to_pyarrow_strings"]


def _arrow_string() -> Any:
    return pd.StringDtype("pyarrow")


def _converts(values: Any) -> bool:
    """Whether a column (or index level) holds strings in another dtype than ``string[pyarrow]``."""
    dtype = values.dtype
    if dtype == _arrow_string() or not pd.api.types.is_string_dtype(dtype):
        return False
    if dtype != object:
        return True  # pandas' own "str" / "string[python]"
    return pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty")


def _index(index: Any) -> Any:
    if isinstance(index, pd.MultiIndex):
        levels = {i: level.astype(_arrow_string()) for i, level in enumerate(index.levels) if _converts(level)}
        return index.set_levels(list(levels.values()), level=list(levels), verify_integrity=False) if levels \
            else index
    return index.astype(_arrow_string()) if _converts(index) else index


def to_pyarrow_strings(obj: Any) -> Any:
    """``obj`` (a pandas DataFrame, Series or Index) with its string columns and index as ``string[pyarrow]``;
    cuDF objects and anything else unchanged."""
    if library_of(obj) == "cudf":
        return obj  # cuDF strings are Arrow-backed already
    if is_index_like(obj):
        return _index(obj)
    if is_dataframe_like(obj):
        dtypes = {c: _arrow_string() for c, values in obj.items() if _converts(values)}
        obj = obj.astype(dtypes) if dtypes else obj
    elif is_series_like(obj) and _converts(obj):
        obj = obj.astype(_arrow_string())
    if not (is_dataframe_like(obj) or is_series_like(obj)):
        return obj
    index = _index(obj.index)
    if index is obj.index:
        return obj
    obj = obj.copy(deep=False)
    obj.index = index
    return obj
