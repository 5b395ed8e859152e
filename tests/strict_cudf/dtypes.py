"""cuDF's ``CategoricalDtype`` in the stand-in: another class than pandas' (``cudf.core.dtypes``).

Read from cuDF 26.10 (``cudf/core/dtypes.py``; checked by the cuDF lane): a categorical column's dtype
is a ``cudf.CategoricalDtype`` whose ``categories`` is a cuDF Index (which refuses iteration), whose
``ordered`` may be None, and which equals only another cuDF ``CategoricalDtype`` (or the string
"category"), never a pandas one; ``to_pandas()`` is the way to pandas' dtype.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from pandas.api.extensions import ExtensionDtype


class CategoricalDtype(ExtensionDtype):
    """``cudf.CategoricalDtype`` around pandas categories (a pandas Index, or None)."""

    __module__ = "cudf.core.dtypes"

    def __init__(self, categories: Any = None, ordered: bool | None = False) -> None:
        if not (ordered is None or isinstance(ordered, bool)):
            raise ValueError("ordered must be a boolean or None")
        self._categories = None if categories is None else _categories_index(categories)
        self._ordered = ordered

    @property
    def categories(self) -> Any:
        from . import wrap

        return wrap(pd.Index([], dtype="str") if self._categories is None else self._categories)

    @property
    def ordered(self) -> bool | None:
        return self._ordered

    @property
    def name(self) -> str:
        return "category"

    @property
    def type(self) -> Any:
        return self._categories.dtype.type

    def to_pandas(self) -> pd.CategoricalDtype:
        return pd.CategoricalDtype(categories=self._categories, ordered=self._ordered)

    @classmethod
    def from_pandas(cls, dtype: pd.CategoricalDtype) -> CategoricalDtype:
        return cls(categories=dtype.categories, ordered=dtype.ordered)

    @classmethod
    def construct_array_type(cls) -> Any:
        raise NotImplementedError("strict cuDF: cudf.CategoricalDtype has no pandas array type")

    def __eq__(self, other: Any) -> bool:  # cuDF's _internal_eq(strict=False)
        if isinstance(other, str):
            return other == self.name
        if other is self:
            return True
        if not isinstance(other, CategoricalDtype):
            return False  # a pandas CategoricalDtype too
        if other._ordered is None and other._categories is None:
            return True
        if self._categories is None or other._categories is None:
            return self._categories is other._categories
        if self._ordered or other._ordered:
            return self._ordered == other._ordered and self._categories.equals(other._categories)
        left, right = self._categories, other._categories
        if left.dtype != right.dtype or len(left) != len(right):
            return False
        return left.sort_values().equals(right.sort_values())

    def __hash__(self) -> int:
        return hash("category")

    def __repr__(self) -> str:
        return repr(self.to_pandas())

    def __reduce__(self) -> tuple:
        return CategoricalDtype, (self._categories, self._ordered)


def _categories_index(categories: Any) -> pd.Index:
    """The categories as a pandas Index (a stand-in Index opened, a dtype's categories taken)."""
    from . import Proxy

    if isinstance(categories, Proxy):
        categories = object.__getattribute__(categories, "_pd")
    if isinstance(categories, (CategoricalDtype, pd.CategoricalDtype)):
        categories = categories.categories
    if isinstance(categories, pd.Series):
        raise TypeError("strict cuDF: a pandas Series was passed where cuDF needs a cuDF object")
    if isinstance(categories, pd.CategoricalIndex):
        return categories.categories
    return categories if isinstance(categories, pd.Index) else pd.Index(list(categories))


def to_cudf(dtype: Any) -> Any:
    """A pandas dtype as the stand-in has it: pandas' categorical dtype as cuDF's, others as they are."""
    return CategoricalDtype.from_pandas(dtype) if isinstance(dtype, pd.CategoricalDtype) else dtype


def dtypes_member(obj: Any) -> Any:
    """``DataFrame.dtypes`` / ``MultiIndex.dtypes`` (a pandas Series of cuDF dtypes, as cuDF) or ``Series.dtypes``."""
    dtypes = obj.dtypes
    if isinstance(dtypes, pd.Series):
        return pd.Series([to_cudf(d) for d in dtypes], index=dtypes.index, dtype=object)
    return to_cudf(dtypes)
