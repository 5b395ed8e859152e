"""dask.array's ``linalg`` functions besides the standard's: ``norm``, ``tsqr``, ``lstsq``, ``lu``,
``solve_triangular``, ``svd_compressed``, ``compression_matrix``, ``compression_level``, ``sfqr`` and
``svd_flip`` (available as ``gpuscale.array.linalg.<name>``).

``tsqr`` and ``lstsq`` use the chunked TSQR of :func:`gpuscale.array.linalg.qr` (a tall-and-skinny
matrix: rows in blocks, columns in one); ``svd_compressed`` is the randomized SVD (a random projection,
optional power iterations, TSQR, and the SVD of a small matrix); ``lu`` and ``solve_triangular`` work
on one whole matrix in one task (small matrices).
"""

from __future__ import annotations

from typing import Any

from gpuscale.array._operands import as_array, backend_of
from gpuscale.array.core import Array
from gpuscale.array.expr import blockwise_expr
from gpuscale.array.protocols import implements
from gpuscale.backends import array as chunkfn

__all__ = ["norm", "tsqr", "lstsq", "lu", "solve_triangular", "svd_compressed", "compression_matrix",
           "compression_level", "sfqr", "svd_flip"]


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
        ``(q, r)``, or ``(u, s, vh)`` with ``data == u @ diag(s) @ vh[:k]``, ``k = min(m, n)``: as dask's,
        ``vh`` is ``(n, n)``, the whole of it for a short-and-fat matrix.

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
        m, n = data.shape
        # dask's tsqr gives the SVD of R (k x n): a short-and-fat matrix gets the whole n x n vh
        return tuple(ga.linalg.svd(data.rechunk({1: -1}), full_matrices=bool(m < n), coerce_signs=False))
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
    _check_lstsq_shapes(a, b)
    q, r = ga.linalg.qr(a.rechunk({1: -1}))
    rhs = ga.matmul(ga.matrix_transpose(ga.conj(q) if q.dtype.kind == "c" else q), b)
    x = solve_triangular(r, rhs)
    if b.ndim == 2:  # b's column blocks, as dask's (xarray's polyfit reshapes x block by block with them)
        x = x.rechunk({1: b.chunks[1]})
    error = b - ga.matmul(a, x)
    error = ga.abs(error) ** 2 if error.dtype.kind == "c" else error * error
    residuals = ga.sum(error, axis=0, keepdims=b.ndim == 1)
    return x, residuals, ga.linalg.matrix_rank(r), ga.linalg.svdvals(r)


def _check_lstsq_shapes(a: Array, b: Array) -> None:
    """NumPy's ``LinAlgError`` (a ``ValueError``) when built, naming the shapes, for a ``b`` whose rows are
    not ``a``'s (the matrix product would refuse with gufunc words); a ``ValueError`` for a wide ``a`` (as
    dask's); unknown (nan) lengths pass unchecked."""
    from gpuscale.backends.array._errors import NumpyLinAlgError

    if a.ndim != 2 or b.ndim not in (1, 2):
        raise NumpyLinAlgError(f"lstsq: a must be 2-d and b 1-d or 2-d, got shapes {a.shape} and {b.shape}")
    m, rows = a.shape[0], b.shape[0]
    if m == m and rows == rows and m != rows:  # (nan != nan: unknown)
        raise NumpyLinAlgError(f"lstsq: Incompatible dimensions: b of shape {b.shape} needs {m} rows, as a of "
                               f"shape {a.shape}")
    if m == m and m < a.shape[1]:
        # R of a wide a is not square: solve_triangular refused it with shape words; dask's ValueError type
        raise ValueError(f"lstsq: a of shape {a.shape} has fewer rows than columns; the QR least squares needs "
                         f"rows >= columns (NumPy's minimum-norm solution of an underdetermined system is not "
                         f"supported)")


def _lapack_dtype(dtype: Any) -> Any:
    """The type scipy.linalg.lu (and dask's lu) factors ``dtype`` in: the smallest LAPACK type that holds it
    (bool, 8- and 16-bit integers and float16 as float32; other integers as float64)."""
    if dtype.kind == "c" or (dtype.kind == "f" and dtype.itemsize >= 4):
        return dtype
    return chunkfn.numpy_dtype("float32" if dtype.kind == "b" or dtype.itemsize <= 2 else "float64")


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
    dtype = _lapack_dtype(a.dtype)
    whole = a.rechunk(tuple((n,) for n in a.shape)).astype(dtype, copy=False)
    from gpuscale.array.linalg._gather import pick as _pick  # linalg imports this module at its end

    node = blockwise_expr(chunkfn.lu_block, (), (), dtype, a.backend, whole._expr, arg_inds=((1000, 1001),))
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
    node = blockwise_expr(chunkfn.solve_triangular_block, ind_b, tuple((n,) for n in b.shape), dtype, a.backend,
                          whole_a._expr, whole_b._expr, bool(lower), arg_inds=((1000, 1001), ind_b, None))
    return Array(node)


