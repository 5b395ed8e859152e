"""``concat``: arrays joined along an existing axis by re-labelling their blocks (:class:`Concatenate`; no
data touched), the other axes' blocks aligned first."""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array._operands import as_arrays
from gpuscale.array.core import Array
from gpuscale.array.expr import ArrayExpr
from gpuscale.array.rechunk import rechunk_expr
from gpuscale.array.reshaping import reshape
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["Concatenate", "concat"]


class Concatenate(ArrayExpr):
    """Arrays joined along ``axis`` (blocks re-labelled; other dimensions already aligned)."""

    _parameters = ["axis"]

    @property
    def inputs(self) -> list:
        return self.operands[1:]

    @functools.cached_property
    def chunks(self) -> tuple:
        first = self.inputs[0].chunks
        joined = tuple(c for e in self.inputs for c in e.chunks[self.axis])
        return first[: self.axis] + (joined,) + first[self.axis + 1:]

    def _layer(self) -> dict:
        axis = self.axis  # (asked once, not per block)
        owners = [(e._name, i) for e in self.inputs for i in range(e.numblocks[axis])]
        layer = {}
        for index in _chunks.block_indices(self.numblocks):
            name, local = owners[index[axis]]
            layer[self.key(index)] = (chunkfn.identity, (name, *index[:axis], local, *index[axis + 1:]))
        return layer


def concat(arrays: Any, /, axis: int | None = 0, allow_unknown_chunksizes: bool = False) -> Array:  # NumPy: axis positional
    """Join arrays along an existing axis (``axis=None``: flatten first).

    Along the other axes the lengths must match; where they are unknown (after boolean indexing) they
    cannot be checked, so, as in dask, ``allow_unknown_chunksizes=True`` is needed to join arrays with as many
    blocks there (a mismatch shows when computed).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> a, b = ga.arange(3, device="cpu"), ga.arange(3, 5, device="cpu")
    >>> ga.concat([a, b]).compute().tolist()
    [0, 1, 2, 3, 4]
    """
    from gpuscale.array.dtypes import astype, result_type

    arrays = as_arrays(arrays)  # NumPy arrays among them too, as dask's concatenate
    if not arrays:
        raise ValueError("need at least one array to concatenate")  # (NumPy's message)
    if axis is None:
        arrays = [reshape(a, (-1,)) for a in arrays]
        axis = 0
    ndim = arrays[0].ndim
    if ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    (axis,) = normalize_axis(axis, ndim)
    _check_concat_shapes(arrays, axis, allow_unknown_chunksizes)
    dtype = result_type(*arrays)
    arrays = [astype(a, dtype) if a.dtype != dtype else a for a in arrays]
    exprs = _align_except(arrays, axis)
    return Array(Concatenate(axis, *exprs))


def _check_concat_shapes(arrays: list, axis: int, allow_unknown: bool) -> None:
    first = arrays[0]
    for i, a in enumerate(arrays[1:], 1):
        if a.ndim != first.ndim:
            raise ValueError(f"all the input arrays must have the same number of dimensions, but the array at index "
                             f"0 has {first.ndim} dimension(s) and the array at index {i} has {a.ndim}")
        for d in range(a.ndim):
            if d != axis and (_chunks.is_unknown(a.shape[d]) or _chunks.is_unknown(first.shape[d])):
                if allow_unknown and len(a.chunks[d]) == len(first.chunks[d]):
                    continue  # assumed to line up, as dask does
                raise ValueError(f"cannot join arrays of shapes {first.shape} and {a.shape}: their lengths along "
                                 f"dimension {d} are unknown (nan, after a data-dependent operation), so they cannot "
                                 "be checked; pass allow_unknown_chunksizes=True if they match (with as many blocks), "
                                 "or call x.compute_chunk_sizes() first")
            if d != axis and a.shape[d] != first.shape[d]:
                raise ValueError(f"Shapes do not align: {first.shape} and {a.shape}: all the input array "
                                 f"dimensions except for the concatenation axis must match exactly, but along "
                                 f"dimension {d}, the array at index 0 has size {first.shape[d]} and the array at "
                                 f"index {i} has size {a.shape[d]}")


def _align_except(arrays: list, axis: int) -> list[ArrayExpr]:
    out = []
    targets = [_chunks.common_chunks([a.chunks[d] for a in arrays])
               if d != axis and not any(_chunks.is_unknown(a.shape[d]) for a in arrays) else None
               for d in range(arrays[0].ndim)]
    for a in arrays:  # (unknown lengths: each keeps its blocks, as many as the others' - checked above)
        new = tuple(targets[d] or a.chunks[d] for d in range(a.ndim))
        out.append(rechunk_expr(a._expr, new))
    return out
