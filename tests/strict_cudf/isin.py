"""``Series.isin`` of the strict stand-in, as cuDF 26.10's ``ColumnBase.isin`` (cudf/core/column/column.py).

The values become a column (``as_column(values, nan_as_null=False)``): values of several kinds (numbers and
strings) are refused ("Cannot create column with mixed types"), and NaN among them is a float, not a missing
value, so it matches no null (cuDF's ``from_pandas`` made every NaN of the data a null); a null row matches
only where the values hold a null (``None``).  Non-null rows match as in pandas.
"""

from __future__ import annotations

import numbers
from typing import Any

import pandas as pd


class MixedTypes(TypeError):
    """cuDF cannot make one column of the values."""


def isin(obj: Any, values: Any) -> Any:
    """``obj.isin(values)`` as cuDF gives it (a Series; other objects as pandas)."""
    from . import unwrap, wrap

    if not isinstance(obj, pd.Series) or not isinstance(values, (list, tuple, set)):
        return wrap(obj.isin(unwrap(values, "isin")))
    present = [v for v in values if v is not None and v is not pd.NA]
    kinds = {"number" if isinstance(v, numbers.Number) else type(v).__name__ for v in present}
    if len(kinds) > 1 and "str" in kinds:
        raise MixedTypes("Cannot create column with mixed types (strict cuDF, as cuDF's isin)")
    result = obj.isin(present)
    has_null = len(present) < len(values)
    return wrap(result.where(obj.notna(), has_null))
