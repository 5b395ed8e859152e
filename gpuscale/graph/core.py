"""Predicates and dependency discovery for graphs in the Dask graph spec.

A graph is a mapping ``key -> task``.  Keys are ``str``, ``bytes``, ``int``,
``float`` or tuples of those (``("x-token", 0, 1)``).  A task is a tuple whose
first element is callable, ``(func, *args)``.  Arguments are literals, keys of
the graph (replaced by their value), lists of arguments (recursed into) or
nested tasks; dicts and tuples without a callable head are literals.  A value
that is not a task is data, unless it is itself a key of the graph (an alias).

Graph nodes from ``dask._task_spec`` (``Task``, ``Alias``, ``DataNode``, ...)
are accepted by duck typing: they name their ``dependencies`` and compute when
called with a dict of the dependencies' values.  This module imports nothing
outside the standard library.

The one reading of a nested task lives here: ``task_dependencies`` finds the
keys it refers to, ``evaluate_task`` computes it from their values.  The
runtime (``runtime/plan.py``, for tasks its specialised runners do not cover)
and fused dataframe tasks (``dataframe/expr/fusion.py``) use both.
"""

from __future__ import annotations

from typing import Any, Hashable, Iterable, Mapping

__all__ = [
    "iskey", "istask", "is_dask_node", "task_dependencies", "graph_dependencies",
    "reverse_dependencies", "MissingDependencyError", "missing_key_error", "flatten_keys", "task_dependency_list",
    "evaluate_task",
]

_KEY_TYPES = (str, bytes, int, float, tuple)
_NUMBERS = frozenset({int, float, bool, complex, type(None)})  # literals of lists, keys only where a graph says


class MissingDependencyError(KeyError):
    """A task needs a key that is not in the graph."""

    def __str__(self) -> str:  # KeyError would show the repr of the message
        return str(self.args[0]) if self.args else ""


def missing_key_error(key: Any, needed_by: Any = None) -> MissingDependencyError:
    """Build the error for ``key`` missing from a graph, naming who needs it."""
    who = "the caller (requested output)" if needed_by is None else f"task {needed_by!r}"
    return MissingDependencyError(f"key {key!r} is not in the graph but is needed by {who}")


def iskey(obj: Any) -> bool:
    """Return True if ``obj`` has the shape of a graph key (str/bytes/number or tuple of keys)."""
    typ = type(obj)
    if typ is tuple:
        return all(iskey(part) for part in obj)
    return typ in _KEY_TYPES and typ is not bool


def flatten_keys(keys: Any) -> list:
    """A key, a (nested) list of keys or a set of keys, as a flat list of keys.

    Lists are read in order, so an array's ``__dask_keys__`` come out in C order of
    the blocks; a set (only as the whole argument) is an unordered collection of
    keys.  A loop, not recursion: any nesting depth.
    """
    if type(keys) in (set, frozenset):
        return list(keys)
    if not isinstance(keys, list):
        return [keys]
    flat: list = []
    stack = [iter(keys)]
    while stack:
        for item in stack[-1]:
            if isinstance(item, list):
                stack.append(iter(item))
                break
            flat.append(item)
        else:
            stack.pop()
    return flat


def istask(obj: Any) -> bool:
    """Return True if ``obj`` is a legacy task: a non-empty tuple with a callable head."""
    return type(obj) is tuple and bool(obj) and callable(obj[0])


_node_types: dict = {}  # type -> whether it is a dask._task_spec node type (asked of every literal in a task)


def is_dask_node(obj: Any) -> bool:
    """Return True for a ``dask._task_spec`` graph node (duck typed, dask is not imported), subclasses from other
    packages included (distributed's ``P2PBarrierTask``, whose dependencies are the shuffle's transfers).

    Decided by the object's type alone: asking a pandas object for an attribute it lacks builds its index's hash
    table (which then counts in its ``memory_usage(deep=True)``)."""
    kind = type(obj)
    known = _node_types.get(kind)
    if known is None:
        known = _node_types[kind] = hasattr(kind, "dependencies") and (  # a TaskRef (a Future) is not a node
            kind.__module__.startswith("dask.") or any(c.__module__ == "dask._task_spec" for c in kind.__mro__[1:]))
    return known


