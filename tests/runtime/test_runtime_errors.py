"""Task errors keep their type and traceback; Ctrl-C stops promptly, even during a long task."""

from __future__ import annotations

import _thread
import os
import signal
import threading
import time
import traceback
from contextlib import contextmanager

import pytest

from gpuscale.runtime import get


class ChunkError(Exception):
    pass


def boom(x):
    raise ChunkError(f"bad chunk {x}")


def inc(x):
    return x + 1


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_task_error_keeps_type_traceback_and_names_the_key(scheduler):
    graph = {("load", 0): 1, ("load", 1): (inc, ("load", 0)), ("parse", 1): (boom, ("load", 1)),
             "out": (sum, [("parse", 1), ("load", 0)])}
    with pytest.raises(ChunkError, match="bad chunk 2") as info:
        get(graph, "out", scheduler=scheduler)
    assert any("('parse', 1)" in note for note in info.value.__notes__)
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "boom" in frames  # the traceback reaches into the task's function


def test_first_error_wins_and_workers_stop():
    ran = []

    def slow_fail(i):
        ran.append(i)
        time.sleep(0.01)
        raise ChunkError(str(i))

    graph = {("t", i): (slow_fail, i) for i in range(200)}
    with pytest.raises(ChunkError):
        get(graph, list(graph), scheduler="threads", num_workers=2)
    assert len(ran) < 200
    settled = len(ran)
    time.sleep(0.05)
    assert len(ran) == settled  # no task starts once get() has raised (pooled workers stay, idle)


@pytest.fixture(autouse=True)
def ctrl_c_raises():
    """Ctrl-C raises KeyboardInterrupt even when the test runner was started with SIGINT ignored
    (as background jobs of a non-interactive shell are)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@contextmanager
def interrupt_after(how, delay=0.3):
    """Send Ctrl-C to the main thread after ``delay`` s unless the block ended first."""
    main = threading.main_thread().ident
    ended = threading.Event()

    def fire():
        if ended.wait(delay):
            return
        if how == "interrupt_main":
            _thread.interrupt_main()
        else:
            signal.pthread_kill(main, signal.SIGINT)

    thread = threading.Thread(target=fire)
    thread.start()
    try:
        yield
    finally:
        ended.set()
        thread.join()


@pytest.mark.parametrize("how", ["interrupt_main", "signal"])
@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_keyboard_interrupt_cancels_and_leaves_no_running_task(scheduler, how):
    started = []

    def nap(i):
        started.append(i)
        time.sleep(0.05)
        return i

    graph = {("nap", i): (nap, i) for i in range(400)}  # ~10 s of work if not cancelled
    with pytest.raises(KeyboardInterrupt), interrupt_after(how):
        get(graph, list(graph), scheduler=scheduler, num_workers=2)
    assert len(started) < 400
    count = len(started)
    time.sleep(0.2)
    assert len(started) == count  # nothing keeps running after get raised


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_keyboard_interrupt_with_spilling_removes_the_spill_folder(tmp_path, scheduler):
    def big(i):
        time.sleep(0.02)
        return bytes(10_000)

    graph = {("big", i): (big, i) for i in range(300)}
    with pytest.raises(KeyboardInterrupt), interrupt_after("signal"):
        get(graph, list(graph), scheduler=scheduler, memory_limit=1000, spill_dir=str(tmp_path))
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_error_inside_a_chain_names_the_failing_link(scheduler):
    graph = {("link", 0): 0, **{("link", i): (inc, ("link", i - 1)) for i in range(1, 10)}}
    graph[("link", 5)] = (boom, ("link", 4))
    with pytest.raises(ChunkError, match="bad chunk 4") as info:
        get(graph, ("link", 9), scheduler=scheduler)
    assert info.value.__notes__[-1].endswith("('link', 5)")


@pytest.fixture
def release():
    """An event that ends the long tasks below (they would otherwise run for 30 s)."""
    event = threading.Event()
    yield event
    event.set()


def long_graph(release, started):
    def hold(i):
        started.append(i)
        release.wait(30)
        return bytes(10_000)

    return {("hold", i): (hold, i) for i in range(2)}  # two at once: both on worker threads


def test_keyboard_interrupt_does_not_wait_for_a_long_running_task(release):
    started = []
    graph = long_graph(release, started)
    begin = time.monotonic()
    with pytest.raises(KeyboardInterrupt), interrupt_after("signal"):
        get(graph, list(graph), scheduler="threads", num_workers=2)
    assert time.monotonic() - begin < 3  # not the 30 s of the running tasks
    assert len(started) == 2


def test_worker_threads_are_daemons_and_a_left_running_task_blocks_no_computation(release):
    started = []
    graph = long_graph(release, started)
    with pytest.raises(KeyboardInterrupt), interrupt_after("signal"):
        get(graph, list(graph), scheduler="threads", num_workers=2)
    # both pool threads still run a task: the next computation gets other threads
    assert get({("x", i): (inc, i) for i in range(4)}, [("x", i) for i in range(4)],
               scheduler="threads", num_workers=2) == [1, 2, 3, 4]
    workers = [t for t in threading.enumerate() if t.name.startswith("gpuscale-worker")]
    assert workers and all(t.daemon for t in workers)  # not joined at interpreter exit


def test_a_task_left_running_by_ctrl_c_cannot_write_to_the_spill_folder(tmp_path, release):
    started = []
    graph = long_graph(release, started)
    with pytest.raises(KeyboardInterrupt), interrupt_after("signal"):
        get(graph, list(graph), scheduler="threads", num_workers=2, memory_limit=1000, spill_dir=str(tmp_path))
    release.set()
    time.sleep(0.3)  # the tasks end and try to store their results
    assert os.listdir(tmp_path) == []
