"""Shuffles: rows move between partitions so that equal keys (or sorted ranges) meet.

On the local runtime (and with ``dataframe.shuffle.method="tasks"``, or a
shuffle's own ``method="tasks"`` from dask's ``shuffle_method=``) a shuffle
is an all-to-all of tasks: every input partition is split into N shards, each
output concatenates its shards.  With more than ``dataframe.shuffle.max_branch``
partitions on both sides, the rows move in rounds instead (dask's staged shuffle:
each round splits a partition into at most that many pieces), so 1,000 partitions
make about 70,000 pieces rather than a million.  The shards are ordinary graph
keys, so the local runtime can spill them under its memory limit.  A graph built for a
distributed cluster uses the cluster's peer-to-peer shuffle service instead
(:func:`gpuscale.runtime.distributed.p2p_shuffle_layer`): a transfer task per
input and an unpack task per output, so the graph grows linearly with the
partitions, and the workers stream and spill the shards themselves.
:class:`HashShuffle` routes rows by the hash of key columns (groupby with
``split_out``, merges); :class:`RangeShuffle` routes them by sorted boundaries
(``sort_values``, ``set_index``).
"""

from __future__ import annotations

from typing import Any

from gpuscale import config
from gpuscale.backends import frame as bf
from gpuscale.expr import cached_bottom_up
from gpuscale.dataframe.expr.base import FrameExpr, MetaOfFrame, is_scalar_expr

__all__ = ["HashShuffle", "RangeShuffle", "ConcatPartitions", "shuffle_method_option"]

# dask's ``shuffle_method=`` values and the gpuscale shuffle each asks for: "tasks" the all-to-all of
# tasks (locally and on a cluster, as dask); "p2p" the cluster's P2P service; "disk" whichever spills
# by itself (the local runtime's task shuffle spills under its memory limit, P2P on a cluster)
_SHUFFLE_METHODS = {None: None, "tasks": "tasks", "p2p": "p2p", "disk": None}


def shuffle_method_option(value: object, caller: str) -> str | None:
    """The gpuscale shuffle (None: ``dataframe.shuffle.method`` decides) for dask's ``shuffle_method=``."""
    if value not in _SHUFFLE_METHODS:
        raise ValueError(f"{caller}: shuffle_method={value!r} is not one of 'tasks', 'p2p', 'disk' (or None)")
    return _SHUFFLE_METHODS[value]


