"""Graph rewrites: drop what the outputs do not need (cull)."""

from __future__ import annotations

from typing import Any, Mapping

from gpuscale.graph.core import flatten_keys, missing_key_error, task_dependency_list

__all__ = ["cull"]


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
        deps = task_dependency_list(graph[key], graph)  # in order: the culled graph's key order is fixed
        dependencies[key] = set(deps)
        stack.extend((dep, key) for dep in reversed(deps) if dep not in culled)
    for key, deps in dependencies.items():
        for dep in deps:
            if dep not in graph:
                raise missing_key_error(dep, key)
    return culled, dependencies
