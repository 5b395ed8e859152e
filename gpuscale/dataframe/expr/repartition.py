"""New partitions by row counts: split each input partition into equal row blocks (``SplitPartitions``),
or cut the rows into blocks of given lengths (``RowBlocks``: another collection's partitions, by position)."""

from __future__ import annotations

import functools
import math

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, MetaOfFrame

__all__ = ["SplitPartitions", "RowBlocks"]


class SplitPartitions(MetaOfFrame, FrameExpr):
    """Each input partition becomes ``ceil(n / npartitions_in)`` outputs (trimmed to ``n`` in total)."""

    _parameters = ["frame", "npartitions_"]

    def _plan(self) -> list:
        n_in = self.frame.npartitions
        per = [math.floor(self.npartitions_ * (i + 1) / n_in) - math.floor(self.npartitions_ * i / n_in)
               for i in range(n_in)]
        return [(i, j, k) for i, k in enumerate(per) for j in range(max(1, k))]

    @functools.cached_property  # worked out once: a 10k -> 20k split asked for it per input partition
    def _cached_plan(self) -> list:
        return self._plan()

    def _divisions(self) -> tuple:
        return (None,) * (len(self._cached_plan) + 1)

    def _layer(self) -> dict:
        layer, split = {}, f"split-{self._name}"
        pieces = {i: max(1, k) for i, _, k in self._cached_plan}
        for i in range(self.frame.npartitions):
            layer[(split, i)] = (bf.split_frame, (self.frame._name, i), pieces[i])
        for out, (i, j, _) in enumerate(self._cached_plan):
            layer[(self._name, out)] = (bf.pick, (split, i), j)
        return layer


class RowBlocks(MetaOfFrame, FrameExpr):
    """The rows of ``frame`` (partitions of ``lengths`` rows) in partitions of ``target`` rows, in order: each
    output partition gathers the row ranges of the input partitions it overlaps.  Divisions unknown."""

    _parameters = ["frame", "lengths", "target"]

    def _divisions(self) -> tuple:
        return (None,) * (len(self.target) + 1)

    def _layer(self) -> dict:
        starts = [0]
        for n in self.lengths:
            starts.append(starts[-1] + n)
        layer, piece, begin = {}, f"rows-{self._name}", 0
        for i, size in enumerate(self.target):
            end, keys = begin + size, []
            for j, (lo, hi) in enumerate(zip(starts[:-1], starts[1:])):
                if lo < end and hi > begin:
                    key = (piece, i, j)
                    layer[key] = (bf.rows_between, (self.frame._name, j), max(begin, lo) - lo, min(end, hi) - lo)
                    keys.append(key)
            layer[(self._name, i)] = (bf.concat_shards, keys, self._meta)
            begin = end
        return layer
