"""``python -m gpuscale demo`` with a bad or unusable ``GPUSCALE_*`` option stops at once, before generating
any data, with a one-line error and exit status 2 (a bad option), not a traceback and status 1."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpuscale.backends import available

ROOT = Path(__file__).resolve().parents[2]


def _demo(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("GPUSCALE_")}
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return subprocess.run([sys.executable, "-m", "gpuscale", "demo", "--size", "1MB", "--local", "--data-dir",
                           str(tmp_path / "data"), "--output", str(tmp_path / "out")], cwd=tmp_path,
                          env={**base, "PYTHONPATH": path, **env}, capture_output=True, text=True, timeout=240)


@pytest.mark.parametrize("variable, value, message", [
    ("GPUSCALE_BACKEND", "bogus", "environment variable GPUSCALE_BACKEND='bogus' is not valid: expected one of"),
    ("GPUSCALE_NUM_WORKERS", "abc", "environment variable GPUSCALE_NUM_WORKERS='abc' is not valid"),
    ("GPUSCALE_MEMORY_LIMIT", "lots", "environment variable GPUSCALE_MEMORY_LIMIT='lots' is not valid"),
    ("GPUSCALE_BACKEND", "gpu", "backend 'gpu' needs"),
])
def test_a_bad_option_stops_the_demo_before_any_data(tmp_path, variable, value, message):
    if value == "gpu" and (available()["cupy"].ok and available()["cudf"].ok):
        pytest.skip("the GPU backend can run here")
    run = _demo(tmp_path, **{variable: value})
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gpuscale demo: error: ") and message in lines[0], run.stderr
    assert not (tmp_path / "data").exists() and not (tmp_path / "out").exists()
