"""Partition functions of ``duplicated`` and ``DataFrame.value_counts``: each partition marks its own repeated keys;
one tagged row per distinct key of each partition (``backends/frame/routed.py``) meets the other partitions' after a
hash shuffle of the key columns and is marked there in the original row order (:mod:`gpuscale.dataframe.duplicated`).

Only methods pandas and cuDF share: ``sort_values``, ``duplicated(subset=, keep=)``, ``MultiIndex.from_arrays``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import namespace, stable_sort_kind
from gpuscale.backends.frame.routed import OUT, PART, POS, tag_rows

__all__ = ["representatives", "mark_duplicates", "marks_with_representatives", "counts_of_rows"]


def _key_columns(tagged: Any) -> list:
    return [c for c in tagged.columns if c not in (PART, POS)]


def representatives(part: Any, number: int, subset: Any = None, keep: Any = "first") -> Any:
    """The tagged first row of each distinct key of partition ``number`` (``keep="last"``: its last row): the
    other rows of a key are marked, or not, within the partition, so only these need the other partitions."""
    tagged = tag_rows(part, number, subset)
    return tagged[~tagged.duplicated(subset=_key_columns(tagged), keep="last" if keep == "last" else "first")]


def mark_duplicates(rows: Any, keep: Any = "first") -> Any:
    """``PART``, ``POS`` and the duplicate mark (``OUT``) of rows holding every copy of their keys, the copies
    compared in the original order (partition, then position)."""
    ordered = rows.sort_values([PART, POS])
    keys = _key_columns(ordered)
    # (assign: a new frame; pandas 2.2 warns on a column set on a selection of columns)
    return ordered[[PART, POS]].assign(**{OUT: ordered.duplicated(subset=keys, keep=keep)})


def marks_with_representatives(part: Any, marked: Any, subset: Any = None, keep: Any = "first",
                               name: Any = None) -> Any:
    """A partition's marks: its own ``duplicated(keep)``, and the representatives marked among all partitions'
    (``marked``: their ``POS`` and ``OUT``), labelled by its index and called ``name``."""
    tagged = tag_rows(part, 0, subset)
    hits = marked[POS][marked[OUT]]
    out = (tagged.duplicated(subset=_key_columns(tagged), keep=keep) | tagged[POS].isin(hits)).reset_index(drop=True)
    out.index = part.index
    out.name = name
    return out


def counts_of_rows(counts: Any, name: str = "count", one_level: bool = False, sort: bool = True,
                   ascending: bool = False) -> Any:
    """A groupby ``size`` as ``DataFrame.value_counts`` gives it: named, indexed by a MultiIndex also for one
    column, and (``sort``) ordered by count."""
    out = counts.copy()
    out.name = name
    if one_level:
        out.index = namespace(out).MultiIndex.from_arrays([out.index], names=[out.index.name])
    return out.sort_values(ascending=ascending, kind=stable_sort_kind(out)) if sort else out
