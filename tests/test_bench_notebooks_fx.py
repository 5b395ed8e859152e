"""benchmarks.notebooks_compat without the notebooks' checkouts: a clear message naming the missing checkout and
the variable to set, exit status 2, nothing written (it raised CalledProcessError from ``git show``)."""

from __future__ import annotations

import pytest

from benchmarks import notebooks_compat as nbc


@pytest.fixture
def no_checkouts(monkeypatch, tmp_path):
    monkeypatch.setattr(nbc, "REPOS", {key: str(tmp_path / key) for key in nbc.REPOS})
    monkeypatch.setattr(nbc, "RESULTS", tmp_path / "results")
    return tmp_path


def test_missing_checkouts_are_named_with_their_variables(no_checkouts, capsys):
    assert nbc.main(["--notebook", "examples/", "--dask-cache", str(no_checkouts / "cache.pkl")]) == 2
    err = capsys.readouterr().err
    assert "DASK_EXAMPLES" in err and str(no_checkouts / "examples") in err and "Traceback" not in err
    assert not (no_checkouts / "results").exists() and not (no_checkouts / "cache.pkl").exists()


def test_notebook_cells_of_a_missing_checkout_say_which(no_checkouts):
    nb = next(nb for nb in nbc.NOTEBOOKS if nb.repo == "xarray-tutorial")
    with pytest.raises(FileNotFoundError, match="XARRAY_TUTORIAL"):
        nbc.notebook_cells(nb)


def test_a_checkout_present_is_read(no_checkouts):
    nb = nbc.NOTEBOOKS[0]
    target = no_checkouts / nb.repo / nb.path
    target.parent.mkdir(parents=True)
    target.write_text('{"cells": [{"cell_type": "code", "source": ["x = 1"]}]}')
    assert nbc.missing_checkouts([nb]) == [] and nbc.notebook_cells(nb) == [(0, "x = 1")]
