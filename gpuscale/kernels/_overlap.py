"""Stencils on chunked arrays: each block is extended by its neighbours' edges (a halo).

For every block and every neighbour (diagonals included) one small task cuts
the neighbour's edge of width ``depth``; the block's task glues the block and
those edges together, runs the stencil on the padded block and cuts the halo
off again.  At the array's outer border there is no neighbour, so the stencil
writes ``cval`` there exactly as on the whole array.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.expr import ArrayExpr
from gpuscale.kernels import _numba

__all__ = ["StencilBlocks"]


class StencilBlocks(ArrayExpr):
    """Apply a stencil kernel block by block with halos; arrays are the trailing operands.

    ``literals`` maps argument positions to non-array arguments (scalars,
    standard-indexing arrays); the arrays fill the other positions in order.
    """

    _parameters = ["kernel", "depth", "out_dtype", "literals"]

    @property
    def arrays(self) -> list[ArrayExpr]:
        return self.operands[len(self._parameters):]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.arrays[0].chunks

    @functools.cached_property
    def dtype(self) -> Any:
        return self.out_dtype

    @property
    def backend(self) -> str:
        return self.arrays[0].backend

    @property
    def _funcname(self) -> str:
        return f"stencil-{self.kernel.pyfunc.__name__.lower().replace('_', '-')}"

    def _tree_label(self) -> str:
        return f"StencilBlocks: {self.kernel.name}, depth={self.depth}"

    def _edge_key(self, arg: int, block: tuple, offset: tuple) -> tuple:
        return (f"{self._name}-edge-{arg}", *block, *(o + 1 for o in offset))

    def _layer(self) -> dict:
        layer: dict = {}
        run = functools.partial(_run_padded, self.kernel.chunk_function(), dict(self.literals), self.depth)
        for block in _chunks.block_indices(self.numblocks):
            per_array = [self._halo(layer, k, array, block) for k, array in enumerate(self.arrays)]
            layer[self.key(block)] = (run, per_array)
        return layer

    def _halo(self, layer: dict, arg: int, array: ArrayExpr, block: tuple) -> list:
        """The 3**ndim grid (flattened) of keys around ``block``: centre, edges, or None outside."""
        grid = []
        for offset in itertools.product((-1, 0, 1), repeat=self.ndim):
            neighbour = tuple(b + o for b, o in zip(block, offset))
            if any(n < 0 or n >= nb for n, nb in zip(neighbour, self.numblocks)) or \
                    any(o and not d for o, d in zip(offset, self.depth)):
                grid.append(None)
            elif not any(offset):
                grid.append(array.key(block))
            else:
                key = self._edge_key(arg, block, offset)
                layer[key] = (_edge, array.key(neighbour), _edge_slices(offset, self.depth))
                grid.append(key)
        return grid


def _edge_slices(offset: tuple, depth: tuple) -> tuple:
    # the part of the neighbour at ``offset`` that touches the centre block
    return tuple(slice(None) if o == 0 else (slice(-d, None) if o < 0 else slice(0, d))
                 for o, d in zip(offset, depth))


def _edge(block: Any, slices: tuple) -> Any:
    return block[slices]


def _glue(grid: list, ndim: int) -> tuple[Any, list[tuple[int, int]]]:
    """Concatenate a flattened 3**ndim grid of pieces; return it and the halo widths per axis."""
    centre = grid[len(grid) // 2]
    xp = _numba.chunk_module(centre)
    pieces = grid
    halos = []
    for axis in reversed(range(ndim)):  # collapse the last axis of the grid first
        rows = [pieces[i:i + 3] for i in range(0, len(pieces), 3)]
        pieces = [xp.concatenate([p for p in row if p is not None], axis=axis) if row[1] is not None else None
                  for row in rows]
    for axis in range(ndim):
        before = grid[_grid_index(ndim, axis, 0)]
        after = grid[_grid_index(ndim, axis, 2)]
        halos.append((0 if before is None else before.shape[axis], 0 if after is None else after.shape[axis]))
    return pieces[0], halos


def _grid_index(ndim: int, axis: int, position: int) -> int:
    # flat index of the grid cell that is the centre on every axis but ``axis``
    return sum((position if k == axis else 1) * 3 ** (ndim - 1 - k) for k in range(ndim))


def _run_padded(run: Callable, literals: dict, depth: tuple, grids: list) -> Any:
    ndim = len(depth)
    padded, halos = zip(*(_glue(grid, ndim) for grid in grids))
    arrays = iter(padded)
    nargs = len(grids) + len(literals)
    args = [literals[k] if k in literals else next(arrays) for k in range(nargs)]
    out = run(*args)
    trim = tuple(slice(lo, out.shape[k] - hi) for k, (lo, hi) in enumerate(halos[0]))
    return out[trim]
