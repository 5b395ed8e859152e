"""Window and categorical operations: gpuscale.dataframe vs dask.dataframe, side by side in one run.

The workloads are written once against the module (``dask.dataframe`` or ``gpuscale.dataframe``: the
same code, as a port by changing the import) on a time series of ``--rows`` rows (one per second,
a float column ``x``, an integer key ``k`` with 100 values, a string column ``c`` with 20 values),
in ``--partitions`` partitions persisted in memory first, so the timings measure the operation:

* ``shift``, ``diff``, ``cumsum``: ``x.shift(10)``, ``x.diff()``, ``x.cumsum()``;
* ``rolling``, ``rolling_time``: ``x.rolling(100).mean()``, ``x.rolling("2h").mean()``;
* ``resample``: ``x.resample("1h").mean()``;
* ``map_overlap``: a 5-row rolling maximum through ``map_overlap(func, 4, 0)``;
* ``groupby_cumsum``: ``groupby("k").x.cumsum()``;
* ``categorize``: ``categorize(columns=["c"])`` (finds the categories: a pass over the data) and the
  codes' sum (through ``map_partitions``: dask raises ``KeyError`` on ``categorize(...).c``);
* ``cat_codes``: ``c.cat.codes`` of a categorized (known categories) frame;
* ``groupby_category``: ``groupby("c").x.mean()`` on the categorized frame (``observed=True``);
* ``pivot_table``: ``pivot_table(index="k", columns="c", values="x", aggfunc="mean")`` (categorized).

Each result is reduced to a number (``.sum()``) or a small frame, so both libraries pay the same small
collection cost.  Each measurement runs in a spawned child process (one warm-up, then timed; the data is
made once and pickled, each child reads it); the libraries' runs are interleaved so load from other
processes hits them alike.  Reported: median wall time of ``--repeat`` runs (every run listed) and the
gpuscale/dask ratio (the target is at most 0.6x).

Run: ``python -m benchmarks.windows [--quick | --full] [--repeat 3] [--workloads rolling,cumsum]
[--results-dir benchmarks/results]``; writes ``<results-dir>/windows[_quick|_full].{json,md}``.  Different
answers of the two libraries (checksums beyond a relative 1e-6) are marked "NO" and make the exit status 1.

``--in-process`` is the steadier view on a shared machine: one process holds both libraries' persisted
frames, the two computes are interleaved, and each is timed by the process's CPU time as well as wall time
(median of ``--repeat`` after a warm-up); it prints a table and writes nothing.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import add_results_dir, close, run_in_child, workload_names  # noqa: E402

SIZES = {"quick": 1_000_000, "default": 10_000_000, "full": 100_000_000}
WORKLOADS = ("shift", "diff", "cumsum", "rolling", "rolling_time", "resample", "map_overlap", "groupby_cumsum", "categorize",
             "cat_codes", "groupby_category", "pivot_table")
CATEGORIZED = ("cat_codes", "groupby_category", "pivot_table")


def _data(rows: int, columns: str = "xkc"):
    """The time series; ``columns`` keeps some of ``x``, ``k``, ``c`` (``--columns x``: at 1e8 rows a frame
    with the string column does not fit twice in 24 GiB, and the time-series workloads read only ``x``)."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    names = np.array([f"name{i:02d}" for i in range(20)], dtype=object)
    data = {"x": rng.normal(size=rows)}
    if "k" in columns:
        data["k"] = rng.integers(0, 100, rows)
    if "c" in columns:
        data["c"] = pd.array(names[rng.integers(0, 20, rows)], dtype="str")
    return pd.DataFrame(data, index=pd.date_range("2024-01-01", periods=rows, freq="s", name="t"))


def _rolling_max(part):
    return part.x.rolling(5).max()


def _codes(part):
    return part.c.cat.codes


def _expression(dd, workload: str, df):
    """The workload on a dask or gpuscale DataFrame, as a user writes it (lazy)."""
    if workload == "shift":
        return df.x.shift(10).sum()
    if workload == "diff":
        return df.x.diff().sum()
    if workload == "cumsum":
        return df.x.cumsum().sum()
    if workload == "rolling":
        return df.x.rolling(100).mean().sum()
    if workload == "rolling_time":
        return df.x.rolling("2h").mean().sum()
    if workload == "resample":
        return df.x.resample("1h").mean().sum()
    if workload == "map_overlap":
        return df.map_overlap(_rolling_max, 4, 0, meta=("x", "f8")).sum()
    if workload == "groupby_cumsum":
        return df.groupby("k").x.cumsum().sum()
    if workload == "categorize":  # (codes through map_partitions: dask 2026.7.1 raises KeyError on
        # categorize(...).c, a projection pushed through its Categorize expression)
        return df.categorize(columns=["c"]).map_partitions(_codes, meta=("c", "i1")).sum()
    if workload == "cat_codes":
        return df.c.cat.codes.sum()
    if workload == "groupby_category":
        return df.groupby("c", observed=True).x.mean()
    if workload == "pivot_table":
        return dd.pivot_table(df, index="k", columns="c", values="x", aggfunc="mean")
    raise ValueError(workload)


