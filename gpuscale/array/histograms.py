"""``histogram``, ``histogram2d``, ``histogramdd``, ``bincount`` and ``digitize``, as in dask.array.

Every block is counted on its own device (``backends/array/_histogram.py``)
into an array of per-block counts, which a tree reduction sums.  As in
dask.array, a number of bins needs ``range=`` (the data's minimum and maximum
are not known without computing it); bin edges given as a sequence or array
are used as they are.  Edges made from ``bins``/``range`` follow NumPy's rule
(``numpy.linspace`` in the data's floating dtype) and are returned as a NumPy
array, as dask.array does; edges given as an array are returned as given.
"""

from __future__ import annotations

import builtins
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.rechunk import rechunk_expr
from gpuscale.backends import array as chunkfn

__all__ = ["histogram", "histogram_bin_edges", "histogram2d", "histogramdd", "bincount", "digitize"]

_NEEDS_RANGE = ("{name}(bins={bins!r}) needs range=(min, max) when bins is a number of bins, as in dask.array: "
                "the data's minimum and maximum are not known without computing it.  Pass range=, or a sequence "
                "of bin edges as bins=")


def _as_array(a: Any, backend: str | None = None) -> Array:
    if is_array(a):
        return a if backend is None or a.backend == backend else a.to_backend(backend)
    from gpuscale.array.creation import asarray

    return asarray(a, backend=backend)


def _one_block(x: Array) -> Array:
    return Array(rechunk_expr(x._expr, tuple((n,) for n in x.shape)))


def _is_count(bins: Any) -> bool:
    if is_array(bins):
        return bins.ndim == 0
    return chunkfn.python_scalar_type(bins) in (int, bool) or (hasattr(bins, "ndim") and bins.ndim == 0)


def _edges(bins: Any, range: Any, dtype: Any, backend: str, name: str) -> tuple:  # noqa: A002
    """``(edges to return, edges as a one-block gpuscale array on backend, the range of equal bins or None)``."""
    if isinstance(bins, str):  # (a string is a sequence: it failed later, on its characters)
        raise ValueError(f"{name}(bins={bins!r}): NumPy's estimators need the data's values; compute the data, or "
                         "pass a number of bins with range= or the edges")
    if bins is None or (_is_count(bins) and range is None):
        raise ValueError(_NEEDS_RANGE.format(name=name, bins=bins))
    if _is_count(bins):
        if not hasattr(range, "__len__") or len(range) != 2:
            raise ValueError(f"{name}: range must be a sequence of length 2 (min, max), got {range!r}")
        edges = chunkfn.histogram_edges(range[0], range[1], int(bins), dtype)
        first, last = float(range[0]), float(range[1])
        uniform = (first - 0.5, last + 0.5) if first == last else (first, last)  # NumPy widens an empty range
        return edges, _one_block(_as_array(edges, backend)), uniform
    elif is_array(bins):
        if bins.ndim != 1:
            raise ValueError(f"bins must be a 1-dimensional array or sequence, got shape {bins.shape}")
        return bins, _one_block(_as_array(bins, backend)), None
    elif chunkfn.is_host_data(bins):
        edges = chunkfn.host_edges(bins)
        lazy = _one_block(_as_array(edges, backend))
        return (lazy if isinstance(bins, (list, tuple)) else edges), lazy, None  # dask: a list's edges are lazy
    else:  # an array of a chunk library (CuPy, array-api-strict): kept on its device
        if getattr(bins, "ndim", 1) != 1:
            raise ValueError(f"bins must be a 1-dimensional array or sequence, got shape {bins.shape}")
        return bins, _one_block(_as_array(bins, backend)), None
    return edges, _one_block(_as_array(edges, backend)), None


def _weights(weights: Any, a: Array, target_chunks: tuple) -> Array | None:
    if weights is None:
        return None
    w = _as_array(weights, a.backend)
    if w.shape != a.shape:
        raise ValueError(f"weights should have the same shape as a: {w.shape} != {a.shape}")
    return Array(rechunk_expr(w._expr, target_chunks))


def _density(hist: Array, widths: list[Array]) -> Array:
    from gpuscale.array.manipulation import reshape
    from gpuscale.array.statistical import sum as _sum

    out = hist.astype("float64")
    total = _sum(out)
    for d, width in enumerate(widths):
        shape = tuple(-1 if i == d else 1 for i in builtins.range(len(widths)))
        out = out / reshape(width, shape)
    return out / total


