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
from typing import Any, Iterator

import gpuscale.expr.annotations as annotated
from gpuscale.dataframe.expr.base import Blockwise, FrameExpr
from gpuscale.expr import Expr, cached_bottom_up, collect_dependents, operand_results, operands_first, run_steps
from gpuscale.graph import evaluate_task, is_dask_node, task_dependency_list

__all__ = ["fuse_blockwise", "Fused", "FusedTask"]


def fuse_blockwise(root: Expr) -> Expr:
    """Replace groups of blockwise nodes under ``root`` by :class:`Fused` nodes."""
    dependents = collect_dependents(root)
    sources = _Sources()
    memo: dict[str, Expr] = {}

    def rewrite(expr: Expr) -> Any:  # a step of run_steps: the result, or a generator making it
        return memo[expr._name] if expr._name in memo else fuse(expr)

    def fuse(expr: Expr) -> Iterator:
        memo[expr._name] = yield from _rewrite(expr, dependents, sources)
        return memo[expr._name]

    return run_steps(root, rewrite)


def _rewrite(expr: Expr, dependents: dict, sources: "_Sources") -> Iterator:
    if not (isinstance(expr, Blockwise) and not expr.is_scalar):
        return expr.substitute_operands((yield from operand_results(expr)))
    members = _group(expr, dependents, sources)
    if len(members) == 1:
        return expr.substitute_operands((yield from operand_results(expr)))
    inputs = []
    for e in _externals(members):
        inputs.append((yield e))
    return annotated.carry(expr, Fused(expr, *inputs))


def _fusable(node: Expr, head: Blockwise) -> bool:
    # nodes built under different dask.annotate blocks stay apart, each with its own
    return isinstance(node, Blockwise) and not node.is_scalar and node.npartitions == head.npartitions \
        and annotated.same(node, head)


def _group(head: Blockwise, dependents: dict, sources: "_Sources") -> dict[str, Expr]:
    members: dict[str, Expr] = {head._name: head}
    todo = [head]
    while todo:  # each member's operands are looked at when it joins: linear in the group's size
        member = todo.pop()
        for dep in member.dependencies():
            if dep._name not in members and _joins(dep, head, members, dependents, sources):
                members[dep._name] = dep
                todo.append(dep)
    return members


def _joins(dep: Expr, head: Blockwise, members: dict, dependents: dict, sources: "_Sources") -> bool:
    """Whether ``dep`` joins the group: fusable, used only inside it, and by at least one user that does
    not also wait for a whole-table result made from the same source (``_waits_for_whole``)."""
    if not _fusable(dep, head):
        return False
    users = dependents[dep._name]
    if not all(user._name in members for user in users):
        return False  # looked at again when its last user joins
    return any(not _waits_for_whole(user, dep, sources) for user in users)


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
        memo = self._memo
        for below in operands_first(node, lambda n: n._name in memo):  # a loop: plans may be deep
            memo[below._name] = frozenset().union(*(memo[d._name] for d in below.dependencies())) | {below._name}
        return memo[node._name]

    def shuffled(self, node: Expr) -> bool:
        """Whether ``node`` is computed through a shuffle (it needs every partition of a table)."""
        from gpuscale.dataframe.expr.shuffle import HashShuffle, RangeShuffle

        memo = self._shuffled
        for below in operands_first(node, lambda n: n._name in memo):
            memo[below._name] = isinstance(below, (HashShuffle, RangeShuffle)) or any(
                memo[d._name] for d in below.dependencies())
        return memo[node._name]


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

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.root._meta

    def _divisions(self) -> tuple:
        return self.root.divisions

    def _partitioning_inputs(self) -> list:
        return [self.root]

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
        for member in self._members:  # as FrameExpr._tasks does for a node's own tasks
            member._share_literals()
        return {(self._name, i): self._task(i) for i in range(self.npartitions)}

    def _task(self, i: int) -> tuple:
        graph = {(m._name, i): m._task(i) for m in self._members}
        inputs: dict = {}  # in the order found (a set's order would change from process to process)
        _find_keys_named(list(graph.values()), self._outside, inputs)
        inputs_list = list(inputs)
        return (FusedTask(graph, (self._name, i), inputs_list), *inputs_list)

    @functools.cached_property
    def _outside(self) -> frozenset:
        """The names of the nodes outside the group whose partitions the members read."""
        return frozenset(e._name for e in self.operands[1:])

    def _tree_label(self) -> str:
        names = ", ".join(type(m).__name__ for m in self._members)
        return f"Fused({names})  [npartitions={self.npartitions}]"


_PLAIN = frozenset({str, int, float, bool, bytes, type(None), dict})  # literals that are never graph nodes


def _find_keys_named(task: Any, names: frozenset, found: dict) -> None:
    """Add to ``found`` the keys ``(name, ...)`` with ``name`` in ``names`` that ``task`` refers to (read as
    ``graph.task_dependencies`` reads a task: nested tasks and lists are looked into, other tuples are keys)."""
    stack = [task]
    while stack:
        item = stack.pop()
        typ = type(item)
        if typ is tuple and item:
            if callable(item[0]):
                stack.extend(reversed(item[1:]))
            elif type(item[0]) is str and item[0] in names:
                found[item] = None
        elif typ is list and not _PLAIN.issuperset(map(type, item)):  # (a list of literals, isin's values: none)
            stack.extend(reversed(item))
        elif typ not in _PLAIN and is_dask_node(item):  # a dask node declares what it needs
            found.update(dict.fromkeys(sorted(item.dependencies, key=repr)))


class FusedTask:
    """Callable that evaluates a small graph of tasks given the values of its inputs."""

    def __init__(self, graph: dict, output: Any, inputs: list) -> None:
        self.graph, self.output, self.inputs = graph, output, inputs
        self._order: list | None = None

    def __call__(self, *values: Any) -> Any:
        if self._order is None:
            self._order = _run_order(self.graph, self.output, set(self.inputs))
        cache = dict(zip(self.inputs, values))
        for key in self._order:  # a loop, not recursion: a chain may be thousands of steps long
            cache[key] = evaluate_task(self.graph[key], cache)
        return cache[self.output]

    def __repr__(self) -> str:
        return f"FusedTask({len(self.graph)} tasks -> {self.output!r})"


def _run_order(graph: dict, output: Any, inputs: set) -> list:
    """The keys of ``graph`` that ``output`` needs, each after the keys its task refers to."""
    order, seen, stack = [], set(inputs), [(output, False)]
    while stack:
        key, ready = stack.pop()
        if ready:
            order.append(key)
        elif key not in seen:
            seen.add(key)
            stack.append((key, True))
            stack.extend((dep, False) for dep in reversed(task_dependency_list(graph[key], graph)) if dep not in seen)
    return order
