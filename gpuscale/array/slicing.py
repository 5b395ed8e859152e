"""Basic indexing (ints, slices with steps, ``None``, ``...``), and the parsing of a key that ``x[key]`` and
``x[key] = v`` share.

Basic indices are resolved against the block structure when the expression
is built: each output block reads exactly one input block, and out-of-range
integers raise ``IndexError`` at once, as in NumPy.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import ArrayExpr
from gpuscale.array.concatenation import Concatenate
from gpuscale.backends import array as chunkfn

__all__ = ["GetItem", "basic_getitem", "UnknownLengthError"]


class GetItem(ArrayExpr):
    """Basic indexing; ``plan`` holds, per output dimension, the input block and local index of each block."""

    _parameters = ["array", "plan", "chunks_"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.chunks_

    def _simplify_down(self) -> ArrayExpr | None:
        # the blocks read from a join may all come from one of its inputs: index that input alone, so
        # x[i] of a concatenation builds and runs no task for the others
        return _from_one_joined_input(self)

    def _layer(self) -> dict:
        layer = {}
        for index in _chunks.block_indices(self.numblocks):
            source, local = _resolve(self.plan, index)
            layer[self.key(index)] = (chunkfn.getitem, self.array.key(source), local)
        return layer


def _from_one_joined_input(expr: GetItem) -> ArrayExpr | None:
    join = expr.array
    if not isinstance(join, Concatenate):
        return None
    at = [i for i, (kind, _) in enumerate(expr.plan) if kind != "new"][join.axis]  # the entry of the joined axis
    kind, data = expr.plan[at]
    owners = [(k, b) for k, e in enumerate(join.inputs) for b in range(e.numblocks[join.axis])]
    blocks = [data[0]] if kind == "int" else [b for b, _ in data]
    inputs = {owners[b][0] for b in blocks}
    if len(inputs) != 1:
        return None
    local = (owners[data[0]][1], data[1]) if kind == "int" else tuple((owners[b][1], sl) for b, sl in data)
    plan = expr.plan[:at] + ((kind, local),) + expr.plan[at + 1:]
    return GetItem(join.inputs[inputs.pop()], plan, expr.chunks_)


def _resolve(plan: tuple, index: tuple) -> tuple:
    """Input block and local index for an output block; ``plan`` entries: ('int'|'slice'|'new', ...)."""
    it = iter(index)
    source, local = [], []
    for kind, data in plan:
        if kind == "int":
            source.append(data[0])
            local.append(data[1])
        elif kind == "new":
            next(it)
            local.append(None)
        else:
            block, sl = data[next(it)]
            source.append(block)
            local.append(sl)
    return tuple(source), tuple(local)


def _slice_dim(dim: tuple, length: int, s: slice) -> list[tuple[int, slice, int]]:
    """Blocks read by slice ``s`` of a dimension: ``(block, local slice, count)`` in output order."""
    r = range(*s.indices(length))
    step = r.step
    out = []
    for block, (lo, n) in enumerate(zip(_chunks.offsets(dim), dim)):
        hi = lo + n
        k0, k1 = chunkfn.range_in_block(r, lo, hi)
        if k1 > k0:
            out.append((block, chunkfn.local_slice(r[k0] - lo, k1 - k0, step), k1 - k0))
    if step < 0:
        out.reverse()
    if not out:  # empty result: an empty slice of the first block
        out.append((0, slice(0, 0, 1), 0))
    return out


def _expand(key: Any, ndim: int) -> tuple:
    key = key if isinstance(key, tuple) else (key,)
    if sum(k is Ellipsis for k in key) > 1:
        raise IndexError("an index can only have a single ellipsis ('...')")
    used = sum(_dims_indexed(k) for k in key if k is not None and k is not Ellipsis)
    if used > ndim:
        raise IndexError(f"too many indices for array: array is {ndim}-dimensional, but {used} were indexed")
    if Ellipsis in [k for k in key if not is_array(k) and not hasattr(k, "shape")]:
        i = next(i for i, k in enumerate(key) if k is Ellipsis)
        key = key[:i] + (slice(None),) * (ndim - used) + key[i + 1:]
    return key + (slice(None),) * (ndim - sum(_dims_indexed(k) for k in key if k is not None))


def _advanced_apart(key: Any) -> bool:
    """Whether NumPy puts the broadcast dimensions of ``key``'s advanced indices first: the key holds an index
    array (a boolean scalar counts) and its advanced entries (arrays and integers) are not next to each other.

    Read before ``_expand``: an Ellipsis between them parts them even where it stands for no axes, as in NumPy.
    """
    key = key if isinstance(key, tuple) else (key,)
    if not any(is_array(k) and not (k.ndim == 0 and k.dtype.kind in "iu") for k in key):
        return False  # ints and slices only: basic indexing
    at = [i for i, k in enumerate(key)
          if is_array(k) or (k is not None and not isinstance(k, slice) and _is_basic(k))]
    return at != list(range(at[0], at[-1] + 1))


def _dims_indexed(k: Any) -> int:
    """Dimensions an index entry consumes: a boolean array consumes its own ndim (0-d: none)."""
    return k.ndim if is_array(k) and k.dtype.kind == "b" else 1


def _is_basic(k: Any) -> bool:
    return k is None or isinstance(k, slice) or (chunkfn.python_scalar_type(k) is int and not isinstance(k, bool)) \
        or (is_array(k) and k.ndim == 0 and k.dtype.kind in "iu")


class UnknownLengthError(ValueError, IndexError):
    """Indexing that needs a length that is unknown until computed: a ``ValueError`` as in dask.array, and an
    ``IndexError`` as gpuscale raised before."""


def basic_getitem(x: Array, key: tuple) -> Array:
    """``x[key]`` for a key of ints, slices and None (already expanded)."""
    plan, chunks, dim = [], [], 0
    for k in key:
        if k is None:
            plan.append(("new", None))
            chunks.append((1,))
            continue
        length, dim_chunks = x.shape[dim], x.chunks[dim]
        if isinstance(k, slice):
            if _chunks.is_unknown(length):
                if k != slice(None):
                    raise UnknownLengthError(f"Arrays chunk sizes are unknown: cannot slice axis {dim} of unknown "
                                             "length (after a data-dependent operation such as boolean indexing); "
                                             "call x.compute_chunk_sizes() first")
                pieces = [(b, slice(None), n) for b, n in enumerate(dim_chunks)]
            else:
                pieces = _slice_dim(dim_chunks, length, k)
            plan.append(("slice", tuple((b, s) for b, s, _ in pieces)))
            chunks.append(tuple(n for _, _, n in pieces))
        else:
            i = operator.index(k)
            if _chunks.is_unknown(length):
                raise UnknownLengthError(f"Arrays chunk sizes are unknown: cannot index axis {dim} of unknown "
                                         f"length with {i} (after a data-dependent operation such as boolean "
                                         "indexing); call x.compute_chunk_sizes() first")
            if not -length <= i < length:
                raise IndexError(f"index {i} is out of bounds for axis {dim} with size {length}")
            i %= length
            block = sum(1 for o in _chunks.offsets(dim_chunks)[1:] if o <= i)
            plan.append(("int", (block, i - _chunks.offsets(dim_chunks)[block])))
        dim += 1
    if all(k == slice(None) for k in key) and len(key) == x.ndim:
        return Array(x._expr)
    return Array(GetItem(x._expr, tuple(plan), tuple(chunks)))


def _to_arrays(key: Any, x: Array) -> Any:
    from gpuscale.array.creation import asarray

    def convert(k: Any) -> Any:
        if isinstance(k, list) and not k:  # NumPy's empty list selects nothing: an empty integer index
            return asarray(k, dtype="int64", backend=x.backend)
        if isinstance(k, (list,)) or (hasattr(k, "shape") and not is_array(k)):
            return asarray(k, backend=x.backend, chunks=-1)  # one block: take re-cuts it in x's blocks
        if isinstance(k, bool):
            return asarray(k, backend=x.backend)
        return k

    return tuple(convert(k) for k in key) if isinstance(key, tuple) else convert(key)
