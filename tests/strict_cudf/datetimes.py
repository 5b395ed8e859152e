"""Members cuDF has only to raise, and result types that differ from pandas' (read from cuDF 26.10).

cuDF's datetime column defines some properties as stubs raising ``NotImplementedError``
(``cudf/core/column/datetime.py``: ``day_of_week``, ``freq``, ``date``, ``time``, ``timetz``,
``is_normalized``, ``to_julian_date()``, ``normalize()``); the members of ``Series.dt`` and of
``DatetimeIndex`` that read them raise on access (a property) or when called (a method), so ``hasattr``
of such a property raises too.  The signature spec cannot see it (their bodies do not only raise).

cuDF's string methods that count (``str.len``, ``count``, ``find``, ``rfind``, ``index``, ``rindex``) give
``int32`` (libcudf's size type); pandas gives ``int64``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# (stand-in class, member) -> "property" (raises on access) or "method" (raises when called)
NOT_IMPLEMENTED = {
    ("DatetimeProperties", "freq"): "property", ("DatetimeProperties", "date"): "property",
    ("DatetimeProperties", "time"): "property", ("DatetimeProperties", "timetz"): "property",
    ("DatetimeIndex", "day_of_week"): "property", ("DatetimeIndex", "is_normalized"): "property",
    ("DatetimeIndex", "to_julian_date"): "method", ("DatetimeIndex", "normalize"): "method",
}
SIZE_TYPE_METHODS = frozenset({"len", "count", "find", "rfind", "index", "rindex"})


def not_implemented(cls: str, name: str) -> Any:
    """Raise as cuDF for a property; a method that raises when called for a method; None if cuDF has it."""
    kind = NOT_IMPLEMENTED.get((cls, name))
    if kind is None:
        return None

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{name} is currently not implemented. (strict cuDF, as cuDF)")
    if kind == "property":
        refuse()
    return refuse


def string_result(name: str, result: Any) -> Any:
    """A ``.str`` method's pandas result with cuDF's dtype: counts are int32."""
    if name in SIZE_TYPE_METHODS and isinstance(result, pd.Series) and result.dtype == np.int64:
        return result.astype(np.int32)
    return result
