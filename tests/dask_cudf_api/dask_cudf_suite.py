"""Run dask_cudf's own test modules against gpuscale on the strict cuDF stand-in and record the pass rate per module.

    .venv/bin/python -m tests.dask_cudf_api.dask_cudf_suite --source ~/src/cudf      # the default modules
    .venv/bin/python -m tests.dask_cudf_api.dask_cudf_suite test_groupby io/test_csv # some of them
    .venv/bin/python -m tests.dask_cudf_api.dask_cudf_suite --render                 # only rewrite the doc's table
    python -m tests.dask_cudf_api.dask_cudf_suite --real-cudf --tests DIR            # on a GPU machine's cuDF

dask_cudf's wheel ships without its tests: they are taken once from a checkout (or a bare clone) of rapidsai/cudf
(``--source``, at the release of ``DASK_CUDF_VERSION``) and unpacked into a cache folder.  Each module runs in its
own pytest process with :mod:`tests.dask_cudf_api.dask_cudf_suite_shim`: ``import dask.dataframe as dd`` gives
``gpuscale.dataframe``, ``import dask_cudf`` gpuscale's names for dask_cudf's, and ``import cudf`` the strict cuDF
stand-in (pandas inside, only what cuDF accepts), so a RAPIDS user's test of dask_cudf runs as a port by changing
the import would.  Results are merged into ``tests/dask_cudf_api/dask_cudf_suite.json`` as each module ends, and
the table in docs/dataframe.md (between the ``dask-cudf-suite`` markers) is rewritten from it.  Not part of the
default test run.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

from tests.dask_api.dask_suite import pass_rate, record_module, run_test_file, suite_row, suite_parser, write_doc_table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "dask_cudf_suite.json"
DOC = ROOT / "docs" / "dataframe.md"
BEGIN, END = ("<!-- dask-cudf-suite: begin (python -m tests.dask_cudf_api.dask_cudf_suite --render) -->",
              "<!-- dask-cudf-suite: end -->")
DASK_CUDF_VERSION = "26.10"
SOURCE_FOLDER = "python/dask_cudf/dask_cudf"
# test_distributed starts LocalCUDACluster workers (a real GPU each); test_s3 needs moto's server
MODULES = ["test_core", "test_groupby", "test_join", "test_sort", "test_accessor", "test_reductions",
           "test_binops", "test_applymap", "test_onehot", "test_delayed_io", "test_dispatch", "test_struct",
           "test_version", "io/test_csv", "io/test_parquet", "io/test_json", "io/test_orc", "io/test_text"]


def _default_cache() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "gpuscale" / \
        f"dask-cudf-{DASK_CUDF_VERSION}-tests"


def tests_folder(source: str | None = None, cache: Path | None = None) -> Path:
    """The unpacked test modules (``<cache>/dask_cudf/tests``, ``<cache>/dask_cudf/io/tests``), taken once from
    ``source``: a work tree of rapidsai/cudf or a bare clone (its HEAD).  ``cache``: another folder to unpack
    into or read from (the copy carried to a GPU machine)."""
    cache = cache or _default_cache()
    if (cache / "dask_cudf" / "tests" / "test_core.py").exists():
        return cache
    default = _default_cache()
    if source is None and default != cache and (default / "dask_cudf" / "tests" / "test_core.py").exists():
        shutil.copytree(default, cache, dirs_exist_ok=True)  # the copy unpacked here before
        return cache
    if source is None:
        raise SystemExit(f"dask_cudf's tests are not in {cache} yet: give --source, a checkout or bare clone of "
                         f"rapidsai/cudf at {DASK_CUDF_VERSION}")
    folders = [f"{SOURCE_FOLDER}/tests", f"{SOURCE_FOLDER}/io/tests"]
    if (Path(source) / SOURCE_FOLDER).is_dir():
        archive = subprocess.run(["tar", "-C", source, "-cf", "-", *folders], check=True, capture_output=True).stdout
    else:
        archive = subprocess.run(["git", "--git-dir", source, "archive", "HEAD", *folders], check=True,
                                 capture_output=True).stdout
    strip = SOURCE_FOLDER.count("/")  # keep dask_cudf/...
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            parts = member.name.split("/")
            if len(parts) <= strip or not member.isfile():
                continue
            target = cache.joinpath(*parts[strip:])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(member).read())
    # packages for pytest's module names (dask_cudf.tests.test_core); the shim's dask_cudf points here
    for package in (cache / "dask_cudf", cache / "dask_cudf" / "io"):
        (package / "__init__.py").touch()
    return cache


def run_module(module: str, timeout: int, folder: Path, details: str | None = None, real_cudf: bool = False) -> dict:
    """Outcome counts of one dask_cudf test module on gpuscale (``io/test_x``: of ``dask_cudf/io/tests``), on the
    cuDF stand-in or (``real_cudf``) on this machine's cuDF."""
    sub, _, name = module.rpartition("/")
    path = folder / "dask_cudf" / (f"{sub}/tests" if sub else "tests") / f"{name}.py"
    details_file = Path(details) / f"{module.replace('/', '__')}.json" if details else None
    env = {"GPUSCALE_DASK_CUDF_TESTS": str(folder), "GPUSCALE_BACKEND": "auto",  # gpuscale's default, as a port
           "GPUSCALE_DASK_CUDF_REAL": "1" if real_cudf else ""}
    result = run_test_file(path, "tests.dask_cudf_api.dask_cudf_suite_shim", False, timeout, details_file, env)
    result["failed_tests"] = sorted(set(result["failed_tests"]))
    return result


