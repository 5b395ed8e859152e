"""``merge_asof``: nearest-key joins of frames sorted by their keys, as ``dask.dataframe.merge_asof``.

A side keyed by its index needs known divisions; a side keyed by a column (``on=`` / ``left_on=`` /
``right_on=``) is indexed by its key first (``set_index(key, sorted=True)``: the keys must be sorted
across partitions, as dask requires) and the key goes back to a column in each partition.  The result
has pandas' columns and index: the left's own index (carried through as a column while the left is
indexed by its key) and divisions unless both keys are columns, then a per-partition index and unknown
divisions.  Each left partition is merged with the right rows that can match it (see
:mod:`gpuscale.backends.frame.merge_asof`): no shuffle.
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

    _parameters = ["left", "right", "tails", "heads", "plan", "kwargs", "restore", "meta_", "right_meta",
                   "divisions_"]

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.meta_

    def _divisions(self) -> tuple:
        if self.divisions_ is not None and len(self.divisions_) == self.left.npartitions + 1:
            return tuple(self.divisions_)
        return (None,) * (self.left.npartitions + 1)

    def _layer(self) -> dict:
        layer = {}
        for i, (overlap, before, after) in enumerate(self.plan):
            layer[(self._name, i)] = (
                bf.apply_kwargs, bf.merge_asof_partition,
                {"kwargs": dict(self.kwargs), "restore": dict(self.restore), "meta": self.meta_},
                (self.left._name, i), self.right_meta, [(self.right._name, j) for j in overlap],
                [(self.tails._name, j) for j in before], [(self.heads._name, j) for j in after])
        return layer

    def _tree_label(self) -> str:
        return f"MergeAsof: {dict(self.kwargs)!r}  [npartitions={self.left.npartitions}]"


def _span(side: Any) -> tuple:
    """A side's divisions for planning; a single partition of unknown divisions spans every key."""
    if side.known_divisions:
        return tuple(side.divisions)
    return (_LOWEST, _HIGHEST)


class _Bound:
    """A key below (``low``) or above every key, for the span of a partition of unknown divisions."""

    def __init__(self, low: bool) -> None:
        self.low = low

    def __le__(self, other: Any) -> bool:
        return self.low

    def __ge__(self, other: Any) -> bool:
        return not self.low

    def __lt__(self, other: Any) -> bool:
        return self.low

    def __gt__(self, other: Any) -> bool:
        return not self.low


_LOWEST, _HIGHEST = _Bound(True), _Bound(False)


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


INDEX_COLUMN = "__gpuscale_asof_index__"  # the left's own index while its key is the index


