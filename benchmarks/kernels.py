"""Custom kernels: gpuscale.vectorize / gpuscale.stencil vs vectorised NumPy/pandas and pandas.apply, in one run.

Workloads (CPU; this machine has no GPU, so no GPU number is reported):

* haversine: great-circle distance per trip on a taxi-like DataFrame (pickup /
  dropoff coordinates in the New York area).  Compared: the kernel on pandas
  Series (numba CPU form), the kernel on a ``gpuscale.dataframe`` Series
  (partitions on the threaded runtime) next to the NumPy expression run the
  same way (``map_partitions``), the best vectorised NumPy expression,
  the same expression on pandas Series, and ``DataFrame.apply(axis=1)`` (timed on
  at most ``--apply-rows`` rows and compared per row).
* laplacian: a 2-D five-point stencil.  Compared: the kernel on a NumPy array,
  the kernel on a chunked ``gpuscale.array`` array (halos exchanged), NumPy
  slicing arithmetic, and a Python double loop (the ``apply`` of arrays, on a
  sub-array, per element).

Times are medians of ``--repeat`` runs after one warm-up (which includes numba
compilation, reported separately).  Ratios are ``peer time / kernel time`` per
element: above 1 means the kernel is faster.

Run: ``python -m benchmarks.kernels [--quick]``; writes benchmarks/results/kernels.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numba  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

import gpuscale  # noqa: E402
import gpuscale.array as ga  # noqa: E402
import gpuscale.dataframe as gd  # noqa: E402

EARTH_RADIUS_KM = 6371.0


@gpuscale.vectorize(["float64(float64, float64, float64, float64)"])
def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def haversine_numpy(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def haversine_row(row):
    p1, p2 = math.radians(row["pickup_lat"]), math.radians(row["dropoff_lat"])
    dphi, dlmb = p2 - p1, math.radians(row["dropoff_lon"] - row["pickup_lon"])
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


@gpuscale.stencil
def laplacian(a):
    return a[-1, 0] + a[1, 0] + a[0, -1] + a[0, 1] - 4.0 * a[0, 0]


def laplacian_numpy(x):
    out = np.zeros_like(x)
    out[1:-1, 1:-1] = x[:-2, 1:-1] + x[2:, 1:-1] + x[1:-1, :-2] + x[1:-1, 2:] - 4.0 * x[1:-1, 1:-1]
    return out


def laplacian_loop(x):
    out = np.zeros_like(x)
    for i in range(1, x.shape[0] - 1):
        for j in range(1, x.shape[1] - 1):
            out[i, j] = x[i - 1, j] + x[i + 1, j] + x[i, j - 1] + x[i, j + 1] - 4.0 * x[i, j]
    return out


def taxi_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "pickup_lat": rng.uniform(40.60, 40.90, rows), "pickup_lon": rng.uniform(-74.05, -73.75, rows),
        "dropoff_lat": rng.uniform(40.60, 40.90, rows), "dropoff_lon": rng.uniform(-74.05, -73.75, rows),
        "passengers": rng.integers(1, 6, rows), "fare": rng.gamma(2.0, 7.5, rows),
    })


def timed(func, repeat: int) -> tuple[float, float, object]:
    """(first-call seconds, median seconds of ``repeat`` further calls, last result)."""
    start = time.perf_counter()
    result = func()
    first = time.perf_counter() - start
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return first, statistics.median(times), result


def haversine_rows(rows: int, apply_rows: int, repeat: int, partitions: int) -> list[dict]:
    pdf = taxi_frame(rows)
    cols = [pdf[c] for c in ("pickup_lat", "pickup_lon", "dropoff_lat", "dropoff_lon")]
    arrays = [c.to_numpy() for c in cols]
    ddf = gd.from_pandas(pdf, npartitions=partitions)
    dcols = [ddf[c] for c in ("pickup_lat", "pickup_lon", "dropoff_lat", "dropoff_lon")]
    sub = pdf.iloc[:apply_rows]
    expected = haversine_numpy(*arrays)
    cases = [
        ("gpuscale.vectorize on pandas Series", rows, lambda: haversine(*cols)),
        (f"gpuscale.vectorize on gpuscale.dataframe ({partitions} partitions)", rows,
         lambda: haversine(*dcols).compute()),
        (f"NumPy expression on gpuscale.dataframe ({partitions} partitions, map_partitions)", rows,
         lambda: dcols[0].map_partitions(haversine_numpy, *dcols[1:], meta=pdf.pickup_lat.iloc[:0]).compute()),
        ("NumPy vectorised expression", rows, lambda: haversine_numpy(*arrays)),
        ("pandas vectorised expression (Series ops)", rows, lambda: haversine_numpy(*cols)),
        (f"pandas DataFrame.apply(axis=1) ({apply_rows:,} rows)", apply_rows,
         lambda: sub.apply(haversine_row, axis=1)),
    ]
    out = []
    for label, n, func in cases:
        first, median, result = timed(func, repeat if n == rows else 1)
        np.testing.assert_allclose(np.asarray(result), expected[:n], rtol=1e-9)
        out.append({"workload": "haversine", "method": label, "elements": n, "first_s": first, "median_s": median})
    return out


def stencil_rows(side: int, loop_side: int, repeat: int, chunk: int) -> list[dict]:
    x = np.random.default_rng(1).random((side, side))
    lazy = ga.from_array(x, chunks=chunk)
    small = x[:loop_side, :loop_side]
    expected = laplacian_numpy(x)
    cases = [
        ("gpuscale.stencil on NumPy", side * side, lambda: laplacian(x), expected),
        (f"gpuscale.stencil on gpuscale.array ({chunk}x{chunk} chunks)", side * side,
         lambda: laplacian(lazy).compute(), expected),
        ("NumPy slicing expression", side * side, lambda: laplacian_numpy(x), expected),
        (f"Python loop ({loop_side}x{loop_side} sub-array)", loop_side * loop_side,
         lambda: laplacian_loop(small), laplacian_numpy(small)),
    ]
    out = []
    for label, n, func, want in cases:
        first, median, result = timed(func, repeat if n == side * side else 1)
        np.testing.assert_allclose(result, want, rtol=1e-12, atol=1e-12)
        out.append({"workload": "laplacian", "method": label, "elements": n, "first_s": first, "median_s": median})
    return out


def add_ratios(rows: list[dict]) -> None:
    """Per workload: peer time per element / kernel time per element (kernel = first row)."""
    for workload in {r["workload"] for r in rows}:
        group = [r for r in rows if r["workload"] == workload]
        base = group[0]["median_s"] / group[0]["elements"]
        for r in group:
            r["ns_per_element"] = r["median_s"] / r["elements"] * 1e9
            r["kernel_speedup"] = (r["median_s"] / r["elements"]) / base


def markdown(rows: list[dict], meta: dict) -> str:
    lines = [f"### Custom kernels (CPU, {meta['cores']} cores; no GPU on this machine)", "",
             f"haversine on {meta['rows']:,} taxi-like rows; 5-point laplacian on a {meta['side']}x{meta['side']} "
             f"float64 array; median of {meta['repeat']} runs after a warm-up. numba {meta['numba']}, "
             f"NumPy {meta['numpy']}, pandas {meta['pandas']}.", "",
             "| workload | method | elements | first call (s) | median (s) | ns / element | "
             "peer time / kernel time |", "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['workload']} | {r['method']} | {r['elements']:,} | {r['first_s']:.3f} | "
                     f"{r['median_s']:.4f} | {r['ns_per_element']:.1f} | {r['kernel_speedup']:.2f}x |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--side", type=int, default=4000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--apply-rows", type=int, default=100_000)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--out", default=str(Path(__file__).parent / "results" / "kernels.json"))
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.side, args.repeat, args.apply_rows = 200_000, 800, 3, 10_000
    rows = haversine_rows(args.rows, min(args.apply_rows, args.rows), args.repeat, partitions=8)
    rows += stencil_rows(args.side, min(300, args.side), args.repeat, chunk=max(args.side // 4, 2))
    add_ratios(rows)
    meta = {"rows": args.rows, "side": args.side, "repeat": args.repeat, "cores": os.cpu_count(),
            "python": platform.python_version(), "numba": numba.__version__, "numpy": np.__version__,
            "pandas": pd.__version__, "gpuscale": gpuscale.__version__}
    text = markdown(rows, meta)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")
    out.with_suffix(".md").write_text(text)


if __name__ == "__main__":
    main()
