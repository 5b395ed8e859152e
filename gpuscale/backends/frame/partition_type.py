"""``Collection._partition_type``: the partition class of a collection (dask's attribute)."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["PartitionType"]


class PartitionType:
    """A descriptor: on a collection, the class of its partitions (pandas' or cuDF's); on the collection
    class, pandas' class of the same name (``DataFrame``, ``Series``, ``Index``), as dask's."""

    def __get__(self, obj: Any, cls: type) -> type:
        if obj is not None:
            return type(obj._meta)
        for klass in cls.__mro__:
            if klass.__name__ in ("DataFrame", "Series", "Index"):
                return getattr(pd, klass.__name__)
        raise AttributeError(f"{cls.__name__} has no partition type")