def _versions(real_cudf: bool = False) -> dict:
    import pandas

    if real_cudf:
        import cudf

        return {"dask_cudf tests": DASK_CUDF_VERSION, "cuDF": cudf.__version__, "pandas": pandas.__version__}
    from tests.strict_cudf import SPEC

    return {"dask_cudf tests": DASK_CUDF_VERSION, "cuDF stand-in": SPEC["cudf_version"], "pandas": pandas.__version__}


def render() -> str:
    """The markdown table of the recorded modules (passed of those that ran, skipped, commonest causes)."""
    data = json.loads(RESULTS.read_text())
    rows = ["| module | gpuscale | skipped | cuDF | commonest causes of failure (tests) |", "|---|---|---|---|---|"]
    for module, entry in data["modules"].items():
        rows.append(suite_row(module, entry["gpuscale"], entry.get("cudf", "stand-in")))
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = suite_parser(__doc__.splitlines()[0], MODULES, "docs/dataframe.md")
    parser.add_argument("--source", help="a checkout or bare clone of rapidsai/cudf (once, to unpack the tests)")
    parser.add_argument("--tests", metavar="DIR", help="unpack the tests into DIR / read them from there "
                                                       "(the copy tools/gpu/prepare.sh carries)")
    parser.add_argument("--unpack-only", action="store_true", help="unpack the tests (--source, --tests), run none")
    parser.add_argument("--real-cudf", action="store_true", help="this machine's cuDF and CuPy (a GPU machine)")
    args = parser.parse_args(argv)
    folder = tests_folder(args.source, Path(args.tests) if args.tests else None) if not args.render else None
    if args.unpack_only:
        return 0
    if not args.render:
        for module in args.modules or MODULES:
            result = run_module(module, args.timeout, folder, args.details, args.real_cudf)
            entry = record_module(RESULTS, _versions(args.real_cudf), module,
                                  {"gpuscale": result, "cudf": "real" if args.real_cudf else "stand-in"})
            print(f"{module:20s} gpuscale {pass_rate(entry['gpuscale']['counts'])} ({entry['gpuscale']['seconds']} s)",
                  flush=True)
    write_doc_table(DOC, BEGIN, END, render())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
