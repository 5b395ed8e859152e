"""Graph rewrites: drop what the outputs do not need (cull), fuse linear chains (fuse_linear)."""

from __future__ import annotations

from typing import Any, Hashable, Mapping

from gpuscale.graph.core import (
    flatten_keys, graph_dependencies, is_dask_node, istask, missing_key_error, reverse_dependencies,
    task_dependencies,
)

__all__ = ["cull", "fuse_linear"]


def cull(graph: Mapping, keys: Any) -> tuple[dict, dict]:
    """Keep only the tasks ``keys`` need.

    Returns
    -------
    (culled graph, dependencies of each kept key)

    Raises
    ------
    MissingDependencyError
        If a requested key, or a declared dependency, is not in the graph.
    """
    culled: dict = {}
    dependencies: dict = {}
    stack = [(key, None) for key in reversed(flatten_keys(keys))]
    while stack:
        key, needed_by = stack.pop()
        if key in culled:
            continue
        if key not in graph:
            raise missing_key_error(key, needed_by)
        culled[key] = graph[key]
        dependencies[key] = task_dependencies(graph[key], graph)
        stack.extend((dep, key) for dep in dependencies[key] if dep not in culled)
    for key, deps in dependencies.items():
        for dep in deps:
            if dep not in graph:
                raise missing_key_error(dep, key)
    return culled, dependencies


def fuse_linear(graph: Mapping, keys: Any = None) -> tuple[dict, dict]:
    """Fuse linear chains ``a -> b -> c`` into one task under the last key (``c``).

    A task is folded into its consumer when it has exactly one consumer and
    that consumer has exactly one dependency.  Keys in ``keys`` are never
    folded away, so every requested key keeps its name and value.  dask graph
    nodes are left as they are.

    Returns
    -------
    (fused graph, dependencies of each key of the fused graph)
    """
    keep = set(flatten_keys(keys)) if keys is not None else set()
    dependencies = graph_dependencies(graph)
    dependents = reverse_dependencies(dependencies)

    def foldable(child: Hashable) -> bool:
        consumers = dependents[child]
        if child in keep or len(consumers) != 1 or is_dask_node(graph[child]):
            return False
        (parent,) = consumers
        return len(dependencies[parent]) == 1 and not is_dask_node(graph[parent])

    fused: dict = {}
    fused_deps: dict = {}
    for key in graph:
        if foldable(key):
            continue  # absorbed into its consumer's chain
        task, deps = graph[key], dependencies[key]
        while len(deps) == 1 and foldable(next(iter(deps))):
            (child,) = deps
            task = _substitute(task, child, graph[child])
            deps = dependencies[child]
        fused[key], fused_deps[key] = task, set(deps)
    return fused, fused_deps


def _substitute(task: Any, key: Hashable, value: Any) -> Any:
    """``task`` with each reference to ``key`` replaced by ``value`` (a task or data)."""
    if istask(task):
        return (task[0], *(_substitute(arg, key, value) for arg in task[1:]))
    if type(task) is list:
        return [_substitute(item, key, value) for item in task]
    if type(task) is type(key) and task == key:
        return value
    return task

