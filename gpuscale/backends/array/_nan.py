"""NaN-skipping tree reductions (``nansum`` ... ``nanargmax``): chunk, combine and aggregate steps.

Written against the Array API (``xp = namespace(chunk)``), so NumPy, CuPy and
array-api-strict chunks take the same path and nothing leaves the device.
States are tuples of keepdims arrays, as in :mod:`._reductions`:

* ``nansum`` / ``nanprod``: ``(partial,)`` with NaN replaced by 0 / 1;
* ``nanmin`` / ``nanmax``: ``(value,)``, NaN where a part had no number;
* ``nanmean``: ``(total, count)``;
* ``nanvar``: ``(count, mean, M2)`` merged exactly (Chan et al.);
* ``nanargmin`` / ``nanargmax``: ``(value, global index, has a number)``.

All-NaN slices behave as in NumPy: ``nanmin``/``nanmax``/``nanmean``/``nanvar``
give NaN with a ``RuntimeWarning`` (NumPy's messages), ``nanargmin``/``nanargmax``
raise ``ValueError``; ``nansum`` gives 0 and ``nanprod`` 1.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from typing import Any

from gpuscale.backends.array._core import module_for, namespace, numpy_dtype, xp_dtype
from gpuscale.backends.array._masked import is_masked, masked_call

NAN_KINDS = frozenset({"nansum", "nanprod", "nanmin", "nanmax", "nanmean", "nanvar", "nanargmin", "nanargmax"})


def _floating(x: Any) -> bool:
    return numpy_dtype(x.dtype).kind in "fc"


def _is_object(x: Any) -> bool:
    return numpy_dtype(x.dtype).kind == "O"


def _isnan(xp: Any, x: Any) -> Any:
    if _is_object(x):  # NumPy's nan-functions find NaN in object arrays as the elements unequal to themselves
        return x != x
    return xp.isnan(x) if _floating(x) else xp.zeros(x.shape, dtype=xp.bool, **_device_kw(x))


def _device_kw(x: Any) -> dict:
    device = getattr(x, "device", None)
    return {"device": device} if type(x).__module__.startswith("array_api_strict") else {}


def _cast(xp: Any, x: Any, dtype: Any) -> Any:
    if dtype is None or numpy_dtype(x.dtype) == numpy_dtype(dtype):
        return x
    return xp.astype(x, xp_dtype(xp, dtype))


def widen_half(xp: Any, x: Any) -> Any:
    """``x`` in float32 where it holds float16: moments accumulate wider (NumPy's float16 mean sums in
    float32), as float16 cannot count past 65504 nor merge partial moments precisely."""
    return xp.astype(x, xp_dtype(xp, "float32")) if numpy_dtype(x.dtype) == numpy_dtype("float16") else x


def _count_dtype(xp: Any) -> Any:
    return xp_dtype(xp, "float64")


@contextlib.contextmanager
def _quiet() -> Any:
    # 0/0 where a slice has no number: the NaN is the answer, NumPy's own divide warning is noise
    with module_for("numpy").errstate(invalid="ignore", divide="ignore"):
        yield


# -- chunk ---------------------------------------------------------------------------------------------------------
def nan_chunk(kind: str, x: Any, axis: tuple, dtype: Any = None, offsets: tuple = (), index: tuple = ()) -> tuple:
    """First step of a NaN-skipping reduction of one block."""
    xp = namespace(x)
    if kind in ("nansum", "nanprod"):
        if _floating(x) and dtype is not None and numpy_dtype(dtype).kind not in "fc":
            x = xp.where(xp.isnan(x), 0 if kind == "nansum" else 1, x)  # NaN is skipped before an int cast
        x = _cast(xp, x, dtype)
        if kind == "nansum":
            return (_nansum(xp, x, axis),)
        filled = xp.where(_isnan(xp, x), 1, x) if _floating(x) or _is_object(x) else x
        return (xp.prod(filled, axis=axis, keepdims=True),)
    if kind in ("nanmin", "nanmax"):
        return (_nan_extreme(xp, kind, x, axis),)
    if kind == "nanmean":
        x = widen_half(xp, _cast(xp, x, dtype))
        total = _sum_without_nan(x, axis)
        if total is not None:  # no NaN: every element counts
            size = math.prod(x.shape[a] for a in axis)
            return total, xp.full(total.shape, float(size), dtype=_count_dtype(xp))
        count = xp.sum(xp.astype(xp.logical_not(_isnan(xp, x)), _count_dtype(xp)), axis=axis, keepdims=True)
        return _nansum(xp, x, axis), count
    if kind == "nanvar":
        x = x if _floating(x) else _cast(xp, x, dtype)  # complex keeps its dtype
        return _moments(xp, widen_half(xp, x), axis)
    if kind in ("nanargmin", "nanargmax"):
        return _arg_chunk(xp, kind, x, axis[0], offsets[index[axis[0]]] if offsets else 0)
    raise ValueError(f"unknown NaN reduction {kind!r}")


def _nan_extreme(xp: Any, kind: str, x: Any, axis: tuple) -> Any:
    op = xp.min if kind == "nanmin" else xp.max
    # (NumPy's fmin/fmax skip NaN and NaT: datetimes are NumPy's only)
    if type(x).__module__ == "numpy" and x.size and numpy_dtype(x.dtype).kind in "fmM":
        fused = module_for("numpy").fmin if kind == "nanmin" else module_for("numpy").fmax
        return fused.reduce(x, axis=axis, keepdims=True)  # NaN where a slice has no number, no warning
    if not _floating(x) and not _is_object(x):
        return op(x, axis=axis, keepdims=True)
    missing = _isnan(xp, x)
    filled = xp.where(missing, math.inf if kind == "nanmin" else -math.inf, x)
    best = op(filled, axis=axis, keepdims=True)
    found = xp.any(xp.logical_not(missing), axis=axis, keepdims=True)
    return xp.where(found, best, math.nan)


def _sum_without_nan(x: Any, axis: tuple) -> Any:
    """The plain sum of a C-contiguous NumPy float block when it holds no NaN, else None.

    A NaN anywhere makes its slice's sum NaN, so a sum free of NaN proves the block is, and equals NumPy's
    ``nansum`` bit for bit (which sums a NaN-filled copy of the same layout): one pass instead of four (the
    NaN mask, the count, the filled copy, the sum).  A sum that is NaN (NaN in the data, or inf - inf) is
    dropped and the caller takes the NaN-skipping path.
    """
    if type(x).__module__ != "numpy" or numpy_dtype(x.dtype).kind != "f" or not x.flags.c_contiguous:
        return None
    np = module_for("numpy")
    total = np.sum(x, axis=axis, keepdims=True)
    return None if np.isnan(total).any() else total


def _nansum(xp: Any, x: Any, axis: tuple) -> Any:
    """Sum skipping NaN: the namespace's ``nansum`` where it has one (NumPy, CuPy), else zeros put in."""
    if _is_object(x):
        return xp.sum(xp.where(_isnan(xp, x), 0, x), axis=axis, keepdims=True)
    if not _floating(x):
        return xp.sum(x, axis=axis, keepdims=True)
    if hasattr(xp, "nansum"):
        return xp.nansum(x, axis=axis, keepdims=True)
    return xp.sum(xp.where(xp.isnan(x), 0, x), axis=axis, keepdims=True)


