"""``ga.optimize`` (dask.array.optimize) and ``ga.PerformanceWarning`` from ``unify_chunks``, against dask."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

dask = pytest.importorskip("dask")

import gpuscale.array as ga

da = pytest.importorskip("dask.array")


@pytest.mark.parametrize("lib", ["dask", "gpuscale"])
def test_optimize_culls_a_graph_to_its_keys_as_dask(lib):
    xn = np.arange(24.0).reshape(4, 6)
    x = da.from_array(xn, chunks=2) if lib == "dask" else ga.asarray(xn, chunks=2, backend="numpy")
    y = ((x + 1) * 2).sum(axis=0)
    graph, keys = dict(y.__dask_graph__()), y.__dask_keys__()
    extra = {("unused", 0): (sum, [1, 2])}  # a task no output needs
    ours, theirs = ga.optimize({**graph, **extra}, keys), da.optimize({**graph, **extra}, keys)
    assert ("unused", 0) not in ours and ("unused", 0) not in theirs
    assert set(ours) <= set(graph) and set(keys) <= set(ours)
    want = np.asarray(y.compute())
    for culled in (ours, theirs):
        blocks = dask.get(culled, keys)
        np.testing.assert_array_equal(np.concatenate([np.asarray(b) for b in blocks]), want)
    first = keys[0]  # one output block needs fewer tasks
    assert len(ga.optimize(graph, [first])) < len(ga.optimize(graph, keys))


def test_optimize_names_the_missing_key():
    with pytest.raises(Exception, match="nope"):
        ga.optimize({("a", 0): 1}, [("nope", 0)])


def test_unify_chunks_warns_as_dask_when_blocks_multiply():
    shapes = (((100, 1000), (100, 10)), ((1000, 100), (1000, 10)))
    with pytest.warns(da.PerformanceWarning):
        da.core.unify_chunks(*[da.ones(s, chunks=c) for s, c in shapes][:1], "ij",
                             da.ones(shapes[1][0], chunks=shapes[1][1]), "jk")
    with pytest.warns(ga.PerformanceWarning, match="by factor of 10"):
        ga.unify_chunks(ga.ones(shapes[0][0], chunks=shapes[0][1]), "ij",
                        ga.ones(shapes[1][0], chunks=shapes[1][1]), "jk")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ga.unify_chunks(ga.ones(shapes[0][0], chunks=shapes[0][1]), "ij",
                        ga.ones(shapes[1][0], chunks=shapes[1][1]), "jk", warn=False)
        ga.unify_chunks(ga.ones((10, 10), chunks=5), "ij", ga.ones(10, chunks=2), "j")  # 2x: no warning
        da.core.unify_chunks(da.ones((10, 10), chunks=5), "ij", da.ones(10, chunks=2), "j")
    assert ga.PerformanceWarning.__mro__[1:] == da.PerformanceWarning.__mro__[1:]  # a Warning, as dask's
