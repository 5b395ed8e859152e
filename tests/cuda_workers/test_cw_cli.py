"""``cuda-worker`` as a real subprocess against a running scheduler (the multi-node path)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import FAKE_NVML_DIR, TWO_GPUS, use_fake_gpus
from distributed import Client, Scheduler, SpecCluster

from cuda_workers.cli import build_parser, settings_from_args

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]


def _env(fake_gpus: bool) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("CUDA_VISIBLE_DEVICES", "CUDA_WORKERS_FAKE_NVML")}
    paths = [str(ROOT)] + ([str(FAKE_NVML_DIR)] if fake_gpus else [])
    env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    if fake_gpus:
        env["CUDA_WORKERS_FAKE_NVML"] = json.dumps(TWO_GPUS)
    return env


def _cuda_worker(*args, fake_gpus=True, **kwargs):
    command = [sys.executable, "-m", "cuda_workers.cli", *args]
    return subprocess.Popen(command, env=_env(fake_gpus), cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def test_show_devices_prints_what_nvml_found():
    out, _ = _cuda_worker("--show-devices").communicate(timeout=60)
    assert "Fake GPU A" in out and "GPU-bbbbbbbb-0000-0000-0000-000000000000" in out and "16.0 GiB" in out
    out, _ = _cuda_worker("--show-devices", fake_gpus=False).communicate(timeout=60)
    assert out.startswith("No usable GPU")


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--rmm-pool-size", "-1"], "rmm_pool_size: must not be negative"),
     (["--pre-import", "no_such_module_xyz"], "pre_import: module 'no_such_module_xyz'"),
     (["--devices", "5"], "devices: device '5' does not exist"),
     (["--rmm-pool-size", "20GiB"], "rmm_pool_size: 21474836480 bytes is larger than device 0"),
     # refused before any worker starts (two workers on one GPU: one failed with 'name taken'; a bad timeout or
     # dashboard address ended the started worker with a traceback)
     (["--devices", "1,GPU-bbbb"], "devices: device 1 is listed twice (as '1' and 'GPU-bbbb')"),
     (["--death-timeout", "abc"], "death_timeout: expected seconds or a duration"),
     (["--dashboard-address", "8787.5"], "dashboard_address: expected an address"),
     (["--memory-limit", "GB"], "memory_limit: cannot read 'GB' as a size")],
)
def test_bad_options_exit_with_the_option_named(args, message):
    process = _cuda_worker("tcp://127.0.0.1:1", *args)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and message in err and "Traceback" not in err


def test_no_cpu_fallback_exits_without_gpu():
    process = _cuda_worker("tcp://127.0.0.1:1", "--no-cpu-fallback", fake_gpus=False)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "cpu_fallback=False" in err


def test_options_map_to_settings():
    args = build_parser().parse_args(["ucx://127.0.0.1:8786", "--device-memory-limit", "0.5", "--memory-limit",
                                      "2GB", "--rmm-async", "--enable-nvlink", "--nthreads", "2"])
    settings = settings_from_args(args)
    assert (settings.protocol, settings.device_memory_limit, settings.memory_limit) == ("ucx", 0.5, 2 * 10**9)
    assert (settings.rmm_async, settings.enable_nvlink, settings.threads_per_worker) == (True, True, 2)
    assert settings.host == "127.0.0.1" and settings.enable_infiniband is None


def test_dask_cuda_worker_flags_map_to_settings(cudf_installed):
    args = build_parser().parse_args([
        "ucx://127.0.0.1:8786", "--enable-tcp-over-ucx", "--disable-nvlink", "--enable-infiniband", "--enable-rdmacm",
        "--rmm-pool-size", "1GB", "--rmm-track-allocations", "--set-rmm-allocator-for-libs", "numba",
        "--enable-cudf-spill", "--cudf-spill-stats", "1", "--device-memory-limit", "default", "--death-timeout", "60"])
    s = settings_from_args(args)
    assert (s.enable_tcp_over_ucx, s.enable_nvlink, s.enable_infiniband, s.enable_rdmacm) == (True, False, True, True)
    assert (s.rmm_track_allocations, s.rmm_allocator_external_lib_list) == (True, ("numba",))
    assert (s.enable_cudf_spill, s.cudf_spill_stats, s.device_memory_limit) == (True, 1, 0.8)
    assert args.death_timeout == "60"
    off = settings_from_args(build_parser().parse_args(["tcp://127.0.0.1:8786", "--no-rmm-async", "--disable-cudf-spill"]))
    assert (off.rmm_async, off.enable_cudf_spill, off.protocol) == (False, False, "tcp")


def test_address_flags_reach_each_workers_spec(monkeypatch):
    """dask cuda worker's --listen-address/--contact-address (one GPU) and a --worker-port range (a port each)."""
    from cuda_workers.cli import _plan

    use_fake_gpus(monkeypatch, TWO_GPUS)
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "1")
    args = build_parser().parse_args(["tcp://10.0.0.1:8786", "--listen-address", "tcp://0.0.0.0:9000",
                                      "--contact-address", "tcp://203.0.113.7:31000"])
    _, specs, folder = _plan(args)
    folder.close()
    options = specs[0]["options"]
    assert (options["host"], options["worker_port"], options["contact_address"]) == \
        ("0.0.0.0", 9000, "tcp://203.0.113.7:31000")
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES")
    _, specs, folder = _plan(build_parser().parse_args(["tcp://127.0.0.1:8786", "--worker-port", "9100:9101"]))
    folder.close()
    assert [spec["options"]["worker_port"] for spec in specs] == [9100, 9101]