def _widths(edges: Array) -> Array:
    from gpuscale.array.sorting import diff

    return diff(edges.astype("float64"))


def histogram(a: Any, bins: Any = None, range: Any = None, normed: bool = False, weights: Any = None,  # noqa: A002
              density: bool | None = None) -> tuple:
    """Counts of ``a``'s values in bins, as ``numpy.histogram`` / ``dask.array.histogram``.

    Parameters
    ----------
    a : Array or array-like
        Input (flattened).
    bins : int or sequence or Array
        A number of equal bins (then ``range`` is required, as in dask.array) or the bin edges (a sequence,
        a NumPy/CuPy array or a gpuscale array).  NumPy's estimators (``"auto"``, ``"fd"`` ...) need the data's
        values and are not supported.
    range : (float, float), optional
        ``(min, max)`` of the equal bins.
    normed : bool
        NumPy's removed keyword: anything but False raises.
    weights : Array, optional
        Shaped like ``a``: sums of weights instead of counts.
    density : bool, optional
        Normalise so that the integral over the range is 1.

    Returns
    -------
    tuple
        ``(hist, bin_edges)``: ``hist`` a lazy 1-d array; ``bin_edges`` as dask.array gives them: in memory
        for a number of bins or a NumPy/CuPy array of edges, a lazy array for a list or a gpuscale array.

    Raises
    ------
    ValueError
        A number of bins without ``range``, or a string ``bins``; ``normed=`` (deprecated: use ``density``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0.5, 1.5, 1.7, 2.2, 3.9], chunks=2)
    >>> hist, edges = ga.histogram(x, bins=4, range=(0, 4))
    >>> hist.compute().tolist(), edges.tolist()
    ([1, 2, 1, 1], [0.0, 1.0, 2.0, 3.0, 4.0])
    >>> ga.histogram(x, bins=[0, 2, 4], weights=ga.asarray([1.0, 1.0, 2.0, 1.0, 1.0], chunks=2))[0].compute().tolist()
    [4.0, 2.0]
    >>> ga.histogram(x, bins=2, range=(0, 4), density=True)[0].compute().tolist()
    [0.3, 0.2]
    """
    if normed is not False:
        raise ValueError("The normed= keyword argument has been deprecated. Please use density instead.")
    x = _as_array(a)
    edges_out, edges, uniform = _edges(bins, range, x.dtype, x.backend, "histogram")
    if x.ndim == 0:
        from gpuscale.array.manipulation import reshape

        x = reshape(x, (1,))
        weights = None if weights is None else reshape(_as_array(weights, x.backend), (1,))
    w = _weights(weights, x, x.chunks)
    nbins = edges.shape[0] - 1
    ind = tuple(builtins.range(x.ndim))
    dtype = chunkfn.numpy_dtype("int64") if w is None else w.dtype
    if str(dtype) == "bool":  # NumPy's error: counts summed in the weights' dtype would saturate at True
        raise TypeError("histogram: Cannot cast ufunc 'add' output from dtype('int64') to dtype('bool') with "
                        "casting rule 'same_kind' (boolean weights; pass weights.astype(int))")
    if nbins < 1:  # fewer than two edges make no bin: NumPy counts nothing
        return edges[:0].astype("float64" if density else dtype), edges_out
    chunks = tuple((1,) * len(c) for c in x.chunks) + ((nbins,),)
    node = blockwise_expr(chunkfn.histogram_block, ind + (1000,), chunks, dtype, x.backend,
                          x._expr, edges._expr, w._expr if w is not None else None, uniform,
                          arg_inds=(ind, (2000,), ind if w is not None else None, None))
    from gpuscale.array.statistical import sum as _sum

    hist = _sum(Array(node), axis=ind, dtype=dtype)
    if density:
        hist = _density(hist, [_widths(edges)])
    return hist, edges_out


def histogram_bin_edges(a: Any, bins: Any = 10, range: Any = None, weights: Any = None) -> Any:  # noqa: A002
    """The bin edges :func:`histogram` uses, as ``numpy.histogram_bin_edges``.

    Parameters
    ----------
    a : Array or array_like
        The data (its dtype decides the edges' dtype; its values are not read).
    bins : int or sequence or Array
        A number of equal bins (then ``range`` is required, as for :func:`histogram`) or the edges themselves.
        NumPy's estimators (``"auto"``, ``"fd"`` ...) need the data's values and are not supported.
    range : (float, float), optional
        ``(min, max)`` of the equal bins.
    weights
        Accepted, as NumPy's, and unused.

    Returns
    -------
    array
        As :func:`histogram`'s ``bin_edges``: in memory for a number of bins or a NumPy/CuPy array of edges, a
        lazy array for a list or a gpuscale array.

    Raises
    ------
    ValueError
        A number of bins without ``range``, or a string ``bins``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.histogram_bin_edges(ga.asarray([1.0, 2.0, 3.0]), bins=4, range=(0, 4)).tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0]
    """
    x = _as_array(a)
    return _edges(bins, range, x.dtype, x.backend, "histogram_bin_edges")[0]


