"""``to_numeric`` of values that are not partitions: a single value and the blocks of an array."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends import _detect

__all__ = ["to_numeric_value", "to_numeric_block", "to_numeric_dtype", "is_numeric_input_scalar"]


def is_numeric_input_scalar(value: Any) -> bool:
    """A single value (``"5"``, ``5``), which ``to_numeric`` converts lazily on its own."""
    return bool(pd.api.types.is_scalar(value))


def to_numeric_value(value: Any, errors: str = "raise", downcast: Any = None) -> Any:
    """pandas' ``to_numeric`` of one value or a list of them."""
    return pd.to_numeric(value, errors=errors, downcast=downcast)


def to_numeric_block(block: Any, errors: str = "raise", downcast: Any = None) -> Any:
    """``to_numeric`` of an array block: NumPy directly, a device block through the host (strings are
    parsed there) and back."""
    if _detect.is_numpy_array(block):
        return np.asarray(pd.to_numeric(block.ravel(), errors=errors, downcast=downcast)).reshape(block.shape)
    from gpuscale.backends.convert import to_device, to_host

    return to_device(to_numeric_block(to_host(block), errors, downcast), "cupy")


def to_numeric_dtype(dtype: Any, errors: str = "raise", downcast: Any = None) -> Any:
    """The dtype ``to_numeric`` gives an array of ``dtype``, found from an empty one (strings give int64, as
    in dask: the parsed values decide per block)."""
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        dtype = np.dtype(getattr(dtype, "name", str(dtype)))
    return to_numeric_block(np.empty(0, dtype=dtype), errors, downcast).dtype
