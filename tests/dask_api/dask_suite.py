"""Run part of dask's own dataframe test suite against gpuscale and record the pass rate per module.

    .venv/bin/python -m tests.dask_api.dask_suite                  # the default modules
    .venv/bin/python -m tests.dask_api.dask_suite test_rolling     # some of them
    .venv/bin/python -m tests.dask_api.dask_suite --baseline ...   # also run them on dask itself

Each module of the installed dask's ``dask/dataframe/tests`` runs in its own pytest process with
:mod:`tests.dask_api.dask_suite_shim`, which makes ``import dask.dataframe as dd`` give
``gpuscale.dataframe`` (a port by changing the import, with nothing else touched).  The results are
merged into ``tests/dask_api/dask_suite.json`` (a run of some modules keeps the others); ``python -m
tests.dask_api`` renders them into ``docs/dask_api.md``.  Not part of the default test run (it takes
minutes).
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
           "test_boolean", "test_map", "test_multi", "test_groupby"]
KINDS = ("passed", "failed", "error", "skipped", "xfailed", "xpassed", "collection error")


def _dask_tests() -> Path:
    import dask.dataframe

    return Path(dask.dataframe.__file__).parent / "tests"


def run_module(module: str, baseline: bool, timeout: int) -> dict:
    """Outcome counts of one dask test module (on gpuscale, or on dask with ``baseline``)."""
    with tempfile.TemporaryDirectory() as tmp:
        ini, out = Path(tmp) / "pytest.ini", Path(tmp) / "outcomes.json"
        ini.write_text("[pytest]\n")  # not gpuscale's settings (strict markers, doctests)
        env = {**os.environ, "GPUSCALE_DASK_SUITE_OUT": str(out), "PYTHONPATH": str(ROOT),
               "GPUSCALE_DASK_SUITE_TIMEOUT": "60"}
        command = [sys.executable, "-m", "pytest", str(_dask_tests() / f"{module}.py"), "-c", str(ini),
                   "--rootdir", tmp, "-p", "tests.dask_api.dask_suite_shim", "-p", "no:cacheprovider", "-q",
                   "--tb=no", "-W", "ignore"]
        if baseline:
            command.append("--no-shim")
        start = time.perf_counter()
        try:
            subprocess.run(command, cwd=tmp, env=env, timeout=timeout, capture_output=True)
            outcomes = json.loads(out.read_text()) if out.exists() else {"<run>": "error"}
        except subprocess.TimeoutExpired:
            outcomes = {"<run>": f"timed out after {timeout} s"}
        seconds = time.perf_counter() - start
    message = outcomes.pop("<collection message>", None)
    counts = collections.Counter(outcomes.values())
    return {"counts": {k: counts.get(k, 0) for k in KINDS if counts.get(k)}, "seconds": round(seconds, 1),
            **({"collection_error": message[:200]} if message else {}),
            "failed_tests": sorted(t.split("::", 1)[-1].split("[")[0] for t, k in outcomes.items()
                                   if k in ("failed", "error"))}


def pass_rate(counts: dict) -> str:
    ran = sum(v for k, v in counts.items() if k not in ("skipped", "xfailed"))
    return f"{counts.get('passed', 0) + counts.get('xpassed', 0)} of {ran}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", default=MODULES)
    parser.add_argument("--baseline", action="store_true", help="also run each module on dask itself")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per module")
    args = parser.parse_args(argv)
    import dask

    previous = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results = dict(previous.get("modules", {})) if previous.get("dask") == dask.__version__ else {}
    for module in args.modules:
        entry = {"gpuscale": run_module(module, False, args.timeout)}
        if args.baseline:
            entry["dask"] = run_module(module, True, args.timeout)
        elif module in results and "dask" in results[module]:
            entry["dask"] = results[module]["dask"]
        results[module] = entry
        base = f", dask itself {pass_rate(entry['dask']['counts'])}" if "dask" in entry else ""
        print(f"{module:28s} gpuscale {pass_rate(entry['gpuscale']['counts'])} "
              f"({entry['gpuscale']['seconds']} s){base}", flush=True)
    RESULTS.write_text(json.dumps({"dask": dask.__version__, "modules": dict(sorted(results.items()))}, indent=1)
                       + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
