"""Merges: broadcast the small side to every partition of the large one, split two sides indexed with
known divisions at the union of their divisions, else hash-shuffle both (a side the join may drop rows of
first loses those whose key the other, filtered, side lacks: ``join_filter``).

:class:`Merge` is abstract and chooses its plan when lowered.  Before that,
the optimizer moves projections below it (only the needed columns of each
side are read and shuffled) and filters below it (a conjunct that only uses
one side's columns filters that side before the join).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import merge_keys as bfm
from gpuscale.backends.frame.eager_aggregation import keyed_partials
from gpuscale.dataframe.expr.base import Blockwise, FrameExpr, MetaOperand
from gpuscale.dataframe.expr.blockwise import Map
from gpuscale.dataframe.expr.concat import at_divisions, union_divisions
from gpuscale.dataframe.expr.join_filter import DROPPABLE, KeepJoinMatches, join_key_set, selective
from gpuscale.dataframe.expr.shuffle import ConcatPartitions, HashShuffle
from gpuscale.expr import cached_bottom_up

__all__ = ["Merge", "MergePartitions", "AlignedMergePartitions", "BroadcastMerge", "BROADCAST_MAX_PARTITIONS"]

BROADCAST_MAX_PARTITIONS = 8  # the small side is concatenated into one partition and sent everywhere
SHUFFLE_PASSES = 4  # a shuffle hashes, splits, copies and concatenates: ~4 passes over both sides
JOIN_FILTERS = True  # runtime join filters before shuffles (join_filter)
_NO_KEY = object()  # a side joined on several columns: no runtime join filter


class Merge(FrameExpr):
    """``left.merge(right, ...)`` before a plan is chosen."""

    _parameters = ["left", "right", "how", "left_on", "right_on", "left_index", "right_index", "suffixes",
                   "broadcast", "npartitions_", "indicator"]
    _defaults = {"indicator": False}

    @property
    def merge_kwargs(self) -> dict:
        kwargs = {"how": self.how, "left_on": self.left_on, "right_on": self.right_on,
                  "left_index": self.left_index, "right_index": self.right_index, "suffixes": self.suffixes,
                  **({"indicator": self.indicator} if self.indicator else {})}
        unify, _, values_keys = bfm.key_categories_rule(self.left._meta, self.right._meta, kwargs)
        return {**kwargs, "unify_categories": unify, **({"values_keys": values_keys} if values_keys else {})}

    @cached_bottom_up
    def _meta(self) -> Any:
        kwargs = self.merge_kwargs
        left, right = bfm.known_key_metas(self.left._meta, self.right._meta, kwargs)
        return bf.make_meta(bfm.merge_parts(bf.meta_nonempty(left), bf.meta_nonempty(right), **kwargs))

    def _divisions(self) -> tuple:
        plan, n = self._plan()
        if plan == "aligned":
            return self._union_divisions()
        kept = self._kept_divisions(plan, n)
        return kept if kept is not None else (None,) * (n + 1)

    def _plan(self) -> tuple[str, int]:
        nl, nr = self.left.npartitions, self.right.npartitions
        if nl == 1 and nr == 1:
            return "single", 1
        single = self._single_partition_side(nl, nr)
        if single:
            return single
        if self._indexed_with_divisions():
            return "aligned", len(self._union_divisions()) - 1
        wl, wr = _weights(self.left, self.right)
        if self._small("right", wr, wl, nl):
            return "broadcast-right", self.npartitions_ or self._broadcast_count(self.left)
        if self._small("left", wl, wr, nr):
            return "broadcast-left", self.npartitions_ or self._broadcast_count(self.right)
        return "shuffle", self.npartitions_ or self._copartitioned_count() or self._shuffle_count()

    def _shuffle_count(self) -> int:
        """Output partitions of a shuffle join: the larger side's partitions, on a distributed cluster its size in
        partitions of the target size (``FrameExpr.sized_partitions``), so that filtered or narrow sides of many
        files do not pay a P2P shard per input and output partition pair."""
        return max(self.left.sized_partitions(), self.right.sized_partitions())

    def _indexed_with_divisions(self) -> bool:
        return bool(self._on_indexes() and self.left.known_divisions and self.right.known_divisions
                    and bfm.divisions_in_value_order(self.left._meta, self.right._meta))

    def _on_indexes(self) -> bool:
        """Whether both sides are matched on their indexes: ``left_index`` and ``right_index``, or keys that
        name the index level of both sides at the same position (``on=["idx", "k"]``, as pandas takes
        them).  Equal keys then have equal index values, so the sides may be split by their indexes."""
        if self.left_index or self.right_index:
            return bool(self.left_index and self.right_index)
        return any(_is_index_level(self.left, lk) and _is_index_level(self.right, rk)
                   for lk, rk in zip(self.left_on or (), self.right_on or ()))

    def _union_divisions(self) -> tuple:
        return union_divisions(self.left.divisions, self.right.divisions)

    def _kept_divisions(self, plan: str, n: int) -> tuple | None:
        """The divisions of the side whose rows (and labels) the result keeps: a side merged with the
        other side's index by an inner join or a join that keeps its rows, when it is not repartitioned."""
        if plan == "single" and self._indexed_with_divisions():
            bounds = self._union_divisions()
            return (bounds[0], bounds[-1])
        levels = self._on_indexes()  # merged on index levels, the result keeps the kept side's index
        for big, other_index, hows, plans in ((self.left, self.right_index or levels, ("inner", "left"),
                                               ("single", "broadcast-right")),
                                              (self.right, self.left_index or levels, ("inner", "right"),
                                               ("single", "broadcast-left"))):
            if plan in plans and other_index and self.how in hows and big.known_divisions and big.npartitions == n:
                return tuple(big.divisions)
        return None

    def _sides(self) -> list[tuple[FrameExpr, Any]]:
        """Each side with the columns it is split by (None: its index, also when the keys name both indexes)."""
        by_index = self._on_indexes()
        return [(self.left, None if self.left_index or by_index else tuple(self.left_on)),
                (self.right, None if self.right_index or by_index else tuple(self.right_on))]

    def _copartitioned_count(self) -> int | None:
        """The partition count of a side already hash-partitioned by its merge keys (a ``drop_duplicates``
        of them, an earlier shuffle): shuffling the other side to match moves one side, not both."""
        for side, keys in self._sides():
            partitioning = hash_partitioning(side)
            if partitioning is not None and partitioning[0] == keys and self._same_key_dtypes():
                return partitioning[1]
        return None

    def _same_key_dtypes(self) -> bool:
        # equal values hash alike only for equal dtypes (int32 -1 and int64 -1 do not)
        (left, lkeys), (right, rkeys) = self._sides()
        if lkeys is None or rkeys is None or any(_is_index_level(left, k) for k in lkeys) or \
                any(_is_index_level(right, k) for k in rkeys):
            return False
        return [str(left._meta[k].dtype) for k in lkeys] == [str(right._meta[k].dtype) for k in rkeys]

    def _partitioned(self, side: FrameExpr, keys: Any, n: int) -> bool:
        """Whether ``side`` is already hash-partitioned as the other side will be (it is not shuffled)."""
        return keys is not None and hash_partitioning(side) == (keys, n) and self._same_key_dtypes()

    def _shuffled(self, side: FrameExpr, keys: Any, n: int) -> FrameExpr:
        if self._partitioned(side, keys, n):
            return side
        # merging on columns of both sides, pandas numbers the result rows anew: the shards need no labels (a
        # key naming an index level is read from them)
        by_columns = all(k is not None and not any(_is_index_level(s, c) for c in k) for s, k in self._sides())
        return HashShuffle(side, keys, n, by_columns)

    def _single_partition_side(self, nl: int, nr: int) -> tuple[str, int] | None:
        """Broadcast a side that is already one partition: each partition of the other side merges
        with it, in parallel, without moving the other side (as dask does)."""
        if self.broadcast is False:
            return None
        if nr == 1 and self.how in ("inner", "left"):
            return "broadcast-right", self.npartitions_ or self._broadcast_count(self.left)
        if nl == 1 and self.how in ("inner", "right"):
            return "broadcast-left", self.npartitions_ or self._broadcast_count(self.right)
        return None

    def _broadcast_count(self, big: FrameExpr) -> int:
        """Output partitions of a broadcast join: the big side's, but one on a distributed cluster where that
        side's bytes, as read (no filter: its selectivity is a guess), fit one partition of the target size
        (``sized_partitions``) and a join on columns numbers its rows anew (no divisions to keep): forty small
        files joined with a one-row result are one task there, and what follows (a sort) needs no shuffle.
        Any other side stays where its partitions are (concatenating them moves its data between workers:
        a gigabyte of filtered taxi trips guessed to fit one partition took twice as long so)."""
        keeps_labels = self.left_index or self.right_index or self._on_indexes()
        if keeps_labels and big.known_divisions:
            return big.npartitions
        return 1 if big.sized_partitions() == 1 and not selective(big) else big.npartitions

    def _small(self, side: str, w_small: int, w_big: int, n_big: int) -> bool:
        """Whether ``side`` (fed by ``w_small`` source partitions) is cheaper to broadcast.

        Broadcasting merges the whole small side into each partition of the
        other (cost ~ ``w_small * n_big + w_big``); shuffling makes about
        ``SHUFFLE_PASSES`` passes over both sides (~ ``4 * (w_small + w_big)``).  ``broadcast=True`` forces the right side
        (or a small left side), ``False`` forbids broadcasting.
        """
        allowed = ("inner", "left") if side == "right" else ("inner", "right")
        if self.how not in allowed or self.broadcast is False:
            return False
        cheaper = w_small <= BROADCAST_MAX_PARTITIONS and w_small < w_big and \
            w_small * max(1, n_big - SHUFFLE_PASSES) <= SHUFFLE_PASSES * w_big
        if self.broadcast is True:
            return side == "right" or cheaper
        return cheaper

    def _lower(self) -> FrameExpr:
        plan, n = self._plan()
        kwargs = self.merge_kwargs
        if plan == "single":
            return MergePartitions(bfm.merge_parts, kwargs, self._meta, "merge", False, self.left, self.right)
        if plan == "broadcast-right":
            return BroadcastMerge(_repartitioned(self.left, n), _one_partition(self.right), kwargs, True, self._meta,
                                  self._divisions())
        if plan == "broadcast-left":
            return BroadcastMerge(_repartitioned(self.right, n), _one_partition(self.left), kwargs, False, self._meta,
                                  self._divisions())
        if plan == "aligned":
            left, right = (at_divisions(side, self._union_divisions()) for side in (self.left, self.right))
            return AlignedMergePartitions(bfm.merge_parts, kwargs, self._meta, "merge", False, left, right)
        (left, lkeys), (right, rkeys) = self._join_filtered(n)
        left, right = self._shuffled(left, lkeys, n), self._shuffled(right, rkeys, n)
        return MergePartitions(bfm.merge_parts, kwargs, self._meta, "merge", False, left, right)

    def _join_filtered(self, n: int) -> list[tuple[FrameExpr, Any]]:
        """The sides to shuffle, one of them behind a runtime join filter where :meth:`_join_filter_target`
        finds one: the other side's key set drops its rows that cannot match before they are moved."""
        sides = self._sides()
        target = self._join_filter_target(sides, n)
        if target is not None:
            (side, keys), (source, source_keys) = sides[target], sides[1 - target]
            key_set = join_key_set(source, _one_key(source, source_keys))  # (the first of several keys)
            sides[target] = (KeepJoinMatches(side, key_set, _one_key(side, keys)), keys)
        return sides

    def _join_filter_target(self, sides: list, n: int) -> int | None:
        """The side (0 left, 1 right) a shuffle join filters by the other side's keys, else None: one the join
        drops unmatched rows of, to be shuffled, whose other side selects rows and is estimated no larger
        (``data_weight``: a key set of a side as large would rarely drop much, and costs a pass over it).
        Of two such sides, the larger."""
        if not JOIN_FILTERS or self.how not in DROPPABLE or any(_one_key(*side) is _NO_KEY for side in sides):
            return None
        weights = [side.data_weight for side, _ in sides]
        found = [(weights[t], t) for t, name in enumerate(("left", "right"))
                 if name in DROPPABLE[self.how] and weights[1 - t] <= weights[t]
                 and not self._partitioned(*sides[t], n) and selective(sides[1 - t][0])]
        return max(found)[1] if found else None

    def _simplify_up(self, parent: Any, dependents: dict) -> Any:
        from gpuscale.dataframe.expr.blockwise import Projection
        from gpuscale.dataframe.expr.pushdown import project_merge

        if isinstance(parent, Projection) and parent.frame._name == self._name:
            return project_merge(parent, self, dependents)
        return None

    def _tree_label(self) -> str:
        keys = "index" if self.left_index else list(self.left_on)
        rkeys = "index" if self.right_index else list(self.right_on)
        return f"Merge: how={self.how}, left_on={keys}, right_on={rkeys}, plan={self._plan()[0]}"


