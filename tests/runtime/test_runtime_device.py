"""The device-aware local runtime, proven with a simulated device: array-api-strict arrays on its ``device1``.

No GPU is used: strict ``device1`` arrays stand in for CuPy arrays (they refuse implicit
host conversion as CuPy does), ``device.memory_limit`` is a few MB, and RMM / NVML are
faked where a test needs them.
"""

from __future__ import annotations

import functools
import pickle
import subprocess
import sys
import threading
import time
import types

import numpy as np
import pytest

import gpuscale
from gpuscale.backends import convert
from gpuscale.backends import device_memory as dm
from gpuscale.runtime import DeviceStats, device_stats, get

xps = pytest.importorskip("array_api_strict")
DEVICE = xps.Device("device1")
MB = 1_000_000
LIMIT = 4 * MB


def on_device(values):
    return xps.asarray(np.asarray(values, dtype="f8"), device=DEVICE)


def block(i, n=MB // 8):
    return on_device(np.full(n, float(i)))  # 1 MB on the simulated device


def host_total(x):
    """The sum of a device array, read without going through (and counting in) ``convert``."""
    return float(np.asarray(xps.asarray(x, device=xps.Device("CPU_DEVICE"), copy=True)).sum())


def device_options(**options):
    values = {"device.memory_limit": LIMIT, "device.tasks": 2}
    values.update({f"device.{name}": value for name, value in options.items()})
    return gpuscale.config.set(**values)


@pytest.fixture(autouse=True)
def fresh_counts():
    convert.reset_copy_counts()
    yield


# --- the backends helper ------------------------------------------------------------------------------------


def test_device_values_are_recognised_and_sized():
    x = block(1, 1000)
    assert dm.device_library(x) == "array_api_strict" and dm.device_nbytes(x) == 8000
    assert dm.device_library(xps.ones(3)) is None  # strict arrays on its CPU device are host data
    assert dm.device_library(np.ones(3)) is None and dm.device_nbytes(np.ones(3)) == 0
    assert dm.is_device_value((1, [x])) and dm.is_device_value({"a": {"b": x}})
    assert not dm.is_device_value((1, [np.ones(3)])) and not dm.is_device_value({"a": 1})
    # a container's device bytes: its distinct device objects, at any depth
    assert dm.device_nbytes((x, x, [block(2, 500)], {"h": np.ones(100)})) == 8000 + 4000


def test_moving_to_host_and_back_keeps_values_library_and_structure():
    x, y = block(1, 1000), block(2, 10)
    value = (x, [y, "label"], {"x": x, "n": 3})
    copy = dm.move_to_host(value)
    assert convert.copy_counts["to_host"] == 2  # x (held twice) is copied once
    assert copy.device_bytes == 8080 and copy.nbytes == 8080
    copy = pickle.loads(pickle.dumps(copy))  # what the host tier writes to disk
    back = dm.move_to_device(copy)
    assert convert.copy_counts["to_device"] == 2
    assert type(back) is tuple and type(back[1]) is list and back[1][1] == "label" and back[2]["n"] == 3
    assert back[0] is back[2]["x"] and back[0].device == DEVICE and back[1][0].device == DEVICE
    assert host_total(back[0]) == 1000.0 and host_total(back[1][0]) == 20.0


def test_memory_limit_and_target_sizes_from_the_device_memory(monkeypatch):
    GiB = 2**30
    assert dm.resolve_memory_limit(LIMIT, total=None) == LIMIT
    assert dm.resolve_memory_limit(None, total=10 * GiB) == 8 * GiB  # None: 80% of the device
    assert dm.resolve_memory_limit(0.5, total=10 * GiB) == 5 * GiB
    monkeypatch.setattr(dm, "device_memory_total", lambda: None)
    assert dm.resolve_memory_limit(None) is None and dm.resolve_memory_limit(0.5) is None  # no GPU: no limit
    assert dm.default_gpu_target_bytes() == GiB  # the fixed default without a GPU
    assert dm.default_gpu_target_bytes(80 * GiB) == GiB  # 1/16 of 80 GiB, clamped
    assert dm.default_gpu_target_bytes(8 * GiB) == GiB // 2
    assert dm.default_gpu_target_bytes(512 * 2**20) == 64 * 2**20
    monkeypatch.setattr(dm, "device_memory_total", lambda: 4 * GiB)
    assert dm.gpu_target_bytes("array.chunk_bytes.gpu") == 256 * 2**20
    with gpuscale.config.set(**{"dataframe.partition_bytes.gpu": "100MiB"}):  # explicit wins
        assert dm.gpu_target_bytes("dataframe.partition_bytes.gpu") == 100 * 2**20
    monkeypatch.setenv("GPUSCALE_ARRAY_CHUNK_BYTES_GPU", "32MiB")
    assert dm.gpu_target_bytes("array.chunk_bytes.gpu") == 32 * 2**20


def fake_nvml(monkeypatch, memories, mig=None):
    """Patch the pynvml functions device_memory_total asks (a GPU per entry of ``memories``)."""
    import pynvml

    class Handle:
        def __init__(self, index, memory):
            self.index, self.memory = index, memory

    def mig_mode(handle):
        raise pynvml.NVMLError(pynvml.NVML_ERROR_NOT_SUPPORTED)

    patches = {
        "nvmlInit": lambda: None, "nvmlShutdown": lambda: None,
        "nvmlDeviceGetCount": lambda: len(memories),
        "nvmlDeviceGetHandleByIndex": lambda i: Handle(i, memories[i]),
        "nvmlDeviceGetUUID": lambda h: f"GPU-{h.index:08d}",
        "nvmlDeviceGetMigMode": mig_mode,
        "nvmlDeviceGetMemoryInfo": lambda h: types.SimpleNamespace(total=h.memory, free=h.memory, used=0),
    }
    for name, function in patches.items():
        monkeypatch.setattr(pynvml, name, function)
    dm.device_memory_total.cache_clear()


def test_device_memory_total_asks_nvml_for_the_first_visible_gpu(monkeypatch):
    pytest.importorskip("pynvml")
    fake_nvml(monkeypatch, [16 * 2**30, 8 * 2**30])
    try:
        monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
        assert dm.device_memory_total() == 16 * 2**30
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1,0")
        assert dm.device_memory_total() == 8 * 2**30
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
        assert dm.device_memory_total() is None
        monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
        assert dm.default_gpu_target_bytes() == 512 * 2**20
        assert dm.resolve_memory_limit(0.25) == 2 * 2**30
    finally:
        monkeypatch.undo()
        dm.device_memory_total.cache_clear()


# --- options --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("80%", 0.8), ("100%", 1.0), (0.5, 0.5), ("0.25", 0.25), ("4MB", 4 * MB), (4e6, 4 * MB), (0, 0), (None, None),
])
def test_device_memory_limit_values(value, expected):
    assert gpuscale.config.check("device.memory_limit", value) == expected


