"""Chunk functions of ``histogram``, ``histogramdd``, ``bincount`` and ``digitize``.

Bins are found with ``searchsorted`` on the edges, exactly as ``numpy.histogram``
does for given edges (the last bin includes its right edge; values outside
the edges and NaN are not counted), and counted with the namespace's
``bincount`` where it has one (NumPy, CuPy) or with a sort otherwise
(array-api-strict), all on the chunk's own device.  Only NumPy chunks use their
library's ``histogram`` (for equal bins); CuPy's bins differently from NumPy.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.backends.array._core import library_of, module_for, namespace, numpy_dtype, xp_dtype


def _np() -> Any:
    return module_for("numpy")


def _device_kw(x: Any) -> dict:
    return {"device": x.device} if type(x).__module__.startswith("array_api_strict") else {}


# -- host-side helpers (building the graph) ---------------------------------------------------------------------
def histogram_edges(lo: Any, hi: Any, bins: int, data_dtype: Any) -> Any:
    """``numpy.histogram``'s edges for ``bins`` equal bins over ``range=(lo, hi)`` (a NumPy array).

    Raises
    ------
    ValueError
        As NumPy: a range that is not finite or has ``lo > hi``, or a negative number of bins.
    """
    np = _np()
    if bins < 1:
        raise ValueError("`bins` must be positive, when an integer")
    first, last = float(lo), float(hi)
    if first > last:
        raise ValueError("max must be larger than min in range parameter.")
    if not (math.isfinite(first) and math.isfinite(last)):
        raise ValueError(f"supplied range of [{first}, {last}] is not finite")
    if first == last:
        first, last = first - 0.5, last + 0.5
    bin_type = np.result_type(first, last, np.empty(0, dtype=numpy_dtype(data_dtype)))
    if np.issubdtype(bin_type, np.integer) or bin_type == np.bool_:
        bin_type = np.result_type(bin_type, float)
    return np.linspace(first, last, bins + 1, endpoint=True, dtype=bin_type)


def host_edges(bins: Any) -> Any:
    """Bin edges given as a sequence or host array: a 1-d NumPy array, checked to increase."""
    np = _np()
    edges = np.asarray(bins)
    if edges.ndim != 1:
        raise ValueError(f"bins must be a 1-dimensional array or sequence, got shape {edges.shape}")
    if edges.size and np.any(edges[:-1] > edges[1:]):
        raise ValueError("`bins` must increase monotonically, when an array")
    return edges


def is_host_data(obj: Any) -> bool:
    """True for a NumPy array or nested Python sequence/number (data on the host)."""
    return type(obj).__module__.partition(".")[0] == "numpy" or isinstance(obj, (list, tuple, int, float))


def monotonic_direction(bins: Any) -> int:
    """+1 if the 1-d host ``bins`` increase, -1 if they decrease (``numpy.digitize``'s rule).

    Raises
    ------
    ValueError
        If they do neither, or are not 1-d.
    """
    np = _np()
    edges = np.asarray(bins)
    if edges.ndim != 1:
        raise ValueError("object too deep for desired array" if edges.ndim > 1 else "object of too small depth for "
                         "desired array")
    if edges.size < 2 or np.all(edges[:-1] <= edges[1:]):
        return 1
    if np.all(edges[:-1] >= edges[1:]):
        return -1
    raise ValueError("bins must be monotonically increasing or decreasing")


def diff_host(edges: Any) -> Any:
    """``numpy.diff`` of host edges as float64."""
    np = _np()
    return np.diff(np.asarray(edges)).astype(np.float64)


# -- counting ------------------------------------------------------------------------------------------------------
def _promoted(xp: Any, *arrays: Any) -> list:
    np = _np()
    target = np.result_type(*(numpy_dtype(a.dtype) for a in arrays))
    return [a if numpy_dtype(a.dtype) == target else xp.astype(a, xp_dtype(xp, target)) for a in arrays]


def _bins_of(xp: Any, x: Any, edges: Any, uniform: bool = False) -> tuple:
    """Bin number of each element of 1-d ``x`` (``nbins`` for those outside the edges or NaN).

    ``uniform`` edges (equal bins from ``bins=n, range=``) take NumPy's fast path: the index is computed
    arithmetically, then corrected by one where it disagrees with the edges, so the result is the same
    as the ``searchsorted`` on the edges.
    """
    x, edges = _promoted(xp, x, edges)
    nbins = edges.shape[0] - 1
    inside = (x >= edges[0]) & (x <= edges[-1])
    if uniform and nbins > 0 and numpy_dtype(x.dtype).kind == "f":
        first, last = edges[0], edges[-1]
        scaled = xp.where(inside, (x - first) / (last - first) * nbins, 0)
        index = xp.astype(scaled, xp.int64)
        index = xp.where(index >= nbins, nbins - 1, xp.where(index < 0, 0, index))
        index = index - xp.astype(x < xp.take(edges, index), xp.int64)
        up = (x >= xp.take(edges, xp.where(index + 1 > nbins, nbins, index + 1))) & (index != nbins - 1)
        index = index + xp.astype(up, xp.int64)
        return xp.where(inside, index, nbins), inside
    index = xp.searchsorted(edges, x, side="right") - 1
    index = xp.where(x == edges[-1], nbins - 1, index)  # the last bin includes its right edge
    return xp.where(inside, index, nbins), inside


def bincount_any(xp: Any, index: Any, weights: Any, length: int) -> Any:
    """``bincount(index, weights, minlength=length)`` of non-negative ints below ``length``.

    The namespace's own ``bincount`` where it has one; else a sort and
    ``searchsorted`` (for namespaces without it, such as array-api-strict), the weights
    summed within each bin by :func:`_segment_sums`.
    """
    index = xp.astype(index, xp.int64) if numpy_dtype(index.dtype) != numpy_dtype("int64") else index
    if hasattr(xp, "bincount"):
        return xp.bincount(index, weights=weights, minlength=length)[:length]
    order = xp.argsort(index)
    ordered = xp.take(index, order)
    bounds = xp.searchsorted(ordered, xp.arange(length + 1, dtype=xp.int64, **_device_kw(index)), side="left")
    counts = bounds[1:] - bounds[:-1]
    if weights is None:
        return counts
    weights = xp.astype(weights, xp.float64) if numpy_dtype(weights.dtype).kind in "biu" else weights
    if ordered.shape[0] == 0:
        return xp.zeros((length,), dtype=weights.dtype, **_device_kw(weights))
    sums = _segment_sums(xp, ordered, xp.take(weights, order))
    last = xp.where(counts > 0, bounds[1:] - 1, 0)
    return xp.where(counts > 0, xp.take(sums, last), xp.zeros_like(xp.take(sums, last)))


def _segment_sums(xp: Any, keys: Any, values: Any) -> Any:
    """Running sums of ``values`` within runs of equal sorted ``keys`` (each run's total at its last element).

    A segmented Hillis-Steele scan (log n steps, O(n) memory): each bin is summed apart, so a NaN, an
    infinity or a large weight in one bin does not leak into the others (differences of one cumulative
    sum over all bins did).
    """
    n, step = values.shape[0], 1
    while step < n:
        same = keys[step:] == keys[:-step]
        added = xp.where(same, values[:-step], xp.zeros_like(values[:-step]))
        values = xp.concat([values[:step], values[step:] + added])
        step *= 2
    return values


def _count_dtype(weights: Any) -> Any:
    return numpy_dtype("int64") if weights is None else numpy_dtype(weights.dtype)


def histogram_block(x: Any, edges: Any, weights: Any = None, uniform: Any = None) -> Any:
    """Counts (or weight sums) of one block in the bins of ``edges``: shape ``(1,) * x.ndim + (nbins,)``.

    ``uniform``: the ``(min, max)`` range when the edges are equal bins over it (``bins=n, range=``):
    NumPy's own ``histogram`` for NumPy chunks; other libraries bin against NumPy's edges here, as
    ``numpy.histogram`` would (CuPy's ``histogram`` makes its own edges with ``cupy.linspace``, which may
    differ in the last bit, and its CUB path moves the last edge of integer data up by one).
    """
    xp = namespace(x, edges)
    nbins = edges.shape[0] - 1
    flat = xp.reshape(x, (-1,))
    w = None if weights is None else xp.reshape(weights, (-1,))
    if uniform is not None and library_of(x) == "numpy" and hasattr(xp, "histogram") \
            and numpy_dtype(x.dtype).kind in "biuf":
        counts, _ = xp.histogram(flat, bins=nbins, range=tuple(uniform), weights=w)
    else:
        index, _ = _bins_of(xp, flat, edges, uniform is not None)
        counts = bincount_any(xp, index, w, nbins + 1)[:nbins]
    counts = xp.astype(counts, xp_dtype(xp, _count_dtype(weights)))
    return xp.reshape(counts, (1,) * x.ndim + (nbins,))


def histogramdd_block(nd: int, weighted: bool, uniform: tuple, *arrays: Any) -> Any:
    """Counts of one block of samples in the grid of ``nd`` edge arrays: shape ``(1,) + nbins``.

    ``arrays`` are the ``nd`` edges, then the weights when ``weighted``, then the samples: one 1-d block
    per dimension, or one ``(n, nd)`` block; ``uniform``: per dimension, equal bins (a faster path).
    """
    edges, rest = arrays[:nd], arrays[nd:]
    weights, columns = (rest[0], rest[1:]) if weighted else (None, rest)
    xp = namespace(*edges, *columns)
    if len(columns) == 1 and columns[0].ndim == 2:
        block = columns[0]
        columns = tuple(block[:, d] for d in range(block.shape[1]))
    sizes = tuple(e.shape[0] - 1 for e in edges)
    total = math.prod(sizes)
    flat = outside = None
    for column, e, n, equal in zip(columns, edges, sizes, uniform):
        index, inside = _bins_of(xp, xp.reshape(column, (-1,)), e, equal)
        index = xp.where(inside, index, 0)
        flat = index if flat is None else flat * n + index
        outside = xp.logical_not(inside) if outside is None else outside | xp.logical_not(inside)
    flat = xp.where(outside, total, flat)
    w = None if weights is None else xp.reshape(weights, (-1,))
    counts = bincount_any(xp, flat, w, total + 1)[:total]
    # weighted: float64 as NumPy's histogramdd (bool weights cast back to their dtype saturated at True)
    counts = xp.astype(counts, xp_dtype(xp, numpy_dtype("int64" if weights is None else "float64")))
    return xp.reshape(counts, (1,) + sizes)


def bincount_block(x: Any, weights: Any = None, minlength: int = 0) -> Any:
    """``bincount`` of one 1-d block: shape ``(1, length)``, ``length = max(minlength, max(x) + 1)``.

    Raises
    ------
    ValueError
        For negative values, as NumPy.
    """
    xp = namespace(x)
    if numpy_dtype(x.dtype).kind not in "biu":
        raise TypeError(f"bincount needs integers, not {numpy_dtype(x.dtype)}")
    if x.shape[0] and bool(xp.any(x < 0)):
        raise ValueError("'list' argument must have no negative elements")
    length = max(int(minlength), int(xp.max(x)) + 1 if x.shape[0] else 0)
    counts = bincount_any(xp, x, weights, length)
    dtype = "int64" if weights is None else "float64"
    return xp.reshape(xp.astype(counts, xp_dtype(xp, dtype)), (1, length))


def bincount_sum(parts: Any, minlength: int, declared: bool = False) -> Any:
    """Sum the per-block counts (a list of ``(1, n)`` blocks, or one), padded to the longest (at least
    ``minlength``: NumPy's lower bound).

    Raises
    ------
    ValueError
        When the lazy result was given the length ``minlength`` (``declared``) and a value does not fit: its
        blocks would be longer than its metadata says.
    """
    parts = parts if isinstance(parts, list) else [parts]
    xp = namespace(*parts)
    length = max([int(minlength)] + [p.shape[1] for p in parts])
    if declared and length > minlength:
        raise ValueError(f"bincount: the input holds values up to {length - 1}, beyond minlength={minlength} "
                         "(the length the lazy result was given); pass a larger minlength, or minlength=0 for a "
                         "length known only when computed")
    out = xp.zeros((length,), dtype=parts[0].dtype, **_device_kw(parts[0]))
    for p in parts:
        n = p.shape[1]
        if n == length:
            out = out + p[0, :]
        elif n:
            out = xp.concat([out[:n] + p[0, :], out[n:]])
    return out


def digitize_block(x: Any, bins: Any, right: bool, direction: int) -> Any:
    """``numpy.digitize`` of a block against 1-d monotonic ``bins`` (``direction`` +1 increasing, -1 decreasing)."""
    xp = namespace(x, bins)
    x, bins = _promoted(xp, x, bins)
    if direction == 0:  # bins that stayed on the device: find their direction here
        increasing = bins.shape[0] < 2 or bool(xp.all(bins[:-1] <= bins[1:]))
        if not increasing and not bool(xp.all(bins[:-1] >= bins[1:])):
            raise ValueError("bins must be monotonically increasing or decreasing")
        direction = 1 if increasing else -1
    if direction > 0:
        return xp.searchsorted(bins, x, side="left" if right else "right")
    return bins.shape[0] - xp.searchsorted(xp.flip(bins), x, side="left" if right else "right")
