"""Partition functions of ``duplicated`` and ``DataFrame.value_counts``: tagged rows (``backends/frame/routed.py``)
meet their equal rows after a hash shuffle of the key columns and are marked there in the original row order
(:mod:`gpuscale.dataframe.duplicated`).

Only methods pandas and cuDF share: ``sort_values``, ``duplicated(subset=, keep=)``, ``MultiIndex.from_arrays``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import namespace, stable_sort_kind
from gpuscale.backends.frame.routed import OUT, PART, POS

__all__ = ["mark_duplicates", "counts_of_rows"]


def mark_duplicates(rows: Any, keep: Any = "first") -> Any:
    """``PART``, ``POS`` and the duplicate mark (``OUT``) of rows holding every copy of their keys, the copies
    compared in the original order (partition, then position)."""
    ordered = rows.sort_values([PART, POS])
    keys = [c for c in ordered.columns if c not in (PART, POS)]
    out = ordered[[PART, POS]]
    out[OUT] = ordered.duplicated(subset=keys, keep=keep)
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