def _moments(xp: Any, x: Any, axis: tuple) -> tuple:
    missing = _isnan(xp, x)
    count = xp.sum(xp.astype(xp.logical_not(missing), _count_dtype(xp)), axis=axis, keepdims=True)
    total = _nansum(xp, x, axis)
    safe = xp.where(count == 0, 1.0, count)
    mean = total / (xp.astype(safe, total.dtype) if numpy_dtype(total.dtype).kind == "c" else safe)
    deviation = x - mean  # NaN stays NaN, and is skipped by the sum
    square = xp.abs(deviation) ** 2 if numpy_dtype(deviation.dtype).kind == "c" else deviation * deviation
    return count, mean, _nansum(xp, square, axis)


def _arg_chunk(xp: Any, kind: str, x: Any, axis: int, offset: int) -> tuple:
    missing = _isnan(xp, x)
    filled = xp.where(missing, math.inf if kind == "nanargmin" else -math.inf, x) if _floating(x) else x
    position = (xp.argmin if kind == "nanargmin" else xp.argmax)(filled, axis=axis, keepdims=True)
    value = xp.take_along_axis(filled, position, axis=axis)
    found = xp.logical_not(xp.all(missing, axis=axis, keepdims=True))
    return value, position + offset, found


# -- combine -------------------------------------------------------------------------------------------------------
def nan_combine(kind: str, state: tuple, axis: tuple) -> tuple:
    """Merge concatenated states (each field joined along ``axis``) into one state."""
    xp = namespace(*state)
    if kind in ("nansum", "nanprod"):
        return ((xp.sum if kind == "nansum" else xp.prod)(state[0], axis=axis, keepdims=True),)
    if kind in ("nanmin", "nanmax"):
        return (_nan_extreme(xp, kind, state[0], axis),)
    if kind == "nanmean":
        return tuple(xp.sum(s, axis=axis, keepdims=True) for s in state)
    if kind == "nanvar":
        from gpuscale.backends.array._reductions import _merge_moments

        return _merge_moments(xp, state, axis)
    return _arg_combine(xp, kind, state, axis[0])


