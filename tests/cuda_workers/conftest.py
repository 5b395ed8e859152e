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
