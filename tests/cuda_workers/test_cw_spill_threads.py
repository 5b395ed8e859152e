"""The spill store under concurrent use, and unknown keys (CPU only, simulated device)."""

from __future__ import annotations

import collections
import sys
import threading

import numpy as np
import pytest
from fake_device import SimulatedDeviceArray

from cuda_workers.spill import DeviceHostDiskStore

MB = 1_000_000


@pytest.fixture
def store(tmp_path):
    s = DeviceHostDiskStore(3 * MB, 2.5 * MB, str(tmp_path))
    yield s
    s.close()


def array(value, n_bytes=MB):
    return SimulatedDeviceArray(np.full(n_bytes // 8, value, dtype="f8"))


def test_location_of_an_unknown_key_raises(store):
    store["a"] = array(1.0)
    with pytest.raises(KeyError):
        store.location("no-such-key")
    del store["a"]
    with pytest.raises(KeyError):
        store.location("a")


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
