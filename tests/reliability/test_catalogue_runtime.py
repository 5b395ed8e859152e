"""Reliability catalogue (docs/reliability.md), runtime faults: tasks that raise unusual exceptions, spilling that
cannot work (unpicklable results, a full disk, a removed spill folder), nested computations on one thread.
Each test holds one catalogue entry."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from _subproc import ROOT

import gpuscale.array as ga
from gpuscale.runtime import get

pytestmark = pytest.mark.timeout(60)

SCHEDULERS = ["sync", "threads"]


class CustomStop(BaseException):
    """A BaseException that is neither KeyboardInterrupt nor SystemExit."""


def _fan(func) -> dict:
    graph = {("a", i): (int, i) for i in range(4)}
    graph |= {("b", i): (func, ("a", i)) for i in range(4)}
    graph["total"] = (len, [("b", i) for i in range(4)])
    return graph


def _raise_system_exit(x):
    raise SystemExit(3)


def _raise_keyboard_interrupt(x):
    raise KeyboardInterrupt


def _raise_custom(x):
    raise CustomStop("custom stop")


def _raise_memory_error(x):
    raise MemoryError("pretend the allocation failed")


@pytest.mark.parametrize("scheduler", SCHEDULERS)
@pytest.mark.parametrize(("func", "error"), [
    (_raise_system_exit, SystemExit), (_raise_keyboard_interrupt, KeyboardInterrupt), (_raise_custom, CustomStop),
], ids=["SystemExit", "KeyboardInterrupt", "BaseException"])
def test_task_raising_a_base_exception_reaches_the_caller(scheduler, func, error):
    start = time.monotonic()
    with pytest.raises(error):
        get(_fan(func), "total", scheduler=scheduler, num_workers=2)
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_memory_error_in_a_task_names_the_task(scheduler):
    with pytest.raises(MemoryError, match="pretend") as info:
        get(_fan(_raise_memory_error), "total", scheduler=scheduler)
    assert any(note.startswith("raised by gpuscale task ('b', ") for note in info.value.__notes__)


class BrokenMessage(Exception):
    def __str__(self):
        raise RuntimeError("str() of this exception fails")


def _raise_broken_message(x):
    raise BrokenMessage()


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_exception_whose_message_cannot_be_made_is_still_raised(scheduler):
    with pytest.raises(BrokenMessage) as info:
        get(_fan(_raise_broken_message), "total", scheduler=scheduler)
    assert any("('b', " in note for note in info.value.__notes__)


def test_error_waits_for_the_tasks_already_running():
    # dask's threaded get raises at once; gpuscale waits for running tasks (documented in docs/runtime.md)
    def fail():
        raise ValueError("fails at once")

    def slow():
        time.sleep(1.5)
        return 1

    start = time.monotonic()
    with pytest.raises(ValueError, match="fails at once"):
        get({"a": (fail,), "b": (slow,), "c": (slow,), "t": (list, ["a", "b", "c"])}, "t", scheduler="threads",
            num_workers=3)
    assert time.monotonic() - start < 10


def _lock(x):
    import threading

    return threading.Lock()


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_unpicklable_result_under_a_memory_limit(tmp_path, scheduler):
    with pytest.raises(TypeError, match="cannot pickle '_thread.lock' object") as info:
        get(_fan(_lock), "total", scheduler=scheduler, memory_limit=1, spill_dir=str(tmp_path))
    assert any(note.startswith("raised by gpuscale task ('b', ") for note in info.value.__notes__)
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_spill_folder_removed_during_the_computation(tmp_path, scheduler):
    def remove_spill_folders(block):
        # Other threads may still be spilling blocks into the folder while it is removed, so remove until gone
        # (a spill after that fails: its folder no longer exists).
        for folder in glob.glob(str(tmp_path / "gpuscale-spill-*")):
            while os.path.exists(folder):
                shutil.rmtree(folder, ignore_errors=True)
        return 1

    graph = {("b", i): (np.ones, 100_000) for i in range(3)}
    graph["rm"] = (remove_spill_folders, ("b", 0))
    graph["t"] = (lambda r, *blocks: sum(float(b.sum()) for b in blocks), "rm", *[("b", i) for i in range(3)])
    with pytest.raises(FileNotFoundError, match="gpuscale-spill-") as info:
        get(graph, "t", scheduler=scheduler, memory_limit=1, spill_dir=str(tmp_path))
    assert info.value.__notes__
    assert os.listdir(tmp_path) == []


DISK_FULL = """
    import os, resource, signal, sys, tempfile
    import numpy as np
    import pandas as pd
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the limit is then OSError(EFBIG), as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (1_000_000, 1_000_000))
    from gpuscale.runtime import get
    import gpuscale.dataframe as gd
    folder = sys.argv[1]
    graph = {("b", i): (np.ones, 1_000_000) for i in range(3)}
    graph["t"] = (lambda *bs: sum(float(b.sum()) for b in bs), *list(graph))
    for scheduler in ("sync", "threads"):
        try:
            get(graph, "t", scheduler=scheduler, memory_limit="1MB", spill_dir=folder)
        except OSError as e:
            print("spill", scheduler, e.errno, e.__notes__[0], os.listdir(folder), flush=True)
    df = gd.from_pandas(pd.DataFrame({"x": np.random.rand(400_000)}), npartitions=4)
    try:
        df.to_parquet(os.path.join(folder, "out"), compression=None)
    except OSError as e:
        print("write", e.errno, e.__notes__[0], os.listdir(folder), flush=True)
"""


def test_disk_full_while_spilling_and_writing(tmp_path):
    import errno

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    run = subprocess.run([sys.executable, "-c", textwrap.dedent(DISK_FULL), str(tmp_path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    lines = run.stdout.splitlines()
    assert run.returncode == 0, run.stdout + run.stderr
    for scheduler in ("sync", "threads"):
        assert f"spill {scheduler} {errno.EFBIG} raised by gpuscale task ('b', " in run.stdout, run.stdout + run.stderr
    write_error = f"write {errno.EFBIG} raised by gpuscale task ('writeparquet-"
    assert any(line.startswith(write_error) for line in lines), run.stdout
    assert all(line.endswith("[]") for line in lines), lines  # nothing left: no spill folder, no partial output
    assert os.listdir(tmp_path) == []


def test_nested_compute_with_one_worker_thread():
    def inner(i):
        return float(ga.ones((10,), chunks=2).sum().compute())

    graph = {("n", i): (inner, i) for i in range(3)}
    graph["t"] = (sum, [("n", i) for i in range(3)])
    assert get(graph, "t", scheduler="threads", num_workers=1) == 30.0


@pytest.mark.parametrize("limit", [0, 1], ids=["zero", "one-byte"])
def test_tiny_memory_limit_spills_and_gives_the_right_answer(tmp_path, limit):
    x = ga.ones((1000, 1000), chunks=100) * 2
    assert float(ga.sum(x).compute(memory_limit=limit, spill_dir=str(tmp_path))) == 2e6
    assert os.listdir(tmp_path) == []


_ONE_ERROR = ValueError("the same exception object every time")


def _raise_the_same_error(x):
    raise _ONE_ERROR


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_an_exception_object_raised_again_names_only_its_latest_task(scheduler):
    # its notes named every task that had ever raised it, one more per computation
    for key in ("first", "second"):
        with pytest.raises(ValueError) as info:
            get({key: (_raise_the_same_error, 1)}, key, scheduler=scheduler)
    assert info.value.__notes__ == ["raised by gpuscale task 'second'"]
