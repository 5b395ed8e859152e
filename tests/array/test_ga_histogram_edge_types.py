"""The bin edges ``histogram`` / ``histogramdd`` / ``histogram2d`` return are of dask.array's kinds (in memory or
lazy) for each form of ``bins``, with NumPy's values, so ported code calling ``.compute()`` on them works."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
DATA = np.random.default_rng(5).random((30, 2))


def _lazy(edges):
    return hasattr(edges, "compute")


@pytest.mark.parametrize("bins, range_", [(4, (0, 1)), ([0, 0.25, 1], None), (np.array([0, 0.5, 1]), None)])
def test_histogram_edges_are_dasks_kind(bins, range_):
    hist, edges = ga.histogram(ga.asarray(DATA[:, 0], chunks=7), bins=bins, range=range_)
    d_hist, d_edges = da.histogram(da.from_array(DATA[:, 0], chunks=7), bins=bins, range=range_)
    assert _lazy(edges) == _lazy(d_edges)
    np.testing.assert_array_equal(compute(edges), np.asarray(d_edges))
    np.testing.assert_array_equal(compute(hist), d_hist.compute())


@pytest.mark.parametrize("bins, range_", [(2, [(0, 1), (0, 1)]), ([2, 3], [(0, 1), (0, 1)]),
                                          ([np.array([0, 0.5, 1]), np.array([0, 1])], None)])
def test_histogramdd_and_2d_edges_are_lazy_as_dasks(bins, range_):
    hist, edges = ga.histogramdd(ga.asarray(DATA, chunks=(10, 2)), bins=bins, range=range_)
    d_hist, d_edges = da.histogramdd(da.from_array(DATA, chunks=(10, 2)), bins=bins, range=range_)
    assert all(_lazy(e) for e in edges) and all(_lazy(e) for e in d_edges)
    for got, want in zip(edges, d_edges):
        np.testing.assert_array_equal(compute(got), want.compute())
    np.testing.assert_array_equal(compute(hist), d_hist.compute())
    _, xe, ye = ga.histogram2d(ga.asarray(DATA[:, 0]), ga.asarray(DATA[:, 1]), bins=bins, range=range_)
    _, d_xe, d_ye = da.histogram2d(da.from_array(DATA[:, 0]), da.from_array(DATA[:, 1]), bins=bins, range=range_)
    np.testing.assert_array_equal(compute(xe), d_xe.compute())
    np.testing.assert_array_equal(compute(ye), d_ye.compute())
