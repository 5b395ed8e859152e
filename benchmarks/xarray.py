"""xarray on gpuscale vs xarray on dask, side by side in one run (each measurement in a fresh process).

The climate workflow of ``notebooks/05_climate.ipynb`` (``gpuscale.demo.climate``): yearly Zarr stores of float32
daily temperature opened with ``xr.open_mfdataset(..., chunks={"time": 73})`` → monthly climatology
(``groupby("time.month").mean``) → anomalies → area-weighted global mean → 31-day centred rolling mean →
``to_zarr`` of all four results.  The only difference between the two runs is ``chunked_array_type="gpuscale"``
(and ``chunked_array_type="gpuscale"`` on the ``chunk()`` before writing); dask uses its threaded scheduler,
gpuscale its local runtime with ``memory_limit`` set (``--memory-limit``, default a quarter of the RAM: spill to
disk beyond it).

The dataset is written once (seeded) under ``benchmarks/data/xarray/`` and read from the page cache (every file is
read once before measuring).  Each run happens in a spawned child process, so its peak RSS (``VmHWM``; not
``ru_maxrss``, which a spawned child starts from its parent's) is its own; runs are interleaved.  After the runs the
small results (climatology, global series) and the anomalies' daily lat/lon mean of the two libraries are compared:
a difference beyond ``TOLERANCE`` (1e-2 K) is marked in the header and makes the exit status 1.  Reported: median
wall time and CPU seconds (user + system, which a shared machine's load disturbs less) of ``--repeat`` runs, the
gpuscale/dask ratios and peak RSS.  Writes a markdown table to stdout and
``<results-dir>/xarray[_quick|_default].{json,md}``.

Run: ``python -m benchmarks.xarray [--quick | --full | --gb 0.75 --years 6] [--repeat 1] [--hash-seeds 1,2,3]
[--ram 2GiB] [--baseline PATH] [--results-dir benchmarks/results]`` (``--hash-seeds``: each repeat's runs under that
``PYTHONHASHSEED``; the per-run
figures follow the table; ``--baseline``: gpuscale from another checkout too, e.g. the code before a change, in the
same runs).

``--ram 2GiB`` makes "the data exceed the memory" real: each child runs in a fresh cgroup-v1 memory cgroup of that
size (swap capped too where ``memory.memsw.limit_in_bytes`` exists; needs root), made under the benchmark's own
memory cgroup and removed after.  A child the OOM killer ends is reported as such (exit signal, the cgroup's
``oom_kill`` count and ``failcnt``) with its wall time and CPU seconds until then; every run reports the cgroup's
``memory.max_usage_in_bytes`` (its RSS plus the page cache it made: written output and spill files) and the
largest anonymous memory sampled from ``memory.stat`` every 0.1 s.  gpuscale's ``memory_limit`` is then left
unset unless ``--memory-limit`` is given: the runtime takes half of the cgroup's limit by itself
(``gpuscale/runtime/cgroup.py``).  The data files are read once by the parent beforehand, so the children read
them from a page cache charged to the parent's cgroup, not to theirs.
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

from benchmarks.common import add_results_dir, death_record, peak_rss, wait_for  # noqa: E402

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
def _child(library: str, paths: list, out: str, memory_limit: int | None, queue, cgroup: str | None = None) -> None:
    if cgroup:  # first of all: everything the run allocates is charged to its own memory cgroup
        Path(cgroup, "cgroup.procs").write_text(str(os.getpid()))
    if library == "baseline":  # gpuscale from another checkout (--baseline), imported before this one
        sys.path.insert(0, os.environ["GPUSCALE_BENCH_BASELINE"])
    try:
        import warnings

        import xarray as xr

        import gpuscale
        from gpuscale.demo.climate import pipeline

        warnings.filterwarnings("ignore", message=".*[Cc]onsolidated metadata.*")
        on_gpuscale = library in ("gpuscale", "baseline")
        kwargs = {"chunked_array_type": "gpuscale"} if on_gpuscale else {}
        if on_gpuscale and memory_limit is not None:
            gpuscale.config.set(memory_limit=memory_limit)
        start = time.perf_counter()
        ds = xr.open_mfdataset(paths, engine="zarr", consolidated=False, chunks={"time": TIME_CHUNK}, **kwargs)
        result = pipeline(ds).chunk({"time": TIME_CHUNK}, **kwargs)
        result.to_zarr(out, mode="w", consolidated=False)
        elapsed = time.perf_counter() - start
        usage = resource.getrusage(resource.RUSAGE_SELF)  # CPU seconds: less sensitive to a shared machine's load
        result = {"seconds": elapsed, "peak_rss": peak_rss(),  # VmHWM: ru_maxrss starts at the parent's RSS
                  "cpu_seconds": usage.ru_utime + usage.ru_stime}
        if library == "gpuscale":  # the budget the runtime used: the one set, or its cgroup default
            from gpuscale.runtime.cgroup import default_memory_limit
            result["memory_limit"] = memory_limit if memory_limit is not None else default_memory_limit()
        result["gpuscale_from"] = str(Path(gpuscale.__file__).parents[1]) if on_gpuscale else None
        queue.put(result)
    except Exception as exc:  # reported, not fatal to the other measurements
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def run_once(library: str, paths: list, out: Path, memory_limit: int | None, ram: int | None = None) -> dict:
    """One measured run in a spawned child; with ``ram``, inside a fresh memory cgroup of that many bytes."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    cgroup = MemoryCgroup.create(f"gpuscale-bench-{os.getpid()}-{library}", ram) if ram else None
    try:
        proc = ctx.Process(target=_child, args=(library, [str(p) for p in paths], str(out), memory_limit, queue,
                                                str(cgroup.folder) if cgroup else None))
        start = time.perf_counter()
        proc.start()
        result, watch = _wait_for(proc, queue, cgroup)
        if result is None:  # ended without a word: killed (the OOM killer sends SIGKILL)
            result = {**death_record(proc), "seconds": time.perf_counter() - start,
                      "cpu_seconds": watch["cpu_seconds"]}
        if cgroup:
            result.update(cgroup.report(), peak_anon=watch["peak_anon"], ram=ram)
            result["outcome"] = ("OOM-killed" if result["oom_kills"] and "error" in result
                                 else "failed" if "error" in result else "completed")
        return result
    finally:
        if cgroup:
            cgroup.remove()


