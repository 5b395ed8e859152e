"""Partials of object dtype in tree reductions (min, max, sum, prod).

Values that do not compare
    of an object column (``1`` beside ``"a"``) under ``skipna=False``.

    pandas 3 looks for missing values first: such a column holding one reduces to a missing value, and only
    a column without any raises.  A partition's TypeError is therefore held as its partial (:class:`Deferred`)
    until the other partitions' partials are seen: a missing one among them decides the answer, else the
    error is raised when the reduction finishes.  pandas 2.2 compares first and raises: its error is raised
    at once.
``NA`` partials
    of a nullable or Arrow column beside text (a DataFrame's answer of object dtype): pandas answers ``NA``
    where the partials stacked as objects would give None (or, in pandas 2.2, fail to compare).
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import is_dataframe_like, is_series_like, library_of
from gpuscale.backends.frame.pandas_version import PANDAS_3

__all__: list = []  # (used by gpuscale.backends.frame.reductions only)


class Deferred:
    """A partial that raised ``error``: raised at the end unless a missing partial decides first."""

    __slots__ = ("error",)

    def __init__(self, error: TypeError) -> None:
        self.error = error

    def __repr__(self) -> str:
        return f"Deferred({self.error!r})"


def reduce_or_defer(part: Any, how: str) -> Any:
    """``part``'s ``how(skipna=False)``; a column that raises TypeError is held as a :class:`Deferred`
    (pandas 3's partitions only: pandas 2.2 raises, and cuDF has no columns of mixed objects)."""
    try:
        return getattr(part, how)(skipna=False)
    except TypeError as error:
        if not PANDAS_3 or library_of(part) != "pandas":
            raise
        if not is_dataframe_like(part):
            return Deferred(error)
    values = []
    for i in range(part.shape[1]):  # (by position: labels may repeat)
        try:
            values.append(getattr(part.iloc[:, i], how)(skipna=False))
        except TypeError as error:
            values.append(Deferred(error))
    return pd.Series(values, index=part.columns, dtype=object)


def holds_deferred(values: list) -> bool:
    """Whether any partial (a scalar, or a Series of one value per column) is or holds a :class:`Deferred`
    (pandas' partials only: cuDF's never do)."""
    return any(isinstance(v, Deferred) or (isinstance(v, pd.Series) and str(v.dtype) == "object"
                                           and any(isinstance(x, Deferred) for x in v)) for v in values)


def combine_deferred(values: list, combine: Callable[[list], Any]) -> Any:
    """The partials ``values`` combined (``combine``: of partials without errors): a column with a missing
    partial is missing; one without keeps its first error deferred."""
    if not is_series_like(values[0]):
        return np.nan if any(_missing(v) for v in values) else next(v for v in values if isinstance(v, Deferred))
    rows = [v.astype(object) for v in values]
    held = {}
    for i in range(len(rows[0])):
        column = [r.iloc[i] for r in rows]
        errors = [x for x in column if isinstance(x, Deferred)]
        if errors:  # pandas' missing answer of an object column in a DataFrame's reduction is None
            held[i] = None if any(_missing(x) for x in column) else errors[0]
    out = combine([r.map(lambda x: np.nan if isinstance(x, Deferred) else x) for r in rows])
    if held:
        out = out.astype(object)
        for i, value in held.items():
            out.iloc[i] = value
    return out


def raise_deferred(value: Any) -> Any:
    """``value`` (a finished reduction), or the error it holds raised."""
    if isinstance(value, Deferred):
        raise value.error
    if holds_deferred([value]):
        raise next(x for x in value if isinstance(x, Deferred)).error
    return value


def na_columns(stacked: Any, how: str, skipna: bool) -> list:
    """Positions of the object columns of ``stacked`` partials (a row per partition) whose answer is ``NA``:
    one partial is ``NA`` under ``skipna=False``, or (min, max) all are."""
    if not isinstance(stacked, pd.DataFrame) or how not in ("min", "max", "sum", "prod"):
        return []
    out = []
    for i in range(stacked.shape[1]):
        if str(stacked.dtypes.iloc[i]) == "object":
            flags = [v is pd.NA for v in stacked.iloc[:, i]]
            if (not skipna and any(flags)) or (how in ("min", "max") and all(flags)):
                out.append(i)
    return out


def _missing(value: Any) -> bool:
    if isinstance(value, Deferred):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
