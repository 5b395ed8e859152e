"""NumPy's calculus routines on gpuscale arrays: ``trapezoid``, ``ediff1d``, ``gradient`` (compositions of
slicing and element-wise arithmetic, so every block needs only its neighbours' edges)."""

from __future__ import annotations

from typing import Any

from gpuscale.array._operands import as_array
from gpuscale.array.core import Array, is_array
from gpuscale.array.protocols import implements
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["trapezoid", "ediff1d", "gradient"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


@implements("trapezoid")
def trapezoid(y: Any, x: Any = None, dx: Any = 1.0, axis: int = -1) -> Array:
    """The integral of ``y`` along ``axis`` by the trapezoidal rule, as ``numpy.trapezoid``.

    Parameters
    ----------
    y : Array or array_like
        Values.
    x : Array or array_like, optional
        Sample points: 1-d along ``axis``, or of ``y``'s shape; None: spaced ``dx`` apart.
    dx : scalar
        The spacing when ``x`` is None.
    axis : int
        The axis to integrate along.

    Returns
    -------
    Array
        ``y``'s shape without ``axis`` (0-d for 1-d ``y``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.trapezoid(ga.asarray([1, 2, 3], chunks=2)))
    4.0
    >>> float(ga.trapezoid(ga.asarray([1.0, 2.0, 3.0]), x=ga.asarray([0.0, 1.0, 3.0])))
    6.5
    """
    ga = _ga()
    values = as_array(y)
    (axis,) = normalize_axis(axis, values.ndim)
    if x is None:
        step = dx
    else:
        points = as_array(x, values.backend)
        step = ga.diff(points, axis=axis if points.ndim > 1 else 0)
        if points.ndim == 1:  # NumPy: 1-d sample points lie along axis, for every line of y
            step = ga.reshape(step, tuple(-1 if d == axis else 1 for d in range(values.ndim)))
    n = values.shape[axis]
    later = values[(slice(None),) * axis + (slice(1, n),)]
    earlier = values[(slice(None),) * axis + (slice(0, max(n - 1, 0)),)]
    return ga.sum(step * (later + earlier) / 2.0, axis=axis)


@implements("ediff1d")
def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Array:
    """Differences of consecutive elements of the flattened array, with optional values before and
    after, as ``numpy.ediff1d``.

    Parameters
    ----------
    ary : Array
        Input (flattened).
    to_end, to_begin : array_like, optional
        Appended and prepended (flattened, cast to the differences' dtype).

    Returns
    -------
    Array
        1-d.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ediff1d(ga.asarray([1, 2, 4, 7]), to_begin=-99).compute().tolist()
    [-99, 1, 2, 3]
    """
    from gpuscale.array.stacking import ravel

    ga = _ga()
    flat = ravel(as_array(ary))
    out = flat[1:] - flat[:-1]
    parts = [out]
    if to_begin is not None:
        parts.insert(0, _ediff1d_extra(to_begin, flat, "to_begin").astype(out.dtype))
    if to_end is not None:
        parts.append(_ediff1d_extra(to_end, flat, "to_end").astype(out.dtype))
    return ga.concat(parts, axis=0) if len(parts) > 1 else out


def _ediff1d_extra(values: Any, flat: Array, name: str) -> Array:
    """``to_begin``/``to_end`` flattened, refused as NumPy when not castable to the input's dtype under
    ``same_kind`` (a cast wrapped -1 to 255 on uint8, or truncated floats on integers)."""
    from gpuscale.array.stacking import ravel

    extra = ravel(as_array(values, flat.backend))
    if not chunkfn.dtype_function("can_cast", chunkfn.numpy_dtype(extra.dtype), chunkfn.numpy_dtype(flat.dtype),
                                  casting="same_kind"):
        raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the `same_kind` rule.")
    return extra


def _slab(x: Array, axis: int, lo: Any, hi: Any) -> Array:
    return x[(slice(None),) * axis + (slice(lo, hi),)]


def _along(v: Array, axis: int, ndim: int) -> Array:
    return _ga().reshape(v, tuple(-1 if d == axis else 1 for d in range(ndim)))


def _gradient_axis(x: Array, axis: int, spacing: Any, edge_order: int) -> Array:
    ga = _ga()
    s = lambda lo, hi: _slab(x, axis, lo, hi)  # noqa: E731
    if not is_array(spacing) and hasattr(spacing, "__len__"):  # host coordinates, evenly spaced: NumPy's step
        from gpuscale.backends import array as chunkfn

        step = chunkfn.uniform_step(spacing)
        spacing = spacing if step is None else step
    if not is_array(spacing) and not hasattr(spacing, "__len__"):
        h = float(spacing)
        interior = (s(2, None) - s(0, -2)) / (2 * h)
        if edge_order == 1:
            first, last = (s(1, 2) - s(0, 1)) / h, (s(-1, None) - s(-2, -1)) / h
        else:
            # NumPy's coefficients over h, each times a slab (a timedelta product truncates term by term)
            first = (-1.5 / h) * s(0, 1) + (2.0 / h) * s(1, 2) + (-0.5 / h) * s(2, 3)
            last = (0.5 / h) * s(-3, -2) + (-2.0 / h) * s(-2, -1) + (1.5 / h) * s(-1, None)
    else:
        # NumPy's coordinate dtype: x's when inexact, else (timedelta x) float64
        coords = as_array(spacing, x.backend).astype(x.dtype if x.dtype.kind in "fc" else "float64")
        if coords.ndim != 1 or coords.shape[0] != x.shape[axis]:
            raise ValueError("when 1d, distances must match the length of the corresponding dimension")
        dx = coords[1:] - coords[:-1]
        d1, d2 = _along(dx[:-1], axis, x.ndim), _along(dx[1:], axis, x.ndim)
        interior = (-d2 / (d1 * (d1 + d2)) * s(0, -2) + (d2 - d1) / (d1 * d2) * s(1, -1)
                    + d1 / (d2 * (d1 + d2)) * s(2, None))
        if edge_order == 1:
            first = (s(1, 2) - s(0, 1)) / _along(dx[:1], axis, x.ndim)
            last = (s(-1, None) - s(-2, -1)) / _along(dx[-1:], axis, x.ndim)
        else:
            a1, a2 = _along(dx[0:1], axis, x.ndim), _along(dx[1:2], axis, x.ndim)
            first = (-(2 * a1 + a2) / (a1 * (a1 + a2)) * s(0, 1) + (a1 + a2) / (a1 * a2) * s(1, 2)
                     - a1 / (a2 * (a1 + a2)) * s(2, 3))
            b1, b2 = _along(dx[-2:-1], axis, x.ndim), _along(dx[-1:], axis, x.ndim)
            last = (b2 / (b1 * (b1 + b2)) * s(-3, -2) - (b2 + b1) / (b1 * b2) * s(-2, -1)
                    + (2 * b2 + b1) / (b2 * (b1 + b2)) * s(-1, None))
    # the three slabs of x keep x's blocks off axis: they line up even where those lengths are unknown
    out = ga.concat([first, interior, last], axis=axis, allow_unknown_chunksizes=True)
    return out.rechunk(x.chunks)


def _gradient_operand(x: Array) -> Array:
    """``x`` in the dtype NumPy differentiates it in: datetimes as their timedeltas since the epoch (a
    timedelta gradient), integers as float64, inexact and timedelta as they are; bools are refused."""
    if x.dtype.kind == "b":  # differences of booleans are refused, as NumPy's boolean subtract
        raise TypeError("gradient: boolean subtract, the `-` operator, is not supported for a bool array; "
                        "convert it to a number type first")
    if x.dtype.kind == "M":
        return x.view(str(x.dtype).replace("datetime", "timedelta"))
    return x if x.dtype.kind in "fcm" else x.astype("float64")


@implements("gradient")
def gradient(f: Any, *varargs: Any, axis: Any = None, edge_order: int = 1) -> Any:
    """Second-order central differences inside, one-sided differences at the ends, as ``numpy.gradient``.

    Parameters
    ----------
    f : Array
        Input (integers are differentiated as float64; datetimes and timedeltas give timedeltas).
    *varargs : scalar or 1-d array
        Spacing: none (1), one scalar for every axis, or one per axis (a scalar or the coordinates).
    axis : int, tuple of int or None
        Axes (all when None).
    edge_order : {1, 2}
        Accuracy of the differences at the ends.

    Returns
    -------
    Array or tuple of Array
        One gradient per axis (an array for one axis), each with ``f``'s shape and blocks.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.gradient(ga.asarray([1.0, 2.0, 4.0, 7.0, 11.0], chunks=2)).compute().tolist()
    [1.0, 1.5, 2.5, 3.5, 4.0]
    """
    x = _gradient_operand(as_array(f))
    axes = normalize_axis(axis, x.ndim)
    if isinstance(axis, (tuple, list)):  # one gradient per axis in the order asked (normalize_axis sorts them)
        axes = tuple(a % x.ndim for a in axis)
    if edge_order not in (1, 2):
        raise ValueError("'edge_order' greater than 2 not supported")
    if not varargs:
        spacings = [1.0] * len(axes)
    elif len(varargs) == 1 and not hasattr(varargs[0], "__len__"):
        spacings = [varargs[0]] * len(axes)
    elif len(varargs) == len(axes):
        spacings = list(varargs)
    else:
        raise TypeError("invalid number of arguments")
    out = []
    for a, h in zip(axes, spacings):
        if x.shape[a] < edge_order + 1:
            raise ValueError("Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) "
                             "elements are required.")
        out.append(_gradient_axis(x, a, h, edge_order))
    return out[0] if len(out) == 1 else tuple(out)