def _wait_for(proc, queue, cgroup: "MemoryCgroup | None") -> tuple[dict | None, dict]:
    """The child's result (None if it died without one), sampling its CPU seconds and the cgroup's anonymous
    memory every 0.1 s meanwhile (a killed child reports neither itself)."""
    watch = {"cpu_seconds": 0.0, "peak_anon": 0}

    def sample() -> None:
        watch["cpu_seconds"] = _process_cpu_seconds(proc.pid) or watch["cpu_seconds"]
        if cgroup:
            watch["peak_anon"] = max(watch["peak_anon"], cgroup.anonymous_bytes())

    result = wait_for(proc, queue, tick=sample)
    proc.join()
    return result, watch


def _process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a live process, all threads (``/proc/<pid>/stat``); None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemoryCgroup:
    """A cgroup-v1 memory cgroup made for one run under this process's own memory cgroup, removed after."""

    MOUNT = Path("/sys/fs/cgroup/memory")

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def create(cls, name: str, limit: int) -> "MemoryCgroup":
        if not (cls.MOUNT / "memory.limit_in_bytes").exists():
            raise SystemExit(f"--ram needs cgroup v1's memory controller at {cls.MOUNT} (and root)")
        folder = cls._own_cgroup() / name
        folder.mkdir()
        (folder / "memory.limit_in_bytes").write_text(str(limit))
        if (folder / "memory.memsw.limit_in_bytes").exists():  # memory + swap: no swapping past the limit
            (folder / "memory.memsw.limit_in_bytes").write_text(str(limit))
        return cls(folder)

    @classmethod
    def _own_cgroup(cls) -> Path:
        for line in Path("/proc/self/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "memory" in controllers.split(","):
                return cls.MOUNT / path.lstrip("/")
        return cls.MOUNT

    def _read(self, name: str) -> str:
        return (self.folder / name).read_text()

    def anonymous_bytes(self) -> int:
        """The cgroup's anonymous memory now (``total_rss`` of ``memory.stat``: no page cache)."""
        try:
            stat = dict(line.split() for line in self._read("memory.stat").splitlines())
        except OSError:
            return 0
        return int(stat.get("total_rss", 0))

    def report(self) -> dict:
        oom = dict(line.split() for line in self._read("memory.oom_control").splitlines())
        return {"cgroup_peak": int(self._read("memory.max_usage_in_bytes")),
                "failcnt": int(self._read("memory.failcnt")), "oom_kills": int(oom.get("oom_kill", 0))}

    def remove(self) -> None:
        for _ in range(50):  # the exited child may take a moment to leave the cgroup
            try:
                self.folder.rmdir()
                return
            except OSError:
                time.sleep(0.1)


TOLERANCE = 1e-2  # Kelvin: float32 temperatures (~300 K) summed in different orders (quick: 1.5e-4 apart)


def _compare(outputs: dict) -> dict:
    """Largest absolute differences between the libraries' small results (climatology, global series) and the
    anomalies' mean over lat and lon per day (the anomalies are large: compared through that series)."""
    import numpy as np
    import xarray as xr

    opened = {lib: xr.open_zarr(path, consolidated=False) for lib, path in outputs.items()}
    diffs = {}
    for name in ("climatology", "global_anomaly", "smoothed", "anomaly"):
        a, b = (opened[lib][name] for lib in ("gpuscale", "dask"))
        if name == "anomaly":
            a, b = (x.astype("float64").mean(("lat", "lon")) for x in (a, b))
        a, b = (np.asarray(x.values, dtype="float64") for x in (a, b))
        diffs[name] = float(np.nanmax(np.abs(a - b))) if a.shape == b.shape else float("inf")
        if not np.array_equal(np.isnan(a), np.isnan(b)):
            diffs[name] = float("inf")
    return diffs


def _mismatches(diffs: dict) -> list:
    """The results whose largest difference exceeds ``TOLERANCE`` (or differ in shape or missing values)."""
    return [name for name, diff in diffs.items() if not diff <= TOLERANCE]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="0.25 GB over 4 years (seconds to a minute)")
    parser.add_argument("--full", action="store_true", help="four times the machine's RAM over 30 years")
    parser.add_argument("--gb", type=float, default=None, help="another size: GB in memory (with --years)")
    parser.add_argument("--years", type=int, default=None, help="years of data for --gb (default 6)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--hash-seeds", default=None,
                        help="PYTHONHASHSEED of each repeat's two runs, comma-separated, cycled (default: inherited)")
    parser.add_argument("--memory-limit", type=float, default=None,
                        help="gpuscale's memory_limit in GB (default: a quarter of the RAM; with --ram, unset)")
    parser.add_argument("--baseline", default=None,
                        help="also run gpuscale from this checkout (e.g. the code before a change), interleaved")
    parser.add_argument("--ram", default=None,
                        help="run each child in its own memory cgroup of this size, e.g. 2GiB (cgroup v1, root)")
    add_results_dir(parser)
    return parser


