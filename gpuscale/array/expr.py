"""Array expressions: the base class, in-memory sources and ``Blockwise``.

Every array expression knows its ``chunks`` (Dask convention), ``dtype`` (a
NumPy dtype object) and ``backend`` (the chunk library name) without
computing anything.  ``Blockwise`` covers element-wise functions, creation
functions (no array inputs), ``map_blocks`` and contractions such as
``matmul``; chains of ``Blockwise`` nodes are fused into one task per block
(:mod:`gpuscale.array.fuse`).
"""

from __future__ import annotations

import functools
import math
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.backends import array as chunkfn
import gpuscale.expr.annotations as annotated
from gpuscale.expr import Expr
from gpuscale.expr.core import cached_bottom_up
from gpuscale.expr.tokenize import tokenize
from gpuscale.graph.building import gc_paused

__all__ = ["ArrayExpr", "FromArray", "FromChunks", "Blockwise", "blockwise_expr", "Opaque", "BlockShape",
           "BlockSlices", "BlockIndex", "WithChunks", "is_small", "SMALL_BYTES"]

# Below this many bytes over all nodes an array's own kernels run in microseconds: less than handing
# tasks to worker threads costs, and too little to gain from running branches in parallel.
SMALL_BYTES = 1 << 20


class ArrayExpr(Expr):
    """Base of array expressions: chunk metadata, keys and blockwise fusion."""

    @functools.cached_property
    def chunks(self) -> tuple:
        raise NotImplementedError

    @functools.cached_property
    def dtype(self) -> Any:
        return _first_operand_defining(self, "dtype").dtype

    @property
    def backend(self) -> str:
        return _first_operand_defining(self, "backend").backend

    @functools.cached_property
    def shape(self) -> tuple:
        return _chunks.shape_of(self.chunks)

    @property
    def ndim(self) -> int:
        return len(self.chunks)

    @functools.cached_property
    def numblocks(self) -> tuple:
        return tuple(len(c) for c in self.chunks)  # (asked per block and operand while building a graph)

    @functools.cached_property
    def _axis_slices(self) -> tuple:
        # asked for every block of a large array: each axis' offsets summed once (39,420 blocks along
        # 1,460 x 27 took 0.4 s summed per block)
        return tuple(_chunks.axis_slices(dim) for dim in self.chunks)

    def block_region(self, index: tuple) -> tuple:
        """The global slices covered by block ``index``."""
        return tuple(along[i] for along, i in zip(self._axis_slices, index))

    def key(self, index: tuple) -> tuple:
        """The graph key of block ``index``."""
        return (self._name, *index)

    def __dask_keys__(self) -> Any:
        if self.ndim == 0:
            return [self.key(())]  # a list, as Dask expects of every collection
        return _nested_keys(self._name, self.numblocks, ())

    def _free_chunk_axes(self) -> tuple:
        """Axes along which this node could produce any block lengths at no extra cost (a planned take
        along its axis): operands aligned with it cut their blocks without counting its own there."""
        return ()

    def _with_chunks(self, chunks: tuple) -> "ArrayExpr | None":
        """This node producing ``chunks`` directly (differing only along :meth:`_free_chunk_axes`), or None."""
        return None

    def _fuse(self) -> "ArrayExpr":
        from gpuscale.array.fuse import fuse_blockwise
        from gpuscale.array.sources import reread_sources

        # the last, whole-plan stage: lazy sources needed again beside a reduction over them are read again
        return fuse_blockwise(reread_sources(self))

    def _tree_label(self) -> str:
        return f"{type(self).__name__}: shape={self.shape}, numblocks={self.numblocks}, dtype={self.dtype}"

    def _lower_step(self, memo: dict) -> Any:
        kept = self.__dict__.get("_lowered_once")
        return super()._lower_step(memo) if kept is None else kept

    def _lower_work(self, memo: dict) -> Any:
        # how an array node lowers depends on the node alone (no option is read): keep the result, so
        # plans built again around it (x[i] of a reduction) reuse the same lowered nodes
        kept = self.__dict__["_lowered_once"] = yield from super()._lower_work(memo)
        return kept

    def _tasks(self) -> dict:
        # a small node is part of many small plans (x[i] for each i): build its tasks once
        if not is_small(self):
            return _built_layer(self)
        tasks = self.__dict__.get("_kept_tasks")
        if tasks is None:
            tasks = self.__dict__["_kept_tasks"] = _built_layer(self)
        return tasks

    @cached_bottom_up
    def _subtree_bytes(self) -> float:
        # cached: small computations build new nodes on the same inputs again and again
        return _subtree_bytes(self)


