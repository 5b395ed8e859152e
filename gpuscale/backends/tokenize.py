"""Deterministic fingerprints of NumPy / pandas / pyarrow objects for expression names."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from gpuscale.backends import _detect

__all__ = ["normalize_data"]


def normalize_data(obj: Any) -> Any:
    """Return a small hashable stand-in for a data object, equal for equal data.

    Device objects get a random token: hashing them would copy them to the host.
    """
    if _detect.is_numpy_array(obj):
        return _numpy_token(obj)
    if _detect.is_pandas_object(obj):
        return _pandas_token(obj)
    return ("object", uuid.uuid4().hex)


def _numpy_token(arr: Any) -> tuple:
    import numpy as np

    arr = np.asarray(arr)
    if arr.dtype.hasobject:
        digest = hashlib.sha1(repr(arr.tolist()).encode()).hexdigest()
    else:
        digest = hashlib.sha1(np.ascontiguousarray(arr).view("u1").data).hexdigest()
    return ("ndarray", str(arr.dtype), arr.shape, digest)


def _pandas_token(obj: Any) -> tuple:
    import pandas as pd

    hashed = pd.util.hash_pandas_object(obj, index=True).to_numpy()
    columns = tuple(map(str, getattr(obj, "columns", ()))) + (str(getattr(obj, "name", "")),)
    dtypes = tuple(map(str, obj.dtypes)) if hasattr(obj, "columns") else (str(obj.dtype),)
    return (type(obj).__name__, columns, dtypes, _numpy_token(hashed)[3])
