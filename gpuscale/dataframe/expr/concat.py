"""Concatenation: the partitions of all inputs one after another (rows), or partitions covering the
same index range side by side (:class:`StackAligned`: interleaved rows, or columns)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import frame_concat as bfc
from gpuscale.dataframe.expr.base import DivisionsOperand, FrameExpr
from gpuscale.expr import cached_bottom_up

__all__ = ["Concat", "StackAligned"]


class Concat(FrameExpr):
    """Inputs' partitions in order, each conformed to the result's columns and dtypes (``join``: the
    union or the intersection of the columns; categoricals get the union of their categories)."""

    _parameters = ["join", "ignore_order", "kwargs"]
    _nframes_at = 3  # operands after the parameters are the inputs

    @property
    def frames(self) -> list:
        return self.operands[self._nframes_at:]

    @cached_bottom_up
    def _meta(self) -> Any:
        return bfc.concat_frames_meta([f._meta for f in self.frames], self.join, 0, self.ignore_order,
                                      dict(self.kwargs or {}))

    def _divisions(self) -> tuple:
        divs = [f.divisions for f in self.frames]
        ordered = all(d[0] is not None for d in divs) and all(
            a[-1] < b[0] for a, b in zip(divs[:-1], divs[1:]))
        if ordered:
            return tuple(x for d in divs for x in d[:-1]) + (divs[-1][-1],)
        return (None,) * (sum(len(d) - 1 for d in divs) + 1)

    def _layer(self) -> dict:
        keys = [(f, (f._name, i)) for f in self.frames for i in range(f.npartitions)]
        return {(self._name, j): (bfc.conform_concat, k, self._meta, f._meta) for j, (f, k) in enumerate(keys)}


class StackAligned(DivisionsOperand, FrameExpr):
    """Output partition ``i`` concatenates partition ``i`` of every input (``axis`` 0: rows, 1: columns);
    the inputs share their partitioning (``divisions_``), or with ``check_lengths`` their row positions."""

    _parameters = ["meta_", "axis", "join", "check_lengths", "kwargs", "divisions_"]

    @property
    def frames(self) -> list:
        return self.operands[len(self._parameters):]

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.meta_

    def _layer(self) -> dict:
        options = {"axis": self.axis, "join": self.join, "check_lengths": self.check_lengths,
                   "kwargs": dict(self.kwargs or {})}
        if self.axis == 0:  # (rows: each input's partitions are cast where its dtypes differ from the result's)
            options["sources"] = [f._meta for f in self.frames]
        return {(self._name, i): (bf.apply_kwargs, bfc.concat_aligned, options, [(f._name, i) for f in self.frames],
                                  self.meta_)
                for i in range(len(self.divisions_) - 1)}

    def _tree_label(self) -> str:
        return f"StackAligned: axis={self.axis}, join={self.join}  [npartitions={len(self.divisions_) - 1}]"


def union_divisions(*divisions: tuple) -> tuple:
    """Every boundary of all inputs, sorted (one partition of one label when all are equal), as dask."""
    bounds = sorted(set().union(*[set(d) for d in divisions]))
    return tuple(bounds) if len(bounds) > 1 else (bounds[0], bounds[0])


def at_divisions(frame: FrameExpr, divisions: tuple) -> FrameExpr:
    """``frame`` split and combined at the index boundaries ``divisions`` (which enclose its own)."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.divisions import repartition_divisions

    if tuple(frame.divisions) == tuple(divisions):
        return frame
    return repartition_divisions(new_collection(frame), tuple(divisions), force=True).expr
