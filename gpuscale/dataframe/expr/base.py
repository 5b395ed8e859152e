"""Frame expressions: the base class, partition-wise (blockwise) nodes and partitioned sources.

A :class:`FrameExpr` describes a partitioned pandas/cuDF object: its empty
``_meta`` (columns, dtypes, index), its ``divisions`` (index boundaries of the
partitions, all ``None`` when unknown) and its tasks ``(name, i)``.  A frame
expression whose ``_meta`` is not a DataFrame/Series/Index is a lazy scalar
with a single key ``(name, 0)``.

IO leaf protocol
----------------
Readers subclass :class:`PartitionedSource`.  It has operands ``columns``
(``None`` = all) and ``filters`` (``None`` or a pyarrow-style DNF list of
``(column, op, value)`` tuples) and implements ``_partition_task(i)``.  The
optimizer pushes projections (``_absorbs_projection``) and simple
``col op literal`` predicates (``_absorbs_filters``) into it; the ``Filter``
stays on top unless ``_filters_exact`` is True.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

from gpuscale.backends import frame as bf
import gpuscale.expr.annotations as annotated
from gpuscale.expr import Expr, cached_bottom_up, tokenize

__all__ = ["FrameExpr", "Blockwise", "PartitionedSource", "FromChunks", "is_scalar_expr", "aligned_operands"]


class MetaOfFrame:
    """``_meta`` is the ``frame`` operand's: a step that keeps the columns and dtypes (row selections, reorders)."""

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.frame._meta


class MetaOperand:
    """``_meta`` is the ``meta`` operand, worked out when the node was built."""

    @cached_bottom_up
    def _meta(self) -> Any:
        return self.meta


class DivisionsOperand:
    """``_divisions`` are the ``divisions_`` operand, known when the node was built."""

    def _divisions(self) -> tuple:
        return tuple(self.divisions_)


class OnePartition:
    """One partition without known boundaries (a reduction's result, a head)."""

    def _divisions(self) -> tuple:
        return (None, None)


