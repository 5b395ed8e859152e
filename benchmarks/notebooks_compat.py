"""dask's own example and tutorial notebooks, run on dask and on gpuscale (the import changed), cell by cell.

The notebooks are read from the dask-examples, dask-tutorial and xarray-tutorial repositories (git checkouts,
bare or not: the ``DASK_EXAMPLES`` / ``DASK_TUTORIAL`` / ``XARRAY_TUTORIAL`` environment variables, default the
mirrors under ``/work/.mirror``); xarray-tutorial's notebooks are those about chunked (dask) data.  Each notebook runs twice, each time top to bottom in a fresh process
(an in-process IPython shell, so ``%time``, ``%%time``, ``!ls`` and ``obj?`` behave as in Jupyter), in a
fresh temporary folder:

* **dask**: the cells as published (with the data substitutions below);
* **gpuscale**: the same cells, ported by changing the import: ``import dask.dataframe as dd`` ->
  ``import gpuscale.dataframe as dd``, ``import dask.array as da`` -> ``import gpuscale.array as da``,
  ``dask.datasets.timeseries`` -> ``gpuscale.datasets.timeseries``, ``dask.dataframe.<name>`` ->
  ``gpuscale.dataframe.<name>``.  Everything else (``import dask``, ``dask.compute``, ``dask.visualize``,
  ``dask.distributed.Client``, ``dask.delayed``, ``dask.diagnostics``) is left as it is.

For each cell the harness records whether it ran, its first error, and its answer: the value Jupyter
would display (its ``repr`` and ``_repr_html_`` are made too, as Jupyter would), computed when it is a
lazy collection (but an array of more than 200 MB: its shape, dtype and chunks).  A gpuscale cell
**passes** when it ran and its answer equals dask's (pandas/NumPy values compared with a tolerance; any
string dtype counts as the same; a different row order counts as the same when sorting the index makes
them equal; objects neither can compare, such as a ``Client``, by type name), and it **fails as dask
does** when both failed with the same exception type, or gpuscale's is a subclass of dask's
(``visualize`` without graphviz).  Arrays made by ``da.random`` hold different numbers in the two
libraries (each has its own generator), so in the notebooks marked *random arrays* an array answer
passes on shape and dtype (a scalar on its type).
``numpy.random.seed(0)`` is called first in both runs: ``dask.datasets.timeseries()`` and gpuscale's
then draw the same seed and make the same data.

Substitutions (the same in both runs; each notebook lists its own below): remote data is replaced by
small local synthetic data of the same shape and dtypes, arrays too large for a small machine are made
smaller, ``timeseries()`` makes one row a minute instead of one a second (43 200 rows, 30 partitions),
and a tiny NumPy ``sklearn.linear_model.LinearRegression`` stands in where scikit-learn is not
installed.  Notebooks about dask.bag, delayed, futures, dask-ml, dask-sql, dask-image and the
distributed scheduler itself are not run (listed in ``OUT_OF_SCOPE``).

Run: ``python -m benchmarks.notebooks_compat [--notebook NAME ...]
[--label LABEL] [--fresh-dask]``; writes ``benchmarks/results/notebooks_compat[_LABEL].{json,md}`` (a run of
some notebooks replaces only their entries there) and prints the failing cells (dask's runs are cached in ``benchmarks/results/.notebooks_dask_cache.pkl``).
docs/notebooks_compat.md has the results and what remains.  A run of all notebooks takes about twelve minutes
on two cores.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import pickle
import re
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import notebooks_data
from benchmarks.notebooks_report import print_outcome, render, summarize  # noqa: F401  (render: public)

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
MIRRORS = Path("/work/.mirror")
REPOS = {
    "examples": os.environ.get("DASK_EXAMPLES", str(MIRRORS / "dask+dask-examples" / "repo")),
    "tutorial": os.environ.get("DASK_TUTORIAL", str(MIRRORS / "dask+dask-tutorial" / "repo")),
    "xarray-tutorial": os.environ.get("XARRAY_TUTORIAL", str(MIRRORS / "xarray-contrib+xarray-tutorial" / "repo")),
}
CELL_TIMEOUT = 240

# ---------------------------------------------------------------------------------------------------
# the notebooks


@dataclass
class Notebook:
    repo: str
    path: str
    prepare: str = ""  # a data-preparing function of benchmarks/notebooks_data.py, run in the folder first
    rewrites: list = field(default_factory=list)  # (regex, replacement) applied to every cell, both runs
    skip: dict = field(default_factory=dict)  # cell index -> reason
    random_arrays: bool = False
    notes: str = ""

    @property
    def name(self) -> str:
        return f"{self.repo}/{self.path}"


XARRAY_TUTORIAL_DATA = ("xarray's air_temperature tutorial dataset -> a synthetic one of the same shape; xarray "
                        "cells run with the gpuscale chunk manager in the gpuscale run")
SMALL_TIMESERIES = [(r"timeseries\(\)", 'timeseries(freq="60s")')]

NOTEBOOKS = [
    Notebook("examples", "array.ipynb", random_arrays=True,
             rewrites=[(r"\(10000, 10000\), chunks=\(1000, 1000\)", "(4000, 4000), chunks=(400, 400)"),
                       (r"y\[::2, 5000:\]", "y[::2, 2000:]")],
             notes="10000x10000 array -> 4000x4000 (chunks 400)"),
    Notebook("examples", "dataframe.ipynb", rewrites=SMALL_TIMESERIES,
             notes="timeseries at 60s; scikit-learn stand-in"),
    Notebook("examples", "dataframes/01-data-access.ipynb", rewrites=SMALL_TIMESERIES,
             notes="timeseries at 60s"),
    Notebook("examples", "dataframes/02-groupby.ipynb", rewrites=SMALL_TIMESERIES,
             notes="timeseries at 60s; scikit-learn stand-in"),
    Notebook("examples", "dataframes/03-from-pandas-to-dask.ipynb", rewrites=SMALL_TIMESERIES,
             notes="timeseries at 60s"),
    Notebook("examples", "dataframes/04-reading-messy-data-into-dataframes.ipynb",
             rewrites=SMALL_TIMESERIES + [(r"np\.NaN\b", "np.nan")],
             notes="timeseries at 60s; np.NaN -> np.nan (NumPy 2 removed it, under dask too)"),
    Notebook("examples", "applications/stencils-with-numba.ipynb", random_arrays=True,
             rewrites=[(r"size=\(10000, 1000, 1000\)", "size=(128, 1000, 1000)")],
             notes="10000x1000x1000 int8 -> 128x1000x1000"),
    Notebook("examples", "machine-learning/svd.ipynb", random_arrays=True,
             rewrites=[(r"\(10000, 10000\), chunks=\(2000, 2000\)", "(4000, 4000), chunks=(1000, 1000)")],
             notes="10000x10000 -> 4000x4000 (chunks 1000)"),
    Notebook("tutorial", "00_overview.ipynb", prepare="prepare_taxi",
             rewrites=[(r'"s3://dask-data/nyc-taxi/nyc-2015.parquet/part.\*.parquet"',
                        '"nyc-2015.parquet/part.*.parquet"'),
                       (r'storage_options=\{"anon": True\},', "")],
             notes="S3 NYC taxi parquet -> a local synthetic parquet dataset (passenger_count, tip_amount, ...)"),
    Notebook("tutorial", "01_dataframe.ipynb", prepare="prepare_flights",
             rewrites=[(r"%run prep.py -d flights", "pass  # data made by the harness"),
                       (r'parse_dates=\{"Date": \[0, 1, 2\]\},?', "")],
             notes="downloaded NYC flights CSVs -> 10 synthetic CSVs of the same columns and quirks; "
                   "parse_dates={'Date': [0, 1, 2]} dropped (pandas 3 refuses it, under dask too)"),
    Notebook("tutorial", "02_array.ipynb", prepare="prepare_random_zarr", random_arrays=True,
             rewrites=[(r"%run prep.py -d random", "pass  # data made by the harness"),
                       (r"30_000, 30_000", "6_000, 6_000"), (r"chunks=\(3000, 3000\)", "chunks=(1500, 1500)"),
                       (r"chunks=\(6250000,\)", "chunks=(625000,)")],
             notes="30000x30000 -> 6000x6000; the prep.py Zarr arrays at 2M elements; xarray's air_temperature "
                   "tutorial dataset -> a synthetic one of the same shape (xarray cells run with the "
                   "gpuscale chunk manager in the gpuscale run)"),
    # xarray's own tutorial (xarray-contrib/xarray-tutorial): its notebooks about chunked (dask) data
    Notebook("xarray-tutorial", "fundamentals/05_intro_to_dask.ipynb",
             rewrites=[(r"bigshape = \(200000, 4000\)", "bigshape = (50000, 4000)")],
             notes="bigshape 200000x4000 -> 50000x4000"),
    Notebook("xarray-tutorial", "intermediate/xarray_and_dask.ipynb",
             notes=XARRAY_TUTORIAL_DATA),
    Notebook("xarray-tutorial", "advanced/map_blocks/simple_map_blocks.ipynb", notes=XARRAY_TUTORIAL_DATA),
    Notebook("xarray-tutorial", "advanced/apply_ufunc/dask_apply_ufunc.ipynb", notes=XARRAY_TUTORIAL_DATA),
    Notebook("xarray-tutorial", "overview/xarray-in-45-min.ipynb", notes=XARRAY_TUTORIAL_DATA),
]

OUT_OF_SCOPE = {
    "examples/bag.ipynb": "dask.bag",
    "examples/delayed.ipynb": "dask.delayed only",
    "examples/futures.ipynb": "futures only",
    "examples/resilience.ipynb": "delayed/futures only",
    "examples/sql.ipynb": "dask-sql (not installed)",
    "examples/xarray.ipynb": "xarray (its own harness: benchmarks/xarray.py); bottleneck is not installed",
    "examples/applications/image-processing.ipynb": "dask-image and scikit-image (not installed)",
    "examples/applications/*": "the other applications use bag, delayed, futures, prefect, prophet",
    "examples/machine-learning/* (but svd)": "dask-ml, scikit-learn, xgboost, torch (not installed)",
    "examples/surveys/*": "pandas only",
    "tutorial/03_dask.delayed.ipynb": "dask.delayed only",
    "tutorial/04_distributed.ipynb": "the distributed scheduler itself",
    "tutorial/05_futures.ipynb": "futures only",
}

# the port: what changes when a user switches to gpuscale
PORT = [
    (r"^(\s*)import dask\.dataframe as (\w+)", r"\1import gpuscale.dataframe as \2"),
    (r"^(\s*)import dask\.array as (\w+)", r"\1import gpuscale.array as \2"),
    (r"^(\s*)from dask\.datasets import", r"\1from gpuscale.datasets import"),
    (r"\bdask\.datasets\.", "gpuscale.datasets."),
    (r"(?<!import )\bdask\.dataframe\.", "gpuscale.dataframe."),
    (r"\bdask\.array\.(?!random\.RandomState)", "gpuscale.array."),
    (r"^(\s*)import xarray as xr$", r'\1import xarray as xr; _ = xr.set_options(chunk_manager="gpuscale")'),
]


def port(source: str) -> str:
    for pattern, replacement in PORT:
        source = re.sub(pattern, replacement, source, flags=re.M)
    return source


REPO_VARIABLES = {"examples": "DASK_EXAMPLES", "tutorial": "DASK_TUTORIAL", "xarray-tutorial": "XARRAY_TUTORIAL"}


def _notebook_text(nb: Notebook) -> str | None:
    """The notebook's JSON from its checkout (a work tree, or HEAD of a bare mirror); None if it is not there."""
    repo = REPOS[nb.repo]
    if Path(repo, nb.path).exists():
        return Path(repo, nb.path).read_text()
    try:
        done = subprocess.run(["git", "-C", repo, "show", f"HEAD:{nb.path}"], capture_output=True, text=True)
    except OSError:  # no git
        return None
    return done.stdout if done.returncode == 0 else None


