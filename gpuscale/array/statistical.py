"""Statistical and utility reductions: ``sum``, ``mean``, ``var``, ``std``, ``min``, ``max``, ``all``, ``any``, ...

All are tree reductions (:class:`gpuscale.array.reductions.Reduction`);
``var``/``std`` merge ``(count, mean, M2)`` triples (Chan et al.), which is
numerically stable, unlike the textbook ``E[x^2] - E[x]^2``.
"""

from __future__ import annotations

import builtins
import functools
from typing import Any

from gpuscale.array._operands import as_array
from gpuscale.array.core import Array
from gpuscale.array.reductions import Cumulative, Reduction, group_sizes
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array._errors import NumpyAxisError

__all__ = ["sum", "prod", "mean", "var", "std", "min", "max", "all", "any", "cumulative_sum",
           "cumulative_prod", "normalize_axis", "AxisError"]


class AxisError(NumpyAxisError):
    """An axis is out of range for the array: NumPy's ``AxisError`` (``except numpy.exceptions.AxisError``
    catches it, as with NumPy and dask)."""


def normalize_axis(axis: Any, ndim: int) -> tuple:
    """``axis`` as a sorted tuple of non-negative ints (None: every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    out = []
    for a in axes:
        if not -ndim <= a < builtins.max(ndim, 1) or (ndim == 0 and a not in (0, -1)):
            raise AxisError(f"axis {a} is out of bounds for array of dimension {ndim}")
        out.append(a % ndim if ndim else 0)
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis!r}")
    return tuple(sorted(out)) if ndim else ()


def _reduce(x: Array, kind: str, axis: Any, keepdims: bool, dtype: Any, split_every: Any = None, out: Any = None,
            **extra: Any) -> Array:
    """The reduction ``kind`` of ``x`` with dask's ``split_every=`` and ``out=``."""
    from gpuscale.array.nanreductions import handle_out

    axes = normalize_axis(axis, x.ndim)
    if split_every is not None:
        group_sizes(split_every, axes)  # a bad split_every fails here rather than at compute()
    node = Reduction(x._expr, kind, axes, keepdims=bool(keepdims), dtype_=chunkfn.numpy_dtype(dtype),
                     split_every=split_every, **extra)
    return handle_out(out, Array(node))


def _dtype_of(name: str, x: Array, **kwargs: Any) -> Any:
    return chunkfn.meta_call(x.backend, name, chunkfn.Meta(x.dtype, builtins.max(x.ndim, 1)), **kwargs)


def _moment_dtype(name: str, x: Array) -> Any:
    """The result dtype of ``mean``/``var`` of ``x``: float64 for integers and booleans, as NumPy and CuPy
    (the standard defines them for floats only, and array-api-strict refuses the rest); the chunks are cast
    to it before they are summed."""
    if chunkfn.numpy_dtype(x.dtype).kind in "biu":
        return chunkfn.numpy_dtype("float64")
    return _dtype_of(name, x)


def _summable(name: str, x: Array, dtype: Any) -> Array:
    """``x``, cast to ``dtype`` (else the default integer, as NumPy counts) where it holds booleans that its
    chunk library will not ``name`` (``sum``, ``prod``, ``cumulative_sum``, ...): the standard defines them for
    numeric dtypes only, and array-api-strict refuses booleans, while NumPy and CuPy count the ``True`` values.
    xarray counts the valid values of rolling windows with ``xp.sum`` of a boolean array."""
    if chunkfn.numpy_dtype(x.dtype).kind != "b" or _sums_booleans(name, x.backend):
        return x
    return x.astype(dtype if dtype is not None else "int64")


@functools.lru_cache(maxsize=None)
def _sums_booleans(name: str, backend: str) -> bool:
    try:
        chunkfn.meta_call(backend, name, chunkfn.Meta(chunkfn.numpy_dtype("bool"), 1), **_AXIS.get(name, {}))
    except TypeError:
        return False
    return True


_AXIS = {"cumulative_sum": {"axis": -1}, "cumulative_prod": {"axis": -1}}


def sum(x: Any, /, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,  # noqa: A001
        out: Any = None) -> Array:
    """Sum of elements over ``axis`` (the standard's, with dask's ``split_every=`` and ``out=``; see
    :func:`prod` for the parameters).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3), device="cpu")
    >>> float(ga.sum(x).compute()), ga.sum(x, axis=0).compute().tolist()
    (21.0, [5.0, 7.0, 9.0])
    """
    x = _summable("sum", as_array(x), dtype)
    dtype = dtype if dtype is not None else _dtype_of("sum", x)
    return _reduce(x, "sum", axis, keepdims, dtype, split_every, out)