def task_dependencies(task: Any, keys: Mapping | set) -> set:
    """Keys of ``keys`` (usually the graph) that ``task`` refers to.

    A dask graph node's declared dependencies are returned as they are, so a
    missing one can be reported by the caller.  :func:`task_dependency_list`
    gives them in a fixed order.
    """
    return set(task_dependency_list(task, keys))


def task_dependency_list(task: Any, keys: Mapping | set) -> list:
    """The keys of ``keys`` that ``task`` refers to, each once, in the order they first appear in it.

    A set's order follows the keys' hashes, which change with ``PYTHONHASHSEED`` and with
    random tokens, so whatever walks a graph (the runtime's order, ``cull``) reads
    dependencies from here to be the same on every run.  A dask graph node's declared
    dependencies come in their string order (the node holds a set).

    Examples
    --------
    >>> from operator import add
    >>> task_dependency_list((add, "b", (add, "a", ["b", 1])), {"a": 1, "b": 2})
    ['b', 'a']
    """
    found: dict = {}
    stack = [task]
    while stack:
        item = stack.pop()
        typ = type(item)
        if typ is tuple and item and callable(item[0]):
            stack.extend(reversed(item[1:]))
        elif typ is list and _NUMBERS.issuperset(map(type, item)):  # isin's 100,000 values: looked up at once
            found.update(dict.fromkeys(x for x in item if x in keys) if _may_hold_keys(item, keys) else ())
        elif typ is list:
            stack.extend(reversed(item))
        elif typ in _KEY_TYPES:
            try:
                if item in keys:
                    found[item] = None
            except TypeError:  # a tuple holding something unhashable is a literal
                pass
        elif is_dask_node(item):
            found.update(dict.fromkeys(sorted(item.dependencies, key=str)))
    return list(found)


def _may_hold_keys(numbers: list, keys: Any) -> bool:
    """Whether a list of numbers holds a key of ``keys`` (a graph's keys may be numbers)."""
    try:
        return not keys.keys().isdisjoint(numbers) if hasattr(keys, "keys") else not keys.isdisjoint(numbers)
    except (AttributeError, TypeError):  # another kind of container of keys: asked one by one
        return any(x in keys for x in numbers)


def evaluate_task(task: Any, values: Mapping) -> Any:
    """Compute a (nested) task given ``values``, the values of the keys it refers to.

    ``(func, *args)`` is ``func`` called on the values of ``args``, a list is the
    list of its items' values, a key of ``values`` is its value, a dask graph node
    is called with its dependencies' values; anything else is a literal.
    Recursive: tasks nest a few levels (one step's arguments); chains are
    separate tasks.
    """
    typ = type(task)
    if typ is tuple:
        if task and callable(task[0]):
            return task[0](*[evaluate_task(arg, values) for arg in task[1:]])
        try:
            return values[task] if task in values else task
        except TypeError:  # a tuple holding something unhashable is a literal
            return task
    if typ is list:
        if _NUMBERS.issuperset(map(type, task)) and not _may_hold_keys(task, values):
            return list(task)  # numbers that are no keys: the list's own value (a copy), quickly
        return [evaluate_task(item, values) for item in task]
    if typ in _KEY_TYPES:
        return values[task] if task in values else task
    if is_dask_node(task):
        return task({dep: values[dep] for dep in task.dependencies})
    return task


def graph_dependencies(graph: Mapping) -> dict[Hashable, set]:
    """Map each key of ``graph`` to the set of keys its task depends on.

    Raises
    ------
    MissingDependencyError
        If a dask graph node declares a dependency that is not in the graph.
    """
    deps = {}
    for key, task in graph.items():
        deps[key] = task_dependencies(task, graph) if _may_depend(task) else set()
        for dep in deps[key]:
            if dep not in graph:
                raise missing_key_error(dep, key)
    return deps


def _may_depend(task: Any) -> bool:
    return type(task) in (tuple, list, str, bytes, int, float) or is_dask_node(task)


def reverse_dependencies(dependencies: Mapping[Hashable, Iterable]) -> dict[Hashable, set]:
    """Map each key to the set of keys that depend on it."""
    dependents: dict[Hashable, set] = {key: set() for key in dependencies}
    for key, deps in dependencies.items():
        for dep in deps:
            dependents[dep].add(key)
    return dependents
