"""The ``fft`` extension: transforms along whole axes (each transformed axis is gathered into one block).

Other axes keep their blocks, so a batch of signals stays distributed.  ``fft_wrap`` makes any
``numpy.fft``-like function work the same way; the sample frequencies and shifts live in
:mod:`gpuscale.array._fft_freq` (exported here).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array._fft_freq import fftfreq, fftshift, ifftshift, rfftfreq
from gpuscale.array.core import Array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array._fft import fft_call

__all__ = ["fft", "ifft", "fftn", "ifftn", "rfft", "irfft", "rfftn", "irfftn", "hfft", "ihfft", "fftfreq",
           "rfftfreq", "fftshift", "ifftshift", "fft2", "ifft2", "rfft2", "irfft2", "fft_wrap"]


def _transform(name: str, x: Array, gathered: tuple, lengths: tuple, dtype: Any, **kwargs: Any) -> Array:
    from gpuscale.array.manipulation import rechunk

    x = rechunk(x, {a: -1 for a in gathered})
    ind = tuple(range(x.ndim))
    chunks = tuple((lengths[gathered.index(d)],) if d in gathered else c for d, c in enumerate(x.chunks))
    node = blockwise_expr(fft_call, ind, chunks, dtype, x.backend, name, x._expr, arg_inds=(None, ind),
                          kwargs=kwargs)
    return Array(node)


def _check_points(n: Any) -> None:
    if n is not None and n < 1:  # NumPy's error, when the call is made (n=0 gave the input's length)
        raise ValueError(f"Invalid number of FFT data points ({n}) specified.")


def _one(name: str, x: Array, n: Any, axis: int, norm: str, length: Any, dtype: Any) -> Array:
    _check_points(n)
    (a,) = normalize_axis(axis, x.ndim)
    return _transform(name, x, (a,), (length,), dtype, n=n, axis=axis, norm=norm or "backward")  # None: NumPy's


def fft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """One-dimensional discrete Fourier transform, as ``numpy.fft.fft``.

    The transformed axis is gathered into one block; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Input (real input is transformed as complex).
    n : int, optional
        Length of the transform (input cropped or zero-padded).
    axis : int
        The transformed axis.
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex, length ``n`` along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0.0, 1.0, 0.0, -1.0], chunks=2)
    >>> ga.fft.fft(x).compute().round(6).tolist()
    [0j, -2j, 0j, 2j]
    """
    return _one("fft", x, n, axis, norm, n or x.shape[axis], chunkfn.complex_dtype_of(x.dtype))


def ifft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """Inverse of :func:`fft`, as ``numpy.fft.ifft``.

    The transformed axis is gathered into one block; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Input (a spectrum).
    n : int, optional
        Length of the transform (input cropped or zero-padded).
    axis : int
        The transformed axis.
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex, length ``n`` along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0.0, 1.0, 0.0, -1.0], chunks=2)
    >>> ga.fft.ifft(ga.fft.fft(x)).compute().real.round(6).tolist()
    [0.0, 1.0, 0.0, -1.0]
    """
    return _one("ifft", x, n, axis, norm, n or x.shape[axis], chunkfn.complex_dtype_of(x.dtype))


def rfft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """FFT of real input: the non-negative frequencies, as ``numpy.fft.rfft``.

    The transformed axis is gathered into one block; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Real input.
    n : int, optional
        Length of the transform (input cropped or zero-padded).
    axis : int
        The transformed axis.
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex, ``n // 2 + 1`` along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0.0, 1.0, 0.0, -1.0], chunks=2)
    >>> ga.fft.rfft(x).compute().round(6).tolist()
    [0j, -2j, 0j]
    """
    return _one("rfft", x, n, axis, norm, (n or x.shape[axis]) // 2 + 1, chunkfn.complex_dtype_of(x.dtype))


def irfft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """Inverse of :func:`rfft`, as ``numpy.fft.irfft``.

    The transformed axis is gathered into one block; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        The non-negative frequencies of a real signal.
    n : int, optional
        Length of the output (``2 * (m - 1)`` for an input of length ``m`` when None).
    axis : int
        The transformed axis.
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Real, length ``n`` along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0.0, 1.0, 0.0, -1.0], chunks=2)
    >>> ga.fft.irfft(ga.fft.rfft(x)).compute().round(6).tolist()
    [0.0, 1.0, 0.0, -1.0]
    """
    return _one("irfft", x, n, axis, norm, n or 2 * (x.shape[axis] - 1), chunkfn.real_dtype_of(x.dtype))


def hfft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """FFT of a signal with Hermitian symmetry (given by its first half): a real spectrum, as ``numpy.fft.hfft``.

    The transformed axis is gathered into one block; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        The first half of a Hermitian-symmetric signal.
    n : int, optional
        Length of the output (``2 * (m - 1)`` when None).
    axis : int
        The transformed axis.
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Real, length ``n`` along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fft.hfft(ga.asarray([1.0, 2.0, 3.0])).compute().tolist()
    [8.0, -2.0, 0.0, -2.0]
    """
    return _one("hfft", x, n, axis, norm, n or 2 * (x.shape[axis] - 1), chunkfn.real_dtype_of(x.dtype))


def ihfft(x: Array, /, n: int | None = None, axis: int = -1, norm: str | None = "backward") -> Array:
    """Inverse of :func:`hfft`, as ``numpy.fft.ihfft``.

    The transformed axis is gathered into one block; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Real input.
    n : int, optional
        Length of the transform.
    axis : int
        The transformed axis.
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex, ``n // 2 + 1`` along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.fft.ihfft(ga.asarray([4.0, 0.0, 0.0, 0.0])).compute().real.tolist()
    [1.0, 1.0, 1.0]
    """
    return _one("ihfft", x, n, axis, norm, (n or x.shape[axis]) // 2 + 1, chunkfn.complex_dtype_of(x.dtype))


def _many_axes(name: str, ndim: int, s: Any, axes: Any) -> tuple:
    """The transformed axes (non-negative), checked: each once, one length of ``s`` per axis."""
    if axes is None and s is not None:
        import warnings

        # NumPy 2 deprecates it (the last len(s) axes today); warned here, when the user's call is made
        warnings.warn(f"fft.{name}: `axes` should not be `None` if `s` is not `None`; pass the axes explicitly",
                      DeprecationWarning, stacklevel=4)
        axes = tuple(range(ndim - len(s), ndim))
    norm_axes = tuple(normalize_axis(a, ndim)[0] for a in axes) if axes is not None else tuple(range(ndim))
    if len(set(norm_axes)) < len(norm_axes):
        raise ValueError(f"fft.{name}: duplicate axes {tuple(axes)} are not allowed (each axis is transformed once)")
    if s is not None and len(s) != len(norm_axes):
        raise ValueError(f"fft.{name}: s {tuple(s)} and axes {tuple(axes)} differ in length")
    return norm_axes


def _many(name: str, x: Array, s: Any, axes: Any, norm: str, last: Any, dtype: Any) -> Array:
    norm_axes = _many_axes(name, x.ndim, s, axes)
    if s is not None:  # NumPy 2: a length of -1 takes the whole axis; others below 1 are refused
        s = tuple(x.shape[a] if n == -1 else n for n, a in zip(s, norm_axes))
        for n in s:
            _check_points(n)
    lengths = list(s) if s is not None else [x.shape[a] for a in norm_axes]
    if last is not None and norm_axes:
        lengths[-1] = last(lengths[-1], x.shape[norm_axes[-1]], s is not None)
    order = sorted(set(norm_axes))
    by_axis = dict(zip(norm_axes, lengths))
    return _transform(name, x, tuple(order), tuple(by_axis[a] for a in order), dtype, s=s, axes=norm_axes,
                      norm=norm or "backward")


def fftn(x: Array, /, s: Any = None, axes: Any = None, norm: str | None = "backward") -> Array:
    """N-dimensional discrete Fourier transform, as ``numpy.fft.fftn``.

    The transformed axes are gathered into one block each; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Input.
    s : sequence of int, optional
        Lengths of the transform per axis (cropped or zero-padded).
    axes : sequence of int, optional
        The transformed axes (the last ``len(s)`` axes, or all, when None).
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> y = ga.asarray([[1.0, 0.0], [0.0, 0.0]], chunks=1)
    >>> ga.fft.fftn(y).compute().tolist()
    [[(1+0j), (1+0j)], [(1+0j), (1+0j)]]
    """
    return _many("fftn", x, s, axes, norm, None, chunkfn.complex_dtype_of(x.dtype))


def ifftn(x: Array, /, s: Any = None, axes: Any = None, norm: str | None = "backward") -> Array:
    """Inverse of :func:`fftn`, as ``numpy.fft.ifftn``.

    The transformed axes are gathered into one block each; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Input (a spectrum).
    s : sequence of int, optional
        Lengths of the transform per axis.
    axes : sequence of int, optional
        The transformed axes (the last ``len(s)`` axes, or all, when None).
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> y = ga.asarray([[1.0, 0.0], [0.0, 0.0]], chunks=1)
    >>> ga.fft.ifftn(ga.fft.fftn(y)).compute().real.tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    return _many("ifftn", x, s, axes, norm, None, chunkfn.complex_dtype_of(x.dtype))


