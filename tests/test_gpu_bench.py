"""``benchmarks/gpu.py``, the GPU benchmark a session with a GPU runs: its engines must agree with NumPy and
pandas before a time is reported, and its GPU code paths run here with stand-ins (NumPy as CuPy, the strict
cuDF stand-in as cuDF), so the first run on a real GPU is not the first run of the harness."""

from __future__ import annotations

import json
import sys
import types

import numpy as np
import pytest
import strict_cudf

from benchmarks import gpu as gpu_bench


def _timed(report: dict) -> set[str]:
    return {row["engine"] for row in report["rows"] if "seconds" in row}


def test_cpu_engines_agree_and_gpu_engines_say_why_they_are_skipped(tmp_path, monkeypatch):
    monkeypatch.setattr(gpu_bench, "_gpu_usable", lambda: {"cupy": False, "cudf": False})
    out = tmp_path / "gpu.json"
    report = gpu_bench.main(["--quick", "--repeat", "1", "--json", str(out)])
    assert _timed(report) == {"numpy", "gpuscale-numpy", "pandas", "gpuscale-pandas"}
    skipped = {row["engine"]: row["skipped"] for row in report["rows"] if "skipped" in row}
    assert set(skipped) == {"cupy", "gpuscale-cupy", "dask-cupy", "cudf", "gpuscale-cudf"}
    assert all("no usable GPU" in reason for reason in skipped.values())
    saved = json.loads(out.read_text())
    assert saved["rows"] == json.loads(json.dumps(report["rows"], default=str))
    assert any("vs_numpy" in row for row in saved["rows"] if row["engine"] == "gpuscale-numpy")


def test_gpu_engine_paths_run_on_stand_ins(monkeypatch):
    strict_cudf.install(monkeypatch)
    fake_cupy = types.ModuleType("cupy")  # the harness's one CuPy call, asarray, made by NumPy
    fake_cupy.asarray, fake_cupy.ndarray = np.asarray, type("NoCupyArray", (), {})
    monkeypatch.setitem(sys.modules, "cupy", fake_cupy)
    monkeypatch.setattr(gpu_bench, "_gpu_usable", lambda: {"cupy": True, "cudf": True})
    report = gpu_bench.main(["--quick", "--repeat", "1", "--profile"])
    assert _timed(report) == {"numpy", "gpuscale-numpy", "cupy", "gpuscale-cupy", "dask-cupy", "pandas",
                              "gpuscale-pandas", "cudf", "gpuscale-cudf"}
    ratio = {(r["workload"], r["engine"]): r for r in report["rows"]}
    assert "vs_cudf" in ratio[("groupby_mean", "gpuscale-cudf")]
    assert "samples" in ratio[("groupby_mean", "gpuscale-cudf")]["profile"]  # --profile: where the time went
    assert "profile" not in ratio[("groupby_mean", "cudf")]
    assert "vs_cupy" in ratio[("anomaly", "dask-cupy")]


def test_a_wrong_answer_is_an_error_not_a_figure(monkeypatch):
    monkeypatch.setattr(gpu_bench, "_gpu_usable", lambda: {"cupy": False, "cudf": False})
    engines = gpu_bench.array_engines

    def with_a_wrong_engine(size, gpu):
        found = engines(size, gpu)
        prepare = found["gpuscale-numpy"]
        found["gpuscale-numpy"] = lambda host: prepare({**host, "cube": host["cube"] * 1.001})
        return found

    monkeypatch.setattr(gpu_bench, "array_engines", with_a_wrong_engine)
    with pytest.raises(AssertionError, match="gpuscale-numpy column_sum"):
        gpu_bench.main(["--quick", "--repeat", "1", "--only", "arrays"])


def test_the_gpu_profile_harness_runs_on_the_stand_in(tmp_path, capsys):
    """``benchmarks/gpu_profile.py`` (where a TPC-H query's time goes on cuDF): on the stand-in the answer is
    checked against DuckDB, each gate setting reports its wall time, device statistics and a profile."""
    from benchmarks import gpu_profile

    out = tmp_path / "profile.json"
    assert gpu_profile.main(["--sf", "0.01", "--queries", "3", "--tasks", "1,none", "--stand-in",
                             "--json", str(out)]) == 0
    gated, free = json.loads(out.read_text())
    assert (gated["tasks"], free["tasks"]) == (1, None)
    assert gated["computations"] >= 1 and gated["device"]["peak_device_tasks"] <= 1  # the gate held
    assert gated["wall"] > 0 and gated["profile"]["samples"] >= 0
    assert "cudf" not in sys.modules or not strict_cudf.is_stand_in(sys.modules["cudf"])  # the stand-in is gone