def _dd_bins(bins: Any, ndim: int) -> list:
    if _is_count(bins) or isinstance(bins, str):  # (a string for every dimension: refused by name in _edges)
        return [bins] * ndim
    bins = list(bins)
    if len(bins) != ndim:
        raise ValueError(f"histogramdd: The dimension of bins must be equal to the dimension of the sample x "
                         f"({ndim}), got {len(bins)} bins")
    return bins


def _dd_ranges(range: Any, ndim: int) -> list:  # noqa: A002
    """One ``(min, max)`` pair (or None) per dimension, checked."""
    if range is None:
        return [None] * ndim
    ranges = list(range)
    if len(ranges) != ndim:
        raise ValueError(f"histogramdd: range argument requires one entry, a min max pair, per dimension. Got "
                         f"{len(ranges)} entries for {ndim} dimensions")
    if any(r is not None and (not hasattr(r, "__len__") or len(r) != 2) for r in ranges):
        raise ValueError(f"histogramdd: range argument should be a sequence of pairs (min, max), got {range!r}")
    return ranges


def _dd_weights(weights: Any, backend: str, n: tuple, n_chunks: tuple) -> Array | None:
    if weights is None:
        return None
    w = _as_array(weights, backend)
    if w.shape != n:
        raise ValueError(f"weights should have the shape of one sample column {n}, got {w.shape}")
    return Array(rechunk_expr(w._expr, (n_chunks,)))


def histogramdd(sample: Any, bins: Any, range: Any = None, normed: Any = None, weights: Any = None,  # noqa: A002
                density: bool | None = None) -> tuple:
    """Multidimensional histogram, as ``numpy.histogramdd`` / ``dask.array.histogramdd``.

    Parameters
    ----------
    sample : Array or sequence of Array
        An ``(N, D)`` array, or a sequence of ``D`` 1-d arrays of length ``N``.
    bins : int or sequence
        A number of bins for every dimension (with ``range``, as in dask.array), one number per dimension (with
        ``range``), or one array of edges per dimension.
    range : sequence of (float, float), optional
        ``(min, max)`` per dimension.
    normed : bool, optional
        An alias of ``density``, as dask.array's (giving both raises ``TypeError``).
    weights : Array, optional
        One weight per sample point.
    density : bool, optional
        Normalise so that the integral over the range is 1.

    Returns
    -------
    tuple
        ``(hist, edges)``: ``hist`` a lazy D-dimensional array (float64 counts, as NumPy's and dask's; the
        weights' dtype with ``weights``, as dask's), ``edges`` one lazy array of edges per dimension (as
        dask.array).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> points = ga.asarray([[0.5, 0.5], [1.5, 0.5], [1.5, 0.7], [0.2, 1.9]], chunks=2)
    >>> hist, edges = ga.histogramdd(points, bins=2, range=[(0, 2), (0, 2)])
    >>> hist.compute().tolist(), [e.compute().tolist() for e in edges]
    ([[1.0, 1.0], [2.0, 0.0]], [[0.0, 1.0, 2.0], [0.0, 1.0, 2.0]])
    """
    if normed is not None and density is not None:
        raise TypeError("histogramdd: Cannot specify both 'normed' and 'density' (normed is an alias of density)")
    density = normed if density is None else density
    if is_array(sample) or hasattr(sample, "shape"):
        sample = _as_array(sample)
        if sample.ndim != 2:
            raise ValueError(f"histogramdd: Single array input to histogramdd should be columnar: an (N, D) array "
                             f"(or a sequence of D 1-d arrays), got shape {sample.shape}")
        ndim = sample.shape[1]
        columns = [Array(rechunk_expr(sample._expr, (sample.chunks[0], (ndim,))))]
        backend, n_chunks = sample.backend, columns[0].chunks[0]
    else:
        arrays = [_as_array(s) for s in sample]
        backend = arrays[0].backend
        arrays = [_as_array(s, backend) for s in arrays]
        if any(s.ndim != 1 for s in arrays) or len({s.shape for s in arrays}) != 1:
            raise ValueError("histogramdd: the sample arrays must be 1-d and of equal length")
        ndim = len(arrays)
        n_chunks = _chunks.common_chunks([s.chunks[0] for s in arrays])
        columns = [Array(rechunk_expr(s._expr, (n_chunks,))) for s in arrays]
    ranges = _dd_ranges(range, ndim)
    # equal bins have float64 edges whatever the data's dtype, as NumPy's histogramdd (histogram keeps float32)
    edges64 = chunkfn.numpy_dtype("float64")
    triples = [_edges(b, r, edges64, backend, "histogramdd") for b, r in zip(_dd_bins(bins, ndim), ranges)]
    edges = [e for _, e, _ in triples]
    uniform = tuple(u is not None for _, _, u in triples)
    w = _dd_weights(weights, backend, (columns[0].shape[0],), n_chunks)
    sizes = tuple(e.shape[0] - 1 for e in edges)
    if min(sizes) == 0:  # one edge makes no bin there: NumPy counts nothing (no edge at all: its IndexError)
        from gpuscale.array.filled import zeros

        return zeros(tuple(builtins.max(s, 0) for s in sizes), dtype="float64", backend=backend), edges
    out_ind = (0,) + tuple(1000 + d for d in builtins.range(ndim))
    chunks = ((1,) * len(n_chunks),) + tuple((s,) for s in sizes)
    dtype = chunkfn.numpy_dtype("int64" if w is None else "float64")  # weighted: float64, as NumPy (any weights)
    column_inds = [(0, 1) if c.ndim == 2 else (0,) for c in columns]
    inds = (None, None, None) + tuple((2000 + d,) for d in builtins.range(ndim)) + \
        (((0,),) if w is not None else ()) + tuple(column_inds)
    args = [ndim, w is not None, uniform, *(e._expr for e in edges), *([w._expr] if w is not None else []),
            *(c._expr for c in columns)]
    node = blockwise_expr(chunkfn.histogramdd_block, out_ind, chunks, dtype, backend, *args, arg_inds=inds)
    from gpuscale.array.statistical import sum as _sum

    # counts summed as float64 (exact below 2**53), NumPy's and dask's dtype
    hist = _sum(Array(node), axis=0, dtype=chunkfn.numpy_dtype("float64") if w is None else dtype)
    if density:
        hist = _density(hist, [_widths(e) for e in edges])
    return hist, edges  # lazy arrays, as dask.array's


