"""Statistics as NumPy and dask.array spell them: ``average``, ``ptp``, ``moment``, ``cov``, ``corrcoef``.

All are compositions of the tree reductions (``sum``, ``mean``, ``max``, ``min``) and ``matmul``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.protocols import implements

__all__ = ["average", "ptp", "moment", "cov", "corrcoef"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


@implements("average")
def average(a: Any, axis: Any = None, weights: Any = None, returned: bool = False, *,
            keepdims: bool = False) -> Any:
    """Weighted mean along ``axis``, as ``numpy.average``.

    Parameters
    ----------
    a : Array
        Input.
    axis : int, tuple of int or None
        Axes to average over (all when None).
    weights : Array, optional
        Same shape as ``a``, or 1-d of the length of ``axis``.  None: equal weights.
    returned : bool
        Also return the sum of the weights.
    keepdims : bool
        Keep the reduced axes with length 1.

    Returns
    -------
    Array or tuple of Array
        The average (and the weight sums, broadcast like it).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.average(ga.asarray([1.0, 2.0, 3.0]), weights=ga.asarray([3.0, 1.0, 0.0])))
    1.25
    """
    ga = _ga()
    x = as_array(a)
    if weights is None:
        avg = ga.mean(x, axis=axis, keepdims=keepdims)
        total = ga.full_like(avg, x.size / max(avg.size, 1), dtype=avg.dtype)
    else:
        w = as_array(weights, x.backend)
        if w.shape != x.shape:
            if axis is None:
                raise TypeError("Axis must be specified when shapes of a and weights differ.")
            if w.ndim != 1:
                raise TypeError("1D weights expected when shapes of a and weights differ.")
            if not isinstance(axis, int):
                raise TypeError("Axis must be an int when weights are 1-d.")
            if w.shape[0] != x.shape[axis]:
                raise ValueError("Length of weights not compatible with specified axis.")
            w = ga.reshape(w, tuple(-1 if d == axis % x.ndim else 1 for d in range(x.ndim)))
            w = ga.broadcast_to(w, x.shape)
        # NumPy's rule: sum weights and products in the result dtype (integer data averages as float64), so
        # integer weights give a float total, and no integer division happens
        extra = ("float64",) if x.dtype.kind in "biu" else ()
        dtype = ga.result_type(x.dtype, w.dtype, *extra)
        x, w = x.astype(dtype, copy=False), w.astype(dtype, copy=False)
        total = ga.sum(w, axis=axis, keepdims=keepdims)
        avg = ga.sum(x * w, axis=axis, keepdims=keepdims) / total
        total = ga.broadcast_to(total, avg.shape)
    return (avg, total) if returned else avg


@implements("ptp")
def ptp(a: Any, axis: Any = None, out: Any = None, keepdims: bool = False) -> Array:
    """Range (maximum minus minimum) along ``axis``, as ``numpy.ptp``.

    Parameters
    ----------
    a : Array
        Input.
    axis : int, tuple of int or None
        Axes (all when None).
    out
        NumPy's ``out=``: a gpuscale array takes the result.
    keepdims : bool
        Keep the reduced axes with length 1.

    Returns
    -------
    Array
        ``max - min``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.ptp(ga.asarray([[1, 5], [2, 9]]), axis=0).compute().tolist()
    [1, 4]
    """
    from gpuscale.array.nanreductions import handle_out

    ga = _ga()
    x = as_array(a)
    spread = ga.max(x, axis=axis, keepdims=keepdims) - ga.min(x, axis=axis, keepdims=keepdims)
    return handle_out(out, spread, "same_kind", "subtract")  # NumPy's ptp is subtract(max, min, out=)


def moment(a: Any, order: int, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: int = 0,
           split_every: Any = None, out: Any = None) -> Array:
    """The ``order``-th central moment, ``sum((a - mean)**order) / (n - ddof)``, as ``dask.array.moment``.

    Parameters
    ----------
    a : Array
        Input.
    order : int
        Non-negative; 0 gives ones, 1 zeros.
    axis : int, tuple of int or None
        Axes (all when None).
    dtype
        Compute in this dtype.
    keepdims : bool
        Keep the reduced axes with length 1.
    ddof : int
        Delta degrees of freedom.
    split_every
        dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
    out
        A gpuscale array to take the result.

    Returns
    -------
    Array
        The moment (``moment(a, 2)`` is ``var(a)``).

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.moment(ga.asarray([1.0, 2.0, 3.0, 10.0]), 3))
    45.0
    """
    from gpuscale.array.nanreductions import handle_out
    from gpuscale.array.statistical import normalize_axis

    if not isinstance(order, int) or order < 0:
        raise ValueError("Order must be an integer >= 0")
    ga = _ga()
    x = as_array(a)
    if dtype is not None:
        x = x.astype(dtype)
    elif x.dtype.kind in "biu":
        x = x.astype("float64")
    axes = normalize_axis(axis, x.ndim)
    n = 1
    for d in axes:
        n *= x.shape[d]
    if order < 2:
        reduced = ga.sum(x, axis=axis, keepdims=keepdims)
        return handle_out(out, ga.full_like(reduced, 1.0 if order == 0 else 0.0))
    centred = x - ga.mean(x, axis=axis, keepdims=True, split_every=split_every)
    total = ga.sum(centred ** order, axis=axis, keepdims=keepdims, split_every=split_every)
    if n != n:  # a length of unknown chunks (a frame's values): the elements counted with the sum, not NaN
        n = ga.sum(ga.ones_like(x), axis=axis, keepdims=keepdims, split_every=split_every)
    return handle_out(out, total / (n - ddof))


def _one_row(x: Array) -> Array:
    """A 0-d or 1-d ``x`` as one row (by a new axis, which needs no length: a 1-d ``x`` may be of unknown
    length)."""
    ga = _ga()
    return ga.expand_dims(ga.reshape(x, (1,)) if x.ndim == 0 else x, axis=0) if x.ndim < 2 else x


def _observations(m: Any, y: Any, rowvar: bool, backend: Any) -> Array:
    ga = _ga()
    x = as_array(m, backend)
    if x.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    # as NumPy >= 2.2: only a 1-d m is one variable whatever rowvar says (a (1, n) m has n variables of one row)
    if not rowvar and x.ndim == 2:
        x = ga.matrix_transpose(x)
    x = _one_row(x)
    if y is not None:
        other = as_array(y, backend)
        if other.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
        other = _one_row(other)
        if not rowvar and other.shape[0] != 1:
            other = ga.matrix_transpose(other)
        x = ga.concat([x, other], axis=0)
    if x.dtype.kind not in "fc" or x.dtype.itemsize < (16 if x.dtype.kind == "c" else 8):
        x = x.astype("complex128" if x.dtype.kind == "c" else "float64")  # NumPy's: at least float64
    return x


@implements("cov")
def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False, ddof: Any = None, fweights: Any = None,
        aweights: Any = None, *, dtype: Any = None) -> Array:
    """Covariance matrix of the variables in the rows (``rowvar``) or columns of ``m``, as ``numpy.cov``.

    Parameters
    ----------
    m : Array
        1-d or 2-d: one variable per row (per column with ``rowvar=False``).
    y : Array, optional
        More variables, stacked after those of ``m``.
    rowvar : bool
        Variables are rows.
    bias : bool
        Normalize by ``N`` instead of ``N - 1``.
    ddof : int, optional
        Overrides ``bias``: normalize by ``N - ddof``.
    fweights : Array, optional
        1-d integer repeat counts of the observations (NumPy's; negative counts are not checked: lazy data).
    aweights : Array, optional
        1-d observation weights (NumPy's).
    dtype
        Compute in this dtype.

    Returns
    -------
    Array
        ``(variables, variables)``; 0-d for one variable.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.cov(ga.asarray([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])).compute().tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    ga = _ga()
    x = _observations(m, y, rowvar, backend_of(m, y))
    if dtype is not None:
        x = x.astype(dtype)
    if ddof is None:
        ddof = 0 if bias else 1
    if ddof != int(ddof):
        raise ValueError(f"cov: ddof must be an integer, got {ddof!r}")
    fw = _observation_weights("fweights", fweights, x)
    aw = _observation_weights("aweights", aweights, x)
    w = fw if aw is None else aw if fw is None else fw * aw
    if w is None:
        centred = x - ga.mean(x, axis=1, keepdims=True)
        weighted, fact = centred, _unweighted_dof(x, ddof)
    else:
        w_sum = ga.sum(w)
        centred = x - ga.sum(x * w, axis=1, keepdims=True) / w_sum
        weighted, fact = centred * w, _weighted_dof(w, aw, w_sum, ddof)
    other = ga.conj(weighted) if weighted.dtype.kind == "c" else weighted
    c = ga.matmul(centred, ga.matrix_transpose(other)) / fact
    return ga.squeeze(c, axis=(0, 1)) if c.shape == (1, 1) else c


def _unweighted_dof(x: Array, ddof: int) -> Any:
    """``N - ddof`` (at least 0) for ``N`` observations; counted with the data when ``N`` is unknown (rows
    picked by a boolean mask), as a 0-d array of ``x``'s real dtype so a float32 covariance stays float32."""
    ga = _ga()
    n = x.shape[1]
    if n == n:
        return max(n - ddof, 0)
    count = ga.sum(ga.ones_like(x[:1], dtype=ga.int64))
    return ga.maximum(count - ddof, 0).astype(ga.finfo(x.dtype).dtype)


def _observation_weights(name: str, weights: Any, x: Array) -> Array | None:
    """``fweights`` / ``aweights`` as a float 1-d array of one weight per observation (NumPy's checks)."""
    if weights is None:
        return None
    w = as_array(weights, x.backend)
    if name == "fweights" and w.dtype.kind not in "iub":
        raise TypeError(f"cov: fweights must be integer, got dtype {w.dtype}")
    if w.ndim > 1:
        raise RuntimeError(f"cov: cannot handle multidimensional {name} (shape {w.shape})")
    if w.shape[0] != x.shape[1]:
        raise RuntimeError(f"cov: incompatible numbers of samples ({x.shape[1]}) and {name} ({w.shape[0]})")
    return w.astype("float64")


def _weighted_dof(w: Array, aw: Array | None, w_sum: Array, ddof: int) -> Array:
    """NumPy's normaliser of a weighted covariance; zero (an inf/NaN result) when it is not positive."""
    ga = _ga()
    if ddof == 0:
        fact = w_sum
    elif aw is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * ga.sum(w * aw) / w_sum
    return ga.where(fact > 0, fact, 0.0)


@implements("corrcoef")
def corrcoef(x: Any, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Array:
    """Pearson correlation coefficients of the variables, as ``numpy.corrcoef`` (clipped to [-1, 1]).

    Parameters
    ----------
    x : Array
        1-d or 2-d: one variable per row (per column with ``rowvar=False``).
    y : Array, optional
        More variables.
    rowvar : bool
        Variables are rows.
    dtype
        Compute in this dtype.

    Returns
    -------
    Array
        ``(variables, variables)``; 0-d for one variable.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.corrcoef(ga.asarray([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])).compute().tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    ga = _ga()
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    d = ga.linalg.diagonal(c)
    if d.dtype.kind == "c":
        d = ga.real(d)
    std = ga.sqrt(d)
    c = c / ga.expand_dims(std, axis=1) / ga.expand_dims(std, axis=0)
    if c.dtype.kind == "c":
        return ga.clip(ga.real(c), -1, 1) + 1j * ga.clip(ga.imag(c), -1, 1)
    return ga.clip(c, -1, 1)
