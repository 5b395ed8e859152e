"""Row selection by index labels and changes of divisions.

:class:`SelectRows` builds each output partition from *pieces* of input
partitions, planned on the host from known divisions: ``.loc`` by label, list
or slice (only the partitions that can hold the labels are read), and
``repartition(divisions=... | partition_size=... | freq=...)`` (split and merge
partitions by index boundaries or by row blocks).  :class:`ClearDivisions`
forgets divisions; :class:`IndexKeepingMap` is a partition-wise function that
keeps every row's label (``query``, ``eval``), so known divisions stay known.

A piece is a tuple ``(i, kind, *args)`` naming input partition ``i``:

* ``(i, "all")`` — the whole partition;
* ``(i, "range", lo, hi, right_inclusive)`` — rows with ``lo <= label <= hi`` (``< hi``
  unless ``right_inclusive``; ``None`` leaves a side open);
* ``(i, "slice", lo, hi, whole)`` — ``partition.loc[lo:hi]`` of unknown divisions (an unsorted index: by position);
* ``(i, "labels", labels)`` — ``partition.loc[list(labels)]``;
* ``(i, "rows", k, j)`` — row block ``j`` of ``k`` near-equal blocks.
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import loc_extra
from gpuscale.dataframe.expr.base import Blockwise, DivisionsOperand, FrameExpr
from gpuscale.dataframe.expr.blockwise import Map, PositionalMap, Projection
from gpuscale.expr import Expr

__all__ = ["SelectRows", "ClearDivisions", "IndexKeepingMap", "IndexKeepingPositionalMap", "BroadcastMap",
           "IndexKeepingBroadcastMap", "ArrayAsSeries", "select_rows"]


class SelectRows(DivisionsOperand, FrameExpr):
    """Output partition ``j`` concatenates the pieces ``plan[j]`` of input partitions (module docstring).

    Not blockwise (an output reads other input partitions than its own number), so
    the graph needs only the input partitions some piece names: the others are
    never computed.
    """

    _parameters = ["frame", "plan", "divisions_", "label"]
    _defaults = {"label": "select-rows"}

    @functools.cached_property
    def _meta(self) -> Any:
        return self.frame._meta

    @property
    def _funcname(self) -> str:
        return str(self.label)

    def _piece_task(self, piece: tuple) -> Any:
        key, kind, args = (self.frame._name, piece[0]), piece[1], piece[2:]
        if kind == "all":
            return key
        if kind == "range":
            return (bf.index_range, key, *args)
        if kind == "slice":
            return (bf.index_label_slice, key, *args)
        if kind == "labels":
            return (bf.loc_labels, key, list(args[0]))
        if kind == "rows":
            return (bf.row_block, key, *args)
        raise ValueError(f"SelectRows: unknown piece kind {kind!r}")

    def _layer(self) -> dict:
        layer = {}
        for j, pieces in enumerate(self.plan):
            tasks = [self._piece_task(p) for p in pieces]
            if len(tasks) == 1:
                task = tasks[0]
                layer[(self._name, j)] = (bf.keep_partition, task) if not isinstance(task, tuple) or \
                    not callable(task[0]) else task
            else:
                layer[(self._name, j)] = (bf.select_pieces, tasks, self._meta)
        return layer

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        return _push_projection(self, parent, dependents,
                                lambda frame: SelectRows(frame, self.plan, self.divisions_, self.label))

    def _tree_label(self) -> str:
        return f"SelectRows: {self.label}  [npartitions={self.npartitions}]"


def select_rows(frame: FrameExpr, plan: list, divisions: Any, label: str) -> SelectRows:
    """A :class:`SelectRows` node from a list of lists of pieces (made hashable for the name)."""
    return SelectRows(frame, tuple(tuple(tuple(p) for p in pieces) for pieces in plan), tuple(divisions), label)


class ClearDivisions(Blockwise):
    """The same partitions, divisions unknown."""

    _parameters = ["frame"]
    operation = staticmethod(bf.keep_partition)

    @functools.cached_property
    def _meta(self) -> Any:
        return self.frame._meta

    def _divisions(self) -> tuple:
        return (None,) * (self.frame.npartitions + 1)

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        return _push_projection(self, parent, dependents, ClearDivisions)


class IndexKeepingMap(Map):
    """A :class:`Map` whose function keeps each row's index label (it drops rows or adds columns):
    the divisions of its input stay."""

    def _divisions(self) -> tuple:
        return Blockwise._divisions(self)


class BroadcastMap(Map):
    """A :class:`Map` aligning its frames by index, except one-partition frames among several-partition ones:
    each of those is given whole to every partition (``map_partitions``' arguments, as dask broadcasts them)."""

    _broadcast_one_partition = True


class IndexKeepingBroadcastMap(IndexKeepingMap):
    """An :class:`IndexKeepingMap` broadcasting its one-partition frames (see :class:`BroadcastMap`)."""

    _broadcast_one_partition = True


class IndexKeepingPositionalMap(PositionalMap):
    """A :class:`PositionalMap` whose function keeps each row's index label: the first frame's divisions stay
    (``map_partitions(align_dataframes=False)``, as dask keeps them)."""

    def _divisions(self) -> tuple:
        return Blockwise._divisions(self)


def _push_projection(node: Any, parent: Expr, dependents: dict, rebuild: Any) -> Expr | None:
    """Move the projections above a row-selecting ``node`` below it (when every user of ``node`` is a
    projection of it: the node is rebuilt once on the union of their columns)."""
    users = dependents.get(node._name, [])
    if not isinstance(parent, Projection) or not bf.is_dataframe_like(node._meta):
        return None
    if not users or not all(isinstance(u, Projection) and u.frame._name == node._name for u in users):
        return None
    needed = {c for u in users for c in (u.columns_ if isinstance(u.columns_, tuple) else (u.columns_,))}
    union = tuple(c for c in node.columns if c in needed)
    if len(union) == len(node.columns):
        return None
    return Projection(rebuild(Projection(node.frame, union)), parent.columns_)


class ArrayAsSeries(FrameExpr):
    """A 1-D array whose blocks line up with the partitions of ``frame`` as a Series with ``frame``'s
    index (``df.loc[mask.values]``).  ``graph`` / ``keys``: the array's own optimized graph and block
    keys, kept out of the dataframe optimizer (``Opaque``)."""

    _parameters = ["frame", "graph", "keys", "meta"]

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    def _divisions(self) -> tuple:
        return self.frame.divisions

    def _partitioning_inputs(self) -> list:
        # block i holds the values of partition i's rows, on its index: partitioned as ``frame`` (a mask of it
        # filters it partition by partition, in its row order, not after a shuffle by index)
        return [self.frame]

    def _layer(self) -> dict:
        layer = dict(self.graph.value)
        for i, key in enumerate(self.keys.value):
            layer[(self._name, i)] = (loc_extra.series_on_index, key, (self.frame._name, i))
        return layer
