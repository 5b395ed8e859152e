"""Workers started with a fixed malloc trim threshold (Dask's nanny) are asked to let malloc reuse partition-sized
blocks: the first graph a gpuscale collection sends to a ``distributed.Client`` raises glibc's mmap threshold in
each worker, once; never where the threshold was chosen, nor with the option off."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

import gpuscale
import gpuscale.dataframe as gd
from gpuscale.runtime import allocator
from gpuscale.runtime import distributed as runtime_distributed


class _FakeLibc:
    def __init__(self) -> None:
        self.calls: list = []

    def mallopt(self, param: int, value: int) -> int:
        self.calls.append((param, value))
        return 1


@pytest.fixture
def fake_libc(monkeypatch):
    libc = _FakeLibc()
    monkeypatch.setattr(allocator, "libc", lambda: libc)
    monkeypatch.setattr(allocator, "_done", [False])
    return libc


def test_a_frozen_threshold_is_raised_once(fake_libc):
    assert allocator.reuse_large_blocks({"MALLOC_TRIM_THRESHOLD_": "65536"})
    assert fake_libc.calls == [(allocator.M_MMAP_THRESHOLD, 32 * 2**20)]
    assert not allocator.reuse_large_blocks({"MALLOC_TRIM_THRESHOLD_": "65536"})  # once per process
    assert len(fake_libc.calls) == 1


@pytest.mark.parametrize("environ", [{}, {"MALLOC_TRIM_THRESHOLD_": "65536", "MALLOC_MMAP_THRESHOLD_": "4096"},
                                     {"OMP_NUM_THREADS": "1"}])
def test_a_dynamic_or_chosen_threshold_is_left_alone(fake_libc, environ):
    assert not allocator.reuse_large_blocks(environ)
    assert fake_libc.calls == []


def test_without_glibc_nothing_happens(monkeypatch):
    monkeypatch.setattr(allocator, "libc", lambda: None)
    monkeypatch.setattr(allocator, "_done", [False])
    assert not allocator.reuse_large_blocks({"MALLOC_TRIM_THRESHOLD_": "65536"})


def _tuned() -> bool:
    from gpuscale.runtime import allocator as worker_allocator

    return worker_allocator._done[0]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
@pytest.mark.parametrize("enabled", [True, False])
def test_nanny_workers_are_tuned_by_the_first_graph(enabled, monkeypatch):
    distributed = pytest.importorskip("distributed")
    pdf = pd.DataFrame({"k": [1, 2, 1, 3], "v": [1.0, 2.0, 3.0, 4.0]})
    with gpuscale.config.set({"distributed.reuse_large_blocks": enabled}), \
            distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        assert set(client.run(lambda: __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_")).values()) == {"65536"}
        assert not any(client.run(_tuned).values())
        got = gd.from_pandas(pdf, npartitions=2).groupby("k").v.sum().compute()
        pd.testing.assert_series_equal(got, pdf.groupby("k").v.sum())
        assert all(client.run(_tuned).values()) is enabled
        assert not runtime_distributed.tune_workers(client)  # asked once per client
