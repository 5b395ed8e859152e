"""Quantiles and medians: ``quantile``, ``nanquantile``, ``percentile``, ``nanpercentile``, ``median``, ``nanmedian``.

As in dask.array, the reduced axes are made whole (one block along them; the other axes keep their
blocks) and each block gives exactly NumPy's result: NumPy's function, except where NumPy's nan* quantiles
would loop in Python over the lanes of an axis (and on CuPy), where every lane is sorted at once
(``gpuscale/backends/array/_quantile.py``).  A block
then holds every value along the reduced axes: reduce along axes that fit in memory, chunk the others.
Unlike dask, ``axis=None`` works (the array becomes one block).  Also NumPy's functions on gpuscale
arrays (``numpy.nanquantile(x, q, axis=...)``: xarray's ``quantile`` and ``median`` call them).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.nanreductions import handle_out
from gpuscale.array.protocols import implements
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["quantile", "nanquantile", "percentile", "nanpercentile", "median", "nanmedian"]

_Q_AXIS = 10_000  # block index of the first q dimension (the others follow), beside the input's 0..ndim-1


def _order_statistic(name: str, a: Any, q: Any, axis: Any, keepdims: bool, method: str, out: Any = None,
                     weights: Any = None, interpolation: str | None = None) -> Array:
    from gpuscale.array.creation import asarray

    x = a if is_array(a) else asarray(a)
    method = interpolation if interpolation is not None else method  # NumPy's older name for it
    if method == "linear" and x.dtype.kind in "US" and q is not None:
        method = "nearest"  # dask's rule: strings cannot be interpolated between (NumPy raises)
    axes = normalize_axis(axis, x.ndim)
    lazy_q = q if is_array(q) else None  # its values are checked by NumPy, block by block
    if lazy_q is not None:
        qs, q_shape = None, lazy_q.shape
    else:
        qs, q_shape = (None, ()) if q is None else chunkfn.quantile_q(q, percent=name.endswith("percentile"))
    kwargs = {"name": name, "q": qs, "axis": axes, "method": method, "keepdims": bool(keepdims),
              "q_last": lazy_q is not None}
    metas = (chunkfn.Meta(x.dtype, max(x.ndim, 1)),) + (() if lazy_q is None else (chunkfn.Meta(q.dtype, q.ndim),))
    dtype = chunkfn.meta_call(x.backend, chunkfn.order_statistic_block, *metas, **{**kwargs, "axis": axes or None})
    whole = x.rechunk(tuple(-1 if d in axes else c for d, c in enumerate(x.chunks))) if axes else x
    in_ind = tuple(range(x.ndim))
    out_ind = [d for d in in_ind if keepdims or d not in axes]
    out_chunks = [(1,) if d in axes else x.chunks[d] for d in out_ind]
    # q's dimensions come first, one block each, as NumPy puts them
    out_ind[:0] = [_Q_AXIS + i for i in range(len(q_shape))]
    out_chunks[:0] = [(n,) for n in q_shape]
    args = (whole._expr,) if weights is None else (whole._expr, _weights_like(weights, whole, axes, method)._expr)
    arg_inds = (in_ind,) * len(args)
    if lazy_q is not None:  # one block of q joins every block of the result
        args += (lazy_q.rechunk(tuple(-1 for _ in q_shape))._expr,)
        arg_inds += (tuple(out_ind[:len(q_shape)]),)
    node = blockwise_expr(chunkfn.order_statistic_block, tuple(out_ind), tuple(out_chunks), dtype, x.backend,
                          *args, arg_inds=arg_inds, kwargs=kwargs, concatenate=True)
    return handle_out(out, Array(node))


def _weights_like(weights: Any, x: Array, axes: tuple, method: str) -> Array:
    """``weights`` as an array of ``x``'s shape and blocks: NumPy takes them of ``x``'s shape, or 1-d along the
    one reduced axis (broadcast over the others)."""
    from gpuscale.array.creation import asarray
    from gpuscale.array.manipulation import broadcast_to, expand_dims

    if method != "inverted_cdf":
        raise ValueError(f"only method='inverted_cdf' supports weights (as NumPy), got method={method!r}")
    w = weights if is_array(weights) else asarray(weights, backend=x.backend)
    if w.shape != x.shape:
        if w.ndim != 1 or len(axes) != 1 or w.shape[0] != x.shape[axes[0]]:
            raise ValueError(f"weights of shape {w.shape} do not fit an array of shape {x.shape} reduced along "
                             f"axis {axes}: give them the array's shape, or 1-d along the one reduced axis")
        others = tuple(d for d in range(x.ndim) if d != axes[0])
        w = broadcast_to(expand_dims(w, axis=others), x.shape) if others else w
    return w.rechunk(x.chunks)


def quantile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, *, weights: Any = None,
             interpolation: str | None = None) -> Array:
    """The ``q``-th quantiles along ``axis``, as ``numpy.quantile`` (every ``method`` NumPy has).

    Parameters
    ----------
    a
        A gpuscale array (or anything ``asarray`` takes).
    q
        A number or an array (or nested sequence, or a gpuscale array) of numbers in [0, 1].  Its
        dimensions come first in the result, as in NumPy; a float32 ``q`` (or a Python number) keeps a float32
        array's results float32.
    axis
        Axis or axes to reduce (None: all).  They become one block each.
    method, keepdims
        As in NumPy.  ``overwrite_input`` is accepted and ignored (blocks are never changed in place).
    weights
        As in NumPy (``method="inverted_cdf"`` only): of the array's shape, or 1-d along the one reduced axis.
    interpolation
        NumPy's older name for ``method``.

    Returns
    -------
    Array
        Float results (NumPy's dtype: float64 for integer and float32 input).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(12.0, chunks=4), (3, 4)).rechunk((1, 2))
    >>> ga.quantile(x, 0.5, axis=0).compute()
    array([4., 5., 6., 7.])
    >>> ga.quantile(x, [0.0, 1.0], axis=1).compute()
    array([[ 0.,  4.,  8.],
           [ 3.,  7., 11.]])
    """
    return _order_statistic("quantile", a, q, axis, keepdims, method, out, weights, interpolation)


def nanquantile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
                method: str = "linear", keepdims: bool = False, *, weights: Any = None,
                interpolation: str | None = None) -> Array:
    """:func:`quantile` ignoring NaNs, as ``numpy.nanquantile`` (all-NaN slices give NaN).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=1)
    >>> ga.nanquantile(x, 0.5, axis=1).compute()
    array([2. , 4.5])
    """
    return _order_statistic("nanquantile", a, q, axis, keepdims, method, out, weights, interpolation)


def percentile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
               method: str = "linear", keepdims: bool = False, *, weights: Any = None, internal_method: Any = None,
               interpolation: str | None = None) -> Array:
    """:func:`quantile` with ``q`` in percent (0 to 100), as ``numpy.percentile``.

    ``internal_method`` (dask's choice of approximation) is accepted and ignored: the result is exact.
    Strings take ``method="nearest"`` for the default ``"linear"``, as dask (NumPy cannot interpolate them).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.percentile(ga.arange(11.0, chunks=3), [10, 90]).compute()
    array([1., 9.])
    """
    return _order_statistic("percentile", a, q, axis, keepdims, method, out, weights, interpolation)


def nanpercentile(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
                  method: str = "linear", keepdims: bool = False, *, weights: Any = None,
                  interpolation: str | None = None) -> Array:
    """:func:`percentile` ignoring NaNs, as ``numpy.nanpercentile``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.nanpercentile(ga.asarray([1.0, ga.nan, 3.0], chunks=2), 50))
    2.0
    """
    return _order_statistic("nanpercentile", a, q, axis, keepdims, method, out, weights, interpolation)


def median(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False, keepdims: bool = False) -> Array:
    """The median along ``axis``, as ``numpy.median`` (the reduced axes become one block each).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.reshape(ga.arange(12.0, chunks=4), (3, 4)).rechunk((1, 2))
    >>> ga.median(x, axis=0).compute()
    array([4., 5., 6., 7.])
    """
    return _order_statistic("median", a, None, axis, keepdims, "linear", out)


def nanmedian(a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
              keepdims: bool = False) -> Array:
    """:func:`median` ignoring NaNs, as ``numpy.nanmedian``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.asarray([[1.0, ga.nan, 3.0], [4.0, 5.0, ga.nan]], chunks=1)
    >>> ga.nanmedian(x, axis=1, keepdims=True).compute()
    array([[2. ],
           [4.5]])
    """
    return _order_statistic("nanmedian", a, None, axis, keepdims, "linear", out)


def _numpy_signature(func: Any) -> Any:
    def impl(a: Any, q: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False,
             method: str = "linear", keepdims: bool = False, *, weights: Any = None, interpolation: Any = None) -> Any:
        return func(a, q, axis=axis, out=out, method=interpolation or method, keepdims=keepdims, weights=weights)

    return impl


for _func in (quantile, nanquantile, percentile, nanpercentile):
    implements(_func.__name__)(_numpy_signature(_func))
implements("median")(median)
implements("nanmedian")(nanmedian)
