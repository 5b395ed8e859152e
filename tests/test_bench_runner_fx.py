"""benchmarks.run and the scheduler / cluster benchmarks: --help, --quick everywhere, a summary of this run's
tables only, scheduler.md written, answers compared, and the results folder as an option."""

from __future__ import annotations

import json
import os
import time

import pytest

from benchmarks import cluster, run, scheduler
from benchmarks import xarray as xbench


def test_run_help_prints_usage_and_names(capsys):
    assert run.main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "python -m benchmarks.run" in out and "scheduler" in out and "tpch" in out


def test_summary_has_only_this_runs_tables(tmp_path):
    stale, fresh = tmp_path / "old.md", tmp_path / "new.md"
    stale.write_text("stale table")
    os.utime(stale, (time.time() - 3600,) * 2)
    started = time.time() - 1
    fresh.write_text("fresh table")
    run._summarize(started, tmp_path)
    assert (tmp_path / "summary.md").read_text() == "fresh table"


def test_scheduler_quick_writes_markdown_and_json(tmp_path, capsys):
    assert scheduler.main(["--quick", "--tasks", "200", "--workloads", "independent,tree",
                           "--results-dir", str(tmp_path)]) == 0
    saved = json.loads((tmp_path / "scheduler.json").read_text())
    assert saved["meta"]["repeat"] == 1 and saved["meta"]["tasks"] == 200
    assert all(row["same_answer"] for row in saved["results"])
    assert "| independent | 200 | sync |" in (tmp_path / "scheduler.md").read_text()


def test_scheduler_marks_a_wrong_answer(monkeypatch, tmp_path):
    ours, theirs = scheduler.RUNNERS["sync"]
    monkeypatch.setattr(scheduler, "RUNNERS", {"sync": (lambda g, k: [0] * len(k), theirs)})
    assert scheduler.main(["--quick", "--tasks", "50", "--workloads", "independent",
                           "--results-dir", str(tmp_path)]) == 1
    assert "| NO |" in (tmp_path / "scheduler.md").read_text()


def test_scheduler_refuses_unknown_workloads(tmp_path):
    with pytest.raises(SystemExit):
        scheduler.main(["--workloads", "nosuch", "--results-dir", str(tmp_path)])
    assert list(tmp_path.iterdir()) == []


def test_cluster_and_xarray_take_a_results_dir(monkeypatch, tmp_path):
    monkeypatch.setattr(cluster, "run", lambda repeats, n_tasks, protocols: [])
    monkeypatch.setattr(cluster, "markdown", lambda rows, n_tasks: "table\n")
    assert cluster.main(["--quick", "--results-dir", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cluster.json", "cluster.md"]
    assert str(xbench._parser().parse_args(["--results-dir", str(tmp_path)]).results_dir) == str(tmp_path)
