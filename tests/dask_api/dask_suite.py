"""Run part of dask's own dataframe and array test suites against gpuscale and record the pass rate per module.

    .venv/bin/python -m tests.dask_api.dask_suite                  # the default (dataframe) modules
    .venv/bin/python -m tests.dask_api.dask_suite test_rolling     # some of them
    .venv/bin/python -m tests.dask_api.dask_suite array/test_fft   # a module of dask/array/tests
    .venv/bin/python -m tests.dask_api.dask_suite --baseline ...   # also run them on dask itself
    .venv/bin/python -m tests.dask_api.dask_suite dask:test_distributed   # a module of <package>/tests

Each module of the installed dask's ``dask/dataframe/tests`` (``array/test_x``: ``dask/array/tests``)
(``<package>:test_x``: the installed package's ``tests/test_x.py``, such as dask's ``dask:test_distributed`` or
distributed's ``distributed:test_dask_collections``, with both dask.dataframe and dask.array shimmed; these are
not in the default lists) runs in its own pytest process with :mod:`tests.dask_api.dask_suite_shim`, which makes
``import dask.dataframe as dd`` give ``gpuscale.dataframe`` and, for array modules, ``import dask.array as da``
``gpuscale.array`` (a port by changing the import, with nothing else touched). Each module's result is merged
into ``tests/dask_api/dask_suite.json`` as it ends (a run of some modules keeps the others), with the commonest
causes of its failures; ``--details DIR`` also keeps every failure's exception. ``python -m tests.dask_api``
renders them into ``docs/dask_api.md``. Not part of the default test run (it takes minutes).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "dask_suite.json"
MODULES = ["test_rolling", "test_categorical", "test_reshape", "test_accessors", "test_indexing", "test_numeric",
           "test_boolean", "test_map", "test_multi", "test_groupby", "test_dataframe", "test_arithmetics_reduction",
           "test_ufunc", "test_shuffle", "test_merge_column_and_index", "test_hyperloglog", "test_methods",
           "dataframe/io/test_csv", "dataframe/io/test_parquet", "dataframe/io/test_io", "dataframe/io/test_json",
           "dataframe/io/test_demo", "dataframe/io/test_orc", "dataframe/io/test_sql",
           "dataframe/io/test_hdf", *[f"dataframe/dask_expr/{m}" for m in (
               "test_align_partitions", "test_categorical", "test_collection", "test_concat", "test_core",
               "test_cumulative", "test_datasets", "test_datetime", "test_describe", "test_dummies", "test_format",
               "test_fusion", "test_groupby", "test_indexing", "test_interchange", "test_map_partitions_overlap",
               "test_merge", "test_merge_asof", "test_partitioning_knowledge", "test_predicate_pushdown",
               "test_quantiles", "test_reductions", "test_repartition", "test_reshape", "test_rolling", "test_shuffle",
               "test_string_accessor", "test_ufunc", "test_distributed")]]
KINDS = ("passed", "failed", "error", "skipped", "xfailed", "xpassed", "collection error")


ARRAY_MODULES = ["array/test_creation", "array/test_reductions", "array/test_routines", "array/test_slicing",
                 "array/test_linalg", "array/test_random", "array/test_fft", "array/test_ufunc", "array/test_rechunk",
                 "array/test_gufunc", "array/test_overlap", "array/test_percentiles", "array/test_reshape",
                 "array/test_array_core", "array/test_masked", "array/test_atop", "array/test_wrap",
                 "array/test_numpy_compat", "array/test_testing", "array/test_map_blocks", "array/test_shuffle",
                 "array/test_stats", "array/test_array_function", "array/test_dispatch"]


# dask skips its HDF5 tests when it converts strings to pyarrow (its default): they run with that off
MODULE_ENV = {"dataframe/io/test_hdf": {"DASK_DATAFRAME__CONVERT_STRING": "False"}}


def _collection_tests(path: Path) -> str:
    """A ``-k`` expression naming the tests of ``path`` that use dask.array or dask.dataframe."""
    import ast
    import re

    source = path.read_text()
    return " or ".join(node.name for node in ast.parse(source).body
                       if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test_")
                       and re.search(r"dask\.(array|dataframe)", ast.get_source_segment(source, node) or ""))


# modules run in part: distributed's test_client tests the whole client; its tests of dask's collections on a
# cluster are the ones about collections
MODULE_SELECTION = {"distributed:test_client": _collection_tests}


# the pytest plugin giving a package's test modules the fixtures its repository's conftest.py gives them
# (distributed's wheel has no conftest: its tests take ``client``, ``loop`` ... from distributed.utils_test)
FIXTURE_PLUGINS = {"distributed": "distributed.utils_test"}


def _test_file(module: str) -> Path:
    """``test_x`` is dask/dataframe/tests/test_x.py, ``array/test_x`` dask/array/tests/test_x.py,
    ``dataframe/dask_expr/test_x`` dask/dataframe/dask_expr/tests/test_x.py and ``<package>:test_x`` the installed
    package's tests/test_x.py."""
    import importlib

    import dask

    if ":" in module:
        package, _, name = module.partition(":")
        folder = Path(importlib.import_module(package).__file__).parent / "tests"
        path = folder / f"{name}.py"
        if not path.exists():  # distributed's wheel ships without its tests
            version = getattr(importlib.import_module(package), "__version__", "")
            raise FileNotFoundError(f"{path} does not exist: {package}'s installed package has no such test "
                                    f"module; copy {name}.py from the tests folder of {package} {version}'s "
                                    f"source there")
        return path
    package, _, name = module.rpartition("/")
    return Path(dask.__file__).parent / (package or "dataframe") / "tests" / f"{name}.py"


