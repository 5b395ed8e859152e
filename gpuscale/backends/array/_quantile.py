"""Quantiles of one block as NumPy computes them, in any library with ``sort`` and ``take_along_axis``.

NumPy chunks use NumPy's own functions, except its nan* functions along an axis of an n-d block: those call
``apply_along_axis`` (a Python call per lane, 7-40x slower than dask), so a block without NaN takes NumPy's
vectorised ``quantile`` (the same answer) and one with NaNs :func:`generic_quantile` (a sort of every lane at
once), unless its lanes are long enough that NumPy's per-lane partition wins.  Other libraries take
:func:`generic_quantile`: CuPy 14 has no
``nanquantile``/``nanpercentile``, refuses ``weights`` and seven of NumPy's thirteen methods, and its
``quantile`` of a lane holding a NaN is not NaN (NaN sorts last and is interpolated only at the top).
The generic path follows NumPy's ``_quantile`` step by step (same virtual indexes, same ``_lerp``, same
dtype rules, including the weak promotion of a Python-number ``q``), on whole lanes at once.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

# method -> (alpha, beta) of Hyndman and Fan's continuous methods (NumPy's _compute_virtual_index)
_CONTINUOUS = {"interpolated_inverted_cdf": (0, 1), "hazen": (0.5, 0.5), "weibull": (0, 0),
               "median_unbiased": (1 / 3.0, 1 / 3.0), "normal_unbiased": (3 / 8.0, 3 / 8.0)}
_DISCRETE = ("inverted_cdf", "closest_observation", "lower", "higher", "nearest")  # no interpolation
METHODS = ("linear", "midpoint", "averaged_inverted_cdf") + _DISCRETE + tuple(_CONTINUOUS)


def quantile_of(xp: Any, name: str, a: Any, q: Any, axis: Any, method: str = "linear", keepdims: bool = False,
                weights: Any = None) -> Any:
    """``xp.<name>(a, q, axis=axis, ...)`` for ``name`` one of quantile, nanquantile, percentile, nanpercentile.

    NumPy's own function where ``xp`` is NumPy; otherwise :func:`generic_quantile`, which gives NumPy's
    results with functions every array library has (see the module's docstring for CuPy's differences).
    """
    if _native_is_numpys(xp):
        numpy_name = _numpy_route(xp, name, a, axis, weights)
        if numpy_name is not None:
            return _numpy_quantile(xp, numpy_name, a, q, axis, method, keepdims, weights)
    return generic_quantile(xp, a, q, axis=axis, method=method, keepdims=keepdims, weights=weights,
                            skip_nan=name.startswith("nan"), percent=name.endswith("percentile"))


# lane lengths up to which sorting every lane at once beats NumPy: its partition along an axis (slow on short
# lanes), and with NaNs its nan* functions' Python loop over the lanes (about 0.1 ms a lane)
_SORT_UP_TO, _SORT_NAN_UP_TO = 1024, 4096


def _numpy_route(xp: Any, name: str, a: Any, axis: Any, weights: Any) -> str | None:
    """The NumPy function that gives ``name``'s answer for NumPy block ``a`` fastest, or None for
    :func:`generic_quantile`.

    NumPy's nan* functions loop in Python over the lanes of an n-d array (``apply_along_axis``, and a loop
    with ``weights``).  Without NaN their answer is ``quantile``'s, computed lane by lane by the same code, so
    the vectorised ``quantile`` gives it bit for bit; short lanes, NaNs or weights: sorting every lane at once.
    An all-NaN lane gives NumPy the data's dtype (its loop then casts every lane to it: float32 data with a
    float64 ``q``), so those take the generic path, whose dtype is the one gpuscale announces.
    """
    if not name.startswith("nan") or a.dtype.kind not in "iuf" or type(a) is not xp.ndarray:
        return name  # masked and object arrays keep NumPy's own rules
    axes = _axes(axis, a.ndim)
    one_lane, length = len(axes) == a.ndim, math.prod(a.shape[d] for d in axes)
    nan = xp.isnan(a) if a.dtype.kind == "f" else None
    if nan is None or not nan.any():
        if weights is not None:
            return name if one_lane else None
        return name[3:] if one_lane or length > _SORT_UP_TO else None
    if nan.all(axis=axes).any():
        return None
    return name if one_lane or weights is None and length > _SORT_NAN_UP_TO else None


def _native_is_numpys(xp: Any) -> bool:
    """Whether ``xp``'s own quantile functions are NumPy's (only NumPy's are: see the module's docstring)."""
    return getattr(xp, "__name__", None) == "numpy"


def _numpy_quantile(xp: Any, name: str, a: Any, q: Any, axis: Any, method: str, keepdims: bool,
                    weights: Any) -> Any:
    # an n-d q goes in flat and its shape is put back: NumPy's nan* functions misplace the q dimensions of
    # an n-d q when reducing several axes
    q_shape = getattr(q, "shape", ())
    qs = q.reshape(-1) if len(q_shape) > 1 else q
    extra = {} if weights is None else {"weights": weights}
    out = getattr(xp, name)(a, qs, axis=axis, method=method, keepdims=keepdims, **extra)
    return out.reshape(q_shape + out.shape[1:]) if len(q_shape) > 1 else out


def generic_quantile(xp: Any, a: Any, q: Any, axis: Any = None, method: str = "linear", keepdims: bool = False,
                     weights: Any = None, skip_nan: bool = False, percent: bool = False) -> Any:
    """NumPy's ``quantile`` (``skip_nan``: ``nanquantile``; ``percent``: ``q`` in percent) written with
    ``sort``, ``argsort``, ``take_along_axis``, ``cumsum`` and elementwise functions of namespace ``xp``.

    Parameters
    ----------
    xp
        The array library (module or namespace) of ``a``.
    a
        Real numbers.
    q
        A Python number, or an array (host or ``xp``) of any shape; its dimensions come first.
    axis
        None (all), an int or a tuple of ints.
    method, keepdims, weights
        As in NumPy (``weights`` of ``a``'s shape, or 1-d along the one ``axis``; ``method="inverted_cdf"``).

    Returns
    -------
    array
        Of NumPy's dtype; lanes holding a NaN give NaN (all-NaN lanes with ``skip_nan``).
    """
    weak = type(q) in (int, float)  # NumPy's weak promotion: a Python number keeps float32 data float32
    qs = _checked_q(xp, q, percent)
    if a.dtype.kind == "c":
        raise TypeError("a must be an array of real numbers")
    if method not in METHODS:
        raise ValueError(f"{method!r} is not a valid method. Use one of: {METHODS}")
    axes = _axes(axis, a.ndim)
    lanes, keep_shape = _lanes_last(xp, a, axes)
    if lanes.shape[-1] == 0:  # nothing to reduce: NumPy's nanquantile is then nanmean (NaN), its quantile fails
        if skip_nan:
            return xp.nanmean(a, axis=axes, keepdims=keepdims)
        raise IndexError("index -1 is out of bounds for axis 0 with size 0")
    nan_kind = a.dtype.kind == "f"
    n = lanes.shape[-1]
    count = n - xp.sum(xp.isnan(lanes), axis=-1) if skip_nan and nan_kind else None  # non-NaN values per lane
    if count is not None and bool(xp.any(count == 0)):
        warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=2)  # as NumPy's nan* functions
    if weights is not None:
        w, _ = _lanes_last(xp, _weights_of_shape(xp, weights, a, axes, method), axes)
        ordered, out = _weighted(xp, lanes, w, qs, count)
    else:
        ordered = xp.sort(lanes, axis=-1)  # NaN sorts last, in NumPy and CuPy
        out = _unweighted(xp, ordered, qs, count, method, weak)
    out = _nan_lanes(xp, out, ordered, count, nan_kind)
    return xp.reshape(out, qs.shape + (keep_shape if keepdims else lanes.shape[:-1]))


def _checked_q(xp: Any, q: Any, percent: bool) -> Any:
    qs = xp.asarray(q)
    if percent:
        qs = qs / 100
    if qs.size and not bool(xp.all((qs >= 0) & (qs <= 1))):
        raise ValueError("Percentiles must be in the range [0, 100]" if percent
                         else "Quantiles must be in the range [0, 1]")
    return qs


def _axes(axis: Any, ndim: int) -> tuple:
    if axis is None:
        return tuple(range(ndim))
    return tuple(sorted({ax % ndim for ax in (axis if isinstance(axis, (tuple, list)) else (axis,))}))


def _lanes_last(xp: Any, a: Any, axes: tuple) -> tuple:
    """``a`` with the reduced ``axes`` moved last and made one; and the shape that keepdims gives."""
    kept = [d for d in range(a.ndim) if d not in axes]
    moved = xp.transpose(a, tuple(kept) + axes) if a.ndim else a
    n = math.prod(a.shape[d] for d in axes)
    keep_shape = tuple(1 if d in axes else a.shape[d] for d in range(a.ndim))
    return xp.reshape(moved, tuple(a.shape[d] for d in kept) + (n,)), keep_shape


def _weights_of_shape(xp: Any, weights: Any, a: Any, axes: tuple, method: str) -> Any:
    if method != "inverted_cdf":
        raise ValueError(f"Only method 'inverted_cdf' supports weights. Got: {method}.")
    w = xp.asarray(weights)
    if w.shape != a.shape:  # NumPy's 1-d weights along the one reduced axis
        shape = [1] * a.ndim
        shape[axes[0]] = -1
        w = xp.broadcast_to(xp.reshape(w, tuple(shape)), a.shape)
    if bool(xp.any(w < 0)):
        raise ValueError("Weights must be non-negative.")
    return w


def _virtual_index(xp: Any, method: str, n: Any, q: Any) -> Any:
    """NumPy's virtual index of each quantile in lanes of ``n`` values (integers for discrete methods)."""
    if method in ("linear", "midpoint", "lower", "higher", "nearest"):
        at = (n - 1) * q
        rounded = {"lower": xp.floor, "higher": xp.ceil, "nearest": xp.around}.get(method)
        if rounded is not None:
            return rounded(at).astype(np.intp)
        return 0.5 * (xp.floor(at) + xp.ceil(at)) if method == "midpoint" else at
    if method == "averaged_inverted_cdf":
        return n * q - 1
    if method == "inverted_cdf":
        return _to_boundaries(xp, n * q - 1, lambda gamma, index: gamma == 0)
    if method == "closest_observation":  # the nearest even order statistic at gamma 0 (1-based)
        return _to_boundaries(xp, n * q - 1 - 0.5, lambda gamma, index: (gamma == 0) & (xp.floor(index) % 2 == 1))
    alpha, beta = _CONTINUOUS[method]
    return n * q + (alpha + q * (1 - alpha - beta)) - 1


def _to_boundaries(xp: Any, index: Any, lower_where: Any) -> Any:
    previous = xp.floor(index)
    gamma = index - previous
    return xp.maximum(xp.where(lower_where(gamma, index), previous, previous + 1).astype(np.intp), 0)


def _fix_gamma(xp: Any, method: str, gamma: Any, index: Any) -> Any:
    if method == "averaged_inverted_cdf":
        return xp.where(gamma == 0, 0.5, 1.0)
    if method == "midpoint":
        return xp.where(index % 1 == 0, 0.0, 0.5)
    return gamma


def _unweighted(xp: Any, ordered: Any, qs: Any, count: Any, method: str, weak: bool) -> Any:
    """Quantiles (q dims first, then the lanes) of lanes sorted along the last axis."""
    n = ordered.shape[-1]
    q = xp.reshape(qs, qs.shape + (1,) * (ordered.ndim - 1))
    # a lane's count is a Python int in NumPy (weakly promoted): give it q's float dtype
    size = n if count is None else count.astype(qs.dtype) if qs.dtype.kind == "f" else count
    index = _virtual_index(xp, method, size, q)
    if method in _DISCRETE or method == "linear" and index.dtype.kind in "iu":  # no interpolation (as NumPy)
        return _take(xp, ordered, index)
    last = n - 1 if count is None else count - 1
    below, above = index < 0, index >= last
    previous = xp.where(below, 0, xp.where(above, -1, xp.floor(index)))  # NumPy's indexes, -1: the last value
    at = xp.where(above, last, previous).astype(np.intp)
    following = xp.where(below | above, at, at + 1)
    gamma = (index - previous).astype(np.float64)  # NumPy's float index minus its intp index
    gamma = _fix_gamma(xp, method, gamma, index).astype(index.dtype)
    return _lerp(xp, _take(xp, ordered, at), _take(xp, ordered, following), gamma, weak)


def _lerp(xp: Any, a: Any, b: Any, gamma: Any, weak: bool) -> Any:
    """NumPy's ``_lerp``: ``a + (b - a) * t``, or ``b - (b - a) * (1 - t)`` where ``t >= 0.5``."""
    diff = b - a
    if weak:  # NumPy's gamma is then a Python float: it takes the data's dtype (float64 for integers)
        dtype = np.result_type(np.dtype(diff.dtype), 0.0)
        t, rest = gamma.astype(dtype), (1 - gamma.astype(np.float64)).astype(dtype)
    else:
        t, rest = gamma, 1 - gamma
    low = a + diff * t
    high = b.astype(low.dtype) - (diff * rest).astype(low.dtype)
    return xp.where(gamma >= 0.5, high, low)


def _weighted(xp: Any, lanes: Any, w: Any, qs: Any, count: Any) -> tuple:
    """(sorted lanes, ``inverted_cdf`` quantiles by the cumulative weights), as NumPy's weighted branch."""
    order = xp.argsort(lanes, axis=-1)
    ordered = xp.take_along_axis(lanes, order, axis=-1)
    w = xp.take_along_axis(w, order, axis=-1)
    if count is not None:  # NaNs (sorted last) are dropped with their weights
        w = xp.where(xp.isnan(ordered), xp.asarray(0, dtype=w.dtype), w)
    cdf = xp.cumsum(w, axis=-1, dtype=np.float64)
    cdf = cdf / cdf[..., -1:]
    bad = xp.isnan(cdf[..., -1]) if count is None else xp.isnan(cdf[..., -1]) & (count > 0)
    if bool(xp.any(bad)):
        raise ValueError("Weights included NaN, inf or were all zero.")
    if qs.dtype.kind == "f":  # NumPy compares in q's dtype (0.4 in float32 is not 0.4 in float64)
        cdf = cdf.astype(qs.dtype)
    cdf = xp.where(cdf == 0, xp.asarray(-1, dtype=cdf.dtype), cdf)  # leading zero weights: q=0 takes the first value that has weight
    flat = xp.reshape(qs, (-1,))
    # searchsorted(cdf, q, "left") of every lane: how many cumulative weights lie below q
    found = xp.stack([xp.sum(cdf < flat[k], axis=-1) for k in range(flat.shape[0])]) if flat.shape[0] else \
        xp.zeros((0,) + lanes.shape[:-1], dtype=np.intp)
    last = lanes.shape[-1] - 1 if count is None else count - 1
    index = xp.minimum(found, last)
    return ordered, _take(xp, ordered, xp.reshape(index, qs.shape + lanes.shape[:-1]))


def _take(xp: Any, ordered: Any, index: Any) -> Any:
    """``ordered[..., index]`` lane by lane: ``index`` has q's dimensions, then the lanes' (or ones)."""
    lane_shape = ordered.shape[:-1]
    n = ordered.shape[-1]
    q_shape = index.shape[:index.ndim - len(lane_shape)]
    index = xp.clip(xp.broadcast_to(index, q_shape + lane_shape), 0, max(n - 1, 0)).astype(np.intp)
    flat = xp.reshape(index, (math.prod(q_shape),) + lane_shape)
    values = xp.take_along_axis(ordered, xp.moveaxis(flat, 0, -1), axis=-1)
    return xp.reshape(xp.moveaxis(values, -1, 0), q_shape + lane_shape)


def _nan_lanes(xp: Any, out: Any, ordered: Any, count: Any, nan_kind: bool) -> Any:
    """NaN where NumPy's is: lanes holding a NaN (quantile), lanes of NaNs only (nanquantile)."""
    if not nan_kind:
        return out
    if count is None:
        return xp.where(xp.isnan(ordered[..., -1]), ordered[..., -1].astype(out.dtype), out)
    return xp.where(count == 0, xp.asarray(float("nan"), dtype=out.dtype), out)