def missing_checkouts(notebooks: list) -> list[str]:
    """One line per notebook whose checkout is missing: where it was looked for and the variable to set."""
    return [f"{nb.name}: no checkout with {nb.path} at {REPOS[nb.repo]} (set {REPO_VARIABLES[nb.repo]} to a "
            "checkout or mirror of it)" for nb in notebooks if _notebook_text(nb) is None]


def notebook_cells(nb: Notebook) -> list[str]:
    text = _notebook_text(nb)
    if text is None:
        raise FileNotFoundError(missing_checkouts([nb])[0])
    cells = [c for c in json.loads(text)["cells"]]
    out = []
    for i, cell in enumerate(cells):
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for pattern, replacement in nb.rewrites:
            source = re.sub(pattern, replacement, source)
        out.append((i, source))
    return out


# ---------------------------------------------------------------------------------------------------
# the child process: run one notebook on one engine


def _is_lazy(value) -> bool:
    return hasattr(value, "__dask_graph__") and hasattr(value, "compute") and not isinstance(value, type)


def _array_nbytes(value) -> float:
    """An array's size in bytes; 0 for a collection without a known one (dask's ``DataFrame.nbytes`` raises
    NotImplementedError, which must not count as the cell failing)."""
    try:
        nbytes = value.nbytes
    except (AttributeError, NotImplementedError):
        return 0
    return nbytes if isinstance(nbytes, (int, float)) else 0


