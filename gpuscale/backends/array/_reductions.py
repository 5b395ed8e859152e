"""Tree reductions: chunk -> combine* -> aggregate over tuples of keepdims arrays, and scans."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

from gpuscale.backends.array._core import astype, concat_nested, library_of, namespace, numpy_dtype, xp_dtype
from gpuscale.backends.array._masked import (carry_under_mask, element_count, is_masked, masked_full_mean,
                                              masked_result, masked_where_condition, masked_where_undefined,
                                              unmasked)
from gpuscale.backends.array._nan import (NAN_KINDS, _quiet, nan_aggregate, nan_chunk, nan_combine,
                                          widen_half)


# -- tree reductions: chunk -> combine* -> aggregate over tuples of keepdims arrays ---------------------
# A partial result ("state") is a tuple of arrays shaped like the chunk with reduced axes of length 1.
_SIMPLE = {"sum": "sum", "prod": "prod", "max": "max", "min": "min", "any": "any", "all": "all"}


@dataclass(frozen=True)
class UserReduction:
    """A reduction given by user functions (``gpuscale.array.reduction``), dask.array style."""

    chunk: Any
    combine: Any
    aggregate: Any
    concatenate: bool = True  # False: combine/aggregate get the nested list of partial results as they are
    name: str | None = None  # prefix of the expression names (dask's name=)


def user_chunk(kind: UserReduction, x: Any, *weights: Any, axis: tuple) -> tuple:
    """First step of a user reduction: ``chunk(block[, weights block], axis=, keepdims=True)``."""
    return (kind.chunk(x, *weights, axis=axis, keepdims=True),)


def _user_input(kind: UserReduction, nested: Any, axis: tuple) -> Any:
    # dask's concatenate=: one array joined along the reduced axes, or the nested list of partial results
    return _stack_states(nested, axis)[0] if kind.concatenate else _field(nested, 0)


def numel(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Any:
    """Number of elements of block ``x`` along ``axis`` (all when None), shaped as a reduction's result."""
    xp = namespace(x)
    axes = tuple(range(x.ndim)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % x.ndim for a in axes)
    count = math.prod(x.shape[a] for a in axes)
    shape = tuple(1 if d in axes else n for d, n in enumerate(x.shape)) if keepdims else \
        tuple(n for d, n in enumerate(x.shape) if d not in axes)
    return xp.full(shape, count, dtype=xp_dtype(xp, numpy_dtype(dtype if dtype is not None else "float64")))


def nannumel(x: Any, axis: Any = None, keepdims: bool = False, dtype: Any = None) -> Any:
    """Number of non-NaN elements of block ``x`` along ``axis`` (all when None)."""
    xp = namespace(x)
    axes = None if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    present = ~xp.isnan(x) if numpy_dtype(x.dtype).kind in "fc" else xp.ones_like(x, dtype=xp.bool)
    kwargs = {"dtype": xp_dtype(xp, numpy_dtype(dtype))} if dtype is not None else {}
    return xp.sum(present, axis=axes, keepdims=keepdims, **kwargs)


def reduce_chunk(kind: Any, x: Any, axis: tuple, dtype: Any = None, offsets: tuple = (), index: tuple = ()) -> tuple:
    """First step of a tree reduction on block ``index`` (``offsets``: block starts along ``axis[0]``)."""
    if isinstance(kind, UserReduction):
        return (kind.chunk(x, axis=axis, keepdims=True),)
    if kind in _EMPTY_SKIPPED and axis and not math.prod(x.shape[a] for a in axis):
        return _empty_partial(x, axis, kind)
    if kind in NAN_KINDS:
        return nan_chunk(kind, x, axis, dtype, offsets, index)
    xp = namespace(x)
    if kind in _SIMPLE:
        # the data's own dtype is no argument to pass: NumPy refuses a timedelta64 unit as a ufunc's dtype=
        cast = kind in ("sum", "prod") and dtype is not None and numpy_dtype(dtype) != numpy_dtype(x.dtype)
        kwargs = {"dtype": xp_dtype(xp, dtype)} if cast else {}
        return (getattr(xp, _SIMPLE[kind])(x, axis=axis, keepdims=True, **kwargs),)
    if kind == "count_nonzero":
        # the standard compares no bool array with an int; strings and objects count by truth (NumPy's "")
        nonzero = x if x.dtype == xp.bool else x != 0 if numpy_dtype(x.dtype).kind in "iufc" else \
            xp.astype(x, xp.bool)
        return (xp.sum(xp.astype(nonzero, xp.int64), axis=axis, keepdims=True),)
    if kind in ("mean", "var"):
        return _moments_chunk(xp, x, axis, kind, dtype)
    if kind in ("argmax", "argmin"):
        position = getattr(xp, kind)(x, axis=axis[0], keepdims=True)
        offset = offsets[index[axis[0]]] if offsets else 0
        return (xp.take_along_axis(x, position, axis=axis[0]), position + offset)
    raise ValueError(f"unknown reduction {kind!r}")


