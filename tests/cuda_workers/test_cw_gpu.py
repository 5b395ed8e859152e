"""Tests that need a real CUDA GPU (marked ``gpu``; skipped on machines without one).

Not run on the CPU-only development machine: see docs/cuda_workers.md.
"""

from __future__ import annotations

import numpy as np
import pytest
from distributed import Client

from cuda_workers import LocalCUDACluster
from cuda_workers.spill import DeviceHostDiskStore

pytestmark = [pytest.mark.gpu, pytest.mark.timeout(300)]


@pytest.fixture
def cupy():
    return pytest.importorskip("cupy")


def _current_resource():
    import rmm

    resource = rmm.mr.get_current_device_resource()
    return type(getattr(resource, "upstream_mr", resource)).__name__, type(resource).__name__


def test_rmm_pool_is_set_on_every_worker():
    pytest.importorskip("rmm")
    with LocalCUDACluster(n_workers=1, rmm_pool_size="256MiB", dashboard_address=None) as cluster, Client(cluster) as client:
        assert all("PoolMemoryResource" in names for names in client.run(_current_resource).values())


def test_rmm_async_with_release_threshold():
    pytest.importorskip("rmm")
    with LocalCUDACluster(n_workers=1, rmm_async=True, rmm_release_threshold="128MiB",
                          dashboard_address=None) as cluster, Client(cluster) as client:
        assert all("CudaAsyncMemoryResource" in names for names in client.run(_current_resource).values())


def test_parent_has_no_cuda_context_and_each_worker_uses_its_own_gpu():
    from distributed.diagnostics import nvml

    with LocalCUDACluster(dashboard_address=None) as cluster, Client(cluster) as client:
        assert not nvml.has_cuda_context().has_context

        def own_context():
            import rmm

            rmm.DeviceBuffer(size=1)  # create the context
            return nvml.has_cuda_context().device_info.device_index

        contexts = client.run(own_context)
        assert sorted(contexts.values()) == sorted(p.device.index for p in cluster.plans)


def test_cupy_arrays_spill_to_host_and_disk_and_come_back(cupy, tmp_path):
    store = DeviceHostDiskStore(2 * 8_000_000, 3 * 8_000_000, str(tmp_path))
    try:
        for i in range(8):
            store[i] = cupy.full(1_000_000, i, dtype="f8")
        assert store.device_bytes <= 2 * 8_000_000
        assert {store.location(i) for i in range(8)} == {"device", "host", "disk"}
        for i in range(8):
            value = store[i]
            assert isinstance(value, cupy.ndarray) and float(value[0]) == i
    finally:
        store.close()


def test_device_accounting_matches_rmm_statistics(cupy, tmp_path):
    statistics = pytest.importorskip("rmm.statistics")
    from rmm.allocators.cupy import rmm_cupy_allocator

    previous = cupy.cuda.get_allocator()
    # rmm's statistics() context enables the statistics adaptor and removes it again (rmm has no disable_)
    with statistics.statistics():
        cupy.cuda.set_allocator(rmm_cupy_allocator)
        baseline = statistics.get_statistics().current_bytes
        store = DeviceHostDiskStore(10**9, 10**9, str(tmp_path))
        try:
            store["a"] = cupy.ones(1_000_000)
            store["b"] = cupy.ones(500_000)
            accounting = store.accounting()
            assert accounting["device_bytes"] == 12_000_000
            assert accounting["rmm_current_bytes"] - baseline >= accounting["device_bytes"]
            assert accounting["consistent"]
        finally:
            store.close()
            cupy.cuda.set_allocator(previous)  # before the adaptor goes: no later allocation through it


def test_cupy_work_on_the_cluster_with_a_small_device_limit(cupy):
    def make(i):
        import cupy

        return cupy.full(1_000_000, i, dtype="f8")

    def total(*arrays):
        return float(sum(float(a.sum()) for a in arrays))

    with LocalCUDACluster(n_workers=1, device_memory_limit="20MB", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        arrays = [client.submit(make, i, resources={"GPU": 1}) for i in range(10)]
        assert client.submit(total, *arrays).result() == sum(1_000_000.0 * i for i in range(10))
        counts = client.run(lambda dask_worker: dask_worker.data.counts)
        assert all(c["device_to_host"] > 0 for c in counts.values())


def test_cudf_spill_option_reaches_the_workers():
    pytest.importorskip("cudf")
    with LocalCUDACluster(n_workers=1, enable_cudf_spill=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert all(client.run(lambda: __import__("cudf").get_option("spill")).values())


def test_ucx_with_nvlink_moves_cupy_arrays(cupy):
    pytest.importorskip("distributed_ucxx")  # protocol='ucx' needs it (an optional extra)
    with LocalCUDACluster(protocol="ucx", enable_nvlink=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        workers = sorted(client.scheduler_info()["workers"])
        x = client.submit(lambda: __import__("cupy").arange(1_000_000), workers=workers[:1])
        y = client.submit(lambda a: float(a.sum()), x, workers=workers[-1:])
        assert y.result() == float(np.arange(1_000_000).sum())


def test_gpu_steps_annotated_where_built_run_on_the_gpu_workers(cupy):
    # dask-cuda's pattern: the step built under dask.annotate(resources={"GPU": 1}) carries it to its tasks
    import dask

    import gpuscale.array as ga

    with LocalCUDACluster(n_workers=1, dashboard_address=None) as cluster, Client(cluster) as client:
        x = ga.ones((4_000, 4_000), chunks=1_000, backend="cupy")
        with dask.annotate(resources={"GPU": 1}):
            doubled = x.map_blocks(lambda block: block * 2, dtype=x.dtype)
        future = client.compute(doubled.sum())
        assert float(future.result()) == 2 * 4_000 * 4_000

        def restricted(dask_scheduler):
            return sum(1 for ts in dask_scheduler.tasks.values() if ts.resource_restrictions == {"GPU": 1})

        assert client.run_on_scheduler(restricted) >= 16  # the 16 doubled blocks
        del future