_FROM_PANDAS_ROWS = 20_000_000


def _identity(part):
    return part


def _frame(dd, pdf, partitions: int):
    """``dd.from_pandas(pdf, npartitions=partitions, sort=True)``; above 2e7 rows the same equal slices with
    their divisions through ``from_map`` (the setup, not measured: dask's ``from_pandas`` makes a Python list
    of the whole index to find divisions, minutes and over 15 GB for 1e8 timestamps)."""
    if len(pdf) <= _FROM_PANDAS_ROWS:
        return dd.from_pandas(pdf, npartitions=partitions, sort=True)
    size = -(-len(pdf) // partitions)
    pieces = [pdf.iloc[i:i + size] for i in range(0, len(pdf), size)]
    divisions = [piece.index[0] for piece in pieces] + [pieces[-1].index[-1]]
    return dd.from_map(_identity, pieces, divisions=divisions, meta=pdf.iloc[:0])


def _load(data) -> "object":
    """The frame: read from the pickle the parent wrote (``data`` a path), or made here (``data`` a row count).
    Making 10M rows with a string column takes far longer than a measurement, once per child."""
    import pandas as pd

    return _data(data) if isinstance(data, int) else pd.read_pickle(data)


def _child(library: str, workload: str, data, partitions: int, queue) -> None:
    try:
        if library == "dask":
            import dask
            import dask.dataframe as dd

            dask.config.set(scheduler="threads")
            persist = lambda frame: frame.persist()  # noqa: E731
        else:
            import gpuscale.dataframe as dd

            persist = lambda frame: frame.persist()  # noqa: E731
        pdf = _load(data)
        df = _frame(dd, pdf, partitions)
        if workload in CATEGORIZED:
            df = df.categorize(columns=["c"])
        df = persist(df)
        del pdf
        _expression(dd, workload, df).compute()  # warm-up: imports and caches are not what we compare
        start = time.perf_counter()
        result = _expression(dd, workload, df).compute()
        elapsed = time.perf_counter() - start
        queue.put({"seconds": elapsed, "check": _checksum(result)})
    except Exception as exc:  # reported, not fatal to the other measurements
        queue.put({"error": f"{type(exc).__name__}: {exc}"[:300]})


def _checksum(result) -> float:
    """One number to compare the libraries' answers by."""
    import numpy as np

    if hasattr(result, "to_numpy"):
        values = np.asarray(result.to_numpy(), dtype="float64")
        return float(np.nansum(values))
    return float(result)


def run_once(library: str, workload: str, data, partitions: int) -> dict:
    """One measurement in a fresh process (an error record if the process dies, e.g. OOM-killed)."""
    return run_in_child(_child, (library, workload, data, partitions))


def _same(checks: list) -> bool | None:
    """Whether the two libraries' checksums agree (None when one is missing)."""
    return None if None in checks else close(checks[0], checks[1], rtol=1e-6, atol=1e-6)


def _mismatches(results: dict) -> list:
    return [w for w, by_lib in results.items()
            if _same([by_lib.get(lib, {}).get("check") for lib in ("dask", "gpuscale")]) is False]


def measure(workload: str, data, partitions: int, repeat: int) -> dict:
    """``data``: the path of the pickled frame (or a row count: each child makes it)."""
    runs: dict = {"dask": [], "gpuscale": []}
    for _ in range(repeat):
        for library in runs:
            runs[library].append(run_once(library, workload, data, partitions))
    out = {}
    for library, results in runs.items():
        errors = [r["error"] for r in results if "error" in r]
        if errors:
            out[library] = {"error": errors[0]}
            continue
        out[library] = {"seconds": statistics.median(r["seconds"] for r in results),
                        "all_seconds": [round(r["seconds"], 3) for r in results], "check": results[0]["check"]}
    return out


def _table(results: dict) -> str:
    lines = ["| workload | dask s | gpuscale s | gpuscale/dask time | same answer | runs (dask / gpuscale s) |",
             "|---|---:|---:|---:|---|---|"]
    for workload, by_lib in results.items():
        cells = [by_lib.get(lib, {}).get("seconds") for lib in ("dask", "gpuscale")]
        text = [f"{c:.3f}" if isinstance(c, float) else by_lib.get(lib, {}).get("error", "-")
                for c, lib in zip(cells, ("dask", "gpuscale"))]
        ratio = f"{cells[1] / cells[0]:.2f}x" if all(isinstance(c, float) for c in cells) else "-"
        checks = [by_lib.get(lib, {}).get("check") for lib in ("dask", "gpuscale")]
        same = {None: "-", True: "yes"}.get(_same(checks)) or f"NO ({checks[0]:.6g} vs {checks[1]:.6g})"
        runs = " / ".join(",".join(f"{t:.3f}" for t in by_lib.get(lib, {}).get("all_seconds", []))
                          for lib in ("dask", "gpuscale"))
        lines.append(f"| {workload} | {text[0]} | {text[1]} | {ratio} | {same} | {runs} |")
    return "\n".join(lines)


def in_process(rows: int, partitions: int, repeat: int, workloads: list, columns: str = "xkc") -> str:
    """Both libraries in this process, interleaved: a table of median CPU and wall milliseconds and the ratios."""
    import dask
    import dask.dataframe as ddd

    import gpuscale.dataframe as gdd

    dask.config.set(scheduler="threads")
    pdf = _data(rows, columns)
    frames = {name: (mod, _frame(mod, pdf, partitions).persist()) for name, mod in
              (("dask", ddd), ("gpuscale", gdd))}
    del pdf
    lines = ["| workload | dask CPU ms | gpuscale CPU ms | CPU ratio | wall ratio | same answer |",
             "|---|---:|---:|---:|---:|---|"]
    for workload in workloads:
        ready = {name: (mod, df.categorize(columns=["c"]).persist() if workload in CATEGORIZED else df)
                 for name, (mod, df) in frames.items()}
        checks = {name: _checksum(_expression(mod, workload, df).compute()) for name, (mod, df) in ready.items()}
        times: dict = {name: [] for name in ready}
        for _ in range(repeat):
            for name, (mod, df) in ready.items():
                cpu, wall = time.process_time(), time.perf_counter()
                _expression(mod, workload, df).compute()
                times[name].append((time.process_time() - cpu, time.perf_counter() - wall))
        cpu_ms = {n: 1e3 * statistics.median(t[0] for t in ts) for n, ts in times.items()}
        wall_ms = {n: 1e3 * statistics.median(t[1] for t in ts) for n, ts in times.items()}
        same = _same([checks["dask"], checks["gpuscale"]])
        lines.append(f"| {workload} | {cpu_ms['dask']:.0f} | {cpu_ms['gpuscale']:.0f} | "
                     f"{cpu_ms['gpuscale'] / cpu_ms['dask']:.2f} | {wall_ms['gpuscale'] / wall_ms['dask']:.2f} | "
                     f"{'yes' if same else 'NO'} |")
        print(lines[-1], f"(load {os.getloadavg()[0]:.1f})", flush=True)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1e6 rows")
    parser.add_argument("--full", action="store_true", help="1e8 rows (the issue's size; needs ~30 GB)")
    parser.add_argument("--rows", type=int, default=None)
    parser.add_argument("--partitions", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workloads", type=workload_names(WORKLOADS), default=list(WORKLOADS),
                        help=f"comma-separated, from {', '.join(WORKLOADS)}")
    parser.add_argument("--columns", default="xkc", help="the columns made: some of x, k, c (default all)")
    parser.add_argument("--in-process", action="store_true",
                        help="both libraries in this process, interleaved; CPU and wall time; prints only")
    add_results_dir(parser)
    args = parser.parse_args(argv)
    mode = "full" if args.full else "quick" if args.quick else "default"
    rows = args.rows or SIZES[mode]
    if args.in_process:
        table = in_process(rows, args.partitions, args.repeat, args.workloads, args.columns)
        print(table)
        print(f"load average {os.getloadavg()[0]:.1f}")
        return 1 if "| NO |" in table else 0
    results: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        data = os.path.join(folder, "data.pkl")
        _data(rows, args.columns).to_pickle(data)  # once; the children read it
        for workload in args.workloads:
            results[workload] = measure(workload, data, args.partitions, args.repeat)
            print(f"{workload:17s} {results[workload]}", flush=True)
            _write(mode, rows, results, _header(rows, args), args.results_dir)
    header = _header(rows, args)
    print("\n" + header + _table(results))
    _write(mode, rows, results, header, args.results_dir)
    wrong = _mismatches(results)
    if wrong:
        print(f"different answers (gpuscale vs dask): {', '.join(wrong)}", file=sys.stderr)
    return 1 if wrong else 0


def _header(rows: int, args) -> str:
    import dask
    import pandas

    made = "" if args.columns == "xkc" else f" (columns {', '.join(args.columns)} only)"
    return (f"Window and categorical benchmarks: {rows:,} rows{made}, {args.partitions} partitions persisted in memory; "
              f"{multiprocessing.cpu_count()} cores, {platform.machine()}; dask {dask.__version__} (threads), "
              f"pandas {pandas.__version__}; median of the runs listed, fresh process each, after a warm-up; load "
              f"average {os.getloadavg()[0]:.1f} at the end. Target: gpuscale/dask <= 0.6x.\n\n")


def _write(mode: str, rows: int, results: dict, header: str, out: Path) -> None:
    """Merge into ``<out>/windows[_mode].{json,md}`` (a run of some workloads keeps the others)."""
    out.mkdir(parents=True, exist_ok=True)
    stem = "windows" if mode == "default" else f"windows_{mode}"
    path = out / f"{stem}.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    merged = dict(previous.get("results", {})) if previous.get("rows") == rows else {}
    merged.update(results)
    path.write_text(json.dumps({"mode": mode, "rows": rows, "results": merged}, indent=2))
    (out / f"{stem}.md").write_text(header + _table(merged) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
