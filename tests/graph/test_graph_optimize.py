"""cull keeps results and requested key names; flatten_keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gpuscale.graph import MissingDependencyError, cull, flatten_keys
from gpuscale.runtime import get


def inc(x):
    return x + 1


def add_all(seed, *values):
    return seed + sum(values)


@st.composite
def graphs(draw, max_nodes=25):
    n = draw(st.integers(1, max_nodes))
    graph = {}
    for i in range(n):
        deps = sorted(draw(st.sets(st.integers(0, i - 1), max_size=3))) if i else []
        graph[("n", i)] = (add_all, i, *[("n", j) for j in deps])
    return graph


def test_flatten_keys():
    assert flatten_keys([["a", ("x", 1)], "b"]) == ["a", ("x", 1), "b"]
    assert flatten_keys(("x", 1)) == [("x", 1)]
    assert sorted(flatten_keys({"a", "b"})) == ["a", "b"]


def test_flatten_keys_of_deep_nesting_does_not_recurse():
    keys: list = ["last"]
    for depth in range(20_000):
        keys = [depth, keys]
    assert flatten_keys(keys) == [*reversed(range(20_000)), "last"]


def test_cull_keeps_only_what_outputs_need():
    graph = {"a": 1, "b": (inc, "a"), "c": (inc, "b"), "other": (inc, "a")}
    culled, deps = cull(graph, ["b"])
    assert culled == {"b": graph["b"], "a": 1}
    assert deps == {"b": {"a"}, "a": set()}


def test_cull_names_missing_key_and_who_needs_it():
    from dask._task_spec import Alias

    with pytest.raises(MissingDependencyError, match=r"'gone'.*task 'b'"):
        cull({"b": Alias("b", "gone")}, "b")
    with pytest.raises(MissingDependencyError, match=r"'nope'.*requested"):
        cull({"a": 1}, ["nope"])


@given(graphs(), st.data())
@settings(max_examples=60, deadline=None)
def test_cull_preserves_results(graph, data):
    keys = data.draw(st.lists(st.sampled_from(list(graph)), min_size=1, max_size=4, unique=True))
    expected = get(graph, keys, scheduler="sync")
    culled, deps = cull(graph, keys)
    assert set(keys) <= set(culled) and set(deps) == set(culled)
    assert all(dep in culled for ds in deps.values() for dep in ds)
    assert get(culled, keys, scheduler="sync") == expected
    assert get(culled, keys, scheduler="threads") == expected