def histogram2d(x: Any, y: Any, bins: Any = 10, range: Any = None, normed: Any = None,  # noqa: A002
                weights: Any = None, density: bool | None = None) -> tuple:
    """Two-dimensional histogram of ``x`` and ``y``, as ``numpy.histogram2d``.

    Parameters
    ----------
    x, y : Array
        Coordinates of the points (1-d, the same length).
    bins : int or sequence
        A number of bins, ``[nx, ny]``, one array of edges for both, or ``[xedges, yedges]`` (numbers of bins
        need ``range``, as in dask.array).
    range : [(float, float), (float, float)], optional
        ``(min, max)`` per dimension.
    normed, weights, density
        As :func:`histogramdd`.

    Returns
    -------
    tuple
        ``(H, xedges, yedges)``; ``H[i, j]`` counts the points in x bin ``i`` and y bin ``j``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> H, xedges, yedges = ga.histogram2d(ga.asarray([0.5, 1.5, 1.5, 0.2]), ga.asarray([0.5, 0.5, 0.7, 1.9]),
    ...                                      bins=2, range=[(0, 2), (0, 2)])
    >>> H.compute().tolist(), xedges.compute().tolist()
    ([[1.0, 1.0], [2.0, 0.0]], [0.0, 1.0, 2.0])
    """
    try:
        n = len(bins)
    except TypeError:
        n = 1
    if n not in (1, 2):
        bins = [bins, bins]  # one array of edges for both dimensions
    hist, edges = histogramdd([x, y], bins, range=range, normed=normed, weights=weights, density=density)
    return hist, edges[0], edges[1]