def _weights(left: FrameExpr, right: FrameExpr) -> tuple[float, float]:
    """The sides' sizes: in source partitions (see ``FrameExpr.weight``), or on a distributed cluster in
    partitions of the target size (``data_weight``), where a table of many small files (TPC-H's supplier
    and customer at SF 10: 40 files of 2-4 MB) is cheaper to broadcast than to shuffle with the other side."""
    from gpuscale.runtime.distributed import graph_for_cluster

    if graph_for_cluster():
        return left.data_weight, right.data_weight
    return left.weight, right.weight


def _one_key(side: FrameExpr, keys: Any) -> Any:
    """The join key a runtime join filter looks at: the first key column (with several keys, a row whose first
    key the other side lacks cannot match either), None for a one-level index (also when the keys name index
    levels: rows with other index values cannot match), else ``_NO_KEY``."""
    if keys is None:
        return None if side._meta.index.nlevels == 1 else _NO_KEY
    try:
        return keys[0] if len(keys) >= 1 and keys[0] in side.columns else _NO_KEY
    except TypeError:  # an unhashable key (an array of keys)
        return _NO_KEY


def _is_index_level(side: FrameExpr, key: Any) -> bool:
    """Whether merge key ``key`` of ``side`` names its index (a named index, not also a column)."""
    name = side._meta.index.name
    return name is not None and key == name and key not in side.columns