def _run_all(args, paths: list, memory_limit: int | None, ram: int | None) -> tuple[dict, dict]:
    """Every repeat of every library, interleaved; the runs and the differences of the results."""
    scratch = Path(tempfile.mkdtemp(prefix="gpuscale-bench-xarray-"))
    runs: dict = {"dask": [], "gpuscale": []} | ({"baseline": []} if args.baseline else {})
    if args.baseline:  # the children read it from the environment
        os.environ["GPUSCALE_BENCH_BASELINE"] = str(Path(args.baseline).resolve())
    outputs = {lib: scratch / f"{lib}.zarr" for lib in runs}
    seeds = args.hash_seeds.split(",") if args.hash_seeds else []
    try:
        for repeat in range(args.repeat):
            if seeds:  # the spawned children start with this environment
                os.environ["PYTHONHASHSEED"] = seeds[repeat % len(seeds)]
            for lib in runs:
                runs[lib].append(run_once(lib, paths, outputs[lib], memory_limit, ram))
                runs[lib][-1].update(hash_seed=os.environ.get("PYTHONHASHSEED"), load=round(os.getloadavg()[0], 2))
                print(f"{lib:9s} {runs[lib][-1]}", flush=True)
        diffs = _compare(outputs) if all("error" not in runs[lib][-1] for lib in ("dask", "gpuscale")) else {}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return runs, diffs


