"""``Series.isin`` of a partition with pandas' meaning of the values (see :func:`isin_values`): cuDF's own reads
them otherwise, and pandas' own for Arrow strings costs a Python step per value in every partition."""

from __future__ import annotations

import numbers
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from gpuscale.backends.frame.core import is_series_like, library_of

__all__ = ["isin_values"]


def isin_values(series: Any, values: Any) -> Any:
    """``series.isin(values)`` with pandas' meaning (a list of values, or an array).

    cuDF makes one column of the values: it refuses values of several kinds ("Cannot create column with
    mixed types"), a NaN among them is a float that matches no missing value (its missing values are
    nulls), where pandas matches them, and a null among them matches every missing row, where pandas matches
    an ``Int64`` column's missing rows with no value of an ``Int64`` array.  On cuDF the values that cannot
    equal the column's (strings for a numeric column, numbers for a string column) are dropped, and the
    missing rows match as pandas matches a missing value of the column's kind (a float column's NaN, an
    integer column's ``NA``, a string column's missing value) with these values.

    Examples
    --------
    >>> import pandas as pd
    >>> isin_values(pd.Series([1.0, None, 3.0]), [3, float("nan"), "x"]).tolist()
    [False, True, True]
    """
    if _arrow_strings_with_texts(series, values):
        return _arrow_strings_isin(series, values)
    kind = _isin_kind(series.dtype)
    if library_of(series) != "cudf" or kind is None or not is_series_like(series):  # (a cuDF Index: its own)
        return series.isin(values)
    if isinstance(values, (list, tuple)):
        listed, matches_missing = values, _matches_missing(kind, values)
    elif hasattr(values, "dtype"):  # an array: pandas reads its missing values by its dtype
        host = _host(values)
        listed, matches_missing = list(host.tolist()), _missing_row_matches(series.dtype, kind, host)
    else:
        return series.isin(values)
    kept = [v for v in listed if not _is_missing_value(v) and _may_equal(kind, v)]
    found = series.isin(kept) & series.notna() if kept else series.notna() & False
    return found | series.isna() if matches_missing else found


def _arrow_strings_with_texts(series: Any, values: Any) -> bool:
    """Whether ``series`` is pandas' Arrow-backed ``str``/``string`` data and ``values`` a list of texts (or
    missing values): pandas makes an Arrow scalar of each value, in every partition (2 s a partition for 1e5
    values), where one Arrow array of them gives the same answer."""
    return (library_of(series) == "pandas" and isinstance(getattr(series, "array", None), pd.arrays.ArrowStringArray)
            and isinstance(values, (list, tuple)) and len(values) > 0
            and all(isinstance(v, str) or _is_missing_value(v) for v in values))


def _arrow_strings_isin(series: Any, values: Any) -> Any:
    """pandas' ``ArrowStringArray.isin`` in one Arrow call: a missing value among ``values`` matches the missing
    rows, as there."""
    chunked = pa.chunked_array(series.array._pa_array)
    wanted = pa.array(values, type=chunked.type, from_pandas=True)
    found = pc.is_in(chunked, value_set=wanted).to_numpy(zero_copy_only=False)  # (never null: a null row is matched or not)
    if isinstance(series, pd.Index):
        return found
    return pd.Series(found, index=series.index, name=series.name, copy=False)


def _host(obj: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(obj)


def _isin_kind(dtype: Any) -> str | None:
    """"number" or "string" for the columns :func:`isin_values` handles (others: cuDF's own isin)."""
    if getattr(dtype, "kind", None) in ("i", "u", "f", "b"):
        return "number"
    return "string" if str(dtype) in ("str", "string", "object") else None


def _missing_row_matches(dtype: Any, kind: str, values: Any) -> bool:
    """Whether pandas' ``isin(values)`` (an array) holds for a missing row of a cuDF column of ``dtype``: a row of
    the pandas column cuDF's stands for (NaN of floats; ``NA`` of integers and booleans, nullable in cuDF)."""
    if kind == "string":
        sample = pd.Series([None], dtype="str")  # (cuDF's strings are pandas' str, not objects)
    elif dtype.kind == "f":
        sample = pd.Series([float("nan")], dtype=dtype)
    else:
        sample = pd.Series([None], dtype=pd.Series([], dtype=dtype).convert_dtypes().dtype)
    return bool(sample.isin(values).iloc[0])


def _is_missing_value(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and value != value)


def _matches_missing(kind: str, values: Any) -> bool:
    """Whether pandas' ``isin(values)`` holds for a missing value: a number column's NaN matches a NaN only (not
    None), a string column's missing value any missing value."""
    if kind == "number":
        return any(isinstance(v, float) and v != v for v in values)
    return any(_is_missing_value(v) for v in values)


def _may_equal(kind: str, value: Any) -> bool:
    """Whether a value can equal values of a column of ``kind`` (numbers a number column's, strings a string
    column's)."""
    return isinstance(value, numbers.Number) if kind == "number" else isinstance(value, str)
