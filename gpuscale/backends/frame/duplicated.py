"""Partition functions of ``duplicated`` across partitions: rows are tagged with their partition and position,
meet their equal rows after a hash shuffle of the key columns, are marked there in the original row order, and
the marks go back to their partitions (:mod:`gpuscale.dataframe.duplicated`).

Only methods pandas and cuDF share: ``reset_index``, ``sort_values``, ``duplicated(subset=, keep=)``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_series_like, namespace, stable_sort_kind

__all__ = ["PART", "POS", "MARK", "duplicated_keys", "tag_rows", "mark_duplicates", "marks_on_partition",
           "counts_of_rows"]

PART, POS, MARK = "__gpuscale_part__", "__gpuscale_pos__", "__gpuscale_dup__"


def duplicated_keys(obj: Any, subset: Any = None) -> Any:
    """The key columns of ``obj.duplicated(subset)`` as a frame (a Series: its values)."""
    if is_series_like(obj):
        return obj.to_frame(name="__gpuscale_value__")
    return obj if subset is None else obj[list(subset)]


def tag_rows(part: Any, number: int, subset: Any = None) -> Any:
    """The partition's key columns, unlabelled, with its number (``PART``) and each row's position (``POS``)."""
    keys = duplicated_keys(part, subset)
    columns = list(keys.columns)
    out = keys.reset_index(drop=True)
    out.columns = [f"__gpuscale_key_{j}__" for j in range(len(columns))]  # (any labels, repeated ones too)
    out = out.reset_index().rename(columns={"index": POS})
    out[PART] = number
    return out


def mark_duplicates(rows: Any, keep: Any = "first") -> Any:
    """``PART``, ``POS`` and the duplicate mark (``MARK``) of rows holding every copy of their keys, the copies
    compared in the original order (partition, then position)."""
    ordered = rows.sort_values([PART, POS])
    keys = [c for c in ordered.columns if c not in (PART, POS)]
    out = ordered[[PART, POS]]
    out[MARK] = ordered.duplicated(subset=keys, keep=keep)
    return out


def marks_on_partition(part: Any, marks: Any, name: Any = None) -> Any:
    """The marks of one partition's rows, in its row order, labelled by its index and called ``name``."""
    ordered = marks.sort_values(POS)[MARK].reset_index(drop=True)
    ordered.index = part.index
    ordered.name = name
    return ordered


def counts_of_rows(counts: Any, name: str = "count", one_level: bool = False, sort: bool = True,
                   ascending: bool = False) -> Any:
    """A groupby ``size`` as ``DataFrame.value_counts`` gives it: named, indexed by a MultiIndex also for one
    column, and (``sort``) ordered by count."""
    out = counts.copy()
    out.name = name
    if one_level:
        out.index = namespace(out).MultiIndex.from_arrays([out.index], names=[out.index.name])
    return out.sort_values(ascending=ascending, kind=stable_sort_kind(out)) if sort else out
