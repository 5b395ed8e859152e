"""A scan over the partitions in either direction (``ffill`` forward, ``bfill`` backward).

As :class:`gpuscale.dataframe.expr.overlap.Scan`, with the order of the partitions reversed for a
backward scan: ``chunk(partition)`` gives a total, ``combine(carry, total)`` folds the totals along
the chain, ``finish(partition, carry_or_None)`` gives the output partition.  Partitioning and
divisions stay.
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr
from gpuscale.dataframe.expr.overlap import Scan, carried_totals
from gpuscale.expr import Expr

__all__ = ["DirectedScan", "LocalScan", "TwoWayScan"]


class DirectedScan(FrameExpr):
    """A cumulative operation over the partitions, forward (``forward=True``) or backward."""

    _parameters = ["frame", "chunk", "combine", "finish", "kwargs", "meta", "label", "columnwise", "forward"]

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    def _divisions(self) -> tuple:
        return self.frame.divisions

    def _partitioning_inputs(self) -> list:
        return [self.frame]  # partition i, continued from the totals of those before or after it

    @property
    def _funcname(self) -> str:
        return str(self.label).replace("_", "-").lower()

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        from gpuscale.dataframe.expr.overlap import _push_projection

        return _push_projection(self, parent, dependents)

    def _layer(self) -> dict:
        frame, n, kwargs = self.frame._name, self.frame.npartitions, dict(self.kwargs)
        order = list(range(n)) if self.forward else list(range(n - 1, -1, -1))
        total, carry = f"carry-total-{self._name}", f"carry-{self._name}"
        layer: dict = {}
        for i in order[:-1]:
            layer[(total, i)] = (bf.apply_kwargs, self.chunk, kwargs, (frame, i))
        for step in range(2, n):  # the carry of the partition at position ``step`` in scan order
            before = (carry, order[step - 1]) if step > 2 else (total, order[0])
            layer[(carry, order[step])] = (bf.apply_kwargs, self.combine, kwargs, before, (total, order[step - 1]))
        for step, i in enumerate(order):
            previous = None if step == 0 else (total, order[0]) if step == 1 else (carry, i)
            layer[(self._name, i)] = (bf.apply_kwargs, self.finish, kwargs, (frame, i), previous)
        return layer

    def _tree_label(self) -> str:
        direction = "forward" if self.forward else "backward"
        return f"DirectedScan: {self.label} ({direction})  [npartitions={self.npartitions}]"


class TwoWayScan(DirectedScan):
    """A partition-wise operation that needs what lies on both sides of each partition (``interpolate``):
    ``chunk(partition)`` gives a total, ``combine(carry, total, forward=)`` folds the totals forward and
    backward along the chain (``edge(total, forward=)`` starts each fold), and
    ``finish(partition, before_or_None, after_or_None)`` gives the output partition."""

    _parameters = ["frame", "chunk", "combine", "finish", "kwargs", "meta", "label", "columnwise", "edge"]

    def _layer(self) -> dict:
        frame, n, kwargs = self.frame._name, self.frame.npartitions, dict(self.kwargs)
        total, before, after = f"scan-total-{self._name}", f"scan-before-{self._name}", f"scan-after-{self._name}"
        layer: dict = {}
        for i in range(n):
            layer[(total, i)] = (bf.apply_kwargs, self.chunk, kwargs, (frame, i))
        for i in range(1, n):  # what lies before partition i: the totals of 0 .. i-1, folded forward
            layer[(before, i)] = (bf.apply_kwargs, self.edge, {"forward": True}, (total, 0)) if i == 1 else \
                (bf.apply_kwargs, self.combine, {**kwargs, "forward": True}, (before, i - 1), (total, i - 1))
        for i in range(n - 2, -1, -1):  # what lies after partition i: the totals of n-1 .. i+1, folded backward
            layer[(after, i)] = (bf.apply_kwargs, self.edge, {"forward": False}, (total, n - 1)) if i == n - 2 else \
                (bf.apply_kwargs, self.combine, {**kwargs, "forward": False}, (after, i + 1), (total, i + 1))
        for i in range(n):
            previous = (before, i) if i > 0 else None
            following = (after, i) if i < n - 1 else None
            layer[(self._name, i)] = (bf.apply_kwargs, self.finish, kwargs, (frame, i), previous, following)
        return layer

    def _tree_label(self) -> str:
        return f"TwoWayScan: {self.label}  [npartitions={self.npartitions}]"


class LocalScan(Scan):
    """A scan whose partitions are worked on once: ``chunk(partition)`` -> a local state,
    ``total(state)`` -> the partition's total, ``combine(carry, total)`` -> the next carry,
    ``finish(state, carry_or_None)`` -> the output partition (``groupby().cumsum``: the partition's own
    group-wise scan, continued from the carried group totals)."""

    _parameters = ["frame", "chunk", "total", "combine", "finish", "kwargs", "meta", "label", "columnwise"]

    def _layer(self) -> dict:
        frame, n, kwargs = self.frame._name, self.frame.npartitions, dict(self.kwargs)
        local, total, carry = f"scan-local-{self._name}", f"scan-total-{self._name}", f"scan-carry-{self._name}"
        layer: dict = {}
        for i in range(n):
            layer[(local, i)] = (bf.apply_kwargs, self.chunk, kwargs, (frame, i))
        for i in range(n - 1):
            layer[(total, i)] = (self.total, (local, i))
        for i, previous in enumerate(carried_totals(layer, total, carry, self.combine, kwargs, n)):
            layer[(self._name, i)] = (bf.apply_kwargs, self.finish, kwargs, (local, i), previous)
        return layer

    def _tree_label(self) -> str:
        return f"LocalScan: {self.label}  [npartitions={self.npartitions}]"