def _answer(value):
    """What a cell's value is, in a form the parent can compare: (kind, payload)."""
    import numpy as np
    import pandas as pd

    if value is None:
        return ("none", None)
    if isinstance(value, type):
        return ("type", f"{value.__module__}.{value.__qualname__}")
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        if (value.nbytes if isinstance(value, pd.Index) else np.sum(value.memory_usage(deep=False))) < 2e8:
            return ("pandas", value)
        return ("type", type(value).__name__)
    if isinstance(value, np.ndarray):
        if value.nbytes < 2e8:
            return ("array", value)
        return ("array-summary", (value.shape, str(value.dtype), float(np.nansum(value, dtype="float64"))))
    if isinstance(value, (bool, int, float, complex, str, bytes, np.generic)):
        return ("scalar", value)
    if isinstance(value, (tuple, list)) and len(value) < 50:
        return ("sequence", [_answer(v) for v in value])
    if type(value).__module__.startswith("xarray") and type(value).__name__ in ("DataArray", "Dataset", "Variable"):
        try:
            return ("xarray", value.load() if hasattr(value, "load") else value)
        except Exception:
            return ("type", type(value).__name__)
    return ("type", type(value).__name__)


def run_notebook(name: str, engine: str, out: str) -> None:
    from IPython.core.interactiveshell import InteractiveShell

    import numpy as np

    nb = next(n for n in NOTEBOOKS if n.name == name)
    workdir = os.path.join(os.path.dirname(out), "work")  # (in the parent's temporary folder: removed with it)
    os.makedirs(workdir, exist_ok=True)
    os.chdir(workdir)
    os.makedirs("data", exist_ok=True)
    os.environ["MPLBACKEND"] = "Agg"
    sys.path.insert(0, str(ROOT))
    notebooks_data.install_stand_ins()
    if nb.prepare:
        getattr(notebooks_data, nb.prepare)()
    shell = InteractiveShell.instance()
    # ``%matplotlib inline`` asks the shell to start a GUI event loop, which only a kernel has; figures are drawn
    # with the Agg backend here (MPLBACKEND), as the inline backend draws them
    shell.enable_gui = lambda gui=None: None
    shell.run_cell("import pandas as pd, numpy as np", store_history=False)
    np.random.seed(0)
    if engine == "gpuscale":
        shell.user_ns["gpuscale"] = __import__("gpuscale")  # the port writes gpuscale.datasets for dask.datasets
    records = []
    import signal

    def _alarm(signum, frame):
        raise TimeoutError(f"cell ran over {CELL_TIMEOUT} s")

    signal.signal(signal.SIGALRM, _alarm)
    for index, source in notebook_cells(nb):
        if engine == "gpuscale":
            source = port(source)
        record = {"cell": index, "source": source}
        if index in nb.skip:
            record.update(status="skipped", reason=nb.skip[index])
            records.append(record)
            continue
        buffer = io.StringIO()
        start = time.perf_counter()
        signal.alarm(CELL_TIMEOUT)
        try:
            with contextlib.redirect_stdout(buffer), contextlib.redirect_stderr(buffer):
                result = shell.run_cell(source, store_history=True)
                error = result.error_before_exec or result.error_in_exec
                answer = ("none", None)
                if error is None and result.result is not None:
                    value = result.result
                    try:
                        repr(value)
                        if hasattr(value, "_repr_html_") and not isinstance(value, type):
                            value._repr_html_()
                        if _is_lazy(value) and type(value).__name__ not in ("Client", "Future"):
                            if _array_nbytes(value) > 2e8:  # shown, never computed
                                value = ("lazy array", tuple(value.shape), str(value.dtype),
                                         tuple(tuple(c) for c in value.chunks))
                            else:
                                value = value.compute()
                        answer = _answer(value)
                    except Exception as exc:  # display or compute of the shown value
                        error = exc
        except TimeoutError as exc:
            error, answer = exc, None
        finally:
            signal.alarm(0)
        record["seconds"] = round(time.perf_counter() - start, 3)
        if error is not None:
            tb = traceback.extract_tb(error.__traceback__)
            inner = [f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in tb[-3:]]
            record.update(status="error", error=type(error).__name__, message=str(error)[:500], where=inner,
                          bases=[c.__name__ for c in type(error).__mro__])
        else:
            record.update(status="ok")
            try:
                pickle.dumps(answer)
                record["answer"] = answer
            except Exception:
                record["answer"] = ("type", "unpicklable")
        record["output"] = buffer.getvalue()[-1500:]
        records.append(record)
    with open(out, "wb") as f:
        pickle.dump(records, f)
    # close clusters the notebook started before the interpreter exits
    with contextlib.suppress(Exception):
        import distributed

        for client in list(distributed.client._global_clients.values()):
            client.close()