# partition functions whose output rows stay in the partition of their key: a shuffle's partitioning holds after them
_KEEP_HASH_PARTITIONING = (bf.drop_duplicates, keyed_partials)


def hash_partitioning(expr: FrameExpr) -> tuple[tuple, int] | None:
    """``(key columns, partitions)`` when the rows of ``expr`` are already hash-partitioned by those
    columns (the output of a shuffle or of a shuffling ``drop_duplicates``, maybe filtered or projected)."""
    from gpuscale.dataframe.expr.blockwise import Filter, Projection
    from gpuscale.dataframe.expr.reductions import DropDuplicates

    if isinstance(expr, (Filter, Projection)):
        return hash_partitioning(expr.frame)
    if isinstance(expr, Map) and expr.func in _KEEP_HASH_PARTITIONING:
        return hash_partitioning(expr.args[0])
    if isinstance(expr, HashShuffle) and expr.on is not None:
        return tuple(expr.on), expr.npartitions_out
    if isinstance(expr, DropDuplicates) and expr._n_out() > 1 and expr.frame.npartitions > 1:
        return tuple(expr.on), expr._n_out()
    return None


def _one_partition(frame: FrameExpr) -> FrameExpr:
    return frame if frame.npartitions == 1 else ConcatPartitions(frame, 1)