def _moments_chunk(xp: Any, x: Any, axis: tuple, kind: str, dtype: Any) -> tuple:
    # the variance of complex numbers is real: its real result dtype is no reason to drop the imaginary parts
    keep_complex = kind == "var" and _is_cplx(x) and numpy_dtype(dtype).kind != "c"
    if dtype is not None and numpy_dtype(x.dtype) != numpy_dtype(dtype) and not keep_complex:
        x = xp.astype(x, xp_dtype(xp, dtype))
    x = widen_half(xp, x)  # (the aggregate casts the result back to float16)
    n = math.prod(x.shape[a] for a in axis)
    total = _sum_in_own_dtype(xp, x, axis)
    if is_masked(x):  # masked elements do not count (NumPy's masked mean and var)
        count = element_count(x, axis, total)
    else:  # (a narrow integer type cannot count)
        wide = _is_cplx(total) or numpy_dtype(total.dtype).kind in "iub"
        count = xp.full(total.shape, n, dtype=xp_dtype(xp, numpy_dtype("float64")) if wide else total.dtype,
                        device=_device(total))
    if kind == "mean":
        return total, count
    mean = total / count if n else total
    m2 = xp.sum(xp.abs(x - mean) ** 2 if _is_cplx(x) else (x - mean) ** 2, axis=axis, keepdims=True)
    return count, mean, m2


def _sum_in_own_dtype(xp: Any, x: Any, axis: tuple) -> Any:
    # NumPy's mean(dtype=<integer>) sums in that integer type, wrapping around (a sum widens it to 64 bits)
    kwargs = {"dtype": x.dtype} if numpy_dtype(x.dtype).kind in "iu" else {}
    return xp.sum(x, axis=axis, keepdims=True, **kwargs)


def _is_cplx(x: Any) -> bool:
    return numpy_dtype(x.dtype).kind == "c"


def _device(x: Any) -> Any:
    return getattr(x, "device", None) if library_of(x) == "array_api_strict" else None


def _stack_states(nested: Any, axes: tuple) -> tuple:
    """Concatenate a nested list of states field by field along the reduced axes."""
    first = nested
    while isinstance(first, list):
        first = first[0]
    fields = range(len(first))
    return tuple(concat_nested(_field(nested, i), axes) for i in fields)


# min and max have no value for an empty block (after boolean indexing): such blocks give an empty partial
# result, which the merges skip; they are orderless, so the others are joined along one axis
_NO_IDENTITY = ("min", "max", "nanmin", "nanmax")
_ARG_KINDS = ("argmax", "argmin", "nanargmax", "nanargmin")
_EMPTY_SKIPPED = _NO_IDENTITY + _ARG_KINDS  # (no position in an empty block either)


def _empty_partial(x: Any, axis: tuple, kind: str) -> tuple:
    """The partial state of an empty block: its fields empty along ``axis[0]``."""
    xp = namespace(x)
    shape = tuple(0 if d == axis[0] else 1 if d in axis else n for d, n in enumerate(x.shape))
    value = xp.empty(shape, dtype=x.dtype, device=_device(x))
    if kind in _NO_IDENTITY:
        return (value,)
    position = xp.astype(value, xp.int64)
    return (value, position) if kind in ("argmax", "argmin") else (value, position, xp.astype(value, xp.bool))


def _without_empty(nested: Any, axis: tuple) -> Any:
    """The non-empty partial results as a flat list (joined along ``axis[0]``); one empty state if none."""
    states = list(_flat_states(nested))
    kept = [s for s in states if s[0].shape[axis[0]]]
    return kept if kept else states[0]


def _flat_states(nested: Any) -> Any:
    if isinstance(nested, list):
        for n in nested:
            yield from _flat_states(n)
    else:
        yield nested


def _field(nested: Any, i: int) -> Any:
    return [_field(n, i) for n in nested] if isinstance(nested, list) else nested[i]


def reduce_combine(kind: str, nested: Any, axis: tuple) -> tuple:
    """Merge the states of neighbouring blocks into one state."""
    if isinstance(kind, UserReduction):
        return (kind.combine(_user_input(kind, nested, axis), axis=axis, keepdims=True),)
    if kind in _EMPTY_SKIPPED and axis:
        kept = _without_empty(nested, axis)
        if not isinstance(kept, list):
            return kept  # only empty blocks here
        state = _stack_states(kept, axis[:1])
    else:
        state = _stack_states(nested, axis)
    if kind in NAN_KINDS:
        return nan_combine(kind, state, axis)
    xp = namespace(*state)
    if kind in _SIMPLE or kind == "count_nonzero":
        op = "sum" if kind == "count_nonzero" else _SIMPLE[kind]
        return (getattr(xp, op)(state[0], axis=axis, keepdims=True),)
    if kind == "mean":
        return tuple(_sum_in_own_dtype(xp, s, axis) for s in state)
    if kind == "var":
        return _merge_moments(xp, state, axis)
    values, index = state
    local = getattr(xp, kind)(values, axis=axis[0], keepdims=True)
    return xp.take_along_axis(values, local, axis=axis[0]), xp.take_along_axis(index, local, axis=axis[0])