@pytest.mark.parametrize(("flags", "expected"), [
    ([], {"dashboard": False, "dashboard_address": None}),
    (["--no-dashboard"], {"dashboard": False, "dashboard_address": None}),
    (["--dashboard"], {"dashboard": True, "dashboard_address": ":0"}),
    (["--dashboard-address", ":8790"], {"dashboard": True, "dashboard_address": ":8790"}),
    (["--no-dashboard", "--dashboard-address", ":8790"], {"dashboard": False, "dashboard_address": None}),
])
def test_worker_dashboards_are_off_unless_asked(flags, expected):
    from cuda_workers.cli import _dashboard

    assert _dashboard(build_parser().parse_args(["tcp://127.0.0.1:8786", *flags])) == expected


def test_a_worker_class_that_cannot_be_imported_exits_naming_it():
    process = _cuda_worker("tcp://127.0.0.1:1", "--worker-class", "no_such_module_xyz.Worker")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "worker_class: cannot import 'no_such_module_xyz.Worker'" in err


def test_dask_cuda_worker_command_is_cuda_worker():
    """``dask cuda worker ...`` (dask-cuda's command, through dask's ``dask_cli`` entry points) runs cuda-worker."""
    from importlib.metadata import entry_points

    assert [ep.value for ep in entry_points(group="dask_cli") if ep.name == "cuda"] == ["cuda_workers.dask_cli:cuda"]
    dask_cli = [sys.executable, "-c", "from dask.cli import run_cli; run_cli()", "cuda", "worker"]
    shown = subprocess.run([*dask_cli, "--show-devices"], env=_env(True), cwd=ROOT, capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0 and "Fake GPU A" in shown.stdout and "GPU-bbbbbbbb" in shown.stdout
    bad = subprocess.run([*dask_cli, "tcp://127.0.0.1:1", "--n-workers", "0"], env=_env(True), cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "n_workers: must be a positive integer" in bad.stderr


def test_a_missing_scheduler_file_ends_with_one_line(tmp_path):
    env = {**_env(True), "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    process = subprocess.Popen([sys.executable, "-m", "cuda_workers.cli", "--scheduler-file", str(tmp_path / "s.json")],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 1
    assert err.strip().splitlines() == [f"cuda-worker: error: the scheduler file {tmp_path / 's.json'} does not exist "
                                        "after 1 s; is the scheduler running?"]


def test_workers_join_through_a_scheduler_file_with_dask_cuda_options(tmp_path):
    only_scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": None}}
    with SpecCluster(scheduler=only_scheduler) as scheduler, Client(scheduler) as client:
        scheduler_file = tmp_path / "scheduler.json"
        scheduler_file.write_text(json.dumps({"type": "Scheduler", "address": scheduler.scheduler_address}))
        pid_file = tmp_path / "worker.pid"
        process = _cuda_worker("--scheduler-file", str(scheduler_file), "--memory-limit", "1GiB", "--death-timeout",
                               "60", "--log-spilling", "--device-memory-limit", "default", "--n-workers", "1",
                               "--pid-file", str(pid_file), "--name", "node7", "--resources", "FOO=2",
                               "--preload", "colorsys", "--dashboard-address", "127.0.0.1:0",
                               "--worker-class", "distributed.Worker")
        try:
            client.wait_for_workers(1, timeout=60)

            def describe(dask_worker):
                return (dask_worker.name, dask_worker.death_timeout, dask_worker.data.log_spilling,
                        dask_worker.data.device.fast.n, dask_worker.state.total_resources, "colorsys" in sys.modules,
                        "dashboard" in dask_worker.services)

            assert list(client.run(describe).values()) == [
                ("node7-gpu-0", 60, True, int(0.8 * TWO_GPUS[0]["memory"]), {"GPU": 1, "FOO": 2.0}, True, True)]
            assert pid_file.read_text().strip() == str(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=60)
        assert process.returncode == 0 and not pid_file.exists()


def test_one_worker_per_gpu_joins_the_scheduler_and_stops_on_sigterm():
    only_scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": None}}
    with SpecCluster(scheduler=only_scheduler) as scheduler, Client(scheduler) as client:
        process = _cuda_worker(scheduler.scheduler_address, "--memory-limit", "1GiB", "--name-prefix", "node1-")
        try:
            client.wait_for_workers(2, timeout=60)
            info = client.scheduler_info(n_workers=-1)["workers"]
            names = {a: w["name"] for a, w in info.items()}
            visible = client.run(lambda: os.environ["CUDA_VISIBLE_DEVICES"])
            assert {names[a]: v for a, v in visible.items()} == {"node1-gpu-0": "0,1", "node1-gpu-1": "1,0"}
            assert all(w["resources"] == {"GPU": 1} and w["memory_limit"] == 2**30 for w in info.values())
            assert all(a.startswith("tcp://127.0.0.1:") for a in info)
            workdirs = client.run(lambda dask_worker: dask_worker.local_directory)
            assert client.submit(sum, [1, 2], resources={"GPU": 1}).result() == 3
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=60)
        assert process.returncode == 0
        assert not any(os.path.exists(os.path.dirname(d)) for d in workdirs.values())  # private dir removed
        deadline = time.monotonic() + 30
        while client.scheduler_info(n_workers=-1)["workers"] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not client.scheduler_info(n_workers=-1)["workers"]


@pytest.mark.timeout(450)
def test_cpu_workers_join_a_ucx_scheduler(monkeypatch, own_process):
    if own_process:
        return
    import numpy as np

    monkeypatch.setenv("UCX_WARN_UNUSED_ENV_VARS", "n")
    only_scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": None, "protocol": "ucx"}}
    with SpecCluster(scheduler=only_scheduler) as scheduler, Client(scheduler) as client:
        process = _cuda_worker(scheduler.scheduler_address, "--n-workers", "2", fake_gpus=False)
        try:
            client.wait_for_workers(2, timeout=60)
            workers = sorted(client.scheduler_info(n_workers=-1)["workers"])
            assert all(w.startswith("ucx://127.0.0.1:") for w in workers)  # protocol taken from the address
            x = client.submit(np.arange, 100_000, workers=workers[:1])
            assert client.submit(np.sum, x, workers=workers[1:]).result() == np.arange(100_000).sum()
        finally:
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=60)
        assert process.returncode == 0


def test_another_service_on_the_scheduler_port_is_named_as_such():
    """A port answering with something that is no Dask handshake (dask-cuda's test dials such an address) ends
    with one line saying so, not a traceback or a bare MemoryError."""
    import asyncio

    from cuda_workers.cli import check_reachable
    from cuda_workers.node import StartError

    async def run():
        async def garbage(reader, writer):
            writer.write(b"\xff" * 64)  # read as a frame length of exabytes
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(garbage, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            with pytest.raises(StartError, match=f"cannot talk to a Dask scheduler at tcp://127.0.0.1:{port}: .*"
                                                 "is another service listening there"):
                await check_reachable(f"tcp://127.0.0.1:{port}")

    asyncio.run(run())


def test_a_stop_swallowed_by_a_callback_still_stops(capsys):
    """A signal landing in a callback that may not raise (the import machinery's weakref callbacks) has its
    ``Stopped`` swallowed by Python: the start must still end at once, quietly (it went on for 30 s)."""
    import asyncio
    import time
    import weakref

    from cuda_workers import cli

    previous, hook = cli._stop_on_signals(), sys.unraisablehook
    sys.unraisablehook = cli._ignore_stops(hook)
    try:
        class Thing:
            pass

        thing = Thing()
        ref = weakref.ref(thing, lambda r: (os.kill(os.getpid(), signal.SIGTERM), time.sleep(0.5)))
        del thing  # the callback runs; the handler's Stopped is raised inside it, and swallowed
        assert ref() is None and cli._SIGNALLED == {"signum": signal.SIGTERM}
        start = time.monotonic()
        asyncio.run(cli.run_workers(f"tcp://127.0.0.1:{_unused_port()}", []))  # returns without connecting
        assert time.monotonic() - start < 2
    finally:
        sys.unraisablehook = hook
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    assert "Stopped" not in capsys.readouterr().err


def _unused_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
