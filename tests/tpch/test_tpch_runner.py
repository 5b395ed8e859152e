"""The benchmark runner's process handling and result files (no timings are asserted)."""

from __future__ import annotations

import json
import sys

import pytest

from benchmarks.tpch import report, run


def _child(code: str, timeout=30.0, memory_limit=2**33, tmp_path=None):
    return run.run_child([sys.executable, "-c", code], timeout, memory_limit, tmp_path)


def test_child_record_is_read_from_its_last_json_line(tmp_path):
    record = _child("print('noise'); print('{\"seconds\": [1.5]}')", tmp_path=tmp_path)
    assert record == {"seconds": [1.5]}


def test_child_over_time_is_killed(tmp_path):
    assert _child("import time; time.sleep(60)", timeout=0.5, tmp_path=tmp_path)["error"].startswith("timeout")


def test_child_over_memory_is_killed(tmp_path):
    code = "import time; x = bytearray(400 * 2**20); x[::4096] = b'1' * len(x[::4096]); time.sleep(60)"
    record = _child(code, memory_limit=200 * 2**20, tmp_path=tmp_path)
    assert record["error"].startswith("memory limit")


def test_crashing_child_reports_its_last_stderr_line(tmp_path):
    record = _child("raise SystemExit('broken engine')", tmp_path=tmp_path)
    assert record == {"error": "process failed: broken engine"}


def _payload():
    ok = {"seconds": [2.0, 1.0, 3.0], "peak_rss_bytes": 2**30, "correct": True}
    results = {
        "gpuscale": {"1": {**ok, "seconds": [4.0]}, "2": {"error": "AttributeError: no merge", "peak_rss_bytes": 1}},
        "dask": {"1": ok, "2": {**ok, "seconds": [1.0]}},
        "duckdb": {"1": {**ok, "correct": False, "wrong_answer": "Q1: 3 rows != expected 4"},
                   "2": {"error": "timeout: still running after 5 s, killed"}},
    }
    env = {"cpus": 2, "ram_gib": 24.0, "gpuscale_commit": "abc"}
    return {"scale_factor": 1.0, "repeat": 3, "engines": ["gpuscale", "dask", "duckdb"], "environment": env,
            "load_average_before": [1.0, 1.0, 1.0], "load_average_after": [2.0, 2.0, 2.0], "results": results}


def test_markdown_reports_medians_ratios_and_every_failure():
    table = report.markdown(_payload())
    assert "| Q1 | 4.000 | 2.000 | wrong answer | 2.00 |" in table
    assert "| Q2 | error | 1.000 | timeout | - |" in table
    assert "* gpuscale Q2: AttributeError: no merge" in table
    assert "* duckdb Q1: Q1: 3 rows != expected 4" in table
    assert "geomean (0 queries all engines ran)" in table
    assert "| queries answered correctly | 1 | 2 | 0 |  |" in table


def test_write_all_writes_json_markdown_and_png(tmp_path):
    payload = _payload()
    table = report.write_all(payload, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tpch_sf1.json", "tpch_sf1.md", "tpch_sf1.png"]
    assert json.loads((tmp_path / "tpch_sf1.json").read_text()) == payload
    assert (tmp_path / "tpch_sf1.md").read_text() == table
    assert (tmp_path / "tpch_sf1.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_geomean():
    assert report.geomean([1.0, 4.0]) == 2.0
    assert report.geomean([]) is None


def _cluster_payload():
    payload = _payload()
    payload["engines"] = ["gpuscale", "dask"]
    payload["results"] = {name: payload["results"][name] for name in payload["engines"]}
    payload["results"]["gpuscale"]["1"].update(tasks=12, worker_peak_rss_bytes=3 * 2**30,
                                                client_peak_rss_bytes=2**29)
    payload["cluster"] = {"kind": "distributed.LocalCluster", "workers": 2, "threads_per_worker": 1,
                          "memory_limit_bytes": 8 * 2**30, "workers_import_gpuscale_from": ["/x/gpuscale"]}
    return payload


def test_cluster_markdown_describes_the_cluster_and_reports_tasks_and_worker_memory():
    table = report.markdown(_cluster_payload())
    assert table.startswith("## TPC-H SF1 on a Dask distributed cluster")
    assert "2-worker `distributed.LocalCluster` (1 thread(s) and memory_limit 8.0 GiB per worker" in table
    assert "| Q1 | 4.000 | 2.000 | 2.00 |" in table
    assert "| Q1 | 12 | - | 3072 | - | 512 | - |" in table


def test_cluster_results_get_their_own_files(tmp_path):
    report.write_all(_cluster_payload(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tpch_cluster_sf1.json", "tpch_cluster_sf1.md",
                                                          "tpch_cluster_sf1.png"]


def test_cluster_mode_defaults_to_sf10_gpuscale_and_dask():
    args = run.parse_args(["--cluster"])
    assert (args.sf, args.engines, args.workers) == (10.0, "gpuscale,dask", 2)
    assert args.threads_per_worker >= 1 and args.worker_memory_gib > 0
    assert run.parse_args([]).sf == 1.0 and run.parse_args(["--cluster", "--sf", "1"]).sf == 1.0


def test_worker_memory_is_sampled(tmp_path):
    import os
    import subprocess

    helper = subprocess.Popen([sys.executable, "-c", "x = bytearray(64 * 2**20); x[::4096] = b'1' * len(x[::4096]);"
                               "import time; time.sleep(30)"])
    try:
        import time
        time.sleep(1.0)
        record = run.run_child([sys.executable, "-c", "import time; time.sleep(0.5); print('{}')"], 30.0, 2**33,
                               tmp_path, [helper.pid, os.getpid()])
    finally:
        helper.kill()
        helper.wait()
    assert record["worker_peak_rss_bytes"] > 64 * 2**20 and record["client_peak_rss_bytes"] > 0


@pytest.mark.timeout(240)
def test_cluster_run_end_to_end(tmp_path, tpch_path):
    """``run --cluster`` on one query at SF 0.01: both engines answer on the cluster, checked, and files written."""
    pytest.importorskip("distributed")
    run.main(["--cluster", "--sf", "0.01", "--queries", "6", "--repeat", "1", "--tree", "worktree",
              "--output", str(tmp_path)])
    payload = json.loads((tmp_path / "tpch_cluster_sf0.01.json").read_text())
    assert payload["cluster"]["workers"] == 2
    assert payload["cluster"]["workers_import_gpuscale_from"] == [str(run.data.REPO_ROOT / "gpuscale")]
    for engine in ("gpuscale", "dask"):
        record = payload["results"][engine]["6"]
        assert record["correct"] is True and record["tasks"] >= 1 and record["worker_peak_rss_bytes"] > 0, record
    assert "gpuscale/dask" in (tmp_path / "tpch_cluster_sf0.01.md").read_text()
