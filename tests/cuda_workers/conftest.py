"""Fixtures for cuda_workers: fake GPUs through a fake NVML, and a process-leak check."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import psutil
import pytest

FAKE_NVML_DIR = Path(__file__).parent / "fake_nvml"
sys.path.insert(0, str(FAKE_NVML_DIR))  # fake_pynvml / fake_device in this process too

import fake_pynvml  # noqa: E402

GiB = 2**30

TWO_GPUS = [
    {"name": "Fake GPU A", "uuid": "GPU-aaaaaaaa-0000-0000-0000-000000000000", "memory": 16 * GiB,
     "cpus": [0], "nvlink": [1]},
    {"name": "Fake GPU B", "uuid": "GPU-bbbbbbbb-0000-0000-0000-000000000000", "memory": 8 * GiB,
     "cpus": [1], "nvlink": [0]},
]


# a GPU without memory of its own, which shares the host's (NVML reports none, as for DGX Spark's GB10)
SHARED_MEMORY_GPU = {"name": "Fake GB10", "uuid": "GPU-dddddddd-0000-0000-0000-000000000000", "memory": None,
                     "cpus": [0, 1]}


def use_fake_gpus(monkeypatch: pytest.MonkeyPatch, gpus: list[dict]) -> None:
    """Fake NVML here and in every subprocess (through sitecustomize on PYTHONPATH)."""
    fake_pynvml.install(gpus, setattr=monkeypatch.setattr)
    monkeypatch.setenv(fake_pynvml.ENV_VAR, json.dumps(gpus))
    path = os.pathsep.join(filter(None, [str(FAKE_NVML_DIR), os.environ.get("PYTHONPATH")]))
    monkeypatch.setenv("PYTHONPATH", path)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)


@pytest.fixture
def fake_gpus(monkeypatch):
    """Two fake GPUs (16 and 8 GiB, pinned to cores 0 and 1, linked by NVLink)."""
    use_fake_gpus(monkeypatch, TWO_GPUS)
    return TWO_GPUS


@pytest.fixture
def no_gpu(monkeypatch):
    """The real situation on a GPU-less machine, whatever CUDA_VISIBLE_DEVICES says."""
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    monkeypatch.delenv(fake_pynvml.ENV_VAR, raising=False)


def _children() -> set[int]:
    """Live child processes, except multiprocessing's long-lived resource tracker."""
    pids = set()
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "resource_tracker" not in " ".join(child.cmdline()):
                pids.add(child.pid)
        except psutil.NoSuchProcess:
            pass
    return pids


@pytest.fixture(autouse=True, scope="module")
def no_leaked_processes():
    """Every module must leave no worker process behind."""
    before = _children()
    yield
    deadline = time.monotonic() + 10
    while (leaked := _children() - before) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not leaked, f"leaked processes: {[psutil.Process(p).cmdline() for p in leaked]}"


_CHILD_VAR = "GPUSCALE_TEST_IN_CHILD"


@pytest.fixture
def own_process(request):
    """Run the test in a pytest process of its own; the fixture's value is True in the parent, whose test then
    only returns.  For UCX tests: UCX's native code has crashed (a segfault while the client read a message over
    TCP, once, on a loaded 2-core machine) and a crash must fail this test, not end the whole run.  A crash by a
    signal is run once more with a warning (the output of both tries is shown); any other failure fails at once."""
    if os.environ.get(_CHILD_VAR) == request.node.nodeid:
        return False
    import signal
    import subprocess
    import warnings

    command = [sys.executable, "-m", "pytest", request.node.nodeid, "-q", "-p", "no:cacheprovider", "-W",
               "ignore::pytest.PytestUnraisableExceptionWarning"]
    env = {**os.environ, _CHILD_VAR: request.node.nodeid}
    outputs = []
    for _ in range(2):
        child = subprocess.Popen(command, cwd=request.config.rootpath, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, text=True, start_new_session=True)
        try:
            outputs.append(child.communicate(timeout=200)[0])
        finally:
            try:  # workers of a crashed child must not outlive it
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            child.wait()
        if child.returncode >= 0:
            break
        warnings.warn(f"{request.node.name}: the test process died of signal {-child.returncode}; run again")
    assert child.returncode == 0, "\n".join(outputs)[-6000:]
    return True


@pytest.fixture
def cudf_installed(monkeypatch):
    """cuDF counts as installed here (``enable_cudf_spill=True`` is refused without it)."""
    from cuda_workers import settings

    real = settings._find_spec
    monkeypatch.setattr(settings, "_find_spec", lambda name: object() if name == "cudf" else real(name))