def _built_layer(expr: ArrayExpr) -> dict:
    with gc_paused():  # many blocks: no collections scanning the heap for tasks that hold no cycles
        return expr._layer()


def _first_operand_defining(expr: ArrayExpr, attr: str) -> ArrayExpr:
    """The first node down the first-operand chain below ``expr`` that has its own ``attr`` (or has it
    cached): by default a node has the dtype and backend of its first operand, and a loop finds them
    where asking each operand in turn would recurse once per level (chains of slices, concatenations)."""
    base = getattr(ArrayExpr, attr)
    node = expr.dependencies()[0]
    while getattr(type(node), attr) is base and attr not in node.__dict__:
        node = node.dependencies()[0]
    return node


def _nested_keys(name: str, numblocks: tuple, prefix: tuple) -> list:
    if len(prefix) == len(numblocks) - 1:
        return [(name, *prefix, i) for i in range(numblocks[-1])]
    return [_nested_keys(name, numblocks, (*prefix, i)) for i in range(numblocks[len(prefix)])]


class Opaque:
    """An operand that is not an expression operand: data, or an expression kept out of the graph walk."""

    def __init__(self, value: Any, token: str | None = None) -> None:
        self.value = value
        self.token = token if token is not None else tokenize(value)

    def __gpuscale_tokenize__(self) -> str:
        return self.token

    def __repr__(self) -> str:
        return f"Opaque({self.token[:8]})"


class FromArray(ArrayExpr):
    """Blocks sliced from one in-memory array (NumPy, CuPy or array-api-strict), named exactly ``label`` when
    the user gave dask's ``name=``."""

    _parameters = ["data", "chunks_", "backend_", "label"]
    _defaults = {"label": None}

    @cached_bottom_up
    def _name(self) -> str:
        return str(self.label) if self.label else Expr._name.func(self)

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.chunks_

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.data.value.dtype)

    @property
    def backend(self) -> str:
        return self.backend_

    def _layer(self) -> dict:
        data = self.data.value
        blocks = _chunks.block_indices(self.numblocks)
        if chunkfn.embeds_whole(data, self.backend):  # the blocks themselves (views of from_array's copy), as dask
            return {self.key(index): data[self.block_region(index)] if self.ndim else data for index in blocks}
        if len(blocks) == 1:
            return {self.key(blocks[0]): (chunkfn.from_host, data, (), self.backend)}
        source = self._name + "-source"
        layer = {source: data}
        for index in blocks:
            layer[self.key(index)] = (chunkfn.from_host, source, self.block_region(index), self.backend)
        return layer


class FromChunks(ArrayExpr):
    """Blocks that are already computed (``persist``): key -> chunk; named ``label`` when given (a persisted
    array keeps its keys, as dask's)."""

    _parameters = ["blocks", "chunks_", "dtype_", "backend_", "label"]
    _defaults = {"label": None}

    @cached_bottom_up
    def _name(self) -> str:
        return str(self.label) if self.label else Expr._name.func(self)

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.chunks_

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    @property
    def backend(self) -> str:
        return self.backend_

    def _layer(self) -> dict:
        return {self.key(index): chunk for index, chunk in self.blocks.value.items()}


class BlockShape:
    """Argument marker replaced by the shape of the output block."""

    def __gpuscale_tokenize__(self) -> str:
        return "block-shape"


class BlockSlices:
    """Argument marker replaced by the global slices of the output block."""

    def __gpuscale_tokenize__(self) -> str:
        return "block-slices"


class BlockIndex:
    """Argument marker replaced by the index of the output block."""

    def __gpuscale_tokenize__(self) -> str:
        return "block-index"


