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
