"""get(): graph spec semantics, result structure, scheduler choice, options."""

from __future__ import annotations

import operator
import threading

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
from gpuscale.graph import CycleError, MissingDependencyError
from gpuscale.runtime import get

SCHEDULERS = ["sync", "threads"]


def inc(x):
    return x + 1


def identity(*args):
    return args


@pytest.fixture(params=SCHEDULERS)
def scheduler(request):
    return request.param


def test_result_structure_follows_keys(scheduler):
    graph = {"a": 1, "b": (inc, "a"), ("x", 0): (operator.add, "a", "b")}
    assert get(graph, "b", scheduler=scheduler) == 2
    assert get(graph, ("x", 0), scheduler=scheduler) == 3
    assert get(graph, ["a", ["b", [("x", 0)]], []], scheduler=scheduler) == [1, [2, [3]], []]
    assert get(graph, [], scheduler=scheduler) == []
    assert get(graph, ["a", "a"], scheduler=scheduler) == [1, 1]


def test_argument_semantics_follow_the_dask_spec(scheduler):
    graph = {
        "a": 1,
        ("k", 0): 10,
        "alias": "a",
        "list": ["a", ("k", 0), [("k", 0)]],              # lists are recursed into
        "nested": (inc, (operator.add, "a", ("k", 0))),    # nested tasks run
        "literals": (identity, {"x": "a"}, ("k", 1), "zzz", True, [("k", 0), 5]),
        "mixed": (identity, "a", 2, ("k", 0)),
        "many": (identity, "a", "a", ("k", 0), "alias"),
        "noargs": (dict,),
        "string": "not-a-key",
    }
    assert get(graph, list(graph), scheduler=scheduler) == [
        1, 10, 1, [1, 10, [10]], 12,
        ({"x": "a"}, ("k", 1), "zzz", True, [10, 5]),
        (1, 2, 10), (1, 1, 10, 1), {}, "not-a-key",
    ]


def test_integer_and_bytes_keys(scheduler):
    graph = {0: 5, 1: (inc, 0), b"b": (operator.mul, 1, 0)}
    assert get(graph, [1, b"b"], scheduler=scheduler) == [6, 30]


def test_unrequested_branches_do_not_run(scheduler):
    ran = []
    graph = {"a": (ran.append, "ran-a"), "b": (ran.append, "ran-b"), "c": 3}
    get(graph, ["a", "c"], scheduler=scheduler)
    assert ran == ["ran-a"]


def test_dask_graph_nodes_run(scheduler):
    from dask._task_spec import Alias, DataNode, Task, TaskRef

    graph = {"a": DataNode("a", 2), "b": Task("b", operator.mul, TaskRef("a"), 5), "c": Alias("c", "b"),
             "d": (inc, "c")}
    assert get(graph, ["b", "c", "d"], scheduler=scheduler) == [10, 10, 11]


def test_missing_key_and_cycle_errors(scheduler):
    with pytest.raises(MissingDependencyError, match="'nope'"):
        get({"a": 1}, ["a", "nope"], scheduler=scheduler)
    with pytest.raises(CycleError, match="'a'"):
        get({"a": (inc, "b"), "b": (inc, "a")}, "a", scheduler=scheduler)


