"""gpuscale on a GPU against the libraries it scales, side by side in one run.

Arrays (one float64 cube, data already on the device for the GPU engines):

* ``anomaly``: ``abs((x - x.mean(0)) / x.std(0)).mean()``, on a (time, lat, lon) cube;
* ``matmul_sum``: ``(x @ y).sum()`` on square matrices;
* ``column_sum``: ``x.sum(axis=0)``;

engines: ``cupy`` (whole-array CuPy), ``gpuscale-cupy`` (gpuscale.array, CuPy chunks), ``dask-cupy``
(dask.array with CuPy chunks, threads), ``numpy``, ``gpuscale-numpy``.

Frames (a random table; cuDF engines get it on the device first):

* ``groupby_mean``: ``df.groupby("key").x.mean()`` over ``nkeys`` keys;
* ``merge_count``: ``len(df.merge(dim, on="key"))``;
* ``filter_sum``: ``df[df.x > 0.5].y.sum()``;

engines: ``cudf``, ``gpuscale-cudf``, ``pandas``, ``gpuscale-pandas``.

Every engine's answer is compared with NumPy's / pandas' before its time is reported (a wrong answer is
an error, not a figure). Reported: the best of ``--repeat`` runs (the first run of a GPU engine also
compiles kernels), and ratios against the plain library. Engines whose library is missing or has no usable
GPU are listed as skipped. ``--quick`` runs tiny sizes (seconds, also on a CPU-only machine: the harness is
tested there).

Run: ``python -m benchmarks.gpu [--quick] [--only arrays|frames] [--json PATH]``
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from typing import Any, Callable

import numpy as np
import pandas as pd

SIZES = {  # (cube shape, cube chunks, matrix n, matrix chunk, frame rows, frame partitions, keys)
    "quick": ((48, 30, 40), (12, 30, 40), 128, 64, 20_000, 4, 100),
    "default": ((730, 361, 720), (73, 361, 720), 4096, 1024, 20_000_000, 16, 100_000),
}


def _gpu_usable() -> dict[str, bool]:
    from gpuscale.backends import available

    status = available()
    return {"cupy": status["cupy"].ok, "cudf": status["cudf"].ok}


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


#: ``--profile``: one more run of each gpuscale frame workload under a sampling profiler of all threads
PROFILE = False


def _profiled(fn: Callable[[], Any]) -> dict:
    from benchmarks.gpu_profile import Sampler

    with Sampler(0.002) as sampler:
        fn()
    return sampler.report(top=10)


def _host(value: Any) -> Any:
    from gpuscale.backends import to_host

    return to_host(value)


def array_workloads(size: tuple) -> dict[str, Callable[[Any, Any], Any]]:
    """``name -> f(xp, data)``; ``xp`` is the namespace to compute with, ``data`` what :func:`array_data` made."""
    def anomaly(xp, d):
        x = d["cube"]
        return abs((x - x.mean(axis=0)) / x.std(axis=0)).mean()

    def matmul_sum(xp, d):
        return (d["a"] @ d["b"]).sum()

    def column_sum(xp, d):
        return d["cube"].sum(axis=0)

    return {"anomaly": anomaly, "matmul_sum": matmul_sum, "column_sum": column_sum}


def array_data(size: tuple) -> dict[str, np.ndarray]:
    shape, _, n, _ = size[:4]
    rng = np.random.default_rng(0)
    return {"cube": rng.random(shape), "a": rng.random((n, n)), "b": rng.random((n, n))}


def array_engines(size: tuple, gpu: dict[str, bool]) -> dict[str, Callable[[dict], dict] | str]:
    """``engine -> prepare(host data) -> (namespace, data, finish)`` or the reason it is skipped."""
    import gpuscale.array as ga

    _, cube_chunks, _, mchunk = size[:4]

    def chunked(lib_from, put):
        def prepare(host):
            data = {"cube": lib_from(put(host["cube"]), cube_chunks),
                    "a": lib_from(put(host["a"]), (mchunk, mchunk)), "b": lib_from(put(host["b"]), (mchunk, mchunk))}
            return data
        return prepare

    engines: dict[str, Any] = {"numpy": lambda host: host,
                               "gpuscale-numpy": chunked(lambda x, c: ga.from_array(x, chunks=c), lambda x: x)}
    try:
        import dask.array as da
    except ImportError:
        da = None
    if gpu["cupy"]:
        import cupy

        engines["cupy"] = lambda host: {k: cupy.asarray(v) for k, v in host.items()}
        engines["gpuscale-cupy"] = chunked(lambda x, c: ga.from_array(x, chunks=c), cupy.asarray)
        engines["dask-cupy"] = (chunked(lambda x, c: da.from_array(x, chunks=c, asarray=False), cupy.asarray)
                                if da is not None else "dask not installed")
    else:
        for name in ("cupy", "gpuscale-cupy", "dask-cupy"):
            engines[name] = "no usable GPU / CuPy"
    return engines


def _compute(value: Any) -> Any:
    if hasattr(value, "compute"):
        value = value.compute(scheduler="threads") if type(value).__module__.startswith("dask") else value.compute()
    return _host(value)


def run_arrays(size: tuple, repeat: int, gpu: dict[str, bool], emit: Callable[[dict], None]) -> None:
    host = array_data(size)
    workloads = array_workloads(size)
    expected = {name: np.asarray(fn(np, host)) for name, fn in workloads.items()}
    for engine, prepare in array_engines(size, gpu).items():
        if isinstance(prepare, str):
            for w in workloads:
                emit({"kind": "arrays", "workload": w, "engine": engine, "skipped": prepare})
            continue
        data = prepare(host)
        for name, fn in workloads.items():
            seconds, result = _best(lambda: _compute(fn(None, data)), repeat)
            np.testing.assert_allclose(np.asarray(result), expected[name], rtol=1e-6, err_msg=f"{engine} {name}")
            emit({"kind": "arrays", "workload": name, "engine": engine, "seconds": seconds})


def frame_data(size: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, _, nkeys = size[4:]
    rng = np.random.default_rng(1)
    df = pd.DataFrame({"key": rng.integers(0, nkeys, rows), "x": rng.random(rows), "y": rng.random(rows)})
    dim = pd.DataFrame({"key": np.arange(0, nkeys, 2), "label": np.arange(0, nkeys, 2) % 7})
    return df, dim


FRAME_WORKLOADS: dict[str, Callable[[Any, Any], Any]] = {
    "groupby_mean": lambda df, dim: df.groupby("key").x.mean(),
    "merge_count": lambda df, dim: df.merge(dim, on="key").shape[0],
    "filter_sum": lambda df, dim: df[df.x > 0.5].y.sum(),
}


def _frame_result(value: Any) -> Any:
    value = _host(_compute(value))
    if isinstance(value, pd.Series):
        return value.sort_index()
    return value


def run_frames(size: tuple, repeat: int, gpu: dict[str, bool], emit: Callable[[dict], None]) -> None:
    import gpuscale.dataframe as gd

    df, dim = frame_data(size)
    nparts = size[5]
    expected = {name: _frame_result(fn(df, dim)) for name, fn in FRAME_WORKLOADS.items()}
    engines: dict[str, Any] = {
        "pandas": lambda: (df, dim),
        "gpuscale-pandas": lambda: (gd.from_pandas(df, npartitions=nparts, backend="pandas"),
                                    gd.from_pandas(dim, npartitions=1, backend="pandas")),
    }
    if gpu["cudf"]:
        import cudf

        engines["cudf"] = lambda: (cudf.from_pandas(df), cudf.from_pandas(dim))
        engines["gpuscale-cudf"] = lambda: (gd.from_pandas(df, npartitions=nparts, backend="cudf").persist(),
                                            gd.from_pandas(dim, npartitions=1, backend="cudf").persist())
    else:
        engines["cudf"] = engines["gpuscale-cudf"] = "no usable GPU / cuDF"
    for engine, prepare in engines.items():
        if isinstance(prepare, str):
            for w in FRAME_WORKLOADS:
                emit({"kind": "frames", "workload": w, "engine": engine, "skipped": prepare})
            continue
        left, right = prepare()
        for name, fn in FRAME_WORKLOADS.items():
            seconds, result = _best(lambda: _frame_result(fn(left, right)), repeat)
            if isinstance(result, pd.Series):
                pd.testing.assert_series_equal(result, expected[name], check_names=False, check_index_type=False,
                                               check_dtype=False, rtol=1e-9, obj=f"{engine} {name}")
            else:
                np.testing.assert_allclose(float(result), float(expected[name]), rtol=1e-9,
                                           err_msg=f"{engine} {name}")
            row = {"kind": "frames", "workload": name, "engine": engine, "seconds": seconds}
            if PROFILE and engine.startswith("gpuscale"):
                row["profile"] = _profiled(lambda: _frame_result(fn(left, right)))
            emit(row)


def ratios(rows: list[dict]) -> list[dict]:
    """Each engine's time over the plain library's on the same device (``gpuscale-cupy / cupy``, ...)."""
    plain = {"gpuscale-cupy": "cupy", "dask-cupy": "cupy", "gpuscale-numpy": "numpy",
             "gpuscale-cudf": "cudf", "gpuscale-pandas": "pandas", "cupy": "numpy", "cudf": "pandas"}
    times = {(r["workload"], r["engine"]): r["seconds"] for r in rows if "seconds" in r}
    for row in rows:
        base = plain.get(row["engine"])
        if "seconds" in row and (row["workload"], base) in times:
            row[f"vs_{base}"] = row["seconds"] / times[(row["workload"], base)]
    return rows


def machine() -> dict:
    """What the figures were measured on: the GPUs NVML reports and the library versions."""
    from gpuscale.check import collect

    info = {"python": platform.python_version(), "platform": platform.platform()}
    try:
        info["check"] = collect([])
    except Exception as exc:  # the report is context; a probe failing must not lose the figures
        info["check"] = f"unavailable: {exc!r}"
    return info


def markdown(rows: list[dict]) -> str:
    lines = ["| kind | workload | engine | seconds | ratio |", "| --- | --- | --- | --- | --- |"]
    for r in rows:
        ratio = ", ".join(f"{k[3:]}: {v:.2f}x" for k, v in r.items() if k.startswith("vs_"))
        secs = f"{r['seconds']:.4f}" if "seconds" in r else f"skipped ({r['skipped']})"
        lines.append(f"| {r['kind']} | {r['workload']} | {r['engine']} | {secs} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (seconds; runs on a CPU-only machine)")
    parser.add_argument("--only", choices=["arrays", "frames"], default=None)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--json", default=None, help="write the results here as JSON")
    parser.add_argument("--profile", action="store_true", help="add a sampling profile of each gpuscale frame workload")
    args = parser.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    size = SIZES["quick" if args.quick else "default"]
    gpu = _gpu_usable()
    report: dict[str, Any] = {"size": "quick" if args.quick else "default", "gpu": gpu, "rows": [],
                              "machine": machine()}

    def emit(row: dict) -> None:  # each figure is printed and saved as it comes: a timeout keeps the rest
        report["rows"].append(row)
        ratios(report["rows"])
        print(markdown([row]).splitlines()[-1], flush=True)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump(report, fh, indent=1, default=str)

    print(markdown([]), flush=True)
    if args.only in (None, "arrays"):
        run_arrays(size, args.repeat, gpu, emit)
    if args.only in (None, "frames"):
        run_frames(size, args.repeat, gpu, emit)
    return report


if __name__ == "__main__":
    main()
