"""Run graphs on a Dask distributed cluster: the only runtime module that imports distributed.

``distributed`` is imported lazily, and only looked for when it is already
imported (a process that never imported it has no client).
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
import time
from typing import Any, Callable, Iterator, Mapping

__all__ = ["cluster_threads", "default_client", "waiting_outside_worker_pool", "show_callers_code",
           "require_default_client", "get_on_client", "refuse_start_in_reimported_main", "building_graph_for",
           "graph_for_cluster", "p2p_shuffle_layer", "cluster_graph", "inline_p2p_outputs", "as_delayed",
           "wait_for_futures", "async_client_fallback", "tune_workers", "cluster_lock_in_worker",
           "plain_compute_scheduler"]


def default_client() -> Any:
    """The ``distributed.Client`` a plain ``compute()`` uses, as dask's (``distributed.get_client``): inside a task
    on a distributed worker, that worker's client (a collection holding the cluster's futures computes there);
    else the default client of this process; None when there is none."""
    if "distributed" not in sys.modules:
        return None
    from distributed import default_client as _default_client
    from distributed.worker import get_worker

    try:
        get_worker()
    except ValueError:  # not in a worker's task
        pass
    else:
        from distributed import get_client

        return get_client()
    try:
        return _default_client()
    except ValueError:  # no client
        return None


def cluster_lock_in_worker(name: str) -> Any:
    """The cluster's lock named ``name`` (``distributed.Lock``) when called in a distributed worker's task, else
    None (see :class:`gpuscale.runtime.locks.NamedLock`)."""
    if "distributed" not in sys.modules:
        return None
    from distributed import Lock
    from distributed.worker import get_worker

    try:
        get_worker()
    except ValueError:  # not in a worker's task
        return None
    return Lock(name)


_COMPUTATION_CODE = "distributed.diagnostics.computations.ignore-modules"


def show_callers_code() -> None:
    """Have distributed record the user's code for a computation gpuscale hands it (the dashboard shows it with
    each computation), not gpuscale's ``compute``: distributed skips the frames of the modules in its
    ``ignore-modules`` option (dask, xarray, cuDF ... by default); gpuscale's and cuda_workers' join them."""
    import dask.config

    modules = dask.config.get(_COMPUTATION_CODE, None)
    if isinstance(modules, list) and not {"gpuscale", "cuda_workers"} <= set(modules):
        dask.config.set({_COMPUTATION_CODE: [*modules, *(m for m in ("gpuscale", "cuda_workers") if m not in modules)]})


@contextlib.contextmanager
def waiting_outside_worker_pool() -> Iterator[None]:
    """Inside a task on a distributed worker, wait for the cluster's results outside the worker's thread pool
    (``secede``, then ``rejoin``), as ``Client.get`` does: the waiting task must not hold the thread the work
    it waits for needs."""
    if "distributed" not in sys.modules:
        yield
        return
    from distributed.worker import thread_state

    if not getattr(thread_state, "key", False):
        yield
        return
    from distributed import rejoin, secede

    secede()
    try:
        yield
    finally:
        rejoin()


def require_default_client() -> Any:
    """The default client; a clear error when there is none."""
    client = default_client()
    if client is None:
        raise ValueError("scheduler='distributed' needs a distributed.Client: "
                         "create one first (distributed.Client(...)) or pass it as scheduler=client")
    return client


def get_on_client(client: Any, graph: Mapping, keys: Any, **options: Any) -> Any:
    """Compute ``keys`` of ``graph`` on ``client``; results keep the structure of ``keys``.  ``options``:
    ``Client.get``'s own (``resources=``, ``retries=``, ``workers=`` ...)."""
    if not hasattr(client, "get"):
        raise TypeError(f"scheduler must be 'sync', 'threads' or a distributed.Client, "
                        f"not {type(client).__name__}")
    return client.get(dict(graph), keys, sync=True, **options)


def as_delayed(value: Any) -> Any:
    """A ``distributed.Future`` as a dask ``Delayed`` of its result (its graph holds the future, which a cluster
    reads as the data it stands for); anything else unchanged."""
    if "distributed" not in sys.modules:
        return value
    from distributed import Future

    if not isinstance(value, Future):
        return value
    import dask

    return dask.delayed(value)


