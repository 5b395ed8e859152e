"""NaN-skipping reductions and scans, with dask.array's (NumPy's) signatures.

``nansum``, ``nanprod``, ``nanmean``, ``nanvar``, ``nanstd``, ``nanmin``,
``nanmax``, ``nanargmin``, ``nanargmax`` are tree reductions
(:class:`gpuscale.array.reductions.Reduction`) whose chunk, combine and
aggregate steps live in ``gpuscale/backends/array/_nan.py``; ``nancumsum`` and
``nancumprod`` replace NaN by 0 / 1 element-wise and scan.  Result dtypes are
NumPy's (``nansum`` of int32 is int64, ``nanmean`` of int is float64, ``nanvar``
of complex is real).  All-NaN slices behave as in NumPy: NaN and a
``RuntimeWarning`` (``nanmin``, ``nanmax``, ``nanmean``, ``nanvar``, ``nanstd``),
``ValueError`` (``nanargmin``, ``nanargmax``), 0 (``nansum``), 1 (``nanprod``) --
when computed, since the values are not known before; a warning the filters ignored where the reduction
was built (``warnings.filterwarnings("ignore", "Mean of empty slice")``, as xarray does) stays ignored.
"""

from __future__ import annotations

import warnings
from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.array.reductions import Reduction
from gpuscale.array.searching import arg_reduce
from gpuscale.array.statistical import complex_spread_in_real, deviation_of, normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmin", "nanmax", "nanargmin", "nanargmax",
           "nancumsum", "nancumprod", "handle_out"]


def handle_out(out: Any, result: Array, casting: str = "same_kind", name: str | None = None) -> Array:
    """dask.array's ``out=``: ``out`` (a gpuscale array of the same shape) now holds ``result``, cast to
    ``out``'s dtype where ``casting`` allows, as NumPy writes into ``out`` (``max`` of float64 into float32);
    where NumPy would refuse the cast (``np.sin(ints, out=ints)``), dask.array's rebinding: ``out`` takes the
    result's dtype.  (``name``: the ufunc, kept for callers that name it.)"""
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError(f"out= takes one array here, not {len(out)}")
        out = out[0]
    if out is None:
        return result
    if not is_array(out):
        raise TypeError(f"out= must be a gpuscale array, not {type(out).__name__} (results are lazy)")
    if out.shape != result.shape:
        raise ValueError(f"out= has shape {out.shape}, the result has shape {result.shape}")
    if out.dtype != result.dtype and chunkfn.dtype_function("can_cast", result.dtype, out.dtype, casting=casting):
        result = result.astype(out.dtype)
    out._expr = result._expr
    return out


def check_out_cast(dtype: Any, out_dtype: Any, casting: str, name: str | None = None) -> None:
    """NumPy's refusal of a result of ``dtype`` written into an ``out=`` of ``out_dtype`` under ``casting``."""
    if chunkfn.dtype_function("can_cast", dtype, out_dtype, casting=casting):
        return
    source, target = chunkfn.numpy_dtype(dtype), chunkfn.numpy_dtype(out_dtype)
    if name is None:
        raise TypeError(f"Cannot cast array data from {source!r} to {target!r} according to the rule {casting!r}")
    raise TypeError(f"Cannot cast ufunc {name!r} output from {source!r} to {target!r} with casting rule {casting!r}")


def _as_array(a: Any) -> Array:
    if is_array(a):
        return a
    from gpuscale.array.creation import asarray

    return asarray(a)


def _numpy_dtype_of(name: str, x: Array, **kwargs: Any) -> Any:
    # NumPy's result dtype for its function ``name`` (the dtypes of every backend are NumPy's)
    return chunkfn.meta_call("numpy", name, chunkfn.Meta(x.dtype, max(x.ndim, 1)), **kwargs)


# the RuntimeWarning NumPy gives for an all-NaN slice, per reduction (nanstd is a nanvar)
_ALL_NAN_WARNINGS = {"nanmin": "All-NaN slice encountered", "nanmax": "All-NaN slice encountered",
                     "nanmean": "Mean of empty slice", "nanvar": "Degrees of freedom <= 0 for slice."}


def _ignored_here(message: str) -> bool:
    """Whether the warning filters in force now ignore a ``RuntimeWarning(message)``.

    NumPy warns (or not) where ``np.nanmean`` is called; a lazy reduction warns when computed, so it honours
    the filters of the place it was built: xarray builds its NaN reductions inside
    ``warnings.filterwarnings("ignore", "Mean of empty slice")`` and computes them elsewhere.
    """
    with warnings.catch_warnings(record=True) as seen:  # keeps the filters, records what they let through
        try:
            warnings.warn(message, RuntimeWarning, stacklevel=2)
        except RuntimeWarning:  # an "error" filter
            return False
    return not seen


