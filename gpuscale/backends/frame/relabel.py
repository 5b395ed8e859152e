"""New index labels from a function or mapping (``Series.rename(index=func)``).

pandas relabels with ``rename(index=...)``; cuDF's ``rename`` only changes the name, so the labels are
mapped on the host and the new index is copied back to the device (labels are small next to the data)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import _detect
from gpuscale.backends.frame.core import convert_library, library_of, namespace
from gpuscale.backends.frame.lookup import share_lookup_table

__all__ = ["relabel_index", "relabel_by_series", "with_name", "relabel_values", "values_on_index", "with_column_labels",
           "labels_of_pairs", "column_labels"]


def _mapper(index: Any) -> Any:
    if callable(index):
        return index
    return lambda label: index[label] if label in index else label  # unmapped labels stay, as pandas' rename


def relabel_index(obj: Any, index: Any) -> Any:
    """``obj`` with each index label replaced by ``index(label)`` (a function) or ``index[label]`` (a
    mapping; labels it lacks stay)."""
    if not _detect.is_cudf_object(obj):
        return obj.rename(index=index)
    host = obj.index.to_pandas()
    if host.nlevels > 1:  # pandas renames each level's labels (Index.map would take the tuples)
        labels = host.to_series().rename(index=index).index
    else:
        labels = host.map(_mapper(index))
    out = obj.copy(deep=False)
    out.index = convert_library(labels, "cudf")
    return out


def relabel_by_series(obj: Any, mapper: Any) -> Any:
    """``obj.rename(mapper)`` with a Series partition ``mapper``: each index label replaced by ``mapper``'s value
    at it (labels it lacks stay).  cuDF's ``Series.rename`` takes a name only ("does not currently support
    relabeling the index"): the labels are looked up on the device when ``mapper`` has them all, else on the
    host."""
    if not _detect.is_cudf_object(obj):
        share_lookup_table(mapper)
        return obj.rename(mapper)
    if mapper.index.is_unique:
        looked_up = mapper.reindex(obj.index)
        if not bool(looked_up.isna().any()):
            out = obj.copy(deep=False)
            out.index = namespace(out).Index(looked_up).rename(obj.index.name)
            return out
    from gpuscale.backends.convert import to_host

    return relabel_index(obj, to_host(mapper))


def with_name(obj: Any, name: Any) -> Any:
    """``obj.rename(name)`` for a name (a scalar or a tuple): cuDF's ``Series.rename`` refuses what its
    ``is_scalar`` does not take (a tuple name), so the name is set on a copy."""
    if not _detect.is_cudf_object(obj):
        return obj.rename(name)
    out = obj.copy(deep=False)
    out.name = name
    return out


def relabel_values(labels: Any, index: Any) -> tuple:
    """The labels (host values, e.g. divisions) mapped as :func:`relabel_index` maps an index."""
    mapper = _mapper(index)
    return tuple(mapper(label) for label in labels)


def values_on_index(part: Any, values: Any) -> Any:
    """``values`` (a Series) with ``part``'s index, by position: an array block assigned as a column of
    the partition it lines up with."""
    if len(values) != len(part):
        raise ValueError(f"a block of {len(values)} values lines up with a partition of {len(part)} rows; "
                         "the array's chunks must match the partition lengths")
    out = convert_library(values, library_of(part)).copy(deep=False)
    out.index = part.index
    return out


def with_column_labels(part: Any, labels: list) -> Any:
    """``part`` with its columns relabelled by position (``df.columns = labels``), for columns a mapping
    cannot rename one by one (a MultiIndex, repeated labels)."""
    out = part.copy(deep=False)
    out.columns = labels
    return out


def column_labels(labels: Any) -> Any:
    """The column Index that ``df.columns = labels`` gives a pandas frame (an Index keeps its name(s), a
    MultiIndex its levels; a list of tuples stays flat, as pandas), as a host (pandas) Index."""
    import pandas as pd

    if _detect.is_cudf_object(labels):
        labels = labels.to_pandas()
    elif not hasattr(labels, "nlevels") and not hasattr(labels, "dtype"):
        labels = list(labels)
    empty = pd.DataFrame(index=[], columns=range(len(labels)))
    empty.columns = labels  # pandas' own conversion (a Series gives its name, an array its dtype)
    return empty.columns


def labels_of_pairs(pairs: list) -> Any:
    """Column labels of two levels from ``(column, function)`` pairs (pandas' labels of an ``agg`` of a list)."""
    import pandas as pd

    return pd.MultiIndex.from_tuples(pairs)