@given(st.integers(1, 40), st.data())
@settings(max_examples=30, deadline=None)
def test_random_graphs_match_a_recursive_evaluation(n, data):
    deps = [sorted(data.draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else [] for i in range(n)]
    graph = {("t", i): (identity, i, *[("t", j) for j in d]) for i, d in enumerate(deps)}

    def expected(i):
        return (i, *[expected(j) for j in deps[i]])

    keys = data.draw(st.lists(st.integers(0, n - 1), max_size=5))
    want = [expected(i) for i in keys]
    for scheduler in SCHEDULERS:
        assert get(graph, [("t", i) for i in keys], scheduler=scheduler, num_workers=3) == want


def test_threads_really_use_several_threads():
    barrier = threading.Barrier(2, timeout=10)
    graph = {"a": (barrier.wait,), "b": (barrier.wait,)}  # deadlocks unless both run at once
    assert sorted(get(graph, ["a", "b"], scheduler="threads", num_workers=2)) == [0, 1]


def test_scheduler_from_config_and_names():
    # two independent tasks, so the threaded executor hands them to its workers
    graph = {"who": (lambda x, y: threading.current_thread().name, "x", "y"), "x": (int, 1), "y": (int, 2)}
    main = threading.current_thread().name
    with gpuscale.config.set(scheduler="sync"):
        assert get(graph, "who") == main
        assert get(graph, "who", scheduler="threads") != main
    assert get(graph, "who", scheduler="synchronous") == main
    assert get(graph, "who").startswith("gpuscale-worker")


def test_a_single_chain_of_tasks_runs_in_the_calling_thread():
    # nothing can overlap, so the threaded executor skips the hand-off to its workers
    graph = {"who": (lambda x: threading.current_thread().name, "x"), "x": (int, 1)}
    assert get(graph, "who", scheduler="threads") == threading.current_thread().name


def test_a_single_chain_called_from_an_event_loop_runs_on_a_worker_thread():
    # in Jupyter or async code the calling thread runs an event loop: a task there could not start its own
    # (asyncio.run raises), so whatever the number of partitions, tasks run on the pool's threads, as dask's
    import asyncio

    def task(_):
        return asyncio.run(asyncio.sleep(0, result=threading.current_thread().name))

    async def main():
        return get({"who": (task, "x"), "x": (int, 1)}, "who", scheduler="threads")

    assert asyncio.run(main()) != threading.current_thread().name


def test_bad_scheduler_and_options_are_reported():
    with pytest.raises(ValueError, match="unknown scheduler 'process'"):
        get({"a": 1}, "a", scheduler="process")
    with pytest.warns(UserWarning, match="'num_wokers' \\(did you mean 'num_workers'\\?\\)"):
        assert get({"a": 1}, "a", num_wokers=2) == 1
    with pytest.raises(ValueError, match="needs a distributed.Client"):
        get({"a": 1}, "a", scheduler="distributed")


def test_nested_get_inside_a_task_does_not_deadlock():
    inner = {"x": 1, "y": (inc, "x")}
    graph = {"outer": (lambda: get(inner, "y", scheduler="threads", num_workers=1),),
             "o2": (lambda: get(inner, "y", scheduler="threads", num_workers=1),)}
    assert get(graph, ["outer", "o2"], scheduler="threads", num_workers=1) == [2, 2]


def test_top_level_gpuscale_get_is_the_runtime_get():
    assert gpuscale.get is get


def test_chain_with_requested_links_keeps_them():
    graph = {("c", 0): 1, **{("c", i): (inc, ("c", i - 1)) for i in range(1, 200)}}
    keys = [("c", 199), ("c", 50), ("c", 0), ("c", 120)]
    for scheduler in SCHEDULERS:
        assert get(graph, keys, scheduler=scheduler) == [200, 51, 1, 121]


def test_slow_tasks_after_many_tiny_ones_still_spread_over_workers():
    barrier = threading.Barrier(2, timeout=20)
    graph = {("tiny", i): (inc, i) for i in range(3000)}
    graph.update({"slow-1": (barrier.wait,), "slow-2": (barrier.wait,)})  # both must run at once
    result = get(graph, list(graph), scheduler="threads", num_workers=2)
    assert sorted(result[-2:]) == [0, 1]


@st.composite
def mixed_graphs(draw):
    """Random graphs using every task shape the compiler specialises, with a reference value."""
    graph, expected = {}, {}
    for i in range(draw(st.integers(1, 25))):
        key = ("k", i) if draw(st.booleans()) else f"k{i}"
        earlier = list(graph)
        deps = draw(st.lists(st.sampled_from(earlier), max_size=4)) if earlier else []
        shape = draw(st.sampled_from(["literal", "keys", "mixed", "nested", "list", "alias", "data",
                                      "key-list", "list-arg"]))
        if shape == "alias" and deps:
            graph[key], expected[key] = deps[0], expected[deps[0]]
        elif shape == "data":
            graph[key], expected[key] = (i, "lit"), (i, "lit")
        elif shape == "key-list":  # (f, []) too: a list of no keys
            graph[key], expected[key] = (identity, list(deps)), ([expected[d] for d in deps],)
        elif shape == "literal" or not deps:
            graph[key], expected[key] = (identity, i, "x"), (i, "x")
        elif shape == "keys":
            graph[key], expected[key] = (identity, *deps), tuple(expected[d] for d in deps)
        elif shape == "mixed":
            graph[key] = (identity, deps[0], i, *deps[1:])
            expected[key] = (expected[deps[0]], i, *[expected[d] for d in deps[1:]])
        elif shape == "nested":
            graph[key] = (identity, (identity, *deps), {"d": deps[0]})
            expected[key] = (tuple(expected[d] for d in deps), {"d": deps[0]})
        elif shape == "list-arg":
            graph[key] = (identity, deps[0], [i, *deps, "x"], i)
            expected[key] = (expected[deps[0]], [i, *[expected[d] for d in deps], "x"], i)
        else:
            graph[key] = [deps, i]
            expected[key] = [[expected[d] for d in deps], i]
    return graph, expected


@given(mixed_graphs(), st.data())
@settings(max_examples=120, deadline=None)
def test_every_task_shape_matches_the_reference(case, data):
    graph, expected = case
    keys = data.draw(st.lists(st.sampled_from(list(graph)), max_size=6))
    for scheduler in SCHEDULERS:
        assert get(graph, keys, scheduler=scheduler) == [expected[k] for k in keys]


def test_a_dask_style_get_function_as_scheduler():
    import dask.local

    graph = {"a": 1, "b": (inc, "a")}
    assert get(graph, ["b", "a"], scheduler=dask.local.get_sync) == [2, 1]


def test_missing_dependency_of_a_nested_dask_node_is_named():
    from dask._task_spec import Alias

    graph = {"a": 1, "b": (identity, "a", [Alias("inner", "gone")])}
    with pytest.raises(MissingDependencyError, match=r"'gone'.*task 'b'"):
        get(graph, "b", scheduler="sync")


def test_list_arguments_are_fresh_lists(scheduler):
    graph = {"a": 1, "lit": (list.append, [1, 2], 3), "keys": (identity, ["a", 5])}
    first = get(graph, ["lit", "keys"], scheduler=scheduler)
    assert get(graph, "keys", scheduler=scheduler) == first[1] == ([1, 5],)
    assert graph["keys"] == (identity, ["a", 5]) and graph["lit"][1] == [1, 2]  # graph unchanged


def test_a_task_may_run_its_own_threaded_computation():
    # the pooled workers are all busy with the outer run: inner runs get threads of their own
    inner = {"a": (int, 1), "b": (int, 2), "c": (lambda a, b: a + b, "a", "b")}

    def nested(i):
        return get(inner, "c", scheduler="threads", num_workers=2) + i

    outer = {("n", i): (nested, i) for i in range(6)}
    assert get(outer, list(outer), scheduler="threads", num_workers=2) == [3, 4, 5, 6, 7, 8]


def test_workers_are_reused_across_computations():
    graph = {"who": (lambda x, y: threading.current_thread().ident, "x", "y"), "x": (int, 1), "y": (int, 2)}
    seen = {get(graph, "who", scheduler="threads", num_workers=2) for _ in range(20)}
    assert len(seen) <= 2 and threading.get_ident() not in seen


@pytest.mark.parametrize("options", [{"pool": None, "rerun_exceptions_locally": True, "cache": {}},
                                     {"optimize_graph": False, "chunksize": 4, "get_id": threading.get_ident}])
def test_dasks_scheduler_keywords_are_accepted_as_dask_accepts_them(scheduler, options, recwarn):
    # ported code passes dask's local-scheduler keywords; they tune how dask runs a graph, not its result
    import dask

    graph = {"a": 1, "b": (inc, "a")}
    assert get(graph, ["b"], scheduler=scheduler, **options) == list(dask.get(graph, ["b"], **options))
    assert not [w for w in recwarn if "ignored" in str(w.message)]


def test_unknown_keywords_are_ignored_with_a_warning_where_dask_ignores_them_silently(scheduler):
    import dask.threaded

    graph = {"a": 1, "b": (inc, "a")}
    with pytest.warns(UserWarning, match=r"options ignored: 'bogus', 'foo'; gpuscale's runtime takes num_workers"):
        assert get(graph, "b", scheduler=scheduler, foo="bar", bogus=1) == dask.threaded.get(graph, "b", foo="bar",
                                                                                              bogus=1)


def test_get_keyword_is_refused_as_dask_refuses_it():
    import dask

    with pytest.raises(TypeError, match="get= keyword has been removed"):
        dask.compute(dask.delayed(1), get=dask.get)
    with pytest.raises(TypeError, match="get= keyword was removed.*scheduler="):
        get({"a": 1}, "a", get=dask.get)


def test_compute_traverse_false_computes_only_top_level_collections_as_dask():
    import dask
    import dask.array as da

    import gpuscale.array as ga

    ours, theirs = ga.arange(4).sum(), da.arange(4).sum()
    nested, top, plain = gpuscale.compute([ours], ours, 3, traverse=False)
    expected = dask.compute([theirs], theirs, 3, traverse=False)
    assert isinstance(nested[0], ga.Array) and isinstance(expected[0][0], da.Array)
    assert (top, plain) == expected[1:]
    assert gpuscale.compute({"x": ours}, [ours]) == dask.compute({"x": theirs}, [theirs])


def test_a_get_function_receives_the_keywords_dask_hands_its_scheduler():
    # dask.compute keeps optimize_graph= and traverse= and passes the rest to the scheduler function
    import dask
    import dask.array as da

    import gpuscale.array as ga

    seen = []

    def scheduler(graph, keys, **kwargs):
        seen.append(sorted(kwargs))
        return dask.get(graph, keys)

    ours = gpuscale.compute(ga.ones(4).sum(), scheduler=scheduler, optimize_graph=False, foo=1)
    theirs = dask.compute(da.ones(4).sum(), scheduler=scheduler, optimize_graph=False, foo=1)
    assert ours == theirs and seen[0] == seen[1] == ["foo"]


def test_processes_scheduler_runs_on_dasks_process_pool():
    # dask's "processes" scheduler in ported code: the graph runs in worker processes (dask's pool), not here
    import os
    import warnings

    import numpy as np
    import pandas as pd

    import gpuscale.array as ga
    import gpuscale.dataframe as gd

    pdf = pd.DataFrame({"k": np.arange(60) % 7, "v": np.arange(60.0)})
    df = gd.from_pandas(pdf, npartitions=3)
    x = ga.arange(60, chunks=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # num_workers is the pool's size: passed on, not "ignored"
        sums, total, pids = gpuscale.compute(df.groupby("k").v.sum(), x.sum(),
                                             df.map_partitions(lambda p: pd.Series([os.getpid()])),
                                             scheduler="processes", num_workers=2)
    pd.testing.assert_series_equal(sums, pdf.groupby("k").v.sum())
    assert total == np.arange(60).sum()
    assert os.getpid() not in set(pids)
    with gpuscale.config.set(scheduler="multiprocessing"):
        assert df.v.sum().compute() == pdf.v.sum()