def _reduce(kind: str, a: Any, axis: Any, keepdims: bool, dtype: Any, split_every: Any, out: Any,
            correction: float = 0.0) -> Array:
    x = _as_array(a)
    axes = normalize_axis(axis, x.ndim)
    quiet = kind in _ALL_NAN_WARNINGS and _ignored_here(_ALL_NAN_WARNINGS[kind])
    node = Reduction(x._expr, kind, axes, keepdims=bool(keepdims), dtype_=chunkfn.numpy_dtype(dtype),
                     split_every=split_every, correction=float(correction), quiet=quiet)
    return handle_out(out, Array(node))


def nansum(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
           out: Any = None) -> Array:
    """Sum over ``axis`` treating NaN as zero, as ``numpy.nansum``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    dtype : dtype, optional
        Accumulator and result dtype (NumPy's default for the input when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The sums (0-d when ``axis`` is None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> float(ga.nansum(x)), ga.nansum(x, axis=1).compute().tolist()
    (13.0, [4.0, 9.0])
    """
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nansum", x)
    return _reduce("nansum", x, axis, keepdims, dtype, split_every, out)


def nanprod(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
            out: Any = None) -> Array:
    """Product over ``axis`` treating NaN as one, as ``numpy.nanprod``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    dtype : dtype, optional
        Accumulator and result dtype (NumPy's default for the input when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The products.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> float(ga.nanprod(x)), ga.nanprod(x, axis=1).compute().tolist()
    (60.0, [3.0, 20.0])
    """
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nanprod", x)
    return _reduce("nanprod", x, axis, keepdims, dtype, split_every, out)


def nanmean(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
            out: Any = None) -> Array:
    """Mean over ``axis`` ignoring NaN, as ``numpy.nanmean``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    dtype : dtype, optional
        Accumulator and result dtype (NumPy's default for the input when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The means; an all-NaN slice gives NaN (with NumPy's ``RuntimeWarning``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> float(ga.nanmean(x)), ga.nanmean(x, axis=1).compute().tolist()
    (3.25, [2.0, 4.5])
    """
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nanmean", x)
    return _reduce("nanmean", x, axis, keepdims, dtype, split_every, out)


def nanvar(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float = 0,
           split_every: Any = None, out: Any = None) -> Array:
    """Variance over ``axis`` ignoring NaN, as ``numpy.nanvar``; merged exactly from per-block moments.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    dtype : dtype, optional
        Accumulator and result dtype (NumPy's default for the input when None).
    ddof : float
        Delta degrees of freedom: the divisor is the count of numbers minus ``ddof``.
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The variances; NaN (with NumPy's ``RuntimeWarning``) where the count minus ``ddof`` is not positive.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> float(ga.nanvar(x)), ga.nanvar(x, axis=1).compute().tolist(), ga.nanvar(x, axis=1, ddof=1).compute().tolist()
    (2.1875, [1.0, 0.25], [2.0, 0.5])
    """
    x = _as_array(a)
    spread = complex_spread_in_real(x, axis, dtype, keepdims, ddof, split_every, skip_nan=True)
    if spread is not None:
        return handle_out(out, spread)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nanvar", x)
    return _reduce("nanvar", x, axis, keepdims, dtype, split_every, out, correction=ddof)


def nanstd(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float = 0,
           split_every: Any = None, out: Any = None) -> Array:
    """Standard deviation over ``axis`` ignoring NaN: ``sqrt(nanvar(...))``, as ``numpy.nanstd``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    dtype : dtype, optional
        Accumulator and result dtype (NumPy's default for the input when None).
    ddof : float
        Delta degrees of freedom (see :func:`nanvar`).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The standard deviations.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> ga.nanstd(x, axis=1).compute().tolist()
    [1.0, 0.5]
    """
    spread = nanvar(a, axis=axis, dtype=dtype, keepdims=keepdims, ddof=ddof, split_every=split_every)
    return handle_out(out, deviation_of(spread, dtype))


