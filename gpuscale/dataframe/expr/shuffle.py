"""Task-based shuffles: every input partition is split into N shards, each output concatenates its shards.

The shards are ordinary graph keys, so the local runtime can spill them under
its memory limit and a distributed cluster moves them between workers.
:class:`HashShuffle` routes rows by the hash of key columns (groupby with
``split_out``, merges); :class:`RangeShuffle` routes them by sorted boundaries
(``sort_values``, ``set_index``).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, is_scalar_expr
from gpuscale.expr import cached_bottom_up

__all__ = ["HashShuffle", "RangeShuffle", "ConcatPartitions"]


class _Shuffle(FrameExpr):
    """Split + gather; subclasses supply the split task of an input partition."""

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.frame._meta

    @property
    def npartitions_out(self) -> int:
        raise NotImplementedError

    def _divisions(self) -> tuple:
        return (None,) * (self.npartitions_out + 1)

    def _split_task(self, i: int) -> tuple:
        raise NotImplementedError

    def _layer(self) -> dict:
        n, split, shard = self.npartitions_out, f"split-{self._name}", f"shard-{self._name}"
        layer: dict = {}
        for i in range(self.frame.npartitions):
            layer[(split, i)] = self._split_task(i)
            layer.update({(shard, i, j): (bf.pick, (split, i), j) for j in range(n)})
        for j in range(n):
            shards = [(shard, i, j) for i in range(self.frame.npartitions)]
            layer[(self._name, j)] = (bf.concat_shards, shards, self._meta)
        return layer


class HashShuffle(_Shuffle):
    """Rows with equal key values (``on``: tuple of columns, or None for the index) meet in one partition.

    ``drop_index``: the consumer ignores the index, so shards carry none.
    """

    _parameters = ["frame", "on", "npartitions_", "drop_index"]
    _defaults = {"drop_index": False}

    @property
    def npartitions_out(self) -> int:
        return self.npartitions_

    def _split_task(self, i: int) -> tuple:
        if self.drop_index:
            return (bf.hash_split, (self.frame._name, i), self.on, self.npartitions_out, True)
        return (bf.hash_split, (self.frame._name, i), self.on, self.npartitions_out)

    def _tree_label(self) -> str:
        return f"HashShuffle: on={self.on}, npartitions={self.npartitions_out}"


class RangeShuffle(_Shuffle):
    """Rows go to partition ``j`` when the first sort key lies between boundaries ``j-1`` and ``j``.

    ``boundaries`` is a lazy expression (computed in the same graph) or a
    host Series of ``npartitions - 1`` sorted values.
    """

    _parameters = ["frame", "by", "boundaries", "npartitions_", "ascending"]

    @property
    def npartitions_out(self) -> int:
        return self.npartitions_

    def _split_task(self, i: int) -> tuple:
        bounds = (self.boundaries._name, 0) if is_scalar_expr(self.boundaries) else self.boundaries
        return (bf.range_split, (self.frame._name, i), self.by, bounds, self.ascending, self.npartitions_out)

    def _tree_label(self) -> str:
        return f"RangeShuffle: by={self.by!r}, ascending={self.ascending}, npartitions={self.npartitions_out}"


class ConcatPartitions(FrameExpr):
    """Fewer partitions: output ``j`` concatenates the consecutive inputs of group ``j``."""

    _parameters = ["frame", "npartitions_"]

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.frame._meta

    def _groups(self) -> list:
        n_in, n_out = self.frame.npartitions, max(1, min(self.npartitions_, self.frame.npartitions))
        bounds = [round(j * n_in / n_out) for j in range(n_out + 1)]
        return [list(range(a, b)) for a, b in zip(bounds[:-1], bounds[1:])]

    def _divisions(self) -> tuple:
        div = self.frame.divisions
        groups = self._groups()
        return tuple(div[g[0]] for g in groups) + (div[-1],)

    def _layer(self) -> dict:
        return {(self._name, j): (bf.concat_shards, [(self.frame._name, i) for i in g], self._meta)
                for j, g in enumerate(self._groups())}

    def _tree_label(self) -> str:
        return f"ConcatPartitions: npartitions={len(self._groups())}"
