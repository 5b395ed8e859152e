"""SciPy (and CuPy's ``cupyx.scipy.sparse``) sparse matrices held as blocks, as dask.array holds them:
``x.map_blocks(scipy.sparse.csr_matrix)`` and ``from_array(csr)`` give arrays whose blocks are sparse.

Joining such blocks (a ``compute()`` result, a rechunk) keeps them sparse, with the sparse library's own
block assembly (``bmat``), instead of asking NumPy to put a matrix object into an array element.  These
matrices are always 2-d.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

_SPARSE_MODULES = {"scipy": "scipy.sparse", "cupyx": "cupyx.scipy.sparse"}


def is_sparse(block: Any) -> bool:
    """True for a SciPy or CuPy sparse matrix / array."""
    module = type(block).__module__
    root = module.partition(".")[0]
    return root in _SPARSE_MODULES and module.startswith(_SPARSE_MODULES[root]) and hasattr(block, "tocsr")


def _library(block: Any) -> Any:
    return importlib.import_module(_SPARSE_MODULES[type(block).__module__.partition(".")[0]])


def sparse_concat(nested: list, axes: tuple) -> Any:
    """The blocks of ``nested`` (depth ``d`` joined along ``axes[d]``; 2-d blocks) as one sparse matrix of the
    first sparse block's format and container type (``csr_matrix`` blocks give a ``csr_matrix``); dense
    blocks among them are made sparse."""
    first = _first_sparse(_leaves(nested))
    sparse = _library(first)
    grid = _grid(nested, axes)
    joined = sparse.bmat([[_as_sparse(b, sparse) for b in row] for row in grid])
    return _like(joined, first)


def _leaves(nested: Any) -> list:
    if not isinstance(nested, list):
        return [nested]
    return [leaf for child in nested for leaf in _leaves(child)]


def _first_sparse(blocks: list) -> Any:
    return next(b for b in blocks if is_sparse(b))


def _grid(nested: list, axes: tuple) -> list:
    """``nested`` as rows of blocks (the first index down axis 0)."""
    if len(axes) == 1:  # one level: a column (axis 0) or a row (axis 1) of blocks
        return [[b] for b in nested] if axes[0] == 0 else [list(nested)]
    rows = [list(r) for r in nested]
    return rows if tuple(axes[:2]) == (0, 1) else [list(c) for c in zip(*rows)]


def _as_sparse(block: Any, sparse: Any) -> Any:
    return block if is_sparse(block) else sparse.csr_matrix(block)


def _like(joined: Any, first: Any) -> Any:
    """``joined`` in ``first``'s format (csr, csc ...) and container (``*_matrix`` or ``*_array``)."""
    return type(first)(joined.asformat(first.format))


class ResultSparse:
    """Sparse blocks of one ``compute()`` result written in place (``into_result``; 2-d results): the result
    buffer is dense, so each sparse block is kept here; :meth:`finish` joins them into a sparse result when
    every block was sparse (dask.array's result), else writes their dense values into the buffer."""

    def __init__(self, nblocks: int) -> None:
        self.nblocks, self.blocks = nblocks, []
        self._lock = threading.Lock()  # blocks arrive from several worker threads

    def record(self, region: tuple, block: Any) -> None:
        with self._lock:
            self.blocks.append((region, block))

    def finish(self, out: Any) -> Any:
        """The result: the sparse join of all blocks, else ``out`` (an array, or a ``LazyResult``) as an
        array holding every block."""
        if self.blocks and len(self.blocks) == self.nblocks:
            rows = {start: i for i, start in enumerate(sorted({r[0].start for r, _ in self.blocks}))}
            cols = {start: j for j, start in enumerate(sorted({r[1].start for r, _ in self.blocks}))}
            grid = [[None] * len(cols) for _ in rows]
            for region, block in self.blocks:
                grid[rows[region[0].start]][cols[region[1].start]] = block
            return sparse_concat(grid, (0, 1))
        out = out.finished() if hasattr(out, "finished") else out
        for region, block in self.blocks:
            out[region] = block.toarray()
        return out


def sparse_take(block: Any, index: Any, axis: int) -> Any:
    """``block`` (sparse) at the integer positions ``index`` along ``axis`` (0 or 1), as ``numpy.take``."""
    return block[index, :] if axis == 0 else block[:, index]


def sparse_gather(blocks: list, locals_: list, order: Any, axis: int) -> Any:
    """``gather_along`` for sparse blocks: each block's positions taken, the parts joined along ``axis`` and
    put back in ``order`` (None: already in order)."""
    first = _first_sparse(blocks)
    sparse = _library(first)
    parts = [sparse_take(_as_sparse(b, sparse), local, axis) for b, (local,) in zip(blocks, locals_)]
    joined = parts[0] if len(parts) == 1 else _like((sparse.vstack if axis == 0 else sparse.hstack)(parts), first)
    return joined if order is None else sparse_take(joined, order, axis)


def sparse_setitem(block: Any, index: tuple, value: Any) -> Any:
    """A copy of the sparse ``block`` with ``block[index] = value``."""
    import warnings

    out = block.copy()
    with warnings.catch_warnings():  # "changing the sparsity structure is expensive": it is one block
        warnings.simplefilter("ignore")
        out[index] = value
    return out
