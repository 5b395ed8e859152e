"""``python -m gpuscale demo`` end to end, in real subprocesses, at a tiny size.

The results the demo writes are checked against the pandas pipeline computed here;
bad options, an unwritable output folder and interruptions must end with a clear
message, a non-zero status and no partial output.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from gpuscale.demo import etl
from gpuscale.demo.dataset import ensure_dataset
from gpuscale.demo.pipeline import compare_results

ROOT = Path(__file__).resolve().parents[2]
AGGREGATES = ["by_hour", "by_zone", "by_borough_payment"]


def _env(**overrides: str) -> dict:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path, "PYTHONUNBUFFERED": "1", **overrides}


def demo(*args, cwd: Path, timeout: int = 240, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gpuscale", "demo", *map(str, args)], cwd=cwd, env=_env(**env),
                          capture_output=True, text=True, timeout=timeout)


def start_demo(*args, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "gpuscale", "demo", *map(str, args)], cwd=cwd, env=_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_ctrl_c_default)


def _ctrl_c_default() -> None:
    # a test runner started in the background may have SIGINT ignored, which the child would inherit
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("demo-data")


def _expected(dataset: Path) -> dict:
    trips = pd.read_parquet(dataset / "trips", columns=etl.TRIP_COLUMNS)
    zones = pd.read_parquet(dataset / "zones.parquet")
    return etl.sort(etl.aggregate(etl.prepare(trips, zones)))


def _check_outputs(output: Path, dataset: Path) -> None:
    expected = _expected(dataset)
    actual = {name: pd.read_parquet(output / f"{name}.parquet") for name in AGGREGATES}
    assert compare_results(actual, expected) == []
    enriched = pd.read_parquet(output / "trips_enriched")
    assert len(enriched) == expected["by_hour"].trips.sum()
    assert {"borough", "zone", "tip_pct", "pickup_hour"} <= set(enriched.columns)
    assert (output / "mean_tip_by_hour.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((output / "summary.json").read_text())
    assert summary["skipped"] == {}
    assert not [p for p in output.iterdir() if p.name.startswith(".")]  # no staging left


def test_local_run_writes_what_pandas_computes(tmp_path, data_dir):
    output = tmp_path / "out"
    run = demo("--size", "20MB", "--local", "--data-dir", data_dir, "--output", output, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    _check_outputs(output, data_dir / "20MB")
    assert "engine: gpuscale local runtime" in run.stdout
    assert "results identical to the pandas pipeline (up to float rounding): yes" in run.stdout
    assert "array results identical to NumPy (up to float rounding): yes" in run.stdout
    assert f"chart of mean tip by hour: {output / 'mean_tip_by_hour.png'}" in run.stdout
    for stage in ("read, clean, derive, join", "group-by aggregations", "sort", "write parquet", "total"):
        assert stage in run.stdout.split("Timings")[1]
    assert json.loads((output / "summary.json").read_text())["matches_pandas"] is True


def test_cluster_run_reuses_the_cached_data(tmp_path, data_dir):
    output = tmp_path / "out"
    ensure_dataset(data_dir, 20 * 10**6, progress=False)  # cached by an earlier run (or now)
    run = demo("--size", "20MB", "--data-dir", data_dir, "--output", output, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "data: reusing cached" in run.stdout
    assert "engine: LocalCUDACluster" in run.stdout
    assert "dashboard: http" in run.stdout
    if "device: GPU" not in run.stdout:
        notices = [line for line in run.stdout.splitlines() if line.startswith("notice: No usable GPU")]
        assert len(notices) == 1
    _check_outputs(output, data_dir / "20MB")


@pytest.mark.parametrize("size", ["abc", "0", "-1GB", "5TB"])
def test_bad_size_is_a_clear_error_with_nothing_written(tmp_path, size):
    run = demo(f"--size={size}", "--output", tmp_path / "out", "--data-dir", tmp_path / "data", cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.startswith("gpuscale demo: error: --size")
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_is_a_clear_error_with_nothing_written(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    run = demo("--size", "20MB", "--output", blocker / "out", "--data-dir", tmp_path / "data", cwd=tmp_path)
    assert run.returncode == 2
    assert "cannot write to the output folder" in run.stderr and "--output" in run.stderr
    assert "Traceback" not in run.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_interrupted_run_leaves_no_output_and_the_next_run_reuses_the_data(tmp_path, data_dir):
    output = tmp_path / "out"
    process = start_demo("--size", "20MB", "--local", "--data-dir", data_dir, "--output", output, cwd=tmp_path)
    for line in process.stdout:
        if line.startswith("gpuscale pipeline"):
            process.send_signal(signal.SIGINT)
            break
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, out + err
    assert "interrupted; no output was written" in err
    assert not output.exists()
    again = demo("--size", "20MB", "--local", "--no-compare", "--data-dir", data_dir, "--output", output,
                 cwd=tmp_path)
    assert again.returncode == 0 and "data: reusing cached" in again.stdout


def test_generation_killed_midway_resumes_from_the_whole_parts(tmp_path):
    data, output = tmp_path / "data", tmp_path / "out"
    process = start_demo("--size", "40MB", "--local", "--data-dir", data, "--output", output, cwd=tmp_path)
    first_part = data / ".40MB.incomplete" / "trips" / "part-00000.parquet"
    deadline = time.monotonic() + 120
    while not first_part.exists() and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.005)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 130, out + err
    assert not output.exists() and not (data / "40MB").exists()
    parts = sorted(p.name for p in first_part.parent.iterdir())
    assert parts and all(p.endswith(".parquet") and not p.startswith(".") for p in parts)
    again = demo("--size", "40MB", "--local", "--no-compare", "--data-dir", data, "--output", output,
                 cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"parts kept" in again.stdout
    assert len(pd.read_parquet(data / "40MB" / "trips")) == 40_000_000 // 80


@pytest.mark.gpu
def test_on_a_gpu_machine_the_demo_runs_on_the_gpus(tmp_path, data_dir):
    output = tmp_path / "out"
    # as a user runs it: the suite pins GPUSCALE_BACKEND=cpu for every test, which the demo would inherit
    run = demo("--size", "20MB", "--data-dir", data_dir, "--output", output, cwd=tmp_path, GPUSCALE_BACKEND="auto")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "backend: frames on cudf, arrays on cupy" in run.stdout, run.stdout
    assert "device: GPU" in run.stdout and "notice: No usable GPU" not in run.stdout
    _check_outputs(output, data_dir / "20MB")
