"""A simulated device array for CPU tests of the device tier of the spill store.

It carries ``__cuda_array_interface__`` (so the store treats it as device data, as it
would a CuPy array) but keeps its bytes in a NumPy array. Importable in worker processes
because this directory is on their ``PYTHONPATH``.
"""

from __future__ import annotations

import numpy as np


class SimulatedDeviceArray:
    def __init__(self, host: np.ndarray):
        self.host = host

    @property
    def __cuda_array_interface__(self) -> dict:
        return {"shape": self.host.shape, "typestr": self.host.dtype.str, "data": (0, False), "version": 3}

    @property
    def nbytes(self) -> int:
        return self.host.nbytes


def full(n: int, value: float) -> SimulatedDeviceArray:
    return SimulatedDeviceArray(np.full(n, value))


def total(*arrays: SimulatedDeviceArray) -> float:
    return float(sum(a.host.sum() for a in arrays))
