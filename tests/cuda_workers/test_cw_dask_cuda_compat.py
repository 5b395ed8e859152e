"""dask-cuda's ``LocalCUDACluster`` options, spelt as dask-cuda spells them, on cuda_workers.

Code written for ``dask_cuda.LocalCUDACluster`` should port by changing the import: the
option names, their accepted values and what they do on the workers are checked here
(settings, plugins against recording stand-ins, UCX through distributed-ucxx's own
translation, and real worker processes on two fake GPUs).  The RMM and cuDF calls these
options lead to are checked against the real libraries in tests/cudf_lane/test_rmm_api.py.
"""

from __future__ import annotations

import logging
import os
import socket
import sys

import dask
import pytest
from conftest import FAKE_NVML_DIR, TWO_GPUS, use_fake_gpus
from distributed import Client, Nanny, Worker

from cuda_workers import Device, LocalCUDACluster, SettingsError, plugins, ucx
from cuda_workers.cluster import _settings
from cuda_workers.settings import Settings
from cuda_workers.spec import Machine, apply_worker_overrides, plan_workers, worker_spec
from cuda_workers.spill import DeviceHostDiskStore

pytestmark = pytest.mark.timeout(120)
GiB = 2**30
GPU = Device(0, "GPU-0", "Fake", 16 * GiB)


# ---------------------------------------------------------------- settings
@pytest.mark.parametrize(
    ("options", "field", "expected"),
    [
        ({"CUDA_VISIBLE_DEVICES": "0,1"}, "devices", "0,1"),
        ({"CUDA_VISIBLE_DEVICES": [1, 0]}, "devices", [1, 0]),
        ({"device_memory_limit": "default"}, "device_memory_limit", 0.8),
        ({"device_memory_limit": "auto"}, "device_memory_limit", None),
        ({"device_memory_limit": 0}, "device_memory_limit", 0),
        ({"protocol": None}, "protocol", "tcp"),
        ({"enable_tcp_over_ucx": True}, "protocol", "ucx"),  # dask-cuda: a UCX switch picks protocol="ucx"
        ({"enable_infiniband": True, "enable_rdmacm": True}, "protocol", "ucx"),
        ({"enable_tcp_over_ucx": False}, "protocol", "tcp"),
        ({"rmm_allocator_external_lib_list": "numba"}, "rmm_allocator_external_lib_list", ("numba",)),
        ({"rmm_allocator_external_lib_list": ["Numba", " numba"]}, "rmm_allocator_external_lib_list", ("numba",)),
        ({"rmm_allocator_external_lib_list": []}, "rmm_allocator_external_lib_list", ()),
        ({"cudf_spill_stats": 2}, "cudf_spill_stats", 2),
        ({"rmm_track_allocations": True}, "rmm_track_allocations", True),
        ({"log_spilling": True}, "log_spilling", True),
    ],
)
def test_dask_cuda_spellings_are_accepted(options, field, expected):
    if options.get("enable_tcp_over_ucx") or options.get("enable_infiniband"):
        pytest.importorskip("distributed_ucxx")
    cuda_visible_devices = options.pop("CUDA_VISIBLE_DEVICES", None)
    settings = _settings(None, cuda_visible_devices, True, options)
    assert getattr(settings, field) == expected


@pytest.mark.parametrize(
    ("options", "option", "message"),
    [
        ({"protocol": "tcp", "enable_tcp_over_ucx": True}, "enable_tcp_over_ucx", "requires protocol='ucx'"),
        ({"protocol": "tcp", "enable_rdmacm": True}, "enable_rdmacm", "requires protocol='ucx'"),
        ({"rmm_allocator_external_lib_list": "cupy,jax"}, "rmm_allocator_external_lib_list", "unknown library 'jax'"),
        ({"rmm_allocator_external_lib_list": 3}, "rmm_allocator_external_lib_list", "comma-separated"),
        ({"rmm_allocator_external_lib_list": "torch"}, "rmm_allocator_external_lib_list", "'torch' is not installed"),
        ({"cudf_spill_stats": -1}, "cudf_spill_stats", "statistics level"),
        ({"cudf_spill_stats": True}, "cudf_spill_stats", "statistics level"),
        ({"device_memory_limit": "most"}, "device_memory_limit", "cannot read 'most'"),
    ],
)
def test_bad_dask_cuda_values_name_the_option(options, option, message):
    if option == "rmm_allocator_external_lib_list" and "torch" in str(options) and _installed("torch"):
        pytest.skip("torch is installed here")
    with pytest.raises(SettingsError, match=message) as error:
        Settings(**options)
    assert error.value.option == option


