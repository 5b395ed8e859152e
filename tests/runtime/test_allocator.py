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


# -- the local runtime: large blocks from the heaps while it computes ----------------------------------------------
@pytest.fixture
def heap_libc(monkeypatch):
    libc = _FakeLibc()
    monkeypatch.setattr(allocator, "libc", lambda: libc)
    trims: list = []
    monkeypatch.setattr(allocator, "trim_now", lambda: trims.append(True))
    libc.trims = trims
    return libc


def _heap_mode_calls(trim_threshold: int = 256 * 2**20) -> list:
    return [(allocator.M_MMAP_MAX, 0), (allocator.M_TRIM_THRESHOLD, trim_threshold)]


def _mmap_mode_calls(trim_threshold: int = 64 * 2**20) -> list:
    return [(allocator.M_MMAP_THRESHOLD, 32 * 2**20), (allocator.M_MMAP_MAX, allocator.DEFAULT_MMAP_MAX),
            (allocator.M_TRIM_THRESHOLD, trim_threshold)]


def test_large_blocks_come_from_the_heaps_while_computing(heap_libc):
    with allocator.heap_for_large_blocks(None, {}):
        assert heap_libc.calls == _heap_mode_calls()
        with allocator.heap_for_large_blocks(None, {}):  # a second computation at the same time changes nothing
            pass
        assert heap_libc.calls == _heap_mode_calls() and heap_libc.trims == []
    assert heap_libc.calls == _heap_mode_calls() + _mmap_mode_calls()
    assert heap_libc.trims == [True]


@pytest.mark.parametrize(("limit", "kept", "budget"), [
    (None, 256 * 2**20, None), (16 * 2**30, 256 * 2**20, 4 * 2**30),
    (512 * 2**20, 64 * 2**20, 128 * 2**20), (64 * 2**20, 16 * 2**20, 64 * 2**20)])
def test_the_free_memory_kept_is_a_share_of_the_memory_budget(heap_libc, monkeypatch, limit, kept, budget):
    from gpuscale.runtime import trim

    monkeypatch.setattr(trim, "_free_budget", [None])
    with allocator.heap_for_large_blocks(limit, {}):
        assert heap_libc.calls == _heap_mode_calls(kept)
        assert trim._free_budget == [budget]  # free heap memory beyond it is trimmed at once
    assert trim._free_budget == [None]


def test_the_runtime_passes_its_memory_budget(heap_libc, monkeypatch):
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    with gpuscale.config.set(memory_limit="1 GiB"):
        assert gd.from_pandas(pd.DataFrame({"v": [1.0, 2.0, 3.0]}), npartitions=2).v.sum().compute() == 6.0
    assert heap_libc.calls[:2] == _heap_mode_calls(128 * 2**20)


def test_the_users_trim_threshold_is_restored(heap_libc):
    with allocator.heap_for_large_blocks(None, {"MALLOC_TRIM_THRESHOLD_": "65536"}):
        pass
    assert heap_libc.calls == _heap_mode_calls() + _mmap_mode_calls(65536)


def test_an_error_inside_still_restores_mmap(heap_libc):
    with pytest.raises(ZeroDivisionError):
        with allocator.heap_for_large_blocks(None, {}):
            1 / 0
    assert heap_libc.calls[-3:] == _mmap_mode_calls()


@pytest.mark.parametrize("environ", [{"MALLOC_MMAP_MAX_": "0"}, {"MALLOC_MMAP_THRESHOLD_": "4096"}])
def test_a_users_choice_is_left_alone(heap_libc, environ):
    with allocator.heap_for_large_blocks(None, environ):
        pass
    assert heap_libc.calls == [] and heap_libc.trims == []


def test_the_option_turns_it_off(heap_libc):
    with gpuscale.config.set(reuse_large_blocks=False), allocator.heap_for_large_blocks(None, {}):
        pass
    assert heap_libc.calls == []


def test_the_local_runtime_computes_in_heap_mode(heap_libc, monkeypatch):
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    got = gd.from_pandas(pd.DataFrame({"k": [1, 2, 1, 3], "v": [1.0, 2.0, 3.0, 4.0]}), npartitions=2).v.sum()
    assert got.compute(scheduler="threads") == 10.0
    from gpuscale.runtime.core import memory_limit_bytes  # (None, or half of a cgroup's limit below the RAM)

    kept = allocator.compute_trim_threshold(memory_limit_bytes(None))
    assert heap_libc.calls == _heap_mode_calls(kept) + _mmap_mode_calls()


_FAULTS = """
import resource, sys
import numpy as np
import gpuscale, gpuscale.array as ga
# NumPy asks for transparent huge pages for its large arrays (2 MiB faults); the buffers of IO libraries (file
# reads, Zarr codecs' output) are plain malloc blocks faulted in 4 KiB at a time: like those here
np._core.multiarray._set_madvise_hugepage(False)
gpuscale.config.set(reuse_large_blocks=sys.argv[1] == "on", num_workers=2)
x = ga.ones((40, 2**20), chunks=(5, 2**20))  # 8 blocks of 40 MiB float64: above glibc's largest mmap threshold
(x + 1).sum().compute()  # warm-up: imports, thread pool
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    assert float((x * 2 + 1).sum().compute()) == 3.0 * 40 * 2**20
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_chunk_sized_blocks_are_reused_not_faulted_in_anew():
    """In a real process: 40 MiB blocks (above any mmap threshold) are reused from the heaps instead of each being
    mapped and faulted in anew.  (A worker thread's heap holds at most 64 MiB, so of the two block-sized
    temporaries a task makes at once, one is reused: about half the faults go; larger blocks still get their own
    mapping from glibc.)"""
    import subprocess

    faults = {}
    for mode in ("on", "off"):
        out = subprocess.run([sys.executable, "-c", _FAULTS, mode], capture_output=True, text=True, check=True)
        faults[mode] = int(out.stdout.split()[-1])
    # off: every block of every run is a fresh mmap (3 runs x 8 blocks x 2 temporaries x 10k pages ~ 490k faults)
    assert faults["on"] * 1.5 < faults["off"], faults
