"""Run xarray's own test modules with gpuscale as the chunk manager and record the pass rate per module.

    .venv/bin/python -m tests.xarray_api.xarray_suite                     # the default modules
    .venv/bin/python -m tests.xarray_api.xarray_suite test_dask           # some of them
    .venv/bin/python -m tests.xarray_api.xarray_suite --baseline ...      # also run them on xarray + dask
    .venv/bin/python -m tests.xarray_api.xarray_suite --render            # only rewrite docs/xarray.md's table

Each module of the installed xarray's ``xarray/tests`` runs in its own pytest process with
:mod:`tests.xarray_api.xarray_suite_shim` (gpuscale as xarray's default chunk manager, xarray's test names for
dask arrays giving gpuscale's).  Results are merged into ``tests/xarray_api/xarray_suite.json`` as each module
ends, and the table in docs/xarray.md (between the ``xarray-suite`` markers) is rewritten from the JSON.  The
bookkeeping (outcome counts, commonest causes, ``--details``) is the dask suite's.  Not part of the default test
run (it takes minutes).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.dask_api.dask_suite import (causes_cell, pass_rate, record_module, run_test_file, suite_parser,
                                      write_doc_table)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RESULTS = HERE / "xarray_suite.json"
DOC = ROOT / "docs" / "xarray.md"
BEGIN, END = "<!-- xarray-suite: begin (python -m tests.xarray_api.xarray_suite --render) -->", \
    "<!-- xarray-suite: end -->"
MODULES = ["test_parallelcompat", "test_dask", "test_computation", "test_rolling", "test_weighted",
           "test_groupby", "test_coarsen", "test_missing", "test_interp", "test_duck_array_ops",
           "test_dataarray", "test_dataset", "test_concat", "test_indexing", "test_variable", "test_backends",
           "test_backends_api", "test_backends_chunks", "test_accessor_dt", "test_accessor_str", "test_combine",
           "test_merge", "test_coding_times", "test_conventions", "test_distributed", "test_formatting",
           "test_ufuncs", "test_array_api", "test_namedarray", "test_datatree", "test_backends_datatree",
           "test_coding", "test_coding_strings", "test_formatting_html", "test_eval", "test_plot"]


def run_module(module: str, baseline: bool, timeout: int, details: str | None = None) -> dict:
    """Outcome counts of one xarray test module (on gpuscale, or on dask with ``baseline``)."""
    import xarray

    test_file = Path(xarray.__file__).parent / "tests" / f"{module}.py"
    details_file = Path(details) / f"{module}{'_dask' if baseline else ''}.json" if details else None
    return run_test_file(test_file, "tests.xarray_api.xarray_suite_shim", baseline, timeout, details_file)


def _versions() -> dict:
    import dask
    import xarray

    return {"xarray": xarray.__version__, "dask": dask.__version__}


def _record(module: str, entry: dict) -> dict:
    return record_module(RESULTS, _versions(), module, entry)


def render() -> str:
    """The markdown table of the recorded modules (gpuscale, xarray on dask, commonest causes of failure)."""
    data = json.loads(RESULTS.read_text())
    rows = ["| module | gpuscale | xarray on dask | commonest causes of gpuscale's failures (tests) |", "|---|---|---|---|"]
    for module, entry in data["modules"].items():
        ours = entry["gpuscale"]
        theirs = pass_rate(entry["dask"]["counts"]) if "dask" in entry else "-"
        causes = causes_cell(ours)
        rows.append(f"| `{module}` | {pass_rate(ours['counts'])} | {theirs} | {causes} |")
    return "\n".join(rows) + "\n"


def write_doc() -> None:
    write_doc_table(DOC, BEGIN, END, render())


def main(argv: list[str] | None = None) -> int:
    parser = suite_parser(__doc__.splitlines()[0], MODULES, "docs/xarray.md")
    parser.add_argument("--baseline", action="store_true", help="also run each module on xarray + dask")
    args = parser.parse_args(argv)
    if not args.render:
        for module in args.modules or MODULES:
            entry = {"gpuscale": run_module(module, False, args.timeout, args.details)}
            if args.baseline:
                entry["dask"] = run_module(module, True, args.timeout, args.details)
            entry = _record(module, entry)
            base = f", xarray on dask {pass_rate(entry['dask']['counts'])}" if "dask" in entry else ""
            print(f"{module:24s} gpuscale {pass_rate(entry['gpuscale']['counts'])} "
                  f"({entry['gpuscale']['seconds']} s){base}", flush=True)
    write_doc()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