def prod(x: Any, /, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
         out: Any = None) -> Array:
    """Product of elements over ``axis``.

    Parameters
    ----------
    x : Array or array_like
        Input (NumPy data becomes a gpuscale array, as in dask).
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    dtype : dtype, optional
        Accumulator and result dtype (the standard's default: at least the platform integer or float).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The products (0-d when ``axis`` is None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1, 2, 3], [4, 5, 6]], chunks=(1, 2))
    >>> int(ga.prod(x)), ga.prod(x, axis=0).compute().tolist()
    (720, [4, 10, 18])
    """
    x = _summable("prod", as_array(x), dtype)
    dtype = dtype if dtype is not None else _dtype_of("prod", x)
    return _reduce(x, "prod", axis, keepdims, dtype, split_every, out)


def mean(x: Any, /, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
         out: Any = None) -> Array:
    """Arithmetic mean over ``axis`` (``dtype``: accumulator and result dtype; the rest as :func:`prod`).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3), device="cpu")
    >>> ga.mean(x, axis=1).compute().tolist()
    [2.0, 5.0]
    """
    x = as_array(x)
    dtype = dtype if dtype is not None else _moment_dtype("mean", x)
    return _reduce(x, "mean", axis, keepdims, dtype, split_every, out)


def var(x: Any, /, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float | None = None,
        split_every: Any = None, out: Any = None, *, correction: float = 0.0) -> Array:
    """Variance over ``axis`` (``correction=1`` for the sample variance; ``ddof`` is NumPy's and dask's
    name for it; the rest as :func:`mean`).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3), device="cpu")
    >>> ga.var(x, axis=1).compute().tolist(), ga.var(x, axis=1, correction=1).compute().tolist()
    ([0.6666666666666666, 0.6666666666666666], [1.0, 1.0])
    """
    correction = correction if ddof is None else ddof
    x = as_array(x)
    spread = complex_spread_in_real(x, axis, dtype, keepdims, correction, split_every, skip_nan=False)
    if spread is not None:
        from gpuscale.array.nanreductions import handle_out

        return handle_out(out, spread)
    if dtype is not None and chunkfn.numpy_dtype(dtype) != x.dtype:
        x = x.astype(dtype)  # as NumPy: the data in ``dtype`` (complex to real drops the imaginary parts)
    dtype = dtype if dtype is not None else _moment_dtype("var", x)
    spread = _reduce(x, "var", axis, keepdims, dtype, split_every, correction=float(correction))
    if ddof is not None:
        spread = _numpy_without_dof(x, spread, axis, keepdims, split_every, ddof)
    from gpuscale.array.nanreductions import handle_out

    return handle_out(out, spread)


def _numpy_without_dof(x: Array, spread: Array, axis: Any, keepdims: bool, split_every: Any, ddof: float) -> Array:
    """``spread`` as NumPy's and dask's ``var(ddof=)`` where no degree of freedom is left: ``M2 / 0``, inf
    where the values differ (NaN where they are equal).  ``correction=`` keeps the Array API's NaN, and masked
    blocks numpy.ma's mask."""
    import math

    from gpuscale.array.ma import may_be_masked

    n = math.prod(x.shape[a] for a in normalize_axis(axis, x.ndim))
    if math.isnan(n) or n - ddof > 0 or may_be_masked(x._expr):
        return spread
    from gpuscale.array.searching import where

    differ = _reduce(x, "var", axis, keepdims, spread.dtype, split_every) > 0
    return where(differ, math.inf, spread).astype(spread.dtype)


def std(x: Any, /, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float | None = None,
        split_every: Any = None, out: Any = None, *, correction: float = 0.0) -> Array:
    """Standard deviation over ``axis`` (``ddof``: NumPy's and dask's name for ``correction``; the rest as
    :func:`var`).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3), device="cpu")
    >>> ga.std(x, axis=1, ddof=1).compute().tolist()
    [1.0, 1.0]
    """
    from gpuscale.array.nanreductions import handle_out

    spread = var(x, axis=axis, dtype=dtype, keepdims=keepdims, ddof=ddof, split_every=split_every,
                 correction=correction)
    return handle_out(out, deviation_of(spread, dtype), "same_kind", "sqrt")  # NumPy's std ends in sqrt(out=)


