"""Benchmark child processes: a child that dies is reported (no endless wait), its peak RSS is its own, unknown
workload names are refused up front, wrong answers are marked and the results folder is an option."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import threading
import time

import numpy as np
import pytest

from benchmarks import arrays, common, windows
from benchmarks import xarray as xbench


def _kill_self(queue) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _put_peak(queue) -> None:
    queue.put({"peak_rss": common.peak_rss()})


def _kill_children_soon(stop: threading.Event) -> None:
    while not stop.is_set():
        for proc in multiprocessing.active_children():
            os.kill(proc.pid, signal.SIGKILL)
            return
        time.sleep(0.05)


def test_a_killed_child_gives_an_error_record():
    assert common.run_in_child(_kill_self, ()) == {"error": "killed by signal 9"}


@pytest.mark.parametrize("module, args", [(arrays, ("numpy", "matmul", {**arrays.SIZES["quick"], "mm": 6000})),
                                          (windows, ("dask", "shift", 10_000_000, 4))])
def test_run_once_returns_when_its_child_is_killed(module, args):
    stop = threading.Event()
    killer = threading.Thread(target=_kill_children_soon, args=(stop,), daemon=True)
    killer.start()
    result: list = []
    runner = threading.Thread(target=lambda: result.append(module.run_once(*args)), daemon=True)
    runner.start()
    runner.join(60)
    stop.set()
    assert result == [{"error": "killed by signal 9"}]


def test_a_spawned_childs_peak_rss_is_not_its_parents():
    big = np.ones(400 * 2**20 // 8)  # the parent's resident high-water mark: 400 MiB more
    record = common.run_in_child(_put_peak, ())
    del big
    assert np.ones(1).sum() == 1 and record["peak_rss"] < 300 * 2**20


@pytest.mark.parametrize("module", [arrays, windows])
def test_unknown_workloads_are_refused_and_nothing_is_written(module, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        module.main(["--quick", "--repeat", "1", "--workloads", "nosuch", "--results-dir", str(tmp_path)])
    assert exit_info.value.code != 0 and "unknown workload" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_close_tolerance():
    assert common.close(1.0, 1.0 + 1e-9) and not common.close(1.0, 1.001)
    assert common.close(float("nan"), float("nan")) and not common.close(float("nan"), 1.0)


def test_arrays_checks_answers_against_numpy(tmp_path):
    assert arrays.main(["--quick", "--repeat", "1", "--workloads", "transpose_mean",
                        "--results-dir", str(tmp_path)]) == 0
    saved = json.loads((tmp_path / "arrays_quick.json").read_text())["results"]["transpose_mean"]
    assert all("wrong_answer" not in saved[lib] and "seconds" in saved[lib] for lib in ("numpy", "dask", "gpuscale"))
    assert (tmp_path / "arrays_quick.md").exists()


def test_arrays_marks_a_wrong_answer(monkeypatch, tmp_path):
    def fake_measure(workload, size, repeat, libraries):
        return {lib: {"seconds": 1.0, "peak_rss": 1, "gb_per_s": 1.0, "all_seconds": [1.0]} |
                ({"wrong_answer": "sum 1, expected 2"} if lib == "gpuscale" else {}) for lib in libraries}
    monkeypatch.setattr(arrays, "measure", fake_measure)
    assert arrays.main(["--quick", "--workloads", "matmul", "--results-dir", str(tmp_path)]) == 1
    assert "WRONG ANSWER" in (tmp_path / "arrays_quick.md").read_text()


def test_windows_exits_non_zero_on_different_answers(monkeypatch, tmp_path):
    def fake_measure(workload, data, partitions, repeat):
        return {"dask": {"seconds": 1.0, "all_seconds": [1.0], "check": 1.0},
                "gpuscale": {"seconds": 1.0, "all_seconds": [1.0], "check": 2.0}}
    monkeypatch.setattr(windows, "measure", fake_measure)
    assert windows.main(["--rows", "1000", "--workloads", "shift", "--results-dir", str(tmp_path)]) == 1
    assert "NO (1 vs 2)" in (tmp_path / "windows.md").read_text()


def test_xarray_compares_the_anomalies_with_a_tolerance(tmp_path):
    xr = pytest.importorskip("xarray")
    time_index = np.arange(4)
    for lib, shift in (("dask", 0.0), ("gpuscale", 0.5)):
        xr.Dataset({"climatology": ("m", np.ones(2)), "global_anomaly": ("time", np.zeros(4)),
                    "smoothed": ("time", np.zeros(4)),
                    "anomaly": (("time", "lat", "lon"), np.full((4, 2, 2), shift))},
                   coords={"time": time_index}).to_zarr(tmp_path / lib, consolidated=False)
    diffs = xbench._compare({lib: tmp_path / lib for lib in ("dask", "gpuscale")})
    assert diffs["anomaly"] == 0.5 and diffs["climatology"] == 0.0
    assert xbench._mismatches(diffs) == ["anomaly"]
