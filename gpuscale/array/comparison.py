"""Comparisons and set membership as NumPy and dask.array spell them: ``isclose``, ``allclose``,
``isin``, ``unique``, ``union1d``.

``isclose`` is element-wise, ``allclose`` its tree reduction; ``isin`` tests each block of the elements
against all test elements (gathered into one block, as they are usually few); ``unique`` and
``union1d`` are the standard's ``unique_*`` functions (one block; the length is known at once for
in-memory input, ``nan`` until computed otherwise).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.protocols import implements
from gpuscale.backends import array as chunkfn

__all__ = ["isclose", "allclose", "isin", "unique", "union1d"]


@implements("isclose")
def isclose(arr1: Any, arr2: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Array:
    """Element-wise ``|arr1 - arr2| <= atol + rtol * |arr2|``, as ``numpy.isclose``.

    Parameters
    ----------
    arr1, arr2 : Array
        Inputs, broadcast together.
    rtol, atol : float
        Relative and absolute tolerances.
    equal_nan : bool
        NaN equals NaN.

    Returns
    -------
    Array
        Booleans; an infinity is close only to the same infinity.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.isclose(ga.asarray([1.0, 2.0]), ga.asarray([1.0 + 1e-9, 2.1])).compute().tolist()
    [True, False]
    """
    from gpuscale.array import elementwise as ew

    from gpuscale.array.dtypes import astype

    backend = backend_of(arr1, arr2)
    # compared as floats, as NumPy: booleans cannot be subtracted, unsigned differences wrap around
    a, b = (x if x.dtype.kind in "fc" else astype(x, "float64") for x in (as_array(arr1, backend),
                                                                         as_array(arr2, backend)))
    # as NumPy: the tolerance test only where arr2 is finite (an infinity's tolerance is infinite),
    # then equal values (infinities of the same sign)
    close = ew.less_equal(ew.abs(a - b), atol + rtol * ew.abs(b)) & ew.isfinite(b)
    close = close | (a == b)
    if equal_nan:
        close = close | (ew.isnan(a) & ew.isnan(b))
    return close


@implements("allclose")
def allclose(arr1: Any, arr2: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False) -> Array:
    """True when every element pair is :func:`isclose`, as ``numpy.allclose`` (a lazy 0-d array).

    Parameters
    ----------
    arr1, arr2 : Array
        Inputs, broadcast together.
    rtol, atol : float
        Relative and absolute tolerances.
    equal_nan : bool
        NaN equals NaN.

    Returns
    -------
    Array
        A 0-d boolean array (``bool(...)`` computes it).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> bool(ga.allclose(ga.ones(4, chunks=2), ga.ones(4) + 1e-10))
    True
    """
    from gpuscale.array.statistical import all as _all

    return _all(isclose(arr1, arr2, rtol=rtol, atol=atol, equal_nan=equal_nan))


@implements("isin")
def isin(element: Any, test_elements: Any, assume_unique: bool = False, invert: bool = False, *,
         kind: Any = None) -> Array:
    """True where an element of ``element`` is among ``test_elements``, as ``numpy.isin``.

    Parameters
    ----------
    element : Array
        Tested array; the result has its shape and blocks.
    test_elements : array_like
        The values to look for (flattened, gathered into one block).
    assume_unique, kind
        Accepted for NumPy compatibility (the result is the same).
    invert : bool
        True where the element is *not* found.

    Returns
    -------
    Array
        Booleans.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.isin(ga.arange(6, chunks=2), [1, 4, 9]).compute().tolist()
    [False, True, False, False, True, False]
    """
    from gpuscale.array.stacking import ravel

    backend = backend_of(element, test_elements)
    x = as_array(element, backend)
    test = ravel(as_array(test_elements, backend))
    test = test.rechunk(((test.shape[0],),)) if test.npartitions > 1 else test
    ind = tuple(range(x.ndim))
    node = blockwise_expr(chunkfn.isin_block, ind, x.chunks, chunkfn.numpy_dtype("bool"), x.backend,
                          x._expr, test._expr, bool(invert), arg_inds=(ind, (x.ndim,), None))
    return Array(node)


@implements("unique")
def unique(ar: Any, return_index: bool = False, return_inverse: bool = False, return_counts: bool = False,
           axis: Any = None, *, equal_nan: bool = True, sorted: bool = True) -> Any:  # noqa: A002
    """The sorted unique values of the flattened array, as ``numpy.unique`` (without ``axis``).

    Parameters
    ----------
    ar : Array
        Input.
    return_index, return_inverse, return_counts : bool
        Also return the first positions, the positions into the result that rebuild ``ar``, the counts.
    axis
        Only ``None``.
    equal_nan : bool
        NaNs are one value (NumPy's default), or each its own.
    sorted
        Accepted for NumPy compatibility (the values are sorted).

    Returns
    -------
    Array or tuple of Array
        The values, then the requested extras in NumPy's order.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> values, counts = ga.unique(ga.asarray([3, 1, 3, 2, 1]), return_counts=True)
    >>> values.compute().tolist(), counts.compute().tolist()
    ([1, 2, 3], [2, 1, 2])
    """
    from gpuscale.array import sorting

    if axis is not None:
        raise NotImplementedError("unique(axis=...) is not supported; unique works on the flattened array")
    x = as_array(ar)
    wanted = ("values", *[name for name, asked in (("indices", return_index), ("inverse_indices", return_inverse),
                                                   ("counts", return_counts)) if asked])
    out = sorting.unique_parts(x, wanted, equal_nan=bool(equal_nan))
    return out[0] if len(out) == 1 else tuple(out)


@implements("union1d")
def union1d(ar1: Any, ar2: Any) -> Array:
    """The sorted unique values found in either array, as ``numpy.union1d``.

    Parameters
    ----------
    ar1, ar2 : Array
        Inputs (flattened).

    Returns
    -------
    Array
        1-d, sorted.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.union1d(ga.asarray([3, 1]), [[2, 3]]).compute().tolist()
    [1, 2, 3]
    """
    from gpuscale.array.stacking import concatenate

    return unique(concatenate([ar1, ar2], axis=None))  # (NumPy's: NaNs are one value)
