"""Deterministic fingerprints of NumPy / pandas / pyarrow objects for expression names."""

from __future__ import annotations

import hashlib
import threading
import uuid
import weakref
from typing import Any

from gpuscale.backends import _detect

__all__ = ["normalize_data"]


# id(obj) -> (weak reference, token): the optimizer rebuilds nodes many times and
# must not re-hash the same in-memory data each time.
_cache: dict[int, tuple[Any, Any]] = {}
_lock = threading.RLock()  # reentrant: an allocation under it may run a dead object's callback (_forget)


def normalize_data(obj: Any) -> Any:
    """Return a small hashable stand-in for a data object, equal for equal data.

    Tokens are cached per live object.  Device objects get a random token:
    hashing them would copy them to the host.
    """
    if _detect.is_numpy_dtype(obj):  # not weak-referenceable, so never cached: name it by its spelling
        return ("numpy-dtype", repr(obj))
    with _lock:
        cached = _cache.get(id(obj))
    if cached is not None and cached[0]() is obj:
        return cached[1]
    token = _compute_token(obj)
    _remember(obj, token)
    return token


def _remember(obj: Any, token: Any) -> None:
    key = id(obj)
    try:
        ref = weakref.ref(obj, lambda _, key=key: _forget(key))
    except TypeError:  # not weak-referenceable (e.g. NumPy scalars): no caching
        return
    with _lock:
        _cache[key] = (ref, token)


def _forget(key: int) -> None:
    with _lock:
        entry = _cache.get(key)
        if entry is not None and entry[0]() is None:
            del _cache[key]


def _compute_token(obj: Any) -> Any:
    if _detect.is_numpy_array(obj):
        return _numpy_token(obj)
    if _detect.is_pandas_object(obj):
        return _pandas_token(obj)
    scalar = _pandas_scalar_token(obj)
    if scalar is not None:
        return scalar
    return ("object", uuid.uuid4().hex)


def _pandas_scalar_token(obj: Any) -> tuple | None:
    """pandas' scalars (Timestamp, Timedelta, Period, Interval, offsets, NaT) by their repr (value, time zone)
    and unit, and pandas' extension dtypes by what defines them; None for anything else."""
    if type(obj).__module__.partition(".")[0] != "pandas":
        return None
    import pandas as pd

    if isinstance(obj, (pd.Timestamp, pd.Timedelta, pd.Period, pd.Interval, pd.offsets.BaseOffset, type(pd.NaT))):
        return ("pandas-scalar", type(obj).__name__, repr(obj), getattr(obj, "unit", None))
    if isinstance(obj, pd.CategoricalDtype):  # its repr shortens long category lists
        categories = None if obj.categories is None else _pandas_token(obj.categories)
        return ("pandas-dtype", "category", categories, obj.ordered)
    if isinstance(obj, pd.api.extensions.ExtensionDtype):  # string[pyarrow], Int64, datetime64[ns, UTC] ...
        return ("pandas-dtype", type(obj).__name__, str(obj), repr(obj), repr(getattr(obj, "storage", None)),
                repr(getattr(obj, "na_value", None)))
    return None


def _numpy_token(arr: Any) -> tuple:
    import numpy as np

    if arr is np.ma.masked:  # the one masked constant (it has no fill value to read)
        return ("masked-constant",)
    if isinstance(arr, np.ma.MaskedArray):  # the mask and fill value are part of the data
        return ("masked", _numpy_token(arr.data), _numpy_token(np.ma.getmaskarray(arr)), repr(arr.fill_value))
    arr = np.asarray(arr)
    if arr.dtype.hasobject:
        digest = hashlib.sha1(repr(arr.tolist()).encode()).hexdigest()
    else:
        digest = hashlib.sha1(np.ascontiguousarray(arr).view("u1").data).hexdigest()
    return ("ndarray", str(arr.dtype), arr.shape, digest)


