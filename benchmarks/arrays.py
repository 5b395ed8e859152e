"""gpuscale.array vs dask.array vs NumPy, side by side in one run (each measurement in a fresh process).

Workloads (same chunks for gpuscale and dask; inputs persisted in memory
first, so the timings measure the computation, not the input generation):

* ``transpose_mean``: ``(x + x.T).mean(axis=0)`` on an N x N float64 array;
* ``anomaly``: ``(x - x.mean(0)) / x.std(0)`` on a (time, lat, lon) float64 array;
* ``matmul``: ``x @ y`` on N x N float64 arrays;
* ``stream_sum``: ``ones(shape).sum()`` on an array generated block by block
  that never exists in memory at once (``--full``: twice the machine's RAM),
  against NumPy's in-memory throughput on an array that fits.  Both
  libraries make constant blocks as broadcast views, so this measures the
  reduction machinery;
* ``stream_affine_sum``: ``(ones * 2 + 1).sum()``, which materialises every
  block inside its (fused) task: a streaming pipeline that really touches memory.

Each run happens in a spawned child process, so its peak RSS (``VmHWM``)
belongs to that run alone (a child killed, e.g. by the OOM killer, is reported
as such); the libraries' runs are interleaved, so load from
other processes on a shared machine hits them alike.  Reported: median wall time of ``--repeat`` runs,
peak RSS, and the gpuscale/dask and gpuscale/NumPy ratios.  Writes a markdown
table to stdout and ``<results-dir>/arrays[_default|_quick].{json,md}`` (merged by workload).

Each answer's sum is compared with NumPy's on the same inputs (streaming: with the exact count); a wrong
answer is marked in the table and the benchmark exits with status 1.

Run: ``python -m benchmarks.arrays [--quick | --full] [--repeat 3] [--workloads matmul,anomaly]
[--results-dir benchmarks/results]``
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import add_results_dir, close, peak_rss, run_in_child, workload_names  # noqa: E402

SIZES = {
    "quick": {"n": 2000, "cube": (120, 200, 200), "mm": 1024, "stream_gb": 2, "numpy_gb": 0.5},
    "default": {"n": 6000, "cube": (365, 360, 360), "mm": 3072, "stream_gb": 8, "numpy_gb": 1},
    "full": {"n": 20000, "cube": (1460, 600, 600), "mm": 8192, "stream_gb": None, "numpy_gb": 4},
}


STREAMING = ("stream_sum", "stream_affine_sum")
WORKLOADS = ("transpose_mean", "anomaly", "matmul", *STREAMING)


def _chunks_2d(n: int) -> tuple:
    block = max(1, n // 4)
    return (block, block)


def _cube_chunks(shape: tuple) -> tuple:
    return (max(1, shape[0] // 8), shape[1] // 2, shape[2])


def _stream_shape(gigabytes: float) -> tuple:
    rows = int(gigabytes * 1e9 / 8 / 4096)
    return (rows, 4096)


# -- the workloads, written once against an array namespace --------------------------------------------------
def build(library: str, workload: str, size: dict) -> tuple:
    """Return ``(prepare, run)``: prepare builds and keeps inputs, run computes the result."""
    if library == "numpy":
        import numpy as xp

        rng = xp.random.default_rng(0)
        make = {"transpose_mean": lambda: [rng.random((size["n"],) * 2)],
                "anomaly": lambda: [rng.random(size["cube"])],
                "matmul": lambda: [rng.random((size["mm"],) * 2), rng.random((size["mm"],) * 2)],
                "stream_sum": lambda: [xp.ones(_stream_shape(size["numpy_gb"]))],
                "stream_affine_sum": lambda: [xp.ones(_stream_shape(size["numpy_gb"]))]}[workload]
        return make, lambda inputs: _expression(workload, inputs, xp)
    if library == "dask":
        import dask
        import dask.array as da

        def persist(arrays):
            return list(dask.persist(*arrays, scheduler="threads"))

        ns = da
        compute = lambda out: out.compute(scheduler="threads")  # noqa: E731
    else:
        import gpuscale
        import gpuscale.array as ga

        def persist(arrays):
            return list(gpuscale.persist(*arrays))

        ns = ga
        compute = lambda out: out.compute()  # noqa: E731
    make = _lazy_inputs(ns, library, workload, size)
    prepare = (lambda: persist(make())) if workload not in STREAMING else make
    return prepare, lambda inputs: compute(_expression(workload, inputs, ns))


def _lazy_inputs(ns, library: str, workload: str, size: dict):
    def random(shape, chunks, seed=0):
        # distinct seeds for distinct operands: with one seed Dask would hold a single matrix for both
        return ns.random.default_rng(seed).random(shape, chunks=chunks)

    n, mm, cube = size["n"], size["mm"], size["cube"]
    stream = _stream_shape(size["stream_gb"] or _twice_ram_gb())
    return {
        "transpose_mean": lambda: [random((n, n), _chunks_2d(n))],
        "anomaly": lambda: [random(cube, _cube_chunks(cube))],
        "matmul": lambda: [random((mm, mm), _chunks_2d(mm)), random((mm, mm), _chunks_2d(mm), seed=1)],
        "stream_sum": lambda: [ns.ones(stream, chunks=(4096, 4096))],
        "stream_affine_sum": lambda: [ns.ones(stream, chunks=(4096, 4096))],
    }[workload]


def _expression(workload: str, inputs: list, xp):
    x = inputs[0]
    if workload == "transpose_mean":
        return (x + x.T).mean(axis=0)
    if workload == "anomaly":
        return (x - x.mean(axis=0)) / x.std(axis=0)
    if workload == "matmul":
        return x @ inputs[1]
    if workload == "stream_affine_sum":
        return (x * 2.0 + 1.0).sum()  # materialises every block inside the task
    return x.sum()


def _twice_ram_gb() -> float:
    import psutil

    return 2 * psutil.virtual_memory().total / 1e9


def _input_bytes(workload: str, size: dict, library: str) -> float:
    if workload == "transpose_mean":
        return size["n"] ** 2 * 8
    if workload == "anomaly":
        return size["cube"][0] * size["cube"][1] * size["cube"][2] * 8
    if workload == "matmul":
        return 2 * size["mm"] ** 2 * 8
    gb = size["numpy_gb"] if library == "numpy" else (size["stream_gb"] or _twice_ram_gb())
    rows, cols = _stream_shape(gb)
    return rows * cols * 8


# -- measurement in a child process ------------------------------------------------------------------------------
MEMORY_LIMIT = 2 * 2**30  # gpuscale's configured memory_limit for the streaming runs


def _child(library: str, workload: str, size: dict, queue) -> None:
    try:
        if library == "gpuscale" and workload in STREAMING:
            import gpuscale

            gpuscale.config.set(memory_limit=MEMORY_LIMIT)
        prepare, run = build(library, workload, size)
        inputs = prepare()
        if workload not in STREAMING:
            run(inputs)  # warm-up: first-call costs (imports, caches) are not what we compare
        start = time.perf_counter()
        result = run(inputs)
        elapsed = time.perf_counter() - start
        record = {"seconds": elapsed, "peak_rss": peak_rss()}  # before the check's own memory
        record.update(_check(library, workload, inputs, result, size))
        queue.put(record)
    except Exception as exc:  # reported, not fatal to the other measurements
        queue.put({"error": f"{type(exc).__name__}: {exc}"})


def _check(library: str, workload: str, inputs: list, result, size: dict) -> dict:
    """The answer's sum and NumPy's on the same inputs (streaming: the exact count), after the timing."""
    import numpy as np

    values = np.asarray(result, dtype="float64")
    got, scale = float(np.sum(values)), float(np.sum(np.abs(values)))  # scale: a tolerance for sums near 0
    if workload in STREAMING:
        rows, cols = _stream_shape(size["numpy_gb"] if library == "numpy" else (size["stream_gb"] or _twice_ram_gb()))
        return {"check": got, "scale": scale,
                "expected": float(rows * cols) * (3.0 if workload == "stream_affine_sum" else 1.0)}
    if library == "numpy":
        return {"check": got, "scale": scale, "expected": got}
    host = [np.asarray(x) for x in inputs]
    return {"check": got, "scale": scale, "expected": float(np.sum(_expression(workload, host, np)))}


def run_once(library: str, workload: str, size: dict) -> dict:
    """One measurement in a fresh process (an error record if the process dies, e.g. OOM-killed)."""
    return run_in_child(_child, (library, workload, size))


def measure(workload: str, size: dict, repeat: int, libraries: tuple) -> dict:
    """Median time and max peak RSS per library; runs interleaved so machine noise hits all alike."""
    runs: dict = {lib: [] for lib in libraries}
    for _ in range(repeat):
        for lib in libraries:
            runs[lib].append(run_once(lib, workload, size))
    out = {}
    for lib, results in runs.items():
        errors = [r["error"] for r in results if "error" in r]
        if errors:
            out[lib] = {"error": errors[0]}
            continue
        seconds = statistics.median(r["seconds"] for r in results)
        wrong = [r for r in results if not close(r["check"], r["expected"], 1e-6, 1e-9 * r["scale"])]
        out[lib] = {"wrong_answer": f"sum {wrong[0]['check']:.9g}, expected {wrong[0]['expected']:.9g}"} if wrong \
            else {}
        out[lib].update({"seconds": seconds, "peak_rss": max(r["peak_rss"] for r in results),
                    "gb_per_s": _input_bytes(workload, size, lib) / seconds / 1e9,
                    "all_seconds": [round(r["seconds"], 3) for r in results]})
    return out


def _table(results: dict) -> str:
    lines = ["| workload | numpy s | dask s | gpuscale s | gpuscale/dask time | gpuscale GB/s | numpy GB/s | "
             "peak RSS dask | peak RSS gpuscale |", "|" + "---|" * 9]
    # gpuscale runs with memory_limit = MEMORY_LIMIT; streaming runs must stay under it
    for workload, by_lib in results.items():
        def get(lib, key, fmt="{:.2f}"):
            value = by_lib.get(lib, {}).get(key)
            wrong = " (WRONG ANSWER)" if key == "seconds" and "wrong_answer" in by_lib.get(lib, {}) else ""
            return (fmt.format(value) + wrong if isinstance(value, (int, float))
                    else by_lib.get(lib, {}).get("error", "-"))

        ratio = "-"
        if "seconds" in by_lib.get("dask", {}) and "seconds" in by_lib.get("gpuscale", {}):
            ratio = f"{by_lib['gpuscale']['seconds'] / by_lib['dask']['seconds']:.2f}x"
        lines.append(f"| {workload} | {get('numpy', 'seconds')} | {get('dask', 'seconds')} | "
                     f"{get('gpuscale', 'seconds')} | {ratio} | {get('gpuscale', 'gb_per_s')} | "
                     f"{get('numpy', 'gb_per_s')} | "
                     f"{_mib(by_lib.get('dask', {}).get('peak_rss'))} | {_mib(by_lib.get('gpuscale', {}).get('peak_rss'))} |")
    return "\n".join(lines)


def _mib(value) -> str:
    return f"{value / 2**20:.0f} MiB" if isinstance(value, (int, float)) else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (seconds)")
    parser.add_argument("--full", action="store_true", help="the issue's sizes (20000^2, ~4 GB cube, 8192^2, 2x RAM)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workloads", type=workload_names(WORKLOADS), default=list(WORKLOADS),
                        help=f"comma-separated, from {', '.join(WORKLOADS)}")
    add_results_dir(parser)
    args = parser.parse_args(argv)
    mode = "full" if args.full else "quick" if args.quick else "default"
    size = SIZES[mode]
    results: dict = {}
    for workload in args.workloads:
        results[workload] = measure(workload, size, args.repeat, ("numpy", "dask", "gpuscale"))
        for library, result in results[workload].items():
            print(f"{workload:17s} {library:9s} {result}", flush=True)
    header = (f"Array benchmarks ({mode} sizes: {size}); {multiprocessing.cpu_count()} cores, "
              f"{platform.processor() or platform.machine()}; BLAS {_blas_description()}; "
              f"median of {args.repeat} runs, fresh process each; "
              f"gpuscale memory_limit {MEMORY_LIMIT / 2**30:.0f} GiB.\n\n")
    print("\n" + header + _table(results))
    _write_results(mode, size, results, header, args.results_dir)
    wrong = [f"{w} {lib}" for w, by_lib in results.items() for lib, r in by_lib.items() if "wrong_answer" in r]
    if wrong:
        print(f"wrong answers: {', '.join(wrong)}", file=sys.stderr)
    return 1 if wrong else 0


def _blas_description() -> str:
    """Which BLAS kernel runs (both libraries run in this same environment)."""
    try:
        from threadpoolctl import threadpool_info

        import numpy  # noqa: F401  (loads its BLAS)
    except ImportError:
        return "unknown (threadpoolctl not installed)"
    libs = [f"{i['internal_api']} {i.get('version')} {i.get('architecture', '')} {i['num_threads']} threads"
            for i in threadpool_info() if i["user_api"] == "blas"]
    env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    return ", ".join(libs) + (f" (env {env})" if env else "")


def _write_results(mode: str, size: dict, results: dict, header: str, out: Path) -> None:
    """Merge into ``<out>/arrays[_mode].{json,md}``: a run of some workloads keeps the others'.

    ``--full`` runs go to ``arrays.*``, default and ``--quick`` runs to ``arrays_default.*``/``arrays_quick.*``.
    """
    out.mkdir(parents=True, exist_ok=True)
    stem = "arrays" if mode == "full" else f"arrays_{mode}"
    path = out / f"{stem}.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    merged = dict(previous.get("results", {})) if previous.get("mode") == mode else {}
    merged.update(results)
    path.write_text(json.dumps({"mode": mode, "size": size, "results": merged}, indent=2))
    (out / f"{stem}.md").write_text(header + _table(merged) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