def _arg_combine(xp: Any, kind: str, state: tuple, axis: int) -> tuple:
    values, index, found = state
    if not _floating(values):  # nothing to skip: the first best part (strings have no max, only argmax)
        chosen = (xp.argmin if kind == "nanargmin" else xp.argmax)(values, axis=axis, keepdims=True)
        return (xp.take_along_axis(values, chosen, axis=axis), xp.take_along_axis(index, chosen, axis=axis),
                xp.any(found, axis=axis, keepdims=True))
    # the values are NaN-filled with -inf (+inf for nanargmin) as NumPy's nanargmax fills them, so the
    # first part equal to the best wins, even one with no number: NumPy's tie of a NaN before a -inf
    # (an all-NaN slice raises in the aggregate)
    best = (xp.min if kind == "nanargmin" else xp.max)(values, axis=axis, keepdims=True)
    chosen = xp.argmax(xp.astype(values == best, xp.int8), axis=axis, keepdims=True)
    return (xp.take_along_axis(values, chosen, axis=axis), xp.take_along_axis(index, chosen, axis=axis),
            xp.any(found, axis=axis, keepdims=True))


# -- aggregate -----------------------------------------------------------------------------------------------------
def nan_aggregate(kind: str, state: tuple, axis: tuple, keepdims: bool, correction: float, dtype: Any,
                  quiet: bool = False) -> Any:
    """Finish a NaN-skipping reduction from the merged ``state`` (warnings and errors as NumPy; no warning
    with ``quiet``: the caller ignored it where it built the reduction)."""
    if quiet:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            return nan_aggregate(kind, state, axis, keepdims, correction, dtype)
    xp = namespace(*state)
    if kind in ("nansum", "nanprod"):
        out = state[0]
    elif kind in ("nanmin", "nanmax"):
        out = state[0]
        if _floating(out) and bool(xp.any(xp.isnan(out))):
            warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=2)
    elif kind == "nanmean":
        total, count = state
        if bool(xp.any(count == 0)):
            warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
        with _quiet():
            out = total / (xp.astype(count, total.dtype) if numpy_dtype(total.dtype).kind == "c" else count)
    elif kind == "nanvar":
        count, _, m2 = state
        dof = count - correction
        empty = dof <= 0
        if bool(xp.any(empty)):
            warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=2)
        with _quiet():
            out = xp.where(empty, math.nan, m2 / xp.where(empty, 1.0, dof))
    else:
        if not bool(xp.all(masked_call("filled", state[2], True) if is_masked(state[2]) else state[2])):
            raise ValueError("All-NaN slice encountered")  # (a masked lane holds no NaN: position 0, as NumPy)
        out = state[1]
    out = _cast(xp, out, dtype)
    return out if keepdims or not axis else xp.squeeze(out, axis=axis)
