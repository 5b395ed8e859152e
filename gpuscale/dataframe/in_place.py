"""pandas' ``inplace=True`` on a lazy collection: the collection takes the result's expression."""

from __future__ import annotations

from typing import Any

__all__ = ["in_place"]


def in_place(collection: Any, out: Any, inplace: bool) -> Any:
    """``out``, or with ``inplace`` None after ``collection`` takes ``out``'s expression, as pandas' methods
    change the frame they are called on and return None (collections that other collections were built from
    keep their own expressions).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, None]), npartitions=1, backend="cpu")
    >>> s.fillna(0, inplace=True) is None, s.compute().tolist()
    (True, [1.0, 0.0])
    """
    if not inplace:
        return out
    collection._expr = out.expr
    return None
