"""Chunk functions that need whole axes: quantiles and medians, ``apply_along_axis``.

NumPy and CuPy chunks use their own library's function (so CuPy chunks stay on the device), except
quantiles of non-NumPy chunks, which take :func:`~gpuscale.backends.array._quantile.generic_quantile`;
array-api-strict chunks, whose namespace has no quantiles, are computed through a NumPy copy
and put back on their device.
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends.array._core import library_of, module_for, namespace
from gpuscale.backends.array._creation import to_backend
from gpuscale.backends.array._masked import is_masked
from gpuscale.backends.array._quantile import quantile_of

ORDER_STATISTICS = ("quantile", "nanquantile", "percentile", "nanpercentile", "median", "nanmedian")


def _library(chunk: Any) -> tuple[str, Any, Any]:
    """(library name, module whose functions run, the chunk in that module's arrays)."""
    lib = library_of(chunk)
    if lib in ("numpy", "cupy"):
        return lib, module_for(lib), chunk
    return lib, module_for("numpy"), to_backend(chunk, "numpy")


def quantile_q(q: Any, percent: bool) -> tuple[Any, tuple]:
    """``q`` checked to lie in [0, 1] (or [0, 100] for percentiles), and its shape.

    A Python number stays one and an array keeps its float dtype, so that the result's dtype is NumPy's
    (``quantile(float32_array, 0.5)`` is float32; a float64 or listed ``q`` makes it float64)."""
    np = module_for("numpy")
    if hasattr(q, "__array_namespace__") and library_of(q) != "numpy" or hasattr(q, "_expr"):
        raise TypeError("quantile: q must be a number or a sequence of numbers in host memory, not a "
                        f"{type(q).__name__}")
    arr = np.asarray(q)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"quantile: q must be numbers, not of dtype {arr.dtype}")
    top = 100.0 if percent else 1.0
    if arr.size and not (np.all(arr >= 0) and np.all(arr <= top)):
        raise ValueError(f"quantile: q must lie in [0, {top:g}], got {q!r}")
    return (q if isinstance(q, (int, float)) else arr), arr.shape


def order_statistic_block(block: Any, *weights: Any, name: str, q: Any, axis: tuple, method: str,
                          keepdims: bool, q_last: bool = False) -> Any:
    """NumPy's (or CuPy's) ``name`` (one of :data:`ORDER_STATISTICS`) of one block holding whole ``axis``
    (and the block of ``weights`` of the same shape, if given; with ``q_last``, a lazy ``q`` as the last
    positional block)."""
    lib, mod, data = _library(block)
    if q_last:
        *weights, q = weights
        q = _library(q)[2]
    weights = [_library(w)[2] for w in weights]
    statistic = _empty_statistic if data.size == 0 else _statistic
    out = statistic(mod, name, data, weights, q, axis, method, keepdims)
    out = out if is_masked(out) else mod.asarray(out)  # NumPy's masked result keeps its mask (median of --)
    return out if lib in ("numpy", "cupy") else to_backend(out, lib)


def _statistic(mod: Any, name: str, data: Any, weights: list, q: Any, axis: tuple, method: str,
               keepdims: bool) -> Any:
    if name in ("median", "nanmedian"):
        return getattr(mod, name)(data, axis=axis, keepdims=keepdims)
    # NumPy's own function on NumPy chunks; on others (CuPy) a sort-based one giving NumPy's results
    return quantile_of(mod, name, data, q, axis, method, keepdims, weights[0] if weights else None)


def _empty_statistic(mod: Any, name: str, data: Any, weights: list, q: Any, axis: tuple, method: str,
                     keepdims: bool) -> Any:
    """``name`` of an empty block.  NumPy stumbles on those (a reshape error for ``median(axis=(0, 2))``,
    float64 for ``method="higher"`` of integers, ``nanpercentile`` without ``q``'s dimensions), so the
    result's dtype and shape come from a block of zeros with each empty axis one long, cut back to length 0
    along the kept axes; where a reduced axis is empty and the result is not, every value is NaN, NumPy's
    answer for an empty slice (``quantile``/``percentile`` raise NumPy's error)."""
    axes = tuple(range(data.ndim)) if axis is None else axis
    shape = tuple(max(n, 1) for n in data.shape)
    stand_in = _statistic(mod, name, mod.zeros(shape, dtype=data.dtype), [mod.ones(shape, dtype=w.dtype)
                          for w in weights], q, axis, method, keepdims)
    stand_in = mod.asarray(stand_in)
    kept = [d for d in range(data.ndim) if keepdims or d not in axes]
    lead = (slice(None),) * (stand_in.ndim - len(kept))  # q's dimensions come first
    out = stand_in[lead + tuple(slice(None) if d in axes else slice(0, data.shape[d]) for d in kept)]
    if out.size == 0:
        return out
    if name in ("quantile", "percentile"):
        return _statistic(mod, name, data, weights, q, axis, method, keepdims)  # NumPy's error
    if out.dtype.kind not in "fc":
        raise ValueError(f"{name} of an empty slice has no value of dtype {out.dtype} (method={method!r})")
    return mod.full_like(out, mod.nan)


def diag_block(block: Any, k: int = 0) -> Any:
    """NumPy's (or CuPy's) ``diag`` of a 1-d block; array-api-strict (which has none) by way of NumPy."""
    lib, mod, data = _library(block)
    out = mod.diag(data, k)
    return out if lib in ("numpy", "cupy") else to_backend(out, lib)


def complex_round_block(block: Any, decimals: int) -> Any:
    """NumPy's (CuPy's) ``round(block, decimals)`` of a complex block: each part rounded on its own (scaling
    the complex number by ``10**decimals`` would turn an infinite part's partner into NaN); array-api-strict
    by way of NumPy."""
    lib, mod, data = _library(block)
    out = mod.round(data, decimals)
    return out if lib in ("numpy", "cupy") else to_backend(out, lib)


def along_axis_block(block: Any, *args: Any, func1d: Callable, axis: int, kwargs: dict) -> Any:
    """``apply_along_axis(func1d, axis, block, *args, **kwargs)`` of one block holding the whole ``axis``;
    gpuscale array arguments arrive as one whole chunk each."""
    lib, mod, data = _library(block)
    if lib not in ("numpy", "cupy"):
        args = tuple(to_backend(a, "numpy") if library_of(a) == lib else a for a in args)
    out = mod.asarray(mod.apply_along_axis(func1d, axis, data, *args, **kwargs))
    return out if lib in ("numpy", "cupy") else to_backend(out, lib)


def along_axis_meta(func1d: Callable, dtype: Any, args: tuple, kwargs: dict, length: int = 1) -> tuple:
    """dtype and shape of ``func1d``'s result on a 1-d array of ``length`` ones of ``dtype``."""
    np = module_for("numpy")
    with np.errstate(all="ignore"):
        out = np.asarray(func1d(np.ones((length,), dtype=dtype), *args, **kwargs))
    return out.dtype, out.shape


def reshape_block(block: Any, shape: tuple) -> Any:
    """One block reshaped on its own (``reshape_blockwise``), in C order."""
    return namespace(block).reshape(block, shape)
