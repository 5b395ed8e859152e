"""``cumreduction``: a generic scan along one axis from user functions, as ``dask.array.reductions.cumreduction``.

``func`` scans each block on its own (``numpy.cumsum``); the running value entering block ``i`` is
``binop(running value entering block i-1, last slice of block i-1's scan)``, starting from ``ident``, and
block ``i``'s result is ``binop(running value, its own scan)``.  The carries form one chain along the axis
(dask's "sequential" method); blocks of other axes run in parallel.  xarray's ``ffill`` / ``bfill`` on
chunked data are built on this (``GpuscaleManager.scan``).
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.expr import ArrayExpr, blockwise_expr
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array import _sources

__all__ = ["cumreduction", "Scan"]


class Scan(ArrayExpr):
    """Finish a scan: ``scanned`` holds each block's own scan along ``axis``; carry the running value."""

    _parameters = ["scanned", "binop", "ident", "axis", "dtype_"]

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.scanned.chunks

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    @property
    def backend(self) -> str:
        return self.scanned.backend

    def _tree_label(self) -> str:
        return f"Scan(axis={self.axis}): shape={self.shape}, numblocks={self.numblocks}"

    def _layer(self) -> dict:
        m, axis = self.scanned, self.axis
        carry_name = self._name + "-carry"
        layer: dict = {}
        for index in _chunks.block_indices(self.numblocks):
            i = index[axis]
            if i == 0:
                layer[self.key(index)] = (chunkfn.identity, m.key(index))
                continue
            previous = index[:axis] + (i - 1,) + index[axis + 1:]
            carry_in = (carry_name, *previous) if i > 1 else \
                (_sources.scan_ident, m.key(previous), self.ident, axis, self.dtype_)
            layer[(carry_name, *index)] = (_sources.scan_carry, self.binop, carry_in, m.key(previous), axis)
            layer[self.key(index)] = (_sources.scan_apply, self.binop, (carry_name, *index), m.key(index))
        return layer


def cumreduction(func: Callable, binop: Callable, ident: Any, x: Array, axis: int | None = None,
                 dtype: Any = None, method: str = "sequential", preop: Callable | None = None) -> Array:
    """A cumulative reduction along ``axis`` from user functions, as ``dask.array.reductions.cumreduction``.

    Parameters
    ----------
    func
        Scans one block: ``func(block, axis=axis)`` (``dtype=`` too when it accepts it), e.g. ``numpy.cumsum``.
    binop
        Combines a running value (one slice along ``axis``) with a block, e.g. ``numpy.add``.
    ident
        The identity of ``binop`` (``0`` for a sum, ``nan`` for a forward fill).
    axis
        The scanned axis; ``None`` scans the flattened array.
    dtype
        Output dtype (default: ``func``'s on a small block).
    method, preop
        Accepted for dask compatibility: ``"blelloch"`` runs the same sequential chain (``preop`` unused),
        with the same result.
    """
    if method not in ("sequential", "blelloch"):
        raise ValueError(f'Invalid method for cumreduction.  Expected "sequential" or "blelloch".  Got: {method!r}')
    if axis is None:
        from gpuscale.array.manipulation import reshape

        x, axis = reshape(x, (-1,)), 0
    if not -x.ndim <= axis < x.ndim:
        from gpuscale.array.statistical import AxisError

        raise AxisError(f"axis {axis} is out of bounds for array of dimension {x.ndim}")
    axis = axis % x.ndim
    if dtype is None:
        try:
            dtype = chunkfn.meta_call(x.backend, func, chunkfn.Meta(x.dtype, x.ndim), axis=axis)
        except Exception:
            dtype = x.dtype
    dtype = chunkfn.numpy_dtype(dtype)
    ind = tuple(range(x.ndim))
    scanned = blockwise_expr(_sources.scan_first, ind, x.chunks, dtype, x.backend, func, x._expr, axis, dtype,
                             arg_inds=(None, ind, None, None))
    if x.numblocks[axis] == 1:
        return Array(scanned)
    return Array(Scan(scanned, binop, ident, axis, dtype))
