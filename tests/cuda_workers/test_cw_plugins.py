"""Per-worker plugins, run in-process against recording stand-ins for RMM and cuDF."""

from __future__ import annotations

import logging
import os
import sys
import types

import pytest

from cuda_workers import devices, plugins
from cuda_workers.settings import Settings
from cuda_workers.spec import Machine, plan_cpu_workers, plan_workers

GiB = 2**30


class Recorder:
    """Records calls made on any attribute path, e.g. ``rmm.mr.set_current_device_resource``."""

    def __init__(self, calls, path="rmm"):
        self._calls, self._path = calls, path

    def __getattr__(self, name):
        return Recorder(self._calls, f"{self._path}.{name}")

    def __call__(self, *args, **kwargs):
        self._calls.append((self._path, args, kwargs))
        return f"<{self._path}>"


@pytest.fixture
def rmm_calls(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "rmm", Recorder(calls))
    return calls


def test_rmm_pool_sizes_are_aligned_and_passed(rmm_calls):
    plugins.RMMSetup(pool_size=GiB + 100, maximum_pool_size=2 * GiB).setup()
    assert rmm_calls == [("rmm.reinitialize", (), {"pool_allocator": True, "managed_memory": False,
                                                   "initial_pool_size": GiB, "maximum_pool_size": 2 * GiB})]


def test_rmm_managed_memory_without_pool(rmm_calls):
    plugins.RMMSetup(managed_memory=True).setup()
    assert rmm_calls[0][2]["managed_memory"] is True and rmm_calls[0][2]["pool_allocator"] is False


def test_rmm_async_with_limit_and_release_threshold(rmm_calls):
    plugins.RMMSetup(use_async=True, pool_size=GiB, maximum_pool_size=4 * GiB, release_threshold=GiB).setup()
    names = [call[0] for call in rmm_calls]
    assert names == ["rmm.mr.CudaAsyncMemoryResource", "rmm.mr.LimitingResourceAdaptor",
                     "rmm.mr.set_current_device_resource"]
    assert rmm_calls[0][2] == {"initial_pool_size": GiB, "release_threshold": GiB}
    assert rmm_calls[1][2] == {"allocation_limit": 4 * GiB}


def test_rmm_async_pool_exports_ipc_handles_for_ucx_nvlink(rmm_calls):
    gpu = devices.Device(0, "GPU-0", "Fake", 16 * GiB)
    for protocol, nvlink, expected in [("ucx", None, True), ("ucx", True, True), ("ucx", False, False), ("tcp", None, False)]:
        settings = Settings(rmm_async=True, protocol=protocol, enable_nvlink=nvlink)
        plan = plan_workers(settings, [gpu], Machine(2, 8 * GiB))[0]
        rmm_calls.clear()
        next(p for p in plugins.for_plan(plan, settings) if isinstance(p, plugins.RMMSetup)).setup()
        assert rmm_calls[0][2].get("enable_ipc", False) is expected


def test_rmm_logging_writes_one_file_per_worker(rmm_calls, tmp_path):
    worker = types.SimpleNamespace(name="gpu-3")
    plugins.RMMSetup(pool_size=GiB, log_directory=str(tmp_path / "logs")).setup(worker)
    assert rmm_calls[-1] == ("rmm.enable_logging", (), {"log_file_name": str(tmp_path / "logs" / "rmm-log-gpu-3.txt")})


def test_cudf_spill_sets_cudf_options(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "cudf", Recorder(calls, "cudf"))
    plugins.CudfSpill(True).setup()  # dask-cuda's default: no statistics
    plugins.CudfSpill(True, 2).setup()
    assert calls == [("cudf.set_option", ("spill", True), {}), ("cudf.set_option", ("spill_stats", 0), {}),
                     ("cudf.set_option", ("spill", True), {}), ("cudf.set_option", ("spill_stats", 2), {})]


def test_cpu_affinity_pins_and_warns_instead_of_failing(caplog):
    original = os.sched_getaffinity(0)
    try:
        plugins.CPUAffinity([min(original)]).setup()
        assert os.sched_getaffinity(0) == {min(original)}
    finally:
        os.sched_setaffinity(0, original)
    with caplog.at_level(logging.WARNING, logger="distributed.worker"):
        plugins.CPUAffinity([100_000]).setup()  # no such core
    assert "not applied" in caplog.text
    assert os.sched_getaffinity(0) == original


def test_pre_import_imports_modules():
    sys.modules.pop("colorsys", None)
    plugins.PreImport(["colorsys"]).setup()
    assert "colorsys" in sys.modules


def test_plugins_for_a_gpu_worker_in_set_up_order(cudf_installed):
    gpu = devices.Device(0, "GPU-0", "Fake", 16 * GiB, cpu_affinity=(0, 1))
    settings = Settings(rmm_pool_size="1GiB", enable_cudf_spill=True, pre_import="json")
    plan = plan_workers(settings, [gpu], Machine(2, 8 * GiB))[0]
    chosen = plugins.for_plan(plan, settings)
    assert [type(p).__name__ for p in chosen] == ["CPUAffinity", "RMMSetup", "LibraryAllocators", "CudfSpill", "PreImport"]
    assert chosen[1].pool_size == GiB
    assert len({p.name for p in chosen}) == len(chosen)


def test_cpu_workers_get_no_device_plugins():
    settings = Settings(rmm_pool_size="1GiB", pre_import="json")
    plan = plan_cpu_workers(settings, Machine(2, 8 * GiB))[0]
    assert [type(p).__name__ for p in plugins.for_plan(plan, settings)] == ["PreImport"]