def _installed(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_constructor_errors_name_the_argument():
    with pytest.raises(SettingsError, match="^CUDA_VISIBLE_DEVICES: give either"):
        LocalCUDACluster(CUDA_VISIBLE_DEVICES="0", devices="1")
    with pytest.raises(SettingsError, match="^processes: must be True"):
        LocalCUDACluster(processes=False)
    with pytest.raises(TypeError, match=r"^LocalCUDACluster\(\) got an unexpected keyword argument 'jit_unspil'"):
        LocalCUDACluster(jit_unspil=True)
    # older dask-cuda's jit_unspill: refused with what to use instead; jit_unspill=False is what happens anyway
    with pytest.raises(SettingsError, match="^jit_unspill: .*enable_cudf_spill=True"):
        LocalCUDACluster(jit_unspill=True)
    assert _settings(None, None, True, {"jit_unspill": False}) == Settings()


def test_device_memory_limit_words_decide_the_store():
    for limit, store in [("default", int(0.8 * 16 * GiB)), ("auto", None), (0, None), (None, None), ("2GB", 2 * 10**9)]:
        settings = Settings(device_memory_limit=limit)
        plan = plan_workers(settings, [GPU], Machine(2, 8 * GiB))[0]
        options = worker_spec(plan, settings, "/tmp")["options"]
        got = options["data"][1]["device_memory_limit"] if "data" in options else None
        assert got == store, limit


# ---------------------------------------------------------------- plugins (recording stand-ins)
class Recorder:
    def __init__(self, calls, path):
        self._calls, self._path = calls, path

    def __getattr__(self, name):
        return Recorder(self._calls, f"{self._path}.{name}")

    def __call__(self, *args, **kwargs):
        self._calls.append(self._path)
        return f"<{self._path}>"


def test_rmm_track_allocations_wraps_the_resource_last(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "rmm", Recorder(calls, "rmm"))
    settings = Settings(rmm_pool_size="1GiB", rmm_track_allocations=True)
    plan = plan_workers(settings, [GPU], Machine(2, 8 * GiB))[0]
    chosen = plugins.for_plan(plan, settings)
    next(p for p in chosen if isinstance(p, plugins.RMMSetup)).setup()
    assert calls == ["rmm.reinitialize", "rmm.mr.get_current_device_resource", "rmm.mr.TrackingResourceAdaptor",
                     "rmm.mr.set_current_device_resource"]
    # tracking alone also sets RMM up (dask-cuda wraps whatever resource is current)
    alone = Settings(rmm_track_allocations=True)
    plan = plan_workers(alone, [GPU], Machine(2, 8 * GiB))[0]
    assert any(isinstance(p, plugins.RMMSetup) and p.track_allocations for p in plugins.for_plan(plan, alone))


def test_external_library_list_routes_exactly_those_libraries(monkeypatch):
    calls = []
    for name in ("torch", "rmm", "rmm.allocators", "rmm.allocators.torch", "cupy", "rmm.allocators.cupy"):
        monkeypatch.setitem(sys.modules, name, Recorder(calls, name))
    plugins.LibraryAllocators(["torch"]).setup()
    assert calls == ["torch.cuda.memory.change_current_allocator"]
    calls.clear()
    plugins.LibraryAllocators([]).setup()  # an empty list: no library is routed
    assert calls == []
    settings = Settings(rmm_pool_size="1GiB", rmm_allocator_external_lib_list="numba")
    plan = plan_workers(settings, [GPU], Machine(2, 8 * GiB))[0]
    routed = next(p for p in plugins.for_plan(plan, settings) if isinstance(p, plugins.LibraryAllocators))
    assert routed.libraries == ("numba",)


def test_default_routes_only_installed_libraries(monkeypatch):
    routed = []
    monkeypatch.setattr(plugins, "_ROUTES", {name: (lambda n=name: routed.append(n)) for name in plugins._ROUTES})
    monkeypatch.setattr(plugins.importlib.util, "find_spec", lambda name: None if name == "cupy" else object())
    plugins.LibraryAllocators().setup()
    assert routed == ["numba"]


def test_cudf_spill_stats_reach_cudf(monkeypatch):
    calls = []
    monkeypatch.setitem(sys.modules, "cudf", Recorder(calls, "cudf"))
    settings = Settings(enable_cudf_spill=True, cudf_spill_stats=1)
    plan = plan_workers(settings, [GPU], Machine(2, 8 * GiB))[0]
    spill = next(p for p in plugins.for_plan(plan, settings) if isinstance(p, plugins.CudfSpill))
    assert (spill.enabled, spill.stats) == (True, 1)


# ---------------------------------------------------------------- UCX (distributed-ucxx's translation)
def _ucx_options(config: dict) -> dict:
    distributed_ucxx = pytest.importorskip("distributed_ucxx.ucxx")
    with dask.config.set(config):
        high_level, environment = distributed_ucxx._prepare_ucx_config()
    return {**environment, **high_level}


@pytest.mark.parametrize(
    ("options", "tls", "priority"),
    [
        ({"enable_tcp_over_ucx": True}, "tcp,cuda_copy", "tcp"),
        ({"enable_tcp_over_ucx": True, "enable_nvlink": True}, "tcp,cuda_copy,cuda_ipc", "tcp"),
        ({"enable_infiniband": True, "enable_rdmacm": True}, "rc,tcp,cuda_copy", "rdmacm"),
    ],
)
def test_ucx_switches_as_dask_cuda_sets_them(options, tls, priority):
    settings = Settings(**options)
    got = _ucx_options(ucx.worker_config(settings, gpu=True))
    assert (got["TLS"], got["SOCKADDR_TLS_PRIORITY"]) == (tls, priority)
    assert _ucx_options(ucx.worker_config(settings, gpu=False))["UCX_TLS"] == "tcp,self,sm"  # CPU: never cuda*


def test_rdmacm_reaches_the_parent_with_infiniband():
    got = _ucx_options(ucx.parent_config(Settings(enable_infiniband=True, enable_rdmacm=True)))
    assert (got["TLS"], got["SOCKADDR_TLS_PRIORITY"]) == ("rc,tcp", "rdmacm")


# ---------------------------------------------------------------- log_spilling
def test_log_spilling_logs_each_move(tmp_path, caplog):
    def make(log):
        return DeviceHostDiskStore(100, 150, str(tmp_path), is_device=lambda v: isinstance(v, bytes),
                                   nbytes_on_device=len, log_spilling=log)

    quiet, loud = make(False), make(True)
    with caplog.at_level(logging.INFO, logger="distributed.worker"):
        for store in (quiet, loud):
            store["a"], store["b"] = b"x" * 60, b"y" * 60  # "a" leaves the device
            store["c"] = b"z" * 60  # "b" leaves the device; host holds more than 150 bytes: "a" to disk
            assert store["a"] == b"x" * 60
    moves = [r.getMessage() for r in caplog.records if r.getMessage().startswith("spill ")]
    assert "spill device -> host: 'a' (60 bytes)" in moves
    assert any(m.startswith("spill host -> disk: 'a'") for m in moves)
    assert any(m.startswith("spill disk -> host: 'a'") for m in moves)
    assert "spill host -> device: 'a' (60 bytes)" in moves
    assert len(moves) == sum(loud.counts.values())  # the quiet store logged nothing
    quiet.close(), loud.close()


def test_log_spilling_reaches_the_store_factory():
    settings = Settings(log_spilling=True)
    plan = plan_workers(settings, [GPU], Machine(2, 8 * GiB))[0]
    assert worker_spec(plan, settings, "/tmp")["options"]["data"][1]["log_spilling"] is True


# ---------------------------------------------------------------- LocalCluster's options
def test_worker_class_and_data_replace_the_spec_parts():
    class MyNanny(Nanny):
        pass

    class MyWorker(Worker):
        pass

    spec = {"cls": Nanny, "options": {"data": ("store", {})}}
    apply_worker_overrides(spec, worker_class=MyNanny, data=dict, death_timeout="30s")
    assert spec["cls"] is MyNanny and spec["options"]["data"] is dict and spec["options"]["death_timeout"] == "30s"
    spec = {"cls": Nanny, "options": {}}
    apply_worker_overrides(spec, worker_class=MyWorker)
    assert spec == {"cls": Nanny, "options": {"worker_class": MyWorker}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_dask_cuda_style_cluster_on_fake_gpus(monkeypatch):
    import worker_classes

    use_fake_gpus(monkeypatch, TWO_GPUS)
    port = _free_port()
    cluster = LocalCUDACluster(CUDA_VISIBLE_DEVICES="1", scheduler_port=port, worker_class=worker_classes.TaggedWorker,
                               data=dict, death_timeout=60, memory_limit="1GiB", dashboard_address=None)
    with cluster, Client(cluster) as client:
        assert cluster.scheduler_address == f"tcp://127.0.0.1:{port}"

        def describe(dask_worker):
            return (getattr(dask_worker, "tag", None), type(dask_worker.data).__name__,
                    os.environ["CUDA_VISIBLE_DEVICES"], dask_worker.death_timeout)

        assert list(client.run(describe).values()) == [("tagged", "dict", "1", 60)]
        assert client.submit(sum, [1, 2], resources={"GPU": 1}).result() == 3


@pytest.fixture(autouse=True)
def _fake_nvml_importable(monkeypatch):
    monkeypatch.syspath_prepend(str(FAKE_NVML_DIR))  # worker_classes, for this process too


def test_cluster_configuration_reports_what_each_worker_got(monkeypatch):
    """dask-cuda's ``get_cluster_configuration``/``print_cluster_config`` and ``dask cuda config``."""
    import subprocess

    from cuda_workers import cluster_configuration
    from cuda_workers.config import format_configuration

    use_fake_gpus(monkeypatch, TWO_GPUS)
    cluster = LocalCUDACluster(device_memory_limit="0.5", memory_limit="1GiB", pre_import="colorsys",
                               dashboard_address=None)
    with cluster, Client(cluster) as client:
        config = cluster_configuration(client)
        assert list(config) == ["0", "1"]  # the workers' names: their devices, as dask-cuda names them
        assert config["0"]["CUDA_VISIBLE_DEVICES"] == "0,1" and config["1"]["CUDA_VISIBLE_DEVICES"] == "1,0"
        assert [config[w]["device_memory_limit"] for w in ("0", "1")] == [8 * GiB, 4 * GiB]
        assert {c["store"] for c in config.values()} == {"DeviceHostDiskStore"}
        assert {c["memory_limit"] for c in config.values()} == {GiB}
        assert config["0"]["plugins"]["PreImport"] == {"modules": ("colorsys",)}
        table = format_configuration(config)
        assert table.splitlines()[0].split() == ["setting", "0", "1"] and "PreImport.modules" in table
        shown = subprocess.run([sys.executable, "-c", "from dask.cli import run_cli; run_cli()", "cuda", "config",
                                cluster.scheduler_address], capture_output=True, text=True, timeout=60)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.splitlines()[0].split() == ["setting", "0", "1"]
        rows = {line.split()[0]: line.split()[1:] for line in shown.stdout.splitlines()}
        assert rows["device_memory_limit"] == [str(8 * GiB), str(4 * GiB)]
        assert rows["CUDA_VISIBLE_DEVICES"] == ["0,1", "1,0"]


def test_dask_cuda_config_without_a_scheduler_is_a_usage_error(tmp_path):
    import subprocess

    command = [sys.executable, "-c", "from dask.cli import run_cli; run_cli()", "cuda", "config"]
    none = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert none.returncode == 2 and "give the scheduler's address or --scheduler-file" in none.stderr
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    missing = subprocess.run([*command, "--scheduler-file", str(tmp_path / "s.json")], capture_output=True, text=True,
                             timeout=60, env=env)
    assert missing.returncode == 1 and "does not exist after 1 s" in missing.stderr and "Traceback" not in missing.stderr


def test_cuda_worker_adds_this_machines_gpus_to_a_running_cluster(monkeypatch):
    """dask-cuda's ``CUDAWorker(cluster)``: one more worker per GPU, awaited in the running event loop."""
    import asyncio

    from cuda_workers import CUDAWorker

    use_fake_gpus(monkeypatch, TWO_GPUS)

    async def run():
        async with LocalCUDACluster(n_workers=1, memory_limit="1GiB", asynchronous=True,
                                    dashboard_address=None) as cluster:
            async with Client(cluster, asynchronous=True) as client:
                node = await CUDAWorker(cluster, name="extra", memory_limit="1GiB", device_memory_limit=0.5)
                await client.wait_for_workers(3)
                info = await client.run(lambda dask_worker: (dask_worker.name, os.environ["CUDA_VISIBLE_DEVICES"],
                                                             dask_worker.data.device.fast.n))
                folder = node._folder.path
                await node.close()
                return sorted(info.values(), key=lambda worker: str(worker[0])), folder

    workers, folder = asyncio.run(run())
    # the cluster's worker is named by its device (dask-cuda's names), the joining node's by host/name and device
    assert workers == [(0, "0,1", int(0.8 * 16 * GiB)), ("extra-gpu-0", "0,1", 8 * GiB),
                       ("extra-gpu-1", "1,0", 4 * GiB)]
    assert not os.path.exists(folder)
    with pytest.raises(SettingsError, match="^scheduler: give the scheduler's address"):
        CUDAWorker()


@pytest.mark.parametrize(
    ("devices", "options", "option", "message"),
    [("0", {"host": "127.0.0.1", "listen_address": "tcp://0.0.0.0:9000"}, "listen_address",
      "Cannot specify listen_address when host or interface is given"),
     ("0", {"interface": "lo", "listen_address": "tcp://0.0.0.0:9000"}, "listen_address", "host or interface"),
     ("0", {"contact_address": "tcp://127.0.0.1:9000"}, "contact_address",
      "Must specify listen_address when contact_address is provided"),
     ("0,1", {"listen_address": "tcp://0.0.0.0:9000"}, "listen_address",
      "Cannot specify listen_address or contact_address when using multiple GPUs"),
     ("0", {"worker_port": "9000", "listen_address": "tcp://0.0.0.0:9000"}, "worker_port",
      "Cannot specify worker_port when listen_address is given"),
     ("0,1", {"worker_port": "9000"}, "worker_port", "Not enough ports in --worker-port range for 2 GPUs"),
     ("0", {"worker_port": "high:low"}, "worker_port", "cannot read 'high:low'")],
)
def test_cuda_worker_addresses_are_checked_before_any_start(monkeypatch, devices, options, option, message):
    from cuda_workers import CUDAWorker

    use_fake_gpus(monkeypatch, TWO_GPUS)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", devices)
    with pytest.raises(SettingsError, match=f"^{option}: .*{message}"):
        CUDAWorker("tcp://127.0.0.1:8786", **options)


def _two_free_ports() -> int:
    """A port whose next port is free too."""
    for _ in range(100):
        with socket.socket() as a, socket.socket() as b:
            try:
                a.bind(("127.0.0.1", 0))
                b.bind(("127.0.0.1", a.getsockname()[1] + 1))
            except OSError:
                continue
            return a.getsockname()[1]
    raise RuntimeError("no two consecutive free ports")


def test_cuda_worker_listens_where_told_and_is_reached_at_its_contact_address(monkeypatch):
    """One worker bound to ``listen_address`` and known to the scheduler by ``contact_address`` (NAT, containers);
    several workers each on their own port of a ``worker_port`` range."""
    import asyncio

    from distributed.utils import open_port

    from cuda_workers import CUDAWorker

    use_fake_gpus(monkeypatch, TWO_GPUS)
    first, second = open_port(), _two_free_ports()
    third = second + 1

    async def run():
        async with LocalCUDACluster(n_workers=1, memory_limit="1GiB", asynchronous=True,
                                    dashboard_address=None) as cluster:
            async with Client(cluster, asynchronous=True) as client:
                monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
                one = await CUDAWorker(cluster, name="nat", listen_address=f"tcp://0.0.0.0:{first}",
                                       contact_address=f"tcp://127.0.0.1:{first}", memory_limit="1GiB")
                monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,1")
                ranged = await CUDAWorker(cluster, name="ports", worker_port=f"{second}:{third}", memory_limit="1GiB")
                await client.wait_for_workers(4)
                workers = (await client.scheduler.identity(n_workers=-1))["workers"]
                names = {info["name"]: address for address, info in workers.items()}
                names["bound"] = await client.run(lambda dask_worker: dask_worker.listener.listen_address,
                                                  workers=[names["nat-gpu-1"]])
                await one.close()
                await ranged.close()
                return names

    names = asyncio.run(run())
    assert names["nat-gpu-1"] == f"tcp://127.0.0.1:{first}"  # what others dial
    assert list(names["bound"].values()) == [f"tcp://0.0.0.0:{first}"]  # where it listens
    assert sorted(names["ports-gpu-0"].rsplit(":", 1)[1:] + names["ports-gpu-1"].rsplit(":", 1)[1:]) == \
        sorted([str(second), str(third)])


def test_cudf_spill_on_joining_workers_reminds_the_client(monkeypatch, cudf_installed):
    """As ``dask cuda worker --enable-cudf-spill``: the client should spill its cuDF results too."""
    import warnings

    from cuda_workers import CUDAWorker

    use_fake_gpus(monkeypatch, TWO_GPUS)
    with pytest.warns(UserWarning, match="cuDF spilling is enabled on these workers: set CUDF_SPILL=on"):
        node = CUDAWorker("tcp://127.0.0.1:8786", enable_cudf_spill=True)
    node._folder.close()
    with dask.config.set({"cudf-spill-warning": False}), warnings.catch_warnings():
        warnings.simplefilter("error")
        CUDAWorker("tcp://127.0.0.1:8786", enable_cudf_spill=True)._folder.close()
        CUDAWorker("tcp://127.0.0.1:8786")._folder.close()