def rfftn(x: Array, /, s: Any = None, axes: Any = None, norm: str | None = "backward") -> Array:
    """N-dimensional FFT of real input (the last axis halved), as ``numpy.fft.rfftn``.

    The transformed axes are gathered into one block each; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        Real input.
    s : sequence of int, optional
        Lengths of the transform per axis.
    axes : sequence of int, optional
        The transformed axes (the last ``len(s)`` axes, or all, when None).
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Complex; the last transformed axis has ``n // 2 + 1`` entries.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> y = ga.asarray([[1.0, 0.0], [0.0, 0.0]], chunks=1)
    >>> ga.fft.rfftn(y).shape, ga.fft.rfftn(y).compute().tolist()
    ((2, 2), [[(1+0j), (1+0j)], [(1+0j), (1+0j)]])
    """
    return _many("rfftn", x, s, axes, norm, lambda n, m, given: n // 2 + 1, chunkfn.complex_dtype_of(x.dtype))


def irfftn(x: Array, /, s: Any = None, axes: Any = None, norm: str | None = "backward") -> Array:
    """Inverse of :func:`rfftn`, as ``numpy.fft.irfftn``.

    The transformed axes are gathered into one block each; the other axes keep their blocks.

    Parameters
    ----------
    x : Array
        The spectrum of a real signal (last axis halved).
    s : sequence of int, optional
        Output lengths per axis (the last one ``2 * (m - 1)`` when None).
    axes : sequence of int, optional
        The transformed axes (the last ``len(s)`` axes, or all, when None).
    norm : {"backward", "ortho", "forward"}
        Which direction is scaled by ``1/n`` (NumPy's meaning).

    Returns
    -------
    Array
        Real.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> y = ga.asarray([[1.0, 0.0], [0.0, 0.0]], chunks=1)
    >>> ga.fft.irfftn(ga.fft.rfftn(y), s=(2, 2)).compute().tolist()
    [[1.0, 0.0], [0.0, 0.0]]
    """
    return _many("irfftn", x, s, axes, norm, lambda n, m, given: n if given else 2 * (m - 1),
                 chunkfn.real_dtype_of(x.dtype))


def fft2(x: Array, /, s: Any = None, axes: Any = (-2, -1), norm: str | None = None) -> Array:
    """Two-dimensional FFT over ``axes`` (the last two), as ``numpy.fft.fft2`` (real input allowed).

    Parameters
    ----------
    x : Array
        Input; the transformed axes are gathered into one block each.
    s : sequence of int, optional
        Output lengths along ``axes`` (cropped or zero-padded).
    axes : pair of int
        The axes.
    norm : {"backward", "ortho", "forward"}, optional
        Normalization (None: ``"backward"``).

    Returns
    -------
    Array
        Complex.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = np.arange(12.0).reshape(3, 4)
    >>> bool(np.allclose(ga.fft.fft2(ga.asarray(x)).compute(), np.fft.fft2(x)))
    True
    """
    return fftn(x, s=s, axes=axes, norm=norm or "backward")


def ifft2(x: Array, /, s: Any = None, axes: Any = (-2, -1), norm: str | None = None) -> Array:
    """Inverse of :func:`fft2`, as ``numpy.fft.ifft2``.

    Parameters
    ----------
    x : Array
        Input.
    s, axes, norm
        As :func:`fft2`.

    Returns
    -------
    Array
        Complex.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = np.arange(12.0).reshape(3, 4)
    >>> bool(np.allclose(ga.fft.ifft2(ga.fft.fft2(ga.asarray(x))).compute(), x))
    True
    """
    return ifftn(x, s=s, axes=axes, norm=norm or "backward")


def rfft2(x: Array, /, s: Any = None, axes: Any = (-2, -1), norm: str | None = None) -> Array:
    """Two-dimensional FFT of real input (the last axis halved), as ``numpy.fft.rfft2``.

    Parameters
    ----------
    x : Array
        Real input.
    s, axes, norm
        As :func:`fft2`.

    Returns
    -------
    Array
        Complex; the last transformed axis has ``n // 2 + 1`` elements.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = np.arange(12.0).reshape(3, 4)
    >>> bool(np.allclose(ga.fft.rfft2(ga.asarray(x)).compute(), np.fft.rfft2(x)))
    True
    """
    return rfftn(x, s=s, axes=axes, norm=norm or "backward")


def irfft2(x: Array, /, s: Any = None, axes: Any = (-2, -1), norm: str | None = None) -> Array:
    """Inverse of :func:`rfft2`, as ``numpy.fft.irfft2``.

    Parameters
    ----------
    x : Array
        Complex input.
    s, axes, norm
        As :func:`fft2` (``s`` gives the real output lengths).

    Returns
    -------
    Array
        Real.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = np.arange(12.0).reshape(3, 4)
    >>> bool(np.allclose(ga.fft.irfft2(ga.fft.rfft2(ga.asarray(x)), s=(3, 4)).compute(), x))
    True
    """
    return irfftn(x, s=s, axes=axes, norm=norm or "backward")


# -- fft_wrap: any numpy.fft-like function over gpuscale arrays ---------------------------------------------------
def _full(n: int, given: Any) -> int:
    return given if given is not None else n


# kind (without its "2"/"n") -> (output length of the last transformed axis, of the others; from the input length
# n and the requested length s, None when not given)
_LENGTHS = {
    "fft": (_full, _full), "ifft": (_full, _full),
    "rfft": (lambda n, s: _full(n, s) // 2 + 1, _full), "irfft": (lambda n, s: _full(2 * (n - 1), s), _full),
    "hfft": (lambda n, s: _full(2 * (n - 1), s), _full), "ihfft": (lambda n, s: _full(n, s) // 2 + 1, _full),
}
_REAL_OUTPUT = ("irfft", "hfft")


def fft_wrap(fft_func: Any, kind: str | None = None, dtype: Any = None, allow_fftpack: bool = False) -> Any:
    """Make a ``numpy.fft``-like function (``numpy.fft.fft``, ``scipy.fft.rfftn``, a CuPy one ...) work on
    gpuscale arrays, as ``dask.array.fft.fft_wrap``: it is called on each block, the transformed axes each
    gathered into one block (dask requires them in one block already; the other axes keep their blocks).

    Parameters
    ----------
    fft_func : callable
        Takes ``(a, n, axis, norm)`` (1-d kinds) or ``(a, s, axes, norm)`` (``2``/``n`` kinds) as
        ``numpy.fft``'s functions of the same name.
    kind : str, optional
        Which transform it is: ``fft``, ``ifft``, ``rfft``, ``irfft``, ``hfft``, ``ihfft``, or their
        ``2``/``n`` forms (not ``hfft``/``ihfft``); ``fft_func.__name__`` when omitted.
    dtype : dtype, optional
        The output dtype (by default complex, or real for ``irfft``/``hfft``, of the input's precision).
    allow_fftpack : bool
        Allow ``scipy.fftpack`` functions (legacy: called without ``norm``) without a ``FutureWarning``.

    Returns
    -------
    callable
        ``f(a, n=None, axis=None, norm=None)`` for 1-d kinds, ``f(a, s=None, axes=None, norm=None)`` otherwise.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> fft = ga.fft.fft_wrap(np.fft.fft)
    >>> x = ga.asarray([[0.0, 1.0, 0.0, -1.0], [1.0, 1.0, 1.0, 1.0]], chunks=1)
    >>> fft(x).compute().round(6).tolist()
    [[0j, -2j, 0j, 2j], [(4+0j), 0j, 0j, 0j]]
    >>> ga.fft.fft_wrap(np.fft.rfftn)(x).shape
    (2, 3)
    """
    kind = kind if kind is not None else getattr(fft_func, "__name__", "")
    base = kind[:-1] if kind[-1:] in ("2", "n") else kind
    if base not in _LENGTHS or (base != kind and base in ("hfft", "ihfft")):
        raise ValueError(f"fft_wrap: unknown kind {kind!r}: give kind= one of fft, ifft, rfft, irfft, hfft, "
                         f"ihfft or their 2/n forms")
    fftpack = getattr(fft_func, "__module__", "").startswith("scipy.fftpack")
    if fftpack and not allow_fftpack:
        import warnings

        warnings.warn(f"fft_wrap: scipy.fftpack's {kind} does not match NumPy's API and is considered legacy (it "
                      f"takes no norm=); use scipy.fft, or pass allow_fftpack=True", FutureWarning, stacklevel=2)

    def transform(a: Any, s: Any, axes: Any, norm: Any) -> Array:
        from gpuscale.array._operands import as_array
        from gpuscale.array.api import map_blocks
        from gpuscale.array.manipulation import rechunk

        a = as_array(a)
        axes = _wrap_axes(kind, a.ndim, s, axes)
        out_dtype = dtype if dtype is not None else (chunkfn.real_dtype_of(a.dtype) if base in _REAL_OUTPUT
                                                     else chunkfn.complex_dtype_of(a.dtype))
        a = rechunk(a, {ax: -1 for ax in axes})
        chunks = list(a.chunks)
        last, other = _LENGTHS[base]
        for i, ax in enumerate(axes):
            length = last if i == len(axes) - 1 else other
            chunks[ax] = (length(a.shape[ax], None if s is None else s[i]),)
        one_d = not kind.endswith(("2", "n"))
        args = (None if s is None else s[0], axes[0]) if one_d else (s, axes)
        return map_blocks(fft_func, a, *args, *(() if fftpack else (norm,)), dtype=out_dtype, chunks=tuple(chunks))

    if kind.endswith(("2", "n")):
        def wrapped(a: Any, s: Any = None, axes: Any = None, norm: Any = None) -> Array:
            return transform(a, s, axes, norm)
    else:
        def wrapped(a: Any, n: Any = None, axis: Any = None, norm: Any = None) -> Array:
            return transform(a, None if n is None else (n,), None if axis is None else (axis,), norm)
    name = getattr(fft_func, "__name__", kind)
    wrapped.__name__ = wrapped.__qualname__ = name
    wrapped.__doc__ = (f"``{getattr(fft_func, '__module__', '')}.{name}`` on gpuscale arrays, block by block "
                       f"(made by :func:`gpuscale.array.fft.fft_wrap`).")
    return wrapped


def _wrap_axes(kind: str, ndim: int, s: Any, axes: Any) -> tuple:
    """The transformed axes (non-negative), defaulted by ``kind`` as NumPy's function of that name does."""
    if axes is None:
        if kind.endswith("2"):
            axes = (-2, -1)
        elif kind.endswith("n"):
            axes = tuple(range(ndim - len(s), ndim)) if s is not None else tuple(range(ndim))
        else:
            axes = (-1,)
    return _many_axes(kind, ndim, s, axes)
