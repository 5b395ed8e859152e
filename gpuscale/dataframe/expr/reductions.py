"""Tree reductions: a chunk step per partition, combines in groups of ``split_every``, one aggregate.

The chunk step is an ordinary partition-wise :class:`Map` (so it fuses with the
steps before it); :class:`TreeReduce` builds the combine levels and the final
aggregate, whose single key ``(name, 0)`` holds the result: a lazy scalar, or a
one-partition frame.
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, MetaOfFrame, MetaOperand, OnePartition
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["TreeReduce", "tree_reduce", "check_split_every"]

DEFAULT_SPLIT_EVERY = 8


class TreeReduce(MetaOperand, OnePartition, FrameExpr):
    """Combine per-partition partials (``frame``) in a tree; ``meta`` is the result's metadata."""

    _parameters = ["frame", "combine", "aggregate", "kwargs", "split_every", "meta", "label"]

    def _layer(self) -> dict:
        keys = [(self.frame._name, i) for i in range(self.frame.npartitions)]
        # split_every=False: no tree, every partial aggregated at once (dask's; an aggregate that makes
        # something its own input cannot take, a custom object, must run once)
        width = len(keys) if self.split_every is False else max(2, self.split_every or DEFAULT_SPLIT_EVERY)
        layer, level = {}, 0
        kwargs = dict(self.kwargs)
        while len(keys) > width:
            groups = [keys[j:j + width] for j in range(0, len(keys), width)]
            keys = [(f"{self._name}-combine-{level}", j) for j in range(len(groups))]
            layer.update({k: (bf.apply_kwargs, self.combine, kwargs, g) for k, g in zip(keys, groups)})
            level += 1
        layer[(self._name, 0)] = (bf.apply_kwargs, self.aggregate, kwargs, keys)
        return layer

    @property
    def _funcname(self) -> str:
        return str(self.label).lower()

    def _tree_label(self) -> str:
        return f"TreeReduce: {self.label} (split_every={self.split_every or DEFAULT_SPLIT_EVERY})"


def check_split_every(split_every: Any, who: str) -> None:
    """``split_every`` is None (the default), False (no tree: every partial aggregated at once) or an int of at
    least 2 (partials combined per task); anything else raises ``ValueError`` naming ``who``, as dask."""
    if split_every is None or split_every is False or split_every is True:  # (True: dask's default too)
        return
    if not isinstance(split_every, int) or split_every < 2:
        raise ValueError(f"{who}: split_every must be greater than 1 or False (the partials combined per task; "
                         f"None: the default), got {split_every!r}")


def tree_reduce(frame: FrameExpr, chunk: Callable, combine: Callable, aggregate: Callable, kwargs: dict,
                meta: Any, label: str, split_every: int | None = None, chunk_kwargs: dict | None = None) -> TreeReduce:
    """Build ``chunk`` (partition-wise) + ``combine``/``aggregate`` (tree) over ``frame``."""
    check_split_every(split_every, label)
    split_every = None if split_every is True else split_every
    chunked = map_partitions_expr(chunk, frame, kwargs=chunk_kwargs or None, meta=frame._meta, label=f"{label}-chunk")
    return TreeReduce(chunked, combine, aggregate, kwargs, split_every, meta, label)


class DropDuplicates(MetaOfFrame, FrameExpr):
    """``drop_duplicates``; the plan is chosen when lowered, from the optimized input's partitions.

    ``split_out=None``: as many output partitions as the input (deduplicate
    each partition, hash-shuffle, deduplicate again), on a distributed cluster
    as many as its size in target-size partitions (``FrameExpr.sized_partitions``);
    1: a tree reduction that keeps the order of first appearance.
    """

    _parameters = ["frame", "kwargs", "on", "split_out", "split_every", "method"]
    _defaults = {"method": None}

    def _n_out(self) -> int:
        return self.frame.sized_partitions() if self.split_out is None else self.split_out

    def _divisions(self) -> tuple:
        return (None,) * (self._n_out() + 1) if self._n_out() > 1 else (None, None)

    def _lower(self) -> FrameExpr:
        from gpuscale.dataframe.expr.shuffle import HashShuffle

        kwargs, meta, n = dict(self.kwargs), self._meta, self._n_out()
        if kwargs.get("keep") is False and self.frame.npartitions > 1:
            # a row is dropped when repeated anywhere, so no partition can drop rows before all the
            # copies of a row meet: shuffle the rows as they are, then drop per output partition
            shuffled = HashShuffle(self.frame, self.on, max(n, 1), bool(kwargs.get("ignore_index")), self.method)
            return map_partitions_expr(bf.drop_duplicates, shuffled, kwargs=kwargs, meta=meta, label="drop_duplicates")
        if n <= 1 or self.frame.npartitions == 1:
            out = tree_reduce(self.frame, bf.drop_duplicates, bf.drop_duplicates, bf.drop_duplicates, kwargs,
                              meta, "drop-duplicates", self.split_every, chunk_kwargs=kwargs)
            return out if n <= 1 else _spread(out, n)
        local = map_partitions_expr(bf.drop_duplicates, self.frame, kwargs=kwargs, meta=meta, label="drop_duplicates")
        shuffled = HashShuffle(local, self.on, n, bool(kwargs.get("ignore_index")), self.method)
        return map_partitions_expr(bf.drop_duplicates, shuffled, kwargs=kwargs, meta=meta, label="drop_duplicates")

    def _simplify_up(self, parent: Any, dependents: dict) -> Any:
        # every consumer groups or merges by columns (directly or through projections): the row
        # labels are never looked at, so the shuffle need not carry them
        if dict(self.kwargs).get("ignore_index") or not bf.is_dataframe_like(self._meta):
            return None
        if not all(_ignores_index(p, dependents) for p in dependents.get(self._name, [parent])):
            return None
        replacement = self.ignoring_index()
        return parent.map_dependencies(lambda d: replacement if d._name == self._name else d)

    def ignoring_index(self) -> "DropDuplicates":
        """The same rows for a consumer that ignores the index (shuffled without row labels)."""
        kwargs = {**dict(self.kwargs), "ignore_index": True}
        return DropDuplicates(self.frame, kwargs, self.on, self.split_out, self.split_every, self.method)

    def _tree_label(self) -> str:
        return f"DropDuplicates: {dict(self.kwargs)}, split_out={self.split_out}"


def _ignores_index(node: Any, dependents: dict) -> bool:
    """Whether ``node`` never looks at its input's index: a groupby by columns, a merge on columns of
    both sides (pandas numbers its rows anew), or a projection whose consumers are such nodes."""
    from gpuscale.dataframe.expr.blockwise import Projection
    from gpuscale.dataframe.expr.groupby import GroupByTree
    from gpuscale.dataframe.expr.merge import Merge

    if isinstance(node, GroupByTree):
        columns = getattr(node.frame._meta, "columns", ())
        return all(key in columns for key in node.chunk_kw["by"])
    if isinstance(node, Merge):
        return not (node.left_index or node.right_index)
    if isinstance(node, Projection):  # (one without consumers is the output, whose index is seen)
        consumers = dependents.get(node._name, ())
        return bool(consumers) and all(_ignores_index(p, dependents) for p in consumers)
    return False


def _spread(expr: FrameExpr, n: int) -> FrameExpr:
    from gpuscale.dataframe.expr.repartition import SplitPartitions

    return SplitPartitions(expr, n)
