"""The sample frequencies and shifts of ``gpuscale.array.fft`` (``fftfreq``, ``rfftfreq``, ``fftshift``,
``ifftshift``): arrays built from a length, and cyclic shifts that keep an axis in one block as it is."""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array
from gpuscale.array.creation import resolve_backend
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["fftfreq", "rfftfreq", "fftshift", "ifftshift"]


def _freq(name: str, n: int, d: float, dtype: Any, device: Any, length: int, chunks: Any = "auto") -> Array:
    backend = resolve_backend(None, device)
    dtype = chunkfn.numpy_dtype(dtype) if dtype is not None else chunkfn.numpy_dtype("float64")
    node = blockwise_expr(chunkfn.fft_freq, (0,), ((length,),), dtype, backend, backend, name, n, d, dtype)
    return Array(node) if chunks is None else Array(node).rechunk(chunks)  # dask's chunks= (one block first)


def fftfreq(n: int, /, d: float = 1.0, *, dtype: Any = None, device: Any = None, chunks: Any = "auto") -> Array:
    """Sample frequencies of :func:`fft`, as ``numpy.fft.fftfreq``.

    Parameters
    ----------
    n : int
        Length of the transform.
    d : float
        Sample spacing.
    dtype : dtype, optional
        Floating dtype (float64 by default).
    device : optional
        Where the result lives (the configured backend's when None).
    chunks : optional
        Blocks of the result, as dask's ``chunks=``.

    Returns
    -------
    Array
        ``n`` frequencies: 0, the positive ones, then the negative ones.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fft.fftfreq(4).compute().tolist(), ga.fft.fftfreq(4, d=0.5).compute().tolist()
    ([0.0, 0.25, -0.5, -0.25], [0.0, 0.5, -1.0, -0.5])
    """
    return _freq("fftfreq", n, d, dtype, device, n, chunks)


def rfftfreq(n: int, /, d: float = 1.0, *, dtype: Any = None, device: Any = None, chunks: Any = "auto") -> Array:
    """Sample frequencies of :func:`rfft`, as ``numpy.fft.rfftfreq``.

    Parameters
    ----------
    n : int
        Length of the transform.
    d : float
        Sample spacing.
    dtype : dtype, optional
        Floating dtype (float64 by default).
    device : optional
        Where the result lives.
    chunks : optional
        Blocks of the result, as dask's ``chunks=``.

    Returns
    -------
    Array
        ``n // 2 + 1`` non-negative frequencies.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fft.rfftfreq(4).compute().tolist()
    [0.0, 0.25, 0.5]
    """
    return _freq("rfftfreq", n, d, dtype, device, n // 2 + 1, chunks)


def _roll_half(sign: int, block: Any, shift: tuple, axis: tuple) -> Any:
    """``block`` rolled along ``axis`` by ``sign`` times half its length there: the lengths (None: unknown
    when the graph was built) are read from the block."""
    shift = tuple(sign * (block.shape[a] // 2) if s is None else s for s, a in zip(shift, axis))
    return chunkfn.xp_call("roll", block, shift=shift, axis=axis)


def _shift(x: Array, axes: Any, sign: int) -> Array:
    from gpuscale.array.manipulation import roll

    axes = normalize_axis(axes, x.ndim) if axes is not None else tuple(range(x.ndim))
    unknown = [a for a in axes if x.shape[a] != x.shape[a] and len(x.chunks[a]) > 1]
    if unknown:  # a length unknown until computed (after a mask): the axis is joined, its length read in the block
        x = x.rechunk({a: -1 for a in unknown})
    # an axis in one block is shifted inside its blocks, so the blocks stay as they are (as dask's); a chunked
    # axis is rolled across its blocks
    whole = tuple(a for a in axes if len(x.chunks[a]) == 1)
    rolled = tuple(a for a in axes if a not in whole)
    if whole:
        ind = tuple(range(x.ndim))
        shifts = tuple(sign * (x.shape[a] // 2) if x.shape[a] == x.shape[a] else None for a in whole)
        func, first = (chunkfn.xp_call, "roll") if None not in shifts else (_roll_half, sign)
        x = Array(blockwise_expr(func, ind, x.chunks, x.dtype, x.backend, first, x._expr,
                                 arg_inds=(None, ind), kwargs={"shift": shifts, "axis": whole}))
    if not rolled:
        return x
    return roll(x, tuple(sign * (x.shape[a] // 2) for a in rolled), axis=rolled)


def fftshift(x: Array, /, axes: Any = None) -> Array:
    """Move the zero frequency to the centre (a roll by half the length), as ``numpy.fft.fftshift``.

    Parameters
    ----------
    x : Array
        Input.
    axes : int or tuple of int, optional
        Axes to shift (all when None).

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fft.fftshift(ga.fft.fftfreq(5)).compute().tolist()
    [-0.4, -0.2, 0.0, 0.2, 0.4]
    """
    return _shift(x, axes, 1)


def ifftshift(x: Array, /, axes: Any = None) -> Array:
    """Inverse of :func:`fftshift`, as ``numpy.fft.ifftshift``.

    Parameters
    ----------
    x : Array
        Input.
    axes : int or tuple of int, optional
        Axes to shift (all when None).

    Returns
    -------
    Array
        Same shape as ``x``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(5)
    >>> ga.fft.fftshift(x).compute().tolist(), ga.fft.ifftshift(ga.fft.fftshift(x)).compute().tolist()
    ([3, 4, 0, 1, 2], [0, 1, 2, 3, 4])
    """
    return _shift(x, axes, -1)