@pytest.mark.parametrize("value", ["150%", "0%", "lots", -1, 1.5, True])
def test_bad_device_memory_limit_names_the_option(value):
    with pytest.raises(ValueError, match=r"option device.memory_limit=.*percentage"):
        gpuscale.config.set(**{"device.memory_limit": value})


def test_device_tasks_values(monkeypatch):
    assert gpuscale.config.get("device.tasks") == 2
    assert gpuscale.config.check("device.tasks", "4") == 4 and gpuscale.config.check("device.tasks", None) is None
    with pytest.raises(ValueError, match="option device.tasks=0 .*positive integer"):
        gpuscale.config.set(**{"device.tasks": 0})
    monkeypatch.setenv("GPUSCALE_DEVICE_TASKS", "3")
    assert gpuscale.config.get("device.tasks") == 3


# --- (a)-(d): a computation larger than the simulated device ---------------------------------------------------


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_array_computation_larger_than_the_device_stays_within_its_limit(scheduler):
    import gpuscale.array as ga

    data = np.arange(2000 * 2000, dtype="f8").reshape(2000, 2000) % 7
    with device_options(), device_stats() as runs:
        x = ga.asarray(data, chunks=250, backend="array_api_strict")  # 64 chunks of 0.5 MB: 32 MB in all
        y = ga.sum(x - ga.mean(x, axis=0) + x.T * 2)  # every block waits for the column means
        result = y.compute(scheduler=scheduler, num_workers=4)
    expected = float((data - data.mean(axis=0) + data.T * 2).sum())
    assert result.device == DEVICE
    assert host_total(result) == pytest.approx(expected)  # (a) right
    (stats,) = runs
    assert stats.memory_limit == LIMIT
    assert 0 < stats.peak_device_bytes <= LIMIT  # (b) the accounted device bytes stayed under the limit
    assert stats.moved_to_host > 0 and stats.moved_to_device > 0  # ... because results moved to host and back
    assert convert.copy_counts["to_host"] >= stats.moved_to_host  # through convert.to_host, counted
    if scheduler == "threads":
        assert stats.device_tasks > 0 and 1 <= stats.peak_device_tasks <= 2  # (c)


