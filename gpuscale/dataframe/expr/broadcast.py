"""Partition-wise maps that also take one whole table: ``s.map(lazy_series)`` looks values up in all of it."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import Blockwise, FrameExpr, MetaOperand

__all__ = ["MapWithTable", "map_with_table"]


class MapWithTable(MetaOperand, Blockwise):
    """``func(partition i of frame, the whole table, **kwargs)``: the table, made one partition, is
    given to every task (as dask broadcasts the mapper of ``Series.map``); ``keep_divisions``: the
    result keeps each row's label, so the frame's divisions stay."""

    _parameters = ["frame", "table", "func", "kwargs", "meta", "label", "keep_divisions"]
    _align_by_index = False  # the table is not partitioned like the frame

    def _task(self, i: int) -> tuple:
        return (bf.apply_kwargs, self.func, dict(self.kwargs), (self.frame._name, i), (self.table._name, 0))

    def _partitioning_inputs(self) -> list:
        return [self.frame]

    def _divisions(self) -> tuple:
        divisions = self.frame.divisions
        return tuple(divisions) if self.keep_divisions else (None,) * len(divisions)

    @property
    def _funcname(self) -> str:
        return str(self.label)

    def _tree_label(self) -> str:
        return f"MapWithTable: {self.label}  [npartitions={self.npartitions}]"


def map_with_table(frame: FrameExpr, table: FrameExpr, func: Any, kwargs: dict, meta: Any, label: str,
                   keep_divisions: bool) -> MapWithTable:
    """A :class:`MapWithTable` node, ``table`` first concatenated into one partition."""
    from gpuscale.dataframe.expr.shuffle import ConcatPartitions

    whole = table if table.npartitions == 1 else ConcatPartitions(table, 1)
    return MapWithTable(frame, whole, func, kwargs, meta, label, keep_divisions)