def _merge_moments(xp: Any, state: tuple, axis: tuple) -> tuple:
    # Chan et al.: exact, stable merge of (count, mean, M2) of several parts
    count, mean, m2 = state
    total = xp.sum(count, axis=axis, keepdims=True)
    safe = xp.where(total == 0, xp.ones_like(total), total)
    weights = count if not _is_cplx(mean) else xp.astype(count, mean.dtype)
    merged_mean = xp.sum(weights * mean, axis=axis, keepdims=True) / (
        safe if not _is_cplx(mean) else xp.astype(safe, mean.dtype))
    spread = xp.abs(mean - merged_mean) ** 2 if _is_cplx(mean) else (mean - merged_mean) ** 2
    merged_m2 = xp.sum(m2, axis=axis, keepdims=True) + xp.sum(count * spread, axis=axis, keepdims=True)
    if is_masked(mean):  # a part holding a NaN: its mean is masked, and so is the whole's (chunking aside)
        merged_mean, merged_m2 = masked_where_undefined(count, mean, axis, merged_mean, merged_m2)
    return total, merged_mean, merged_m2


def reduce_aggregate(kind: str, nested: Any, axis: tuple, keepdims: bool, correction: float = 0.0,
                     dtype: Any = None, quiet: bool = False) -> Any:
    """Final step: merge the last states and produce the reduced chunk (``quiet``: no all-NaN-slice warning)."""
    if isinstance(kind, UserReduction):
        out = kind.aggregate(_user_input(kind, nested, axis), axis=axis, keepdims=keepdims)
        cast = dtype is not None and hasattr(out, "dtype") and numpy_dtype(out.dtype) != numpy_dtype(dtype)
        return astype(out, dtype) if cast else out
    state = reduce_combine(kind, nested, axis)
    if kind in _NO_IDENTITY and axis and not state[0].shape[axis[0]]:
        operation = {"min": "minimum", "max": "maximum", "nanmin": "fmin", "nanmax": "fmax"}[kind]
        raise ValueError(f"zero-size array to reduction operation {operation} which has no identity")  # NumPy's
    if kind in _ARG_KINDS and axis and not state[1].shape[axis[0]]:
        raise ValueError(f"attempt to get {kind.removeprefix('nan')} of an empty sequence")  # NumPy's
    if kind in NAN_KINDS:
        return masked_result(nan_aggregate(kind, state, axis, keepdims, correction, dtype, quiet))
    xp = namespace(*state)
    if kind == "mean":
        total, count = state
        if numpy_dtype(total.dtype).kind in "iu":  # (the standard divides floats only)
            total, count = (xp.astype(v, xp_dtype(xp, numpy_dtype("float64"))) for v in state)
        out = total / (xp.astype(count, total.dtype) if _is_cplx(total) else count)
        if is_masked(out) and not keepdims and len(axis) == out.ndim:  # NumPy's masked mean of all elements
            out = masked_full_mean(total, count)
    elif kind == "var":
        count, _, m2 = state
        dof = count - correction
        empty = dof <= 0  # NaN, as the Array API standard and dask (NumPy gives inf where values differ)
        if any(is_masked(v) for v in state):  # masked: as NumPy's masked var along an axis, no value there
            out = masked_where_condition(empty, m2 / dof)
        elif bool(xp.any(empty)):
            warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
            with _quiet():
                out = xp.where(empty, math.nan, m2 / xp.where(empty, xp.ones_like(dof), dof))
        else:
            out = m2 / dof
    elif kind in ("argmax", "argmin"):
        out = state[1]
    else:
        out = state[0]
    if dtype is not None and numpy_dtype(out.dtype) != numpy_dtype(dtype):
        out = xp.astype(out, xp_dtype(xp, dtype))
    return masked_result(out if keepdims else xp.squeeze(out, axis=axis) if axis else out)

# -- scans ------------------------------------------------------------------------------------------------------
def cumulative_block(kind: str, x: Any, axis: int, dtype: Any, carry: Any = None) -> Any:
    """``cumulative_sum/prod`` of a chunk, continued from ``carry`` (last value of the previous block)."""
    xp = namespace(x)
    out = getattr(xp, f"cumulative_{kind}")(x, axis=axis, dtype=xp_dtype(xp, dtype))
    if carry is None:
        return out
    if is_masked(out):  # NumPy's running total goes on under the mask; masked arithmetic would keep it there
        return carry_under_mask(out, carry, kind)
    return carry + out if kind == "sum" else carry * out  # NumPy's order: objects' + may not commute (strings)


def last_along(x: Any, axis: int, before: Any = None) -> Any:
    """Running total up to the end of this block: the last slice along ``axis`` (keepdims); ``before`` (the
    running total entering it) where the block is empty."""
    if x.shape[axis] == 0:
        return before
    index = tuple(slice(-1, None) if d == axis else slice(None) for d in range(x.ndim))
    return unmasked(x[index])  # a masked running total still carries its value on