def complex_spread_in_real(x: Array, axis: Any, dtype: Any, keepdims: bool, correction: float, split_every: Any,
                           skip_nan: bool) -> Array | None:
    """NumPy's ``var(x, dtype=<real>)`` (``nanvar`` with ``skip_nan``) of complex ``x``, None for other input.

    NumPy takes the mean of the data cast to ``dtype`` (the imaginary parts dropped, with its
    ``ComplexWarning``) but the squared distances of the complex values from it:
    ``var(real) + sum(imag ** 2) / (count - correction)``.
    """
    import gpuscale.array as ga  # the namespace imports this module

    if x.dtype.kind != "c" or dtype is None or chunkfn.numpy_dtype(dtype).kind == "c":
        return None
    dtype = chunkfn.numpy_dtype(dtype)
    accumulate = dtype if dtype.kind == "f" else chunkfn.numpy_dtype("float64")
    real, imag = x.astype(dtype), ga.imag(x).astype(accumulate)
    present = ga.logical_not(ga.isnan(x)) if skip_nan else ga.ones_like(imag, dtype=ga.bool)
    if skip_nan:
        real = ga.where(present, real, ga.nan) if dtype.kind == "f" else real
        imag = ga.where(present, imag, 0)
    variance = ga.nanvar if skip_nan else var
    spread = variance(real, axis=axis, dtype=dtype, keepdims=keepdims, ddof=correction, split_every=split_every)
    count = sum(present.astype(accumulate), axis=axis, keepdims=keepdims, split_every=split_every)
    extra = sum(imag * imag, axis=axis, keepdims=keepdims, split_every=split_every) / (count - correction)
    return (spread + extra).astype(dtype)


def deviation_of(spread: Array, dtype: Any) -> Array:
    """The standard deviation from the variance ``spread``, in ``dtype`` when given (NumPy's ``std(dtype=int)``
    is an int)."""
    from gpuscale.array.elementwise import sqrt

    deviation = sqrt(spread)
    return deviation if dtype is None or deviation.dtype == chunkfn.numpy_dtype(dtype) else deviation.astype(dtype)


def min(x: Any, /, axis: Any = None, keepdims: bool = False, split_every: Any = None,  # noqa: A001
        out: Any = None) -> Array:
    """Minimum over ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3), device="cpu")
    >>> float(ga.min(x).compute()), ga.min(x, axis=0).compute().tolist()
    (1.0, [1.0, 2.0, 3.0])
    """
    return _extreme(as_array(x), "min", axis, keepdims, split_every, out)


def max(x: Any, /, axis: Any = None, keepdims: bool = False, split_every: Any = None,  # noqa: A001
        out: Any = None) -> Array:
    """Maximum over ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], chunks=(1, 3), device="cpu")
    >>> ga.max(x, axis=1, keepdims=True).compute().tolist()
    [[3.0], [6.0]]
    """
    return _extreme(as_array(x), "max", axis, keepdims, split_every, out)


def _extreme(x: Array, kind: str, axis: Any, keepdims: bool, split_every: Any, out: Any) -> Array:
    """``min`` / ``max``; booleans that the chunk library will not order (array-api-strict: the standard orders
    real numbers only, while NumPy and CuPy take ``True`` for 1) are compared as ``uint8`` and cast back
    (xarray's rolling max of a boolean variable)."""
    from gpuscale.array.nanreductions import handle_out

    if chunkfn.numpy_dtype(x.dtype).kind != "b" or _sums_booleans(kind, x.backend):
        return _reduce(x, kind, axis, keepdims, x.dtype, split_every, out)
    return handle_out(out, _reduce(x.astype("uint8"), kind, axis, keepdims, "uint8", split_every).astype(x.dtype))


def all(x: Any, /, axis: Any = None, keepdims: bool = False, split_every: Any = None,  # noqa: A001
        out: Any = None) -> Array:
    """True where every element over ``axis`` is true.

    Parameters
    ----------
    x : Array or array_like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        bool.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> b = ga.asarray([[True, False], [True, True]])
    >>> bool(ga.all(b)), ga.all(b, axis=1).compute().tolist()
    (False, [False, True])
    """
    return _reduce(as_array(x), "all", axis, keepdims, "bool", split_every, out)


def any(x: Any, /, axis: Any = None, keepdims: bool = False, split_every: Any = None,  # noqa: A001
        out: Any = None) -> Array:
    """True where some element over ``axis`` is true.

    Parameters
    ----------
    x : Array or array_like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        bool.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> b = ga.asarray([[False, False], [True, False]])
    >>> bool(ga.any(b)), ga.any(b, axis=1).compute().tolist()
    (True, [False, True])
    """
    return _reduce(as_array(x), "any", axis, keepdims, "bool", split_every, out)


