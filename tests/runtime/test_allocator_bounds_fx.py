"""While several computations run at once, malloc keeps the free memory the tightest of their memory budgets
allows (recomputed as each starts and ends), and the defaults come back when the last ends."""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale.runtime import allocator, trim
from tests.runtime.test_allocator import _FakeLibc  # (records mallopt calls)

MiB = 2**20


@pytest.fixture
def heap_libc(monkeypatch):
    libc = _FakeLibc()
    monkeypatch.setattr(allocator, "libc", lambda: libc)
    monkeypatch.setattr(allocator, "trim_now", lambda: None)
    monkeypatch.setattr(trim, "_free_budget", [None])
    for name in allocator.CHOSEN_BY:
        monkeypatch.delenv(name, raising=False)
    return libc


def _trim_threshold(libc: _FakeLibc) -> int:
    return [value for param, value in libc.calls if param == allocator.M_TRIM_THRESHOLD][-1]


@pytest.mark.parametrize("order", ["unbounded first", "bounded first"])
def test_the_tightest_budget_of_the_running_computations_holds(heap_libc, order):
    limits = [None, 512 * MiB] if order == "unbounded first" else [512 * MiB, None]
    with allocator.heap_for_large_blocks(limits[0], {}):
        with allocator.heap_for_large_blocks(limits[1], {}):
            assert trim._free_budget == [128 * MiB]  # 512 MiB // 4
            assert _trim_threshold(heap_libc) == 64 * MiB  # 512 MiB // 8
        # the bounded one ended (or still runs): the bound of those still running
        expected = (None, 256 * MiB) if limits[0] is None else (128 * MiB, 64 * MiB)
        assert (trim._free_budget[0], _trim_threshold(heap_libc)) == expected
    assert trim._free_budget == [None]
    assert _trim_threshold(heap_libc) == 64 * MiB  # malloc's state after a run: twice the mmap threshold
    assert heap_libc.calls[-3:-1] == [(allocator.M_MMAP_THRESHOLD, 32 * MiB),
                                      (allocator.M_MMAP_MAX, allocator.DEFAULT_MMAP_MAX)]


def test_bounds_change_as_computations_start_and_end_out_of_order(heap_libc):
    loose = allocator.heap_for_large_blocks(2048 * MiB, {})
    tight = allocator.heap_for_large_blocks(256 * MiB, {})
    loose.__enter__()
    assert trim._free_budget == [512 * MiB]
    tight.__enter__()
    assert (trim._free_budget[0], _trim_threshold(heap_libc)) == (64 * MiB, 32 * MiB)
    loose.__exit__(None, None, None)  # the first to start ends first: the tight one still holds
    assert (trim._free_budget[0], _trim_threshold(heap_libc)) == (64 * MiB, 32 * MiB)
    tight.__exit__(None, None, None)
    assert trim._free_budget == [None]


def test_a_bounded_compute_beside_an_unbounded_one_gets_its_budget(heap_libc):
    df = gd.from_pandas(pd.DataFrame({"v": np.arange(100.0)}), npartitions=4)
    started, release = threading.Event(), threading.Event()

    def hold(part: pd.DataFrame) -> pd.DataFrame:
        started.set()
        release.wait(30)
        return part

    def probe(part: pd.DataFrame) -> pd.DataFrame:
        return part.assign(b=-1 if trim._free_budget[0] is None else trim._free_budget[0])

    results: list = []
    other = threading.Thread(target=lambda: results.append(
        df.map_partitions(hold, meta=df._meta).v.sum().compute(memory_limit=None)))
    other.start()
    try:
        assert started.wait(30)
        got = df.map_partitions(probe).b.unique().compute(memory_limit="512MiB")
        assert got.tolist() == [128 * MiB]
        assert trim._free_budget == [None]  # the unbounded computation still runs
    finally:
        release.set()
        other.join(30)
    assert results == [np.arange(100.0).sum()]
    assert trim._free_budget == [None]
