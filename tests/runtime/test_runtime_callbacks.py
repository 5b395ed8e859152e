"""dask's scheduler callbacks (``dask.callbacks.Callback``, ``dask.diagnostics``) on the local runtime: the same
hooks, keys and final state as dask's own threaded scheduler gives them."""

from __future__ import annotations

import io

import dask
import numpy as np
import pandas as pd
import pytest
from dask.callbacks import Callback
from dask.diagnostics import CacheProfiler, ProgressBar, Profiler
from hypothesis import given, settings, strategies as st

import gpuscale.dataframe as gd
from gpuscale.runtime import get

SCHEDULERS = ["sync", "threads"]
DIAMOND = {"a": (abs, -1), "b": (sum, ["a", "a"]), "c": (max, "a", 3), "d": (sum, ["b", "c"]), "e": (min, "d", 0)}


class Recorder(Callback):
    """Records every hook call and the final state."""

    def __init__(self) -> None:
        self.calls: list = []
        self.pre: list = []
        self.post: dict = {}
        self.final: dict = {}

    def _start(self, dsk):
        self.calls.append("start")

    def _start_state(self, dsk, state):
        self.calls.append("start_state")
        self.first = {k: (set(v) if not isinstance(v, dict) else dict(v)) for k, v in state.items() if k != "cache"}

    def _pretask(self, key, dsk, state):
        assert key in state["running"] and key in dsk
        self.pre.append(key)

    def _posttask(self, key, result, dsk, state, worker_id):
        assert key in state["finished"] and key not in state["running"]
        self.post[key] = result

    def _finish(self, dsk, state, errored):
        self.calls.append(("finish", errored))
        self.final = {k: set(state[k]) for k in ("ready", "waiting", "running", "finished", "released")}


def _run_on_dask(graph, keys) -> Recorder:
    recorder = Recorder()
    with recorder:
        dask.threaded.get(graph, keys)
    return recorder


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_hooks_keys_and_state_as_on_dask(scheduler):
    ours = Recorder()
    with ours:
        assert get(DIAMOND, "e", scheduler=scheduler) == 0
    theirs = _run_on_dask(DIAMOND, "e")
    assert ours.calls == theirs.calls == ["start", "start_state", ("finish", False)]
    assert sorted(ours.pre) == sorted(theirs.pre) == sorted(DIAMOND)
    assert ours.post == theirs.post
    assert ours.final == theirs.final
    assert ours.first["dependencies"] == theirs.first["dependencies"]
    assert set(ours.first["ready"]) == set(theirs.first["ready"]) == {"a"}
    assert Callback.active == set()  # set aside during the run, back (empty) after


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 30), max_size=3), min_size=1, max_size=25), st.sampled_from(SCHEDULERS))
def test_random_graphs_report_as_on_dask(edges, scheduler):
    # task i sums some earlier tasks (edges[i] taken modulo i): any DAG shape
    graph = {f"t{i}": (sum, [f"t{j % i}" for j in deps] if i else [1]) for i, deps in enumerate(edges)}
    keys = [f"t{len(edges) - 1}", "t0"]
    ours = Recorder()
    with ours:
        values = get(graph, keys, scheduler=scheduler)
    theirs = _run_on_dask(graph, keys)
    assert values == list(dask.threaded.get(graph, keys))
    assert sorted(ours.pre) == sorted(theirs.pre)
    assert ours.post == theirs.post
    assert ours.final == theirs.final


def test_errored_finish_and_explicit_callbacks_keyword():
    graph = {"x": (abs, -2), "boom": (divmod, "x", 0)}
    recorder = Recorder()
    with pytest.raises(ZeroDivisionError):
        get(graph, "boom", callbacks=[recorder])
    assert recorder.calls == ["start", "start_state", ("finish", True)]
    starts = []
    get(graph, "x", callbacks=(starts.append, None, None, None, None))  # one 5-tuple of hooks
    assert starts == [graph]
    with pytest.raises(TypeError, match="Callback objects or tuples of hooks, not int"):
        get(graph, "x", callbacks=[42])


def test_progress_bar_profiler_and_cache_profiler_on_a_frame():
    pdf = pd.DataFrame({"k": np.arange(400) % 7, "v": np.arange(400.0)})
    df = gd.from_pandas(pdf, npartitions=4)
    out = io.StringIO()
    with ProgressBar(out=out), Profiler() as prof, CacheProfiler() as cache:
        got = df.groupby("k").v.mean().compute()
    pd.testing.assert_series_equal(got, pdf.groupby("k").v.mean())
    assert "100% Completed" in out.getvalue()
    assert prof.results and all(r.start_time <= r.end_time for r in prof.results)
    assert {r.key for r in prof.results} == {r.key for r in cache.results}
    graph_keys = set(df.groupby("k").v.mean().__dask_graph__())
    assert {r.key for r in prof.results} <= graph_keys


def test_compute_callbacks_keyword_and_nested_computes_do_not_report():
    df = gd.from_pandas(pd.DataFrame({"v": np.arange(40.0)}), npartitions=4)
    recorder = Recorder()
    assert df.v.sum().compute(callbacks=[recorder]) == 780.0
    assert recorder.pre and recorder.calls[-1] == ("finish", False)

    outer = Recorder()

    def inner(part):
        return part.assign(total=df.v.sum().compute())  # a compute inside a task: reports to nobody

    mapped = df.map_partitions(inner)  # (its metadata comes from a call of inner, and a compute, here)
    with outer:
        got = mapped.compute()
    assert (got.total == 780.0).all()
    assert sorted(outer.pre) == sorted(mapped.__dask_graph__())


def test_no_active_callback_leaves_the_plan_alone():
    from gpuscale.runtime.callbacks import dask_callbacks

    plan = object()
    with dask_callbacks(DIAMOND, plan) as same:
        assert same is plan
