"""Key/task predicates and dependency discovery."""

from __future__ import annotations

import operator

import pytest

from gpuscale.graph import (
    MissingDependencyError, evaluate_task, graph_dependencies, is_dask_node, iskey, istask,
    reverse_dependencies, task_dependencies, task_dependency_list,
)
from gpuscale.runtime.core import get


def inc(x):
    return x + 1


@pytest.mark.parametrize("key", ["x", b"x", 1, 1.5, ("x", 0), ("x", 0, (1, "y"))])
def test_iskey_accepts_key_shapes(key):
    assert iskey(key)


@pytest.mark.parametrize("obj", [True, None, ["x"], ("x", [0]), {"a": 1}, object()])
def test_iskey_rejects_other_objects(obj):
    assert not iskey(obj)


def test_istask():
    assert istask((inc, 1))
    assert not istask(("x", 1))
    assert not istask(())
    assert not istask([inc, 1])


def test_task_dependencies_recurse_into_lists_and_nested_tasks_not_dicts():
    graph = {"a": 1, "b": 2, "c": 3, ("x", 0): 4, "d": None}
    task = (sum, ["a", (inc, "b"), [("x", 0)]], {"k": "c"}, ("y", 1), "zzz")
    assert task_dependencies(task, graph) == {"a", "b", ("x", 0)}


def test_graph_dependencies_aliases_and_data():
    graph = {"a": 1, "b": "a", "c": (operator.add, "a", "b"), "d": "not-a-key", "e": [1, "a"]}
    assert graph_dependencies(graph) == {"a": set(), "b": {"a"}, "c": {"a", "b"}, "d": set(), "e": {"a"}}


def test_unhashable_tuple_argument_is_a_literal():
    graph = {"a": 1, "b": (len, ("a", [1, 2]))}
    assert graph_dependencies(graph)["b"] == set()


def test_reverse_dependencies():
    deps = {"a": set(), "b": {"a"}, "c": {"a", "b"}}
    assert reverse_dependencies(deps) == {"a": {"b", "c"}, "b": {"c"}, "c": set()}


def test_dask_nodes_are_detected_and_missing_dependency_named():
    from dask._task_spec import Alias, DataNode, Task, TaskRef

    graph = {"a": DataNode("a", 1), "b": Task("b", inc, TaskRef("a")), "c": Alias("c", "zz")}
    assert is_dask_node(graph["b"]) and not is_dask_node((inc, 1))
    with pytest.raises(MissingDependencyError, match=r"'zz'.*task 'c'"):
        graph_dependencies(graph)
    assert isinstance(MissingDependencyError("x"), KeyError)


def test_dask_node_subclasses_of_other_packages_are_nodes_and_cull_keeps_their_inputs():
    """distributed's P2P barrier is a ``dask._task_spec.Task`` subclass living in ``distributed``: its inputs (the
    shuffle's transfer tasks) must survive a cull, or a Client loses them ("cancelled: lost dependencies")."""
    from dask._task_spec import Task, TaskRef

    from gpuscale.graph import cull

    Barrier = type("Barrier", (Task,), {"__module__": "distributed.shuffle._core"})
    graph = {("t", 0): (inc, 1), ("t", 1): (inc, 2), "barrier": Barrier("barrier", max, TaskRef(("t", 0)),
                                                                        TaskRef(("t", 1))),
             "out": (inc, "barrier"), "unused": (inc, 5)}
    assert is_dask_node(graph["barrier"])
    assert set(cull(graph, ["out"])[0]) == {("t", 0), ("t", 1), "barrier", "out"}


def test_is_dask_node_looks_at_the_type_only():
    """Asking a pandas object for a missing attribute builds its index's hash table (which deep memory_usage then
    counts); a TaskRef subclass (distributed's Future) holds no dependencies and is not a node."""
    import pandas as pd
    from dask._task_spec import TaskRef

    series = pd.Series([1, 2, 3], index=["a", "b", "c"])
    before = series.index.memory_usage(deep=True)
    assert not is_dask_node(series) and not is_dask_node(series.index)
    assert series.index.memory_usage(deep=True) == before
    FutureLike = type("FutureLike", (TaskRef,), {"__module__": "distributed.client"})
    assert not is_dask_node(FutureLike("k"))


def test_evaluate_task_replaces_keys_inside_nested_tasks_and_lists():
    values = {"a": 10, ("x", 0): 1}
    task = (operator.add, (inc, "a"), (sum, [("x", 0), 2, (inc, ("x", 0))]))
    assert evaluate_task(task, values) == 11 + 5
    # literals stay: a dict, a tuple without a callable head, an unhashable tuple, True (not key 1)
    assert evaluate_task((list, [{"a": 1}, ("y", 0), ("x", [0]), True]), {**values, 1: "one"}) == \
        [{"a": 1}, ("y", 0), ("x", [0]), True]


def test_evaluate_task_calls_dask_nodes_with_their_dependencies():
    from dask._task_spec import Task, TaskRef

    node = Task("b", inc, TaskRef("a"))
    assert evaluate_task((operator.mul, node, 2), {"a": 1}) == 4


def test_lists_of_numbers_are_literals_unless_the_graph_names_them():
    # a long list of numbers (isin's values) is looked up at once rather than walked item by item; numbers
    # that are keys of the graph still stand for their values, as dask's graphs allow numeric keys
    values = list(range(1000))
    assert task_dependency_list((sum, values), {"x": 1}) == []
    assert task_dependency_list((sum, [1, 2.5, None, "x", (operator.add, 7, 1)]), {1: 0, "x": 0, 7: 0}) == [1, "x", 7]
    assert evaluate_task((sum, values), {}) == sum(values)
    assert evaluate_task((sum, [1, 2, 5]), {5: 100}) == 103
    copy = evaluate_task(values, {})
    assert copy == values and copy is not values  # a task mutating its argument leaves the graph as it was
    assert get({5: 100, "y": (sum, [1, 2, 5])}, "y") == 103