def _summary(runs: dict, ram: int | None) -> dict:
    """Per library: the medians and every run's figures (or the first error)."""
    results = {}
    for lib, rs in runs.items():
        errors = [r["error"] for r in rs if "error" in r]
        results[lib] = {"error": errors[0], "outcomes": [r.get("outcome") for r in rs]} if errors else {
            "seconds": statistics.median(r["seconds"] for r in rs), "peak_rss": max(r["peak_rss"] for r in rs),
            "cpu_seconds": statistics.median(r["cpu_seconds"] for r in rs),
            "all_seconds": [round(r["seconds"], 2) for r in rs],
            "all_cpu_seconds": [round(r["cpu_seconds"], 2) for r in rs],
            "all_peak_rss_mib": [round(r["peak_rss"] / 2**20) for r in rs],
            "hash_seeds": [r["hash_seed"] for r in rs], "load_after_each": [r["load"] for r in rs]}
        if ram:
            results[lib]["cgroup_runs"] = {key: [r.get(key) for r in rs] for key in
                                           ("outcome", "seconds", "cpu_seconds", "cgroup_peak", "peak_anon",
                                            "failcnt", "oom_kills")}
    return results


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    mode = "full" if args.full else "quick" if args.quick else "default"
    size = SIZES[mode]
    if args.gb is not None:
        mode, size = f"{args.gb:g}gb", {"gb": args.gb, "years": args.years or 6}
    ram = _parse_bytes(args.ram) if args.ram else None
    memory_limit = int(args.memory_limit * 1e9) if args.memory_limit else None if ram else _ram_bytes() // 4
    paths, grid = _dataset(size)
    nbytes = sum(f.stat().st_size for p in paths for f in Path(p).rglob("*") if f.is_file())
    _warm_page_cache(paths)
    load = [os.getloadavg()[0]]  # the machine may be shared: the 1-minute load average before and after
    runs, diffs = _run_all(args, paths, memory_limit, ram)
    load.append(os.getloadavg()[0])
    results, wrong = _summary(runs, ram), _mismatches(diffs)
    header = _header(mode, grid, nbytes, load, args.repeat, _memory_limit_text(memory_limit, ram), diffs, wrong)
    table = _table(results) + (_baseline_per_run(runs) if args.baseline else _per_run(runs)) + (
        _cgroup_table(runs, ram) if ram else "")
    print("\n" + header + table)
    out = Path(args.results_dir)
    out.mkdir(parents=True, exist_ok=True)
    stem = ("xarray" if mode == "full" else f"xarray_{mode}") + (
        f"_ram{_size_text(ram).replace(' ', '').lower()}" if ram else "")
    (out / f"{stem}.json").write_text(json.dumps({"mode": mode, "size": size, "grid": list(grid),
                                                  "memory_limit": memory_limit, "ram": ram,
                                                  "differences": diffs, "tolerance": TOLERANCE,
                                                  "mismatches": wrong,
                                                  "load_average": [round(v, 2) for v in load],
                                                  "results": results}, indent=2))
    (out / f"{stem}.md").write_text(header + table + "\n")
    if wrong:
        print(f"gpuscale and dask differ beyond {TOLERANCE:g} K in: {', '.join(wrong)}", file=sys.stderr)
    return 1 if wrong else 0


def _header(mode, grid, nbytes, load, repeat, limit_text, diffs, wrong) -> str:
    years, nlat, nlon = grid
    cells = years * 365 * nlat * nlon
    verdict = f"DIFFERENT ANSWERS in {', '.join(wrong)}" if wrong else f"within {TOLERANCE:g} K" if diffs else \
        "not compared"
    return (f"xarray climate workflow ({mode}: {years} yearly Zarr stores, time x lat x lon = "
            f"{cells // (nlat * nlon)} x {nlat} x {nlon} float32, {cells * 4 / 1e9:.2f} GB in memory, "
            f"{nbytes / 1e9:.2f} GB on disk); {multiprocessing.cpu_count()} cores, "
            f"{_ram_bytes() / 2**30:.0f} GiB RAM, {platform.processor() or platform.machine()}, load average "
            f"{load[0]:.1f} before and {load[-1]:.1f} after the runs; median of "
            f"{repeat} run(s), fresh process each; gpuscale memory_limit {limit_text}; "
            f"largest differences gpuscale vs dask: {', '.join(f'{k} {v:.1e}' for k, v in diffs.items())} "
            f"({verdict}).\n\n")