async def wait_for_futures(collection: Any) -> Any:
    """``collection`` once the ``distributed.Future`` objects in its graph are done (``await client.persist(x)``
    with an asynchronous client); at once when it holds none."""
    if "distributed" in sys.modules:
        from distributed import futures_of, wait

        futures = futures_of(collection)
        if futures:
            await wait(futures)
    return collection


def async_client_fallback(client: Any) -> Any:
    """The scheduler a blocking ``compute()`` / ``persist()`` uses in place of an asynchronous ``client`` (which
    only ``await`` can use), as dask's: dask's ``admin.async-client-fallback`` option with a warning, else a
    ``RuntimeError``; None for a client that is not asynchronous."""
    if not getattr(client, "asynchronous", False):
        return None
    import warnings

    import dask.config

    fallback = dask.config.get("admin.async-client-fallback", None)
    if not fallback:
        raise RuntimeError("Attempting to use an asynchronous Client in a synchronous context of `dask.compute`: "
                           "use `await client.compute(x)` / `client.persist(x)`, or set dask's "
                           "'admin.async-client-fallback' to a local scheduler")
    warnings.warn(f"Distributed Client detected but Client instance is asynchronous. Falling back to `{fallback}` "
                  "scheduler. To use an asynchronous Client, please use ``Client.compute`` and ``Client.gather``",
                  UserWarning, stacklevel=4)
    return fallback


def refuse_start_in_reimported_main(what: str) -> None:
    """Raise ``RuntimeError`` if a spawned worker process is re-running the main script to start ``what``.

    Worker processes started by ``spawn`` or ``forkserver`` import the parent's
    script as ``__mp_main__``; without an ``if __name__ == "__main__":`` guard the
    script starts a cluster again in every worker, and the original cluster
    waits for workers that never come.  Failing here names the fix.

    Parameters
    ----------
    what : str
        The cluster being started (``"LocalCUDACluster"``), for the message.

    Raises
    ------
    RuntimeError
        In a child process while it imports the parent's main module.
    """
    if _main_script_being_imported():
        raise RuntimeError(
            f"{what} was started while a worker process re-imported the main script: start clusters under an "
            "'if __name__ == \"__main__\":' guard, so worker processes (started with spawn or forkserver, "
            "which import the main script again as __mp_main__) do not start clusters of their own")


def _main_script_being_imported() -> bool:
    """True if the top-level code of the main script runs as ``__mp_main__`` (a spawned child's import)."""
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") == "__mp_main__":
            return True
        frame = frame.f_back
    return False


# -- graphs for a cluster ----------------------------------------------------------------------
_graph_for_cluster: contextvars.ContextVar = contextvars.ContextVar("gpuscale_graph_for_cluster", default=None)


@contextlib.contextmanager
def building_graph_for(cluster: bool) -> Iterator[None]:
    """Within the block, graphs are built for a cluster (``True``) or for the local runtime (``False``).

    Collections that know where they run say so; without it,
    :func:`graph_for_cluster` follows the scheduler a plain ``compute()`` would use.
    """
    token = _graph_for_cluster.set(bool(cluster))
    try:
        yield
    finally:
        _graph_for_cluster.reset(token)


def graph_for_cluster() -> bool:
    """Whether the graph being built will run on a distributed cluster (so it may use cluster services
    such as the P2P shuffle, which the local runtime does not have).

    Where no compute of gpuscale's said so (:func:`building_graph_for`), the scheduler that runs the graph
    decides: that of a ``dask.compute`` / ``dask.persist`` building it (its ``scheduler=``, else dask's
    ``scheduler`` option, else the default client, as dask chooses), or the client of a ``Client.compute`` /
    ``Client.persist`` building it (a client that is not the default one too); else the one a plain
    ``compute()`` would use (gpuscale's ``scheduler`` option, a local scheduler named in dask's, else the
    default client).
    """
    explicit = _graph_for_cluster.get()
    if explicit is not None:
        return explicit
    if "distributed" in sys.modules:  # else no client exists
        caller = _building_caller(sys._getframe(1))
        if caller is not None:
            kind, scheduler = caller
            if kind == "client":
                return True
            return _runs_on_cluster(_dask_scheduler() if scheduler is None else scheduler, True)
    return _runs_on_cluster(plain_compute_scheduler(), False)


_entry_codes: dict = {}  # code object -> "dask" / "client": the calls that build graphs for a scheduler they know