# ---------------------------------------------------------------------------------------------------
# comparing answers


def _normalize_frame(x):
    import pandas as pd

    def fix(s):
        if isinstance(s.dtype, pd.StringDtype) or s.dtype == object:
            return s.astype(object).where(s.notna(), None)
        if isinstance(s.dtype, pd.CategoricalDtype):
            return s.astype(object)
        return s

    if isinstance(x, pd.DataFrame):
        x = x.copy()
        for c in x.columns:
            x[c] = fix(x[c]) if x.columns.is_unique else x[c]
        return x
    if isinstance(x, pd.Series):
        return fix(x)
    return x


def _dtype_kinds(x):
    import pandas as pd

    def kind(dt):
        if isinstance(dt, pd.StringDtype) or dt == object:
            return "string/object"
        if isinstance(dt, pd.CategoricalDtype):
            return "category"
        return str(dt)

    if isinstance(x, pd.DataFrame):
        return [kind(d) for d in x.dtypes]
    return [kind(x.dtype)]


def compare(a, b, random_arrays: bool) -> tuple[bool, str]:
    """(same, note) for the answers of dask (a) and gpuscale (b)."""
    import numpy as np
    import pandas as pd

    (ka, va), (kb, vb) = a or ("none", None), b or ("none", None)
    if ka != kb:
        return False, f"dask gave {ka} {_short(va)}, gpuscale {kb} {_short(vb)}"
    if ka in ("none", "type"):
        same = va == vb or str(va).replace("dask", "gpuscale").replace("dask_expr._collection.", "") == str(vb)
        return same or _same_type_name(va, vb), "" if same else f"{va} vs {vb}"
    if ka == "sequence":
        if len(va) != len(vb):
            return False, "sequence lengths differ"
        results = [compare(x, y, random_arrays) for x, y in zip(va, vb)]
        bad = [n for ok, n in results if not ok]
        return not bad, "; ".join(bad)
    if ka == "scalar":
        if isinstance(va, str) and isinstance(vb, str):  # paths in each run's own temporary folder (its work/
            va, vb = (re.sub(r"/tmp/nbcompat-[^/]+(/work)?", "<folder>", v) for v in (va, vb))  # now, or not)
        if random_arrays and not isinstance(va, (str, bytes)):
            return type(va) is type(vb), f"random values: {type(va).__name__} vs {type(vb).__name__}"
        try:
            if isinstance(va, str) or isinstance(vb, str):
                return va == vb, f"{va!r} vs {vb!r}"
            return bool(np.isclose(va, vb, rtol=1e-6, equal_nan=True)), f"{va!r} vs {vb!r}"
        except TypeError:
            return va == vb, f"{va!r} vs {vb!r}"
    if ka in ("array", "array-summary"):
        if ka == "array-summary":
            same = va[:2] == vb[:2] and (random_arrays or np.isclose(va[2], vb[2]))
            return same, f"{va} vs {vb}"
        if va.shape != vb.shape or va.dtype != vb.dtype:
            return False, f"shape/dtype {va.shape} {va.dtype} vs {vb.shape} {vb.dtype}"
        if random_arrays:
            return True, "random values: shape and dtype"
        try:
            return bool(np.allclose(va, vb, equal_nan=True)), "values differ"
        except TypeError:
            return bool((va == vb).all()), "values differ"
    if ka == "pandas":
        if type(va) is not type(vb):
            return False, f"{type(va).__name__} vs {type(vb).__name__}"
        if _dtype_kinds(va) != _dtype_kinds(vb):
            return False, f"dtypes {_dtype_kinds(va)} vs {_dtype_kinds(vb)}"
        na, nb_ = _normalize_frame(va), _normalize_frame(vb)
        check = {pd.DataFrame: pd.testing.assert_frame_equal, pd.Series: pd.testing.assert_series_equal,
                 pd.Index: pd.testing.assert_index_equal}[type(va)]
        opts = dict(check_dtype=False, check_exact=False, rtol=1e-6)
        if isinstance(va, pd.Index):
            opts = dict(exact=False, check_exact=False, rtol=1e-6)
        else:
            opts.update(check_index_type=False)
        try:
            check(na, nb_, **opts)
            return True, ""
        except (AssertionError, TypeError, ValueError) as exc:
            first = str(exc).strip().splitlines()[0][:200]
        if not isinstance(va, pd.Index):
            try:
                check(na.sort_index(), nb_.sort_index(), **opts)
                return True, "row order differs"
            except Exception:
                pass
        if not isinstance(va, pd.Index) and not va.index.is_monotonic_increasing \
                and not vb.index.is_monotonic_increasing and not va.index.equals(vb.index):
            first = "other rows: a part (head) of a result whose row order is arbitrary, in dask too; " + first
        return False, first
    if ka == "xarray":
        try:
            import xarray as xr

            xr.testing.assert_allclose(va, vb)
            return True, ""
        except AssertionError as exc:
            return False, str(exc).splitlines()[0][:200]
    return va == vb, ""


