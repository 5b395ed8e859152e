"""Work done away from the rows' partitions and routed back (``duplicated``, ``rank``): each partition's key
columns are tagged with its number and the rows' positions (``MapIndexed``), shuffled to where the work needs
them, and the one result column goes back by a range shuffle on the partition number, onto each partition's own
index (partitions and divisions kept).  Partition functions: :mod:`gpuscale.backends.frame.routed`."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["tagged_keys", "routed_home"]


def tagged_keys(obj: Any, subset: Any, label: str, tag: Any = None, **kwargs: Any) -> tuple:
    """``(expression, sample, key labels)`` of ``obj``'s key columns tagged with partition and position (``tag``:
    another tagging function of the same shape, given ``kwargs``)."""
    from gpuscale.dataframe.expr.indexed import MapIndexed

    tag = tag or bf.tag_rows
    sample = tag(obj._meta, 0, subset, **kwargs)
    keys = tuple(c for c in sample.columns if c not in (bf.PART, bf.POS))
    return MapIndexed(obj.expr, tag, {"subset": subset, **kwargs}, sample, f"{label}-tag", False), sample, keys


def routed_home(obj: Any, results: Any, meta: Any, label: str, finish: Any = None, **kwargs: Any) -> Any:
    """The collection of ``results`` (tagged rows with an ``OUT`` column, anywhere) on ``obj``'s partitions, in
    their row order, with their index, divisions and ``meta``'s name (``finish(partition, its results, name=,
    **kwargs)``: another way to lay them on the partition)."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.expr.shuffle import RangeShuffle
    from gpuscale.dataframe.expr.sorting import WithDivisions

    n = obj.npartitions
    home = RangeShuffle(results, bf.PART, bf.host_series(list(range(1, n))), n, True, "last")
    out = map_partitions_expr(finish or bf.results_on_partition, obj.expr, home, kwargs={"name": meta.name, **kwargs},
                              meta=meta, label=label, positional=True)
    return new_collection(WithDivisions(out, tuple(obj.divisions)) if obj.known_divisions else out)
