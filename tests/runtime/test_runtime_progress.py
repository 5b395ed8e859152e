"""The progress bar: forced, disabled, automatic only on a terminal."""

from __future__ import annotations

import pytest

import gpuscale
from gpuscale.runtime import get
from gpuscale.runtime.progress import progress_bar

GRAPH = {("t", i): (abs, -i) for i in range(3000)}


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_progress_true_shows_a_bar_and_false_none(capsys, scheduler):
    assert get(GRAPH, ("t", 5), scheduler=scheduler, progress=True) == 5
    assert "gpuscale" in capsys.readouterr().err
    get(GRAPH, list(GRAPH), scheduler=scheduler, progress=False)
    assert capsys.readouterr().err == ""


def test_auto_shows_nothing_when_stderr_is_not_a_terminal(capsys):
    with gpuscale.config.set(progress="auto"):
        get(GRAPH, list(GRAPH))
    assert capsys.readouterr().err == ""


def test_auto_on_a_terminal_waits_about_a_second(monkeypatch):
    monkeypatch.setattr("gpuscale.runtime.progress._stderr_is_tty", lambda: True)
    with progress_bar("auto", 10) as bar:
        assert bar is not None and bar.delay == pytest.approx(1.0)
    with progress_bar(True, 10) as bar:
        assert bar.delay == 0


def test_a_broken_tqdm_never_breaks_the_computation(monkeypatch):
    import tqdm.auto

    def broken(*args, **kwargs):
        raise RuntimeError("no terminal")

    monkeypatch.setattr(tqdm.auto, "tqdm", broken)
    assert get(GRAPH, ("t", 7), progress=True) == 7
