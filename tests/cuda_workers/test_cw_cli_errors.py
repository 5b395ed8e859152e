"""``cuda-worker`` edge cases found by fuzzing: each ends with one error line (or works), never a traceback."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dask
import pytest
from conftest import FAKE_NVML_DIR, TWO_GPUS
from distributed import Client, Scheduler, SpecCluster

from cuda_workers import cli
from cuda_workers.node import StartError

pytestmark = pytest.mark.timeout(120)
ROOT = Path(__file__).resolve().parents[2]


def _main_error(capsys, *args) -> tuple[int, str]:
    """Exit status and stderr of ``cuda-worker ARGS`` run in this process."""
    try:
        status = cli.main(list(args))
    except SystemExit as stop:
        status = stop.code
    return status, capsys.readouterr().err


def test_a_silent_scheduler_port_ends_after_the_connect_timeout():
    """A port that accepts but never answers the handshake hung cuda-worker forever."""
    async def run():
        async def silent(reader, writer):
            await asyncio.sleep(30)

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            start = time.monotonic()
            with dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}):
                with pytest.raises(StartError, match=f"cannot reach the scheduler at tcp://127.0.0.1:{port} "
                                                     r"within 0.5 s \(no answer\)"):
                    await cli.check_reachable(f"tcp://127.0.0.1:{port}")
            assert time.monotonic() - start < 5
            server.close()

    asyncio.run(run())


def test_an_unwritable_pid_file_is_an_option_error_and_leaves_no_folder(fake_gpus, tmp_path, capsys):
    status, err = _main_error(capsys, "tcp://127.0.0.1:1", "--local-directory", str(tmp_path),
                              "--pid-file", str(tmp_path / "missing" / "pid"))
    assert status == 2 and "Traceback" not in err
    assert err.strip().startswith(f"cuda-worker: error: pid_file: cannot write {tmp_path / 'missing' / 'pid'}")
    assert os.listdir(tmp_path) == []  # the private folder and its lock are gone


@pytest.mark.parametrize("where", ["option", "temporary-directory"])
def test_a_local_directory_that_cannot_be_made_is_an_option_error(fake_gpus, tmp_path, capsys, where):
    a_file = tmp_path / "file"
    a_file.write_text("")
    if where == "option":
        status, err = _main_error(capsys, "tcp://127.0.0.1:1", "--local-directory", str(a_file / "sub"))
    else:
        with dask.config.set({"temporary-directory": str(a_file)}):
            status, err = _main_error(capsys, "tcp://127.0.0.1:1")
    assert status == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("cuda-worker: error: local_directory: cannot create a folder in") and str(a_file) in err


def test_tls_files_that_do_not_exist_are_named(fake_gpus, tmp_path, capsys):
    missing = str(tmp_path / "nope.pem")
    status, err = _main_error(capsys, "tls://127.0.0.1:1", "--tls-ca-file", missing, "--tls-cert", missing,
                              "--tls-key", missing)
    assert status == 2
    assert err.strip() == f"cuda-worker: error: Invalid value for '--tls-ca-file': Path '{missing}' does not exist."


def test_tls_options_with_a_tcp_address_name_the_mismatch(fake_gpus, tmp_path, capsys):
    ca = tmp_path / "ca.pem"
    ca.write_text("")
    status, err = _main_error(capsys, "tcp://127.0.0.1:1", "--tls-ca-file", str(ca))
    assert status == 2 and "another service" not in err
    assert err.strip() == ("cuda-worker: error: SCHEDULER_ADDRESS: --tls-* options need a tls:// (or wss://) scheduler address; "
                           "got 'tcp://127.0.0.1:1'")


@pytest.mark.parametrize("value", ["abc", "-1"])
def test_a_bad_connect_timeout_names_the_variable(fake_gpus, capsys, value):
    with dask.config.set({"distributed.comm.timeouts.connect": value}):
        status, err = _main_error(capsys, "tcp://127.0.0.1:1")
    assert status == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert err.startswith("cuda-worker: error: DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT: ") and repr(value) in err


def _started_with(monkeypatch, *args) -> dict:
    """What the workers would start with: run_workers replaced by a recorder."""
    seen = {}

    async def record(address, specs, security=None):
        seen.update(specs=specs, method=dask.config.get("distributed.worker.multiprocessing-method"),
                    visible=os.environ.get("CUDA_VISIBLE_DEVICES"))

    monkeypatch.setattr(cli, "run_workers", record)
    assert cli.main(["tcp://127.0.0.1:1", *args]) == 0
    return seen


def test_dask_cuda_flags_are_accepted(fake_gpus, monkeypatch):
    seen = _started_with(monkeypatch, "--dashboard-prefix", "/x", "--disable-jit-unspill", "--multiprocessing-method",
                         "forkserver", "--no-shared-filesystem", "--shared-filesystem")
    assert seen["method"] == "forkserver"
    assert [spec["options"]["http_prefix"] for spec in seen["specs"]] == ["/x", "/x"]
    assert dask.config.get("distributed.worker.multiprocessing-method") != "forkserver"  # only while they run


def test_enable_jit_unspill_is_refused_as_the_python_api_refuses_it(fake_gpus, capsys):
    from cuda_workers import LocalCUDACluster
    from cuda_workers.settings import SettingsError

    with pytest.raises(SettingsError) as error:
        LocalCUDACluster(jit_unspill=True)
    status, err = _main_error(capsys, "tcp://127.0.0.1:1", "--enable-jit-unspill")
    assert status == 2 and err.strip() == f"cuda-worker: error: {error.value}"


@pytest.mark.parametrize(("visible", "expected"), [("-1", ""), ("GPU-bbbb", TWO_GPUS[1]["uuid"])])
def test_the_nannies_see_the_normalised_devices(fake_gpus, monkeypatch, visible, expected):
    """distributed's NVML monitor in the parent reads CUDA_VISIBLE_DEVICES as it is: '-1' or a UUID prefix failed."""
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", visible)
    with pytest.warns(UserWarning) if visible == "-1" else _nothing():
        seen = _started_with(monkeypatch, "--n-workers", "1")
    assert seen["visible"] == expected and os.environ["CUDA_VISIBLE_DEVICES"] == visible


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_hidden_and_prefixed_devices_start_workers():
    """The real start with CUDA_VISIBLE_DEVICES=-1 (CPU workers) and a UUID prefix (that GPU)."""
    env = {k: v for k, v in os.environ.items() if k != "CUDA_VISIBLE_DEVICES"}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(FAKE_NVML_DIR), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["CUDA_WORKERS_FAKE_NVML"] = json.dumps(TWO_GPUS)
    only_scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": None}}
    with SpecCluster(scheduler=only_scheduler) as scheduler, Client(scheduler) as client:
        processes = [subprocess.Popen([sys.executable, "-m", "cuda_workers.cli", scheduler.scheduler_address,
                                       "--n-workers", "1", "--name", name], env={**env, "CUDA_VISIBLE_DEVICES": cvd},
                                      cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                     for name, cvd in (("hidden", "-1"), ("prefixed", "GPU-bbbb"))]
        try:
            client.wait_for_workers(2, timeout=60)
            names = client.run(lambda dask_worker: (dask_worker.name, os.environ.get("CUDA_VISIBLE_DEVICES")))
            assert sorted(names.values()) == [("hidden-cpu-0", ""), ("prefixed-gpu-1", TWO_GPUS[1]["uuid"])]
        finally:
            for process in processes:
                process.send_signal(signal.SIGTERM)
            errors = [process.communicate(timeout=60)[1] for process in processes]
        assert [process.returncode for process in processes] == [0, 0]
        assert not any("Traceback" in err for err in errors)
