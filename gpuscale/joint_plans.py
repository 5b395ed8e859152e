"""Collections computed together, planned together: work they share runs once.

Each collection's Dask graph is planned alone (``Collection.__dask_graph__``), so a step two collections share
would be fused into the tasks of each.  :func:`optimize_together` plans several as one (a :class:`Tuple` of their
expressions); :class:`Together` sends a cluster the graph of those joint plans (``gpuscale.compute`` /
``persist`` with a client); :class:`PlannedGraph` lets ``dask.compute(a, b)`` do the same locally, through
``Collection.__dask_optimize__`` (:func:`planned_together`).
"""

from __future__ import annotations

from typing import Any

import gpuscale.expr.annotations as annotated
from gpuscale import config
from gpuscale.expr import Expr, Tuple
from gpuscale.expr.core import merged_layers
from gpuscale.graph import flatten_keys

__all__ = ["PlannedGraph", "Together", "optimize_together", "planned_together"]


def optimize_together(collections: list) -> list[Expr]:
    """Optimize the expressions of several collections as one plan (shared work once)."""
    if len(collections) == 1:
        return [collections[0]._optimized_expr()]
    combined = Tuple(*[c.expr for c in collections])
    flag = bool(config.get("optimize"))
    combined = combined.optimize() if flag else combined.lower_completely()
    return list(combined.operands)


class PlannedGraph(dict):
    """A collection's graph as ``__dask_graph__`` gives it (a plain ``dict`` of its tasks), knowing the collection.

    Each collection's graph is planned alone, so work two collections share is fused into the tasks of each.
    dask hands the graphs of the collections computed together to ``__dask_optimize__`` merged into one
    ``HighLevelGraph`` whose layers are these dicts: :func:`planned_together` plans those collections again as
    one, as :func:`compute` does for the local runtime, so the shared work runs once.
    """

    __slots__ = ("collection",)

    def __init__(self, graph: dict, collection: "Any") -> None:
        super().__init__(graph)
        self.collection = collection

    def copy(self) -> "PlannedGraph":  # (dask copies a collection's ``.dask`` before merging it)
        return PlannedGraph(self, self.collection)

    def __reduce__(self) -> tuple:  # pickled as its tasks alone
        return dict, (dict(self),)


def planned_together(graph: Any) -> dict | None:
    """The tasks of ``graph`` (a ``HighLevelGraph`` dask merged) with those of the collections whose
    :class:`PlannedGraph` layers it holds planned as one, each collection's output keys as it announced them;
    None where it holds fewer than two collections (then it runs as given)."""
    layers = getattr(graph, "layers", None)
    planned = [layer for layer in (layers or {}).values() if isinstance(getattr(layer, "mapping", None), PlannedGraph)]
    collections = list({id(layer.mapping.collection): layer.mapping.collection for layer in planned}.values())
    if len(collections) < 2 or any(layer.annotations for layer in planned):
        return None
    tasks = _outputs_as_announced(collections, optimize_together(collections))
    if tasks is None:
        return None
    for layer in layers.values():  # dask's own layers (the steps finishing each result) read the outputs
        if layer not in planned:
            tasks.update(layer)
    return tasks


def _outputs_as_announced(collections: list, exprs: list) -> dict | None:
    """The graph of the jointly planned ``exprs`` (one per collection) whose output keys are those each
    collection's ``__dask_keys__`` gave (dask asks for those): renamed, or, where another step reads them too,
    aliased; None where an announced key names another task of the joint graph."""
    rename: dict = {}
    for collection, expr in zip(collections, exprs):
        joint, announced = flatten_keys(expr.__dask_keys__()), flatten_keys(collection.__dask_keys__())
        if len(joint) != len(announced):
            return None
        rename.update((j, a) for j, a in zip(joint, announced) if j != a)
    graph = _joint_graph(exprs)
    if any(new in graph for new in rename.values()):
        return None
    combined = Tuple(*exprs)
    read = {dep._name for node in combined.walk() if node is not combined for dep in node.dependencies()}
    aliased = {old: new for old, new in rename.items() if type(old) is tuple and old[0] in read}
    out = {rename.get(key, key) if key not in aliased else key: task for key, task in graph.items()}
    out.update((new, old) for old, new in aliased.items())  # a key standing for another key's value
    return out


def _joint_graph(exprs: list, marked: bool = False) -> Any:
    """The tasks of the plans ``exprs`` made together (:func:`optimize_together`), for where they run; with
    ``marked``, those of nodes built in ``dask.annotate`` blocks in layers carrying the marks (a
    ``HighLevelGraph``, as ``__dask_graph__`` gives them)."""
    from gpuscale.runtime.distributed import cluster_graph, graph_for_cluster

    combined = Tuple(*exprs)
    layers = combined.graph_layers()
    outputs = [k for expr in exprs for k in flatten_keys(expr.__dask_keys__())]
    graph = cluster_graph(combined, outputs, layers) if graph_for_cluster() else merged_layers(layers)
    marks = annotated.layers_of(combined.walk(), layers) if marked else None
    return annotated.annotated_graph(graph, marks) if marks else graph


class Together:
    """Several collections as one dask collection over their plans made together (:func:`optimize_together`),
    whose result is the tuple of theirs.  Its keys are those of the joint plans: a task of an output a plan
    made alone would fuse differently, so it is not given that plan's key (a cluster holds a key to one task)."""

    def __init__(self, exprs: list, collections: list) -> None:
        self.exprs, self.collections = exprs, collections

    @classmethod
    def of(cls, collections: list) -> "Together | None":
        """None for one collection (it goes as it is)."""
        return cls(optimize_together(collections), collections) if len(collections) > 1 else None

    def __dask_graph__(self) -> Any:
        if not hasattr(self, "_graph"):  # (asked for more than once per compute)
            self._graph = _joint_graph(self.exprs, marked=True)
        return self._graph

    def __dask_keys__(self) -> list:
        return [e.__dask_keys__() for e in self.exprs]

    def __dask_layers__(self) -> tuple:
        return tuple(e._name for e in self.exprs)

    def __dask_tokenize__(self) -> str:
        return "together-" + "-".join(e._name for e in self.exprs)

    def __dask_postcompute__(self) -> tuple:
        return _finish_each, (tuple(c.__dask_postcompute__() for c in self.collections),)

    def __dask_postpersist__(self) -> tuple:
        return _rebuild_each, (tuple(self.collections), tuple(e.__dask_keys__() for e in self.exprs))

    @staticmethod
    def __dask_optimize__(graph: Any, keys: Any, **kwargs: Any) -> Any:
        return graph  # planned already, and holding only what the outputs need

    @staticmethod
    def __dask_scheduler__(graph: Any, keys: Any, **kwargs: Any) -> Any:
        from gpuscale.collection import _runtime_get

        return _runtime_get(graph, keys, **kwargs)


def _finish_each(results: list, finishers: tuple) -> tuple:
    return tuple(func(result, *args) for result, (func, args) in zip(results, finishers))


def _rebuild_each(graph: dict, collections: tuple, keys: tuple, rename: dict | None = None) -> tuple:
    """Each collection over its persisted outputs (the keys of its joint plan)."""
    from gpuscale.collection import _renamed

    def own_outputs(own: list) -> dict:
        return {key: graph[key] for key in (_renamed(k, rename) for k in flatten_keys(own))}

    return tuple(c._rebuild_persisted(own_outputs(own), own, rename) for c, own in zip(collections, keys))
