"""The device-aware local runtime on a real GPU (marked ``gpu``: skipped without one).

tests/runtime/test_runtime_device.py proves the same behaviour on a simulated device; here CuPy chunks on a
real device must stay within a device memory limit much smaller than the computation, by moving results to
the host and back, and give NumPy's answer.
"""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
from gpuscale.runtime import device_stats

pytestmark = [pytest.mark.gpu, pytest.mark.timeout(300)]

MB = 1_000_000


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_cupy_computation_larger_than_the_device_limit_stays_within_it(scheduler):
    cupy = pytest.importorskip("cupy")
    import gpuscale.array as ga

    n, chunk, limit = 8_000, 1_000, 200 * MB  # 512 MB of float64 in 64 chunks of 8 MB, under a 200 MB limit
    with gpuscale.config.set(**{"device.memory_limit": limit, "device.tasks": 2}), device_stats() as runs:
        x = ga.arange(n * n, dtype=ga.float64, chunks=chunk * chunk, backend="cupy")
        x = ga.reshape(x % 7, (n, n)).rechunk((chunk, chunk))
        y = ga.sum(x - ga.mean(x, axis=0) + x.T * 2)  # every block waits for the column means
        result = y.compute(scheduler=scheduler, num_workers=4)
    data = (np.arange(n * n, dtype="f8") % 7).reshape(n, n)
    assert isinstance(result, cupy.ndarray)
    assert float(result.get()) == pytest.approx(float((data - data.mean(axis=0) + data.T * 2).sum()))
    (stats,) = runs
    assert stats.memory_limit == limit
    assert 0 < stats.peak_device_bytes <= limit
    assert stats.moved_to_host > 0 and stats.moved_to_device > 0
    if scheduler == "threads":
        assert 1 <= stats.peak_device_tasks <= 2
