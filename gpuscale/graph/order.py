"""Execution order: a depth-first walk from the outputs that finishes branches.

The walk computes every dependency of a task right before the task, one
dependency subtree after the other, so a branch is finished (and its
intermediate results can be released) before the next branch starts.  When a
task has several dependencies, the one with the deepest subtree runs first: its
result is then held while the shallower ones run, which keeps fewer results
alive at once (the Sethi-Ullman rule for trees).  And a task whose inputs are
all there runs at once when it is the last consumer of one of them, since it
frees at least as much memory as it adds (this finishes the partner blocks of
``x + x.T`` or the other consumers of a shared input early); if it still misses
inputs that take only a few unstarted tasks (a small table broadcast to every
partition of a large one), those run first, so the large partitions do not wait.

Chains and independent tasks (no task with two dependencies or two
consumers) skip the rules: the plain walk is already optimal for them.

The algorithms work on integer-indexed adjacency lists, which is what the
runtime uses; ``order`` and ``toposort`` wrap them for key-based graphs.
"""

from __future__ import annotations

from collections import deque
from typing import Hashable, Iterable, Mapping, Sequence

from gpuscale.graph.core import flatten_keys, missing_key_error, task_dependency_list

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
    outputs = list(outputs)
    plain = _postorder(dependencies, outputs)
    consumers = [0] * len(dependencies)
    for i in plain:
        for j in dependencies[i]:
            consumers[j] += 1
    if max(consumers, default=0) <= 1 and all(len(dependencies[i]) <= 1 for i in plain):
        return plain  # chains and independent tasks: the plain walk is already optimal
    return _memory_walk(dependencies, outputs, plain, consumers)


def _postorder(dependencies: Sequence[Sequence[int]], outputs: list[int]) -> list[int]:
    """Depth-first post-order from ``outputs`` in argument order; detects cycles."""
    state = bytearray(len(dependencies))  # 0: new, 1: on the current path, 2: done
    result: list[int] = []
    stack = outputs[::-1]  # first output on top
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
        for j in reversed(deps):
            if state[j] == 0:
                push(j)
            elif state[j] == 1:
                raise CycleError(_cycle_through(j, i, dependencies))
    return result


def _memory_walk(dependencies, outputs: list[int], plain: list[int], consumers: list[int]) -> list[int]:
    """The depth-first walk with two memory rules (the graph is known to be acyclic).

    * Of several dependencies, the deepest subtree runs first.
    * A task whose inputs are all computed runs at once if it is the last
      consumer of one of them: it frees at least as much as it adds.  So does
      one whose missing inputs take only a few tasks that nothing has started
      (a small table broadcast to every partition): those run first.  And a
      few consumers of a result that has few (at most ``_FEW_CONSUMERS``) that are all
      ready, or miss only steps made from that result and inputs shared by many
      tasks (a mask of the block, broadcast weights), run together, since
      together they free it.
    """
    n = len(dependencies)
    depth, dependents = _depths_and_dependents(dependencies, plain)
    remaining = consumers[:]
    for i in outputs:
        remaining[i] += 1  # outputs are never freed
    waiting = [len(deps) for deps in dependencies]
    state = bytearray(n)
    result: list[int] = []
    stack = outputs[::-1]

    def frees(c: int) -> bool:
        return any(remaining[d] == 1 for d in dependencies[c])

    def ready_consumers(d: int) -> list[int]:
        # a block with few consumers, all with their inputs there or missing only steps made from ``d`` and
        # shared inputs: running them all frees ``d`` (a block written and reduced twice: no one of the three is
        # its last consumer until the others ran; the weighted reduction also needs the block's mask and the
        # weights).  Not for an input many tasks share when only a few of them are left: its last consumers
        # (the products of a matmul) would each add a result that waits for its siblings, all over the graph.
        if consumers[d] > _FEW_CONSUMERS:
            return []
        left = [c for c in dependents[d] if state[c] == 0]
        if len(left) != remaining[d]:
            return []
        missing = [0 if waiting[c] == 0 else _missing_beside(c, d, dependencies, state, consumers) for c in left]
        if None in missing:
            return []
        # pushed in this order, so the ready ones run first and the one missing the most tasks runs last
        return [c for _, c in sorted(zip(missing, left), key=lambda pair: -pair[0])]

    def finish(i: int) -> None:
        state[i] = 2
        result.append(i)
        for d in dependencies[i]:
            remaining[d] -= 1
            if remaining[d] == 1:  # one consumer left: running it would free ``d``
                stack.extend(c for c in dependents[d] if state[c] == 0 and (
                    waiting[c] == 0 or _few_missing(c, dependencies, state)))
            elif remaining[d] > 1:
                stack.extend(ready_consumers(d))
        for c in dependents[i]:
            waiting[c] -= 1
            if waiting[c] == 0 and state[c] == 0:
                if frees(c):
                    stack.append(c)
                else:
                    stack.extend(next((cs for cs in map(ready_consumers, dependencies[c]) if cs), ()))

    while stack:
        i = stack[-1]
        if state[i] == 2:
            stack.pop()
        elif state[i] == 1 or waiting[i] == 0:
            stack.pop()
            finish(i)
        else:
            state[i] = 1
            deps = dependencies[i]
            if len(deps) > 1:
                deps = sorted(deps, key=depth.__getitem__)  # deepest pushed last, runs first
            stack.extend(j for j in deps if state[j] == 0)
    return result


