"""Dask annotations kept on the expressions built inside ``with dask.annotate(...)``.

dask.array keeps the annotations around the building of each layer (``resources={"GPU": 1}``, ``retries=``,
``priority=``, ``workers=``), and a ``distributed`` scheduler applies them to that layer's tasks wherever the
collection is computed.  gpuscale keeps them on each expression node made in the block (not part of its name:
annotations change where and how a task runs, never its result).  The optimizer rewrites nodes into others;
a node made while an annotated node is rewritten (simplified, lowered) gets that node's annotations, a node
rebuilt over new operands keeps its own, and blockwise fusion only joins nodes of equal annotations.  When the
graph is handed to dask (``__dask_graph__``), the tasks of annotated nodes form layers of a ``HighLevelGraph``
carrying them (:func:`annotated_graph`).

Annotations are looked up only where dask is imported: ``import gpuscale`` stays free of it.
"""

from __future__ import annotations

import contextvars
import sys
import uuid
from typing import Any, Callable, Iterable, Mapping

__all__ = ["current", "rewriting", "carry", "same", "annotated_graph", "layers_of", "plain", "regroup"]

# the annotations of the node being rewritten: nodes made meanwhile are part of its rewrite
_rewritten: contextvars.ContextVar = contextvars.ContextVar("gpuscale_rewritten_annotations", default=None)


def current() -> dict | None:
    """The annotations a node made now gets: those of the node being rewritten, else dask's (``dask.annotate``
    blocks entered), None when there are none."""
    found = _rewritten.get()
    if found is not None:
        return found
    base = sys.modules.get("dask.base")
    get = getattr(base, "get_annotations", None)
    return (get() or None) if get is not None else None


def rewriting(annotations: dict | None, make: Callable[..., Any], *args: Any) -> Any:
    """``make(*args)``, the nodes it makes getting ``annotations`` (at no cost when there are none)."""
    if annotations is None:
        return make(*args)
    token = _rewritten.set(annotations)
    try:
        return make(*args)
    finally:
        _rewritten.reset(token)


def carry(old: Any, new: Any) -> Any:
    """``new`` (a node standing for ``old``: its rebuild over new operands, a fusion it heads, a plan rule's
    replacement) with ``old``'s annotations, if it has any (over those of a ``compute()`` called inside a
    ``dask.annotate`` block, which the optimizer's new nodes pick up)."""
    annotations = old._annotations
    if annotations is not None and new is not old:
        new._annotations = annotations
    return new


def same(a: Any, b: Any) -> bool:
    """Whether the nodes ``a`` and ``b`` have equal annotations (so their tasks may be fused)."""
    return a._annotations is b._annotations or a._annotations == b._annotations


def layers_of(nodes: Iterable[Any], layers: Mapping[str, Mapping]) -> list[tuple[dict, list]]:
    """``[(annotations, keys)]`` of the annotated ``nodes`` whose tasks are ``layers[node._name]``."""
    return [(node._annotations, list(layers[node._name])) for node in nodes
            if node._annotations is not None and node._name in layers]


def annotated_graph(graph: Mapping, annotated: list[tuple[dict, list]]) -> Any:
    """``graph`` as a dask ``HighLevelGraph`` whose layers carry the ``annotated`` keys' annotations (keys of
    ``graph`` only; a key fused into another task is gone), or ``graph`` itself when none are annotated.

    The other tasks form one layer without annotations of its own, so the annotations of the
    ``compute()`` / ``persist()`` call apply to them (and under those of the layers), as in dask.
    """
    groups: dict[int, tuple[dict, dict]] = {}
    rest = dict(graph)
    for marks, keys in annotated:
        tasks = groups.setdefault(id(marks), (marks, {}))[1]
        for key in keys:
            if key in rest:
                tasks[key] = rest.pop(key)
    groups = {k: v for k, v in groups.items() if v[1]}
    if not groups:
        return graph
    from dask.highlevelgraph import HighLevelGraph, MaterializedLayer

    # names unique to this graph: dask merges the graphs of collections computed together by layer name
    prefix = f"gpuscale-{uuid.uuid4().hex}"
    layers = {f"{prefix}-annotated-{i}": MaterializedLayer(tasks, annotations=dict(marks))
              for i, (marks, tasks) in enumerate(groups.values())}
    if rest:
        layers[f"{prefix}-unannotated"] = MaterializedLayer(rest)
    return HighLevelGraph(layers, {name: set() for name in layers})


def plain(graph: Any) -> Mapping:
    """The tasks of ``graph`` as one mapping (a ``HighLevelGraph``'s layers merged)."""
    return graph.to_dict() if hasattr(graph, "layers") else graph


def regroup(graph: Any, culled: Mapping) -> Any:
    """The tasks ``culled`` (a subset of ``graph``'s) in the annotated layers of ``graph`` they came from,
    when ``graph`` is a ``HighLevelGraph`` (see :func:`annotated_graph`); else ``culled``."""
    layers = getattr(graph, "layers", None)
    if layers is None:
        return culled
    annotated = [(layer.annotations, list(layer)) for layer in layers.values() if layer.annotations]
    return annotated_graph(culled, annotated)
