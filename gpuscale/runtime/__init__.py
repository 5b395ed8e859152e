"""Run task graphs: ``get(graph, keys, scheduler=None, **options)``.

Executors: ``"sync"`` (reference, in the calling thread), ``"threads"``
(default) and a ``distributed.Client`` (or ``"distributed"`` for the default
client).  With device chunks (CuPy, cuDF) the local executors bound device tasks and
device bytes (``gpuscale.runtime.device``; ``device_stats()`` reports).  See docs/runtime.md.
"""

from gpuscale.runtime.core import client_options, get, runs_in_process, warn_ignored_options
from gpuscale.runtime.device import DeviceStats, device_stats

__all__ = ["get", "runs_in_process", "warn_ignored_options", "client_options", "device_stats", "DeviceStats"]
