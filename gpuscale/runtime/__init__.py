"""Run task graphs: ``get(graph, keys, scheduler=None, **options)``.

Executors: ``"sync"`` (reference, in the calling thread), ``"threads"``
(default) and a ``distributed.Client`` (or ``"distributed"`` for the default
client).  See docs/runtime.md.
"""

from gpuscale.runtime.core import get, runs_in_process, warn_ignored_options

__all__ = ["get", "runs_in_process", "warn_ignored_options"]