class Blockwise(ArrayExpr):
    """Apply ``func`` block by block, with Einstein-like index notation.

    ``out_ind`` names the output dimensions; ``arg_inds`` names each array
    argument's dimensions (``None`` for a literal).  An index of an argument
    missing from ``out_ind`` is contracted: the function receives all blocks
    along it (concatenated when ``concatenate`` is true, else a list).  An
    argument with one block along a dimension is broadcast.
    """

    _parameters = ["func", "kwargs", "out_ind", "out_chunks", "out_dtype", "out_backend", "arg_inds",
                   "concatenate"]
    _defaults = {"concatenate": False}

    @property
    def args(self) -> list:
        return self.operands[len(self._parameters):]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.out_chunks

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.out_dtype)

    @property
    def backend(self) -> str:
        return self.out_backend

    @property
    def _funcname(self) -> str:
        func = self.func
        named = 1 if func is chunkfn.xp_call_checked else 0 if func is chunkfn.xp_call else None
        name = self.args[named] if named is not None and isinstance(self.args[named], str) else \
            getattr(func, "__name__", type(func).__name__)
        return str(name).lower().replace("_", "-")

    def _substitute_args(self, args: list) -> "Blockwise":
        return annotated.carry(self, type(self)(*self.operands[: len(self._parameters)], *args))

    def array_args(self) -> list[tuple[ArrayExpr, tuple]]:
        """Pairs ``(expression, index)`` of the array arguments."""
        return [(a, i) for a, i in zip(self.args, self.arg_inds) if i is not None]

    def arg_block(self, arg: ArrayExpr, ind: tuple, index: tuple) -> tuple[tuple, list[int]]:
        """Block of ``arg`` used for output block ``index``, and its contracted dimensions."""
        where, contracted = _arg_plan(self, arg, ind)
        return _block_of(where, index), list(contracted)

    def task(self, index: tuple, resolve: Callable[[ArrayExpr, tuple], Any]) -> tuple:
        """The task of output block ``index``; ``resolve(expr, block)`` gives a key or an inlined task."""
        func, plan = self._task_plan
        args = []
        for kind, arg, where, contracted in plan:
            if kind is None:  # a literal
                args.append(arg)
            elif kind == "array":
                block = _block_of(where, index)
                if not contracted:
                    args.append(resolve(arg, block))
                    continue
                nested = _contracted_keys(arg, block, contracted, resolve)
                args.append((chunkfn.concat_nested, nested, contracted) if self.concatenate else nested)
            else:
                args.append(self._marker_value(kind, index))
        return (func, *args)

    @functools.cached_property
    def _task_plan(self) -> tuple:
        # worked out once per node, not per block (10,000 blocks spent 0.3 s zipping the index letters and
        # asking for operands by name): the function (with its keyword arguments bound once) and per argument
        # its kind (None: a literal; "array"; a marker class), where each of its block coordinates comes from
        func = functools.partial(self.func, **self.kwargs) if self.kwargs else self.func
        plan = []
        for arg, ind in zip(self.args, self.arg_inds):
            if ind is not None:
                plan.append(("array", arg, *_arg_plan(self, arg, ind)))
            elif type(arg) in (BlockShape, BlockSlices, BlockIndex):
                plan.append((type(arg), arg, None, ()))
            else:
                plan.append((None, arg, None, ()))
        return func, tuple(plan)

    def _marker_value(self, kind: type, index: tuple) -> Any:
        if kind is BlockShape:
            return tuple(c[i] for c, i in zip(self.chunks, index))
        if kind is BlockSlices:
            return self.block_region(index)
        return index

    def _layer(self) -> dict:
        def resolve(dep: ArrayExpr, block: tuple) -> tuple:
            return dep.key(block)

        return {self.key(index): self.task(index, resolve) for index in _chunks.block_indices(self.numblocks)}


def blockwise_expr(func: Callable, out_ind: tuple, chunks: tuple, dtype: Any, backend: str, *args: Any,
                   arg_inds: tuple | None = None, kwargs: dict | None = None, concatenate: bool = False,
                   node: type = Blockwise, extra: tuple = ()) -> Blockwise:
    """A :class:`Blockwise` node, its operands named: ``func(*args, **kwargs)`` block by block.

    ``arg_inds`` gives each argument's index letters (``None`` for a literal); by default every
    argument is a literal (or a per-block placeholder such as :class:`BlockShape`), as for the
    block functions of the creation routines.  ``node`` is a subclass of :class:`Blockwise` whose
    own operands (``extra``, after Blockwise's) come before the arguments.
    """
    inds = (None,) * len(args) if arg_inds is None else tuple(arg_inds)
    return node(func, {} if kwargs is None else kwargs, out_ind, chunks, dtype, backend, inds, concatenate, *extra,
                *args)