def _cumulative(kind: str, x: Array, axis: Any, dtype: Any, include_initial: bool) -> Array:
    if axis is None:
        if x.ndim > 1:
            raise ValueError(f"cumulative_{kind} needs axis= for a {x.ndim}-d array")
        axis = 0
    if x.ndim == 0:  # NumPy's and array-api-strict's: the running total of one element, 1-d
        from gpuscale.array.manipulation import reshape

        x = reshape(x, (1,))
    (axis,) = normalize_axis(axis, x.ndim)
    x = _summable(f"cumulative_{kind}", x, dtype)
    dtype = chunkfn.numpy_dtype(dtype) if dtype is not None else _dtype_of(f"cumulative_{kind}", x, axis=-1)
    out = Array(Cumulative(x._expr, kind, axis, dtype))
    if include_initial:
        from gpuscale.array.creation import full
        from gpuscale.array.manipulation import concat

        shape = tuple(1 if d == axis else n for d, n in enumerate(x.shape))
        chunks = tuple((1,) if d == axis else c for d, c in enumerate(x.chunks))
        start = full(shape, 0 if kind == "sum" else 1, dtype=dtype, chunks=chunks, backend=x.backend)
        out = concat([start, out], axis=axis)
    return out


def cumulative_sum(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                   include_initial: bool = False) -> Array:
    """Running sum along ``axis``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.cumulative_sum(ga.arange(1, 6, chunks=2, device="cpu")).compute().tolist()
    [1, 3, 6, 10, 15]
    """
    return _cumulative("sum", x, axis, dtype, include_initial)


def cumulative_prod(x: Array, /, *, axis: int | None = None, dtype: Any = None,
                    include_initial: bool = False) -> Array:
    """Running product along ``axis`` (the Array API's ``cumulative_prod``).

    Parameters
    ----------
    x : Array
        Input.
    axis : int, optional
        Axis of the running product; may be None only for a 1-d array.
    dtype : dtype, optional
        Accumulator and result dtype.
    include_initial : bool
        Start with the empty product, 1 (the result is one longer along ``axis``).

    Returns
    -------
    Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([1, 2, 3, 4], chunks=2)
    >>> ga.cumulative_prod(x).compute().tolist(), ga.cumulative_prod(x, include_initial=True).compute().tolist()
    ([1, 2, 6, 24], [1, 1, 2, 6, 24])
    """
    return _cumulative("prod", x, axis, dtype, include_initial)


def _scan_result(kind: str, x: Array, axis: Any, dtype: Any, out: Any, method: str) -> Array:
    """``cumsum``/``cumprod`` with dask's ``out=`` and ``method=`` (both scan methods give the same result)."""
    from gpuscale.array.nanreductions import handle_out

    if method not in ("sequential", "blelloch"):
        raise ValueError(f"method must be 'sequential' or 'blelloch', got {method!r}")
    return handle_out(out, _numpy_cumulative(kind, x, axis, dtype))


def cumsum(x: Array, axis: int | None = None, dtype: Any = None, out: Any = None, *,
           method: str = "sequential") -> Array:
    """NumPy's and dask's ``cumsum``: along ``axis``, or over the flattened array when ``axis`` is None.

    ``out=`` (a gpuscale array to hold the result) and dask's ``method=`` (``"sequential"`` or ``"blelloch"``:
    the same result) are accepted as dask's.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.cumsum(ga.asarray([[1, 2], [3, 4]], backend="cpu")).compute().tolist()
    [1, 3, 6, 10]
    """
    return _scan_result("sum", x, axis, dtype, out, method)


def cumprod(x: Array, axis: int | None = None, dtype: Any = None, out: Any = None, *,
            method: str = "sequential") -> Array:
    """Running product along ``axis``, as NumPy's and dask's ``cumprod``.

    Parameters
    ----------
    x : Array
        Input.
    axis : int, optional
        Axis of the running product; None scans the flattened array.
    dtype : dtype, optional
        Accumulator and result dtype.

    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.
    method : str
        dask's ``"sequential"`` or ``"blelloch"``, accepted: the result is the same.

    Returns
    -------
    Array
        Same shape as ``x`` (1-d when ``axis`` is None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1, 2, 3], [4, 5, 6]], chunks=(1, 2))
    >>> ga.cumprod(x, axis=1).compute().tolist()
    [[1, 2, 6], [4, 20, 120]]
    >>> ga.cumprod(x).compute().tolist()
    [1, 2, 6, 24, 120, 720]
    """
    return _scan_result("prod", x, axis, dtype, out, method)


def _numpy_cumulative(how: str, x: Array, axis: int | None, dtype: Any) -> Array:
    if axis is None:
        from gpuscale.array.manipulation import reshape

        x, axis = reshape(x, (-1,)), 0
    return _cumulative(how, x, axis, dtype, False)
