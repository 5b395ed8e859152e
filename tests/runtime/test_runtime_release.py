"""Intermediate results are released as soon as their last consumer finished."""

from __future__ import annotations

import gc
import weakref

import pytest

import gpuscale


class Chunk:
    """A result whose lifetime the test observes through weak references."""


refs: dict[str, weakref.ref] = {}


def make(name, *inputs):
    chunk = Chunk()
    refs[name] = weakref.ref(chunk)
    return chunk


def alive(*names):
    return [name for name in names if refs[name]() is not None]


def check(name, dead, *inputs):
    still = alive(*dead)
    assert not still, f"{still} still alive when {name} ran"
    return make(name)


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
@pytest.mark.parametrize("memory_limit", [None, 10**9])
def test_chain_and_fan_in_release_early(scheduler, memory_limit):
    from gpuscale.runtime import get

    refs.clear()
    gc.disable()  # only reference counting may free the chunks
    try:
        k = {name: ("chunk", name) for name in "abcdef"}  # keys; the bare names are literals
        graph = {
            k["a"]: (make, "a"),
            k["b"]: (make, "b", k["a"]),
            k["c"]: (check, "c", ["a"], k["b"]),          # a's only consumer b finished
            k["d"]: (check, "d", ["a", "b"], k["c"]),
            k["e"]: (make, "e"),
            k["f"]: (check, "f", ["a", "b", "c"], k["d"], k["e"]),
        }
        result = get(graph, [k["f"], k["d"]], scheduler=scheduler, num_workers=2,
                     memory_limit=memory_limit)
        assert alive("a", "b", "c", "e") == []     # intermediates are gone
        assert refs["d"]() is result[1]            # requested outputs are kept
    finally:
        gc.enable()


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_nothing_is_kept_after_get_returns(scheduler):
    from gpuscale.runtime import get

    refs.clear()
    graph = {("x", i): (make, f"x{i}") for i in range(50)}
    graph["total"] = (lambda *xs: len(xs), *list(graph))
    assert get(graph, "total", scheduler=scheduler) == 50
    assert alive(*[f"x{i}" for i in range(50)]) == []


def test_freed_memory_is_given_back_after_releases_at_most_every_interval(monkeypatch):
    import platform

    from gpuscale.runtime import get, trim

    calls = []
    monkeypatch.setattr(trim, "_trim", calls.append)
    monkeypatch.setattr(trim, "_last", [float("-inf")])
    monkeypatch.setattr(trim, "_INTERVAL", 3600.0)
    monkeypatch.setattr(trim, "_free_bytes", lambda: trim._FREE_BYTES)
    graph = {("a", i): (make, f"a{i}") for i in range(8)}
    graph.update({("b", i): (make, f"b{i}", ("a", i)) for i in range(8)})
    graph["total"] = (len, [("b", i) for i in range(8)])
    with gpuscale.config.set(reuse_large_blocks=False):  # (its own trim at the end: test_allocator.py)
        assert get(graph, "total", scheduler="threads") == 8
    assert calls == [0]  # released inputs: trimmed once, not once per release
    monkeypatch.setattr(trim, "_last", [float("-inf")])
    assert trim.trim_freed_memory() and not trim.trim_freed_memory()
    monkeypatch.setattr(trim, "_last", [float("-inf")])
    monkeypatch.setattr(trim, "_free_bytes", lambda: trim._FREE_BYTES - 1)
    assert not trim.trim_freed_memory()  # too little free memory to be worth the page faults
    if platform.libc_ver()[0] == "glibc":
        assert trim._load_trim() is not None  # the real malloc_trim is found
        free_bytes, heap_free_bytes = trim._load_free_bytes()
        assert free_bytes() >= 0 and heap_free_bytes() >= 0


def test_first_trim_happens_on_a_machine_that_just_booted(monkeypatch):
    """A monotonic clock may read a few seconds after boot: the first trim must not wait for it."""
    import importlib.util

    from gpuscale.runtime import trim as loaded

    spec = importlib.util.spec_from_file_location("fresh_trim", loaded.__file__)
    trim = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trim)  # the module as a new process starts it
    calls = []
    monkeypatch.setattr(trim, "_trim", calls.append)
    monkeypatch.setattr(trim, "_INTERVAL", 3600.0)
    monkeypatch.setattr(trim, "_free_bytes", lambda: trim._FREE_BYTES)
    monkeypatch.setattr(trim, "monotonic", lambda: 30.0)  # booted 30 s ago
    assert trim.trim_freed_memory() and calls == [0]
    assert not trim.trim_freed_memory()  # the interval still holds between trims


def test_trims_back_off_while_their_releases_are_faulted_in_again(monkeypatch):
    """A streaming plan refills what a trim gave back: each such trim doubles the interval (up to
    _MAX_BACKOFF times); a release that stays released resets it."""
    from gpuscale.runtime import trim

    resident = iter([1000, 600,   # trim 1 releases 400
                     1000, 600,   # regrew by 400 >= 200: back off to 2, releases 400 again
                     990, 590,    # regrew again: 4
                     650, 640])   # regrew by 60 < 200 only: the release held, back to 1
    monkeypatch.setattr(trim, "_trim", lambda pad: 0)
    monkeypatch.setattr(trim, "_resident_bytes", lambda: next(resident))
    monkeypatch.setattr(trim, "_free_bytes", lambda: trim._FREE_BYTES)
    monkeypatch.setattr(trim, "_last", [float("-inf")])
    monkeypatch.setattr(trim, "_backoff", [1])
    monkeypatch.setattr(trim, "_last_release", [None])
    monkeypatch.setattr(trim, "_INTERVAL", 0.0)
    backoffs = []
    for _ in range(4):
        assert trim.trim_freed_memory()
        backoffs.append(trim._backoff[0])
    assert backoffs == [1, 2, 4, 1]
    monkeypatch.setattr(trim, "_INTERVAL", 3600.0)
    monkeypatch.setattr(trim, "_backoff", [trim._MAX_BACKOFF])
    monkeypatch.setattr(trim, "monotonic", lambda: 3600.0 * (trim._MAX_BACKOFF - 1) + trim._last[0])
    assert not trim.trim_freed_memory()  # the backed-off interval holds


def test_a_free_memory_budget_trims_at_once_whatever_the_interval(monkeypatch):
    from gpuscale.runtime import trim

    calls, free = [], [100]
    monkeypatch.setattr(trim, "_trim", calls.append)
    monkeypatch.setattr(trim, "_last", [float("-inf")])
    monkeypatch.setattr(trim, "_INTERVAL", 3600.0)
    monkeypatch.setattr(trim, "_free_bytes", lambda: trim._FREE_BYTES)
    monkeypatch.setattr(trim, "_heap_free_bytes", lambda: free[0])
    monkeypatch.setattr(trim, "_free_budget", [None])
    assert trim.trim_freed_memory()  # the first trim: the interval allows it
    assert not trim.trim_freed_memory()  # then not for an hour
    trim.limit_free_memory(1000)
    assert not trim.trim_freed_memory()  # 100 free bytes: under the budget
    free[0] = 1000
    assert trim.trim_freed_memory() and trim.trim_freed_memory()  # at the budget: at once, each time
    trim.limit_free_memory(None)
    assert not trim.trim_freed_memory()
    assert calls == [0, 0, 0]
