"""dask.array's ``linalg`` functions besides the standard's: ``norm``, ``tsqr``, ``lstsq``, ``lu``,
``solve_triangular``, ``svd_compressed`` (available as ``gpuscale.array.linalg.<name>``).

``tsqr`` and ``lstsq`` use the chunked TSQR of :func:`gpuscale.array.linalg.qr` (a tall-and-skinny
matrix: rows in blocks, columns in one); ``svd_compressed`` is the randomized SVD (a random projection,
optional power iterations, TSQR, and the SVD of a small matrix); ``lu`` and ``solve_triangular`` work
on one whole matrix in one task (small matrices).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.expr import Blockwise
from gpuscale.array.protocols import implements
from gpuscale.backends import array as chunkfn

__all__ = ["norm", "tsqr", "lstsq", "lu", "solve_triangular", "svd_compressed"]


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


@implements("linalg.norm")
def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Array:  # noqa: A002
    """Matrix or vector norm, as ``numpy.linalg.norm`` / ``dask.array.linalg.norm``.

    Parameters
    ----------
    x : Array
        Input.
    ord : {None, "fro", "nuc", inf, -inf, int}, optional
        The norm (as NumPy): vectors default to 2, matrices to Frobenius.
    axis : int, pair of int or None
        A vector norm over one axis, a matrix norm over two; None: the flattened array's 2-norm
        (``ord`` None), else the norm of a 1-d or 2-d ``x``.
    keepdims : bool
        Keep the reduced axes with length 1.

    Returns
    -------
    Array
        The norms.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> float(ga.linalg.norm(ga.asarray([[3.0, 0.0], [0.0, 4.0]])))
    5.0
    >>> ga.linalg.norm(ga.asarray([[3.0, -4.0], [1.0, 1.0]]), ord=1, axis=1).compute().tolist()
    [7.0, 2.0]
    """
    ga = _ga()
    a = as_array(x)
    if axis is None and ord is None:
        return ga.linalg.vector_norm(a, axis=None, keepdims=keepdims)
    if axis is None:
        axis = tuple(range(a.ndim))
    if isinstance(axis, int) or len(axis) == 1:
        return ga.linalg.vector_norm(a, axis=axis, keepdims=keepdims, ord=2 if ord is None else ord)
    if len(axis) == 2:
        a = ga.moveaxis(a, tuple(axis), (-2, -1))
        result = ga.linalg.matrix_norm(a, keepdims=keepdims, ord="fro" if ord is None else ord)
        if keepdims:
            result = ga.moveaxis(result, (-2, -1), tuple(axis))
        return result
    raise ValueError("Improper number of dimensions to norm.")


def tsqr(data: Array, compute_svd: bool = False, _max_vchunk_size: Any = None) -> tuple:
    """QR (or SVD) of a tall-and-skinny matrix, as ``dask.array.linalg.tsqr``.

    Parameters
    ----------
    data : Array
        2-d, rows in blocks; its columns are made one block.
    compute_svd : bool
        Return ``(u, s, vh)`` instead of ``(q, r)``.
    _max_vchunk_size
        Accepted for dask compatibility.

    Returns
    -------
    tuple of Array
        ``(q, r)``, or ``(u, s, vh)`` with ``data == u @ diag(s) @ vh``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.asarray(np.arange(12.0).reshape(6, 2) ** 2, chunks=(2, 2))
    >>> q, r = ga.linalg.tsqr(x)
    >>> bool(np.allclose((q @ r).compute(), x.compute()))
    True
    """
    ga = _ga()
    if data.ndim != 2:
        raise ValueError(f"tsqr needs a 2-d array, got shape {data.shape}")
    if compute_svd:
        return tuple(ga.linalg.svd(data.rechunk({1: -1}), full_matrices=False))
    return tuple(ga.linalg.qr(data.rechunk({1: -1})))


def lstsq(a: Array, b: Any) -> tuple:
    """Least-squares solution of ``a @ x = b`` for a tall ``a`` (via TSQR), as ``dask.array.linalg.lstsq``.

    Parameters
    ----------
    a : Array
        ``(m, n)`` with ``m >= n``; rows may be in blocks.
    b : Array
        ``(m,)`` or ``(m, k)``.

    Returns
    -------
    tuple
        ``(x, residuals, rank, s)``: the solution, the squared residual norms (shape ``(1,)`` for 1-d
        ``b``, ``(k,)`` else), the rank of ``a`` (0-d) and its singular values.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> a = ga.asarray([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]], chunks=(1, 2))
    >>> x, res, rank, s = ga.linalg.lstsq(a, ga.asarray([1.0, 2.0, 2.0]))
    >>> np.round(x.compute(), 6).tolist(), int(rank)
    ([1.166667, 0.5], 2)
    """
    ga = _ga()
    backend = backend_of(a, b)
    a, b = as_array(a, backend), as_array(b, backend)
    q, r = ga.linalg.qr(a.rechunk({1: -1}))
    rhs = ga.matmul(ga.matrix_transpose(ga.conj(q) if q.dtype.kind == "c" else q), b)
    x = solve_triangular(r, rhs)
    error = b - ga.matmul(a, x)
    error = ga.abs(error) ** 2 if error.dtype.kind == "c" else error * error
    residuals = ga.sum(error, axis=0, keepdims=b.ndim == 1)
    return x, residuals, ga.linalg.matrix_rank(r), ga.linalg.svdvals(r)


def _pick(node: Blockwise, i: int, shape: tuple, dtype: Any) -> Array:
    return Array(Blockwise(chunkfn.pick, {}, tuple(range(len(shape))), tuple((n,) for n in shape), dtype,
                           node.backend, ((), None), False, node, i))


def lu(a: Array) -> tuple:
    """LU factorisation with partial pivoting, ``a == p @ l @ u``, as ``dask.array.linalg.lu`` (and
    ``scipy.linalg.lu``).

    Parameters
    ----------
    a : Array
        Square; gathered into one block.

    Returns
    -------
    tuple of Array
        ``(p, l, u)``: permutation, unit lower triangular, upper triangular.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> a = ga.asarray([[1.0, 2.0], [3.0, 4.0]])
    >>> p, l, u = ga.linalg.lu(a)
    >>> bool(np.allclose((p @ l @ u).compute(), a.compute())), u.compute().tolist()
    (True, [[3.0, 4.0], [0.0, 0.6666666666666667]])
    """
    a = as_array(a)
    if a.ndim != 2 or a.shape[0] != a.shape[1]:
        raise ValueError(f"lu needs a square matrix, got shape {a.shape}")
    whole = a.rechunk(tuple((n,) for n in a.shape))
    dtype = a.dtype if a.dtype.kind in "fc" else chunkfn.numpy_dtype("float64")
    node = Blockwise(chunkfn.lu_block, {}, (), (), dtype, a.backend, ((1000, 1001),), False, whole._expr)
    return tuple(_pick(node, i, a.shape, dtype) for i in range(3))


def solve_triangular(a: Array, b: Any, lower: bool = False) -> Array:
    """Solve ``a @ x = b`` for a triangular ``a`` by substitution, as ``dask.array.linalg.solve_triangular``.

    Parameters
    ----------
    a : Array
        Square, upper (or ``lower``) triangular; gathered into one block.
    b : Array
        ``(n,)`` or ``(n, k)``; gathered.
    lower : bool
        ``a`` is lower triangular.

    Returns
    -------
    Array
        ``x``, shaped like ``b``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.solve_triangular(ga.asarray([[2.0, 1.0], [0.0, 4.0]]), ga.asarray([4.0, 8.0])).compute().tolist()
    [1.0, 2.0]
    """
    backend = backend_of(a, b)
    a, b = as_array(a, backend), as_array(b, backend)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or b.shape[0] != a.shape[0]:
        raise ValueError(f"solve_triangular: shapes {a.shape} and {b.shape} do not match")
    whole_a = a.rechunk(tuple((n,) for n in a.shape))
    whole_b = b.rechunk(tuple((n,) for n in b.shape))
    dtype = chunkfn.result_type(a.backend, a.dtype, b.dtype)
    if dtype.kind not in "fc":
        dtype = chunkfn.numpy_dtype("float64")
    ind_b = tuple(range(b.ndim))
    node = Blockwise(chunkfn.solve_triangular_block, {}, ind_b, tuple((n,) for n in b.shape), dtype, a.backend,
                     ((1000, 1001), ind_b, None), False, whole_a._expr, whole_b._expr, bool(lower))
    return Array(node)


def svd_compressed(a: Array, k: int, iterator: str = "power", n_power_iter: int = 0, n_oversamples: int = 10,
                   seed: Any = None, compute: bool = False, coerce_signs: bool = True) -> tuple:
    """Approximate rank-``k`` SVD by random projection (Halko, Martinsson and Tropp), as
    ``dask.array.linalg.svd_compressed``.

    Parameters
    ----------
    a : Array
        2-d, rows in blocks.
    k : int
        Rank of the approximation.
    iterator : {"power"}
        Power iterations (QR-orthonormalised each time).
    n_power_iter : int
        Power iterations: more sharpen the result for slowly decaying spectra.
    n_oversamples : int
        Extra random directions.
    seed : int, optional
        Seed of the random projection.
    compute : bool
        Accepted for dask compatibility (the projection stays lazy).
    coerce_signs : bool
        Make the largest entry of each column of ``u`` positive (``v`` flipped to match), as dask.

    Returns
    -------
    tuple of Array
        ``(u, s, vh)`` of shapes ``(m, k)``, ``(k,)``, ``(k, n)``.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> rng = np.random.default_rng(0)
    >>> x = rng.random((40, 3)) @ rng.random((3, 10))
    >>> u, s, vh = ga.linalg.svd_compressed(ga.asarray(x, chunks=(10, 10)), k=3, seed=1)
    >>> bool(np.allclose(s.compute(), np.linalg.svd(x, compute_uv=False)[:3]))
    True
    """
    ga = _ga()
    if iterator != "power":
        raise NotImplementedError(f"svd_compressed: only iterator='power' is supported, not {iterator!r}")
    if a.ndim != 2:
        raise ValueError(f"svd_compressed needs a 2-d array, got shape {a.shape}")
    m, n = a.shape
    width = min(k + n_oversamples, m, n)
    dtype = a.dtype if a.dtype.kind in "fc" else chunkfn.numpy_dtype("float64")
    a = a.astype(dtype) if a.dtype != dtype else a
    omega = ga.random.default_rng(seed, backend=a.backend).standard_normal((n, width), chunks=(a.chunks[1], (width,)))
    omega = omega.astype(dtype) if omega.dtype != dtype else omega
    q, _ = tsqr(ga.matmul(a, omega))
    for _ in range(n_power_iter):
        z, _ = tsqr(ga.matmul(ga.matrix_transpose(a), q))
        q, _ = tsqr(ga.matmul(a, z))
    small = ga.matmul(ga.matrix_transpose(q), a)  # (width, n)
    u_small, s, vh = ga.linalg.svd(small, full_matrices=False)
    u = ga.matmul(q, u_small)
    u, s, vh = u[:, :k], s[:k], vh[:k, :]
    if coerce_signs:
        biggest = ga.argmax(ga.abs(u), axis=0)
        signs = ga.sign(ga.take_along_axis(u, ga.expand_dims(biggest, axis=0), axis=0))
        signs = ga.where(signs == 0, 1, signs)
        u, vh = u * signs, vh * ga.matrix_transpose(signs)
    return u, s, vh
