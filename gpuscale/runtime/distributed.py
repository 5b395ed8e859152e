"""Run graphs on a Dask distributed cluster: the only runtime module that imports distributed.

``distributed`` is imported lazily, and only looked for when it is already
imported (a process that never imported it has no client).
"""

from __future__ import annotations

import sys
from typing import Any, Mapping

__all__ = ["default_client", "require_default_client", "get_on_client"]


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
