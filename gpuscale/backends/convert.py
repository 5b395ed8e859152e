"""The only two functions that copy data between host and device.

Every host<->device copy in gpuscale goes through :func:`to_host` or
:func:`to_device`, so tests can count them (``copy_counts``) and prove that a
pipeline does not bounce chunks across PCIe.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

from gpuscale.backends import _detect

__all__ = ["to_host", "to_device", "copy_counts", "reset_copy_counts"]

copy_counts: Counter[str] = Counter()
_lock = threading.Lock()


def _count(direction: str) -> None:
    with _lock:
        copy_counts[direction] += 1


def reset_copy_counts() -> None:
    """Zero the ``to_host`` / ``to_device`` counters."""
    with _lock:
        copy_counts.clear()


def to_host(obj: Any, **options: Any) -> Any:
    """Copy a device chunk (CuPy array, cuDF object, strict-device array) to NumPy/pandas.

    Host objects are returned unchanged and not counted.  ``options`` go to cuDF's ``to_pandas``
    (``nullable=``, ``arrow_type=``).
    """
    if _detect.is_cupy_array(obj):
        _count("to_host")
        return obj.get()
    if _detect.is_cudf_object(obj):
        _count("to_host")
        return obj.to_pandas(**options)
    if _detect.is_strict_array(obj):
        return _strict_to_host(obj)
    return obj


def _strict_to_host(obj: Any) -> Any:
    import array_api_strict as xps
    import numpy as np

    if obj.device != xps.Device("CPU_DEVICE"):
        _count("to_host")
        obj = xps.asarray(obj, device=xps.Device("CPU_DEVICE"), copy=True)
    return np.asarray(obj)


def to_device(obj: Any, library: str = "cupy", **options: Any) -> Any:
    """Copy a host chunk to the device library ``library`` ("cupy", "cudf" or "array_api_strict").

    For cuDF the chunk may be a pandas object or an Arrow table (decoded straight into device columns);
    ``options`` go to ``cudf.from_pandas`` (``nan_as_null=``).

    Objects already of that library are returned unchanged and not counted.
    """
    if library == "cupy":
        import cupy

        if _detect.is_cupy_array(obj):
            return obj
        _count("to_device")
        return cupy.asarray(obj)
    if library == "cudf":
        import cudf

        if _detect.is_cudf_object(obj):
            return obj
        _count("to_device")
        if type(obj).__module__.startswith("pyarrow"):  # Arrow columns are copied to the device as they are
            return cudf.DataFrame.from_arrow(_present_index_columns(obj))
        return cudf.from_pandas(obj, **options)
    if library == "array_api_strict":
        return _strict_to_device(obj)
    raise ValueError(f"to_device: {library!r} is not a device library (cupy, cudf, array_api_strict)")


def _present_index_columns(table: Any) -> Any:
    """``table`` with pandas metadata naming only the stored index columns it has.

    A read of some columns keeps the file's pandas metadata; pyarrow's ``to_pandas`` skips the index
    columns that were not read, cuDF's ``DataFrame.from_arrow`` raises ``KeyError`` for them.
    """
    import json

    metadata = table.schema.pandas_metadata
    if not isinstance(metadata, dict):
        return table
    stored = metadata.get("index_columns") or []
    kept = [c for c in stored if not isinstance(c, str) or c in table.column_names]
    if kept == stored:
        return table
    pandas = json.dumps({**metadata, "index_columns": kept}).encode()
    return table.replace_schema_metadata({**table.schema.metadata, b"pandas": pandas})


def _strict_to_device(obj: Any) -> Any:
    import array_api_strict as xps

    device = xps.Device("device1")
    if _detect.is_strict_array(obj) and obj.device == device:
        return obj
    _count("to_device")
    return xps.asarray(obj, device=device)
