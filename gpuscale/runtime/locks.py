"""Named locks that hold across the tasks of one computation, wherever its graph is run.

A lock object put into a graph is pickled with the tasks that use it (by a
distributed client, or a process pool); each unpickled copy must still be the
same lock.  :class:`NamedLock` finds its lock by name: the threads of one
process share one ``threading.Lock`` per name, and with ``cluster=True`` tasks
running on a distributed worker take the cluster's lock of that name
(``distributed.Lock``), so writes from different worker processes exclude each
other too, as dask's ``get_scheduler_lock`` gives for a distributed client.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from typing import Any

__all__ = ["NamedLock"]


class _ProcessLock:
    """A ``threading.Lock`` that weak references can name (the registry forgets locks nobody holds)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()


_PROCESS_LOCKS: "weakref.WeakValueDictionary[str, _ProcessLock]" = weakref.WeakValueDictionary()
_REGISTRY_GUARD = threading.Lock()


def _process_lock(name: str) -> _ProcessLock:
    with _REGISTRY_GUARD:
        found = _PROCESS_LOCKS.get(name)
        if found is None:
            found = _PROCESS_LOCKS[name] = _ProcessLock()
        return found


class NamedLock:
    """A lock shared by every copy of it (pickled or not) in a process, and with ``cluster=True`` by every
    task of a distributed cluster.

    Parameters
    ----------
    cluster : bool
        Whether tasks on distributed workers take the cluster-wide lock of the name (writes into one target
        from several processes); otherwise each process has its own lock of the name (enough for readers
        such as h5py, which are not thread-safe but may read from several processes).
    name : str, optional
        The lock's name (default: a new unique one).

    Examples
    --------
    >>> import pickle
    >>> from gpuscale.runtime.locks import NamedLock
    >>> lock = NamedLock()
    >>> copy = pickle.loads(pickle.dumps(lock))
    >>> with lock:
    ...     copy.acquire(False)
    False
    >>> copy.acquire(False)
    True
    >>> copy.release()
    """

    def __init__(self, cluster: bool = False, name: str | None = None) -> None:
        self.cluster, self.name = cluster, name or f"gpuscale-lock-{uuid.uuid4().hex}"
        self._held: Any = None

    def _lock(self) -> Any:
        if self._held is None:
            if self.cluster:
                from gpuscale.runtime.distributed import cluster_lock_in_worker

                self._held = cluster_lock_in_worker(self.name)
            if self._held is None:
                self._held = _process_lock(self.name)
        return self._held

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        lock = self._lock()
        if isinstance(lock, _ProcessLock):
            return lock.lock.acquire(blocking, timeout)
        return bool(lock.acquire(blocking=blocking, timeout=None if timeout is None or timeout < 0 else timeout))

    def release(self) -> None:
        lock = self._lock()
        (lock.lock if isinstance(lock, _ProcessLock) else lock).release()

    def __enter__(self) -> "NamedLock":
        self.acquire()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release()

    def __getstate__(self) -> dict:
        return {"cluster": self.cluster, "name": self.name}

    def __setstate__(self, state: dict) -> None:
        self.cluster, self.name, self._held = state["cluster"], state["name"], None

    def __gpuscale_tokenize__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"NamedLock({self.name!r}, cluster={self.cluster})"
