"""CuPy arrays cuDF hands back, in the stand-in: array-api-strict arrays on its ``device1``.

cuDF returns some results as ``cupy.ndarray`` (read from cuDF 26.10, checked by the cuDF lane):
``Index.isin`` is ``self._column.isin(values).values``.  CuPy refuses ``np.asarray`` ("Implicit
conversion to a NumPy array is not allowed"); an array-api-strict array on ``device1`` refuses it as well,
and ``gpuscale.backends.to_host`` copies either to NumPy.  Passed back into a stand-in call, it is
opened to NumPy (cuDF takes CuPy arrays as masks and keys).
"""

from __future__ import annotations

from typing import Any

import numpy as np


def device_array(values: Any) -> Any:
    import array_api_strict as xps

    return xps.asarray(np.asarray(values), device=xps.Device("device1"))


def is_device_array(value: Any) -> bool:
    return type(value).__module__.partition(".")[0] == "array_api_strict"


def to_numpy(value: Any) -> np.ndarray:
    import array_api_strict as xps

    return np.asarray(xps.asarray(value, device=xps.Device("CPU_DEVICE"), copy=True))


def index_isin(index: Any, values: Any, level: Any = None) -> Any:
    """``Index.isin``: a CuPy boolean array in cuDF."""
    return device_array(index.isin(values, level=level))