def run_module(module: str, baseline: bool, timeout: int, details: str | None = None) -> dict:
    """Outcome counts of one dask test module (on gpuscale, or on dask with ``baseline``); with ``details``, each
    failure's exception is written to ``details/<module>.json``."""
    package = module.partition(":")[0] if ":" in module else None
    kind = "both" if package else "array" if module.startswith("array/") else "dataframe"
    details_file = Path(details) / f"{module.replace('/', '__').replace(':', '__')}.json" if details else None
    env = {"GPUSCALE_DASK_SUITE_KIND": kind, **MODULE_ENV.get(module, {})}
    path = _test_file(module)
    select = MODULE_SELECTION[module](path) if module in MODULE_SELECTION else None
    return run_test_file(path, "tests.dask_api.dask_suite_shim", baseline, timeout, details_file,
                         env, plugins=[FIXTURE_PLUGINS[package]] if package in FIXTURE_PLUGINS else [], select=select)


def run_test_file(test_file: Path, shim: str, baseline: bool, timeout: int, details_file: Path | None = None,
                  env: dict | None = None, plugins: list = (), select: str | None = None) -> dict:
    """Outcome counts of one test file run by pytest in its own process with the pytest plugin ``shim`` (which
    records outcomes to ``GPUSCALE_DASK_SUITE_OUT``; ``--no-shim`` with ``baseline``) and the other ``plugins``
    (``select``: a ``-k`` expression of the tests to run); shared by the xarray suite."""
    with tempfile.TemporaryDirectory() as tmp:
        ini, out = Path(tmp) / "pytest.ini", Path(tmp) / "outcomes.json"
        ini.write_text("[pytest]\n")  # not gpuscale's settings (strict markers, doctests)
        env = {**os.environ, "GPUSCALE_DASK_SUITE_OUT": str(out), "PYTHONPATH": str(ROOT),
               "GPUSCALE_DASK_SUITE_TIMEOUT": "60", **(env or {})}
        command = [sys.executable, "-m", "pytest", str(test_file), "-c", str(ini), "--rootdir", tmp, "-p", shim,
                   "-p", "no:cacheprovider", "-q", "--tb=no", "-W", "ignore", *[a for p in plugins for a in ("-p", p)]]
        if baseline:
            command.append("--no-shim")
        if select:
            command += ["-k", select]
        start = time.perf_counter()
        try:
            subprocess.run(command, cwd=tmp, env=env, timeout=timeout, capture_output=True)
            outcomes = json.loads(out.read_text()) if out.exists() else {"<run>": "error"}
        except subprocess.TimeoutExpired:
            outcomes = {"<run>": f"timed out after {timeout} s"}
        seconds = time.perf_counter() - start
    message = outcomes.pop("<collection message>", None)
    failures = outcomes.pop("<messages>", {})
    if details_file:
        details_file.parent.mkdir(parents=True, exist_ok=True)
        details_file.write_text(json.dumps(failures, indent=1))
    counts = collections.Counter(outcomes.values())
    return {"counts": {k: counts.get(k, 0) for k in KINDS if counts.get(k)}, "seconds": round(seconds, 1),
            **({"collection_error": message[:200]} if message else {}),
            **({"top_causes": top_causes(failures.values())} if failures else {}),
            "failed_tests": sorted(t.split("::", 1)[-1].split("[")[0] for t, k in outcomes.items()
                                   if k in ("failed", "error"))}


