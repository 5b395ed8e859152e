"""``groupby(...).transform(name)`` of a reduction (``"mean"``, ``"sum"``, ``"size"`` ...) without a shuffle.

The reduction is computed as an aggregation (tree-reduced into one small partition) and given whole to every
partition of the frame, where each row looks up its group's value: the result keeps the frame's partitions,
divisions and row order, as pandas keeps the rows, so ``df.assign(m=df.groupby("k").v.transform("mean"))``
needs no alignment.
"""

from __future__ import annotations

import copy
from typing import Any

from gpuscale.backends.frame.groupby_transform import broadcast_group_values
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr
from gpuscale.dataframe.expr.loc import IndexKeepingMap

__all__ = ["BROADCAST_REDUCTIONS", "broadcast_transform"]

# the reductions whose transform is their aggregate given to every row of its group (as pandas)
BROADCAST_REDUCTIONS = ("sum", "mean", "count", "size", "min", "max", "std", "var", "sem", "first", "last",
                        "nunique", "median", "prod", "any", "all", "skew", "idxmin", "idxmax")


class _Whole:
    """The metadata of an aggregate passed whole to every partition: not a frame, so it is a lazy scalar
    operand (one task, never aligned with the frame's partitions)."""

    def __repr__(self) -> str:  # (deterministic tokens)
        return "_Whole()"


def _whole(part: Any) -> Any:
    return part


def broadcast_transform(gb: Any, func: str, kwargs: dict) -> Any:
    """``gb.transform(func, **kwargs)`` of reduction ``func`` (see :data:`BROADCAST_REDUCTIONS`): the rows of
    ``gb``'s frame with their group's aggregate, partitioned as the frame."""
    meta = gb._meta_of("transform", func, kwargs)  # pandas' own transform of a sample: labels and dtypes
    observed = copy.copy(gb)  # (a row's group is observed: the groups of unused categories are not needed)
    observed._observed = True
    agg = getattr(observed, func)(split_out=1, **kwargs)
    whole = map_partitions_expr(_whole, agg.expr, meta=_Whole(), label="groupby-transform-aggregate")
    frame = Projection(gb._frame.expr, tuple(gb._by))  # (the lookup reads the keys only)
    out = IndexKeepingMap(broadcast_group_values, {"by": list(gb._by), "meta": meta}, meta,
                          f"groupby-transform-{func}", False, frame, whole)
    return gb._shown(new_collection(out))
