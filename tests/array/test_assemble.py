"""Building one result array from computed blocks.

``compute()`` of one array in this process stores each block into a preallocated result as soon as it is
computed; otherwise (several collections at once, a cluster) the computed blocks are assembled afterwards,
large NumPy results by several copying threads.
"""

from __future__ import annotations

import dask
import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga
from gpuscale.backends import array as chunkfn
from gpuscale.backends import to_host
from gpuscale.backends.array import _core, _result
from gpuscale.collection import _build
from tests.array.array_helpers import compute


def test_large_result_is_assembled_in_parallel_and_exactly(monkeypatch):
    monkeypatch.setattr(_core, "_PARALLEL_COPY_BYTES", 1)  # every multi-block NumPy result takes the threaded path
    monkeypatch.setattr(_core.os, "cpu_count", lambda: 3)
    data = np.arange(7 * 11 * 5, dtype="float64").reshape(7, 11, 5)
    x = ga.from_array(data, chunks=(2, 3, 5))
    got, total = gpuscale.compute(x * 2, x.sum())  # two collections: blocks assembled after the run
    np.testing.assert_array_equal(np.asarray(to_host(got)), data * 2)
    assert float(to_host(total)) == data.sum()


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_compute_stores_blocks_into_one_result(scheduler, monkeypatch):
    stored = []
    monkeypatch.setattr(chunkfn, "into_result", lambda out, region, block, *masks: stored.append(region) or
                        _result.into_result(out, region, block, *masks))
    data = np.arange(9 * 10, dtype="int32").reshape(9, 10)
    got = (ga.from_array(data, chunks=(4, 3)) - 5).compute(scheduler=scheduler)
    np.testing.assert_array_equal(np.asarray(to_host(got)), data - 5)
    assert len(stored) == 3 * 4 and len(set(map(str, stored))) == 12


def test_matmul_writes_its_blocks_into_the_result_without_a_copy(backend):
    rng = np.random.default_rng(1)
    a, b = rng.random((50, 40)), rng.random((40, 30))
    x, y = ga.from_array(a, chunks=(20, 15)), ga.from_array(b, chunks=(15, 12))
    graph, (keys,) = _build([x @ y], flat=False)
    result, store_keys, *_ = (x @ y)._compute_in_place(graph, keys)
    first = graph[keys[0][0]]
    # NumPy and CuPy slices are writable views and their matmul takes out= (array-api-strict has neither)
    assert (first[0].keywords.get("out") is not None) == (backend in ("numpy", "cupy"))
    gpuscale.runtime.get(graph, store_keys)
    np.testing.assert_allclose(np.asarray(to_host(result)), a @ b)


def test_output_blocks_used_by_other_blocks_stay_available():
    data = np.arange(1, 41, dtype="int64")
    got = compute(ga.cumulative_sum(ga.from_array(data, chunks=7)))  # each block needs the one before
    np.testing.assert_array_equal(got, np.cumsum(data))


def test_a_dask_scheduler_gets_the_blocks_and_assembles_them():
    data = np.arange(30.0).reshape(5, 6)
    got = (ga.from_array(data, chunks=2) * 3).compute(scheduler=dask.get)
    np.testing.assert_array_equal(np.asarray(to_host(got)), data * 3)


def test_assembly_of_a_72_mb_result():
    data = np.random.default_rng(0).random((3000, 3000))
    got = compute(ga.from_array(data, chunks=(1000, 700)) + 1)
    np.testing.assert_array_equal(got, data + 1)