def _building_caller(frame: Any) -> tuple | None:
    """``("dask", its scheduler= argument)`` or ``("client", the client)`` for the nearest ``dask.compute`` /
    ``dask.persist`` / ``Client.compute`` / ``Client.persist`` in the calling stack; None when there is none.
    dask tells a collection nothing of the scheduler it will run the graph with: only the call knows."""
    codes = _entry_points()
    while frame is not None:
        kind = codes.get(frame.f_code)
        if kind is not None:
            return kind, frame.f_locals.get("scheduler" if kind == "dask" else "self")
        frame = frame.f_back
    return None


def _entry_points() -> dict:
    if len(_entry_codes) < 4:  # filled once dask.base and distributed.client are imported
        import inspect

        client = getattr(sys.modules.get("distributed.client"), "Client", None)
        for kind, owner in (("dask", sys.modules.get("dask.base")), ("client", client)):
            for name in ("compute", "persist"):
                function = getattr(owner, name, None)
                code = getattr(inspect.unwrap(function), "__code__", None) if function is not None else None
                if code is not None:
                    _entry_codes[code] = kind
    return _entry_codes


def _dask_scheduler() -> Any:
    """dask's ``scheduler`` option (None when unset)."""
    import dask.config

    return dask.config.get("scheduler", None)


def plain_compute_scheduler() -> Any:
    """The scheduler option a plain ``compute()`` follows: gpuscale's, else a local scheduler named in dask's
    (dask's names ``dask.distributed`` while a default client exists: the default client, as before)."""
    from gpuscale import config

    chosen = config.get("scheduler")
    if chosen is None and "dask" in sys.modules:
        named = _dask_scheduler()
        if not (isinstance(named, str) and named.strip().lower() in ("distributed", "dask.distributed")):
            chosen = named
    return chosen


def _runs_on_cluster(scheduler: Any, by_dask: bool) -> bool:
    """Whether ``scheduler`` (a name, a client, a client's ``get``, a ``get`` function or None: the default
    client if any) runs graphs on a cluster.  ``by_dask``: dask runs the graph, so an asynchronous client
    gives way to a local fallback, and the default client is used whatever gpuscale's ``use_default_client``."""
    from gpuscale import config

    if scheduler is None:
        client = default_client() if by_dask or config.get("use_default_client") else None
    elif isinstance(scheduler, str):
        if scheduler.strip().lower() not in ("distributed", "dask.distributed"):
            return False  # sync, threads, processes
        client = default_client()
    else:
        client = getattr(scheduler, "__self__", scheduler)  # scheduler=client.get: a bound method of the client
    import concurrent.futures

    if client is None or not hasattr(client, "submit") or isinstance(client, concurrent.futures.Executor):
        return False
    return not (by_dask and getattr(client, "asynchronous", False))


_THREADS_TTL_S = 10.0  # workers come and go: ask the scheduler again after this long
_threads_seen: dict = {}  # client id (unique per client, unlike id()) -> (time asked, worker threads)


def cluster_threads() -> int | None:
    """The worker threads of the cluster the default client talks to (asked at most every few seconds), or
    None where there is no such client or it cannot say (an asynchronous client)."""
    from gpuscale.runtime.core import resolve_scheduler

    executor = resolve_scheduler(None)
    nthreads = getattr(executor, "nthreads", None)
    if isinstance(executor, str) or not callable(nthreads) or getattr(executor, "asynchronous", False):
        return None
    now = time.monotonic()
    client_id = getattr(executor, "id", None) or id(executor)
    seen = _threads_seen.get(client_id)
    if seen is not None and now - seen[0] < _THREADS_TTL_S:
        return seen[1]
    try:
        counts = nthreads()
    except Exception:  # a closed or reconnecting client: plan without the count
        return None
    total = sum(counts.values()) if isinstance(counts, dict) else 0
    _threads_seen[client_id] = (now, total)
    return total or None


