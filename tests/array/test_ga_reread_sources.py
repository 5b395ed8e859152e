"""Lazy sources needed again beside a reduction over them are read again, not held (``reread_sources`` in
gpuscale/array/sources.py), and reductions over a planned take read the rows where they are
(``TakeBlocks.in_input_order``); results against NumPy."""

from __future__ import annotations

import threading
from collections import Counter

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same
from gpuscale.array.sources import from_source
from gpuscale.backends.array import _points

RNG = np.random.default_rng(5)
DATA = RNG.random((60, 4, 3))


class CountingStore:
    """A lazily read array (as a Zarr array) that counts the reads of each block."""

    def __init__(self, data: np.ndarray) -> None:
        self.data, self.shape, self.dtype = data, data.shape, data.dtype
        self.reads: Counter = Counter()
        self.lock = threading.Lock()

    def __getitem__(self, key: tuple) -> np.ndarray:
        with self.lock:
            self.reads[key[0].start] += 1
        return self.data[key].copy()


def _lazy(chunks: int = 10) -> tuple[CountingStore, ga.Array]:
    store = CountingStore(DATA)
    return store, from_source(store, (chunks, 4, 3))


def test_anomaly_reads_each_block_twice() -> None:
    store, x = _lazy()
    assert_same(x - x.mean(axis=0), DATA - DATA.mean(axis=0))
    assert sorted(store.reads.values()) == [2] * 6


def test_a_named_source_is_read_again_under_another_name() -> None:
    # from_array(store, name=...) keys the blocks by that name: the second read needs keys of its own
    store = CountingStore(DATA)
    x = ga.from_array(store, chunks=(10, 4, 3), name="readings")
    assert x.name == "readings" and sorted(x.__dask_graph__()) == [("readings", i, 0, 0) for i in range(6)]
    anomaly = x - x.mean(axis=0)
    assert_same(anomaly, DATA - DATA.mean(axis=0))
    assert sorted(store.reads.values()) == [2] * 6


@pytest.mark.parametrize("build", [lambda x: x + 1, lambda x: x.mean(axis=0), lambda x: x * 2 - x])
def test_without_a_reduction_beside_it_each_block_is_read_once(build) -> None:
    store, x = _lazy()
    assert_same(build(x), build(DATA))
    assert sorted(store.reads.values()) == [1] * 6


def test_group_anomaly_through_takes() -> None:
    # xarray's groupby anomaly: means of every 3rd row, broadcast back with a take
    store, x = _lazy(chunks=7)
    codes = np.arange(60) % 3
    means = ga.stack([ga.take(x, np.flatnonzero(codes == g), axis=0).mean(axis=0) for g in range(3)])
    expected = DATA - np.stack([DATA[codes == g].mean(axis=0) for g in range(3)])[codes]
    assert_same(x - ga.take(means, codes, axis=0), expected)
    assert max(store.reads.values()) == 2


def test_in_memory_arrays_are_not_copied() -> None:
    x = ga.from_array(DATA, chunks=(10, 4, 3))
    y = x - x.mean(axis=0)
    names = {k[0] for k in y.__dask_graph__() if isinstance(k, tuple)}
    assert len([n for n in names if n.startswith("fromarray")]) == 1
    assert_same(y, DATA - DATA.mean(axis=0))


@pytest.mark.parametrize("reduce", ["sum", "mean", "max", "var", "nanmean", "nanmin"])
def test_reduction_over_a_take_reads_slices(reduce: str) -> None:
    x = ga.from_array(DATA, chunks=(8, 4, 3))
    rows = np.r_[3:11, 30:37, 50:52]  # three runs, across block boundaries
    y = getattr(ga, reduce)(ga.take(x, rows, axis=0), axis=0)
    graph = y.__dask_graph__()
    assert not any(isinstance(t, tuple) and t and t[0] is _points.gather_along for t in graph.values())
    assert_same(y, getattr(np, reduce)(DATA[rows], axis=0), exact_dtype=False, rtol=1e-12)


def test_order_sensitive_reductions_keep_the_take_order() -> None:
    x = ga.from_array(DATA, chunks=(8, 4, 3))
    rows = np.array([40, 2, 17, 2, 55])
    assert_same(ga.argmax(ga.take(x, rows, axis=0), axis=0), np.argmax(DATA[rows], axis=0))
    assert_same(ga.sum(ga.take(x, rows, axis=0), axis=0), DATA[rows].sum(axis=0), rtol=1e-12)
