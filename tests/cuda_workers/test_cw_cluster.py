"""LocalCUDACluster with real worker processes: CPU fallback, fake GPUs, UCX, a killed worker.

Clusters are module-scoped and small (2 workers) to keep the suite bounded; the
module-level leak check in conftest.py fails the module if a process survives it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import stat
import subprocess
import time
import warnings

import numpy as np
import pytest
from distributed import Client

from cuda_workers import CPUFallbackWarning, LocalCUDACluster, NoGPUError, NoGPUWorkerError, SettingsError

pytestmark = pytest.mark.timeout(120)


# ---------------------------------------------------------------- CPU fallback (tcp)
@pytest.fixture(scope="module")
def cpu_cluster():
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CUDA_VISIBLE_DEVICES", raising=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            cluster = LocalCUDACluster(n_workers=2, dashboard_address=None)
    with cluster, Client(cluster) as client:
        client.wait_for_workers(2)
        yield cluster, client, caught


def test_cpu_fallback_warns_once_and_starts_cpu_workers(cpu_cluster):
    cluster, client, caught = cpu_cluster
    fallback = [w for w in caught if issubclass(w.category, CPUFallbackWarning)]
    assert len(fallback) == 1 and "No usable GPU" in str(fallback[0].message)
    assert not cluster.has_gpus
    workers = client.scheduler_info(n_workers=-1)["workers"].values()
    assert len(workers) == 2
    assert all(not w["resources"] for w in workers)  # no GPU resource on CPU workers


def test_binds_to_localhost_and_uses_a_private_directory(cpu_cluster):
    cluster, client, _ = cpu_cluster
    assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
    assert all(a.startswith("tcp://127.0.0.1:") for a in client.scheduler_info(n_workers=-1)["workers"])
    assert stat.S_IMODE(os.stat(cluster.local_directory).st_mode) == 0o700
    dirs = client.run(lambda dask_worker: dask_worker.local_directory)
    assert all(d.startswith(cluster.local_directory + os.sep) for d in dirs.values())


def test_numpy_work_moves_between_workers(cpu_cluster):
    _, client, _ = cpu_cluster
    first, second = sorted(client.scheduler_info(n_workers=-1)["workers"])
    x = client.submit(np.arange, 1_000_000, workers=[first])
    total = client.submit(np.sum, x, workers=[second])
    assert total.result() == np.arange(1_000_000).sum()


def _states_of(key, dask_scheduler=None):
    return [finish for _, _, finish, *_ in dask_scheduler.story(key)]


def test_gpu_annotated_tasks_never_land_on_cpu_workers_and_fail_at_once(cpu_cluster):
    _, client, _ = cpu_cluster
    future = client.submit(os.getpid, resources={"GPU": 1}, pure=False)
    with pytest.raises(NoGPUWorkerError, match=r"asks for resources=\{'GPU': 1\}, but this LocalCUDACluster runs CPU "
                                               r"workers only \(no usable GPU: "):
        future.result(timeout=30)  # not the scheduler's no-worker state forever
    states = client.run_on_scheduler(_states_of, key=future.key)
    assert "no-worker" in states and "erred" in states and "processing" not in states, states


def test_gpu_steps_annotated_where_built_fail_at_once_on_cpu_workers(cpu_cluster):
    # dask-cuda style: only the step built under dask.annotate asks for a GPU; the rest of the work runs
    import dask

    import gpuscale.array as ga

    _, client, _ = cpu_cluster
    x = ga.ones((20, 20), chunks=10)
    with dask.annotate(resources={"GPU": 1}):
        on_gpu = x.map_blocks(lambda block: block * 2, dtype=x.dtype)
    assert float((x + 1).sum().compute(scheduler=client)) == 800.0  # unannotated: runs on the CPU workers
    with pytest.raises(NoGPUWorkerError, match=r"asks for resources=\{'GPU': 1\}"):
        on_gpu.sum().compute(scheduler=client)


def _transitions(client) -> int:
    return client.run_on_scheduler(lambda dask_scheduler: dask_scheduler.transition_counter)


def test_gpuscale_array_computes_on_the_cluster(cpu_cluster):
    import gpuscale.array as ga

    _, client, _ = cpu_cluster
    before = _transitions(client)
    result = ga.ones((100, 100), chunks=10).compute(scheduler=client)
    assert result.shape == (100, 100) and float(result.sum()) == 10_000.0
    assert _transitions(client) > before  # the tasks ran on the cluster


def test_gpuscale_reduction_computes_on_the_cluster(cpu_cluster):
    import gpuscale.array as ga

    _, client, _ = cpu_cluster
    assert float(ga.ones((100, 100), chunks=10).sum().compute(scheduler=client)) == 10_000.0


def slow_increment(x):
    time.sleep(0.1)
    return x + 1


def test_worker_killed_mid_computation_is_restarted_and_the_answer_is_right(cpu_cluster):
    _, client, _ = cpu_cluster
    pids = client.run(os.getpid)
    futures = client.map(slow_increment, range(40))
    total = client.submit(sum, futures)
    victim_address, victim = sorted(pids.items())[0]
    deadline = time.monotonic() + 30
    while not any(f.done() for f in futures) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not total.done()  # still in the middle of the computation
    os.kill(victim, signal.SIGKILL)
    assert total.result(timeout=60) == sum(range(1, 41))
    client.wait_for_workers(2, timeout=30)
    assert victim not in client.run(os.getpid).values()  # the nanny started a fresh process


# ---------------------------------------------------------------- failures before any worker starts
def _children():
    import psutil

    return [p for p in psutil.Process().children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())]


def test_cpu_fallback_false_raises_without_starting_anything(no_gpu):
    before = len(_children())
    with pytest.raises(NoGPUError, match="cpu_fallback=False"):
        LocalCUDACluster(cpu_fallback=False)
    assert len(_children()) == before


@pytest.mark.parametrize(
    ("options", "option"),
    [({"pre_import": "no_such_module_xyz"}, "pre_import"), ({"protocol": "udp"}, "protocol"),
     ({"memory_limit": "-1GB"}, "memory_limit"), ({"devices": "0"}, "devices")],
)
def test_bad_options_fail_in_the_parent(no_gpu, options, option):
    before = len(_children())
    with pytest.raises(SettingsError, match=f"^{option}: "):
        LocalCUDACluster(**options)
    assert len(_children()) == before


@pytest.mark.parametrize(
    ("options", "option"),
    [({"rmm_pool_size": "17GiB"}, "rmm_pool_size"), ({"devices": "GPU-ffff"}, "devices"),
     ({"n_workers": 3}, "n_workers")],
)
def test_device_checks_fail_in_the_parent(fake_gpus, options, option):
    with pytest.raises(SettingsError, match=f"^{option}: "):
        LocalCUDACluster(**options)


@pytest.mark.parametrize(("options", "message"), [
    ({"devices": "0,0"}, "^devices: device 0 is listed twice"),
    ({"devices": [1, "1"]}, "^devices: device 1 is listed twice"),
    ({"CUDA_VISIBLE_DEVICES": "GPU-bbbb,1"}, r"^CUDA_VISIBLE_DEVICES: device 1 is listed twice \(as 'GPU-bbbb' and '1'\)"),
])
def test_a_gpu_listed_twice_is_refused_before_anything_starts(fake_gpus, options, message):
    # it started two workers on one GPU (the cuda-worker command: one failed later with 'name taken')
    before = len(_children())
    with pytest.raises(SettingsError, match=message):
        LocalCUDACluster(dashboard_address=None, **options)
    assert len(_children()) == before


def test_a_gpu_listed_twice_in_the_environment_is_refused(fake_gpus, monkeypatch):
    from cuda_workers.cluster import plan_cluster
    from cuda_workers.settings import Settings

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1,GPU-bbbb")
    with pytest.raises(SettingsError, match="^CUDA_VISIBLE_DEVICES: device 1 is listed twice"):
        plan_cluster(Settings())


@pytest.mark.parametrize(("devices", "message"), [
    (0, None), (np.int64(1), None), ("", "^CUDA_VISIBLE_DEVICES: '' selects no device"),
    ("3", "^CUDA_VISIBLE_DEVICES: device '3' does not exist"), (2.0, "^CUDA_VISIBLE_DEVICES: expected device"),
])
def test_cuda_visible_devices_keyword_is_named_in_its_errors(fake_gpus, devices, message):
    from cuda_workers.cluster import _settings, plan_cluster

    if message is None:  # one device given as an integer ('int' object is not iterable)
        _, plans = plan_cluster(_settings(None, devices, True, {}))
        assert [p.device.index for p in plans] == [int(devices)]
        return
    with pytest.raises(SettingsError, match=message):
        LocalCUDACluster(CUDA_VISIBLE_DEVICES=devices, dashboard_address=None)


@pytest.mark.parametrize(("options", "option"), [
    ({"death_timeout": "abc"}, "death_timeout"), ({"death_timeout": "-5s"}, "death_timeout"),
    ({"dashboard_address": 8787.5}, "dashboard_address"),
])
def test_bad_timeouts_and_addresses_fail_in_the_parent(no_gpu, options, option):
    before = len(_children())
    with pytest.raises(SettingsError, match=f"^{option}: expected"):
        LocalCUDACluster(n_workers=1, **options)
    assert len(_children()) == before


def test_cuda_visible_devices_selects_gpus(fake_gpus, monkeypatch):
    from cuda_workers.cluster import plan_cluster
    from cuda_workers.settings import Settings

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "GPU-bbbb")
    _, plans = plan_cluster(Settings())
    # named by UUID, the GPU reaches its worker by UUID (dask-cuda passes the user's tokens on), which names it
    assert [p.cuda_visible_devices for p in plans] == ["GPU-bbbbbbbb-0000-0000-0000-000000000000"]
    assert [p.name for p in plans] == ["GPU-bbbbbbbb-0000-0000-0000-000000000000"]
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1,GPU-aaaa")
    _, plans = plan_cluster(Settings())
    assert [p.cuda_visible_devices for p in plans] == ["1,GPU-aaaaaaaa-0000-0000-0000-000000000000",
                                                      "GPU-aaaaaaaa-0000-0000-0000-000000000000,1"]
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "3")
    with pytest.raises(SettingsError, match="^CUDA_VISIBLE_DEVICES: device '3' does not exist"):
        plan_cluster(Settings())
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "-1")  # GPUs hidden: CPU workers, with the reason
    with pytest.warns(CPUFallbackWarning, match="no device selected by '-1'"):
        _, plans = plan_cluster(Settings())
    assert plans and not any(p.has_gpu for p in plans)


def test_device_options_are_ignored_with_a_note_on_cpu(no_gpu):
    from cuda_workers.cluster import plan_cluster
    from cuda_workers.settings import Settings

    with pytest.warns(CPUFallbackWarning, match=r"ignoring device options \['device_memory_limit', 'rmm_pool_size'\]"):
        _, plans = plan_cluster(Settings(rmm_pool_size="1GB", device_memory_limit=0.5))
    assert plans and not any(p.has_gpu for p in plans)


# ---------------------------------------------------------------- UCX on CPU, for real
@pytest.mark.timeout(450)
def test_ucx_cluster_moves_numpy_data_between_cpu_workers(no_gpu, own_process):
    if own_process:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CPUFallbackWarning)
        cluster = LocalCUDACluster(protocol="ucx", n_workers=2, dashboard_address=None)
    with cluster, Client(cluster) as client:
        workers = sorted(client.scheduler_info(n_workers=-1)["workers"])
        assert cluster.scheduler_address.startswith("ucx://127.0.0.1:")
        assert len(workers) == 2 and all(w.startswith("ucx://127.0.0.1:") for w in workers)
        x = client.submit(np.random.default_rng(0).random, 500_000, workers=[workers[0]])
        y = client.submit(np.sort, x, workers=[workers[1]])
        np.testing.assert_array_equal(y.result(), np.sort(np.random.default_rng(0).random(500_000)))
        tls = client.run(lambda: __import__("dask").config.get("distributed-ucxx.environment"))
        assert all(env["tls"] == "tcp,self,sm" for env in tls.values())  # never cuda* on CPU


@pytest.mark.timeout(450)
def test_asynchronous_cluster_over_ucx(no_gpu, own_process):
    if own_process:
        return

    async def run():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", CPUFallbackWarning)
            cluster = LocalCUDACluster(n_workers=1, protocol="ucx", asynchronous=True, dashboard_address=None)
        async with cluster, Client(cluster, asynchronous=True) as client:
            assert cluster.scheduler_address.startswith("ucx://127.0.0.1:")
            return await client.submit(sum, [1, 2]), cluster.local_directory

    result, directory = asyncio.run(run())
    assert result == 3 and not os.path.exists(directory)


def test_scale_and_close_removes_the_private_directory(no_gpu):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CPUFallbackWarning)
        cluster = LocalCUDACluster(n_workers=1, dashboard_address=None)
    directory = cluster.local_directory
    with cluster, Client(cluster) as client:
        assert client.submit(sum, [1, 2]).result() == 3
        assert os.path.isdir(directory)
        cluster.scale(2)  # CPU clusters can grow; GPU clusters stop at one worker per GPU
        client.wait_for_workers(2, timeout=60)
        assert sorted(w["name"] for w in client.scheduler_info(n_workers=-1)["workers"].values()) == ["cpu-0", "cpu-1"]
    assert not os.path.exists(directory)


# ---------------------------------------------------------------- TLS through distributed's security=
@pytest.fixture
def tls_security(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    from distributed import Security

    files = {f"tls_{role}_{kind}": str(path) for role in ("client", "scheduler", "worker")
             for kind, path in (("cert", cert), ("key", key))}
    return Security(tls_ca_file=str(cert), require_encryption=True, **files)


def test_tls_cluster_encrypts_every_connection(no_gpu, tls_security):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", CPUFallbackWarning)
        cluster = LocalCUDACluster(protocol="tls", security=tls_security, n_workers=1, dashboard_address=None)
    with cluster, Client(cluster, security=tls_security) as client:
        assert cluster.scheduler_address.startswith("tls://127.0.0.1:")
        assert all(a.startswith("tls://") for a in client.scheduler_info()["workers"])
        assert client.submit(sum, [1, 2]).result() == 3
