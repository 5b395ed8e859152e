"""``merge_asof``: nearest-key joins of frames sorted by their keys, as ``dask.dataframe.merge_asof``.

Merged on the indexes (``left_index=True, right_index=True``), both sides need known divisions; merged
on columns (``on=`` / ``left_on=`` / ``right_on=``), each side is indexed by its key first
(``set_index(key, sorted=True)``: the keys must be sorted across partitions, as dask requires) and the
result has pandas' columns, a per-partition index and unknown divisions.  Each left partition is merged
with the right rows that can match it (see :mod:`gpuscale.backends.frame.merge_asof`): no shuffle.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.base import FrameExpr
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.expr import cached_bottom_up

__all__ = ["merge_asof", "MergeAsof"]


class MergeAsof(FrameExpr):
    """Left partition ``i`` merged with the right partitions ``plan[i][0]``, the edge rows of the earlier
    partitions ``plan[i][1]`` and of the later ones ``plan[i][2]``."""

    _parameters = ["left", "right", "tails", "heads", "plan", "kwargs", "reset", "meta_", "right_meta"]

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.meta_

    def _divisions(self) -> tuple:
        return (None,) * (self.left.npartitions + 1) if self.reset else tuple(self.left.divisions)

    def _layer(self) -> dict:
        layer = {}
        for i, (overlap, before, after) in enumerate(self.plan):
            layer[(self._name, i)] = (
                bf.apply_kwargs, bf.merge_asof_partition,
                {"kwargs": dict(self.kwargs), "reset": self.reset, "meta": self.meta_},
                (self.left._name, i), self.right_meta, [(self.right._name, j) for j in overlap],
                [(self.tails._name, j) for j in before], [(self.heads._name, j) for j in after])
        return layer

    def _tree_label(self) -> str:
        return f"MergeAsof: {dict(self.kwargs)!r}  [npartitions={self.left.npartitions}]"


def _plan(left_divisions: tuple, right_divisions: tuple, direction: str) -> tuple:
    """Per left partition: the overlapping right partitions, and the earlier / later ones whose edge rows
    are candidates."""
    n_right = len(right_divisions) - 1
    plan = []
    for i in range(len(left_divisions) - 1):
        lo, hi = left_divisions[i], left_divisions[i + 1]
        overlap = [j for j in range(n_right) if right_divisions[j] <= hi and right_divisions[j + 1] >= lo]
        first = overlap[0] if overlap else sum(1 for j in range(n_right) if right_divisions[j + 1] < lo)
        last = overlap[-1] if overlap else first - 1
        before = list(range(first)) if direction in ("backward", "nearest") else []
        after = list(range(last + 1, n_right)) if direction in ("forward", "nearest") else []
        plan.append((tuple(overlap), tuple(before), tuple(after)))
    return tuple(plan)


def merge_asof(left: Any, right: Any, on: Any = None, left_on: Any = None, right_on: Any = None,
               left_index: bool = False, right_index: bool = False, by: Any = None, left_by: Any = None,
               right_by: Any = None, suffixes: tuple = ("_x", "_y"), tolerance: Any = None,
               allow_exact_matches: bool = True, direction: str = "backward") -> Any:
    """Match each left row with the nearest right row by key (``direction``), within ``by`` groups.

    Parameters
    ----------
    left, right : DataFrame
        Sorted by their keys (the index, or the key columns across partitions).
    on, left_on, right_on : label, optional
        Key columns (each side is indexed by its key first).
    left_index, right_index : bool
        Merge on the indexes (known divisions needed).
    by, left_by, right_by : label or list, optional
        Match only within equal values of these columns.
    suffixes : tuple
        For overlapping column names.
    tolerance : optional
        The largest distance of a match.
    allow_exact_matches : bool
        Whether equal keys match.
    direction : {"backward", "forward", "nearest"}
        Which right rows a left row may match.

    Returns
    -------
    DataFrame
        Left's partitions (and divisions when merged on the indexes).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> trades = pd.DataFrame({"t": [1, 5, 10, 12], "price": [1.0, 2.0, 3.0, 4.0]})
    >>> quotes = pd.DataFrame({"t": [0, 4, 11], "bid": [0.5, 1.5, 2.5]})
    >>> out = gd.merge_asof(gd.from_pandas(trades, npartitions=2), gd.from_pandas(quotes, npartitions=2), on="t")
    >>> out.compute().bid.tolist()
    [0.5, 1.5, 1.5, 2.5]
    """
    from gpuscale.dataframe.core import FrameBase

    if not isinstance(left, FrameBase) or not isinstance(right, FrameBase):
        raise TypeError("merge_asof: both sides must be gpuscale DataFrames (from_pandas a pandas frame first)")
    if direction not in ("backward", "forward", "nearest"):
        raise ValueError(f"merge_asof: direction must be 'backward', 'forward' or 'nearest', got {direction!r}")
    if on is not None:
        left_on = right_on = on
    if (left_on is None) != (right_on is None) or (left_on is not None and (left_index or right_index)):
        raise NotImplementedError("merge_asof: merge on key columns of both sides (on= / left_on= and right_on=) "
                                  "or on both indexes (left_index=True, right_index=True)")
    if left_on is None and not (left_index and right_index):
        raise ValueError("merge_asof: give on=, left_on= and right_on=, or left_index=True and right_index=True")
    if left_by is None and right_by is None and by is not None:
        left_by = right_by = by
    kwargs = {"suffixes": tuple(suffixes), "allow_exact_matches": allow_exact_matches, "direction": direction}
    if tolerance is not None:
        kwargs["tolerance"] = tolerance
    if left_by is not None:
        kwargs.update(left_by=left_by, right_by=right_by)
    meta_kwargs = {**kwargs, **({"left_on": left_on, "right_on": right_on} if left_on is not None
                                else {"left_index": True, "right_index": True})}
    meta = bf.make_meta(bf.merge_asof_frames(bf.meta_nonempty(left._meta), bf.meta_nonempty(right._meta),
                                             **meta_kwargs))
    reset = left_on is not None
    if reset:
        left, right = left.set_index(left_on, sorted=True), right.set_index(right_on, sorted=True)
        names = {"left_on": left_on, "right_on": right_on}
    else:
        names = {"left_index": True, "right_index": True}
    if not left.known_divisions or not right.known_divisions:
        raise ValueError("merge_asof needs known divisions on both sides (set_index on the key, or "
                         "compute_current_divisions)")
    side_by = right_by if right_by is None or isinstance(right_by, list) else [right_by]
    tails = map_partitions_expr(bf.asof_edge_rows, right.expr, kwargs={"by": side_by, "last": True}, meta=right._meta,
                                label="asof-tails")
    heads = map_partitions_expr(bf.asof_edge_rows, right.expr, kwargs={"by": side_by, "last": False}, meta=right._meta,
                                label="asof-heads")
    plan = _plan(tuple(left.divisions), tuple(right.divisions), direction)
    return new_collection(MergeAsof(left.expr, right.expr, tails, heads, plan, {**kwargs, **names}, reset, meta,
                                    right._meta))
