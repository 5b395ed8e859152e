"""The base of gpuscale collections, ``compute`` and ``persist``.

A collection wraps one :class:`~gpuscale.expr.Expr`.  It speaks the Dask
collection protocol, so ``dask.compute(x)``, ``client.compute(x)`` and
``client.persist(x)`` work, and it runs on the local runtime
(:func:`gpuscale.get`) by default, or on the default ``distributed.Client``
when one exists (as Dask does; see the ``use_default_client`` option).
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, Callable, ContextManager, Iterator

import gpuscale.expr.annotations as annotated
from gpuscale import config
from gpuscale.expr import Expr
from gpuscale.expr.core import merged_layers
from gpuscale.graph import flatten_keys
from gpuscale.graph.core import is_dask_node, istask
from gpuscale.joint_plans import PlannedGraph, Together, optimize_together, planned_together

__all__ = ["Collection", "compute", "persist"]


def _renamed(key: Any, rename: dict | None) -> Any:
    """``key`` with its name changed as ``rename`` says (dask's ``__dask_postpersist__`` rebuilders take it)."""
    if rename and isinstance(key, tuple) and key and key[0] in rename:
        return (rename[key[0]], *key[1:])
    return rename.get(key, key) if rename and isinstance(key, str) else key


def _runtime_get(graph: Any, keys: Any, **kwargs: Any) -> Any:
    from gpuscale.runtime import get

    return get(graph, keys, **kwargs)


class _RuntimeScheduler:
    """The runtime as the default scheduler ``dask.compute`` finds on gpuscale collections.

    It compares equal to dask's threaded scheduler, the default of ``Delayed`` and dask's own collections,
    so that ``dask.compute(frame, delayed_value)`` runs (dask refuses collections of "differing default
    schedulers"); both run any dask graph, and the first collection's runs them all.
    """

    def __call__(self, graph: Any, keys: Any, **kwargs: Any) -> Any:
        return _runtime_get(graph, keys, **kwargs)

    def __eq__(self, other: Any) -> bool:
        import dask.threaded

        return isinstance(other, _RuntimeScheduler) or other is dask.threaded.get

    def __hash__(self) -> int:
        return hash(_RuntimeScheduler)


class Collection:
    """A lazy collection over one expression.

    Subclasses implement ``_finalizer`` (the function that turns computed chunks into one result)
    and ``_from_persisted`` (rebuild from computed chunks), and their
    expressions implement ``__dask_keys__``.
    """

    def __init__(self, expr: Expr) -> None:
        self._expr = expr

    @property
    def expr(self) -> Expr:
        """The (unoptimized) expression of this collection."""
        return self._expr

    def optimize(self, fuse: bool = True) -> "Collection":
        """This collection with its expression optimized (simplified, lowered and, with ``fuse`` as dask's,
        its chains of partition-wise steps fused into one task per partition)."""
        return type(self)(self._expr.optimize(fuse=fuse))

    def _optimized_expr(self) -> Expr:
        # cached: the Dask protocol asks for graph, keys and layers separately;
        # keyed by the expression's name too, as in-place updates replace the expression, and by where the
        # graph runs (a plan for a cluster may differ: see GroupByTree._final_buckets), and by the runtime options
        # plans are made for (a rechunk is staged within compute(memory_limit=): gpuscale/runtime/options.py)
        from gpuscale.runtime.distributed import building_graph_for, graph_for_cluster
        from gpuscale.runtime.options import planning_key

        key = (self._expr._name, bool(config.get("optimize")), graph_for_cluster(), planning_key())
        cache = self.__dict__.setdefault("_optimized_cache", {})
        if key not in cache:
            with building_graph_for(key[2]):  # the plan's nodes ask too: told, not each looking up the scheduler
                cache[key] = self._expr.optimize() if key[1] else self._expr.lower_completely()
        return cache[key]

    # -- Dask collection protocol --------------------------------------------------
    def __dask_graph__(self) -> dict:
        from gpuscale.runtime.distributed import cluster_graph, graph_for_cluster, tune_workers

        # built once per plan: dask's is_dask_collection builds the graph to see that it is not None, and callers
        # ask for it often (Client.compute three times more, 0.4 s of client time at TPC-H SF10; xarray's
        # map_blocks once per variable and block: 4,320 builds of a 720-block array took minutes)
        expr = self._optimized_expr()
        cache = self.__dict__.setdefault("_optimized_cache", {})
        cluster = graph_for_cluster()  # asked for by a distributed.Client: P2P outputs fused into their readers
        if cluster:
            tune_workers()  # once per client (gpuscale/runtime/allocator.py)
        key = ("cluster-graph" if cluster else "graph", expr._name)
        if key not in cache:
            layers = expr.graph_layers()
            graph = cluster_graph(expr, flatten_keys(expr.__dask_keys__()), layers) if cluster else \
                merged_layers(layers)
            cache[key] = _renamed_outputs(graph, expr._name, self._protocol_name(expr))
            # the keys of the nodes built inside ``dask.annotate`` blocks (often none)
            cache[("annotated", *key)] = annotated.layers_of(expr.walk(), layers)
        if cache[("annotated", *key)]:  # a dask HighLevelGraph whose layers carry them to a distributed scheduler
            return annotated.annotated_graph(dict(cache[key]), cache[("annotated", *key)])
        return PlannedGraph(cache[key], self)  # a copy: the caller may change its graph

    def __dask_keys__(self) -> list:
        expr = self._optimized_expr()
        name = self._protocol_name(expr)
        return expr.__dask_keys__() if name is None else _renamed_keys(expr.__dask_keys__(), expr._name, name)

    def __dask_layers__(self) -> tuple[str, ...]:
        expr = self._optimized_expr()
        return (self._protocol_name(expr) or expr._name,)

    def _protocol_name(self, expr: Expr) -> str | None:
        """The name the keys of this collection's blocks carry in the Dask protocol (``__dask_graph__`` /
        ``__dask_keys__``) when not that of the optimized plan ``expr``'s root; None: the root's."""
        return None

    def __dask_tokenize__(self) -> str:
        return self._expr._name

    def __dask_postcompute__(self) -> tuple[Callable, tuple]:
        # not the bound ``self._finalize``: dask's schedulers pickle this function into the graph (distributed
        # sends it to the scheduler and a worker), and unpickling ``self`` rebuilds its whole expression there
        # (a parquet read planned anew: 0.1-0.2 s of a worker's event loop per compute of TPC-H Q6 at SF10)
        return self._finalizer(), ()

    def __dask_postpersist__(self) -> tuple[Callable, tuple]:
        return self._rebuild_persisted, (self.__dask_keys__(),)

    def _rebuild_persisted(self, graph: dict, keys: list, rename: dict | None = None) -> "Collection":
        # dask.persist hands over the computed blocks; dask.optimize and dask.graph_manipulation a graph of tasks
        # (the blocks' tasks and what they need), with the keys' names changed by ``rename``
        outputs = [_renamed(k, rename) for k in flatten_keys(keys)]
        if len(graph) == len(outputs) and not any(istask(graph[k]) or is_dask_node(graph[k]) for k in outputs):
            return self._from_persisted({k: graph[k] for k in outputs})
        if not rename:  # dask.optimize: the tasks of this collection's own plan, under its own keys
            # this collection over that plan, not over its tasks: the graph was built for the scheduler that was
            # the default then (a cluster's P2P shuffle tasks run on no other)
            return self.optimize()
        # clone / bind / wait_on: the renamed tasks are the blocks' (frames and scalars: a FromGraph over them)
        graph = dict(graph)
        _refuse_unrenamed_nodes(graph)
        return self._from_graph(graph, outputs)

    __dask_scheduler__ = _RuntimeScheduler()

    def __await__(self) -> Any:
        # ``x = await client.persist(x)`` with an asynchronous client: x once its chunks are on the cluster
        from gpuscale.runtime.distributed import wait_for_futures

        return wait_for_futures(self).__await__()

    @staticmethod
    def __dask_optimize__(graph: dict, keys: Any, **kwargs: Any) -> dict:
        # optimized at the expression level; culled here, as dask's own collections are: dask's schedulers run
        # every task of the graph they are given (x[5, 7] of a 1,600-block array ran all 1,600 blocks)
        # (a graph with annotated layers keeps them)
        # several collections computed at once (dask.compute(a, b), Client.compute([a, b])) come merged into one
        # graph: planned again as one, their shared work is in it once, not fused into each (see joint_plans.PlannedGraph)
        from gpuscale.graph import cull

        graph = planned_together(graph) or graph
        return annotated.regroup(graph, cull(annotated.plain(graph), keys)[0])

    def _finalize(self, results: Any) -> Any:
        return self._finalizer()(results)

    # -- to be provided by subclasses ------------------------------------------------
    def _finalizer(self) -> Callable[[Any], Any]:
        """The function of the computed chunks that gives the result: a module-level function, or a
        ``functools.partial`` of one over small values (metadata, counts), never holding the expression."""
        raise NotImplementedError

    def _from_persisted(self, chunks: dict) -> "Collection":
        raise NotImplementedError

    def _from_graph(self, graph: dict, keys: list) -> "Collection":
        """This collection over a graph of tasks whose ``keys`` (flat, in block order) compute its blocks."""
        return self._from_persisted({k: graph[k] for k in keys})

    def _is_small(self) -> bool:
        """Whether computing this is so little work that worker threads would only add hand-off cost."""
        return False

    def _computing(self) -> ContextManager:
        """Entered around every ``compute`` / ``persist`` of this collection, alone or with others: a collection
        that owns something outside its graph (a write's temporary folder) cleans it up when the run fails."""
        return contextlib.nullcontext()

    def _compute_in_place(self, graph: dict, keys: Any) -> Any:
        """Optionally add tasks to ``graph`` (run in this process) that build the result in place;
        return ``(result, keys of those tasks)`` or ``(result, keys, finish)`` (the result is then
        ``finish(result)``), or ``None`` to finalize the computed chunks as usual."""
        return None

    # -- user API --------------------------------------------------------------------
    def compute(self, **kwargs: Any) -> Any:
        """Compute this collection and return a NumPy/CuPy array or pandas/cuDF object.

        Parameters
        ----------
        scheduler : {"sync", "threads"} or distributed.Client, optional
            Where to run; by default the local threaded runtime, or the default
            ``distributed.Client`` when one exists.
        **kwargs
            Options of the local runtime (``num_workers``, ``memory_limit``, ...);
            dask's scheduler keywords that do not change results (``pool``,
            ``optimize_graph``, ...) are accepted, any other is ignored with a
            warning naming it (see :func:`gpuscale.runtime.get`).
        """
        return compute(self, **kwargs)[0]

    def persist(self, **kwargs: Any) -> "Collection":
        """Compute the chunks and keep them (in memory, or on the cluster)."""
        return persist(self, **kwargs)[0]

    @property
    def dask(self) -> dict:
        """The task graph (``key -> task``), as dask collections' ``.dask``; setting it makes this collection
        compute its keys from the graph given (``distributed.Client.normalize_collection`` swaps tasks already
        on the cluster for their futures so)."""
        return self.__dask_graph__()

    @dask.setter
    def dask(self, graph: Any) -> None:
        self._replace_graph(graph)

    def _replace_graph(self, graph: Any) -> None:
        """This collection over ``graph``, which computes the keys of its present plan."""
        graph, keys = dict(graph), flatten_keys(self.__dask_keys__())
        missing = [key for key in keys if key not in graph]
        if missing:
            raise ValueError(f"the graph given to .dask lacks {len(missing)} of this collection's {len(keys)} keys "
                             f"(first: {missing[0]!r}); it must compute every key of __dask_keys__()")
        rebuilt = self._from_graph(graph, keys)
        self._expr = rebuilt._expr
        self.__dict__["_optimized_cache"] = {}  # a new dict: a copy.copy of this collection shares the old one

    def visualize(self, filename: str = "mydask", format: str | None = None, optimize_graph: bool = False,
                  tasks: bool = True, **kwargs: Any) -> Any:
        """Draw the task graph with ``dask.visualize`` (graphviz, or ``engine="cytoscape"``).

        As dask's: ``filename=None`` draws without writing a file; without the graphviz library dask
        raises ``RuntimeError`` saying what to install.  ``tasks`` is accepted for dask.dataframe's
        signature; the graph drawn is always the tasks of the optimized plan (``explain()`` prints the
        plan as text).
        """
        try:
            from dask.base import visualize
        except ImportError as exc:
            raise ImportError("visualize draws the graph with dask's visualize: install dask and graphviz "
                              "(explain() prints the plan as text)") from exc
        return visualize(self, filename=filename, format=format, optimize_graph=optimize_graph, **kwargs)

    def explain(self, stage: str | None = None, format: str | None = None, *, file: Any = None) -> None:
        """Print the plan: before and after optimization, or at one of dask's stages.

        Parameters
        ----------
        stage : str, optional
            dask's stages: ``"logical"`` (as written), ``"simplified-logical"``/``"tuned-logical"``
            (projections and filters pushed down), ``"physical"``/``"simplified-physical"`` (lowered, not
            fused) or ``"fused"`` (what runs); by default the plan as written and optimized.
        format : None
            Text only (dask draws with graphviz for other formats).
        file : file-like, optional
            Where to print (default: standard output).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), npartitions=1, backend="cpu")
        >>> df[["x", "y"]].x.explain("simplified-logical")
        Projection: 'x'
          FromChunks: columns=['x']  [npartitions=1]
        """
        if stage is not None and not isinstance(stage, str):  # explain(file): the older positional form
            stage, file = None, stage
        if format is not None:
            raise ValueError(f"explain(format={format!r}): gpuscale prints plans as text (format=None)")
        print(explain_text(self._expr, stage), file=file)

    def simplify(self) -> "Collection":
        """This collection over its simplified expression (projections and filters pushed down, ...), as
        dask-expr's ``simplify``; ``compute()`` does this itself.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2], "y": [3, 4]}), npartitions=1, backend="cpu")
        >>> picked = df[["x", "y"]]["x"]
        >>> len(picked.simplify().expr.tree_repr()) < len(picked.expr.tree_repr())
        True
        """
        return type(self)(self._expr.simplify())

    def pprint(self, file: Any = None) -> None:
        """Print the expression tree, as dask-expr's ``pprint`` (:meth:`explain` shows it optimized too).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1, backend="cpu").x.sum().pprint()
          TreeReduce: sum (split_every=8)
            Map: sum-chunk
              Projection: 'x'
                FromChunks  [npartitions=1]
        """
        print(self._expr.tree_repr(1), file=file)


_STAGES = {"logical": lambda e: e, "simplified-logical": Expr.simplify, "tuned-logical": Expr.simplify,
           "physical": lambda e: e.optimize(fuse=False), "simplified-physical": lambda e: e.optimize(fuse=False),
           "fused": Expr.optimize}


def explain_text(expr: Expr, stage: str | None = None) -> str:
    """The plan of ``expr`` before and after optimization (or at one of dask's ``stage`` names), as text."""
    if stage is None:
        return f"Logical plan:\n{expr.tree_repr(1)}\n\nOptimized plan:\n{expr.optimize(fuse=False).tree_repr(1)}"
    if stage not in _STAGES:
        raise ValueError(f"explain: stage must be one of {sorted(_STAGES)}, got {stage!r}")
    return _STAGES[stage](expr).tree_repr()


def _default_client() -> Any:
    # a client can only exist if distributed was imported by the user
    if "distributed" not in sys.modules or not config.get("use_default_client"):
        return None
    from gpuscale.runtime.distributed import default_client

    return default_client()


def _client_options(options: dict, client: Any) -> dict:
    from gpuscale.runtime import client_options

    return client_options(options, client)


def _graphs_for(client: Any) -> Any:
    """Graphs built in this block are for ``client``'s cluster, or for the local runtime (None); a
    client-like object without a cluster's services (no ``submit``) gets local-runtime graphs."""
    from gpuscale.runtime.distributed import building_graph_for, show_callers_code

    cluster = client is not None and hasattr(client, "submit")
    if cluster:
        show_callers_code()  # the user's code, not gpuscale's compute, recorded for the computation
    return building_graph_for(cluster)


def _choose_client(scheduler: Any) -> tuple:
    """``(the distributed client that runs this or None, the scheduler otherwise)``: an asynchronous client gives
    way to dask's ``admin.async-client-fallback`` scheduler (a blocking call cannot wait for it)."""
    from gpuscale.runtime.distributed import async_client_fallback

    chosen = config.get("scheduler") if scheduler is None else scheduler
    if chosen is None:
        client = _default_client()
    elif isinstance(chosen, str) or not hasattr(chosen, "compute"):
        return None, scheduler  # a local runtime name, or a dask-style ``get`` function
    else:
        client = chosen  # a distributed.Client (or something with the same API)
    fallback = async_client_fallback(client) if client is not None else None
    return (None, fallback) if fallback else (client, scheduler)


def compute(*collections: Any, scheduler: Any = None, traverse: bool = True, **kwargs: Any) -> tuple:
    """Compute several collections at once, sharing their common work.

    Non-collection arguments are returned unchanged; collections inside lists, tuples and dicts are
    computed in place, unless ``traverse=False`` (as dask's ``traverse``: then only the arguments that
    are collections are computed). Other keywords go to :func:`gpuscale.runtime.get`.

    Examples
    --------
    >>> import gpuscale, gpuscale.array as ga   # doctest: +SKIP
    >>> x = ga.arange(10, chunks=5)              # doctest: +SKIP
    >>> gpuscale.compute(x.sum(), x.mean())      # doctest: +SKIP
    (np.int64(45), np.float64(4.5))
    """
    lazy: list = []
    if traverse:
        _find_collections(collections, lazy)
    else:
        lazy = [c for c in collections if _is_dask_collection(c)]
    if not all(isinstance(c, Collection) for c in lazy):  # Delayed, dask's collections: dask computes them all
        values = iter(_computed_by_dask(lazy, scheduler, kwargs))
    else:
        values = iter(_computed(lazy, scheduler, kwargs))
    if not traverse:
        return tuple(next(values) if _is_dask_collection(c) else c for c in collections)
    return tuple(_with_values(c, values) for c in collections)


def _computed(lazy: list, scheduler: Any, kwargs: dict) -> list:
    """The values of gpuscale's collections ``lazy``, on the cluster or the local runtime."""
    client, scheduler = _choose_client(scheduler)
    with _graphs_for(client), _computing(lazy):
        if client is None:
            return list(_compute_locally(lazy, scheduler, kwargs))
        from gpuscale.runtime.distributed import waiting_outside_worker_pool

        # several collections go as one graph planned together (their shared work once): dask would plan
        # each alone (its optimizer runs on the scheduler, where the plans are gone)
        together = Together.of(lazy)
        with waiting_outside_worker_pool():
            return list(client.compute(together or lazy, sync=True, **_client_options(kwargs, client)))


def _computed_by_dask(lazy: list, scheduler: Any, kwargs: dict) -> list:
    """The values of ``lazy`` (dask's collections among them) in order, by ``dask.compute`` once per kind (of
    several kinds it returns each kind's values together, in the order of the kinds, not of its arguments)."""
    import dask

    values: dict = {}  # position -> value
    places: dict = {}
    for i, obj in enumerate(lazy):
        places.setdefault(Collection if isinstance(obj, Collection) else type(obj), []).append(i)
    for where in places.values():
        values.update(zip(where, dask.compute(*(lazy[i] for i in where), scheduler=scheduler, traverse=False,
                                              **kwargs)))
    return [values[i] for i in range(len(lazy))]


def _is_dask_collection(obj: Any) -> bool:
    """Whether ``obj`` is a collection of gpuscale's or of dask's (``Delayed`` too): dask's protocol on its type."""
    return not isinstance(obj, type) and hasattr(type(obj), "__dask_graph__")


def _find_collections(obj: Any, found: list) -> None:
    """The collections (gpuscale's and dask's) in ``obj`` and in the lists, tuples and dicts it nests, in order."""
    if _is_dask_collection(obj):
        found.append(obj)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            _find_collections(item, found)
    elif isinstance(obj, dict):
        for item in obj.values():
            _find_collections(item, found)


def _with_values(obj: Any, values: Iterator) -> Any:
    """``obj`` with its collections replaced by the next ``values`` (the order of :func:`_find_collections`)."""
    if _is_dask_collection(obj):
        return next(values)
    if isinstance(obj, (list, tuple)):
        items = [_with_values(item, values) for item in obj]
        return type(obj)(items) if type(obj) in (list, tuple) else type(obj)(*items)  # namedtuples by field
    if isinstance(obj, dict):
        return {key: _with_values(item, values) for key, item in obj.items()}
    return obj


def _refuse_unrenamed_nodes(graph: dict) -> None:
    """dask's clone / bind rename a graph's keys but not those inside dask ``Task`` nodes: a distributed P2P
    shuffle's barrier (under a new key, still waiting on the old transfers and naming the original's shuffle,
    which the clone would share) failed later as a missing key; refused here, naming the way round."""
    for key, node in graph.items():
        if is_dask_node(node) and getattr(node, "key", key) != key:
            raise NotImplementedError(
                f"dask.graph_manipulation cannot rename the dask Task {node.key!r} (a distributed P2P shuffle's "
                f"barrier); clone / bind collections built with gpuscale.config.set("
                f"{{'dataframe.shuffle.method': 'tasks'}}) around the clone / bind call")


def _renamed_outputs(graph: dict, old: str, new: str | None) -> dict:
    """``graph`` with the keys of the output node ``old`` named ``new``, and the tasks that refer to them (a
    running total reads the previous block of its own output) reading the new keys.  Only the output node's own
    tasks (keys named ``old`` or after it) are rewritten: nothing else in the graph reads the output (walking
    every task was most of the cost of building a large graph)."""
    if new is None:
        return graph

    def renamed(obj: Any) -> Any:
        if type(obj) is tuple:
            if obj and isinstance(obj[0], str) and obj[0] == old:  # (a task may start with an array)
                return (new, *obj[1:])
            return tuple(renamed(item) for item in obj)
        if type(obj) is list:
            return [renamed(item) for item in obj]
        if type(obj) is dict:
            return {k: renamed(v) for k, v in obj.items()}
        return obj

    def output(key: Any) -> bool:  # the node's blocks and its helper tasks ("<name>-carry" of a running total)
        return type(key) is tuple and bool(key) and isinstance(key[0], str) and key[0].startswith(old)

    return dict((renamed(key), renamed(task)) if output(key) else (key, task) for key, task in graph.items())


def _renamed_keys(keys: Any, old: str, new: str) -> Any:
    if isinstance(keys, list):
        return [_renamed_keys(k, old, new) for k in keys]
    return (new, *keys[1:]) if type(keys) is tuple and keys and keys[0] == old else keys


def _computing(collections: list) -> contextlib.ExitStack:
    stack = contextlib.ExitStack()
    for collection in collections:
        stack.enter_context(collection._computing())
    return stack


def _build(collections: list, flat: bool) -> tuple[dict, list]:
    exprs = optimize_together(collections)
    graph: dict = {}
    for expr in exprs:
        graph.update(expr.__dask_graph__())
    keys = [flatten_keys(e.__dask_keys__()) if flat else e.__dask_keys__() for e in exprs]
    return graph, keys


def _build_for(collections: list, flat: bool, kwargs: dict) -> tuple[dict, list]:
    """``_build`` for the local runtime run with ``kwargs``: plans see its options (``memory_limit``, ...)."""
    from gpuscale.runtime.options import compute_options

    with compute_options(kwargs):
        return _build(collections, flat)


def _run(collections: list, scheduler: Any, kwargs: dict, flat: bool) -> tuple[list, list]:
    graph, keys = _build_for(collections, flat, kwargs)
    return keys, _runtime_get(graph, keys, scheduler=scheduler, **kwargs)


def _compute_locally(collections: list, scheduler: Any, kwargs: dict) -> list:
    graph, keys = _build_for(collections, False, kwargs)
    if _runs_in_process(scheduler):
        _refuse_cluster_futures(graph, scheduler)
    if _default_threads(scheduler) and all(c._is_small() for c in collections):
        scheduler = "sync"  # a tiny result: handing tasks to worker threads costs more than running them
    in_place = None
    if len(collections) == 1 and _runs_in_process(scheduler):
        in_place = collections[0]._compute_in_place(graph, keys[0])
    if in_place is not None:
        result, store_keys, *finish = in_place
        _runtime_get(graph, store_keys, scheduler=scheduler, **kwargs)
        return [finish[0](result) if finish else result]
    values = _runtime_get(graph, keys, scheduler=scheduler, **kwargs)
    return [c._finalize(r) for c, r in zip(collections, values)]


def _refuse_cluster_futures(graph: dict, scheduler: Any) -> None:
    """dask's refusal, named: chunks persisted on a distributed cluster (futures) cannot be read by the local
    runtime (they were handed on as values: a Series of futures)."""
    for key, value in graph.items():
        kind = type(value)
        if kind.__name__ == "Future" and kind.__module__.startswith("distributed"):
            raise ValueError(f"{key!r} is held on a distributed cluster (persisted with a Client): compute it "
                             f"with that Client (the default scheduler while it is active), not with the local "
                             f"runtime (scheduler={scheduler!r})")


def _default_threads(scheduler: Any) -> bool:
    """Whether ``scheduler`` leaves the choice to us and that choice is the local threads."""
    if scheduler is not None or config.get("scheduler") is not None:
        return False
    return _runs_in_process(None)


def _runs_in_process(scheduler: Any) -> bool:
    from gpuscale.runtime import runs_in_process

    return runs_in_process(scheduler)


def persist(*collections: Any, scheduler: Any = None, **kwargs: Any) -> tuple:
    """Compute the chunks of several collections and keep them, returning new collections."""
    client, scheduler = _choose_client(scheduler)
    lazy = [c for c in collections if isinstance(c, Collection)]
    with _graphs_for(client), _computing(lazy):
        if client is not None:
            values = iter(client.persist(Together.of(lazy) or lazy, **_client_options(kwargs, client)))
        else:
            values = iter(_persist_locally(lazy, scheduler, kwargs))
    return tuple(next(values) if isinstance(c, Collection) else c for c in collections)


def _persist_locally(collections: list, scheduler: Any, kwargs: dict) -> list:
    _, results = _run(collections, scheduler, kwargs, flat=True)
    # chunks are handed over under each collection's own keys: a joint plan may name nodes differently
    own_keys = [flatten_keys(c.__dask_keys__()) for c in collections]
    return [c._from_persisted(dict(zip(k, r))) for c, k, r in zip(collections, own_keys, results)]
