"""Shapes of data-dependent results: known at once for in-memory inputs, ``nan`` for lazy ones.

Boolean-mask indexing, ``nonzero`` and the ``unique_*`` functions give
results whose length depends on the values.  When an input is lazy (it
still has to be computed: ``ga.ones(n) + 1``, a file reader, ...) the
length stays ``nan`` until computed, as in dask.array.  When every input is
already in memory, the operation runs right away on the blocks (one chunk
function per block, on the chunks' own device) and the result has a known
shape and chunks, as in NumPy or CuPy.

An array is *in memory* when its expression reads only in-memory blocks
(``asarray``, ``from_array``, ``persist``), possibly rearranged by pure
layout steps (reshape, permute, rechunk, basic slicing), or when it has no
elements at all (nothing to compute).
"""

from __future__ import annotations

from typing import Any, Sequence

from gpuscale import config
from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.expr import ArrayExpr, Blockwise, FromArray, FromChunks, Opaque
from gpuscale.backends import array as chunkfn

__all__ = ["in_memory", "evaluate_now", "known_when_in_memory"]

# namespace functions that only move elements (no arithmetic): cheap to run on in-memory data
_LAYOUT_FUNCTIONS = frozenset({"reshape", "permute_dims"})


def known_when_in_memory(inputs: Sequence[Array], outputs: Sequence[Array]) -> tuple[Array, ...]:
    """``outputs`` evaluated now (known shapes) if every input is in memory, else unchanged (lazy)."""
    return evaluate_now(*outputs) if in_memory(*inputs) else tuple(outputs)


def in_memory(*arrays: Array) -> bool:
    """True when the data of every array is already in memory (see the module docstring)."""
    return all(_expr_in_memory(a._expr) for a in arrays)


def in_memory_values(x: Array) -> Any:
    """The values of an in-memory array: the array it was made from when it is one (``asarray`` of NumPy data:
    no plan to run, so xarray's laziness checks see no compute), else computed."""
    expr = x._expr
    if isinstance(expr, FromArray) and tuple(expr.data.value.shape) == x.shape:
        return expr.data.value
    return x.compute()


def evaluate_now(*arrays: Array) -> tuple[Array, ...]:
    """The arrays computed together on the local runtime, as in-memory arrays with known chunks."""
    from gpuscale.collection import persist

    persisted = persist(*arrays, scheduler=_local_scheduler())
    return tuple(_with_known_chunks(p) for p in persisted)


def _expr_in_memory(expr: ArrayExpr) -> bool:
    stack, seen = [expr], set()
    while stack:  # a loop, not recursion: layout steps may be chained thousands deep
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, (FromArray, FromChunks)):
            if not _holds_data(node):
                return False
        elif not node.dependencies():
            if not _has_no_elements(node):  # e.g. zeros((0, 3)): nothing to compute
                return False
        elif _is_layout_step(node):
            stack.extend(node.dependencies())
        else:
            return False
    return True


def _holds_data(expr: ArrayExpr) -> bool:
    # blocks persisted on a distributed cluster are futures: their data is not here
    if isinstance(expr, FromArray):
        return True
    return all(hasattr(chunk, "shape") for chunk in expr.blocks.value.values())


def _has_no_elements(expr: ArrayExpr) -> bool:
    return any(n == 0 for n in expr.shape)


def _is_layout_step(expr: ArrayExpr) -> bool:
    from gpuscale.array.axiswise import BlockReshape
    from gpuscale.array.indexing import GetItem  # deferred: indexing uses this module
    from gpuscale.array.rechunk import Rechunk

    if isinstance(expr, (GetItem, Rechunk, BlockReshape)):
        return True
    if isinstance(expr, Blockwise) and expr.func is chunkfn.getitem:  # length-1 axes added or removed
        return True
    return isinstance(expr, Blockwise) and expr.func is chunkfn.xp_call and expr.args[0] in _LAYOUT_FUNCTIONS


def _local_scheduler() -> str:
    # the inputs are in this process: run here, with the configured local executor if there is one
    chosen = config.get("scheduler")
    return chosen if isinstance(chosen, str) and chosen != "distributed" else "threads"


def _with_known_chunks(persisted: Array) -> Array:
    expr = persisted._expr
    blocks = expr.blocks.value
    chunks = _chunks_of_blocks(blocks, persisted.chunks)
    return Array(FromChunks(Opaque(blocks, expr.blocks.token), chunks, persisted.dtype, persisted.backend))


def _chunks_of_blocks(blocks: dict, chunks: tuple) -> tuple:
    """Per-dimension block lengths read from the blocks' shapes (metadata only, no data copied)."""
    known = []
    for d, dim in enumerate(chunks):
        if not any(_chunks.is_unknown(n) for n in dim):
            known.append(dim)
            continue
        known.append(tuple(int(blocks[_along(d, i, len(chunks))].shape[d]) for i in range(len(dim))))
    return tuple(known)


def _along(axis: int, i: int, ndim: int) -> tuple:
    """Index of block ``i`` along ``axis`` (block 0 along the others)."""
    return tuple(i if d == axis else 0 for d in range(ndim))
