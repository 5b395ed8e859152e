"""Tasks run in the context of the computation's caller: they see its ``with config.set(...)`` block on every
executor (as dask's tasks see ``dask.config.set``), a computation started inside a task keeps the caller's
settings, and what a task sets in its context reaches neither other tasks nor the caller."""

from __future__ import annotations

import contextvars
import threading

import pandas as pd
import pytest

import gpuscale.dataframe as gd
from gpuscale import config
from gpuscale.runtime import core, get

_probe: contextvars.ContextVar = contextvars.ContextVar("gpuscale_test_probe", default="unset")


def _num_workers(part: pd.DataFrame) -> pd.DataFrame:
    return part.assign(nw=config.get("num_workers"))


@pytest.mark.parametrize("scheduler", ["threads", "sync"])
@pytest.mark.parametrize("npartitions", [1, 4])
def test_tasks_see_the_callers_config_block(npartitions, scheduler):
    pdf = pd.DataFrame({"v": range(8)})
    with config.set(num_workers=3):
        got = gd.from_pandas(pdf, npartitions=npartitions).map_partitions(_num_workers).nw.unique().compute(
            scheduler=scheduler)
        expected = _num_workers(pdf).nw.unique()  # pandas, in the block
    assert got.tolist() == expected.tolist() == [3]


def _settings(_: object = None) -> tuple:
    return (config.get("num_workers"), config.get("scheduler"), config.get("backend"), threading.get_ident())


def test_a_nested_compute_keeps_the_callers_settings(monkeypatch):
    workers: list = []
    run_threads = core.run_threads
    monkeypatch.setattr(core, "run_threads", lambda plan, values, n, *a: (workers.append(n),
                                                                          run_threads(plan, values, n, *a))[1])

    def outer(i: int) -> tuple:  # a computation of its own, with no scheduler or num_workers given
        inner = get({("in", j): (_settings, j) for j in range(4)}, [("in", j) for j in range(4)])
        return _settings(), inner

    with config.set(num_workers=3, scheduler="sync", backend="pandas"):
        results = get({("out", i): (outer, i) for i in range(4)}, [("out", i) for i in range(4)],
                      scheduler="threads")
    assert workers == [3]  # the outer computation only: the nested ones ran on "sync"
    for (nw, scheduler, backend, thread), inner in results:
        assert (nw, scheduler, backend) == (3, "sync", "pandas")
        assert {s[:3] for s in inner} == {(3, "sync", "pandas")}
        assert {s[3] for s in inner} == {thread}  # "sync": in the task's own thread


def _set_in_task(_: object = None) -> str:
    config.set(num_workers=7)  # a plain set of an option the caller's block holds: local to the task's context
    _probe.set("task")
    return "set"


def _seen(*_: object) -> tuple:
    return config.get("num_workers"), _probe.get()


@pytest.mark.parametrize("scheduler", ["threads", "sync"])
def test_what_a_task_sets_stays_in_that_task(scheduler):
    graph = {"a": (_set_in_task, None), "b": (_seen, "a")}
    graph.update({("c", i): (_seen, "a", i) for i in range(6)})
    keys = ["a", "b"] + [("c", i) for i in range(6)]
    with config.set(num_workers=3):
        got = get(graph, keys, scheduler=scheduler)
        assert _seen() == (3, "unset")  # the caller's context is untouched
    assert got == ["set"] + [(3, "unset")] * 7