def _repartitioned(frame: FrameExpr, n: int) -> FrameExpr:
    """``frame`` in ``n`` partitions (the broadcast join's ``npartitions=``), moving no row across partitions
    but those concatenated or split."""
    from gpuscale.dataframe.expr.repartition import SplitPartitions

    if n == frame.npartitions:
        return frame
    return ConcatPartitions(frame, n) if n < frame.npartitions else SplitPartitions(frame, n)


class MergePartitions(Map):
    """Partition ``i`` of the left merged with partition ``i`` of the right (co-partitioned by key)."""

    _align_by_index = False

    def _divisions(self) -> tuple:
        return (None,) * (self.args[0].npartitions + 1)


class AlignedMergePartitions(MergePartitions):
    """Partition ``i`` of the left merged with partition ``i`` of the right, both split at the same index
    boundaries: the result keeps them."""

    def _divisions(self) -> tuple:
        return tuple(self.args[0].divisions)


class BroadcastMerge(MetaOperand, Blockwise):
    """Each partition of ``big`` merged with the whole ``small`` (one partition)."""

    _parameters = ["big", "small", "kwargs", "big_is_left", "meta", "divisions_"]
    _defaults = {"divisions_": None}
    _align_by_index = False  # the one partition of ``small`` meets every partition of ``big``

    def _task(self, i: int) -> tuple:
        return (bfm.broadcast_merge_parts, (self.big._name, i), (self.small._name, 0), dict(self.kwargs), self.big_is_left)

    def _divisions(self) -> tuple:
        if self.divisions_ is not None and len(self.divisions_) == self.big.npartitions + 1:
            return tuple(self.divisions_)
        return (None,) * (self.big.npartitions + 1)

    def _tree_label(self) -> str:
        side = "right" if self.big_is_left else "left"
        return f"BroadcastMerge: how={self.kwargs['how']}, broadcast {side}  [npartitions={self.npartitions}]"