def _pandas_token(obj: Any) -> tuple:
    import pandas as pd

    # labels by repr and the column index whole: columns 1 and "1" (or of two category orders) differ
    if isinstance(obj, pd.DataFrame):
        parts = (_index_digest(obj.columns),) + _frame_digests(obj)
    elif isinstance(obj, pd.Index):
        return (type(obj).__name__, _index_digest(obj), "")
    else:
        parts = ((repr(getattr(obj, "name", "")), _series_digest(obj)),)
    return (type(obj).__name__, parts, _index_digest(obj.index))


def _frame_digests(frame: Any) -> tuple:
    """The columns' values: those of one plain NumPy dtype hashed together as one 2-D array with their
    positions (a column at a time cost a Series each: wide frames took seconds), others one by one."""
    import numpy as np
    import pandas as pd

    groups: dict[str, list[int]] = {}
    parts = []
    for i, dtype in enumerate(frame.dtypes.tolist()):
        if getattr(dtype, "kind", "O") in "biufcmM" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
            groups.setdefault(str(dtype), []).append(i)
        else:
            parts.append((i, _series_digest(frame.iloc[:, i])))
    for name, positions in groups.items():
        block = frame.iloc[:, positions].to_numpy()  # (columns of one NumPy dtype keep it)
        parts.append((name, _numpy_token(np.asarray(positions))[3], _numpy_token(block)[3]))
    return tuple(parts)


def _index_digest(index: Any) -> str:
    import pandas as pd

    if isinstance(index, pd.RangeIndex):
        return f"range({index.start},{index.stop},{index.step},{index.name!r})"
    if isinstance(index, pd.MultiIndex):
        return f"{index.names!r}" + "".join(_series_digest(index.get_level_values(i).to_series())
                                           for i in range(index.nlevels))
    # a DatetimeIndex's or PeriodIndex's freq is not in its values (shift, resample read it)
    return f"{index.name!r}{getattr(index, 'freq', None)!r}" + _series_digest(pd.Series(index))


def _series_digest(values: Any) -> str:
    """Fast path for plain NumPy-backed numbers (hash the buffer); pandas' hashing otherwise."""
    import pandas as pd

    dtype = values.dtype
    if getattr(dtype, "kind", "O") in "biufcmM" and not isinstance(dtype, pd.api.extensions.ExtensionDtype):
        return str(dtype) + _numpy_token(values.to_numpy())[3]
    try:
        hashed = pd.util.hash_pandas_object(values, index=False).to_numpy()
    except (TypeError, ValueError):  # unhashable values (lists, dicts, arrays in an object column)
        return _dtype_digest(dtype) + _object_digest(values)
    digest = _dtype_digest(dtype) + _numpy_token(hashed)[3]
    if str(dtype) == "object":  # pandas 2 hashes mixed objects by str(): 0 and "0" hashed alike
        kind = pd.api.types.infer_dtype(values, skipna=False)
        digest += kind + (_object_digest(type(v).__name__ for v in values) if "mixed" in kind else "")
    return digest


def _dtype_digest(dtype: Any) -> str:
    """The whole dtype: str() hides a categorical's categories, their order and ordered (values hash
    by label alone, so only the dtype tells those apart) and a string dtype's storage."""
    token = _pandas_scalar_token(dtype)
    return str(dtype) if token is None else repr(token)


def _object_digest(values: Any) -> str:
    """A digest of arbitrary Python values, equal for equal data in any process (sets and dicts are
    taken in a sorted order, not their hash order)."""
    digest = hashlib.sha1()
    for value in values:
        digest.update(_stable_repr(value).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def _stable_repr(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return f"{type(value).__name__}[" + ",".join(_stable_repr(v) for v in value) + "]"
    if isinstance(value, dict):
        items = sorted((_stable_repr(k), _stable_repr(v)) for k, v in value.items())
        return "dict{" + ",".join(f"{k}:{v}" for k, v in items) + "}"
    if isinstance(value, (set, frozenset)):
        return f"{type(value).__name__}{{" + ",".join(sorted(_stable_repr(v) for v in value)) + "}"
    if _detect.is_numpy_array(value):
        return repr(_numpy_token(value))
    return f"{type(value).__name__}:{value!r}"