def p2p_shuffle_layer(name: str, inputs: list, n_out: int, wire_meta: Any, prepare: Callable,
                      prepare_args: tuple, finish: Callable, finish_args: tuple, refs: tuple = ()) -> dict:
    """The tasks of a shuffle run by distributed's peer-to-peer (P2P) shuffle service.

    One transfer task per input partition hands its rows to the workers'
    shuffle service (``prepare(part, *refs, *prepare_args)`` gives the frame it
    takes: an integer column names each row's output partition), one barrier
    task waits for every transfer, and one task per output ``(name, j)`` takes
    its rows from the service (``finish(frame, *finish_args)`` rebuilds the
    partition).  The task count grows linearly with the partitions, where an
    all-to-all of tasks grows with their product; the service moves Arrow
    shards between workers and spills them to the workers' disks.

    Transfers and unpacks are plain task tuples, which the scheduler converts
    as it converts the rest of the graph: building dask ``Task`` objects on the
    client took a fifth of the graph build of a 10,000-partition merge.  Only the
    barrier is a ``Task`` (distributed finds the shuffle's spec on it).

    Parameters
    ----------
    name : str
        Name of the output keys; also the shuffle's id on the cluster.
    inputs : list
        Keys of the input partitions, in order.
    n_out : int
        Number of output partitions.
    wire_meta : pandas.DataFrame
        Empty frame shaped like what ``prepare`` returns.
    prepare, prepare_args, finish, finish_args : callable, tuple
        See above.
    refs : tuple of keys
        Keys of other graph values ``prepare`` needs (e.g. sort boundaries).
    """
    import dask.config
    from dask._task_spec import TaskRef
    from distributed.shuffle._core import P2PBarrierTask, ShuffleId, barrier_key, p2p_barrier
    from distributed.shuffle._shuffle import DataFrameShuffleSpec

    shuffle_id = ShuffleId(name)
    transfer = "p2p-transfer-" + name
    layer: dict = {(transfer, i): (_p2p_transfer, key, name, i, prepare, *refs, *prepare_args)
                   for i, key in enumerate(inputs)}
    spec = DataFrameShuffleSpec(id=shuffle_id, npartitions=n_out, column=_PARTITION_COLUMN, meta=wire_meta,
                                parts_out=n_out, disk=bool(dask.config.get("distributed.p2p.storage.disk", True)),
                                drop_column=True)
    barrier = P2PBarrierTask(barrier_key(shuffle_id), p2p_barrier, name, *map(TaskRef, layer), spec=spec)
    layer[barrier.key] = barrier
    layer.update({(name, j): (_p2p_unpack, name, j, barrier.key, finish, *finish_args) for j in range(n_out)})
    return layer


_PARTITION_COLUMN = "__gpuscale_partition"  # the column prepare adds (gpuscale.backends.frame.p2p)


def _p2p_transfer(part: Any, shuffle_id: str, i: int, prepare: Callable, *args: Any) -> int:
    from distributed.shuffle._shuffle import shuffle_transfer

    return shuffle_transfer(prepare(part, *args), shuffle_id, i)


def _p2p_unpack(shuffle_id: str, j: int, run_id: int, finish: Callable, *args: Any) -> Any:
    from distributed.shuffle._shuffle import shuffle_unpack

    return finish(shuffle_unpack(shuffle_id, j, run_id), *args)


_tuned_clients: set = set()  # ids of the clients whose workers were asked to reuse large blocks


def tune_workers(client: Any = None) -> bool:
    """Ask the workers of ``client`` (default: the default client) once to let malloc reuse partition-sized
    blocks (:func:`gpuscale.runtime.allocator.reuse_large_blocks`; option ``distributed.reuse_large_blocks``).
    True when it asked; a client that cannot be asked now (asynchronous, closed) is skipped."""
    from gpuscale import config
    from gpuscale.runtime.allocator import reuse_large_blocks

    if client is None:
        from gpuscale.runtime.core import resolve_scheduler

        client = resolve_scheduler(None)
    client_id = getattr(client, "id", None)
    if client_id is None or client_id in _tuned_clients or getattr(client, "asynchronous", False) \
            or not hasattr(client, "run") or not config.get("distributed.reuse_large_blocks"):
        return False
    if _in_event_loop():  # a blocking call from the loop's own thread would wait for itself
        return False
    _tuned_clients.add(client_id)
    try:
        client.run(reuse_large_blocks)
    except Exception:  # a tuning, never a reason to fail a computation
        return False
    return True