def nanmin(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Minimum over ``axis`` ignoring NaN, as ``numpy.nanmin``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The minima; an all-NaN slice gives NaN (with NumPy's ``RuntimeWarning``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> float(ga.nanmin(x)), ga.nanmin(x, axis=1).compute().tolist()
    (1.0, [1.0, 4.0])
    """
    x = _as_array(a)
    return _reduce("nanmin", x, axis, keepdims, x.dtype, split_every, out)


def nanmax(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Maximum over ``axis`` ignoring NaN, as ``numpy.nanmax``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        The maxima; an all-NaN slice gives NaN (with NumPy's ``RuntimeWarning``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> float(ga.nanmax(x)), ga.nanmax(x, axis=1).compute().tolist()
    (5.0, [3.0, 5.0])
    """
    x = _as_array(a)
    return _reduce("nanmax", x, axis, keepdims, x.dtype, split_every, out)


def nanargmin(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Index of the first minimum along ``axis`` ignoring NaN, as ``numpy.nanargmin``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        int64 indices (of the flattened array when ``axis`` is None); an all-NaN slice raises ``ValueError``
        when computed.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> int(ga.nanargmin(x)), ga.nanargmin(x, axis=1).compute().tolist()
    (0, [0, 0])
    """
    return arg_reduce("nanargmin", a, axis, keepdims, split_every, out)


def nanargmax(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Index of the first maximum along ``axis`` ignoring NaN, as ``numpy.nanargmax``.

    Parameters
    ----------
    a : Array or array-like
        Input.
    axis : int or tuple of int, optional
        Axes to reduce (all when None).
    keepdims : bool
        Keep the reduced axes with length one.
    split_every : int or dict, optional
        How many blocks each step of the tree reduction combines (dask's; the default suits most arrays).
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.

    Returns
    -------
    Array
        int64 indices (of the flattened array when ``axis`` is None); an all-NaN slice raises ``ValueError``
        when computed.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> int(ga.nanargmax(x)), ga.nanargmax(x, axis=1).compute().tolist()
    (4, [2, 1])
    """
    return arg_reduce("nanargmax", a, axis, keepdims, split_every, out)


def _nan_scan(kind: str, x: Any, axis: Any, dtype: Any, out: Any) -> Array:
    from gpuscale.array.elementwise import isnan
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.searching import where
    from gpuscale.array.statistical import cumulative_prod, cumulative_sum

    x = _as_array(x)
    if axis is None:  # NumPy flattens
        x, axis = reshape(x, (-1,)), 0
    dtype = dtype if dtype is not None else _numpy_dtype_of(f"nancum{kind}", x, axis=-1)
    if x.dtype.kind in "fcO":  # NumPy finds NaN in object arrays as the elements unequal to themselves
        x = where(isnan(x) if x.dtype.kind != "O" else x != x, 0 if kind == "sum" else 1, x)
    scan = cumulative_sum if kind == "sum" else cumulative_prod
    return handle_out(out, scan(x, axis=axis, dtype=dtype))


def nancumsum(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, *, method: str = "sequential") -> Array:
    """Running sum along ``axis`` treating NaN as zero, as ``numpy.nancumsum``.

    Parameters
    ----------
    x : Array or array-like
        Input.
    axis : int, optional
        Axis of the running total; None scans the flattened array, as NumPy.
    dtype : dtype, optional
        Accumulator and result dtype.
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.
    method : str
        Accepted for dask compatibility (``"sequential"``, ``"blelloch"``): the result is the same.

    Returns
    -------
    Array
        Same shape as ``x`` (1-d when ``axis`` is None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> ga.nancumsum(x, axis=1).compute().tolist()
    [[1.0, 1.0, 4.0], [4.0, 9.0, 9.0]]
    >>> ga.nancumsum(x).compute().tolist()
    [1.0, 1.0, 4.0, 8.0, 13.0, 13.0]
    """
    return _nan_scan("sum", x, axis, dtype, out)


def nancumprod(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, *,
               method: str = "sequential") -> Array:
    """Running product along ``axis`` treating NaN as one, as ``numpy.nancumprod``.

    Parameters
    ----------
    x : Array or array-like
        Input.
    axis : int, optional
        Axis of the running total; None scans the flattened array, as NumPy.
    dtype : dtype, optional
        Accumulator and result dtype.
    out : Array, optional
        dask's ``out=``: this gpuscale array then holds the result.
    method : str
        Accepted for dask compatibility (``"sequential"``, ``"blelloch"``): the result is the same.

    Returns
    -------
    Array
        Same shape as ``x`` (1-d when ``axis`` is None).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=(1, 2))
    >>> ga.nancumprod(x, axis=1).compute().tolist()
    [[1.0, 1.0, 3.0], [4.0, 20.0, 20.0]]
    """
    return _nan_scan("prod", x, axis, dtype, out)
