"""Small helpers shared by the readers and writers: backend, partition size, filters."""

from __future__ import annotations

from typing import Any

from gpuscale import config
from gpuscale.backends import family_of, resolve_frame_backend

__all__ = ["resolve_backend", "partition_bytes_for", "user_filters", "split_filters", "new_collection",
           "partitions_read_by"]


def resolve_backend(backend: str | None) -> str:
    """``"pandas"`` or ``"cudf"`` for a backend name (None: the configured one)."""
    return resolve_frame_backend(backend)


def default_partition_bytes(family: str) -> int:
    """``dataframe.partition_bytes.<family>``; on a GPU, unless set, derived from the device's memory."""
    if family == "gpu":
        from gpuscale.backends.device_memory import gpu_target_bytes

        return gpu_target_bytes("dataframe.partition_bytes.gpu")
    return config.get("dataframe.partition_bytes.cpu")


def partition_bytes_for(library: str, requested: Any = None) -> int:
    """Target partition size: ``requested``, else ``dataframe.partition_bytes.<cpu|gpu>``."""
    if requested is not None:
        size = config.parse_bytes(requested)
    else:
        size = default_partition_bytes(family_of(library))
    if not size or size <= 0:
        raise ValueError(f"partition size must be a positive number of bytes, got {requested!r}")
    return size


def user_filters(filters: Any) -> list | None:
    """User ``filters=`` as a list of AND-groups (lists of tuples): ``[(...)]`` becomes ``[[(...)]]``.

    As pyarrow, a predicate may be a list (``[["a", ">", 5]]`` is one predicate: a list whose first item's
    first item is a string is one AND-group).  Raises ``TypeError`` for a filter that is not a list, and
    ``ValueError`` ("Malformed filters", as pandas / dask) for an empty group or a predicate that is not
    ``(column, op, value)``.
    """
    if filters is None or (isinstance(filters, (list, tuple)) and not filters):
        return None
    if not isinstance(filters, (list, tuple)) or not all(isinstance(f, (list, tuple)) for f in filters):
        raise TypeError("filters must be a list of (column, op, value) tuples or a list of such lists, got "
                        f"{filters!r}")
    groups = [filters] if filters[0] and isinstance(filters[0][0], str) else filters
    return [[_predicate(term, filters) for term in _group(group, filters)] for group in groups]


def _group(group: Any, filters: Any) -> Any:
    if not isinstance(group, (list, tuple)) or not group:
        raise ValueError(f"Malformed filters: {group!r} in {filters!r} is not a non-empty list of "
                         "(column, op, value) predicates")
    return group


def _predicate(term: Any, filters: Any) -> tuple:
    if not isinstance(term, (list, tuple)) or len(term) != 3:
        raise ValueError(f"Malformed filters: {term!r} in {filters!r} is not a (column, op, value) predicate")
    return tuple(term)


def split_filters(filters: Any) -> tuple[list | None, list]:
    """``(user AND-groups, pushed conjuncts)`` of a reader's ``filters`` operand.

    ``read_parquet`` stores the user's filters as AND-groups (lists); the
    optimizer appends the conjuncts it pushes down as loose tuples.  The two
    differ in meaning for missing values: user filters follow pyarrow (a
    missing value never matches), pushed ones follow the pandas mask they came
    from (``!=`` matches a missing value).
    """
    groups = [list(f) for f in filters or [] if isinstance(f, list)]
    pushed = [tuple(f) for f in filters or [] if isinstance(f, tuple)]
    return groups or None, pushed


def new_collection(expr: Any) -> Any:
    """The DataFrame / Series / Scalar collection of a frame expression."""
    from gpuscale.dataframe import new_collection as make

    return make(expr)


def partitions_read_by(read: Any, pieces: list, spec: Any, meta: Any, library: str, label: str,
                       divisions: Any = None) -> Any:
    """The lazy frame whose partition ``i`` is ``read(pieces[i], spec)``: ``meta`` (a pandas frame) in
    ``library``; ``read`` may take ``columns=`` (the columns the computation needs)."""
    from gpuscale.backends import frame as bf
    from gpuscale.backends.io import frame_to_backend
    from gpuscale.dataframe.interop import from_map

    meta = bf.make_meta(frame_to_backend(getattr(meta, "_meta", meta), library))
    return from_map(read, pieces, args=(spec,), meta=meta, divisions=divisions, label=label)
