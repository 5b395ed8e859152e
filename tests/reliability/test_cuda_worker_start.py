"""``cuda-worker`` stops at once on SIGINT/SIGTERM during start-up, and says in one line when the
scheduler cannot be reached."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import psutil
import pytest
from _subproc import ROOT

pytestmark = pytest.mark.timeout(180)


def _free_port() -> int:
    with socket.socket() as s:  # bound, then closed: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cuda_worker(*args, env=None, **kwargs) -> subprocess.Popen:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("CUDA_VISIBLE_DEVICES", "CUDA_WORKERS_FAKE_NVML")}  # CPU workers
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    environment.update(env or {})
    return subprocess.Popen([sys.executable, "-m", "cuda_workers.cli", *args], cwd=ROOT, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)


def _exit_after(process: subprocess.Popen, signum: int) -> tuple[float, str]:
    """Send ``signum``; seconds until the process exited, and its stderr."""
    children = psutil.Process(process.pid).children(recursive=True)
    start = time.monotonic()
    process.send_signal(signum)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    seconds = time.monotonic() - start
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, f"worker processes left behind: {alive}"
    return seconds, err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("delay", [0.3, 5.0], ids=["while-importing", "while-connecting"])
def test_signal_stops_start_up_against_an_unreachable_scheduler(tmp_path, signum, delay):
    process = _cuda_worker(f"tcp://127.0.0.1:{_free_port()}", "--n-workers", "1",
                           "--local-directory", str(tmp_path))
    time.sleep(delay)  # the default connect timeout is 30 s: still starting
    seconds, err = _exit_after(process, signum)
    assert seconds < 3, f"exited {seconds:.1f} s after the signal\n{err}"
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert os.listdir(tmp_path) == []  # the private directory was removed


def test_unreachable_scheduler_is_one_clear_line(tmp_path):
    address = f"tcp://127.0.0.1:{_free_port()}"
    process = _cuda_worker(address, "--n-workers", "1", "--local-directory", str(tmp_path),
                           env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
    _, err = process.communicate(timeout=120)
    assert process.returncode == 1, err
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("cuda-worker: error:")]
    assert len(errors) == 1, err
    assert f"cannot reach the scheduler at {address} within 2 s" in errors[0], errors[0]
    assert os.listdir(tmp_path) == []


def test_sigterm_while_a_worker_process_starts(tmp_path):
    from distributed import Scheduler, SpecCluster

    (tmp_path / "slow_module.py").write_text("import time\nprint('importing', flush=True)\ntime.sleep(60)\n")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    only_scheduler = {"cls": Scheduler, "options": {"host": "127.0.0.1", "dashboard_address": None}}
    with SpecCluster(scheduler=only_scheduler) as scheduler:
        process = _cuda_worker(scheduler.scheduler_address, "--n-workers", "1", "--pre-import", "slow_module",
                               "--local-directory", str(scratch),
                               env={"PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])})
        assert process.stdout.readline().strip() == "importing"  # the worker process is starting
        seconds, err = _exit_after(process, signal.SIGTERM)
    assert seconds < 15, f"exited {seconds:.1f} s after SIGTERM\n{err}"
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert os.listdir(scratch) == []


def test_an_address_without_port_is_a_usage_error():
    process = _cuda_worker("tcp://127.0.0.1")
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2 and "SCHEDULER_ADDRESS: missing port number" in err, err
    assert "Traceback" not in err


def test_a_server_that_is_no_scheduler_is_one_clear_line(tmp_path):
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer_nonsense():
        while True:
            try:
                connection, _ = server.accept()
            except OSError:  # closed
                return
            with connection:
                connection.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 10)

    threading.Thread(target=answer_nonsense, daemon=True).start()
    try:
        process = _cuda_worker(f"tcp://127.0.0.1:{port}", "--n-workers", "1", "--local-directory", str(tmp_path),
                               env={"DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"})
        _, err = process.communicate(timeout=120)
    finally:
        server.close()
    assert process.returncode == 1, err
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("cuda-worker: error:")]
    assert len(errors) == 1 and f"127.0.0.1:{port}" in errors[0], err