def svd_flip(u: Any, v: Any, u_based_decision: bool = False) -> tuple:
    """Flip the signs of singular vector pairs so an SVD's result is deterministic, as
    ``dask.array.utils.svd_flip`` (which ``dask.array.linalg`` uses).

    Each pair (column ``i`` of ``u``, row ``i`` of ``v``) is negated where the row of ``v`` (or, with
    ``u_based_decision``, the column of ``u``) sums to a negative number; ``u @ diag(s) @ v`` is unchanged.

    Parameters
    ----------
    u : Array
        Left singular vectors in columns, ``(..., M, K)``.
    v : Array
        Right singular vectors in rows, ``(..., K, N)``.
    u_based_decision : bool
        Decide by the sums of ``u``'s columns instead of ``v``'s rows.

    Returns
    -------
    tuple of Array
        ``(u, v)`` with corrected signs.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> u, v = ga.linalg.svd_flip(ga.asarray([[1.0, 2.0], [3.0, 4.0]]), ga.asarray([[-1.0, 0.5], [2.0, 1.0]]))
    >>> u.compute().tolist(), v.compute().tolist()
    ([[-1.0, 2.0], [-3.0, 4.0]], [[1.0, -0.5], [2.0, 1.0]])
    """
    ga = _ga()
    u, v = as_array(u, backend_of(v)), as_array(v, backend_of(u))
    if u_based_decision:
        sums = ga.sum(u, axis=-2, keepdims=True)
    else:
        sums = ga.matrix_transpose(ga.sum(v, axis=-1, keepdims=True))
    dtype = u.dtype if u_based_decision else v.dtype
    signs = ((sums >= 0).astype(dtype) - 0.5) * 2  # +1 or -1 per pair, shape (..., 1, K)
    return u * signs, v * ga.matrix_transpose(signs)


def compression_level(n: int, q: int, n_oversamples: int = 10, min_subspace_size: int = 20) -> int:
    """The size of the subspace :func:`compression_matrix` samples, as ``dask.array.linalg.compression_level``:
    ``q + n_oversamples``, at least ``min_subspace_size``, at most ``n``.

    Parameters
    ----------
    n : int
        Size of the space (the smaller dimension of the matrix).
    q : int
        Size of the wanted subspace (the rank of the approximation).
    n_oversamples : int
        Extra directions sampled.
    min_subspace_size : int
        Smallest subspace sampled.

    Returns
    -------
    int

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.linalg.compression_level(100, 10), ga.linalg.compression_level(100, 30), ga.linalg.compression_level(15, 3)
    (20, 40, 15)
    """
    return min(max(min_subspace_size, q + n_oversamples), n)


