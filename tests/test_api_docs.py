"""The API reference (docs/api, Sphinx + numpydoc) builds from the docstrings without a single warning."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_api_reference_builds_without_warnings(tmp_path):
    pytest.importorskip("sphinx", reason="the docs need sphinx and numpydoc (pip install sphinx numpydoc)")
    pytest.importorskip("numpydoc", reason="the docs need sphinx and numpydoc (pip install sphinx numpydoc)")
    run = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(ROOT / "docs" / "api"),
         str(tmp_path)], capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    pages = {name: (tmp_path / f"{name}.html").read_text() for name in ("array", "dataframe", "cuda_workers", "top")}
    assert 'id="gpuscale.array.mean"' in pages["array"]
    assert 'id="gpuscale.dataframe.read_parquet"' in pages["dataframe"]
    assert 'id="gpuscale.dataframe.DataFrame.groupby"' in pages["dataframe"]
    assert 'id="cuda_workers.LocalCUDACluster"' in pages["cuda_workers"]
    assert 'id="gpuscale.config.set"' in pages["top"]
