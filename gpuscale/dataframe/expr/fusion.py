"""Blockwise fusion: chains of partition-wise nodes become one task per partition.

A group is grown from a blockwise node through operands that are blockwise,
have the same number of partitions and are used only inside the group.  The
group becomes a :class:`Fused` node that keeps the output keys of its root, so
nodes outside the group need no renaming.

A group stops below a step that also needs a whole-table result (a scalar, or
a broadcast table) computed from the same source as its partitions or through
a shuffle, as in ``late.merge(suppliers).merge(late_orders_summary)``: fused,
no partition could be processed before the whole table is done (it needs the
same partitions, or a shuffle of some other large table that will not be made
first), so every input partition would be held in memory until then.  Cut, the
steps below run as soon as their partition exists and only their (often much
smaller) output waits.
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.dataframe.expr.base import Blockwise, FrameExpr
from gpuscale.expr import Expr, collect_dependents

__all__ = ["fuse_blockwise", "Fused", "FusedTask"]


def fuse_blockwise(root: Expr) -> Expr:
    """Replace groups of blockwise nodes under ``root`` by :class:`Fused` nodes."""
    dependents = collect_dependents(root)
    sources = _Sources()
    memo: dict[str, Expr] = {}

    def rewrite(expr: Expr) -> Expr:
        if expr._name not in memo:
            memo[expr._name] = _rewrite(expr, dependents, sources, rewrite)
        return memo[expr._name]

    return rewrite(root)


def _rewrite(expr: Expr, dependents: dict, sources: "_Sources", rewrite: Any) -> Expr:
    if not (isinstance(expr, Blockwise) and not expr.is_scalar):
        return expr.map_dependencies(rewrite)
    members = _group(expr, dependents, sources)
    if len(members) == 1:
        return expr.map_dependencies(rewrite)
    externals = _externals(members)
    return Fused(expr, *[rewrite(e) for e in externals])


def _fusable(node: Expr, head: Blockwise) -> bool:
    return isinstance(node, Blockwise) and not node.is_scalar and node.npartitions == head.npartitions


def _group(head: Blockwise, dependents: dict, sources: "_Sources") -> dict[str, Expr]:
    members: dict[str, Expr] = {head._name: head}
    changed = True
    while changed:
        changed = False
        for member in list(members.values()):
            for dep in member.dependencies():
                if dep._name in members or not _fusable(dep, head) or _waits_for_whole(member, dep, sources):
                    continue
                if all(user._name in members for user in dependents[dep._name]):
                    members[dep._name] = dep
                    changed = True
    return members


def _waits_for_whole(member: Expr, dep: Expr, sources: "_Sources") -> bool:
    """Whether ``member`` also needs a whole-table result (scalar or another partitioning) that is
    computed from the same source as ``dep``, or through a shuffle: then ``dep`` must not wait with it
    (module docstring)."""
    whole = [d for d in member.dependencies() if d._name != dep._name and _is_whole(d, member)]
    return any(sources.shuffled(d) or sources(d) & sources(dep) for d in whole)


def _is_whole(node: Expr, member: Expr) -> bool:
    return not isinstance(node, FrameExpr) or node.is_scalar or node.npartitions != member.npartitions


class _Sources:
    """The names of all nodes a node depends on (itself included), and whether one of them is a
    shuffle, memoised per node."""

    def __init__(self) -> None:
        self._memo: dict[str, frozenset] = {}
        self._shuffled: dict[str, bool] = {}

    def __call__(self, node: Expr) -> frozenset:
        name = node._name
        if name not in self._memo:
            below = [self(d) for d in node.dependencies()]
            self._memo[name] = frozenset().union(*below) | {name}
        return self._memo[name]

    def shuffled(self, node: Expr) -> bool:
        """Whether ``node`` is computed through a shuffle (it needs every partition of a table)."""
        from gpuscale.dataframe.expr.shuffle import HashShuffle, RangeShuffle

        name = node._name
        if name not in self._shuffled:
            self._shuffled[name] = isinstance(node, (HashShuffle, RangeShuffle)) or any(
                self.shuffled(d) for d in node.dependencies())
        return self._shuffled[name]


def _externals(members: dict) -> list:
    found: dict[str, Expr] = {}
    for member in members.values():
        for dep in member.dependencies():
            if dep._name not in members:
                found.setdefault(dep._name, dep)
    return list(found.values())


class Fused(FrameExpr):
    """Several blockwise nodes run as one task per partition (keeps the root's keys)."""

    _parameters = ["root"]

    @property
    def _name(self) -> str:  # type: ignore[override]
        return self.root._name

    def dependencies(self) -> list:
        return list(self.operands[1:])

    @functools.cached_property
    def _meta(self) -> Any:
        return self.root._meta

    def _divisions(self) -> tuple:
        return self.root.divisions

    @functools.cached_property
    def _members(self) -> list:
        outside = {e._name for e in self.operands[1:]}
        members: dict[str, Expr] = {}
        stack = [self.root]
        while stack:
            node = stack.pop()
            if node._name in members or node._name in outside:
                continue
            members[node._name] = node
            stack.extend(node.dependencies())
        return list(members.values())

    def _layer(self) -> dict:
        return {(self._name, i): self._task(i) for i in range(self.npartitions)}

    def _task(self, i: int) -> tuple:
        graph = {(m._name, i): m._task(i) for m in self._members}
        outside = {e._name for e in self.operands[1:]}
        inputs = sorted({k for task in graph.values() for k in _keys_in(task, outside)}, key=repr)
        return (FusedTask(graph, (self._name, i), inputs), *inputs)

    def _tree_label(self) -> str:
        names = ", ".join(type(m).__name__ for m in self._members)
        return f"Fused({names})  [npartitions={self.npartitions}]"


def _keys_in(task: Any, names: set) -> list:
    """Keys ``(name, ...)`` with ``name`` in ``names`` that a task refers to."""
    found, stack = [], [task]
    while stack:
        item = stack.pop()
        if type(item) is tuple and item and type(item[0]) is str and item[0] in names:
            found.append(item)
        elif type(item) in (tuple, list):
            stack.extend(item)
    return found


class FusedTask:
    """Callable that evaluates a small graph of tasks given the values of its inputs."""

    def __init__(self, graph: dict, output: Any, inputs: list) -> None:
        self.graph, self.output, self.inputs = graph, output, inputs

    def __call__(self, *values: Any) -> Any:
        cache = dict(zip(self.inputs, values))
        return _get(self.graph, self.output, cache)

    def __repr__(self) -> str:
        return f"FusedTask({len(self.graph)} tasks -> {self.output!r})"


def _get(graph: dict, key: Any, cache: dict) -> Any:
    if key not in cache:
        cache[key] = _execute(graph[key], graph, cache)
    return cache[key]


def _execute(task: Any, graph: dict, cache: dict) -> Any:
    kind = type(task)
    if kind is tuple and task and callable(task[0]):
        return task[0](*[_execute(a, graph, cache) for a in task[1:]])
    if kind is list:
        return [_execute(a, graph, cache) for a in task]
    if kind is tuple and (task in cache or task in graph):
        return _get(graph, task, cache)
    return task
