"""xarray on gpuscale vs xarray on dask, side by side in one run (each measurement in a fresh process).

The climate workflow of ``notebooks/05_climate.ipynb`` (``gpuscale.demo.climate``): yearly Zarr stores of float32
daily temperature opened with ``xr.open_mfdataset(..., chunks={"time": 73})`` → monthly climatology
(``groupby("time.month").mean``) → anomalies → area-weighted global mean → 31-day centred rolling mean →
``to_zarr`` of all four results.  The only difference between the two runs is ``chunked_array_type="gpuscale"``
(and ``chunked_array_type="gpuscale"`` on the ``chunk()`` before writing); dask uses its threaded scheduler,
gpuscale its local runtime with ``memory_limit`` set (``--memory-limit``, default a quarter of the RAM: spill to
disk beyond it).

The dataset is written once (seeded) under ``benchmarks/data/xarray/`` and read from the page cache (every file is
read once before measuring).  Each run happens in a spawned child process, so its peak RSS (``ru_maxrss``) is its
own; runs are interleaved.  After the runs the small results (climatology, global series) of the two libraries
are compared.  Reported: median wall time and CPU seconds (user + system, which a shared machine's load disturbs
less) of ``--repeat`` runs, the gpuscale/dask ratios and peak RSS.  Writes a
markdown table to stdout and ``benchmarks/results/xarray[_quick|_default].{json,md}``.

Run: ``python -m benchmarks.xarray [--quick | --full | --gb 0.75 --years 6] [--repeat 1] [--hash-seeds 1,2,3]``
(``--hash-seeds``: each repeat's two runs under that ``PYTHONHASHSEED``; the per-run figures follow the table)
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {
    "quick": {"gb": 0.25, "years": 4},
    "default": {"gb": 2.0, "years": 10},
    "full": {"gb": None, "years": 30},  # None: four times the machine's RAM
}
TIME_CHUNK = 73


def _ram_bytes() -> int:
    import psutil

    return psutil.virtual_memory().total


def _dataset(size: dict) -> tuple[list, tuple]:
    from gpuscale.demo.climate import grid_for, write_dataset

    nbytes = size["gb"] * 1e9 if size["gb"] else 4 * _ram_bytes()
    years = range(2001, 2001 + size["years"])
    nlat, nlon = grid_for(nbytes, len(years))
    folder = ROOT / "benchmarks" / "data" / "xarray" / f"tas-{len(years)}y-{nlat}x{nlon}"
    return write_dataset(folder, years, nlat, nlon, time_chunk=TIME_CHUNK), (len(years), nlat, nlon)


def _warm_page_cache(paths: list) -> None:
    for path in paths:
        for f in Path(path).rglob("*"):
            if f.is_file():
                f.read_bytes()


# -- one run in a child process --------------------------------------------------------------------------------
def _child(library: str, paths: list, out: str, memory_limit: int, queue) -> None:
    try:
        import warnings

        import xarray as xr

        import gpuscale
        from gpuscale.demo.climate import pipeline

        warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
        kwargs = {"chunked_array_type": "gpuscale"} if library == "gpuscale" else {}
        if library == "gpuscale":
            gpuscale.config.set(memory_limit=memory_limit)
        start = time.perf_counter()
        ds = xr.open_mfdataset(paths, engine="zarr", consolidated=False, chunks={"time": TIME_CHUNK}, **kwargs)
        result = pipeline(ds).chunk({"time": TIME_CHUNK}, **kwargs)
        result.to_zarr(out, mode="w", consolidated=False)
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)  # CPU seconds: less sensitive to a shared machine's load
        queue.put({"seconds": elapsed, "peak_rss": usage.ru_maxrss * 1024,
                   "cpu_seconds": usage.ru_utime + usage.ru_stime})
    except Exception as exc:  # reported, not fatal to the other measurements
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def run_once(library: str, paths: list, out: Path, memory_limit: int) -> dict:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(library, [str(p) for p in paths], str(out), memory_limit, queue))
    proc.start()
    result = queue.get()
    proc.join()
    return result


def _compare(outputs: dict) -> dict:
    """Largest absolute differences between the libraries' small results (climatology, global series)."""
    import numpy as np
    import xarray as xr

    opened = {lib: xr.open_zarr(path, consolidated=False) for lib, path in outputs.items()}
    diffs = {}
    for name in ("climatology", "global_anomaly", "smoothed"):
        a, b = (np.asarray(opened[lib][name].values, dtype="float64") for lib in ("gpuscale", "dask"))
        diffs[name] = float(np.nanmax(np.abs(a - b)))
    return diffs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.25 GB over 4 years (seconds to a minute)")
    parser.add_argument("--full", action="store_true", help="four times the machine's RAM over 30 years")
    parser.add_argument("--gb", type=float, default=None, help="another size: GB in memory (with --years)")
    parser.add_argument("--years", type=int, default=None, help="years of data for --gb (default 6)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--hash-seeds", default=None,
                        help="PYTHONHASHSEED of each repeat's two runs, comma-separated, cycled (default: inherited)")
    parser.add_argument("--memory-limit", type=float, default=None,
                        help="gpuscale's memory_limit in GB (default: a quarter of the RAM)")
    args = parser.parse_args(argv)
    mode = "full" if args.full else "quick" if args.quick else "default"
    size = SIZES[mode]
    if args.gb is not None:
        mode, size = f"{args.gb:g}gb", {"gb": args.gb, "years": args.years or 6}
    memory_limit = int(args.memory_limit * 1e9) if args.memory_limit else _ram_bytes() // 4
    paths, (years, nlat, nlon) = _dataset(size)
    nbytes = sum(f.stat().st_size for p in paths for f in Path(p).rglob("*") if f.is_file())
    _warm_page_cache(paths)
    scratch = Path(tempfile.mkdtemp(prefix="gpuscale-bench-xarray-"))
    runs: dict = {"dask": [], "gpuscale": []}
    load = [os.getloadavg()[0]]  # the machine may be shared: the 1-minute load average before and after
    outputs = {lib: scratch / f"{lib}.zarr" for lib in runs}
    seeds = args.hash_seeds.split(",") if args.hash_seeds else []
    try:
        for repeat in range(args.repeat):
            if seeds:  # the spawned children start with this environment
                os.environ["PYTHONHASHSEED"] = seeds[repeat % len(seeds)]
            for lib in runs:
                runs[lib].append(run_once(lib, paths, outputs[lib], memory_limit))
                runs[lib][-1].update(hash_seed=os.environ.get("PYTHONHASHSEED"), load=round(os.getloadavg()[0], 2))
                print(f"{lib:9s} {runs[lib][-1]}", flush=True)
        load.append(os.getloadavg()[0])
        diffs = _compare(outputs) if all("error" not in r[-1] for r in runs.values()) else {}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results = {}
    for lib, rs in runs.items():
        errors = [r["error"] for r in rs if "error" in r]
        results[lib] = {"error": errors[0]} if errors else {
            "seconds": statistics.median(r["seconds"] for r in rs), "peak_rss": max(r["peak_rss"] for r in rs),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in rs),
            "all_seconds": [round(r["seconds"], 2) for r in rs],
            "all_cpu_seconds": [round(r["cpu_seconds"], 2) for r in rs],
            "all_peak_rss_mib": [round(r["peak_rss"] / 2**20) for r in rs],
            "hash_seeds": [r["hash_seed"] for r in rs], "load_after_each": [r["load"] for r in rs]}
    cells = years * 365 * nlat * nlon
    header = (f"xarray climate workflow ({mode}: {years} yearly Zarr stores, time x lat x lon = "
              f"{cells // (nlat * nlon)} x {nlat} x {nlon} float32, {cells * 4 / 1e9:.2f} GB in memory, "
              f"{nbytes / 1e9:.2f} GB on disk); {multiprocessing.cpu_count()} cores, "
              f"{_ram_bytes() / 2**30:.0f} GiB RAM, {platform.processor() or platform.machine()}, load average "
              f"{load[0]:.1f} before and {load[-1]:.1f} after the runs; median of "
              f"{args.repeat} run(s), fresh process each; gpuscale memory_limit {memory_limit / 1e9:.1f} GB; "
              f"largest differences gpuscale vs dask: {', '.join(f'{k} {v:.1e}' for k, v in diffs.items())}.\n\n")
    table = _table(results) + _per_run(runs)
    print("\n" + header + table)
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stem = "xarray" if mode == "full" else f"xarray_{mode}"
    (out / f"{stem}.json").write_text(json.dumps({"mode": mode, "size": size, "grid": [years, nlat, nlon],
                                                  "memory_limit": memory_limit, "differences": diffs,
                                                  "load_average": [round(v, 2) for v in load],
                                                  "results": results}, indent=2))
    (out / f"{stem}.md").write_text(header + table + "\n")
    return 0