# a failure's exception -> its cause: (pattern, cause, the group naming what it is about); the rest keep their message
CAUSES = [
    (r"dask\.array\.([\w.]+) is a dask internal", "uses a dask-internal helper (fails by construction)", 1),
    (r"(dask_cudf[\w.]+) is a dask_cudf internal", "uses a dask_cudf internal (fails by construction)", 1),
    (r"strict cuDF: (.+?) (?:is|are) not emulated", "the cuDF stand-in lacks it (not a gpuscale failure)", 1),
    (r"No dispatch for <class 'cudf|No backend dispatch registered for cudf|gpuscale\.dataframe' has no attribute "
     r"'dispatch'", "dask's own dispatch of cuDF objects (dask_cudf registers it; fails by construction)", None),
    (r"where False = isinstance\(gpuscale\.array<", "a gpuscale array where dask returns another type", None),
    (r"(\w+)\(\) got an unexpected keyword argument '(\w+)'", "keyword argument '{2}' not accepted", 1),
    (r"(\w+)\(\) takes \d+ positional arguments? but", "more positional arguments than gpuscale takes", 1),
    (r"'numpy\.\w+' object has no attribute 'backend'", "a NumPy array or scalar as input not accepted", None),
    (r"no implementation found for '(numpy\.\w+)'", "NumPy function without __array_function__ support", 1),
    (r"pad: mode='(\w+)' is not supported", "pad mode not supported", 1),
    (r"has no attribute '_meta'", "reads dask's Array._meta (gpuscale has none)", None),
    (r"has no attribute 'dependencies'|has no attribute 'layers'|HighLevelGraph", "reads dask's graph (fails by "
                                                                                  "construction)", None),
    (r"a and b have different dtypes", "result dtype differs from NumPy's/dask's", None),
    (r"cannot convert float NaN to integer", "unknown (NaN) chunk sizes not handled", None),
    (r"^AssertionError: assert \(\(", "chunks differ from dask's", None),
    (r"DID NOT RAISE|DID NOT WARN", "no error/warning where dask raises/warns", None),
    (r"arrays used as indices must be of integer or boolean type, not float", "a float index array refused, as "
                                                                              "NumPy refuses it", None),
    (r"Regex pattern did not match", "an error message unlike dask's", None),
]


def cause(message: str) -> tuple:
    """``(cause, what it is about or None)`` of a failure's one-line exception."""
    import re

    for pattern, label, group in CAUSES:
        found = re.search(pattern, message)
        if found:
            return label.format(*[None, *found.groups()]), found.group(group) if group else None
    return message.split(" / ")[0][:110], None


def top_causes(messages, n: int = 5) -> list:
    """The ``n`` commonest causes of a module's failures, ``[cause, count, what they are about ("" or "a, b ...")]``."""
    counts, about = collections.Counter(), collections.defaultdict(collections.Counter)
    for message in messages:
        label, what = cause(message)
        counts[label] += 1
        if what:
            about[label][what] += 1
    return [[label, k, ", ".join(w for w, _ in about[label].most_common(4)) + (" ..." if len(about[label]) > 4 else "")]
            for label, k in counts.most_common(n)]