def test_without_a_device_limit_nothing_moves():
    import gpuscale.array as ga

    with gpuscale.config.set(**{"device.memory_limit": None}), device_stats() as runs:
        x = ga.ones((1000, 1000), chunks=250, backend="array_api_strict")
        result = ga.sum(x + 1).compute(scheduler="threads")
    assert convert.copy_counts["to_host"] == 0
    assert host_total(result) == 2e6
    (stats,) = runs  # no GPU here, so no limit; device.tasks still bounds the tasks
    assert stats.memory_limit is None and stats.moved_to_host == 0 and stats.peak_device_bytes > 0


class Concurrency:
    """Counts how many instrumented tasks run at once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.now = self.peak = 0

    def run(self, func, *args, pause=0.02):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        try:
            time.sleep(pause)
            return func(*args)
        finally:
            with self.lock:
                self.now -= 1


@pytest.mark.parametrize("tasks", [1, 2, 3])
def test_at_most_device_tasks_device_tasks_run_at_once(tasks):
    creating, consuming = Concurrency(), Concurrency()
    graph = {("x", i): (creating.run, block, i, 1000) for i in range(12)}  # produce device data
    graph |= {("y", i): (consuming.run, host_total, ("x", i)) for i in range(12)}  # consume it, return floats
    graph["total"] = (sum, [("y", i) for i in range(12)])
    with device_options(tasks=tasks), device_stats() as runs:
        assert get(graph, "total", num_workers=6) == 1000 * sum(range(12))
    assert creating.peak <= tasks and consuming.peak <= tasks  # (c) measured by the tasks themselves
    # 24 device tasks, and the final sum: its group is not known to produce host data until it has run once
    assert runs[0].peak_device_tasks <= tasks and runs[0].device_tasks == 25
    if tasks == 3:
        assert max(creating.peak, consuming.peak) > 2  # the option, not something else, is the bound


def test_host_tasks_keep_every_thread():
    host = Concurrency()
    graph = {("h", i): (functools.partial(host.run, pause=0.05), float, i) for i in range(8)}
    graph["total"] = (sum, [("h", i) for i in range(8)])
    with device_options(tasks=1), device_stats() as runs:
        assert get(graph, "total", num_workers=4) == sum(range(8))
    assert host.peak > 1  # after the first host result the group runs unlimited
    assert runs[0].device_tasks < 8


def test_containers_of_device_arrays_are_counted_and_moved():
    def pair(i):
        return (block(i, 2 * MB // 8 // 2), {"same": block(i, 2 * MB // 8 // 2)})  # 2 MB in a container

    graph = {("p", i): (pair, i) for i in range(6)}
    graph["total"] = (lambda *pairs: sum(host_total(a) + host_total(d["same"]) for a, d in pairs),
                      *[("p", i) for i in range(6)])
    graph["types"] = (lambda *pairs: {(type(p).__name__, p[0].device == DEVICE) for p in pairs},
                      *[("p", i) for i in range(6)])
    with device_options(), device_stats() as runs:
        total, kinds = get(graph, ["total", "types"], scheduler="sync")
    assert total == 2 * (MB // 8) * sum(range(6)) and kinds == {("tuple", True)}
    (stats,) = runs
    assert stats.peak_device_bytes == 4 * MB  # (d) two containers of 2 MB counted, the others on the host
    assert stats.moved_to_host >= 4 and stats.moved_to_host_bytes == 2 * MB * stats.moved_to_host
    assert convert.copy_counts["to_host"] == 2 * stats.moved_to_host  # each container: its two arrays


def test_device_results_go_to_disk_under_the_host_memory_limit(tmp_path):
    graph = {("x", i): (block, i) for i in range(10)}
    graph["probe"] = (lambda *xs: len(list(tmp_path.glob("gpuscale-spill-*/*"))), *[("x", i) for i in range(10)])
    graph["total"] = (lambda probe, *xs: sum(host_total(x) for x in xs), "probe", *[("x", i) for i in range(10)])
    with device_options(), device_stats() as runs:
        files, total = get(graph, ["probe", "total"], scheduler="sync", memory_limit="2.5MB",
                           spill_dir=str(tmp_path))
    assert total == (MB // 8) * sum(range(10))
    assert files >= 3  # 10 MB of results: 4 on the device, 2 in host memory, the rest on disk
    assert runs[0].peak_device_bytes <= LIMIT and list(tmp_path.iterdir()) == []


def test_requested_device_outputs_come_back_on_the_device_without_extra_moves():
    graph = {("x", i): (block, i, 1000 * MB // 8 // 1000) for i in range(8)}  # 8 x 1 MB outputs
    with device_options(), device_stats() as runs:
        outputs = get(graph, [("x", i) for i in range(8)], scheduler="sync")
    assert [o.device for o in outputs] == [DEVICE] * 8
    assert [host_total(o) for o in outputs] == [(MB // 8) * i for i in range(8)]
    (stats,) = runs
    assert stats.moved_to_host == 4 and stats.moved_to_device == 4  # each moved output copied back once


def test_rmm_statistics_above_the_limit_move_results_to_host(monkeypatch):
    held = {"bytes": 0}

    class Statistics:
        @staticmethod
        def get_statistics():  # RMM sees every device byte allocated, plus 3 MB of other allocations
            return types.SimpleNamespace(current_bytes=held["bytes"] + 3 * MB)

    def tracked(i):
        held["bytes"] += MB
        return block(i)

    monkeypatch.setitem(sys.modules, "rmm", types.SimpleNamespace(statistics=Statistics))
    graph = {("x", i): (tracked, i) for i in range(3)}
    graph["total"] = (lambda *xs: sum(host_total(x) for x in xs), *[("x", i) for i in range(3)])
    with device_options(), device_stats() as runs:
        assert get(graph, "total", scheduler="sync") == (MB // 8) * 3
    (stats,) = runs
    assert stats.peak_rmm_bytes == 6 * MB
    assert stats.moved_to_host >= 2  # 3 MB of results fit the 4 MB limit, but RMM reports 6 MB in use


def test_a_failing_task_is_reported_and_the_device_results_dropped():
    def fail(x):
        raise ValueError("device task failed")

    graph = {("x", i): (block, i) for i in range(4)}
    graph |= {("y", i): (fail if i == 2 else host_total, ("x", i)) for i in range(4)}
    graph["total"] = (sum, [("y", i) for i in range(4)])
    with device_options(), pytest.raises(ValueError, match="device task failed") as info:
        get(graph, "total", num_workers=2)
    assert any("('y', 2)" in note for note in info.value.__notes__)


def test_stats_are_collected_only_inside_the_block():
    graph = {"x": (block, 1, 10), "y": (host_total, "x")}
    with device_options():
        get(graph, "y")
        with device_stats() as outer:
            get(graph, "y")
            with device_stats() as inner:
                get(graph, "y")
    assert len(outer) == 2 and len(inner) == 1 and all(isinstance(s, DeviceStats) for s in outer)


def test_unbounded_options_take_the_plain_path():
    with gpuscale.config.set(**{"device.tasks": None, "device.memory_limit": None}), device_stats() as runs:
        assert get({"x": (block, 1, 10), "y": (host_total, "x")}, "y") == 10.0
    assert runs == []  # no GPU here: nothing to bound


def test_a_cpu_only_process_never_loads_the_device_path():
    code = ("import sys, gpuscale, gpuscale.runtime as rt; "
            "assert rt.get({'a': 1, 'b': (sum, ['a', 'a'])}, 'b') == 2; "
            "import gpuscale.array as ga, numpy as np; "
            "assert float(ga.sum(ga.ones((100, 100), chunks=50, backend='numpy')).compute()) == 1e4; "
            "print(sorted(m for m in ('gpuscale.backends.device_memory', 'zict', 'array_api_strict') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_cudf_partitions_are_sized_moved_and_rebuilt(monkeypatch):
    """cuDF partitions, through the strict cuDF stand-in (pandas inside, cuDF's API and type names)."""
    import pandas as pd
    import strict_cudf

    import gpuscale.dataframe as gd

    cudf = strict_cudf.install(monkeypatch)
    n = 400_000
    pdf = pd.DataFrame({"k": np.arange(n) % 13, "x": np.arange(n, dtype="f8"), "y": np.ones(n)})
    part = cudf.from_pandas(pdf.iloc[:1000])
    assert dm.device_library(part) == "cudf"
    assert dm.device_nbytes(part) == pdf.iloc[:1000].memory_usage(deep=True).sum()
    with gpuscale.config.set(backend="cudf", **{"device.memory_limit": "2MB"}), device_stats() as runs:
        df = gd.from_pandas(pdf, npartitions=16)
        kept = df.assign(z=df.x * 2 + df.y).persist(scheduler="threads")  # 16 partitions of 0.7 MB: 11 MB
        result = kept.groupby("k").z.sum().compute()
    assert type(result).__module__.startswith("cudf")
    expected = (pdf.x * 2 + pdf.y).groupby(pdf.k).sum()
    pd.testing.assert_series_equal(result.to_pandas().sort_index(), expected.sort_index(), check_names=False)
    persist_run = runs[0]
    assert persist_run.peak_device_bytes <= 2 * MB and persist_run.moved_to_host >= 10
    assert persist_run.moved_to_device == persist_run.moved_to_host  # the persisted partitions are cuDF again


def test_after_a_failure_tasks_waiting_for_a_device_slot_do_not_start():
    started = []

    def task(i):
        started.append(i)
        time.sleep(0.05)
        if len(started) == 1:
            raise RuntimeError("first device task failed")
        return block(i, 10)

    graph = {("t", i): (task, i) for i in range(6)}
    graph["all"] = (list, [("t", i) for i in range(6)])
    began = time.perf_counter()
    with device_options(tasks=1), pytest.raises(RuntimeError, match="first device task failed"):
        get(graph, "all", num_workers=6)
    assert len(started) <= 2 and time.perf_counter() - began < 0.25  # not the 6 tasks one after the other


def test_recomputed_host_layers_skip_the_device_gate():
    inc, total = "inc-" + "3f2a9c1e" * 4, "total-" + "ab" * 16  # layer names with tokens, as gpuscale's
    graph = {(inc, i): (float, i) for i in range(8)}
    graph[(total, 0)] = (sum, [(inc, i) for i in range(8)])
    with device_options(), device_stats() as runs:
        assert get(graph, (total, 0), num_workers=4) == get(graph, (total, 0), num_workers=4) == 28
    assert runs[0].device_tasks >= 2  # not known yet: each layer's first tasks took a device slot
    assert runs[1].device_tasks == 0  # known host layers: no slot, no wait


def test_layer_names_without_a_token_are_learnt_again_in_each_run():
    host_graph = {("x", i): (float, i) for i in range(6)}
    host_graph["n"] = (len, [("x", i) for i in range(6)])
    device = Concurrency()
    device_graph = {("x", i): (device.run, block, i, 10) for i in range(6)}  # same name, device data
    device_graph["n"] = (len, [("x", i) for i in range(6)])
    with device_options(tasks=1):
        assert get(host_graph, "n", num_workers=6) == get(device_graph, "n", num_workers=6) == 6
    assert device.peak == 1


def test_rmm_statistics_are_read_when_only_rmm_is_imported(monkeypatch):
    """``import rmm`` does not load ``rmm.statistics``: statistics turned on through ``rmm.mr`` alone are
    still read (the submodule is imported on demand)."""
    package = types.ModuleType("rmm")
    package.__path__ = []
    statistics = types.SimpleNamespace(get_statistics=lambda: types.SimpleNamespace(current_bytes=5 * MB))
    monkeypatch.setitem(sys.modules, "rmm", package)
    monkeypatch.setitem(sys.modules, "rmm.statistics", statistics)
    assert not hasattr(package, "statistics")
    assert dm.rmm_current_bytes() == 5 * MB
    monkeypatch.delitem(sys.modules, "rmm")
    assert dm.rmm_current_bytes() is None  # RMM not imported: nothing allocated through it
