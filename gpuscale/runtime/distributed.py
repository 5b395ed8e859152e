"""Run graphs on a Dask distributed cluster: the only runtime module that imports distributed.

``distributed`` is imported lazily, and only looked for when it is already
imported (a process that never imported it has no client).
"""

from __future__ import annotations

import sys
from typing import Any, Mapping

__all__ = ["default_client", "require_default_client", "get_on_client", "refuse_start_in_reimported_main"]


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