def _same_type_name(a, b) -> bool:
    return str(a).rsplit(".", 1)[-1] == str(b).rsplit(".", 1)[-1]


def _short(v) -> str:
    text = repr(v)
    return text if len(text) < 80 else text[:77] + "..."


def judge(nb: Notebook, dask_records: list, gs_records: list) -> list[dict]:
    rows = []
    for d, g in zip(dask_records, gs_records):
        row = {"cell": d["cell"], "dask": d["status"], "gpuscale": g["status"], "source": d["source"]}
        if d["status"] == "skipped":
            row.update(verdict="skipped", note=d["reason"])
        elif g["status"] == "error" and d["status"] == "error":
            same = d["error"] in g.get("bases", [g["error"]])  # gpuscale's error is dask's or a subclass of it
            row.update(verdict="as dask" if same else "fail",
                       note=f"both fail: dask {d['error']}, gpuscale {g['error']}: {g['message'][:200]}")
        elif g["status"] == "error":
            row.update(verdict="fail", note=f"{g['error']}: {g['message'][:300]}", where=g.get("where"))
        elif d["status"] == "error":
            row.update(verdict="pass", note=f"dask fails ({d['error']}: {d['message'][:120]}); gpuscale runs")
        else:
            same, note = compare(d["answer"], g["answer"], nb.random_arrays)
            row.update(verdict="pass" if same else "differs", note=note)
        row["seconds"] = {"dask": d.get("seconds"), "gpuscale": g.get("seconds")}
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------------
# the parent