class FrameExpr(Expr):
    """An expression producing a partitioned DataFrame / Series, or a lazy scalar."""

    @cached_bottom_up
    def _name(self) -> str:
        # empty metadata objects are named by their schema (cheap, and works for any index)
        operands = [_schema_token(o) for o in self.operands]
        return f"{self._funcname}-{tokenize(type(self).__qualname__, *operands)}"

    @cached_bottom_up
    def _meta(self) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define _meta")

    # whether this node's literal pandas objects are given to every partition's task (not a source's partitions,
    # each read by its own task: building their lookup tables would only cost time and memory)
    _shares_literals = True

    def _tasks(self) -> dict:
        self._share_literals()
        return super()._tasks()

    def _share_literals(self) -> None:
        """Make the host objects this node gives every partition's task safe to share between the runtime's
        threads (pandas < 3 builds an index's lookup table lazily): called in the one thread building the
        graph, before any task runs."""
        if self._shares_literals:
            bf.share_lookup_tables(self.operands)

    def known_length(self) -> int | None:
        """The number of rows, where the plan knows it without reading any data (in-memory partitions, parquet
        footers); None otherwise (``len()`` then counts the rows)."""
        return None

    @cached_bottom_up
    def divisions(self) -> tuple:
        """Index boundaries of the partitions (``npartitions + 1`` values, None when unknown)."""
        return self._divisions()

    def _divisions(self) -> tuple:
        raise NotImplementedError(f"{type(self).__name__} must define _divisions")

    @property
    def npartitions(self) -> int:
        """Number of partitions (1 for a scalar)."""
        return len(self.divisions) - 1

    @property
    def known_divisions(self) -> bool:
        return len(self.divisions) > 1 and self.divisions[0] is not None

    @property
    def columns(self) -> list:
        """Column labels (a Series gives its name in a one-element list)."""
        meta = self._meta
        if bf.is_dataframe_like(meta):
            return list(meta.columns)
        return [getattr(meta, "name", None)]

    @cached_bottom_up
    def weight(self) -> int:
        """A size estimate in input partitions: how many source partitions may feed this result.

        Aggregations and filters keep the weight of their input (their output
        size is unknown before running), so a one-partition groupby result of
        a large table is not mistaken for a small table by the merge planner.
        """
        deps = [d.weight for d in self.dependencies() if isinstance(d, FrameExpr) and not d.is_scalar]
        return max([self.npartitions, *deps])

    @cached_bottom_up
    def data_weight(self) -> float:
        """A size estimate in partitions of the target size, fractions kept (a table of a few MB weighs
        0.02, not 1, so two small sides still compare): a source's own estimate (a parquet read's bytes of
        its columns, else its partitions), then the largest operand's, as :attr:`weight`.

        Plans for a distributed cluster use it where :attr:`weight` counts partitions: there every
        partition costs a task and a shard of each shuffle, so forty small files of a narrow
        projection weigh what one partition weighs, not forty.
        """
        deps = [d.data_weight for d in self.dependencies() if isinstance(d, FrameExpr) and not d.is_scalar]
        return max(deps) if deps else float(self.npartitions)

    def sized_partitions(self) -> int:
        """The partitions a reduction or shuffle of this result should count as its input size: its own
        partitions, but on a distributed cluster at most its size in partitions of the target size
        (:attr:`data_weight`).  There a narrow projection of many files (TPC-H SF 10 orders' customer key:
        40 files of 3 MB) combines in a tree, as dask's fused reads do, instead of a P2P shuffle of tiny
        shards whose every transfer pays a fixed cost per output partition.  Above one partition, a multiple of
        the cluster's worker threads (where the client knows them), so no worker idles while others finish."""
        from gpuscale.runtime.distributed import cluster_threads, graph_for_cluster

        if not graph_for_cluster():
            return self.npartitions
        wanted = max(1, math.ceil(self.data_weight))
        threads = cluster_threads() if wanted > 1 else None
        if threads:
            wanted = -(-wanted // threads) * threads
        return min(self.npartitions, wanted)

    @functools.cached_property  # asked for every operand of every task a graph builds
    def is_scalar(self) -> bool:
        return not bf.is_frame_like(self._meta)

    def __dask_keys__(self) -> list:
        return [(self._name, i) for i in range(self.npartitions)]

    def _partitioning_inputs(self) -> list:
        """The operands whose partition ``i`` this node's partition ``i`` is made from (a partition-wise
        step keeps their partitioning); empty: this node partitions its rows anew (a source, a shuffle)."""
        return []

    def _partitioning_key(self) -> Any:
        """What names the partitioning this node makes when it has no :meth:`_partitioning_inputs`."""
        return self._name

    def _fuse(self) -> "FrameExpr":
        from gpuscale.dataframe.expr.fusion import fuse_blockwise

        return fuse_blockwise(self)

    def _tree_label(self) -> str:
        base = super()._tree_label()
        return f"{base}  [npartitions={self.npartitions}]" if not self.is_scalar else base


def _schema_token(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _schema_token(v) for k, v in obj.items()}
    if bf.is_frame_like(obj) and len(obj) == 0:
        return ("empty", bf.schema_text(obj))
    return obj


def is_scalar_expr(obj: Any) -> bool:
    """True for an expression of a lazy scalar (one task, not a frame)."""
    return isinstance(obj, FrameExpr) and obj.is_scalar


def frame_deps(expr: Expr) -> list:
    """The partitioned frame operands of ``expr``: not scalars, nor one-partition Series broadcast to it."""
    deps = [d for d in expr.dependencies() if isinstance(d, FrameExpr) and not d.is_scalar]
    whole = broadcast_operands(deps, getattr(expr, "_broadcast_one_partition", False))
    return [d for d in deps if d._name not in whole] if whole else deps


def broadcast_operands(frames: list, every: bool = False) -> set:
    """The names of the one-partition Series among ``frames`` that meet a DataFrame of several partitions
    (``df - df.mean()``: a reduction's result, indexed by the columns): each partition is given all of it,
    as dask broadcasts a one-partition operand of fewer dimensions.  With ``every``, every one-partition
    frame meeting frames of several partitions (``map_partitions``' arguments, as dask's)."""
    if len(frames) < 2 or all(f.npartitions == 1 for f in frames):
        return set()
    if every:
        return {f._name for f in frames if f.npartitions == 1}
    ndims = {f._name: 2 if bf.is_dataframe_like(f._meta) else 1 for f in frames}
    top = max(ndims.values())
    return {f._name for f in frames if f.npartitions == 1 and ndims[f._name] < top}


class Blockwise(FrameExpr):
    """A node whose partition ``i`` needs only partition ``i`` of its frame operands.

    Subclasses set ``operation`` and may override ``_task_args`` (default: the
    operands, frames replaced by their ``i``-th key, scalars by their key).
    """

    operation: Any = None
    _align_by_index = True  # partition i of every frame operand must cover the same index range
    _broadcast_one_partition = False  # every one-partition frame operand is given whole to every partition

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self._align_by_index:
            self.operands = aligned_operands(self.operands, self._broadcast_one_partition)

    def _task_args(self, i: int) -> list:
        return [_partition_ref(o, i) for o in self.operands]

    def _partitioning_inputs(self) -> list:
        # a node pairing its operands otherwise (a broadcast table, partitions co-hashed by key) partitions anew
        return frame_deps(self) if self._align_by_index else []

    def _task(self, i: int) -> tuple:
        return (self.operation, *self._task_args(i))

    def _layer(self) -> dict:
        return {(self._name, i): self._task(i) for i in range(self.npartitions)}

    def _divisions(self) -> tuple:
        deps = frame_deps(self)
        if not deps:
            return (None, None)
        _check_aligned(self, deps, self._align_by_index)
        return deps[0].divisions

    @cached_bottom_up
    def _meta(self) -> Any:
        args = [_meta_of(o) for o in self.operands]
        return bf.make_meta(self.operation(*args))


def _partition_ref(operand: Any, i: int) -> Any:
    if isinstance(operand, FrameExpr):  # a scalar, or a one-partition operand broadcast to every partition
        return (operand._name, 0 if operand.is_scalar or operand.npartitions == 1 else i)
    return operand


def _meta_of(operand: Any) -> Any:
    return operand._meta if isinstance(operand, FrameExpr) else operand


def aligned_operands(operands: list, broadcast_every: bool = False) -> list:
    """``operands`` with every frame of known divisions repartitioned at the union of their boundaries
    when those differ, so partition ``i`` of each covers the same index range (as dask aligns ``a + b``,
    ``df[mask]``, ``df.assign(c=s)``).  The one alignment path of gpuscale: every :class:`Blockwise` node
    pairing partitions by position is built through it.  Frames of unknown divisions are paired by position
    when they come from one partitioning (:func:`co_partitioned`: ``df.x + df.y``); otherwise every frame is
    shuffled by its index into as many partitions as the most of them have, as dask does, so rows of
    equal labels meet (``df.assign(c=other)`` of a frame that went through a shuffle).  One-partition frames
    :func:`broadcast_operands` picks (``broadcast_every``: all of them) are given whole to every partition."""
    known = [o for o in operands if isinstance(o, FrameExpr) and o.known_divisions]
    if len(known) < len([o for o in operands if isinstance(o, FrameExpr) and not o.is_scalar]):
        return _index_shuffled(operands, broadcast_every)
    if len({tuple(o.divisions) for o in known}) < 2:  # the common case: nothing to align, decided cheaply
        return operands
    whole = broadcast_operands([o for o in operands if isinstance(o, FrameExpr) and not o.is_scalar],
                               broadcast_every)
    frames = [o for o in known if not o.is_scalar and o._name not in whole]
    if len({tuple(o.divisions) for o in frames}) < 2:
        return operands
    from gpuscale.dataframe.expr.concat import at_divisions, union_divisions

    try:
        union = union_divisions(*[o.divisions for o in frames])
    except TypeError as exc:  # e.g. string boundaries against numbers
        raise ValueError(f"cannot align collections partitioned on index values of different types: "
                         f"{sorted({type(o.divisions[0]).__name__ for o in frames})}") from exc
    names = {o._name for o in frames}
    return [at_divisions(o, union) if isinstance(o, FrameExpr) and o._name in names else o for o in operands]


def _index_shuffled(operands: list, broadcast_every: bool = False) -> list:
    """``operands`` with every partitioned frame shuffled by its index (see :func:`aligned_operands`) unless
    they are :func:`co_partitioned` (or all one partition, or an Index, which has no index to shuffle by)."""
    frames = [o for o in operands if isinstance(o, FrameExpr) and not o.is_scalar]
    if len({o._name for o in frames}) < 2:  # the common case: one frame (and literals), decided cheaply
        return operands
    whole = broadcast_operands(frames, broadcast_every)
    frames = [o for o in frames if o._name not in whole]
    if len({o._name for o in frames}) < 2 or all(o.npartitions == 1 for o in frames) or co_partitioned(frames):
        return operands
    if any(bf.is_index_like(o._meta) for o in frames):
        return operands
    dtypes = {o._meta.index.dtype for o in frames}
    if len(dtypes) > 1 and not all(bf.is_numeric_dtype(d) for d in dtypes):  # numbers hash alike, others not
        raise TypeError(f"cannot align collections of unknown divisions: their rows would be shuffled by index "
                        f"to meet, but the indexes have different dtypes {sorted(map(str, dtypes))}; give them "
                        "one index dtype, or set_index/repartition them alike")
    from gpuscale.dataframe.expr.shuffle import HashShuffle

    n = max(o.npartitions for o in frames)
    names = {o._name for o in frames if partitioning(o) != {("index-hash", n)}}  # those not shuffled so yet
    return [HashShuffle(o, None, n) if isinstance(o, FrameExpr) and o._name in names else o for o in operands]


def co_partitioned(frames: list) -> bool:
    """Whether partition ``i`` of every frame holds the rows of partition ``i`` of one partitioning: all
    come from the same sources or shuffles through partition-wise steps only (dask's ``are_co_aligned``)."""
    first = partitioning(frames[0])
    return len(first) == 1 and all(partitioning(f) == first for f in frames[1:])


def partitioning(expr: FrameExpr) -> frozenset:
    """The keys of the partitionings ``expr``'s partitions come from: walking down through
    :meth:`FrameExpr._partitioning_inputs` to the nodes that partition rows anew.  Kept on each node
    (asked whenever a partition-wise node of several operands is built); a loop, not recursion."""
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if "_partitioning" in node.__dict__:
            continue
        inputs = node._partitioning_inputs()
        if not inputs:
            node.__dict__["_partitioning"] = frozenset([node._partitioning_key()])
        elif ready:
            node.__dict__["_partitioning"] = frozenset().union(*(i.__dict__["_partitioning"] for i in inputs))
        else:
            stack.append((node, True))
            stack.extend((i, False) for i in inputs)
    return expr.__dict__["_partitioning"]


def _check_aligned(expr: Expr, deps: list, by_index: bool = True) -> None:
    counts = {d.npartitions for d in deps}
    if len(counts) > 1:
        detail = ", ".join(f"{d._funcname}: {d.npartitions}" for d in deps)
        raise ValueError(f"{type(expr).__name__}: operands have different numbers of partitions ({detail}); "
                         "repartition one of them or merge on a key")
    known = {tuple(d.divisions) for d in deps if d.known_divisions}
    if by_index and len(known) > 1:  # partition i of each operand would cover different index ranges
        raise ValueError(f"{type(expr).__name__}: operands have the same number of partitions but different "
                         f"divisions {sorted(known, key=repr)}; align them with merge/join on the index")


class PartitionedSource(Blockwise):
    """Base of readers: one task per partition, projection/filters pushed in by the optimizer.

    Subclasses keep ``columns`` and ``filters`` as their first operands and
    implement ``_partition_task(i)``, ``_divisions`` and ``_meta`` (honouring
    the columns operand).  Note: ``self.columns`` is the list of output columns
    (from ``_meta``); read the operand itself with ``self.operand("columns")``.
    """

    _shares_literals = False  # its partitions, one per task

    _parameters = ["columns", "filters"]
    _defaults = {"columns": None, "filters": None}
    _absorbs_projection = True
    _absorbs_filters = True
    _compares_columns = False  # True: it also takes ``(column, op, ColumnRef(other column))`` terms
    _filters_exact = False  # True: the source drops exactly the filtered rows itself
    _can_drop_index = False  # True: ``_without_index()`` reads more cheaply when no one reads the index

    def _without_index(self) -> "PartitionedSource":
        """This source giving each partition a cheap index (see :mod:`.index_usage`)."""
        raise NotImplementedError

    def _partition_task(self, i: int) -> tuple:
        raise NotImplementedError

    def _task(self, i: int) -> tuple:
        return self._partition_task(i)

    def with_operand(self, name: str, value: Any) -> "PartitionedSource":
        """A copy with operand ``name`` replaced."""
        ops = list(self.operands)
        ops[self._parameters.index(name)] = value
        return annotated.carry(self, type(self)(*ops))

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        from gpuscale.dataframe.expr.pushdown import push_into_source

        return push_into_source(self, parent, dependents)

    def _partitioning_inputs(self) -> list:
        return []

    def _partitioning_key(self) -> Any:
        # the columns and filters pushed in keep each partition's rows where they were: ``df.x + df.y`` of one
        # read stays paired by position whatever each side reads
        return self.with_operand("columns", None).with_operand("filters", None)._name


class FromChunks(DivisionsOperand, PartitionedSource):
    """In-memory partitions (``from_pandas``, persisted results)."""

    _parameters = ["columns", "filters", "chunks", "meta", "divisions_", "label"]
    _defaults = {"columns": None, "filters": None, "label": "from_pandas"}
    _absorbs_filters = False

    @property
    def _funcname(self) -> str:
        return self.label

    @cached_bottom_up
    def _meta(self) -> Any:
        meta, columns = self.meta, self.operand("columns")
        return bf.project(meta, tuple(columns)) if columns is not None and bf.is_dataframe_like(meta) else meta

    def known_length(self) -> int | None:
        return sum(len(chunk) for chunk in self.chunks) if self.operand("filters") is None else None

    def _partition_task(self, i: int) -> Any:
        chunk, columns = self.chunks[i], self.operand("columns")
        if columns is not None and bf.is_dataframe_like(self.meta):
            return (bf.getitem, chunk, tuple(columns))
        return (bf.snapshot, chunk)  # (not the stored chunk itself: a task or the user may change what it gets)

    def _tree_label(self) -> str:
        columns = self.operand("columns")
        cols = "" if columns is None else f": columns={list(columns)}"
        return f"{type(self).__name__}{cols}  [npartitions={self.npartitions}]"



class TokenizedChunks(Sequence):
    """In-memory partitions named by one token for all of them.

    ``from_pandas`` hashes its whole frame once: hashing thousands of small
    partitions one by one costs far more (0.3 ms each for pandas).
    """

    def __init__(self, chunks: list, token: str) -> None:
        self._chunks, self._token = list(chunks), token

    def __getitem__(self, i: Any) -> Any:
        return self._chunks[i]

    def __len__(self) -> int:
        return len(self._chunks)

    def __gpuscale_tokenize__(self) -> str:
        return self._token


class FromPersisted(MetaOperand, DivisionsOperand, FrameExpr):
    """Partitions held elsewhere (futures of a distributed cluster): each key maps to its future.

    Not blockwise, so a future stays a graph value the cluster resolves,
    never an argument buried inside a fused task.
    """

    _shares_literals = False  # its partitions (futures), one per key

    _parameters = ["chunks", "meta", "divisions_"]

    def _layer(self) -> dict:
        return {(self._name, i): chunk for i, chunk in enumerate(self.chunks)}
