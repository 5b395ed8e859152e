"""Evenly spaced values and coordinate grids: ``arange``, ``linspace`` and ``meshgrid`` (each block of
``arange`` and ``linspace`` computes only its own values)."""

from __future__ import annotations

import math
import operator
from typing import Any

from gpuscale.array.conversion import asarray
from gpuscale.array.core import Array, is_array
from gpuscale.array.creation_common import _create, _dtype, normalize, resolve_backend
from gpuscale.array.expr import BlockSlices
from gpuscale.backends import array as chunkfn

__all__ = ["arange", "linspace", "meshgrid"]


def arange(start: Any = None, /, stop: Any = None, step: Any = 1, *, dtype: Any = None, device: Any = None,
           chunks: Any = "auto", backend: str | None = None, like: Any = None, name: Any = None) -> Array:
    """Evenly spaced values in ``[start, stop)``.

    The dtype is NumPy's for the same arguments (``arange(np.uint8(3), 13)`` is int64, any float makes
    float64, a ``float32`` start with a ``float32`` stop float32 ...).  ``like=`` (dask's, as NumPy's): a
    gpuscale array whose backend the result takes, unless ``backend=`` or ``device=`` says otherwise.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(0, 10, 2, chunks=2, device="cpu")
    >>> x.chunks, x.compute().tolist()
    (((2, 2, 1),), [0, 2, 4, 6, 8])
    """
    if start is None and stop is None:
        raise TypeError("arange() requires stop to be specified")
    if stop is None:
        start, stop = (0, start) if start is not None else (0, stop)
    start = 0 if start is None else start
    if step == 0:
        raise ValueError("arange: step must not be zero")
    length = max(0, math.ceil((stop - start) / step))
    dtype = _dtype(dtype, chunkfn.arange_dtype(start, stop, step))
    chunkfn.check_arange_ends(start, step, length, dtype)  # arange(-1, 3, dtype="uint8"): NumPy's OverflowError
    backend = resolve_backend(backend or (getattr(like, "backend", None) if device is None else None), device)
    normalized = normalize(chunks, (length,), dtype, backend)
    return _create(chunkfn.arange_block, (0,), normalized, dtype, backend, backend, start, step, dtype,
                   BlockSlices(), name=name)


def linspace(start: Any, stop: Any, /, num: int = 50, *, dtype: Any = None, device: Any = None,
             endpoint: bool = True, retstep: bool = False, chunks: Any = "auto", backend: str | None = None,
             name: Any = None) -> Any:
    """``num`` evenly spaced values from ``start`` to ``stop`` (each block computes only its own).

    ``start`` and ``stop`` may be 0-d gpuscale arrays (``linspace(x.argmin(), x.argmax(), 8)`` stays lazy);
    ``retstep=True`` also returns the spacing, as NumPy's.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linspace(0, 1, 5, chunks=2, device="cpu").compute().tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    >>> x, step = ga.linspace(0, 1, 3, endpoint=False, retstep=True, device="cpu")
    >>> x.compute().tolist(), step
    ([0.0, 0.3333333333333333, 0.6666666666666666], 0.3333333333333333)
    """
    num = operator.index(num)  # TypeError for a non-integer, as NumPy
    if num < 0:
        raise ValueError(f"linspace: the number of samples num={num} must be non-negative")
    ends = (start, stop)
    dtype = _dtype(dtype, chunkfn.linspace_dtype(*(chunkfn.numpy_dtype(v.dtype) if is_array(v) else v for v in ends)))
    backend = resolve_backend(backend, device)
    normalized = normalize(chunks, (num,), dtype, backend)
    inds = tuple(() if is_array(v) else None for v in ends)  # a lazy end point is a 0-d operand of every block
    ends = tuple(v.reshape(())._expr if is_array(v) else v for v in ends)
    out = _create(chunkfn.linspace_block, (0,), normalized, dtype, backend, backend, *ends, num, endpoint, dtype,
                  BlockSlices(), name=name, arg_inds=(None, *inds, None, None, None, None))
    if not retstep:
        return out
    div = num - 1 if endpoint else num
    return out, ((stop - start) / div if div > 0 else float("nan"))


def meshgrid(*arrays: Any, indexing: str = "xy", sparse: bool = False, copy: bool = True) -> tuple:
    """Coordinate matrices from coordinate vectors, as ``numpy.meshgrid``.

    Each input (a gpuscale array, a NumPy array or a list) is flattened.  Output ``i`` has the blocks of
    input ``i`` along its own axis and the other inputs' blocks along theirs; ``sparse=True`` keeps it of
    length one on the other axes (broadcastable, not repeated).  ``copy`` is accepted for NumPy's signature
    (the outputs are lazy, never views the user could write through).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> xx, yy = ga.meshgrid(ga.arange(3, device="cpu"), ga.arange(2, device="cpu"))
    >>> xx.compute().tolist(), yy.compute().tolist()
    ([[0, 1, 2], [0, 1, 2]], [[0, 0, 0], [1, 1, 1]])
    >>> [a.shape for a in ga.meshgrid([1, 2, 3], [4, 5], indexing="ij", sparse=True)]
    [(3, 1), (1, 2)]
    """
    from gpuscale.array.manipulation import broadcast_to, reshape

    if indexing not in ("xy", "ij"):
        raise ValueError(f"meshgrid: indexing must be 'xy' or 'ij', not {indexing!r}")
    arrays = [reshape(a if is_array(a) else asarray(a), (-1,)) for a in arrays]
    axes = list(range(len(arrays)))
    if indexing == "xy" and len(arrays) >= 2:  # NumPy's xy: the first two outputs' axes swapped
        axes[0], axes[1] = 1, 0
    chunks = [None] * len(arrays)
    for a, axis in zip(arrays, axes):
        chunks[axis] = a.chunks[0]
    out = []
    for a, axis in zip(arrays, axes):
        line = reshape(a, tuple(-1 if d == axis else 1 for d in range(len(arrays))))
        out.append(line if sparse else broadcast_to(line, tuple(map(sum, chunks))).rechunk(tuple(chunks)))
    return tuple(out)  # a tuple, as NumPy 2 returns
