"""Changing the block structure of an array (``rechunk``) and aligning operands."""

from __future__ import annotations

import functools
import itertools
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.expr import ArrayExpr
from gpuscale.backends import array as chunkfn

__all__ = ["Rechunk", "rechunk_expr", "align_chunks"]


class Rechunk(ArrayExpr):
    """Blocks of ``array`` cut and joined into ``new_chunks``.

    Each output block is assembled from the slices of the input blocks it
    overlaps, so no task holds more than one output block plus its inputs.
    """

    _parameters = ["array", "new_chunks"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.new_chunks

    def _simplify_down(self) -> ArrayExpr | None:
        if self.new_chunks == self.array.chunks:
            return self.array
        if isinstance(self.array, Rechunk):
            return Rechunk(self.array.array, self.new_chunks)
        return None

    def _layer(self) -> dict:
        old = self.array.chunks
        pieces = [_pieces(old[d], self.chunks[d]) for d in range(self.ndim)]
        layer = {}
        for index in _chunks.block_indices(self.numblocks):
            layer[self.key(index)] = self._assemble([pieces[d][i] for d, i in enumerate(index)])
        return layer

    def _assemble(self, per_dim: list[list[tuple]]) -> tuple:
        if all(len(p) == 1 and p[0][3] for p in per_dim):
            return (chunkfn.identity, self.array.key(tuple(p[0][0] for p in per_dim)))
        nested = _nest(self.array, per_dim, ())
        return (chunkfn.concat_nested, nested, tuple(range(self.ndim)))


def _pieces(old: tuple, new: tuple) -> list[list[tuple]]:
    """For each new block: ``(old block, start, stop, whole)`` of each old block it overlaps."""
    out = []
    for start, n in zip(_chunks.offsets(new), new):
        covering = _chunks.blocks_covering(old, start, start + n)
        if not covering:  # an empty block: take an empty slice of a neighbour
            block = min(_block_at(old, start), len(old) - 1)
            covering = [(block, 0, 0)]
        out.append([(b, lo, hi, lo == 0 and hi == old[b]) for b, lo, hi in covering])
    return out


def _block_at(old: tuple, position: int) -> int:
    return sum(1 for o in itertools.accumulate(old) if o <= position)


def _nest(array: ArrayExpr, per_dim: list, prefix: tuple) -> Any:
    d = len(prefix)
    if d == len(per_dim):
        blocks = tuple(p[0] for p in prefix)
        slices = tuple(slice(p[1], p[2]) for p in prefix)
        return (chunkfn.getitem, array.key(blocks), slices)
    return [_nest(array, per_dim, (*prefix, piece)) for piece in per_dim[d]]


def rechunk_expr(expr: ArrayExpr, chunks: tuple) -> ArrayExpr:
    """``Rechunk`` unless the chunks already match.

    Raises
    ------
    ValueError
        If a dimension with unknown block lengths would have to change.
    """
    if tuple(chunks) == expr.chunks:
        return expr
    for d, (old, new) in enumerate(zip(expr.chunks, chunks)):
        if old != new and any(_chunks.is_unknown(c) for c in old):
            raise ValueError(f"cannot rechunk axis {d}: its block lengths are unknown (after a data-dependent "
                             "operation); compute the array first")
    return Rechunk(expr, tuple(chunks))


def align_chunks(exprs: list[ArrayExpr], ndim: int) -> list[ArrayExpr]:
    """Rechunk broadcasting operands so their blocks line up (dimensions counted from the right)."""
    targets = []
    for d in range(ndim):
        dims = [e.chunks[d - ndim + e.ndim] for e in exprs
                if d - ndim + e.ndim >= 0 and e.shape[d - ndim + e.ndim] != 1]
        if any(any(_chunks.is_unknown(c) for c in dim) for dim in dims):
            _check_unknown_match(dims, d, exprs)
            targets.append(dims[0] if dims else None)
        else:
            targets.append(_chunks.common_chunks(dims) if dims else None)
    out = []
    for e in exprs:
        new = tuple(targets[d - e.ndim + ndim] if targets[d - e.ndim + ndim] is not None and e.shape[d] != 1
                    else e.chunks[d] for d in range(e.ndim))
        out.append(rechunk_expr(e, new))
    return out


def _check_unknown_match(dims: list[tuple], axis: int, exprs: list[ArrayExpr]) -> None:
    if any(len(d) != len(dims[0]) for d in dims):
        shapes = ", ".join(f"{e.shape} with chunks {e.chunks}" for e in exprs)
        raise ValueError(f"cannot align arrays of unknown block lengths along axis {axis}: {shapes}")
