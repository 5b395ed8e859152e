"""Tree aggregation of a groupby, planned when lowered (after projection pushdown has settled the input)."""

from __future__ import annotations

import os
from typing import Any

from gpuscale import config

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, MetaOperand
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import TreeReduce
from gpuscale.dataframe.expr.shuffle import ConcatPartitions, HashShuffle

__all__ = ["AppendedPartitions", "GroupByTree", "resolve_split_out"]


def resolve_split_out(split_out: Any, npartitions: int, nkeys: int) -> int:
    """``None``: 1 up to 15 input partitions (8 with several keys), then one per 15 (8); ``True``: all."""
    if split_out is True:
        return npartitions
    if split_out is None:
        per = 15 if nkeys == 1 else 8
        return -(-npartitions // per) if npartitions > per else 1
    return int(split_out)


class GroupByTree(MetaOperand, FrameExpr):
    """Partial aggregates per partition, combined in a tree (one output) or hash-shuffled (``split_out``)."""

    _parameters = ["frame", "chunk_kw", "final_kw", "meta", "split_every", "split_out"]

    def _n_out(self) -> int:
        return resolve_split_out(self.split_out, self.frame.sized_partitions(), len(self.chunk_kw["by"]))

    def _divisions(self) -> tuple:
        return (None,) * (self._n_out() + 1)

    def _lower(self) -> FrameExpr:
        chunk_kw, final_kw, n = dict(self.chunk_kw), dict(self.final_kw), self._n_out()
        chunk_meta = bf.make_meta(bf.groupby_chunk(bf.meta_nonempty(self.frame._meta), **chunk_kw))
        chunked = map_partitions_expr(bf.groupby_chunk, self.frame, kwargs=chunk_kw, meta=chunk_meta,
                                      label="groupby-chunk")
        if n > 1:
            final_kw["sort"] = False  # as Dask: several output partitions are not sorted by key
            shuffled = HashShuffle(chunked, None, n)
            return map_partitions_expr(bf.groupby_finalize, shuffled, kwargs=final_kw, meta=self.meta,
                                       label="groupby-aggregate")
        buckets = self._final_buckets()
        if buckets > 1:
            return self._bucketed_final(chunked, final_kw, buckets)
        return TreeReduce(chunked, bf.groupby_combine, bf.groupby_finalize, final_kw, self.split_every, self.meta,
                          "groupby-aggregate")

    def _final_buckets(self) -> int:
        """How many tasks finish a one-partition result: one per thread once there are enough inputs.

        A tree's last combine runs alone; with millions of groups it is the
        slowest step.  Hash buckets finish in parallel, then one cheap merge
        of their sorted runs restores the key order.  On a distributed cluster
        the buckets would be a P2P shuffle, whose fixed cost (a barrier, Arrow
        shards through the workers' disks) outweighs a combine of at most 15
        partial results: the tree it is, as in dask.
        """
        from gpuscale.runtime.distributed import graph_for_cluster

        if not self.final_kw.get("sort", True) or self.frame.npartitions < 4 or graph_for_cluster():
            return 1
        threads = config.get("num_workers") or os.cpu_count() or 1
        return max(1, min(threads, self.frame.npartitions // 2))

    def _bucketed_final(self, chunked: FrameExpr, final_kw: dict, buckets: int) -> FrameExpr:
        finished = map_partitions_expr(bf.groupby_finalize, HashShuffle(chunked, None, buckets), kwargs=final_kw,
                                       meta=self.meta, label="groupby-aggregate")
        return map_partitions_expr(bf.sort_index, ConcatPartitions(finished, 1), meta=self.meta, label="sort_index")

    def _tree_label(self) -> str:
        return f"GroupByTree: by={self.chunk_kw['by']}, split_out={self.split_out}"


class AppendedPartitions(MetaOperand, FrameExpr):
    """The partitions of ``frame`` and then those of ``more`` as they are (``more`` gives results of the same
    metadata: unlike :class:`~gpuscale.dataframe.expr.concat.Concat`, nothing is conformed)."""

    _parameters = ["frame", "more", "meta"]

    def _divisions(self) -> tuple:
        return (None,) * (self.frame.npartitions + self.more.npartitions + 1)

    def _layer(self) -> dict:
        keys = [(f._name, i) for f in (self.frame, self.more) for i in range(f.npartitions)]
        return {(self._name, j): (_same, k) for j, k in enumerate(keys)}


def _same(part: Any) -> Any:
    return part