def _depths_and_dependents(dependencies, plain: list[int]) -> tuple[list[int], list[list[int]]]:
    """Each needed task's subtree depth and the needed tasks that use it (``plain``: a post-order)."""
    depth = [0] * len(dependencies)
    dependents: list[list[int]] = [[] for _ in range(len(dependencies))]
    for i in plain:  # post-order: dependencies come first
        deps = dependencies[i]
        if deps:
            depth[i] = 1 + max(depth[j] for j in deps)
            for j in deps:
                dependents[j].append(i)
    return depth, dependents


_FEW_TASKS = 32
_FEW_CONSUMERS = 4  # consumers of one result run together when all are ready (checking costs this many each)


def _few_missing(c: int, dependencies, state: bytearray) -> bool:
    """Whether the inputs ``c`` still misses need at most ``_FEW_TASKS`` tasks, none of them started
    (a started one is below on the walk's stack: ``c`` must not overtake it)."""
    seen, todo = set(), [j for j in dependencies[c] if state[j] != 2]
    while todo:
        j = todo.pop()
        if j in seen:
            continue
        if state[j] == 1 or len(seen) == _FEW_TASKS:
            return False
        seen.add(j)
        todo.extend(k for k in dependencies[j] if state[k] != 2)
    return True


def _missing_beside(c: int, d: int, dependencies, state: bytearray, consumers: list[int]) -> int | None:
    """How many unstarted tasks consumer ``c`` of ``d`` still misses, when each is made from ``d`` (another
    consumer's step: a mask of the block) or belongs to an input many tasks read (weights broadcast to every
    block); None when one is neither (it would start another block early), started, or past ``_FEW_TASKS``."""
    seen: set = set()
    todo = [(j, False) for j in dependencies[c] if state[j] != 2]
    while todo:
        j, shared = todo.pop()
        if j in seen:
            continue
        shared = shared or consumers[j] > _FEW_CONSUMERS
        if state[j] == 1 or len(seen) == _FEW_TASKS or not (shared or d in dependencies[j]):
            return None
        seen.add(j)
        todo.extend((k, shared) for k in dependencies[j] if state[k] != 2)
    return len(seen)


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
    # dependencies in a fixed order (the walk follows it): as the task names them, or, given as sets, in
    # graph order; a set's own order follows the keys' hashes, which change from run to run
    keys = list(graph)
    index = {key: i for i, key in enumerate(keys)}
    if dependencies is None:
        return keys, index, [[index[d] for d in _listed(key, graph)] for key in keys]
    return keys, index, [sorted(index[d] for d in dependencies[key]) for key in keys]


def _listed(key: Hashable, graph: Mapping) -> list:
    deps = task_dependency_list(graph[key], graph)
    for dep in deps:
        if dep not in graph:  # declared by a dask graph node
            raise missing_key_error(dep, key)
    return deps


def order(graph: Mapping, keys: Iterable[Hashable] | None = None,
          dependencies: Mapping | None = None) -> dict[Hashable, int]:
    """Map each needed key to its position in a memory-friendly execution order.

    Parameters
    ----------
    graph
        The task graph.
    keys
        Requested outputs: a key, a (nested) list or a set of keys (default:
        every key, in graph order).
    dependencies
        Precomputed ``graph_dependencies(graph)``, optional.
    """
    all_keys, index, deps = _indexed(graph, dependencies)
    outputs = all_keys if keys is None else flatten_keys(keys)
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
