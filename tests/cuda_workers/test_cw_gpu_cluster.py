"""LocalCUDACluster on two fake GPUs: real worker processes, asserting what each one got.

The fake NVML reaches the workers through ``sitecustomize`` on ``PYTHONPATH`` (see
fake_nvml/); nothing pretends to be CUDA, so device data is simulated (fake_device.py).
"""

from __future__ import annotations

import os
import stat
import sys

import pytest
from conftest import TWO_GPUS, use_fake_gpus
from distributed import Client, wait

from cuda_workers import LocalCUDACluster

pytestmark = pytest.mark.timeout(120)


def _by_name(client, result: dict) -> dict:
    """{worker address: x} -> {worker name: x}."""
    names = {a: w["name"] for a, w in client.scheduler_info(n_workers=-1)["workers"].items()}
    return {names[address]: value for address, value in result.items()}


DEVICE_LIMIT = 2_000_000


@pytest.fixture(scope="module")
def gpu_cluster():
    with pytest.MonkeyPatch.context() as mp:
        use_fake_gpus(mp, TWO_GPUS)
        before = set(sys.modules)
        cluster = LocalCUDACluster(device_memory_limit=DEVICE_LIMIT, memory_limit="1GiB",
                                   pre_import="colorsys", dashboard_address=None)
        loaded = set(sys.modules) - before
        with cluster, Client(cluster) as client:
            client.wait_for_workers(2)
            yield cluster, client, loaded


def test_parent_loads_no_cuda_library(gpu_cluster):
    *_, loaded = gpu_cluster
    assert not {m.partition(".")[0] for m in loaded} & {"rmm", "cupy", "cudf", "numba"}


def test_each_worker_sees_its_gpu_first(gpu_cluster):
    cluster, client, _ = gpu_cluster
    assert cluster.has_gpus
    visible = _by_name(client, client.run(lambda: os.environ["CUDA_VISIBLE_DEVICES"]))
    assert visible == {0: "0,1", 1: "1,0"}  # named by their device, as dask-cuda names them
    # the indices are NVML's (PCI bus order): CUDA must count the same way, not fastest first
    order = _by_name(client, client.run(lambda: os.environ.get("CUDA_DEVICE_ORDER")))
    assert order == {0: "PCI_BUS_ID", 1: "PCI_BUS_ID"}


def test_each_worker_is_pinned_to_its_gpus_cores(gpu_cluster):
    _, client, _ = gpu_cluster
    if (os.cpu_count() or 1) < 2:
        pytest.skip("needs two cores")
    cores = _by_name(client, client.run(lambda: sorted(os.sched_getaffinity(0))))
    assert cores == {0: [0], 1: [1]}


def test_workers_advertise_one_gpu_and_got_their_settings(gpu_cluster):
    cluster, client, _ = gpu_cluster
    info = client.scheduler_info(n_workers=-1)["workers"].values()
    assert [w["resources"] for w in info] == [{"GPU": 1}, {"GPU": 1}]
    assert {w["memory_limit"] for w in info} == {2**30}
    assert {w["nthreads"] for w in info} == {1}

    def describe(dask_worker):
        store = dask_worker.data
        return {
            "store": type(store).__name__,
            "device_limit": store.device.fast.n,
            "spill_dir_mode": oct(stat.S_IMODE(os.stat(store.directory).st_mode)),
            "plugins": sorted(dask_worker.plugins),
            "colorsys": "colorsys" in sys.modules,
        }

    got = _by_name(client, client.run(describe))
    for worker in got.values():
        assert worker["store"] == "DeviceHostDiskStore" and worker["device_limit"] == DEVICE_LIMIT
        assert worker["spill_dir_mode"] == "0o700"
        assert {"cuda-workers-cpu-affinity", "cuda-workers-pre-import"} <= set(worker["plugins"])
        assert "cuda-workers-rmm" not in worker["plugins"]  # no RMM option given
        assert worker["colorsys"]


def test_working_set_larger_than_device_limit_spills_and_computes(gpu_cluster):
    import fake_device

    _, client, _ = gpu_cluster
    arrays = [client.submit(fake_device.full, 125_000, float(i), resources={"GPU": 1}, workers=[0],
                            pure=False) for i in range(8)]  # 8 x 1 MB on a 2 MB device
    wait(arrays)
    total = client.submit(fake_device.total, *arrays, workers=[0])
    assert total.result() == sum(125_000.0 * i for i in range(8))

    def accounting(dask_worker):
        return dask_worker.data.accounting()

    stats = _by_name(client, client.run(accounting))[0]
    assert stats["device_to_host"] >= 6 and stats["host_to_device"] >= 1
    assert stats["device_bytes"] <= DEVICE_LIMIT




def test_gpu_cluster_cannot_scale_beyond_one_worker_per_gpu(gpu_cluster):
    from cuda_workers import SettingsError

    cluster, client, _ = gpu_cluster
    with pytest.raises(SettingsError, match="^n_workers: cannot scale beyond one worker per GPU"):
        cluster.scale(3)
    assert len(client.scheduler_info(n_workers=-1)["workers"]) == 2


def test_a_retired_gpu_worker_comes_back_on_its_gpu(gpu_cluster):
    import time

    cluster, client, _ = gpu_cluster
    cluster.scale(1)  # scale down, then up again (as adapt() does)
    deadline = time.monotonic() + 60
    while len(client.scheduler_info(n_workers=-1)["workers"]) != 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(client.scheduler_info(n_workers=-1)["workers"]) == 1
    cluster.scale(2)
    client.wait_for_workers(2, timeout=60)
    visible = _by_name(client, client.run(lambda: os.environ["CUDA_VISIBLE_DEVICES"]))
    assert visible == {0: "0,1", 1: "1,0"}  # named by their device, as dask-cuda names them
    # the indices are NVML's (PCI bus order): CUDA must count the same way, not fastest first
    order = _by_name(client, client.run(lambda: os.environ.get("CUDA_DEVICE_ORDER")))
    assert order == {0: "PCI_BUS_ID", 1: "PCI_BUS_ID"}
