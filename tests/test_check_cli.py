"""``python -m gpuscale check``: what the machine has, why GPU pieces are unusable, smoke tests, exit status.

Most tests run the command as a real subprocess on this machine (a CPU-only one in the
project's CI: the no-driver assertions skip where NVML finds a real driver), some with
the fake NVML of ``tests/cuda_workers/fake_nvml`` reporting GPUs.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpuscale import check
from gpuscale.backends import _detect, machine

ROOT = Path(__file__).resolve().parents[1]
FAKE_NVML_DIR = ROOT / "tests" / "cuda_workers" / "fake_nvml"
GiB = 2**30
FAKE_GPUS = [{"name": "Fake GPU A", "uuid": "GPU-aaaaaaaa-0000-0000-0000-000000000000", "memory": 16 * GiB},
             {"name": "Fake GPU B", "uuid": "GPU-bbbbbbbb-0000-0000-0000-000000000000", "memory": 8 * GiB}]


def _run(*args: str, fake_gpus: list[dict] | None = None, visible: str | None = None,
         script: bool = False) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"CUDA_VISIBLE_DEVICES", "CUDA_WORKERS_FAKE_NVML"}}
    if fake_gpus is not None:
        env["CUDA_WORKERS_FAKE_NVML"] = json.dumps(fake_gpus)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FAKE_NVML_DIR), env.get("PYTHONPATH")]))
    if visible is not None:
        env["CUDA_VISIBLE_DEVICES"] = visible
    if script:
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
        command = ["gpuscale", "check", *args]
    else:
        command = [sys.executable, "-m", "gpuscale", "check", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=240, cwd=ROOT, env=env)


def _library_line(output: str, name: str) -> str:
    return next(line for line in output.splitlines() if line.split()[:1] == [name])


@pytest.fixture(scope="module")
def no_driver():
    """This machine has no NVIDIA driver (the CI machine); skip where it has one."""
    if machine.probe_nvml(environ=False).available:
        pytest.skip("an NVIDIA driver is present: the no-driver report cannot be checked here")


@pytest.fixture(scope="module")
def no_cupy_cudf():
    if _detect.installed("cupy") or _detect.installed("cudf"):
        pytest.skip("cupy or cudf is installed here")


@pytest.fixture(scope="module")
def plain_run(no_driver, no_cupy_cudf):
    return _run()


def test_cpu_machine_passes_and_names_each_missing_gpu_piece(plain_run):
    out = plain_run.stdout
    assert plain_run.returncode == 0, plain_run.stdout + plain_run.stderr
    assert "no usable GPU: no NVIDIA driver (NVMLError" in out
    assert "installed, but no NVIDIA driver" in _library_line(out, "nvidia-ml-py")
    for name in ("cupy", "cudf"):
        assert "not installed; pip install \"gpuscale[cuda12]\"" in _library_line(out, name)
    for name in ("rmm", "ucxx", "distributed-ucxx", "numba-cuda"):
        line = _library_line(out, name)
        if _detect.installed(name.replace("-", "_")):
            assert "installed, but no usable GPU: no NVIDIA driver" in line
        else:
            assert "not installed" in line
    for name in ("numpy", "pandas", "pyarrow", "dask", "distributed"):
        assert _library_line(out, name).split()[2] == "yes"
    assert "numpy   PASS" in out and "pandas  PASS" in out
    assert "cupy    SKIPPED  not usable: cupy not installed" in out
    assert "backend='auto' uses numpy for arrays, pandas for dataframes" in out
    assert out.rstrip().endswith("OK: no problem found")


@pytest.mark.parametrize("backend,missing", [("cupy", ["cupy"]), ("cudf", ["cudf"]), ("gpu", ["cupy", "cudf"])])
def test_a_required_gpu_backend_that_cannot_run_exits_1(no_cupy_cudf, backend, missing):
    run = _run("--backend", "cpu", "--backend", backend)
    assert run.returncode == 1, run.stdout + run.stderr
    failed = [line for line in run.stdout.splitlines() if line.startswith("FAILED:")]
    assert failed == [f"FAILED: required backend {name!r} is not usable: {name} not installed; "
                      "pip install \"gpuscale[cuda12]\" or \"gpuscale[cuda13]\" (to match the driver's CUDA version)"
                      for name in missing]


def test_json_parses_and_problems_go_to_stderr(no_driver, no_cupy_cudf):
    run = _run("--json", "--backend", "cupy")
    assert run.returncode == 1
    report = json.loads(run.stdout)
    assert report["ok"] is False and report["required"] == ["cupy"]
    assert report["nvml"]["available"] is False and report["nvml"]["visible_count"] == 0
    libraries = {library["name"]: library for library in report["libraries"]}
    assert set(libraries) == set(machine.LIBRARY_NAMES)
    assert libraries["numpy"]["usable"] and libraries["numpy"]["version"]
    assert libraries["cupy"] == {**libraries["cupy"], "installed": False, "usable": False, "version": None}
    assert report["backends"]["numpy"]["smoke"] == "PASS"
    assert report["backends"]["cudf"]["smoke"] == "SKIPPED"
    assert "gpuscale check: FAILED: required backend 'cupy' is not usable: cupy not installed" in run.stderr


def test_console_script_and_cpu_requirements_exit_0(no_driver):
    run = _run("--backend", "cpu", "--backend", "auto", "--json", script=True)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] and report["required"] == ["numpy", "pandas"]


def test_unknown_backend_is_a_usage_error():
    run = _run("--backend", "tpu")
    assert run.returncode == 2
    assert "invalid choice: 'tpu'" in run.stderr


def test_fake_gpu_without_cupy_says_cupy_is_not_installed(no_cupy_cudf):
    pytest.importorskip("pynvml")
    run = _run("--json", fake_gpus=FAKE_GPUS)
    report = json.loads(run.stdout)
    assert report["nvml"]["visible_count"] == 2 and report["nvml"]["driver_version"] == "999.99"
    assert [(gpu["name"], gpu["memory_total_bytes"], gpu["visible"]) for gpu in report["nvml"]["gpus"]] == [
        ("Fake GPU A", 16 * GiB, True), ("Fake GPU B", 8 * GiB, True)]
    libraries = {library["name"]: library for library in report["libraries"]}
    assert libraries["cupy"]["reason"].startswith("not installed; pip install")
    assert libraries["nvidia-ml-py"]["usable"]
    assert run.returncode == 0  # nothing was required
    text = _run("--backend", "cupy", fake_gpus=FAKE_GPUS)
    assert text.returncode == 1
    assert "16.0 GiB  Fake GPU A" in text.stdout and "2 usable: 2 GPUs found by NVML" in text.stdout
    assert "FAILED: required backend 'cupy' is not usable: cupy not installed" in text.stdout


def test_fake_gpus_hidden_by_cuda_visible_devices(no_cupy_cudf):
    pytest.importorskip("pynvml")
    run = _run("--json", fake_gpus=FAKE_GPUS, visible="-1")
    report = json.loads(run.stdout)
    assert report["nvml"]["visible_count"] == 0
    assert [gpu["visible"] for gpu in report["nvml"]["gpus"]] == [False, False]
    assert report["nvml"]["reason"] == "CUDA_VISIBLE_DEVICES='-1' hides all 2 GPUs"
    rmm = next(library for library in report["libraries"] if library["name"] == "rmm")
    if rmm["installed"]:
        assert rmm["reason"] == "installed, but no usable GPU: CUDA_VISIBLE_DEVICES='-1' hides all 2 GPUs"
    assert report["auto"] == {"array": "numpy", "dataframe": "pandas"}


# --- in-process: failures that cannot be staged on a healthy machine ----------------------------------------


def test_a_failing_smoke_test_is_reported_and_exits_1(monkeypatch, capsys):
    def wrong(backend):
        raise AssertionError("arrays differ: 1.0 != 2.0")

    monkeypatch.setattr(check, "_array_smoke", wrong)
    status = check.run(argparse.Namespace(backend=[], json=False))
    out = capsys.readouterr().out
    assert status == 1
    assert "numpy   FAIL     AssertionError: arrays differ: 1.0 != 2.0" in out
    assert "FAILED: backend 'numpy' failed its smoke test: AssertionError: arrays differ" in out
    assert "pandas  PASS" in out


def test_an_import_error_is_shown_with_its_text(monkeypatch):
    real_import = machine._import

    def broken(module):
        if module == "ucxx":
            raise ImportError("libucp.so.0: cannot open shared object file: No such file or directory")
        return real_import(module)

    monkeypatch.setattr(machine, "_import", broken)
    monkeypatch.setattr(machine, "_distribution", lambda module, candidates: (candidates[-1], "0.52.0"))
    monkeypatch.setattr(_detect, "installed", lambda module: True)
    gpu = machine.NVMLStatus(True, "1 GPU found by NVML", gpus=(), visible_count=1)
    ucxx, = machine.probe_libraries(gpu, names=("ucxx",))
    assert not ucxx.usable and ucxx.version == "0.52.0" and ucxx.distribution == "ucxx-cu12"
    assert ucxx.reason == ("installed, but import fails: ImportError: libucp.so.0: cannot open shared object "
                           "file: No such file or directory")


def test_gpu_libraries_are_not_imported_without_a_visible_gpu(monkeypatch):
    imported = []
    monkeypatch.setattr(machine, "_import", lambda module: imported.append(module))
    monkeypatch.setattr(_detect, "installed", lambda module: True)
    hidden = machine.NVMLStatus(True, "CUDA_VISIBLE_DEVICES='' hides all 2 GPUs", visible_count=0)
    reports = machine.probe_libraries(hidden, names=("cupy", "cudf", "rmm", "ucxx", "numba-cuda"))
    assert imported == []
    assert {r.reason for r in reports} == {"installed, but no usable GPU: CUDA_VISIBLE_DEVICES='' hides all 2 GPUs"}


@pytest.mark.parametrize("value, problem", [("bogus", "GPUSCALE_BACKEND='bogus' is not valid"),
                                            ("gpu", "backend 'gpu' needs cupy"), ("cpu", None)])
def test_the_configured_default_backend_is_judged_too(no_cupy_cudf, monkeypatch, value, problem):
    # GPUSCALE_BACKEND (or config.set(backend=)) decides what every computation runs on: check says when it
    # cannot run here, rather than "OK"
    monkeypatch.setenv("GPUSCALE_BACKEND", value)
    report = check.collect()
    if problem is None:
        assert report["ok"] and report["configured"] == {"backend": "cpu", "array": "numpy", "dataframe": "pandas"}
        assert "configured default backend='cpu': numpy for arrays" in check.format_report(report)
    else:
        assert not report["ok"] and any(problem in line for line in report["problems"]), report["problems"]
        assert "FAILED: the configured default backend cannot run here" in check.format_report(report)
