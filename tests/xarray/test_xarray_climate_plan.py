"""The climate workflow's plan on gpuscale (``gpuscale.demo.climate.pipeline``, what ``benchmarks/xarray.py``
times): xarray builds it without building task graphs, and its results equal xarray-on-dask's."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

xr = pytest.importorskip("xarray")
pytest.importorskip("zarr")

import gpuscale  # noqa: E402
from gpuscale.array.core import Array  # noqa: E402
from gpuscale.demo.climate import pipeline, write_dataset  # noqa: E402


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> list:
    return write_dataset(tmp_path_factory.mktemp("climate"), range(2001, 2004), 6, 12, time_chunk=73)


def _open(paths: list, **kwargs) -> xr.Dataset:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return xr.open_mfdataset(paths, engine="zarr", consolidated=False, chunks={"time": 73}, **kwargs)


def test_xarray_builds_the_pipeline_without_task_graphs(paths, monkeypatch):
    # xarray asks is_dask_collection of every array at each step; dask's answer builds the whole graph
    calls = []
    original = Array.__dask_graph__
    monkeypatch.setattr(Array, "__dask_graph__", lambda self: calls.append(1) or original(self))
    out = pipeline(_open(paths, chunked_array_type="gpuscale"))
    assert xr.namedarray.utils.is_dask_collection(out.anomaly.data)
    assert calls == []


def test_pipeline_results_equal_dask(paths, tmp_path):
    with gpuscale.config.set(backend="numpy"):
        ours = pipeline(_open(paths, chunked_array_type="gpuscale")).chunk({"time": 73},
                                                                          chunked_array_type="gpuscale")
        ours.to_zarr(tmp_path / "ours.zarr", consolidated=False)
    theirs = pipeline(_open(paths)).compute()
    written = xr.open_zarr(tmp_path / "ours.zarr", consolidated=False).compute()
    # float32 temperatures near 288 K: one unit in the last place is 3e-5 K, and the two libraries add the days
    # of a month in different orders
    for name in ("climatology", "anomaly", "global_anomaly", "smoothed"):
        np.testing.assert_allclose(written[name].values, theirs[name].values, rtol=0, atol=5e-4)
    exact = _open(paths).compute().astype("float64").tas.groupby("time.month").mean("time")
    assert float(abs(written.climatology - exact).max()) < 1e-4


# The workflow's write at a small size, in a fresh process: xarray hands ``store`` its variables in the order of
# a set of their names (it changes with PYTHONHASHSEED) and graph keys carry random tokens; neither may change
# the runtime's order.  Prints the order (tokens left out) and the most results held at once in it.
_PLAN_SCRIPT = """
import json, re, sys, tempfile, warnings
warnings.simplefilter("ignore")
import xarray as xr
import gpuscale.runtime.core as core
from gpuscale.demo.climate import pipeline
from tests.graph.plan_walk import most_held

plans = []
compile_graph = core.compile_graph
core.compile_graph = lambda graph, keys: plans.append(compile_graph(graph, keys)) or plans[-1]
ds = xr.open_mfdataset(sys.argv[1:], engine="zarr", consolidated=False, chunks={"time": 73},
                       chunked_array_type="gpuscale")
pipeline(ds).chunk({"time": 73}, chunked_array_type="gpuscale").to_zarr(tempfile.mkdtemp() + "/out.zarr",
                                                                         consolidated=False)
(plan,) = plans
most = most_held(plan)
names = [re.sub("-[0-9a-f]{32}", "", repr(plan.keys[i])) for i in plan.order]
print(json.dumps({"order": names, "most_held": most}))
"""


def _plan_under_seed(paths: list, seed: int, scratch) -> dict:
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(root), "TMPDIR": str(scratch)}
    out = subprocess.run([sys.executable, "-c", _PLAN_SCRIPT, *map(str, paths)], env=env, cwd=root,
                         capture_output=True, text=True, check=True, timeout=300)
    return json.loads(out.stdout.splitlines()[-1])


def test_the_write_runs_in_the_same_order_under_any_hash_seed(paths, tmp_path):
    # xarray lists the variables climatology first under seed 1, anomaly first under seed 2 (the written
    # stores go under tmp_path: the child's TMPDIR)
    first, second = _plan_under_seed(paths, 1, tmp_path), _plan_under_seed(paths, 2, tmp_path)
    assert first["order"] == second["order"]
    assert first["most_held"] == second["most_held"]