def merge_asof(left: Any, right: Any, on: Any = None, left_on: Any = None, right_on: Any = None,
               left_index: bool = False, right_index: bool = False, by: Any = None, left_by: Any = None,
               right_by: Any = None, suffixes: tuple = ("_x", "_y"), tolerance: Any = None,
               allow_exact_matches: bool = True, direction: str = "backward") -> Any:
    """Match each left row with the nearest right row by key (``direction``), within ``by`` groups.

    Parameters
    ----------
    left, right : DataFrame
        Sorted by their keys (the index, or the key columns across partitions); pandas frames are
        taken as one partition.
    on, left_on, right_on : label, optional
        Key columns (each side is indexed by its key first).
    left_index, right_index : bool
        Use that side's index as its key (known divisions needed); mixes with the other side's
        ``*_on`` as in pandas.
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
        Left's partitions, with pandas' index: the left's own index (and divisions) when the right is
        matched by its index or the left by its index, else a per-partition one.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> trades = pd.DataFrame({"t": [1, 5, 10, 12], "price": [1.0, 2.0, 3.0, 4.0]})
    >>> quotes = pd.DataFrame({"t": [0, 4, 11], "bid": [0.5, 1.5, 2.5]})
    >>> out = gd.merge_asof(gd.from_pandas(trades, npartitions=2), gd.from_pandas(quotes, npartitions=2), on="t")
    >>> out.compute().bid.tolist()
    [0.5, 1.5, 1.5, 2.5]
    >>> book = gd.from_pandas(quotes.set_index("t"), npartitions=2)
    >>> gd.merge_asof(gd.from_pandas(trades, npartitions=2), book, left_on="t", right_index=True).compute().bid.tolist()
    [0.5, 1.5, 1.5, 2.5]
    """
    left, right = _as_frames(left, right)
    if direction not in ("backward", "forward", "nearest"):
        raise ValueError(f"merge_asof: direction must be 'backward', 'forward' or 'nearest', got {direction!r}")
    left_on, right_on = _pair("on", on, left_on, right_on)
    left_by, right_by = _pair("by", by, left_by, right_by)
    if (left_by is None) != (right_by is None):
        raise ValueError("merge_asof: give both left_by and right_by (or by=)")
    if (left_on is None) == (not left_index) or (right_on is None) == (not right_index):
        raise ValueError("merge_asof: give each side one key: on= (or left_on= / left_index=True, and right_on= / "
                         "right_index=True)")
    kwargs = {"suffixes": tuple(suffixes), "allow_exact_matches": allow_exact_matches, "direction": direction}
    if tolerance is not None:
        kwargs["tolerance"] = tolerance
    if left_by is not None:
        kwargs.update(left_by=left_by, right_by=right_by)
    keys = {**({"left_on": left_on} if left_on is not None else {"left_index": True}),
            **({"right_on": right_on} if right_on is not None else {"right_index": True})}
    meta = bf.make_meta(bf.merge_asof_frames(bf.meta_nonempty(left._meta), bf.meta_nonempty(right._meta),
                                             **kwargs, **keys))
    restore = _restore_plan(left, left_on, right_on)
    divisions = tuple(left.divisions) if restore["keep_divisions"] and left.known_divisions else None
    if left_on is not None:
        if restore["left_index"] is not None:  # pandas keeps the left's index: carry it as a column
            left = left.rename_axis(INDEX_COLUMN).reset_index()
        left = left.set_index(left_on, sorted=True)
    if right_on is not None:
        right = right.set_index(right_on, sorted=True)
    for side in (left, right):  # one partition needs no divisions: it can match anything (an empty side)
        if not side.known_divisions and side.npartitions > 1:
            raise ValueError("merge_asof needs known divisions on both sides (set_index on the key, or "
                             "compute_current_divisions)")
    side_by = right_by if right_by is None or isinstance(right_by, list) else [right_by]
    tails = map_partitions_expr(bf.asof_edge_rows, right.expr, kwargs={"by": side_by, "last": True}, meta=right._meta,
                                label="asof-tails")
    heads = map_partitions_expr(bf.asof_edge_rows, right.expr, kwargs={"by": side_by, "last": False}, meta=right._meta,
                                label="asof-heads")
    plan = _plan(_span(left), _span(right), direction)
    restore = {k: v for k, v in restore.items() if k != "keep_divisions"}
    return new_collection(MergeAsof(left.expr, right.expr, tails, heads, plan, {**kwargs, **keys}, restore, meta,
                                    right._meta, divisions))


def _as_frames(left: Any, right: Any) -> tuple:
    """Both sides as collections (a pandas/cuDF frame is one partition, as dask)."""
    from gpuscale.dataframe.core import FrameBase
    from gpuscale.dataframe.creation import from_pandas

    sides = []
    for side, other in ((left, right), (right, left)):
        if isinstance(side, FrameBase):
            sides.append(side)
        elif bf.is_dataframe_like(side):
            library = bf.library_of(other._meta) if isinstance(other, FrameBase) else bf.library_of(side)
            sides.append(from_pandas(side, npartitions=1, backend=library))
        else:
            raise TypeError(f"merge_asof: both sides must be DataFrames, got {type(side).__name__}")
    return tuple(sides)


def _pair(name: str, both: Any, left: Any, right: Any) -> tuple:
    """``on=`` / ``by=`` for both sides, or the sides' own, never a mix (as pandas and dask)."""
    from gpuscale.dataframe.core import FrameBase

    if any(isinstance(v, FrameBase) for v in (both, left, right)):
        raise NotImplementedError(f"merge_asof: {name}= takes column names, not collections")
    if both is None:
        return left, right
    if left is not None or right is not None:
        raise ValueError(f"merge_asof: can only pass argument '{name}' OR 'left_{name}' and 'right_{name}', not a "
                         "combination of both.")
    return both, both


def _restore_plan(left: Any, left_on: Any, right_on: Any) -> dict:
    """What each partition moves back from the index after the merge (a key indexed for planning) and
    whether the result keeps the left's index, as pandas does unless both keys are columns."""
    both_columns = left_on is not None and right_on is not None
    carry = left_on is not None and right_on is None
    return {"left": left_on is not None, "right": right_on is not None,
            "left_index": (INDEX_COLUMN, left._meta.index.name) if carry else None,
            "keep_divisions": not both_columns}


