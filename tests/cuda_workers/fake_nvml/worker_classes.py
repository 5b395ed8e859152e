"""A ``distributed.Worker`` subclass for ``worker_class=`` tests; importable in worker processes
because this directory is on their ``PYTHONPATH``."""

from __future__ import annotations

from distributed import Worker


class TaggedWorker(Worker):
    """A Worker that says which class it is (``dask_worker.tag``)."""

    tag = "tagged"
