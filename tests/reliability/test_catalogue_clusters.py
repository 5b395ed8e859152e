"""Reliability catalogue (docs/reliability.md), clusters: LocalCUDACluster options that cannot work on this machine
and a closed client. Each test holds one catalogue entry."""

from __future__ import annotations

import os
import warnings

import psutil
import pytest

pytest.importorskip("distributed")

from cuda_workers import LocalCUDACluster  # noqa: E402
from cuda_workers.settings import Settings, SettingsError  # noqa: E402

pytestmark = pytest.mark.timeout(120)


def _children() -> list:
    return [p for p in psutil.Process().children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())]


@pytest.fixture
def no_nvml(monkeypatch):
    """This machine as it is (no NVML, no GPU), without the suite's fake NVML."""
    monkeypatch.delenv("CUDA_WORKERS_FAKE_NVML", raising=False)
    from cuda_workers import devices

    if devices.discover().devices:
        pytest.skip("GPUs are visible here")


def test_unknown_keyword(no_nvml):
    before = len(_children())
    with pytest.raises(TypeError, match="unexpected keyword argument 'bogus'"):
        LocalCUDACluster(bogus=1)
    assert len(_children()) == before


@pytest.mark.parametrize(("options", "message"), [
    ({"n_workers": -1}, "n_workers: must be a positive integer or None; got -1"),
    ({"memory_limit": "lots"}, r"memory_limit: cannot read 'lots' as a size \(e.g. '4GB', '80%'\)"),
    ({"device_memory_limit": 2.5}, r"device_memory_limit: expected a fraction in \(0, 1\] or a whole number of bytes"),
], ids=["n_workers-negative", "memory_limit-lots", "device_memory_limit-2.5"])
def test_bad_option_fails_before_any_process_starts(no_nvml, options, message):
    before = len(_children())
    with pytest.raises(SettingsError, match=message):
        LocalCUDACluster(**options)
    assert len(_children()) == before


def test_local_directory_below_a_file(no_nvml, tmp_path):
    (tmp_path / "file").write_text("x")
    before = len(_children())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from cuda_workers.settings import SettingsError

        with pytest.raises(SettingsError, match=r"local_directory: cannot create a folder in .*file/sub"):
            LocalCUDACluster(n_workers=1, local_directory=str(tmp_path / "file" / "sub"), dashboard_address=None)
    assert len(_children()) == before


@pytest.mark.parametrize("visible", ["5", "GPU-ffff", "-1"])
def test_cuda_visible_devices_naming_no_device_without_a_driver(no_nvml, monkeypatch, visible):
    # with a driver (fake NVML) a missing id is a SettingsError naming CUDA_VISIBLE_DEVICES
    # (tests/cuda_workers/test_cw_cluster.py::test_cuda_visible_devices_selects_gpus)
    from cuda_workers.cluster import CPUFallbackWarning, plan_cluster

    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", visible)
    with pytest.warns(CPUFallbackWarning, match=r"No usable GPU \(NVML is not available"):
        _, plans = plan_cluster(Settings())
    assert plans and not any(plan.has_gpu for plan in plans)


def test_compute_on_a_closed_client():
    from distributed import Client
    from distributed.client import ClosedClientError

    import gpuscale.array as ga

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        client = Client(processes=False, n_workers=1, threads_per_worker=1, dashboard_address=None)
    x = ga.ones((4,), chunks=2).sum()
    assert float(x.compute(scheduler=client)) == 4.0
    client.close()
    with pytest.raises(ClosedClientError, match="Client is closed"):
        x.compute(scheduler=client)
    assert not os.environ.get("GPUSCALE_SCHEDULER")


def test_gpu_annotated_task_on_a_cpu_fallback_cluster_runs_or_fails(no_nvml):
    from distributed import Client
    from distributed.client import FutureCancelledError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCUDACluster(n_workers=1, dashboard_address=None)
    with cluster, Client(cluster) as client:
        future = client.submit(os.getpid, resources={"GPU": 1}, pure=False)
        try:
            future.result(timeout=5)  # runs on the CPU worker, or
        except (TimeoutError, FutureCancelledError):  # before: waited in the scheduler's no-worker state forever
            future.cancel()
            raise
        except Exception as error:  # a clear error that no worker has a GPU
            assert "runs CPU workers only (no usable GPU: " in str(error), error
        assert client.submit(sum, [1, 2]).result(timeout=30) == 3  # the cluster still works