def _in_event_loop() -> bool:
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def cluster_graph(expr: Any, keep: Any = (), layers: dict | None = None) -> dict:
    """The graph of the expression ``expr`` as a ``distributed.Client`` receives it: each node's tasks,
    with the P2P unpack tasks fused into their readers (:func:`inline_p2p_outputs`) and each input
    partition of a P2P shuffle that only the shuffle reads fused into its transfer task.

    A partition made in the transfer task that sends it never waits in the worker's memory as a
    result of its own, and the scheduler has one task less per input partition.  Readers are only
    looked for among the tasks of the nodes that use the node making the keys (a node's tasks refer
    to its operands' keys only), not in the whole graph.  ``layers``: ``expr.graph_layers()`` when already made.
    """
    graph: dict = {}
    layers = expr.graph_layers() if layers is None else layers
    dependents: dict = {}
    for node in expr.walk():
        graph.update(layers[node._name])
        for dep in node.dependencies():
            dependents.setdefault(dep._name, []).append(node._name)
    keep = set(keep)
    unpacks: set = set()
    inputs: set = set()
    for name, layer in layers.items():  # a P2P shuffle's node: its outputs are unpacks, its inputs transfers
        if _is_unpack(layer.get((name, 0))):
            unpacks.update(key for key, task in layer.items() if _is_unpack(task) and key not in keep)
            inputs.update(task[1] for task in layer.values() if _is_transfer(task) and task[1] not in keep)
    for keys in (unpacks, inputs):
        users = {user for name in {key[0] for key in keys} for user in dependents.get(name, ())}
        readers = [key for user in users for key in layers[user]]
        _inline_single_readers(graph, keys, readers)
    return graph


def inline_p2p_outputs(graph: Mapping, keep: Any = (), readers: Any = None) -> dict:
    """``graph`` with each P2P unpack task fused into its only consumer (as dask's P2P hash join does).

    An output partition of a P2P shuffle is usually read by one task (the
    merge or aggregation of partition ``j``); taking it from the shuffle service
    inside that task saves a task, and a hand-off, per output partition.  The
    service pins whichever task unpacks partition ``j`` to the worker that holds
    it, and a task that reads two shuffles (a merge) gets the same worker for
    both.  Unpack tasks in ``keep`` (requested results) stay.  ``readers``: the
    keys of every task that may read an unpack (None: any task of ``graph``).
    """
    keep = set(keep)
    out = dict(graph)
    unpacks = {k for k, v in graph.items() if _is_unpack(v) and k not in keep}
    if unpacks:
        _inline_single_readers(out, unpacks, graph if readers is None else readers)
    return out


def _inline_single_readers(graph: dict, inner: set, readers: Any) -> None:
    """Fuse each task of ``inner`` read by only one of the tasks ``readers`` into that task, in place."""
    from gpuscale.graph import is_dask_node, istask, task_dependencies

    inner = {key for key in inner if key in graph}  # an input fused into another task already is gone
    consumers: dict = {}
    for key in readers:
        task = graph.get(key)
        if istask(task) or is_dask_node(task):
            for dep in task_dependencies(task, inner):
                if dep in inner:  # a dask node names all its dependencies (a P2P barrier: the transfers)
                    consumers.setdefault(dep, []).append(key)
    for key, readers_of_it in consumers.items():
        if len(readers_of_it) == 1 and istask(graph[key]):
            reader = readers_of_it[0]
            graph[reader] = _inline_task(graph[reader], key, graph[key], graph)
            del graph[key]


def _is_unpack(task: Any) -> bool:
    return type(task) is tuple and bool(task) and task[0] is _p2p_unpack


def _is_transfer(task: Any) -> bool:
    return type(task) is tuple and bool(task) and task[0] is _p2p_transfer


def _inline_task(task: Any, key: Any, inner: tuple, graph: Mapping) -> Any:
    """``task`` with the references to ``key`` replaced by the nested task ``inner``."""
    if type(task) is tuple:
        return _substitute(task, key, inner)
    from dask._task_spec import convert_legacy_task

    return task.substitute({key: convert_legacy_task(key, inner, set(graph))})


def _substitute(task: Any, key: Any, inner: tuple) -> Any:
    typ = type(task)
    if typ is tuple:
        if task and callable(task[0]):
            return (task[0], *[_substitute(arg, key, inner) for arg in task[1:]])
        return inner if task == key else task
    if typ is list:
        return [_substitute(arg, key, inner) for arg in task]
    return task


def process_pool_get() -> Any:
    """dask's process-pool scheduler, for ``scheduler="processes"`` in ported code: the local runtime runs
    threads in this process, while a gpuscale graph is in dask's graph format, which dask's pool runs (functions
    and results pickled between processes, as under dask; a script needs its ``if __name__ == "__main__":``)."""
    from dask.multiprocessing import get

    return get
