"""Comparisons with a missing operand: pandas' answer on both libraries.

pandas compares a missing value (NaN) of a NumPy column as ``False`` (``!=``: ``True``), in a NumPy ``bool``
result.  cuDF keeps a missing value as a null (``from_pandas`` turns NaN into one), and its comparisons give
null there: ``Series`` operators and methods, ``DataFrame`` operators, ``DataFrame.eq(...)`` with a Series or a
DataFrame (read from cuDF 26.10: ``NumericalColumn._binaryop`` and ``StringColumn._binaryop`` fill nothing
outside ``mode.pandas_compatible``; only ``DataFrame.eq(scalar)`` and friends fill).  Such a NumPy ``bool``
column comes back to pandas as ``object`` (``None``), and masks, sums and ``~`` of it differ from pandas' too,
so its nulls are filled as pandas answers, on the device.

Operands of pandas' nullable dtypes (``Int64``, ``Float64``, ``boolean``, ``string``) give pandas a nullable
``boolean`` result, missing where an operand is: cuDF keeps those dtypes and gives the same (its result's
dtype is ``get_dtype_of_same_kind(operand, bool)``), so such columns keep their missing values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import is_dataframe_like, is_frame_like, is_index_like, library_of

__all__ = ["COMPARISON_NAMES", "as_pandas_comparison"]

COMPARISON_NAMES = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})


def as_pandas_comparison(result: Any, name: str, *operands: Any) -> Any:
    """``result`` of the comparison ``name`` (``"eq"`` ... ``"ge"``) of ``operands`` with pandas' answer where
    cuDF's is null in a column pandas gives as NumPy ``bool``: ``False``, ``True`` for ``"ne"``.  Columns of
    operands of nullable dtypes keep their missing values (pandas' nullable result is missing there too);
    without ``operands`` the result's dtype tells.  pandas results, indexes (cuDF fills theirs) and other
    values are as they are."""
    if name not in COMPARISON_NAMES or not is_frame_like(result) or is_index_like(result):
        return result
    if library_of(result) != "cudf":  # pandas' comparisons have no null in a NumPy bool result
        return result
    value = name == "ne"
    if not is_dataframe_like(result):
        return result.fillna(value) if _fills(result.dtype, None, operands) else result
    fills = [_fills(dtype, label, operands) for label, dtype in result.dtypes.items()]
    if all(fills):
        return result.fillna(value)
    if not any(fills) or not result.columns.is_unique:  # (duplicate labels: no per-label fill; left as they are)
        return result
    return result.fillna({label: value for label, fill in zip(result.columns, fills) if fill})


def _fills(dtype: Any, label: Any, operands: tuple) -> bool:
    """Whether a comparison result column (``label`` of a DataFrame, None for a Series) of ``dtype`` is pandas'
    NumPy ``bool``, whose nulls are filled: no operand column of a nullable dtype, and a NumPy bool result or an
    Arrow bool one (a host stand-in marks a NumPy bool column holding nulls so)."""
    if any(_is_nullable(d) for d in _operand_dtypes(operands, label)):
        return False
    if isinstance(dtype, np.dtype):
        return dtype.kind == "b"
    return isinstance(dtype, pd.ArrowDtype) and str(dtype) == "bool[pyarrow]"


def _operand_dtypes(operands: tuple, label: Any) -> list:
    """The dtypes compared in the result column ``label``: a DataFrame operand's column of that label, a
    Series' own (for a DataFrame result, its values meet every column)."""
    out = []
    for operand in operands:
        if is_dataframe_like(operand):
            if label is not None and operand.columns.is_unique and label in operand.columns:
                out.append(operand.dtypes[label])
        elif is_frame_like(operand):
            out.append(operand.dtype)
    return out


def _is_nullable(dtype: Any) -> bool:
    """pandas' nullable dtypes, whose comparisons give a nullable result: masked (``Int64``, ``Float64``,
    ``boolean``), Arrow, and ``string`` with ``pd.NA`` (``"str"``, missing as NaN, compares into NumPy bool)."""
    return not isinstance(dtype, np.dtype) and getattr(dtype, "na_value", None) is pd.NA