def _child(name: str, engine: str) -> list:
    # one temporary folder per run, removed however it ends: the child's records and its working folder
    with tempfile.TemporaryDirectory(prefix="nbcompat-") as folder:
        out = os.path.join(folder, "records.pkl")
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
        proc = subprocess.run([sys.executable, "-m", "benchmarks.notebooks_compat", "--child", name, engine, out],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=3600)
        if proc.returncode != 0 or not os.path.exists(out) or not os.path.getsize(out):
            raise RuntimeError(f"{name} on {engine} did not finish (exit {proc.returncode}):\n{proc.stderr[-3000:]}")
        with open(out, "rb") as f:
            return pickle.load(f)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--notebook", action="append", help="run only notebooks whose name contains this")
    parser.add_argument("--label", default="", help="results file suffix")
    parser.add_argument("--dask-cache", default=str(RESULTS / ".notebooks_dask_cache.pkl"),
                        help="where the dask runs are cached (they do not change with gpuscale)")
    parser.add_argument("--fresh-dask", action="store_true", help="rerun dask even when cached")
    args = parser.parse_args(argv)
    if args.child:
        run_notebook(*args.child)
        return 0
    chosen = [nb for nb in NOTEBOOKS if not args.notebook or any(s in nb.name for s in args.notebook)]
    missing = missing_checkouts(chosen)
    if missing:
        print("the notebooks' checkouts are missing (DASK_EXAMPLES / DASK_TUTORIAL / XARRAY_TUTORIAL name "
              "them):\n  " + "\n  ".join(missing), file=sys.stderr)
        return 2
    cache = {}
    if os.path.exists(args.dask_cache) and not args.fresh_dask:
        with open(args.dask_cache, "rb") as f:
            cache = pickle.load(f)
    report = {"notebooks": {}, "out_of_scope": OUT_OF_SCOPE}
    suffix = f"_{args.label}" if args.label else ""
    previous = RESULTS / f"notebooks_compat{suffix}.json"
    if args.notebook and previous.exists():  # a run of some notebooks keeps the others' results
        report["notebooks"] = json.loads(previous.read_text())["notebooks"]
    for nb in chosen:
        key = (nb.name, json.dumps(nb.rewrites), nb.prepare)
        if key not in cache:
            cache[key] = _child(nb.name, "dask")
            with open(args.dask_cache, "wb") as f:
                pickle.dump(cache, f)
        start = time.perf_counter()
        rows = judge(nb, cache[key], _child(nb.name, "gpuscale"))
        summary = summarize(nb, rows)
        report["notebooks"][nb.name] = {"summary": summary, "cells": rows}
        print_outcome(nb, summary, rows, time.perf_counter() - start)
    order = [nb.name for nb in NOTEBOOKS]
    report["notebooks"] = dict(sorted(report["notebooks"].items(),
                                      key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"notebooks_compat{suffix}.json").write_text(json.dumps(report, indent=1, default=str))
    (RESULTS / f"notebooks_compat{suffix}.md").write_text(render(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