class _Shuffle(MetaOfFrame, FrameExpr):
    """Split + gather; subclasses supply the split task of an input partition."""

    @property
    def npartitions_out(self) -> int:
        raise NotImplementedError

    def _divisions(self) -> tuple:
        return (None,) * (self.npartitions_out + 1)

    def _split_task(self, i: int) -> tuple:
        raise NotImplementedError

    def _p2p_prepare(self) -> tuple:
        """``(function, args, refs)`` that give an input partition the form the P2P shuffle takes."""
        raise NotImplementedError

    def _drops_index(self) -> bool:
        return False

    def _layer(self) -> dict:
        if _use_p2p(self.method):
            return self._p2p_layer()
        return self._task_layer()

    def _p2p_layer(self) -> dict:
        from gpuscale.runtime.distributed import p2p_shuffle_layer

        prepare, args, refs = self._p2p_prepare()
        inputs = [(self.frame._name, i) for i in range(self.frame.npartitions)]
        wire_meta = bf.shuffle_frame_meta(self.frame._meta, self._drops_index())
        return p2p_shuffle_layer(self._name, inputs, self.npartitions_out, wire_meta, prepare, args,
                                 bf.from_shuffle_frame, (self._meta,), refs)

    def _task_layer(self) -> dict:
        branch = self.max_branch or config.get("dataframe.shuffle.max_branch")
        if min(self.frame.npartitions, self.npartitions_out) > branch:
            return self._staged_layer(*_rounds(self.npartitions_out, branch))
        return self._one_round_layer()

    def _one_round_layer(self) -> dict:
        n, split, shard = self.npartitions_out, f"split-{self._name}", f"shard-{self._name}"
        layer: dict = {}
        for i in range(self.frame.npartitions):
            layer[(split, i)] = self._split_task(i)
            layer.update({(shard, i, j): (bf.pick, (split, i), j) for j in range(n)})
        for j in range(n):
            shards = [(shard, i, j) for i in range(self.frame.npartitions)]
            layer[(self._name, j)] = (bf.concat_shards, shards, self._meta, self._drops_index())
        return layer

    def _first_round_task(self, i: int, k: int) -> tuple:
        """The task splitting input partition ``i`` into ``k`` pieces by the lowest digit of their rows' output
        partitions (see :mod:`gpuscale.backends.frame.staged_shuffle`)."""
        raise NotImplementedError

    def _staged_layer(self, rounds: int, k: int) -> dict:
        # a partition after round r is numbered by its rows' output partitions in digits 0..r (base k) and by
        # its sources' numbers in the higher digits: round r changes digit r only, so each partition splits
        # into at most k pieces, and a partition gathers its pieces in the order of its sources; after the
        # last round, output j joins the partitions numbered j in the low digits (more inputs than outputs)
        n_out, layer = self.npartitions_out, {}
        splits = {i: self._first_round_task(i, k) for i in range(self.frame.npartitions)}
        for r in range(rounds):
            split, piece, gathered = f"round{r}-{self._name}", f"piece{r}-{self._name}", {}
            for v in sorted(splits):
                layer[(split, v)] = splits[v]
                base = v - (v // k ** r % k) * k ** r
                for d in range(k):
                    w = base + d * k ** r
                    if w % k ** (r + 1) < n_out:  # (else no output partition has these lowest digits)
                        layer[(piece, v, d)] = (bf.pick, (split, v), d)
                        gathered.setdefault(w, []).append((piece, v, d))
            splits = {w: (bf.restage_pieces, keys, r + 1, k) for w, keys in gathered.items()}
        outputs: dict = {j: [] for j in range(n_out)}
        for w in sorted(gathered):  # (in the order of the sources' higher digits)
            outputs[w % k ** rounds].extend(gathered[w])
        for j, keys in outputs.items():
            layer[(self._name, j)] = (bf.concat_pieces, keys, self._meta, self._drops_index())
        return layer


class HashShuffle(_Shuffle):
    """Rows with equal key values (``on``: tuple of columns, or None for the index) meet in one partition.

    ``drop_index``: the consumer ignores the index, so shards carry none.
    """

    _parameters = ["frame", "on", "npartitions_", "drop_index", "method", "max_branch"]
    _defaults = {"drop_index": False, "method": None, "max_branch": None}

    @property
    def npartitions_out(self) -> int:
        return self.npartitions_

    @cached_bottom_up
    def _meta(self) -> Any:
        # rows that travel without their labels arrive numbered from 0 (``shuffle(ignore_index=True)``)
        meta = self.frame._meta
        return meta.reset_index(drop=True) if self.drop_index and not bf.is_index_like(meta) else meta

    def _split_task(self, i: int) -> tuple:
        if self.drop_index:
            return (bf.hash_split, (self.frame._name, i), self.on, self.npartitions_out, True)
        return (bf.hash_split, (self.frame._name, i), self.on, self.npartitions_out)

    def _first_round_task(self, i: int, k: int) -> tuple:
        return (bf.hash_pieces, (self.frame._name, i), self.on, self.npartitions_out, k, bool(self.drop_index))

    def _drops_index(self) -> bool:
        return bool(self.drop_index)

    def _partitioning_key(self) -> object:
        # rows hashed by index label into n partitions: any two such frames are paired by position
        return ("index-hash", self.npartitions_out) if self.on is None and not self.drop_index else self._name

    def _p2p_prepare(self) -> tuple:
        return bf.hash_shuffle_frame, (self.on, self.npartitions_out, bool(self.drop_index), self.frame._meta), ()

    def _tree_label(self) -> str:
        return f"HashShuffle: on={self.on}, npartitions={self.npartitions_out}"


class RangeShuffle(_Shuffle):
    """Rows go to partition ``j`` when the first sort key lies between boundaries ``j-1`` and ``j``.

    ``boundaries`` is a lazy expression (computed in the same graph) or a
    host Series of ``npartitions - 1`` sorted values; rows whose key is missing go to the
    last partition, or the first with ``na_position="first"``.
    """

    _parameters = ["frame", "by", "boundaries", "npartitions_", "ascending", "na_position", "method", "max_branch"]
    _defaults = {"na_position": "last", "method": None, "max_branch": None}

    @property
    def npartitions_out(self) -> int:
        return self.npartitions_

    def _bounds(self) -> Any:
        return (self.boundaries._name, 0) if is_scalar_expr(self.boundaries) else self.boundaries

    def _split_task(self, i: int) -> tuple:
        return (bf.range_split, (self.frame._name, i), self.by, self._bounds(), self.ascending, self.npartitions_out,
                self.na_position)

    def _first_round_task(self, i: int, k: int) -> tuple:
        return (bf.range_pieces, (self.frame._name, i), self.by, self._bounds(), self.ascending, self.npartitions_out,
                self.na_position, k)

    def _p2p_prepare(self) -> tuple:
        args = (self.by, self.ascending, self.npartitions_out, self.na_position, self.frame._meta)
        if is_scalar_expr(self.boundaries):
            return bf.range_shuffle_frame, args, ((self.boundaries._name, 0),)
        return bf.range_shuffle_frame, (self.boundaries, *args), ()

    def _tree_label(self) -> str:
        return f"RangeShuffle: by={self.by!r}, ascending={self.ascending}, npartitions={self.npartitions_out}"


def _rounds(n: int, branch: int) -> tuple:
    """``(rounds, k)`` of a staged shuffle over ``n`` partitions: the fewest rounds of at most ``branch``
    pieces per split, and the fewest pieces ``k`` per split with ``k ** rounds >= n``."""
    rounds = 1
    while branch ** rounds < n:
        rounds += 1
    k = max(2, round(n ** (1 / rounds)))
    while k ** rounds < n:
        k += 1
    while (k - 1) ** rounds >= n:
        k -= 1
    return rounds, k


def _use_p2p(method: str | None = None) -> bool:
    """Whether a shuffle of the graph being built uses the cluster's P2P shuffle service: ``method``
    (the shuffle's own ``shuffle_method``) or else option ``dataframe.shuffle.method``; "auto" uses it
    when the graph goes to a cluster."""
    from gpuscale.runtime.distributed import graph_for_cluster

    chosen = method or config.get("dataframe.shuffle.method")
    if chosen == "tasks":
        return False
    on_cluster = graph_for_cluster()
    if chosen == "p2p" and not on_cluster:
        source = "shuffle_method='p2p'" if method else "dataframe.shuffle.method='p2p'"
        raise ValueError(f"{source} needs a distributed cluster: this graph runs on the local runtime "
                         "(use 'tasks' or the default, or compute with a distributed.Client)")
    return on_cluster


class ConcatPartitions(MetaOfFrame, FrameExpr):
    """Fewer partitions: output ``j`` concatenates the consecutive inputs of group ``j``."""

    _parameters = ["frame", "npartitions_"]

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
