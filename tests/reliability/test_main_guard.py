"""A script that starts a cluster without an ``if __name__ == "__main__":`` guard fails in seconds,
naming the guard, instead of hanging while every spawned worker re-imports it and starts a cluster."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import psutil
import pytest
from _subproc import ROOT

pytestmark = pytest.mark.timeout(240)

pytest.importorskip("distributed")

GUARD = 'if __name__ == "__main__":'


def _readme_cluster_example() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Clusters"):]
    return re.search(r"```python\n(.*?)```", section, flags=re.S).group(1)


def _run_script(tmp_path, code: str, timeout: float = 120) -> tuple[int | None, str, float]:
    """Run ``code`` saved as a script (as a user would); return code, output, seconds (None: killed)."""
    script = tmp_path / "example.py"
    script.write_text(code)
    environment = {k: v for k, v in os.environ.items() if k not in ("CUDA_VISIBLE_DEVICES", "CUDA_WORKERS_FAKE_NVML")}
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    process = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path, env=environment, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    start = time.monotonic()
    try:
        output, _ = process.communicate(timeout=timeout)
        code = process.returncode
    except subprocess.TimeoutExpired:
        output, code = "", None
    finally:
        _kill_tree(process)
    return code, output, time.monotonic() - start


def _kill_tree(process: subprocess.Popen) -> None:
    try:
        children = psutil.Process(process.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    for child in [*children, process]:
        try:
            child.kill()
        except (psutil.NoSuchProcess, ProcessLookupError):
            pass
    process.wait()


def test_readme_cluster_example_has_the_guard_and_runs(tmp_path):
    example = _readme_cluster_example()
    assert GUARD in example
    code, output, _ = _run_script(tmp_path, example)
    assert code == 0, output
    assert "hour" in output and "1.5" in output


def test_script_without_guard_fails_fast_naming_the_guard(tmp_path):
    unguarded = _readme_cluster_example().replace(GUARD, "if True:")
    code, output, seconds = _run_script(tmp_path, unguarded, timeout=90)
    assert code is not None, "the script hung (killed after 90 s)"
    assert code != 0
    assert "RuntimeError" in output and GUARD in output, output
    assert seconds < 60, output


def test_check_is_quiet_outside_a_reimport():
    from gpuscale.runtime.distributed import refuse_start_in_reimported_main

    refuse_start_in_reimported_main("LocalCUDACluster")  # the test process is no spawned child: no error
