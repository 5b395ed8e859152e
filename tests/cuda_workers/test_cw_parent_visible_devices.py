"""LocalCUDACluster and CUDAWorker in a process whose CUDA_VISIBLE_DEVICES distributed's NVML monitor misread:
``-1`` (every GPU hidden: CPU workers) and a GPU UUID prefix, which CUDA accepts."""

from __future__ import annotations

import asyncio
import os
import warnings

import pytest
from distributed import Client, LocalCluster
from distributed.diagnostics import nvml

from cuda_workers import CUDAWorker, LocalCUDACluster

B_UUID = "GPU-bbbbbbbb-0000-0000-0000-000000000000"


def _add(a, b):
    return a + b


@pytest.mark.parametrize("initialised", [False, True], ids=["nvml-fresh", "nvml-initialised"])
def test_hidden_gpus_start_cpu_workers(fake_gpus, monkeypatch, initialised):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")
    if initialised:  # this process used distributed's NVML before: its setting no longer counts
        nvml.init_once()
    state = nvml.NVML_STATE
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCUDACluster(n_workers=1, dashboard_address=None)
    with cluster, Client(cluster) as client:
        assert client.submit(_add, 1, 2).result() == 3
        assert os.environ["CUDA_VISIBLE_DEVICES"] == "-1"  # not "": that would show the GPUs to this process
        cluster.scale(2)  # new Nannies later on
        client.wait_for_workers(2, timeout=60)
        assert sorted(client.run(os.getenv, "CUDA_VISIBLE_DEVICES").values()) == ["-1", "-1"]
        assert client.submit(_add, 2, 3, pure=False).result() == 5
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "-1"
    assert nvml.NVML_STATE == state


def test_uuid_prefix_is_named_in_full_while_the_cluster_runs(fake_gpus, monkeypatch):
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-bbbb")
    with LocalCUDACluster(dashboard_address=None) as cluster, Client(cluster) as client:
        assert len(cluster.workers) == 1
        assert client.submit(_add, 1, 2, resources={"GPU": 1}).result() == 3
        assert os.environ["CUDA_VISIBLE_DEVICES"] == B_UUID  # the same GPU for CUDA
        assert list(client.run(os.getenv, "CUDA_VISIBLE_DEVICES").values()) == [B_UUID]
    assert os.environ["CUDA_VISIBLE_DEVICES"] == "GPU-bbbb"


@pytest.mark.parametrize("visible", ["-1", "GPU-bbbb"])
def test_cuda_worker_api(fake_gpus, monkeypatch, visible):
    async def run():
        # the scheduler starts before: distributed's own LocalCluster fails with these values
        async with LocalCluster(n_workers=0, asynchronous=True, host="127.0.0.1", dashboard_address=None) as cluster:
            monkeypatch.setenv("CUDA_VISIBLE_DEVICES", visible)
            async with Client(cluster, asynchronous=True) as client:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    node = await CUDAWorker(cluster, n_workers=1, name="node1")
                try:
                    await client.wait_for_workers(1)
                    return await client.submit(_add, 1, 2)
                finally:
                    await node.close()

    assert asyncio.run(run()) == 3
    assert os.environ["CUDA_VISIBLE_DEVICES"] == visible
