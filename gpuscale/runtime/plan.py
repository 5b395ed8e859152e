"""Compile a graph once into compact integer-indexed lists the executors run.

Every key gets an index.  Each task becomes a *runner*: a small closure that
takes the list of computed values and returns the task's result, with its
argument lookups resolved to list indices ahead of time.  The common task
shapes (``(f, *literals)``, ``(f, key)``, ``(f, key, key)``, ``(f, key, 1)``)
get specialised runners, so running a tiny task costs one closure call;
nested tasks, lists and dask graph nodes are computed by ``graph.evaluate_task``.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable, Hashable, Mapping, Sequence

from gpuscale.graph import (
    CycleError, evaluate_task, gc_paused, is_dask_node, missing_key_error, order_indices, task_dependency_list,
)

__all__ = ["Plan", "compile_graph"]

_KEY_TYPES = (str, bytes, int, float)
_SCALAR_KEY_TYPES = frozenset(_KEY_TYPES)  # bool excluded on purpose: True is not key 1


@dataclass
class Plan:
    """A graph ready to run: ``runners[i]`` computes key ``keys[i]`` from ``dependencies[i]``.

    ``order`` holds the indices of the tasks needed for ``outputs`` in
    execution order; ``outputs`` holds the flat indices of the requested keys.
    """

    keys: list
    runners: list
    dependencies: list
    order: list
    outputs: list


def compile_graph(graph: Mapping, outputs: Sequence[Hashable]) -> Plan:
    """Compile ``graph`` for computing the keys ``outputs``.

    Raises
    ------
    MissingDependencyError
        If an output, or a dependency a dask graph node declares, is not in the graph.
    CycleError
        If the needed part of the graph has a cycle.
    """
    keys = list(graph)
    index = {key: i for i, key in enumerate(keys)}
    runners, dependencies = [], []
    add_runner, add_deps = runners.append, dependencies.append
    with gc_paused():
        for key, task in graph.items():
            runner, deps = _compile(key, task, index)
            add_runner(runner)
            add_deps(deps)
    out = [_output_index(key, index) for key in outputs]
    try:
        order = order_indices(dependencies, out)
    except CycleError as error:
        raise CycleError([keys[i] for i in error.cycle]) from None
    return Plan(keys, runners, dependencies, order, out)


def _output_index(key: Hashable, index: dict) -> int:
    try:
        return index[key]
    except (KeyError, TypeError):
        raise missing_key_error(key) from None


def _find(obj: Any, index: dict) -> int | None:
    """Index of ``obj`` if it is a key of the graph, else None."""
    typ = type(obj)
    if typ is tuple:
        try:
            return index.get(obj)
        except TypeError:  # holds something unhashable: a literal
            return None
    if typ in _KEY_TYPES:
        return index.get(obj)
    return None


def _compile(key: Hashable, task: Any, index: dict) -> tuple[Callable, tuple]:
    typ = type(task)
    if typ is tuple and task and callable(task[0]):
        return _compile_call(key, task, index)
    if typ is list:
        return _compile_general(key, task, index)
    if is_dask_node(task):
        return _compile_dask_node(key, task, index)
    alias = _find(task, index)
    if alias is not None:
        return _alias(alias), (alias,)
    return _constant(task), ()


def _compile_call(key: Hashable, task: tuple, index: dict) -> tuple[Callable, tuple]:
    func, args = task[0], task[1:]
    fills, lists, deps = [], [], []  # key arguments, flat-list arguments, their indices
    for pos, arg in enumerate(args):
        typ = type(arg)
        if typ in _SCALAR_KEY_TYPES:
            j = index.get(arg)
        elif typ is tuple:
            if arg and callable(arg[0]):
                return _compile_general(key, task, index)
            j = _find(arg, index)
        elif typ is list:
            spec = _flat_list(arg, index)
            if spec is None:
                return _compile_general(key, task, index)
            lists.append((pos, *spec))
            deps.extend(j for _, j in spec[1])
            continue
        elif is_dask_node(arg):
            return _compile_general(key, task, index)
        else:
            continue
        if j is not None:
            fills.append((pos, j))
            deps.append(j)
    unique = (deps[0],) if len(deps) == 1 else tuple(dict.fromkeys(deps))
    if lists:
        if len(args) == 1 and len(lists[0][2]) == len(lists[0][1]):  # (f, [key, key, ...])
            return _call_key_list(func, [j for _, j in lists[0][2]]), unique
        return _call_mixed(func, args, tuple(fills), tuple(lists)), unique
    if not fills:
        return _call_literals(func, args), ()
    if len(fills) == len(args):
        return _call_keys(func, [j for _, j in fills]), unique
    return _call_mixed(func, args, tuple(fills), ()), unique


def _flat_list(items: list, index: dict) -> tuple[list, tuple] | None:
    """(template, fills) for a list of keys and literals; None if it nests tasks or lists."""
    fills = []
    for pos, item in enumerate(items):
        typ = type(item)
        if typ in _SCALAR_KEY_TYPES:
            j = index.get(item)
        elif typ is tuple:
            if item and callable(item[0]):
                return None
            j = _find(item, index)
        elif typ is list or is_dask_node(item):
            return None
        else:
            continue
        if j is not None:
            fills.append((pos, j))
    return list(items), tuple(fills)


def _constant(value: Any) -> Callable:
    return lambda values: value


def _alias(j: int) -> Callable:
    return lambda values: values[j]


def _call_literals(func: Callable, args: tuple) -> Callable:
    if not args:
        return lambda values: func()
    if len(args) == 1:
        (a,) = args
        return lambda values: func(a)
    return lambda values: func(*args)


def _call_keys(func: Callable, deps: list[int]) -> Callable:
    if len(deps) == 1:
        (a,) = deps
        return lambda values: func(values[a])
    if len(deps) == 2:
        a, b = deps
        return lambda values: func(values[a], values[b])
    getter = itemgetter(*deps)
    return lambda values: func(*getter(values))


def _call_key_list(func: Callable, deps: list[int]) -> Callable:
    """``(func, [key, key, ...])``: the common reduction shape (``(func, [])`` too: no keys)."""
    if not deps:
        return lambda values: func([])
    if len(deps) == 1:
        (a,) = deps
        return lambda values: func([values[a]])
    getter = itemgetter(*deps)
    return lambda values: func(list(getter(values)))


def _call_mixed(func: Callable, args: tuple, fills: tuple, lists: tuple) -> Callable:
    """Keys, literals and flat lists of them in any positions."""
    template = list(args)

    def run(values):
        call_args = template.copy()
        for pos, j in fills:
            call_args[pos] = values[j]
        for pos, items, item_fills in lists:
            items = items.copy()
            for at, j in item_fills:
                items[at] = values[j]
            call_args[pos] = items
        return func(*call_args)

    return run


def _compile_general(key: Hashable, task: Any, index: dict) -> tuple[Callable, tuple]:
    names = tuple(task_dependency_list(task, index))  # a fixed order: the walk follows it
    deps = tuple(_dependency_index(name, key, index) for name in names)
    return (lambda values: evaluate_task(task, dict(zip(names, [values[j] for j in deps])))), deps


def _dependency_index(dep: Hashable, key: Hashable, index: dict) -> int:
    try:
        return index[dep]
    except KeyError:  # declared by a dask graph node, but not in the graph
        raise missing_key_error(dep, key) from None


def _compile_dask_node(key: Hashable, node: Any, index: dict) -> tuple[Callable, tuple]:
    # the node holds a set: graph order, not the keys' hashes, decides the order the walk reads them in
    names = tuple(sorted(node.dependencies, key=lambda name: _dependency_index(name, key, index)))
    deps = tuple(index[name] for name in names)
    if not deps:
        return (lambda values: node({})), ()
    return (lambda values: node(dict(zip(names, [values[j] for j in deps])))), deps
