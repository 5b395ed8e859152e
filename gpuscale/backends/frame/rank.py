"""Partition functions of ``rank`` across partitions: tagged values (``backends/frame/routed.py``) are range-shuffled
into buckets of ascending (descending) value ranges, so equal values meet in one bucket and a bucket's ranks are its
own ranks moved past the values of the buckets before it (``dense``: past their distinct values).  Missing values
all go to the last bucket and are ranked there by ``na_option``.

Only ``Series.rank(method=, ascending=, na_option="keep")``, ``sort_values``, ``count``, ``max`` and arithmetic of
the partition library are used.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import library_of
from gpuscale.backends.frame.routed import OUT, PART, POS, key_labels

__all__ = ["rank_partition", "RANK_METHODS", "BUCKET", "rank_local", "rank_stats", "rank_stats_combine", "rank_finish"]

RANK_METHODS = ("average", "min", "max", "first", "dense")
BUCKET = "__gpuscale_bucket__"
_KEY = key_labels(1)[0]


def rank_local(rows: Any, number: int, method: str = "average", ascending: bool = True) -> Any:
    """Bucket ``number``'s rows in their original order (``PART``, ``POS``) with their rank among its values
    (``OUT``; missing values NaN), whether the value is missing (``_KEY``), and the bucket (``BUCKET``)."""
    ordered = rows.sort_values([PART, POS])
    out = ordered[[PART, POS]]
    out[OUT] = ordered[_KEY].rank(method=method, ascending=ascending, na_option="keep").astype("float64")
    out[_KEY] = ordered[_KEY].isna()
    out[BUCKET] = number
    return out


def rank_stats(local: Any) -> dict:
    """Per bucket present: ``(values, distinct values, missing values)`` (distinct: the largest dense rank)."""
    if len(local) == 0:
        return {}
    valid = int(local[OUT].count())
    top = local[OUT].max()
    distinct = int(top) if valid and top == top else 0
    return {int(local[BUCKET].iloc[0]): (valid, distinct, len(local) - valid)}


def rank_stats_combine(partials: list) -> dict:
    out: dict = {}
    for part in partials:
        out.update(part)
    return out


def rank_finish(local: Any, stats: dict, method: str = "average", na_option: str = "keep",
                pct: bool = False) -> Any:
    """The bucket's ranks among all values: moved past the buckets before it, missing values ranked by
    ``na_option`` ("keep": NaN, "top": first, "bottom": last), divided by the largest rank with ``pct``."""
    if len(local) == 0:
        return local[[PART, POS, OUT]]
    bucket = int(local[BUCKET].iloc[0])
    column = 1 if method == "dense" else 0
    offset = sum(s[column] for b, s in stats.items() if b < bucket)
    valid_total = sum(s[column] for s in stats.values())
    missing_total = sum(s[2] for s in stats.values())
    nan_span = (1 if missing_total else 0) if method == "dense" else missing_total
    ranks = local[OUT] + offset + (nan_span if na_option == "top" else 0)
    missing = local[_KEY]
    if na_option != "keep" and bool(missing.any()):
        ranks = ranks.where(~missing, _missing_ranks(missing, method, valid_total if na_option == "bottom" else 0,
                                                     missing_total))
    if pct:
        ranks = ranks / (valid_total + (nan_span if na_option != "keep" else 0))
    return local[[PART, POS]].assign(**{OUT: ranks})  # (a new frame: pandas 2.2 warns on a column set on a selection)


def _missing_ranks(missing: Any, method: str, before: int, count: int) -> Any:
    """The ranks of the missing values, after ``before`` ranks, each among ``count`` tied missing values (their
    order of appearance for ``first``)."""
    if method == "first":
        return missing.astype("float64").cumsum() + before
    value = {"average": (count + 1) / 2.0, "min": 1.0, "max": float(count), "dense": 1.0}[method]
    return missing.astype("float64") * 0.0 + before + value


def rank_partition(part: Any, **kwargs: Any) -> Any:
    """The library's ``rank(**kwargs)`` of one partition; along each row (``axis=1``) on a host copy for cuDF,
    which ranks down the columns only ("axis=1 is not yet supported in rank")."""
    if kwargs.get("axis") in (1, "columns") and library_of(part) == "cudf":
        from gpuscale.backends.frame.cudf_gaps import on_host

        return on_host(rank_partition, part, **kwargs)
    return part.rank(**kwargs)
