"""Small helpers shared by the readers and writers: backend, partition size, filters."""

from __future__ import annotations

from typing import Any

from gpuscale import config
from gpuscale.backends import family_of, resolve_frame_backend

__all__ = ["resolve_backend", "partition_bytes_for", "normalize_filters", "new_collection"]


def resolve_backend(backend: str | None) -> str:
    """``"pandas"`` or ``"cudf"`` for a backend name (None: the configured one)."""
    return resolve_frame_backend(backend)


def partition_bytes_for(library: str, requested: Any = None) -> int:
    """Target partition size: ``requested``, else ``dataframe.partition_bytes.<cpu|gpu>``."""
    if requested is not None:
        size = config.parse_bytes(requested)
    else:
        size = config.get(f"dataframe.partition_bytes.{family_of(library)}")
    if not size or size <= 0:
        raise ValueError(f"partition size must be a positive number of bytes, got {requested!r}")
    return size


def normalize_filters(filters: Any) -> list | None:
    """Filters in disjunctive normal form: a list of AND-groups (lists of tuples), or None.

    Accepts a flat list of ``(column, op, value)`` tuples (one AND-group), a
    list of lists (OR of AND-groups) and a mix of both, which is what the
    optimizer makes when it adds pushed-down conjuncts to user filters: every
    loose tuple is ANDed into every group.
    """
    if not filters:
        return None
    groups = [list(f) for f in filters if isinstance(f, list)]
    terms = [tuple(f) for f in filters if isinstance(f, tuple)]
    if len(groups) + len(terms) != len(filters):
        raise TypeError(f"filters must be (column, op, value) tuples or lists of them, got {filters!r}")
    return [group + terms for group in groups] if groups else [terms]


def new_collection(expr: Any) -> Any:
    """The DataFrame / Series / Scalar collection of a frame expression."""
    from gpuscale.dataframe import new_collection as make

    return make(expr)
