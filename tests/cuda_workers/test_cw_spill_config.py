"""make_store follows distributed's ``target`` and ``max-spill`` settings (CPU only)."""

from __future__ import annotations

import dask
import numpy as np
import pytest

from cuda_workers.spill import make_store

MB = 1_000_000


@pytest.mark.parametrize(("target", "expected"), [(0.5, 5 * MB), (False, float("inf"))])
def test_make_store_host_budget_follows_distributed_target(tmp_path, target, expected):
    with dask.config.set({"distributed.worker.memory.target": target}):
        s = make_store(str(tmp_path), device_memory_limit=MB, memory_limit=10 * MB)
    assert s.host.n == expected  # target False: no size-based spilling, as distributed's SpillBuffer
    s.close()


def test_make_store_respects_max_spill(tmp_path, caplog):
    caplog.set_level("WARNING", logger="distributed.worker")
    with dask.config.set({"distributed.worker.memory.target": 0.1,
                          "distributed.worker.memory.max-spill": "2.5MB"}):
        s = make_store(str(tmp_path), device_memory_limit=MB, memory_limit=10 * MB)
    for i in range(6):
        s[i] = np.full(MB // 8, float(i))
    disk = [k for k in s if s.location(k) == "disk"]
    assert len(disk) == 2  # a third MB would pass 2.5 MB on disk: the rest stays in memory
    warnings = [r for r in caplog.records if "reached capacity" in r.getMessage()]
    assert len(warnings) == 1 and warnings[0].levelname == "WARNING"  # once, not per object
    assert [float(s[i][0]) for i in range(6)] == [float(i) for i in range(6)]
    del s[disk[0]]
    s[6] = np.full(MB // 8, 6.0)
    assert sum(s.location(k) == "disk" for k in s) <= 2
    s.close()


def test_device_objects_pushed_to_a_full_host_tier_stay_in_host_memory_past_max_spill(tmp_path):
    from fake_device import SimulatedDeviceArray

    from cuda_workers.spill import DeviceHostDiskStore

    s = DeviceHostDiskStore(MB, MB, str(tmp_path), max_spill=0)
    for i in range(4):
        s[i] = SimulatedDeviceArray(np.full(MB // 8, float(i)))
    assert [s.location(i) for i in range(4)] == ["host"] * 3 + ["device"]
    assert s.counts["host_to_disk"] == 0
    assert [float(s[i].host[0]) for i in range(4)] == [0.0, 1.0, 2.0, 3.0]
    s.close()
