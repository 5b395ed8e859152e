"""The dtype of a lazy scalar's metadata (``Scalar.dtype``), as dask gives it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["scalar_dtype"]


def scalar_dtype(meta: Any) -> Any:
    """The dtype of a Series holding ``meta``, dask's ``Scalar.dtype``.

    Parameters
    ----------
    meta
        A scalar's metadata: a NumPy/CuPy scalar, a Python value, a Timestamp or Timedelta.

    Returns
    -------
    dtype
        ``meta.dtype`` where it has one (``int64``), else pandas' dtype of the value: ``datetime64[us, UTC]``
        for a zoned Timestamp, ``int64`` for a Python int, ``str`` for a string (a NumPy ``<U1`` too), ``object``
        for anything else.
    """
    dtype = getattr(meta, "dtype", None)
    if dtype is not None and not (isinstance(dtype, np.dtype) and dtype.kind in "US"):
        return dtype  # (a NumPy string's "<U1" is pandas' str, as dask shows it)
    try:
        return pd.Series([meta]).dtype
    except (TypeError, ValueError):  # a value pandas does not take as one element
        return np.dtype(object)
