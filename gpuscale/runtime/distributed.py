"""Run graphs on a Dask distributed cluster: the only runtime module that imports distributed.

``distributed`` is imported lazily, and only looked for when it is already
imported (a process that never imported it has no client).
"""

from __future__ import annotations

import contextlib
import contextvars
import sys
from typing import Any, Callable, Iterator, Mapping

__all__ = ["default_client", "require_default_client", "get_on_client", "refuse_start_in_reimported_main",
           "building_graph_for", "graph_for_cluster", "p2p_shuffle_layer", "inline_p2p_outputs"]


def default_client() -> Any:
    """The default ``distributed.Client`` of this process, or None."""
    if "distributed" not in sys.modules:
        return None
    from distributed import default_client as _default_client
    try:
        return _default_client()
    except ValueError:  # no client
        return None


def require_default_client() -> Any:
    """The default client; a clear error when there is none."""
    client = default_client()
    if client is None:
        raise ValueError("scheduler='distributed' needs a distributed.Client: "
                         "create one first (distributed.Client(...)) or pass it as scheduler=client")
    return client


def get_on_client(client: Any, graph: Mapping, keys: Any) -> Any:
    """Compute ``keys`` of ``graph`` on ``client``; results keep the structure of ``keys``."""
    if not hasattr(client, "get"):
        raise TypeError(f"scheduler must be 'sync', 'threads' or a distributed.Client, "
                        f"not {type(client).__name__}")
    return client.get(dict(graph), keys, sync=True)


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
    such as the P2P shuffle, which the local runtime does not have)."""
    explicit = _graph_for_cluster.get()
    if explicit is not None:
        return explicit
    from gpuscale.runtime.core import resolve_scheduler

    executor = resolve_scheduler(None)
    return not isinstance(executor, str) and hasattr(executor, "submit")


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
    from dask._task_spec import Task, TaskRef
    from distributed.shuffle._core import P2PBarrierTask, ShuffleId, barrier_key, p2p_barrier
    from distributed.shuffle._shuffle import DataFrameShuffleSpec

    shuffle_id = ShuffleId(name)
    ref_args = tuple(TaskRef(k) for k in refs)
    transfers = [Task(("p2p-transfer-" + name, i), _p2p_transfer, TaskRef(key), name, i, prepare,
                      *ref_args, *prepare_args) for i, key in enumerate(inputs)]
    spec = DataFrameShuffleSpec(id=shuffle_id, npartitions=n_out, column=_PARTITION_COLUMN, meta=wire_meta,
                                parts_out=n_out, disk=bool(dask.config.get("distributed.p2p.storage.disk", True)),
                                drop_column=True)
    barrier = P2PBarrierTask(barrier_key(shuffle_id), p2p_barrier, name, *(t.ref() for t in transfers), spec=spec)
    layer: dict = {t.key: t for t in transfers}
    layer[barrier.key] = barrier
    for j in range(n_out):
        layer[(name, j)] = Task((name, j), _p2p_unpack, name, j, barrier.ref(), finish, *finish_args)
    return layer


_PARTITION_COLUMN = "__gpuscale_partition"  # the column prepare adds (gpuscale.backends.frame.p2p)


def _p2p_transfer(part: Any, shuffle_id: str, i: int, prepare: Callable, *args: Any) -> int:
    from distributed.shuffle._shuffle import shuffle_transfer

    return shuffle_transfer(prepare(part, *args), shuffle_id, i)


def _p2p_unpack(shuffle_id: str, j: int, run_id: int, finish: Callable, *args: Any) -> Any:
    from distributed.shuffle._shuffle import shuffle_unpack

    return finish(shuffle_unpack(shuffle_id, j, run_id), *args)


def inline_p2p_outputs(graph: Mapping, keep: Any = ()) -> dict:
    """``graph`` with each P2P unpack task fused into its only consumer (as dask's P2P hash join does).

    An output partition of a P2P shuffle is usually read by one task (the
    merge or aggregation of partition ``j``); taking it from the shuffle service
    inside that task saves a task, and a hand-off, per output partition.  The
    service pins whichever task unpacks partition ``j`` to the worker that holds
    it, and a task that reads two shuffles (a merge) gets the same worker for
    both.  Unpack tasks in ``keep`` (requested results) stay.
    """
    from dask._task_spec import GraphNode, Task, convert_legacy_task

    from gpuscale.graph import task_dependencies

    keep = set(keep)
    unpacks = {k for k, v in graph.items()
               if isinstance(v, Task) and v.func is _p2p_unpack and k not in keep}
    if not unpacks:
        return dict(graph)
    readers: dict = {}
    for key, task in graph.items():
        deps = task.dependencies & unpacks if isinstance(task, GraphNode) else task_dependencies(task, unpacks)
        for dep in deps:
            readers.setdefault(dep, []).append(key)
    inline: dict = {}
    for unpack, consumers in readers.items():
        if len(consumers) == 1:
            inline.setdefault(consumers[0], []).append(unpack)
    out, all_keys = dict(graph), set(graph)
    for consumer, fused in inline.items():
        node = convert_legacy_task(consumer, graph[consumer], all_keys)
        if not isinstance(node, Task):
            continue
        out[consumer] = node.substitute({u: graph[u] for u in fused})
        for unpack in fused:
            del out[unpack]
    return out
