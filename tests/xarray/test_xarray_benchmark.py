"""The xarray benchmark's measuring parts: a child killed without a word is reported as killed, a memory cgroup's
counters are read, and (as root with cgroup v1) a child past its cgroup's limit is OOM-killed and counted."""

from __future__ import annotations

import multiprocessing
import os
import signal
from pathlib import Path

import pytest

from benchmarks import xarray as bench


def _kill_self() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _report(queue) -> None:
    queue.put({"seconds": 1.0})


def _allocate_in(cgroup: str, nbytes: int) -> None:
    Path(cgroup, "cgroup.procs").write_text(str(os.getpid()))
    block = bytearray(nbytes)  # touched: every page is charged
    block[::4096] = b"x" * len(block[::4096])


def _forked():
    return multiprocessing.get_context("fork")


def test_a_child_killed_without_a_result_gives_none():
    ctx = _forked()
    queue = ctx.Queue()
    proc = ctx.Process(target=_kill_self)
    proc.start()
    result, watch = bench._wait_for(proc, queue, None)
    assert result is None and proc.exitcode == -signal.SIGKILL
    assert watch["cpu_seconds"] >= 0


def test_a_child_result_is_returned():
    ctx = _forked()
    queue = ctx.Queue()
    proc = ctx.Process(target=_report, args=(queue,))
    proc.start()
    result, _ = bench._wait_for(proc, queue, None)
    assert result == {"seconds": 1.0} and proc.exitcode == 0


def test_cpu_seconds_of_a_live_process_and_none_when_gone():
    assert bench._process_cpu_seconds(os.getpid()) > 0
    assert bench._process_cpu_seconds(2**22 + 12345) is None  # above Linux's largest pid


def test_cgroup_counters_are_read(tmp_path):
    (tmp_path / "memory.max_usage_in_bytes").write_text("2147483648\n")
    (tmp_path / "memory.failcnt").write_text("7\n")
    (tmp_path / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 1\n")
    (tmp_path / "memory.stat").write_text("cache 100\nrss 50\ntotal_cache 100\ntotal_rss 4096\n")
    cgroup = bench.MemoryCgroup(tmp_path)
    assert cgroup.report() == {"cgroup_peak": 2147483648, "failcnt": 7, "oom_kills": 1}
    assert cgroup.anonymous_bytes() == 4096


def test_size_text_and_memory_limit_text():
    assert bench._size_text(2 * 2**30) == "2 GiB"
    assert bench._size_text(700 * 2**20) == "700 MiB"
    assert "unset" in bench._memory_limit_text(None, 2**31) and "2 GiB" in bench._memory_limit_text(None, 2**31)
    assert bench._memory_limit_text(int(1.5e9), None) == "1.50 GB"


@pytest.mark.skipif(os.geteuid() != 0 or not (bench.MemoryCgroup.MOUNT / "memory.limit_in_bytes").exists(),
                    reason="needs root and cgroup v1's memory controller")
def test_a_child_past_its_cgroup_limit_is_oom_killed_and_counted():
    cgroup = bench.MemoryCgroup.create(f"gpuscale-test-{os.getpid()}", 64 * 2**20)
    try:
        ctx = _forked()
        proc = ctx.Process(target=_allocate_in, args=(str(cgroup.folder), 256 * 2**20))
        proc.start()
        proc.join(60)
        report = cgroup.report()
    finally:
        cgroup.remove()
    assert proc.exitcode == -signal.SIGKILL
    assert report["oom_kills"] >= 1 and report["cgroup_peak"] <= 64 * 2**20
    assert not cgroup.folder.exists()