def compression_matrix(data: Array, q: int, iterator: str = "power", n_power_iter: int = 0, n_oversamples: int = 10,
                       seed: Any = None, compute: bool = False) -> Array:
    """An orthonormal basis of the subspace where ``data`` acts most (random projection with power
    iterations, Halko, Martinsson and Tropp 2011), as ``dask.array.linalg.compression_matrix``.

    Parameters
    ----------
    data : Array
        2-d, ``(m, n)``.
    q : int
        Size of the wanted subspace; :func:`compression_level` gives the size sampled.
    iterator : {"power", "QR"}
        Plain power iterations, or iterations re-orthonormalised by TSQR at each step (steadier).
    n_power_iter : int
        Iterations: more sharpen the basis when singular values decay slowly.
    n_oversamples : int
        Extra random directions.
    seed : int or Generator, optional
        Seed (or a :func:`gpuscale.array.random.default_rng` / ``RandomState``) of the projection.
    compute : bool
        Persist the intermediate arrays at each iteration (reads ``data`` once per pass, as dask).

    Returns
    -------
    Array
        ``(compression_level(min(m, n), q, n_oversamples), m)``, orthonormal rows.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.asarray(np.arange(60.0).reshape(30, 2) @ np.ones((2, 25)), chunks=(10, 25))
    >>> comp = ga.linalg.compression_matrix(x, 2, seed=0)
    >>> comp.shape, bool(np.allclose((comp @ comp.T).compute(), np.eye(20)))
    ((20, 30), True)
    """
    ga = _ga()
    if iterator not in ("power", "QR"):
        raise ValueError(f"compression_matrix: iterator must be 'power' or 'QR', not {iterator!r}")
    if data.ndim != 2:
        raise ValueError(f"compression_matrix needs a 2-d array, got shape {data.shape}")
    m, n = data.shape
    level = compression_level(min(m, n), q, n_oversamples=n_oversamples)
    state = seed if isinstance(seed, ga.random.Generator) else ga.random.default_rng(seed, backend=data.backend)
    dtype = "float32" if data.dtype in (ga.float32, ga.complex64) else "float64"  # dask's sampling precision
    omega = state.standard_normal((n, level), chunks=(data.chunks[1], (level,))).astype(dtype)
    keep = (lambda a: a.persist()) if compute else (lambda a: a)
    if iterator == "power":
        mat_h = ga.matmul(data, omega)
        for _ in range(n_power_iter):
            mat_h = ga.matmul(data, keep(ga.matmul(ga.matrix_transpose(data), keep(mat_h))))
        q_basis, _ = tsqr(mat_h)
    else:
        q_basis, _ = tsqr(ga.matmul(data, omega))
        for _ in range(n_power_iter):
            z, _ = tsqr(ga.matmul(ga.matrix_transpose(data), keep(q_basis)))
            q_basis, _ = tsqr(ga.matmul(data, keep(z)))
    return ga.matrix_transpose(q_basis)


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
    iterator : {"power", "QR"}
        The iterations of :func:`compression_matrix`.
    n_power_iter : int
        Power iterations: more sharpen the result for slowly decaying spectra.
    n_oversamples : int
        Extra random directions.
    seed : int or Generator, optional
        Seed of the random projection.
    compute : bool
        Persist intermediate arrays (see :func:`compression_matrix`).
    coerce_signs : bool
        Orient each singular pair as :func:`svd_flip` does (dask's default), so results do not depend on the
        random projection.

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
    if a.ndim != 2:
        raise ValueError(f"svd_compressed needs a 2-d array, got shape {a.shape}")
    comp = compression_matrix(a, k, iterator=iterator, n_power_iter=n_power_iter, n_oversamples=n_oversamples,
                              seed=seed, compute=compute)
    if compute:
        comp = comp.persist()
    v, s, u = tsqr(ga.matrix_transpose(ga.matmul(comp, a)), compute_svd=True)  # SVD of the small (level, n) matrix
    u = ga.matmul(ga.matrix_transpose(comp), ga.matrix_transpose(u))
    u, s, vh = u[:, :k], s[:k], ga.matrix_transpose(v)[:k, :]
    if coerce_signs:
        u, vh = svd_flip(u, vh)
    return u, s, vh


def sfqr(data: Array, name: Any = None) -> tuple:
    """QR of a short-and-fat matrix, as ``dask.array.linalg.sfqr``: ``Q R_1 = A_1`` for the first block of
    columns, then the other blocks of ``R`` as ``Q.T @ A_k``, in parallel.

    Parameters
    ----------
    data : Array
        2-d with one block of rows, and either one block of columns or a first column block at least as
        wide as the rows are tall.
    name : str, optional
        Accepted for dask compatibility (gpuscale names nodes by their content).

    Returns
    -------
    tuple of Array
        ``(q, r)``: ``q`` is ``(m, min(m, n))`` with orthonormal columns, ``r`` upper triangular.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.asarray(np.arange(24.0).reshape(3, 8) ** 2, chunks=(3, 4))
    >>> q, r = ga.linalg.sfqr(x)
    >>> q.shape, r.shape, bool(np.allclose((q @ r).compute(), x.compute()))
    ((3, 3), (3, 8), True)
    """
    ga = _ga()
    if data.ndim != 2 or data.numblocks[0] != 1 or (data.numblocks[1] > 1 and data.chunks[0][0] > data.chunks[1][0]):
        raise ValueError(f"sfqr needs a 2-d array with one block of rows whose first column block is at least as "
                         f"wide as it is tall (chunks {data.chunks}); rechunk, e.g. x.rechunk((m, m)), or use "
                         f"qr/tsqr for tall matrices")
    width = data.chunks[1][0]
    q, r_first = ga.linalg.qr(data[:, :width])
    if data.numblocks[1] == 1:
        return q, r_first
    return q, ga.concat([r_first, ga.matmul(ga.matrix_transpose(q), data[:, width:])], axis=1)
