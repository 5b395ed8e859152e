"""Comparisons with a missing operand: pandas' answer on both libraries.

pandas compares a missing value (NaN) as ``False`` (``!=``: ``True``).  cuDF keeps a missing value as a null
(``from_pandas`` turns NaN into one), and its comparisons give null there: ``Series`` operators and methods,
``DataFrame`` operators, ``DataFrame.eq(...)`` with a Series or a DataFrame (read from cuDF 26.10:
``NumericalColumn._binaryop`` and ``StringColumn._binaryop`` fill nothing outside ``mode.pandas_compatible``;
only ``DataFrame.eq(scalar)`` and friends fill).  Such a bool column comes back to pandas as ``object``
(``None``), and masks, sums and ``~`` of it differ from pandas' too, so the nulls are filled as pandas
answers, on the device.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_frame_like, is_index_like, library_of

__all__ = ["COMPARISON_NAMES", "as_pandas_comparison"]

COMPARISON_NAMES = frozenset({"eq", "ne", "lt", "le", "gt", "ge"})


def as_pandas_comparison(result: Any, name: str) -> Any:
    """``result`` of the comparison ``name`` (``"eq"`` ... ``"ge"``) with pandas' answer where cuDF's is null:
    ``False``, ``True`` for ``"ne"``.  pandas results, indexes (cuDF fills theirs) and other values as they are."""
    if name not in COMPARISON_NAMES or not is_frame_like(result) or is_index_like(result):
        return result
    if library_of(result) != "cudf":  # pandas' comparisons have no missing results
        return result
    return result.fillna(name == "ne")