def record_module(results_file: Path, versions: dict, module: str, entry: dict) -> dict:
    """Merge one module's result into ``results_file`` at once (a run of some modules keeps the others; results of
    other versions are dropped; a baseline ``dask`` result of an earlier run is kept): the xarray and dask-cuda
    suites' record."""
    previous = json.loads(results_file.read_text()) if results_file.exists() else {}
    results = dict(previous.get("modules", {})) if previous.get("versions") == versions else {}
    if "dask" not in entry and "dask" in results.get(module, {}):
        entry["dask"] = results[module]["dask"]
    results[module] = entry
    results_file.write_text(json.dumps({"versions": versions, "modules": dict(sorted(results.items()))}, indent=1)
                            + "\n")
    return entry


def causes_cell(result: dict, n: int = 3) -> str:
    """A module's ``n`` commonest causes of failure as a markdown table cell."""
    return "; ".join(f"{label}{': ' + what if what else ''} ({k})" for label, k, what in
                     result.get("top_causes", [])[:n]).replace("|", "\\|")


def suite_parser(description: str, modules: list, doc: str) -> argparse.ArgumentParser:
    """The arguments of the xarray, dask-cuda and dask_cudf suites: modules, ``--details``, ``--timeout`` and
    ``--render`` (only rewrite ``doc``'s table); each suite adds its own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("modules", nargs="*", help=f"default: {' '.join(modules)}")
    parser.add_argument("--details", metavar="DIR", help="write each failure's exception to DIR/<module>.json")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per module")
    parser.add_argument("--render", action="store_true", help=f"only rewrite {doc}'s table")
    return parser


def suite_row(module: str, result: dict, extra: str, when_all_skip: str = "") -> str:
    """A row of the dask-cuda and dask_cudf suites' tables: the module, passed of those that ran, skipped, ``extra``
    (where it ran), and the commonest causes of failure (``when_all_skip`` if nothing ran)."""
    causes = causes_cell(result).replace(f"{ROOT}/", "")
    if not result["counts"] and when_all_skip:
        causes = when_all_skip
    elif "collection_error" in result:
        causes = f"does not import: {result['collection_error']}"
    return (f"| `{module}` | {pass_rate(result['counts'])} | {result['counts'].get('skipped', 0)} | {extra} | "
            f"{causes} |")


def write_doc_table(doc: Path, begin: str, end: str, table: str) -> None:
    """Replace the text between the markers ``begin`` and ``end`` of ``doc`` by ``table`` (the suites' tables in
    docs/xarray.md and docs/cuda_workers.md)."""
    text = doc.read_text()
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    doc.write_text(f"{head}{begin}\n{table}{end}{tail}")


def pass_rate(counts: dict) -> str:
    ran = sum(v for k, v in counts.items() if k not in ("skipped", "xfailed"))
    return f"{counts.get('passed', 0) + counts.get('xpassed', 0)} of {ran}"


def _record(module: str, entry: dict, version: str) -> dict:
    """Merge one module's result into the JSON at once (read just before writing: others may record too)."""
    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results = dict(previous.get("modules", {})) if previous.get("dask") == version else {}
    if "dask" not in entry and "dask" in results.get(module, {}):
        entry["dask"] = results[module]["dask"]  # the baseline of an earlier run
    results[module] = entry
    RESULTS.write_text(json.dumps({"dask": version, "modules": dict(sorted(results.items()))}, indent=1) + "\n")
    return entry


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="default: the dataframe modules (with --array: the array ones)")
    parser.add_argument("--array", action="store_true", help="run the default dask.array modules")
    parser.add_argument("--baseline", action="store_true", help="also run each module on dask itself")
    parser.add_argument("--details", metavar="DIR", help="write each failure's exception to DIR/<module>.json")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per module")
    args = parser.parse_args(argv)
    import dask

    for module in args.modules or (ARRAY_MODULES if args.array else MODULES):
        entry = {"gpuscale": run_module(module, False, args.timeout, args.details)}
        if args.baseline:
            entry["dask"] = run_module(module, True, args.timeout)
        entry = _record(module, entry, dask.__version__)
        base = f", dask itself {pass_rate(entry['dask']['counts'])}" if "dask" in entry else ""
        print(f"{module:28s} gpuscale {pass_rate(entry['gpuscale']['counts'])} "
              f"({entry['gpuscale']['seconds']} s){base}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
