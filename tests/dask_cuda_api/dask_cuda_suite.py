"""Run dask-cuda's own test modules against cuda_workers, on fake GPUs, and record the pass rate per module.

    .venv/bin/python -m tests.dask_cuda_api.dask_cuda_suite                         # the default modules
    .venv/bin/python -m tests.dask_cuda_api.dask_cuda_suite test_local_cuda_cluster # some of them
    .venv/bin/python -m tests.dask_cuda_api.dask_cuda_suite --render                # only rewrite the doc's table

dask-cuda's tests ship in its wheel: the wheel of ``DASK_CUDA_VERSION`` is fetched once with ``pip download``
(or given with ``--wheel``) and its ``dask_cuda/tests`` unpacked into a cache folder.  Each module runs in its own
pytest process where ``import dask_cuda`` gives the stand-in package ``tests/dask_cuda_api/shim/dask_cuda``
(dask-cuda's public names giving cuda_workers'; a dask-cuda internal raises ``NotImplementedError``), on the four
fake GPUs of ``FAKE_GPUS`` (the fake NVML of tests/cuda_workers, in the test process and every worker process).
There the libraries that need the CUDA driver (``HIDDEN``: RMM, cuDF, CuPy, UCX ...) are hidden, so the tests
needing them skip as they do where those are not installed.  ``--real-gpus`` runs on this machine's GPUs instead
(nothing faked or hidden).
Results are merged into ``tests/dask_cuda_api/dask_cuda_suite.json`` as each module ends, and the table in
docs/cuda_workers.md (between the ``dask-cuda-suite`` markers) is rewritten from it.  Not part of the default
test run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from tests.dask_api.dask_suite import pass_rate, record_module, run_test_file, suite_row, suite_parser, write_doc_table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHIM = HERE / "shim"
FAKE_NVML = ROOT / "tests" / "cuda_workers" / "fake_nvml"
RESULTS = HERE / "dask_cuda_suite.json"
DOC = ROOT / "docs" / "cuda_workers.md"
BEGIN, END = ("<!-- dask-cuda-suite: begin (python -m tests.dask_cuda_api.dask_cuda_suite --render) -->",
              "<!-- dask-cuda-suite: end -->")
DASK_CUDA_VERSION = "26.10.0"
# test_worker_spec is left out: its 864 cases test dask-cuda's own spec builder (cuda_workers plans workers with
# cuda_workers.spec, whose tests are tests/cuda_workers/test_cw_*)
MODULES = ["test_local_cuda_cluster", "test_dask_cuda_worker", "test_utils", "test_initialize", "test_dask_setup",
           "test_version", "test_device_host_file", "test_spill", "test_from_array", "test_cudf_builtin_spilling",
           "test_dgx"]
HIDDEN = ("rmm", "cudf", "cupy", "dask_cudf", "ucxx", "distributed_ucxx", "ucp", "cuda", "numba_cuda", "kvikio",
          "pynvjitlink")
GiB = 2**30
# a four-GPU workstation: 80 GiB each, NUMA-local cores split between the first two and the last two
FAKE_GPUS = [{"name": f"Fake H100 {i}", "uuid": f"GPU-{i:08x}-0000-0000-0000-000000000000", "memory": 80 * GiB,
              "cpus": [i // 2], "nvlink": [j for j in range(4) if j != i]} for i in range(4)]


def tests_folder(wheel: str | None = None) -> Path:
    """dask-cuda's test modules, unpacked from its wheel into a cache folder (fetched once)."""
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gpuscale" / \
        f"dask-cuda-{DASK_CUDA_VERSION}-tests"
    if (cache / "test_local_cuda_cluster.py").exists():
        return cache
    if wheel is None:
        download = Path(tempfile.mkdtemp(prefix="dask-cuda-wheel-"))
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "-d", str(download),
                        f"dask-cuda=={DASK_CUDA_VERSION}"], check=True)
        wheel = str(next(download.glob("dask_cuda-*.whl")))
    cache.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            if name.startswith("dask_cuda/tests/") and name.endswith(".py"):
                target = Path(name).name
                # its conftest (markers for devices without dedicated memory) is loaded as a plugin of its own name
                target = "dask_cuda_conftest.py" if target == "conftest.py" else target
                (cache / target).write_bytes(archive.read(name))
    return cache


def run_module(module: str, timeout: int, folder: Path, details: str | None = None, real_gpus: bool = False) -> dict:
    """Outcome counts of one dask-cuda test module on cuda_workers (on fake GPUs unless ``real_gpus``)."""
    path = os.pathsep.join(str(p) for p in (SHIM, ROOT, FAKE_NVML, folder))
    env = {"PYTHONPATH": path}
    if not real_gpus:
        env.update(CUDA_WORKERS_FAKE_NVML=json.dumps(FAKE_GPUS), GPUSCALE_SUITE_HIDE_MODULES=",".join(HIDDEN))
    details_file = Path(details) / f"{module}.json" if details else None
    result = run_test_file(folder / f"{module}.py", "tests.dask_cuda_api.dask_cuda_suite_shim", False, timeout,
                           details_file, env, plugins=["distributed.utils_test", "dask_cuda_conftest"])
    result["failed_tests"] = sorted(set(result["failed_tests"]))  # one name per parametrised test
    return result


def _versions() -> dict:
    import distributed

    return {"dask-cuda tests": DASK_CUDA_VERSION, "distributed": distributed.__version__}


def _fake_or_real(real_gpus: bool) -> str:
    return "real GPUs" if real_gpus else f"{len(FAKE_GPUS)} fake GPUs"


def _record(module: str, entry: dict) -> dict:
    return record_module(RESULTS, _versions(), module, entry)


def render() -> str:
    """The markdown table of the recorded modules (passed of those that ran, skipped, commonest causes)."""
    data = json.loads(RESULTS.read_text())
    rows = ["| module | cuda_workers | skipped | machine | commonest causes of failure (tests) |", "|---|---|---|---|---|"]
    for module, entry in data["modules"].items():
        rows.append(suite_row(module, entry["cuda_workers"], entry.get("machine", ""),
                              "the whole module skips: it needs CuPy or cuDF"))
    return "\n".join(rows) + "\n"


def write_doc() -> None:
    write_doc_table(DOC, BEGIN, END, render())


def main(argv: list[str] | None = None) -> int:
    parser = suite_parser(__doc__.splitlines()[0], MODULES, "docs/cuda_workers.md")
    parser.add_argument("--wheel", help="dask-cuda's wheel (default: pip download dask-cuda==DASK_CUDA_VERSION)")
    parser.add_argument("--real-gpus", action="store_true", help="run on this machine's GPUs (nothing faked)")
    args = parser.parse_args(argv)
    if not args.render:
        folder = tests_folder(args.wheel)
        for module in args.modules or MODULES:
            result = run_module(module, args.timeout, folder, args.details, args.real_gpus)
            entry = _record(module, {"cuda_workers": result, "machine": _fake_or_real(args.real_gpus)})
            print(f"{module:28s} cuda_workers {pass_rate(entry['cuda_workers']['counts'])} "
                  f"({entry['cuda_workers']['seconds']} s)", flush=True)
    write_doc()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