def _per_run(runs: dict) -> str:
    """One line per repeat: hash seed, both libraries' wall and CPU seconds and peak RSS, the time ratio."""
    lines = ["", "", "| run | hash seed | dask s | gpuscale s | time ratio | CPU s dask / gpuscale | peak RSS dask / "
             "gpuscale | load after |", "|---|---|---|---|---|---|---|---|"]
    for k, (d, g) in enumerate(zip(runs["dask"], runs["gpuscale"]), 1):
        if "error" in d or "error" in g:
            continue
        lines.append(f"| {k} | {g.get('hash_seed') or '-'} | {d['seconds']:.2f} | {g['seconds']:.2f} | "
                     f"{g['seconds'] / d['seconds']:.2f}x | {d['cpu_seconds']:.1f} / {g['cpu_seconds']:.1f} | "
                     f"{d['peak_rss'] / 2**20:.0f} / {g['peak_rss'] / 2**20:.0f} MiB | {g.get('load', '-')} |")
    return "\n".join(lines) if len(lines) > 4 else ""


def _table(results: dict) -> str:
    def get(lib: str, key: str) -> str:
        value = results.get(lib, {}).get(key)
        if isinstance(value, (int, float)):
            return f"{value / 2**20:.0f} MiB" if key == "peak_rss" else f"{value:.1f}" if key == "cpu_seconds" \
                else f"{value:.2f}"
        return results.get(lib, {}).get("error", "-")

    def ratio(key: str) -> str:
        if key in results.get("dask", {}) and key in results.get("gpuscale", {}):
            return f"{results['gpuscale'][key] / results['dask'][key]:.2f}x"
        return "-"

    return "\n".join([
        "| workflow | dask s | gpuscale s | gpuscale/dask time | CPU s dask | CPU s gpuscale | peak RSS dask "
        "| peak RSS gpuscale | gpuscale/dask peak RSS |",
        "|---|---|---|---|---|---|---|---|---|",
        f"| climatology → anomalies → weighted mean → rolling → Zarr | {get('dask', 'seconds')} | "
        f"{get('gpuscale', 'seconds')} | {ratio('seconds')} | {get('dask', 'cpu_seconds')} | "
        f"{get('gpuscale', 'cpu_seconds')} | {get('dask', 'peak_rss')} | {get('gpuscale', 'peak_rss')} | "
        f"{ratio('peak_rss')} |"])


if __name__ == "__main__":
    raise SystemExit(main())