def _parse_bytes(text: str) -> int:
    from gpuscale.config import parse_bytes

    return int(parse_bytes(text))


def _memory_limit_text(memory_limit: int | None, ram: int | None) -> str:
    if memory_limit is not None:
        return f"{memory_limit / 1e9:.2f} GB"
    from gpuscale.runtime.cgroup import CGROUP_SHARE

    return f"unset (the runtime's default under the {_size_text(ram)} cgroup: {CGROUP_SHARE:.0%} of it)"


def _size_text(nbytes: int) -> str:
    return f"{nbytes / 2**30:g} GiB" if nbytes % 2**30 == 0 else f"{nbytes / 2**20:.0f} MiB"


def _cgroup_table(runs: dict, ram: int) -> str:
    """One line per run and library under ``--ram``: outcome, wall and CPU seconds, the cgroup's peaks."""
    lines = ["", "", f"Each run in its own {_size_text(ram)} memory cgroup (swap capped too):", "",
             "| run | library | outcome | wall s | CPU s | cgroup peak (RSS + its page cache) | peak anonymous "
             "(sampled) | peak RSS | failcnt | OOM kills |", "|---|---|---|---|---|---|---|---|---|---|"]
    for k in range(max(len(rs) for rs in runs.values())):
        for lib, rs in runs.items():
            if k < len(rs):
                r = rs[k]
                rss = f"{r['peak_rss'] / 2**20:.0f} MiB" if "peak_rss" in r else "-"
                lines.append(f"| {k + 1} | {lib} | {r.get('outcome', '-')}{': ' + r['error'] if 'error' in r else ''} "
                             f"| {r.get('seconds', 0):.1f} | {r.get('cpu_seconds', 0):.1f} | "
                             f"{r.get('cgroup_peak', 0) / 2**20:.0f} MiB | {r.get('peak_anon', 0) / 2**20:.0f} MiB | "
                             f"{rss} | {r.get('failcnt', '-')} | {r.get('oom_kills', '-')} |")
    return "\n".join(lines)


def _baseline_per_run(runs: dict) -> str:
    """With ``--baseline``: per repeat, dask, the baseline checkout and this one side by side, and the medians."""
    lines = ["", "", "gpuscale from this checkout vs from the baseline checkout (--baseline), in the same runs:", "",
             "| run | hash seed | dask s | baseline s | gpuscale s | baseline/dask | gpuscale/dask | CPU s dask / "
             "baseline / gpuscale | peak RSS dask / baseline / gpuscale | load after |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    ratios: dict = {"baseline": [], "gpuscale": [], "cpu_baseline": [], "cpu_gpuscale": []}
    for k, (d, b, g) in enumerate(zip(runs["dask"], runs["baseline"], runs["gpuscale"]), 1):
        if any("error" in r for r in (d, b, g)):
            continue
        for lib, r in (("baseline", b), ("gpuscale", g)):
            ratios[lib].append(r["seconds"] / d["seconds"])
            ratios[f"cpu_{lib}"].append(r["cpu_seconds"] / d["cpu_seconds"])
        lines.append(f"| {k} | {g.get('hash_seed') or '-'} | {d['seconds']:.2f} | {b['seconds']:.2f} | "
                     f"{g['seconds']:.2f} | {ratios['baseline'][-1]:.2f}x | {ratios['gpuscale'][-1]:.2f}x | "
                     f"{d['cpu_seconds']:.1f} / {b['cpu_seconds']:.1f} / {g['cpu_seconds']:.1f} | "
                     f"{d['peak_rss'] / 2**20:.0f} / {b['peak_rss'] / 2**20:.0f} / {g['peak_rss'] / 2**20:.0f} MiB "
                     f"| {g.get('load', '-')} |")
    if ratios["gpuscale"]:
        med = {key: statistics.median(v) for key, v in ratios.items()}
        lines.append(f"| median | | | | | {med['baseline']:.2f}x | {med['gpuscale']:.2f}x | CPU ratio "
                     f"{med['cpu_baseline']:.2f}x / {med['cpu_gpuscale']:.2f}x | | |")
    return "\n".join(lines)


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
