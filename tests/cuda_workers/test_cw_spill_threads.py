"""The spill store under concurrent use (CPU only, simulated device)."""

from __future__ import annotations

import collections
import sys
import threading

import numpy as np
from fake_device import SimulatedDeviceArray

from cuda_workers.spill import DeviceHostDiskStore


def test_overwriting_a_key_while_another_thread_reads_it(tmp_path):
    s = DeviceHostDiskStore(100, 10_000, str(tmp_path))
    s["filler"] = SimulatedDeviceArray(np.zeros(12))  # 96 device bytes: a new device key pushes others to host
    seen: collections.Counter = collections.Counter()
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen[type(s["k"]).__name__] += 1
            except KeyError:
                seen["KeyError"] += 1
            except Exception as e:  # noqa: BLE001 - recorded and asserted on below
                seen[f"{type(e).__name__}: {e}"] += 1

    thread = threading.Thread(target=reader)
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often: inside the store's compound operations too
    thread.start()
    try:
        for i in range(3000):
            s["k"] = SimulatedDeviceArray(np.zeros(12)) if i % 2 else np.zeros(12)
            s["filler"] = SimulatedDeviceArray(np.zeros(12))
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(interval)
    s.close()
    assert set(seen) <= {"SimulatedDeviceArray", "ndarray", "KeyError"}, seen
