"""Execution order: a result read by a few consumers that are all ready is freed by running them together
(a block written to a store and reduced twice, as the climate workflow's anomalies), and the results agree
with running the graph in any valid order."""

from __future__ import annotations

import operator

import pytest

from gpuscale.graph import order
from gpuscale.runtime import get


def _graph(n: int, consumers: int) -> tuple[dict, list]:
    """``x_i = read(i)`` used by ``consumers`` tasks each; the first writes, the others feed one sum each."""
    graph: dict = {("x", i): (operator.mul, i, 2) for i in range(n)}
    for i in range(n):
        graph[("w", i)] = (operator.add, ("x", i), 0)
        for k in range(1, consumers):
            graph[(f"p{k}", i)] = (operator.mul, ("x", i), k)
    for k in range(1, consumers):
        graph[f"total{k}"] = (sum, [(f"p{k}", i) for i in range(n)])
    return graph, [("w", i) for i in range(n)] + [f"total{k}" for k in range(1, consumers)]


def _most_alive(graph: dict, outputs: list, prefix: str = "x") -> int:
    """The most ``prefix`` results held at once when running in ``order``'s order."""
    users: dict = {}
    for key, task in graph.items():
        for arg in task[1:] + tuple(a for t in task[1:] if isinstance(t, list) for a in t):
            if isinstance(arg, tuple) and arg in graph:
                users.setdefault(arg, set()).add(key)
    alive, most = set(), 0
    for key in sorted(order(graph, outputs), key=order(graph, outputs).get):
        if isinstance(key, tuple) and key[0] == prefix:
            alive.add(key)
        alive -= {x for x in alive if users[x] <= set(_done(graph, outputs, key))}
        most = max(most, len(alive))
    return most


def _done(graph: dict, outputs: list, upto) -> list:
    positions = order(graph, outputs)
    return [k for k, p in positions.items() if p <= positions[upto]]


@pytest.mark.parametrize("consumers", [2, 3, 4])
def test_ready_consumers_run_together(consumers: int) -> None:
    graph, outputs = _graph(12, consumers)
    assert _most_alive(graph, outputs) <= 2


def test_results_are_unchanged() -> None:
    graph, outputs = _graph(12, 3)
    values = get(graph, outputs, scheduler="sync")
    assert values[:12] == [2 * i for i in range(12)]
    assert values[12:] == [sum(2 * i * k for i in range(12)) for k in (1, 2)]


def _weighted_graph(n: int, writes_first: bool) -> tuple[dict, list]:
    """The climate anomaly's shape: ``x_i`` written, and reduced with its mask ``m_i = f(x_i)`` and a small
    shared ``weights`` that nothing has computed yet when the walk reaches ``x_i``."""
    graph: dict = {"weights": (operator.add, 1, 2)}
    for i in range(n):
        graph[("x", i)] = (operator.mul, i, 2)
        graph[("w", i)] = (operator.add, ("x", i), 0)
        graph[("m", i)] = (operator.gt, ("x", i), 4)
        graph[("p", i)] = (operator.mul, ("x", i), (operator.mul, ("m", i), "weights"))
    graph["total"] = (sum, [("p", i) for i in range(n)])
    writes = [("w", i) for i in range(n)]
    return graph, writes + ["total"] if writes_first else ["total"] + writes


@pytest.mark.parametrize("writes_first", [True, False])
def test_consumers_a_few_unstarted_tasks_away_run_together(writes_first: bool) -> None:
    # walking the writes first used to compute every x_i before any reduction: all of x held at once
    graph, outputs = _weighted_graph(12, writes_first)
    assert _most_alive(graph, outputs) <= 2
    values = get(graph, outputs, scheduler="sync")
    expected_total = sum(2 * i * (2 * i > 4) * 3 for i in range(12))
    assert (values[-1] if writes_first else values[0]) == expected_total