def _arg_plan(node: Blockwise, arg: ArrayExpr, ind: tuple) -> tuple[tuple, tuple]:
    """Per dimension of ``arg``: the position in the output index its block number is taken from (-1: its
    only block, None: contracted), and the contracted dimensions."""
    positions = {letter: p for p, letter in enumerate(node.out_ind)}  # the last of a repeated letter, as dict(zip)
    where, contracted = [], []
    for d, letter in enumerate(ind):
        if arg.numblocks[d] == 1:
            where.append(-1)
        elif letter in positions:
            where.append(positions[letter])
        else:
            where.append(None)
            contracted.append(d)
    return tuple(where), tuple(contracted)


def _block_of(where: tuple, index: tuple) -> tuple:
    return tuple(0 if p == -1 else None if p is None else index[p] for p in where)


def _contracted_keys(arg: ArrayExpr, block: tuple, contracted: tuple, resolve: Callable,
                     level: int = 0) -> list:
    d = contracted[level]
    out = []
    for i in range(arg.numblocks[d]):
        full = block[:d] + (i,) + block[d + 1:]
        if level + 1 < len(contracted):
            out.append(_contracted_keys(arg, full, contracted, resolve, level + 1))
        else:
            out.append(resolve(arg, full))
    return out


def elementwise_chunks(shape_chunks: list[tuple]) -> tuple:
    """Output chunks of broadcasting arrays whose chunks are already aligned."""
    ndim = max((len(c) for c in shape_chunks), default=0)
    out = []
    for d in range(ndim):
        dims = [c[d - ndim + len(c)] for c in shape_chunks if d - ndim + len(c) >= 0]
        non_single = [c for c in dims if not (len(c) == 1 and c[0] == 1)]
        known = [c for c in non_single if not any(_chunks.is_unknown(n) for n in c)]
        out.append((known or non_single or dims)[0])  # a known length, when one block meets an unknown one
    return tuple(out)


def nbytes(expr: ArrayExpr) -> float:
    """Bytes of the whole array (nan if the shape is unknown)."""
    return math.prod(expr.shape) * expr.dtype.itemsize


def is_small(expr: ArrayExpr, limit: int = SMALL_BYTES) -> bool:
    """Whether all nodes of ``expr`` together hold at most ``limit`` bytes (every shape known) and
    run only gpuscale's own kernels (a user's function may be slow on any size)."""
    return expr._subtree_bytes <= limit  # false for nan: an unknown length


def _subtree_bytes(expr: ArrayExpr) -> float:
    # a shared node counts once per use: an overestimate, which only errs towards threads
    if _runs_user_code(expr):
        return math.inf
    return nbytes(expr) + sum(_bytes_of_operand(d) for d in expr.dependencies())


def _bytes_of_operand(expr: Any) -> float:
    return expr._subtree_bytes if isinstance(expr, ArrayExpr) else math.inf


def _runs_user_code(node: ArrayExpr) -> bool:
    kwargs = node.operands[1] if isinstance(node, Blockwise) else {}
    return any(_is_foreign_function(o) for o in [*node.operands, *kwargs.values()])


def _is_foreign_function(obj: Any) -> bool:
    if isinstance(obj, (Expr, type)) or not callable(obj):
        return False
    return not str(getattr(obj, "__module__", None)).startswith("gpuscale.")


class WithChunks(ArrayExpr):
    """``array`` with block lengths now known (after ``compute_chunk_sizes``); blocks are aliased."""

    _parameters = ["array", "known_chunks"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.known_chunks

    def _layer(self) -> dict:
        return {self.key(i): (chunkfn.identity, self.array.key(i)) for i in _chunks.block_indices(self.numblocks)}

    @staticmethod
    def shape_probe(expr: ArrayExpr) -> Any:
        """A collection computing the shape of every block of ``expr`` (nested like its keys)."""
        from gpuscale.array.core import Array

        class _Shapes(Array):
            def _finalizer(self) -> Any:
                return chunkfn.identity

            def _compute_in_place(self, graph: dict, keys: Any) -> Any:
                return None  # the blocks are shapes, not parts of an array

        ind = tuple(range(expr.ndim))
        node = blockwise_expr(chunkfn.block_shape, ind, expr.chunks, expr.dtype, expr.backend, expr, arg_inds=(ind,))
        return _Shapes(node)

    @staticmethod
    def chunks_from(shapes: Any, numblocks: tuple) -> tuple:
        """Per-dimension block lengths from the nested per-block shapes."""
        out = []
        for d, n in enumerate(numblocks):
            lengths = []
            for i in range(n):
                node = shapes
                for level in range(len(numblocks)):
                    node = node[i if level == d else 0]
                lengths.append(int(node[d]))
            out.append(tuple(lengths))
        return tuple(out)
