"""Options at their edges, refused or read in the parent as dask-cuda / LocalCluster read them: the user's resources,
a memory limit above the machine's memory, an empty local_directory, NumPy counts, a security that is no Security,
interface with host, and a worker_class that is no Worker or Nanny."""

from __future__ import annotations

import subprocess
import sys

import dask
import numpy as np
import pytest
from conftest import TWO_GPUS, use_fake_gpus
from distributed import Client, Security
from distributed.system import MEMORY_LIMIT

from cuda_workers import Device, LocalCUDACluster, SettingsError
from cuda_workers.cluster import private_folder
from cuda_workers.settings import Settings
from cuda_workers.spec import Machine, apply_worker_overrides, plan_workers, worker_spec
from cuda_workers.spill import make_store

pytestmark = pytest.mark.timeout(120)
GiB = 2**30
GPU = Device(0, "GPU-0", "Fake", 16 * GiB)


def _gpu_spec(settings: Settings, machine: Machine = Machine(2, 8 * GiB)) -> dict:
    return worker_spec(plan_workers(settings, [GPU], machine)[0], settings, "/tmp")


def test_the_users_resources_win_over_the_gpu_default():
    """``--resources "GPU=2 MEM=10e9"`` became GPU=1: the built-in amount overwrote the user's."""
    spec = _gpu_spec(Settings())
    apply_worker_overrides(spec, resources={"GPU": 2.0, "MEM": 1e10})
    assert spec["options"]["resources"] == {"GPU": 2.0, "MEM": 1e10}
    spec = _gpu_spec(Settings())
    apply_worker_overrides(spec, resources={"MEM": 1e10})
    assert spec["options"]["resources"] == {"GPU": 1, "MEM": 1e10}


def test_a_memory_limit_above_the_machine_is_capped_for_worker_and_store(caplog):
    """The worker capped its own limit but the store's host tier was sized from 100 TB (it never spilled)."""
    settings = Settings(memory_limit="100TB")
    with caplog.at_level("WARNING", logger="distributed.worker_memory"):
        spec = _gpu_spec(settings, Machine(2, 8 * GiB))
    assert spec["options"]["memory_limit"] == 8 * GiB
    assert spec["options"]["data"][1]["memory_limit"] == 8 * GiB
    assert "Ignoring provided memory limit" in caplog.text
    assert _gpu_spec(Settings(memory_limit="4GiB"))["options"]["memory_limit"] == 4 * GiB  # below: as given


def test_the_store_caps_a_memory_limit_above_the_machine(tmp_path):
    target = dask.config.get("distributed.worker.memory.target")
    store = make_store(str(tmp_path), GiB, 10**14)
    try:
        assert store.host.n == MEMORY_LIMIT * target
    finally:
        store.close()


def test_an_empty_local_directory_is_the_default(tmp_path):
    """``local_directory=""`` failed with a bare FileNotFoundError from os.makedirs."""
    assert Settings(local_directory="").local_directory is None
    with dask.config.set({"temporary-directory": str(tmp_path)}):
        folder = private_folder("")
    try:
        assert folder.path.startswith(str(tmp_path))
    finally:
        folder.close()


def test_numpy_integers_are_counts():
    settings = Settings(n_workers=np.int64(2), threads_per_worker=np.int32(3))
    assert (settings.n_workers, settings.threads_per_worker) == (2, 3)
    assert type(settings.n_workers) is int
    for bad in (np.int64(0), True, np.bool_(True), 1.0):
        with pytest.raises(SettingsError, match="n_workers: must be a positive integer"):
            Settings(n_workers=bad)


def test_security_must_be_a_security_object():
    """``protocol="tls", security=True`` passed the checks and the cluster failed with an empty message."""
    for value in ("tls", {"tls_ca_file": "ca.pem"}, 1):
        with pytest.raises(SettingsError, match="security: expected a distributed.Security"):
            Settings(protocol="tls", security=value)
    assert isinstance(Settings(security=Security()).security, Security)
    assert Settings(security=False).security is None


def test_security_true_makes_temporary_certificates_as_local_cluster():
    import importlib.util

    if importlib.util.find_spec("cryptography") is None:  # (Security.temporary needs it)
        with pytest.raises(SettingsError, match="security: True makes temporary TLS certificates, which needs "
                                                "the 'cryptography' package"):
            Settings(protocol="tls", security=True)
    else:
        assert isinstance(Settings(protocol="tls", security=True).security, Security)
    with pytest.raises(SettingsError, match="security: protocol='tls' needs security="):
        Settings(protocol="tls")


def test_interface_and_host_together_are_refused():
    with pytest.raises(SettingsError, match=r"host: cannot be given together with interface \(host='127.0.0.2', "
                                            r"interface='lo'\)"):
        Settings(interface="lo", host="127.0.0.2")
    assert Settings(interface="lo").host is None and Settings(host="127.0.0.2").interface is None


def test_cuda_worker_refuses_interface_with_host_before_connecting():
    """It connected (or waited the connect timeout for an unreachable scheduler) and never named the conflict."""
    process = subprocess.run([sys.executable, "-m", "cuda_workers.cli", "tcp://127.0.0.1:1", "--interface", "lo",
                              "--host", "127.0.0.2"], capture_output=True, text=True, timeout=60)
    assert process.returncode == 2, process.stderr
    assert "host: cannot be given together with interface" in process.stderr and "Traceback" not in process.stderr


def test_a_worker_class_that_is_no_worker_is_refused(monkeypatch):
    """``worker_class=dict`` passed validation and failed in the worker process."""
    for value in (dict, "collections.OrderedDict", object()):
        with pytest.raises(SettingsError, match=r"worker_class: expected a Worker or Nanny class \(a subclass of distributed.Worker or distributed.Nanny\)"):
            apply_worker_overrides(_gpu_spec(Settings()), worker_class=value)
    use_fake_gpus(monkeypatch, TWO_GPUS)
    with pytest.raises(SettingsError, match="worker_class"):
        LocalCUDACluster(CUDA_VISIBLE_DEVICES="0", worker_class=dict, dashboard_address=None)


def test_a_cluster_with_a_huge_limit_and_empty_directory(monkeypatch, tmp_path):
    """Real workers: the worker's limit and its store's host tier agree, the folder is under temporary-directory."""
    use_fake_gpus(monkeypatch, TWO_GPUS)
    target = dask.config.get("distributed.worker.memory.target")
    with dask.config.set({"temporary-directory": str(tmp_path)}), \
            LocalCUDACluster(CUDA_VISIBLE_DEVICES="0", memory_limit="100TB", local_directory="",
                             dashboard_address=None) as cluster, Client(cluster) as client:
        assert cluster.local_directory.startswith(str(tmp_path))
        limits = client.run(lambda dask_worker: (dask_worker.memory_manager.memory_limit, dask_worker.data.host.n))
        assert list(limits.values()) == [(MEMORY_LIMIT, MEMORY_LIMIT * target)]
