"""Expressions whose partitions need their neighbours: overlaps and scans.

:class:`MapOverlap`
    ``func`` on each partition with rows of the partitions around it (``map_overlap``, ``shift``,
    ``diff``, ``rolling``).  The rows handed forward form a chain of small tasks (``overlap_before``
    of partition ``i`` is made from that of ``i - 1`` and partition ``i - 1``), so a window longer
    than a partition, or empty partitions after a filter, still get every row they need; dask
    raises ``NotImplementedError`` there.
:class:`Scan`
    a cumulative operation: a total per partition, a chain folding the totals into a carry for
    each partition, and the partition's own cumulative operation finished with its carry
    (``cumsum``, ``groupby().cumsum`` ...).  Only the small totals travel along the chain.

Both keep the partitioning and divisions of their input.  With ``columnwise=True`` (every column
treated alone) a projection above them moves below them, as for column-wise ``Map`` nodes.
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
import gpuscale.expr.annotations as annotated
from gpuscale.dataframe.expr.base import FrameExpr, _partition_ref
from gpuscale.expr import Expr, tokenize

__all__ = ["MapOverlap", "Scan"]


def _push_projection(node: Any, parent: Any, dependents: dict) -> Expr | None:
    """Move projections above a column-wise ``node`` below it when every user of ``node`` projects it
    (rebuilt once for the union of their columns, so it stays shared)."""
    from gpuscale.dataframe.expr.blockwise import Projection

    if not node.columnwise or not isinstance(parent, Projection) or not bf.is_dataframe_like(node._meta):
        return None
    from gpuscale.dataframe.expr.pushdown import single_column

    users = dependents.get(node._name, [])
    if not users or not all(isinstance(u, Projection) and u.frame._name == node._name for u in users):
        return None
    if list(node.frame.columns) != list(node.columns):
        return None
    label = single_column(users)
    if label is not None and not any(isinstance(a, FrameExpr) and not a.is_scalar for a in getattr(node, "args", ())):
        return _rebuilt(node, label)  # ``df.rolling(3).mean()["x"]`` is ``df["x"].rolling(3).mean()``
    needed = {c for u in users for c in (u.columns_ if isinstance(u.columns_, tuple) else (u.columns_,))}
    union = tuple(c for c in node.columns if c in needed)
    if len(union) == len(node.columns):
        return None
    return Projection(_rebuilt(node, union), parent.columns_)


def _rebuilt(node: Any, columns: Any) -> Expr:
    """``node`` on ``columns`` of its frame (a tuple: a frame of them; a label: that column, a Series)."""
    from gpuscale.dataframe.expr.blockwise import Projection

    operands = list(node.operands)
    operands[0] = Projection(node.frame, columns)
    operands[type(node)._parameters.index("meta")] = bf.project(node.meta, columns)
    return annotated.carry(node, type(node)(*operands))


class MapOverlap(FrameExpr):
    """``func(before rows + partition + after rows, *args, **kwargs)``, the borrowed rows' results cut off.

    ``before`` / ``after``: row counts or time spans (``pandas.Timedelta``; the index must be sorted).
    ``check``: ``"enforce"`` (a declared ``meta=``), ``"cast"`` (gpuscale's own functions: results
    take ``meta``'s dtypes) or ``"none"``.  Operands after ``clear_divisions`` are extra positional
    arguments (literals, lazy scalars, or frames partitioned as ``frame``: their partition ``i`` as it is).
    """

    _parameters = ["frame", "func", "before", "after", "meta", "kwargs", "label", "columnwise", "check",
                   "clear_divisions"]

    @property
    def args(self) -> list:
        return self.operands[len(self._parameters):]

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    def _divisions(self) -> tuple:
        divisions = self.frame.divisions
        return (None,) * len(divisions) if self.clear_divisions else divisions

    def _partitioning_inputs(self) -> list:
        return [self.frame]  # partition i, with rows borrowed from its neighbours

    @property
    def _funcname(self) -> str:
        return str(self.label).replace("_", "-").lower()

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        return _push_projection(self, parent, dependents)

    def _layer(self) -> dict:
        frame, n = self.frame._name, self.frame.npartitions
        # named after the frame and the span only: overlaps of one frame computed together share them
        before_name = f"overlap-before-{tokenize(frame, self.before)}"
        after_name = f"overlap-after-{tokenize(frame, self.after)}"
        layer: dict = {}
        if self.before and n > 1:
            for i in range(1, n):
                prev = (before_name, i - 1) if i > 1 else None
                layer[(before_name, i)] = (bf.overlap_before, prev, (frame, i - 1), self.before)
        if self.after and n > 1:
            for i in range(n - 2, -1, -1):
                nxt = (after_name, i + 1) if i < n - 2 else None
                layer[(after_name, i)] = (bf.overlap_after, (frame, i + 1), nxt, self.after)
        kwargs = dict(self.kwargs) if self.kwargs else None
        for i in range(n):
            refs = [_partition_ref(a, i) for a in self.args]  # scalars: their one value; frames: partition i
            prev = (before_name, i) if (before_name, i) in layer else None
            nxt = (after_name, i) if (after_name, i) in layer else None
            layer[(self._name, i)] = (bf.overlap_apply, (frame, i), prev, nxt, self.func, self.before, self.after,
                                      kwargs, self.meta, self.check, *refs)
        return layer

    def _tree_label(self) -> str:
        return f"MapOverlap: {self.label} (before={self.before}, after={self.after})  [npartitions={self.npartitions}]"


class Scan(FrameExpr):
    """A cumulative operation over the partitions in order.

    ``chunk(partition, **kwargs)`` -> the partition's total; ``combine(carry, total, **kwargs)`` ->
    the carry of the next partition; ``finish(partition, carry_or_None, **kwargs)`` -> the output
    partition.
    """

    _parameters = ["frame", "chunk", "combine", "finish", "kwargs", "meta", "label", "columnwise"]

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    def _divisions(self) -> tuple:
        return self.frame.divisions

    def _partitioning_inputs(self) -> list:
        return [self.frame]  # partition i, continued from the totals before it

    @property
    def _funcname(self) -> str:
        return str(self.label).replace("_", "-").lower()

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        return _push_projection(self, parent, dependents)

    def _layer(self) -> dict:
        frame, n, kwargs = self.frame._name, self.frame.npartitions, dict(self.kwargs)
        total, carry = f"scan-total-{self._name}", f"scan-carry-{self._name}"
        layer: dict = {}
        for i in range(n - 1):
            layer[(total, i)] = (bf.apply_kwargs, self.chunk, kwargs, (frame, i))
        for i, previous in enumerate(carried_totals(layer, total, carry, self.combine, kwargs, n)):
            layer[(self._name, i)] = (bf.apply_kwargs, self.finish, kwargs, (frame, i), previous)
        return layer

    def _tree_label(self) -> str:
        return f"Scan: {self.label}  [npartitions={self.npartitions}]"


def carried_totals(layer: dict, total: str, carry: str, combine: Any, kwargs: dict, n: int) -> list:
    """Add to ``layer`` the chain that combines the partitions' totals ``(total, i)`` in order, and return, per
    partition, the key of the total carried into it (None for the first)."""
    for i in range(2, n):
        layer[(carry, i)] = (bf.apply_kwargs, combine, kwargs, (carry, i - 1) if i > 2 else (total, 0),
                             (total, i - 1))
    return [None if i == 0 else (total, 0) if i == 1 else (carry, i) for i in range(n)]
