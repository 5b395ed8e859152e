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
when computed, since the values are not known before.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.array.reductions import Reduction
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["nansum", "nanprod", "nanmean", "nanvar", "nanstd", "nanmin", "nanmax", "nanargmin", "nanargmax",
           "nancumsum", "nancumprod", "handle_out"]


def handle_out(out: Any, result: Array) -> Array:
    """dask.array's ``out=``: ``out`` (a gpuscale array of the same shape) now holds ``result``."""
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
    out._expr = result._expr
    return out


def _as_array(a: Any) -> Array:
    if is_array(a):
        return a
    from gpuscale.array.creation import asarray

    return asarray(a)


def _numpy_dtype_of(name: str, x: Array, **kwargs: Any) -> Any:
    # NumPy's result dtype for its function ``name`` (the dtypes of every backend are NumPy's)
    return chunkfn.meta_call("numpy", name, chunkfn.Meta(x.dtype, max(x.ndim, 1)), **kwargs)


def _reduce(kind: str, a: Any, axis: Any, keepdims: bool, dtype: Any, split_every: Any, out: Any,
            correction: float = 0.0) -> Array:
    x = _as_array(a)
    axes = normalize_axis(axis, x.ndim)
    node = Reduction(x._expr, kind, axes, bool(keepdims), chunkfn.numpy_dtype(dtype), split_every,
                     float(correction))
    return handle_out(out, Array(node))


def nansum(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
           out: Any = None) -> Array:
    """Sum over ``axis`` treating NaN as zero (``numpy.nansum``)."""
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nansum", x)
    return _reduce("nansum", x, axis, keepdims, dtype, split_every, out)


def nanprod(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
            out: Any = None) -> Array:
    """Product over ``axis`` treating NaN as one (``numpy.nanprod``)."""
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nanprod", x)
    return _reduce("nanprod", x, axis, keepdims, dtype, split_every, out)


def nanmean(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
            out: Any = None) -> Array:
    """Mean over ``axis`` ignoring NaN; an all-NaN slice gives NaN and a ``RuntimeWarning``."""
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nanmean", x)
    return _reduce("nanmean", x, axis, keepdims, dtype, split_every, out)


def nanvar(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float = 0,
           split_every: Any = None, out: Any = None) -> Array:
    """Variance over ``axis`` ignoring NaN (``ddof`` as NumPy); merged exactly from per-block moments.

    Where the count of numbers minus ``ddof`` is not positive the result is
    NaN, with NumPy's ``RuntimeWarning``.
    """
    x = _as_array(a)
    dtype = dtype if dtype is not None else _numpy_dtype_of("nanvar", x)
    return _reduce("nanvar", x, axis, keepdims, dtype, split_every, out, correction=ddof)


def nanstd(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float = 0,
           split_every: Any = None, out: Any = None) -> Array:
    """Standard deviation over ``axis`` ignoring NaN: ``sqrt(nanvar(...))``."""
    from gpuscale.array.elementwise import sqrt

    return handle_out(out, sqrt(nanvar(a, axis=axis, dtype=dtype, keepdims=keepdims, ddof=ddof,
                                       split_every=split_every)))


def nanmin(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Minimum over ``axis`` ignoring NaN; an all-NaN slice gives NaN and a ``RuntimeWarning``."""
    x = _as_array(a)
    return _reduce("nanmin", x, axis, keepdims, x.dtype, split_every, out)


def nanmax(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Maximum over ``axis`` ignoring NaN; an all-NaN slice gives NaN and a ``RuntimeWarning``."""
    x = _as_array(a)
    return _reduce("nanmax", x, axis, keepdims, x.dtype, split_every, out)


def _arg(kind: str, a: Any, axis: Any, keepdims: bool, split_every: Any, out: Any) -> Array:
    from gpuscale.array.manipulation import reshape

    x = _as_array(a)
    if x.size == 0:
        raise ValueError(f"attempt to get {kind.removeprefix('nan')} of an empty sequence")
    if axis is None:
        flat = _arg(kind, reshape(x, (-1,)), 0, False, split_every, None)
        return handle_out(out, reshape(flat, (1,) * x.ndim) if keepdims else flat)
    if not isinstance(axis, int):
        raise TypeError(f"{kind}: axis must be an int or None, not {axis!r}")
    return _reduce(kind, x, axis, keepdims, "int64", split_every, out)


def nanargmin(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Index of the first minimum ignoring NaN; an all-NaN slice raises ``ValueError`` when computed."""
    return _arg("nanargmin", a, axis, keepdims, split_every, out)


def nanargmax(a: Any, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Array:
    """Index of the first maximum ignoring NaN; an all-NaN slice raises ``ValueError`` when computed."""
    return _arg("nanargmax", a, axis, keepdims, split_every, out)


def _nan_scan(kind: str, x: Any, axis: Any, dtype: Any, out: Any) -> Array:
    from gpuscale.array.elementwise import isnan
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.searching import where
    from gpuscale.array.statistical import cumulative_prod, cumulative_sum

    x = _as_array(x)
    if axis is None:  # NumPy flattens
        x, axis = reshape(x, (-1,)), 0
    dtype = dtype if dtype is not None else _numpy_dtype_of(f"nancum{kind}", x, axis=-1)
    if x.dtype.kind in "fc":
        x = where(isnan(x), 0 if kind == "sum" else 1, x)
    scan = cumulative_sum if kind == "sum" else cumulative_prod
    return handle_out(out, scan(x, axis=axis, dtype=dtype))


def nancumsum(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, *, method: str = "sequential") -> Array:
    """Running sum along ``axis`` treating NaN as zero (``axis=None``: of the flattened array, as NumPy)."""
    return _nan_scan("sum", x, axis, dtype, out)


def nancumprod(x: Any, axis: Any = None, dtype: Any = None, out: Any = None, *,
               method: str = "sequential") -> Array:
    """Running product along ``axis`` treating NaN as one (``axis=None``: of the flattened array)."""
    return _nan_scan("prod", x, axis, dtype, out)
