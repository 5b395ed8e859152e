"""The runtime's order does not depend on Python's hash seed: dependencies are read in the order a task names
them (never in a set's order, which follows the keys' hashes), so the same graph runs in the same order, with
the same results held at once, in every process."""

from __future__ import annotations

import json
import operator
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gpuscale.graph import cull, order, task_dependencies, task_dependency_list
from gpuscale.runtime.plan import compile_graph

ROOT = Path(__file__).resolve().parents[2]

# A plan whose tasks nest (lists of sub-tasks: the runtime's general runner reads their dependencies), with
# blocks read by several consumers, so the order has ties to break; keys are strings, whose hashes change
# with the seed.  Prints the order and the most results held at once when running in that order.
_SCRIPT = """
import json, operator
from gpuscale.graph import cull
from gpuscale.runtime.plan import compile_graph
from tests.graph.plan_walk import most_held

n = 12
graph = {f"read-{i:02d}": (operator.mul, i, 2) for i in range(n)}
for i in range(n):
    neighbours = [f"read-{j:02d}" for j in (i - 1, i, (i + 1) % n) if j >= 0]
    graph[f"window-{i:02d}"] = (sum, [(operator.add, key, 1) for key in neighbours])
    graph[f"scaled-{i:02d}"] = (operator.mul, f"read-{i:02d}", 3)
    graph[f"out-{i:02d}"] = (operator.add, f"window-{i:02d}", f"scaled-{i:02d}")
graph["total"] = (sum, [[f"out-{i:02d}" for i in range(n)], [f"scaled-{i:02d}" for i in range(0, n, 3)]])
graph, _ = cull(graph, ["total"])
plan = compile_graph(graph, ["total"])
most = most_held(plan)
print(json.dumps({"order": [plan.keys[i] for i in plan.order], "most_held": most, "keys": list(graph)}))
"""


def _run(seed: int) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    return json.loads(out.stdout)


def test_the_same_plan_runs_in_the_same_order_under_any_hash_seed():
    runs = [_run(seed) for seed in (1, 2, 3)]
    assert runs[1]["order"] == runs[0]["order"] and runs[2]["order"] == runs[0]["order"]
    assert runs[1]["keys"] == runs[0]["keys"]  # cull's walk: the culled graph's key order too
    assert {r["most_held"] for r in runs} == {runs[0]["most_held"]}


def test_dependencies_come_in_the_order_the_task_names_them():
    graph = {"a": 1, "b": 2, "c": 3}
    task = (sum, [(operator.add, "c", "a"), "b", (operator.neg, "c")])
    assert task_dependency_list(task, graph) == ["c", "a", "b"]
    assert task_dependencies(task, graph) == {"a", "b", "c"}
    assert compile_graph({**graph, "d": task}, ["d"]).dependencies[3] == (2, 0, 1)


def test_order_and_cull_follow_the_tasks_not_the_hashes():
    graph = {"z": 1, "y": 2, "x": (operator.add, "z", "y"), "w": (sum, [(operator.neg, "y"), "x"])}
    # x before y (the deeper first); of x's equal-depth inputs the one named last runs first (a stack)
    assert list(order(graph, ["w"])) == ["y", "z", "x", "w"]
    assert list(cull(graph, ["w"])[0]) == ["w", "y", "x", "z"]


def test_a_dask_node_s_dependencies_follow_the_graph_order():
    pytest.importorskip("dask")
    from dask._task_spec import Task, TaskRef

    graph = {f"k{i}": i for i in range(6)}
    graph["sum"] = Task("sum", lambda *xs: sum(xs), *[TaskRef(f"k{i}") for i in (4, 1, 5, 0)])
    plan = compile_graph(graph, ["sum"])
    assert plan.dependencies[6] == (0, 1, 4, 5)
    assert plan.runners[6]([0, 1, 2, 3, 4, 5, None]) == 10
