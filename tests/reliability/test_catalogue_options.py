"""Reliability catalogue (docs/reliability.md), options and environment variables: values that cannot work,
where the error appears, and variables that are ignored. Each test holds one catalogue entry."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import gpuscale
import gpuscale.array as ga
import gpuscale.dataframe as gd
from gpuscale import config
from gpuscale.backends import BackendUnavailableError

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize(("variable", "text", "allowed"), [
    ("GPUSCALE_DEVICE_TASKS", "0", "expected a positive integer, or None for no limit"),
    ("GPUSCALE_DEVICE_MEMORY_LIMIT", "150%", "a percentage of the device's memory"),
    ("GPUSCALE_NUM_WORKERS", "2.0", "expected a positive integer"),
    ("GPUSCALE_MEMORY_LIMIT", "10%", "cannot read '10%' as a size in bytes"),
    ("GPUSCALE_DATAFRAME_PARTITION_BYTES_CPU", "-1MB", "cannot be negative"),
    ("GPUSCALE_ARRAY_CHUNK_BYTES_GPU", "0", "expected a positive size in bytes"),
], ids=["device-tasks-0", "device-memory-150%", "num-workers-2.0", "memory-limit-10%", "partition-bytes-negative",
        "chunk-bytes-gpu-0"])
def test_bad_variable_is_named_when_its_option_is_read(monkeypatch, variable, text, allowed):
    monkeypatch.setenv(variable, text)
    option = {"GPUSCALE_DEVICE_TASKS": "device.tasks", "GPUSCALE_DEVICE_MEMORY_LIMIT": "device.memory_limit",
              "GPUSCALE_DATAFRAME_PARTITION_BYTES_CPU": "dataframe.partition_bytes.cpu",
              "GPUSCALE_ARRAY_CHUNK_BYTES_GPU": "array.chunk_bytes.gpu"}.get(variable, variable[9:].lower())
    with pytest.raises(ValueError, match=f"environment variable {variable}='{text}' is not valid: .*{allowed}"):
        config.get(option)


def test_bad_device_variable_does_not_stop_cpu_work():
    # device options are read only when a device library is loaded: CPU computations run (a fresh process,
    # since other tests of this session load array-api-strict, a device library)
    import os
    import subprocess
    import sys

    env = {**os.environ, "GPUSCALE_DEVICE_TASKS": "0"}
    code = "import gpuscale.array as ga; print(float(ga.ones((4,), chunks=2).sum().compute()))"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "4.0", done.stderr


def test_spill_dir_variable_naming_a_file_stops_compute(monkeypatch, tmp_path):
    (tmp_path / "file").write_text("x")
    monkeypatch.setenv("GPUSCALE_SPILL_DIR", str(tmp_path / "file"))
    with pytest.raises(ValueError, match=r"GPUSCALE_SPILL_DIR='.*file' is not valid: it exists and is not a folder"):
        ga.ones((4,), chunks=2).sum().compute()


def test_partition_bytes_variable_stops_read_parquet(monkeypatch, tmp_path):
    pd.DataFrame({"i": range(10)}).to_parquet(tmp_path / "d.parquet")
    monkeypatch.setenv("GPUSCALE_DATAFRAME_PARTITION_BYTES_CPU", "-1MB")
    with pytest.raises(ValueError, match="GPUSCALE_DATAFRAME_PARTITION_BYTES_CPU='-1MB'"):
        gd.read_parquet(str(tmp_path / "d.parquet"))


def test_chunk_bytes_variable_stops_auto_chunks(monkeypatch):
    monkeypatch.setenv("GPUSCALE_ARRAY_CHUNK_BYTES_CPU", "lots")
    with pytest.raises(ValueError, match="GPUSCALE_ARRAY_CHUNK_BYTES_CPU='lots'"):
        ga.ones((1000,), chunks="auto", backend="cpu")


def test_spaces_around_a_number_are_accepted(monkeypatch):
    monkeypatch.setenv("GPUSCALE_NUM_WORKERS", " 3 ")
    assert config.get("num_workers") == 3


def test_misspelt_variable_is_ignored(monkeypatch):
    # like dask's unknown DASK_* variables: no warning; the option keeps its default
    before = config.get("backend")
    monkeypatch.setenv("GPUSCALE_BAKEND", "gpu")
    assert config.get("backend") == before
    assert float(ga.ones((4,), chunks=2).sum().compute()) == 4.0


@pytest.mark.parametrize("backend", ["gpu", "cupy", "cudf"])
def test_gpu_backend_variable_without_a_gpu(monkeypatch, backend):
    if gpuscale.backends.available()["cupy"].ok:
        pytest.skip("a GPU is usable here")
    monkeypatch.setenv("GPUSCALE_BACKEND", backend)
    with pytest.raises(BackendUnavailableError, match=f"backend '{backend}' needs cupy, which cannot run here"):
        ga.ones((3,))
    with pytest.raises(BackendUnavailableError, match=f"backend '{backend}' needs cudf"):
        gd.from_pandas(pd.DataFrame({"i": [1]}), npartitions=1)


def test_scheduler_variable_distributed_without_a_client(monkeypatch):
    monkeypatch.setenv("GPUSCALE_SCHEDULER", "distributed")
    with pytest.raises(ValueError, match=r"scheduler='distributed' needs a distributed.Client"):
        ga.ones((4,), chunks=2).sum().compute()


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("device.tasks", -1, "positive integer"),
    ("backend", None, "expected one of auto, cpu, gpu"),
], ids=["device-tasks-negative", "backend-None"])
def test_set_rejects(option, value, allowed):
    with pytest.raises(ValueError, match=f"option {option}={value!r} is not valid: .*{allowed}"):
        config.set(**{option: value})


def test_compute_with_zero_workers():
    with pytest.raises(ValueError, match="option num_workers=0 is not valid: expected a positive integer"):
        ga.ones((3,)).sum().compute(num_workers=0)


def test_spill_dir_below_a_file_is_refused_at_compute(tmp_path):
    (tmp_path / "file").write_text("x")
    graph = {"a": (np.ones, 1000), "b": (np.sum, "a")}
    with pytest.raises(NotADirectoryError, match=r"file/sub"):
        gpuscale.get(graph, "b", memory_limit=1, spill_dir=str(tmp_path / "file" / "sub"))
