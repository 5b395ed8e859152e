"""Execution order: a depth-first walk from the outputs that finishes branches.

The walk computes every dependency of a task right before the task, one
dependency subtree after the other, so a branch is finished (and its
intermediate results can be released) before the next branch starts.  When a
task has several dependencies, the one with the deepest subtree runs first: its
result is then held while the shallower ones run, which keeps fewer results
alive at once (the Sethi-Ullman rule for trees).

The algorithms work on integer-indexed adjacency lists, which is what the
runtime uses; ``order`` and ``toposort`` wrap them for key-based graphs.
"""

from __future__ import annotations

from collections import deque
from typing import Hashable, Iterable, Mapping, Sequence

from gpuscale.graph.core import graph_dependencies, missing_key_error

__all__ = ["CycleError", "order_indices", "order", "toposort"]


class CycleError(ValueError):
    """The graph has a cycle; ``cycle`` lists its keys, the first repeated at the end."""

    def __init__(self, cycle: list) -> None:
        self.cycle = cycle
        path = " -> ".join(repr(key) for key in cycle)
        super().__init__(f"the task graph has a cycle (each key depends on the next): {path}")


def order_indices(dependencies: Sequence[Sequence[int]], outputs: Iterable[int]) -> list[int]:
    """Return the tasks needed for ``outputs`` (indices), each after its dependencies.

    Parameters
    ----------
    dependencies
        ``dependencies[i]`` lists the indices task ``i`` depends on.
    outputs
        Indices of the requested tasks; tasks not reachable from them are left out.

    Raises
    ------
    CycleError
        With the cycle given as indices (``order`` translates them to keys).
    """
    depth = _depths(dependencies)
    state = bytearray(len(dependencies))  # 0: new, 1: on the current path, 2: done
    result: list[int] = []
    stack = list(outputs)[::-1]  # first output on top
    push, pop, add = stack.append, stack.pop, result.append
    while stack:
        i = stack[-1]
        if state[i]:
            pop()
            if state[i] == 1:
                state[i] = 2
                add(i)
            continue
        deps = dependencies[i]
        if not deps:
            pop()
            state[i] = 2
            add(i)
            continue
        state[i] = 1
        if len(deps) > 1 and depth is not None:
            deps = sorted(deps, key=depth.__getitem__)  # deepest pushed last, runs first
        for j in deps:
            if state[j] == 0:
                push(j)
            elif state[j] == 1:
                raise CycleError(_cycle_through(j, i, dependencies))
    return result


def _depths(dependencies: Sequence[Sequence[int]]) -> list[int] | None:
    """Longest path below each task, or None when no task has two dependencies."""
    if all(len(deps) < 2 for deps in dependencies):
        return None
    depth = [-1] * len(dependencies)
    state = bytearray(len(dependencies))
    for root in range(len(dependencies)):
        if state[root]:
            continue
        stack = [root]
        while stack:
            i = stack[-1]
            if state[i] == 0:
                state[i] = 1
                stack.extend(j for j in dependencies[i] if state[j] == 0)
            else:
                stack.pop()
                if state[i] == 1:  # cycles are reported by the walk; here they just stop
                    state[i] = 2
                    depth[i] = 1 + max((depth[j] for j in dependencies[i]), default=-1)
    return depth


def _cycle_through(start: int, end: int, dependencies) -> list[int]:
    """Path start -> ... -> end -> start following dependencies (end depends on start)."""
    parents = {start: None}
    queue = deque([start])
    while queue:
        i = queue.popleft()
        if i == end:
            break
        for j in dependencies[i]:
            if j not in parents:
                parents[j] = i
                queue.append(j)
    path = [end]
    while path[-1] != start:
        path.append(parents[path[-1]])
    return path[::-1] + [start]


def _indexed(graph: Mapping, dependencies: Mapping | None):
    keys = list(graph)
    index = {key: i for i, key in enumerate(keys)}
    deps = dependencies if dependencies is not None else graph_dependencies(graph)
    return keys, index, [[index[d] for d in deps[key]] for key in keys]


def order(graph: Mapping, keys: Iterable[Hashable] | None = None,
          dependencies: Mapping | None = None) -> dict[Hashable, int]:
    """Map each needed key to its position in a memory-friendly execution order.

    Parameters
    ----------
    graph
        The task graph.
    keys
        Requested outputs (default: every key, in graph order).
    dependencies
        Precomputed ``graph_dependencies(graph)``, optional.
    """
    all_keys, index, deps = _indexed(graph, dependencies)
    outputs = all_keys if keys is None else list(keys)
    for key in outputs:
        if key not in index:
            raise missing_key_error(key)
    try:
        positions = order_indices(deps, [index[key] for key in outputs])
    except CycleError as error:
        raise CycleError([all_keys[i] for i in error.cycle]) from None
    return {all_keys[i]: pos for pos, i in enumerate(positions)}


def toposort(graph: Mapping, dependencies: Mapping | None = None) -> list[Hashable]:
    """Return every key of ``graph``, each after the keys it depends on.

    Raises
    ------
    CycleError
        Naming the keys that form a cycle.
    """
    return list(order(graph, None, dependencies))
