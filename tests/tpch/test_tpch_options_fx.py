"""TPC-H runner options and report: --no-check is recorded and said, explicit --sf/--repeat beat --quick,
--queries is checked at parsing, tpchgen-cli is found next to Python, and no git checkout is "unknown"."""

from __future__ import annotations

import stat
import sys

import pytest

from benchmarks.tpch import data, report, run


def _payload(checked=None):
    ok = {"seconds": [1.0], "peak_rss_bytes": 2**20}
    results = {"gpuscale": {"1": dict(ok), "2": {**ok, "correct": True}}, "dask": {"1": dict(ok), "2": dict(ok)}}
    payload = {"scale_factor": 1.0, "repeat": 1, "engines": ["gpuscale", "dask"], "results": results,
               "environment": {"cpus": 2, "ram_gib": 8.0, "gpuscale_commit": "abc"},
               "load_average_before": [1.0], "load_average_after": [1.0]}
    return payload if checked is None else {**payload, "checked": checked}


def test_unchecked_run_says_so_and_does_not_claim_correct_answers():
    table = report.markdown(_payload(checked=False))
    assert "answers checked against DuckDB" not in table and "not checked" in table
    assert "| queries run (answers not checked) | 2 | 2 |  |" in table
    assert "answered correctly" not in table


def test_a_missing_correct_is_not_a_pass_when_checked():
    table = report.markdown(_payload())
    assert "answers checked against DuckDB" in table
    assert "| queries answered correctly | 1 | 0 |  |" in table


def test_no_check_is_recorded(monkeypatch, tmp_path):
    seen = {}
    monkeypatch.setattr(run.data, "generate", lambda sf: tmp_path)
    monkeypatch.setattr(run, "run_all", lambda path, names, numbers, args: {n: {} for n in names})
    monkeypatch.setattr(run.report, "write_all", lambda payload, folder: seen.update(payload) or "")
    run.main(["--no-check", "--tree", "worktree", "--engines", "duckdb", "--queries", "1",
              "--output", str(tmp_path)])
    assert seen["checked"] is False


def test_explicit_sf_and_repeat_win_over_quick():
    args = run.parse_args(["--quick", "--sf", "1", "--repeat", "3"])
    assert (args.sf, args.repeat) == (1.0, 3)
    args = run.parse_args(["--quick"])
    assert (args.sf, args.repeat) == (0.1, 1)


@pytest.mark.parametrize("spec", ["23", "abc", "0-2"])
def test_bad_queries_are_refused_at_parsing(spec, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run.parse_args(["--queries", spec])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "--queries" in err and "Traceback" not in err
    assert run.parse_args(["--queries", "1,3,5-7"]).queries == [1, 3, 5, 6, 7]


def test_tpchgen_is_found_next_to_python(monkeypatch, tmp_path):
    exe = tmp_path / "tpchgen-cli"
    exe.write_text("#!/bin/sh\n")
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", "/nonexistent")
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert data._tpchgen_exe() == str(exe)


def test_head_commit_outside_a_checkout_is_unknown(monkeypatch, tmp_path):
    monkeypatch.setattr(data, "REPO_ROOT", tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    assert run.head_commit() == "unknown"
