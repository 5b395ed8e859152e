"""``gpuscale check`` judges what a computation that names no backend uses, dask's config included: with
``dataframe.backend="cudf"`` (ported RAPIDS code, or ``DASK_DATAFRAME__BACKEND``) and no cuDF here every such
computation fails, so check must not say OK."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dask
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale import check
from gpuscale.backends import BackendUnavailableError, _detect

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_cudf():
    if _detect.installed("cudf") or _detect.installed("cupy"):
        pytest.skip("cudf or cupy is installed here")


@pytest.fixture
def auto_backend(monkeypatch):
    monkeypatch.delenv("GPUSCALE_BACKEND", raising=False)  # the suite's default is "cpu": dask's switch needs auto


def test_dask_config_asking_for_cudf_is_a_problem(no_cudf, auto_backend):
    with dask.config.set({"dataframe.backend": "cudf"}):
        with pytest.raises(BackendUnavailableError):  # what every default computation meets
            gd.from_pandas(pd.DataFrame({"a": [1]}), npartitions=1)
        report = check.collect()
    assert not report["ok"]
    assert any("dataframe.backend" in p and "needs cudf" in p for p in report["problems"]), report["problems"]
    assert report["auto"]["dask"] == {"dataframe.backend": "cudf"}
    text = check.format_report(report)
    assert "OK:" not in text and "dask's config dataframe.backend='cudf' overrides it" in text


def test_dask_defaults_change_nothing(no_cudf, auto_backend):
    with dask.config.set({"dataframe.backend": "pandas", "array.backend": "numpy"}):
        report = check.collect()
    assert report["ok"] and report["configured"] == {"backend": "auto"}
    assert report["auto"] == {"array": "numpy", "dataframe": "pandas"}


def test_the_dask_environment_variable_is_read_as_dask_reads_it(no_cudf):
    env = {k: v for k, v in os.environ.items() if k != "GPUSCALE_BACKEND"}
    run = subprocess.run([sys.executable, "-m", "gpuscale", "check"], capture_output=True, text=True, timeout=240,
                         cwd=ROOT, env={**env, "DASK_DATAFRAME__BACKEND": "cudf"})
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FAILED: the configured default backend cannot run here: backend 'cudf' (dask's config " \
           "'dataframe.backend') needs cudf" in run.stdout


def test_backend_names_are_case_insensitive():
    run = subprocess.run([sys.executable, "-m", "gpuscale", "check", "--backend", "CPU"], capture_output=True,
                         text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "OK: required backends usable and correct: numpy, pandas" in run.stdout
