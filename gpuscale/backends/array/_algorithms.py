"""Block algorithms: nonzero, searchsorted, sort, unique, diff, matmul, TSQR."""

from __future__ import annotations

import itertools
from typing import Any

from gpuscale.backends.array._blas import single_threaded_blas
from gpuscale.backends.array._core import library_of, module_for, namespace
from gpuscale.backends.array._masked import has_masked, masked_sum_of_products


# -- searching, sorting, sets ----------------------------------------------------------------------------------
def nonzero_block(x: Any, dim: int, offsets: tuple, index: tuple) -> Any:
    """Indices along ``dim`` of the non-zero elements of block ``index`` (rows offset to global positions)."""
    xp = namespace(x)
    found = xp.nonzero(x)[dim]
    return found + offsets[index[0]] if dim == 0 and offsets[index[0]] else found


def searchsorted_blocks(sorted_blocks: Any, values: Any, side: str) -> Any:
    """Insertion points of ``values`` in the concatenation of sorted blocks (sum of per-block points)."""
    blocks = sorted_blocks if isinstance(sorted_blocks, list) else [sorted_blocks]
    xp = namespace(values, *blocks)
    flat = xp.reshape(values, (-1,)) if values.ndim != 1 else values
    total = None
    for block in blocks:
        part = xp.searchsorted(block, flat, side=side)
        total = part if total is None else total + part
    total = xp.astype(total, xp.int64)
    return xp.reshape(total, values.shape) if values.ndim != 1 else total


def sort_block(x: Any, axis: int, descending: bool, stable: bool, indices: bool) -> Any:
    """``sort`` or ``argsort`` of a block along ``axis``."""
    xp = namespace(x)
    func = xp.argsort if indices else xp.sort
    return func(x, axis=axis, descending=descending, stable=stable)


def uniform_step(coordinates: Any) -> float | None:
    """The common step of evenly spaced host coordinates (``numpy.gradient`` then takes the plain central
    difference, whose unweighted middle value keeps a NaN to itself), else None."""
    import numpy as np

    values = np.asarray(coordinates, dtype="float64")
    if values.ndim != 1 or len(values) < 2:
        return None
    steps = np.diff(values)
    return float(steps[0]) if bool(np.all(steps == steps[0])) else None


def diff_block(x: Any, axis: int, n: int) -> Any:
    """``diff`` of a block that overlaps its neighbour by ``n`` elements along ``axis``."""
    xp = namespace(x)
    return xp.diff(x, axis=axis, n=n)


def matmul_blocks(a_blocks: Any, b_blocks: Any, one_blas_thread: bool = False, out: Any = None) -> Any:
    """Sum over the contracted blocks of ``a_k @ b_k``, accumulated in place into the first product.

    ``one_blas_thread``: the output has several blocks, so runtime workers
    multiply blocks side by side; BLAS then runs one thread per product
    (:mod:`gpuscale.backends.array._blas`).  ``out``: a NumPy or CuPy array
    (a region of the final result) to write the sum into.
    """
    a_blocks = a_blocks if isinstance(a_blocks, list) else [a_blocks]
    b_blocks = b_blocks if isinstance(b_blocks, list) else [b_blocks]
    if not one_blas_thread:
        return _sum_of_products(a_blocks, b_blocks, out)
    with single_threaded_blas():
        return _sum_of_products(a_blocks, b_blocks, out)


matmul_blocks.writes_into = True  # accepts ``out=`` (see ``_result.write_into``)


def tensordot_block(a: Any, b: Any, axes: tuple, one_blas_thread: bool = False) -> Any:
    """``tensordot`` of two blocks holding the whole contracted axes (one BLAS thread: see ``matmul_blocks``)."""
    tensordot = namespace(a, b).tensordot
    if not one_blas_thread:
        return tensordot(a, b, axes=axes)
    with single_threaded_blas():
        return tensordot(a, b, axes=axes)


def _sum_of_products(a_blocks: list, b_blocks: list, out: Any = None) -> Any:
    if has_masked(a_blocks + b_blocks):
        return masked_sum_of_products(zip(a_blocks, b_blocks), out)
    pairs = iter(zip(a_blocks, b_blocks))
    a, b = next(pairs)
    # the first product lands in ``out`` (a region of the result) or a fresh array owned by this task
    total = a @ b if out is None else module_for(library_of(a)).matmul(a, b, out=out)
    for a, b in pairs:
        total += a @ b
    return total


def tsqr_block(x: Any) -> tuple:
    """``(Q, R)`` of a tall block."""
    return tuple(namespace(x).linalg.qr(x))


def stack_r_and_qr(parts: list) -> tuple:
    """QR of the stacked R factors of every block: ``(Q2, R, rows)``, ``rows[i]`` the rows of Q2 that belong
    to block ``i`` (taken from the factors: block lengths may be unknown until now, or zero)."""
    xp = namespace(*(p[1] for p in parts))
    q2, r = xp.linalg.qr(xp.concat([p[1] for p in parts], axis=0))
    stops = list(itertools.accumulate(p[1].shape[0] for p in parts))
    return q2, r, tuple(zip([0, *stops[:-1]], stops))


def tsqr_q_block(part: tuple, second: tuple, index: tuple) -> Any:
    """Final Q block: the block's own Q times its rows of the second-stage Q."""
    start, stop = second[2][index[0]]
    return part[0] @ second[0][start:stop, :]
