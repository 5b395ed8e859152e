"""Stages either finish or are skipped with the reason printed; nothing downstream pretends to have run."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from gpuscale.demo import report, runner
from gpuscale.demo.stages import StageRunner


def test_a_failing_stage_is_skipped_with_its_error_and_its_dependents_too(capsys):
    stages = StageRunner("gpuscale", ["load", "aggregate", "chart", "other"], progress=False)
    stages.run("load", lambda: 41)
    stages.run("aggregate", lambda n: n + 1, "load")
    stages.run("chart", lambda n: {}["missing"], "aggregate")
    stages.run("other", lambda: "independent")
    assert stages.value("aggregate") == 42
    assert stages.results["chart"].skipped == "KeyError: 'missing'"
    assert stages.value("chart") is None and stages.value("other") == "independent"
    stages.run("after chart", lambda x: x, "chart")
    assert stages.results["after chart"].skipped == "needs the result of 'chart'"
    printed = capsys.readouterr().out
    assert "SKIPPED (KeyError: 'missing')" in printed
    assert "SKIPPED (needs the result of 'chart')" in printed


def test_interruptions_are_not_swallowed():
    stages = StageRunner("gpuscale", ["load"], progress=False)
    with pytest.raises(KeyboardInterrupt):
        stages.run("load", lambda: (_ for _ in ()).throw(KeyboardInterrupt))


def test_timing_table_ratios_and_totals(capsys):
    mine = StageRunner("gpuscale", ["a", "b"], progress=False)
    theirs = StageRunner("pandas", ["a", "b"], progress=False)
    for runner_, seconds in ((mine, {"a": 1.0, "b": 2.0}), (theirs, {"a": 3.0, "b": 1.0})):
        for name, value in seconds.items():
            runner_.run(name, lambda: None)
            runner_.results[name].seconds = value
    rows = report.timing_rows({"gpuscale": mine, "pandas": theirs})
    assert rows == [("a", 1.0, 3.0), ("b", 2.0, 1.0)]
    report.show_timings(rows)
    lines = capsys.readouterr().out.splitlines()
    assert lines[-4].split() == ["a", "1.00", "3.00", "3.00x"]
    assert lines[-2].split() == ["total", "3.00", "4.00", "1.33x"]


def test_no_total_when_a_stage_did_not_run(capsys):
    report.show_timings([("a", 1.0, 2.0), ("b", None, 1.0)])
    printed = capsys.readouterr().out
    assert "total" not in printed and "b" in printed


def test_pandas_comparison_skipped_when_it_would_not_fit(monkeypatch, capsys):
    import psutil

    dataset = SimpleNamespace(plan=SimpleNamespace(size=10**9))
    monkeypatch.setattr(psutil, "virtual_memory", lambda: SimpleNamespace(available=2 * 10**9))
    assert not runner._pandas_fits_in_memory(dataset)
    assert "the pandas comparison is skipped" in capsys.readouterr().out
    monkeypatch.setattr(psutil, "virtual_memory", lambda: SimpleNamespace(available=20 * 10**9))
    assert runner._pandas_fits_in_memory(dataset)