def bincount(x: Any, weights: Any = None, minlength: int = 0, split_every: Any = None) -> Array:
    """Occurrences of each non-negative integer in the 1-d ``x``, as ``numpy.bincount``.

    Parameters
    ----------
    x : Array
        1-d, non-negative integers.
    weights : Array, optional
        Shaped like ``x``: sums of weights instead of counts.
    minlength : int
        Least length of the result, as NumPy's (the length is ``max(minlength, max(x) + 1)``).
    split_every : int, optional
        Accepted for dask compatibility.

    Returns
    -------
    Array
        int64 counts (float64 sums with ``weights``), NumPy's values.  For in-memory input the length is known
        at once.  For a lazy one it is nan until computed with ``minlength=0`` (as dask.array), and is
        given as ``minlength`` otherwise (as dask.array); a value beyond it then raises ``ValueError`` when
        computed (dask.array's result would be longer than its given length): pass a ``minlength`` that fits,
        or 0.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0, 1, 1, 3], chunks=2)
    >>> ga.bincount(x).compute().tolist(), ga.bincount(x, minlength=6).compute().tolist()
    ([1, 2, 0, 1], [1, 2, 0, 1, 0, 0])
    >>> ga.bincount(x, minlength=2).compute().tolist()  # minlength is a least length
    [1, 2, 0, 1]
    >>> ga.bincount(ga.asarray([0, 1, 1]), weights=ga.asarray([0.5, 1.0, 2.0])).compute().tolist()
    [0.5, 3.0]
    """
    x = _as_array(x)
    if x.ndim != 1:
        raise ValueError("Input array must be one dimensional. Try using x.ravel()")
    if x.dtype.kind == "b":  # NumPy counts False and True as 0 and 1
        x = x.astype("int64")
    if x.dtype.kind not in "iu":
        raise TypeError(f"bincount needs an integer array, not {x.dtype}")
    minlength = int(minlength)
    if minlength < 0:
        raise ValueError("'minlength' must not be negative")
    from gpuscale.array.data_dependent import in_memory, known_when_in_memory

    w = _weights(weights, x, x.chunks)
    inputs = (x,) if w is None else (x, w)
    # minlength is NumPy's lower bound: in-memory input's length is found now; a lazy input's result is given
    # minlength, as dask.array's, and a value beyond it raises when computed (dask's blocks would then be longer
    # than their metadata)
    declared = minlength > 0 and not in_memory(*inputs)
    length = minlength if declared else float("nan")
    dtype = chunkfn.numpy_dtype("int64" if w is None else "float64")
    counts = blockwise_expr(chunkfn.bincount_block, (0, 1000), ((1,) * len(x.chunks[0]), (length,)), dtype,
                            x.backend, x._expr, w._expr if w is not None else None,
                            arg_inds=((0,), (0,) if w is not None else None), kwargs={"minlength": minlength})
    total = blockwise_expr(chunkfn.bincount_sum, (1000,), ((length,),), dtype, x.backend, counts, minlength,
                           declared, arg_inds=((0, 1000), None, None))
    (out,) = known_when_in_memory(inputs, (Array(total),))
    return out


def digitize(a: Any, bins: Any, right: bool = False) -> Array:
    """Index of the bin of each element of ``a``, as ``numpy.digitize``.

    Parameters
    ----------
    a : Array
        Input.
    bins : sequence or Array
        1-d edges, increasing or decreasing.
    right : bool
        Whether a bin includes its right edge instead of its left one.

    Returns
    -------
    Array
        int64 indices shaped as ``a``: ``i`` such that ``bins[i-1] <= a < bins[i]`` (increasing bins,
        ``right=False``), 0 below the first edge and ``len(bins)`` above the last.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([0.2, 1.0, 2.5, 7.0], chunks=2)
    >>> ga.digitize(x, [0, 1, 2, 5]).compute().tolist(), ga.digitize(x, [0, 1, 2, 5], right=True).compute().tolist()
    ([1, 2, 3, 4], [1, 1, 3, 4])
    """
    x = _as_array(a)
    if x.dtype.kind == "c":  # complex numbers have no order to bin by: NumPy's and dask's TypeError
        raise TypeError("digitize: x may not be complex")
    if is_array(bins) or not chunkfn.is_host_data(bins):
        direction = 0  # found on the device when computed
        edges = _one_block(_as_array(bins, x.backend))
        if edges.ndim != 1:
            raise ValueError("bins must be a 1-dimensional array")
    else:
        direction = chunkfn.monotonic_direction(bins)
        edges = _one_block(_as_array(bins, x.backend))
    ind = tuple(builtins.range(x.ndim))
    node = blockwise_expr(chunkfn.digitize_block, ind, x.chunks, chunkfn.numpy_dtype("int64"), x.backend,
                          x._expr, edges._expr, bool(right), direction, arg_inds=(ind, (2000,), None, None))
    return Array(node)
