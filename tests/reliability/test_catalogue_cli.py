"""Reliability catalogue (docs/reliability.md), command lines: ``cuda-worker`` and ``python -m gpuscale`` given
arguments that cannot work. Usage errors are checked through ``main(argv)`` in this process (argparse exits with
status 2 before anything starts); a scheduler that cannot be resolved is checked in a real process. Each test holds
one catalogue entry."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from _subproc import ROOT

pytestmark = pytest.mark.timeout(120)


def _exit_status(main, argv) -> int:
    try:
        return main(argv)
    except SystemExit as stop:
        return stop.code


@pytest.fixture
def cuda_worker(monkeypatch):
    monkeypatch.delenv("CUDA_WORKERS_FAKE_NVML", raising=False)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    from cuda_workers.cli import main

    return lambda *argv: _exit_status(main, list(argv))


@pytest.mark.parametrize(("argv", "message"), [
    ((), "cuda-worker: error: SCHEDULER_ADDRESS is required (or --scheduler-file, or --show-devices)"),
    (("foo://127.0.0.1:1",), "SCHEDULER_ADDRESS: unknown address scheme 'foo' (known schemes: ["),
    (("tcp://127.0.0.1:1", "--memory-limit", "lots"), "cuda-worker: error: memory_limit: cannot read 'lots' as a size"),
    (("tcp://127.0.0.1:1", "--nthreads", "0"), "threads_per_worker: must be a positive integer or None; got 0"),
    (("tcp://127.0.0.1:1", "--n-workers", "-1"), "n_workers: must be a positive integer or None; got -1"),
    (("tcp://127.0.0.1:1", "--protocol", "carrier"), "protocol: unknown protocol 'carrier'; choose one of"),
    (("tcp://127.0.0.1:1", "--bogus"), "cuda-worker: error: unrecognized arguments: --bogus"),
    (("tcp://127.0.0.1:1", "--local-directory", str(ROOT / "README.md")), "exists and is not a directory"),
], ids=["no-address", "unknown-scheme", "memory-limit-lots", "nthreads-0", "n-workers-negative", "protocol-unknown",
        "unknown-flag", "local-directory-file"])
def test_cuda_worker_usage_error(cuda_worker, capsys, argv, message):
    assert cuda_worker(*argv) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert "Traceback" not in err


def test_cuda_worker_scheduler_host_that_does_not_resolve(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("CUDA_VISIBLE_DEVICES", "CUDA_WORKERS_FAKE_NVML")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    env["DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT"] = "2s"
    run = subprocess.run([sys.executable, "-m", "cuda_workers.cli", "tcp://no-such-host.invalid:8786", "--n-workers",
                          "1", "--local-directory", str(tmp_path)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=100)
    assert run.returncode == 1, run.stderr
    errors = [line for line in run.stderr.splitlines() if line.startswith("cuda-worker: error:")]
    assert len(errors) == 1 and "cannot reach the scheduler at tcp://no-such-host.invalid:8786 within 2 s" in errors[0]
    assert "Traceback" not in run.stderr
    assert os.listdir(tmp_path) == []


@pytest.fixture
def gpuscale_cli():
    from gpuscale.__main__ import main

    return lambda *argv: _exit_status(main, list(argv))


@pytest.mark.parametrize(("argv", "message"), [
    ((), "gpuscale: error: the following arguments are required: COMMAND"),
    (("bogus",), "invalid choice: 'bogus' (choose from 'demo', 'check')"),
    (("check", "--bogus"), "gpuscale: error: unrecognized arguments: --bogus"),
    (("demo", "--size", "nonsense"), "gpuscale demo: error: --size 'nonsense': cannot read 'nonsense' as a size"),
], ids=["no-command", "unknown-command", "check-unknown-flag", "demo-size-nonsense"])
def test_gpuscale_usage_error(gpuscale_cli, capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert gpuscale_cli(*argv) == 2
    err = capsys.readouterr().err
    assert message in err, err
    assert os.listdir(tmp_path) == []


def test_gpuscale_demo_negative_size_after_a_space(gpuscale_cli, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert gpuscale_cli("demo", "--size", "-5MB") == 2
    assert "cannot be negative" in capsys.readouterr().err
