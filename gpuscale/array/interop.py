"""dask.array's collection-level names: ``compute``, ``optimize`` (of a task graph), ``assert_eq``, ``from_delayed``,
``to_delayed``, ``unify_chunks``, ``PerformanceWarning``.

``from_delayed`` and ``to_delayed`` exchange blocks with ``dask.delayed`` (the graph of a ``Delayed``
becomes part of the array's plan, and back); ``compute`` is :func:`gpuscale.compute`.
"""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import ArrayExpr, Opaque
from gpuscale.expr import Expr
from gpuscale.expr.core import cached_bottom_up
from gpuscale.backends import array as chunkfn

__all__ = ["compute", "optimize", "assert_eq", "from_delayed", "to_delayed", "to_dask_array", "unify_chunks", "PerformanceWarning",
           "warn_block_growth"]


class PerformanceWarning(Warning):
    """Warned where a call is correct but likely slow, as ``dask.array.PerformanceWarning`` (e.g.
    :func:`unify_chunks` multiplying the number of blocks by 10 or more): filter it as in dask.

    Examples
    --------
    >>> import warnings, gpuscale.array as ga
    >>> x, y = ga.ones((100, 1000), chunks=(100, 10)), ga.ones((1000, 100), chunks=(1000, 10))
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = ga.unify_chunks(x, "ij", y, "jk")
    >>> [(w.category.__name__, str(w.message)) for w in caught]
    [('PerformanceWarning', 'unify_chunks: the blocks of the operands increase the number of chunks by factor of 10 (100 -> 1000); rechunk them alike first')]
    """


def compute(*args: Any, traverse: bool = True, optimize_graph: bool = True, scheduler: Any = None,
            **kwargs: Any) -> tuple:
    """Compute several collections together (shared inputs computed once), as ``dask.array.compute``.

    Parameters
    ----------
    *args
        gpuscale arrays, dataframes, or other values (returned as they are).
    traverse
        Whether collections inside lists, tuples and dicts are computed (as dask's).
    optimize_graph
        Accepted for dask compatibility (plans are always optimized).
    scheduler
        As :func:`gpuscale.compute`.
    **kwargs
        Passed to :func:`gpuscale.compute`.

    Returns
    -------
    tuple
        One result per argument.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(4)
    >>> [int(v) for v in ga.compute(x.sum(), x.max())]
    [6, 3]
    """
    from gpuscale.collection import compute as _compute

    return _compute(*args, scheduler=scheduler, traverse=traverse, **kwargs)


def assert_eq(a: Any, b: Any, check_shape: bool = True, check_graph: bool = True, check_meta: bool = True,
              check_chunks: bool = True, check_ndim: bool = True, check_type: bool = True, check_dtype: bool = True,
              equal_nan: bool = True, scheduler: str = "sync", **kwargs: Any) -> bool:
    """Assert two arrays (gpuscale, NumPy, CuPy) are equal, as ``dask.array.utils.assert_eq``.

    A gpuscale array is computed and must match its own metadata (shape, dtype) as well as the other.

    Parameters
    ----------
    a, b : Array or array_like
        The arrays.
    check_shape, check_dtype : bool
        Compare shapes and dtypes.
    check_graph, check_meta, check_chunks, check_ndim, check_type, equal_nan
        Accepted for dask compatibility (NaNs compare equal).
    scheduler : str
        How to compute (``"sync"`` as dask).
    **kwargs
        ``rtol``, ``atol`` for floating values.

    Returns
    -------
    bool
        True (the assertion raises otherwise).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> ga.assert_eq(ga.arange(3) * 2, np.arange(3) * 2)
    True
    """
    from gpuscale.backends.testing import assert_chunks_equal

    values = []
    for x in (a, b):
        if is_array(x):
            computed = x.compute(scheduler=scheduler)
            if check_shape and not any(n != n for n in x.shape):
                assert tuple(computed.shape) == x.shape, f"computed shape {computed.shape} != metadata {x.shape}"
            if check_dtype:
                assert chunkfn.numpy_dtype(computed.dtype) == x.dtype, \
                    f"computed dtype {computed.dtype} != metadata {x.dtype}"
            x = computed
        values.append(x)
    if not check_shape:
        values = [v.reshape(-1) if hasattr(v, "reshape") else v for v in values]
    assert_chunks_equal(values[0], values[1], check_dtype=check_dtype, **kwargs)
    return True


class FromGraph(ArrayExpr):
    """Blocks computed by another task graph (a dask ``Delayed``, the blocks of a dask array): its graph, then
    each block from the graph's key for it (``sources``: block index -> key); named exactly ``label`` when the
    user gave dask's ``name=``.  ``checked``: each block's shape is checked when computed against its chunks
    (``from_delayed``'s declared shape: a user's function may return another)."""

    _parameters = ["graph", "sources", "chunks_", "dtype_", "backend_", "label", "checked"]
    _defaults = {"label": None, "checked": False}

    @cached_bottom_up
    def _name(self) -> str:
        return str(self.label) if self.label else Expr._name.func(self)

    @functools.cached_property
    def chunks(self) -> tuple:
        return self.chunks_

    @functools.cached_property
    def dtype(self) -> Any:
        return chunkfn.numpy_dtype(self.dtype_)

    @property
    def backend(self) -> str:
        return self.backend_

    def _layer(self) -> dict:
        layer = dict(self.graph.value)
        for index, source in self.sources.value.items():
            if self.checked:
                shape = tuple(self.chunks[d][i] for d, i in enumerate(index))
                layer[self.key(index)] = (chunkfn.from_host_of_shape, source, shape, self.backend,
                                          f"from_delayed: the delayed value {source!r}")
            else:
                layer[self.key(index)] = (chunkfn.from_host, source, (), self.backend)
        return layer


def from_task_graph(graph: Any, blocks: dict, chunks: tuple, dtype: Any, backend: str | None, token: str,
                    label: str | None = None, checked: bool = False) -> Array:
    """An array whose blocks are computed by a dask task graph (``blocks``: block index -> the graph's key for
    that block); the graph runs on gpuscale's runtime when the array is computed.  ``label``: its exact name;
    ``checked``: the blocks' shapes are checked against ``chunks`` when computed."""
    from gpuscale.array.creation import resolve_backend

    expr = FromGraph(Opaque(dict(graph), f"graph-{token}"), Opaque(dict(blocks), token), tuple(chunks),
                     chunkfn.numpy_dtype(dtype), resolve_backend(backend), label, checked)
    return Array(expr)


def array_of_graph(graph: Any, name: Any, chunks: Any, dtype: Any = None, meta: Any = None,
                   shape: Any = None) -> Array:
    """dask's low-level ``Array(graph, name, chunks, dtype=None, meta=None, shape=None)``: the blocks are the
    graph's keys ``(name, i, j, ...)``, run on gpuscale's runtime (with the blocks' library, or the configured
    one).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> graph = {("x", 0): np.arange(3), ("x", 1): (np.negative, ("x", 0))}
    >>> ga.Array(graph, "x", chunks=(3,), shape=(6,), dtype="i8").compute().tolist()
    [0, 1, 2, 0, -1, -2]
    """
    from collections.abc import Mapping

    from gpuscale.array.creation import normalize

    if not isinstance(graph, Mapping) and not hasattr(graph, "__dask_graph__"):
        raise TypeError(f"Array(...) takes an expression, or dask's graph, name and chunks; got "
                        f"{type(graph).__name__}")
    if chunks is None:
        raise ValueError("Array(graph, name, chunks=...): the chunks are needed (block lengths per axis); see "
                         "dask's https://docs.dask.org/en/latest/array-chunks.html")
    dtype = getattr(meta, "dtype", None) if dtype is None else dtype
    if dtype is None:
        raise ValueError("Array(graph, name, chunks, dtype=...): give dtype= or meta=")
    graph = graph.__dask_graph__() if hasattr(graph, "__dask_graph__") else graph
    if shape is not None:
        chunks = normalize(chunks, tuple(shape), dtype, "numpy")
    chunks = tuple(tuple(c) if isinstance(c, (tuple, list)) else (c,) for c in chunks)
    blocks = {index: (str(name), *index) for index in _chunks.block_indices(tuple(len(c) for c in chunks))}
    backend = chunkfn.library_of(meta) if meta is not None and hasattr(meta, "shape") else None
    return from_task_graph(graph, blocks, chunks, dtype, backend, token=str(name))


def from_dask_blocks(x: Any, backend: str | None = None) -> Array:
    """A dask array (or any collection with ``chunks``, ``dtype`` and dask's graph protocol) as a gpuscale array
    over the same graph: each block is the dask block's task, run by gpuscale's runtime."""
    keys = x.__dask_keys__()
    if not x.chunks and isinstance(keys, list) and len(keys) == 1:  # a 0-d array's keys: [(name,)]
        keys = keys[0]
    blocks = {}
    for index in _chunks.block_indices(tuple(len(c) for c in x.chunks)):
        key = keys
        for i in index:
            key = key[i]
        blocks[index] = key
    return from_task_graph(x.__dask_graph__(), blocks, x.chunks, x.dtype, backend, token=str(x.name))


def to_dask_array(x: Array) -> Any:
    """``x`` as a dask array over the same task graph: one dask block per block of ``x`` (its chunks, dtype
    and meta), so dask.array functions given ``x`` (``da.asarray``, ``da.stack`` ...) compute its blocks.

    Parameters
    ----------
    x : Array
        A gpuscale array.

    Returns
    -------
    dask.array.Array

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> d = to_dask_array(ga.arange(4, chunks=2))
    >>> d.chunks, d.compute().tolist()
    (((2, 2),), [0, 1, 2, 3])
    """
    import dask.array as da

    keys = x.__dask_keys__()
    first = keys
    while isinstance(first, list):  # nested per dimension; a 0-d array's keys: [(name,)]
        first = first[0]
    return da.Array(dict(x.__dask_graph__()), first[0], x.chunks, dtype=x.dtype, meta=x._meta)


def from_delayed(value: Any, shape: Any, dtype: Any = None, meta: Any = None, name: str | None = None, *,
                 backend: str | None = None) -> Array:
    """A one-block array computed by a dask ``Delayed`` object, as ``dask.array.from_delayed``.

    Parameters
    ----------
    value : dask.delayed.Delayed or distributed.Future
        Computes (or holds) a NumPy (or CuPy) array of ``shape``.
    shape : tuple of int
        Its shape.
    dtype
        Its dtype (from ``meta`` if not given, else float64).
    meta
        An array of the right dtype.
    name
        The array's name (its blocks' keys), as dask's; by default one made from the delayed object's key.
    backend
        The chunk library of the result (the configured default if None).

    Returns
    -------
    Array
        One block; the delayed graph runs when the array is computed.

    Examples
    --------
    >>> import dask, numpy as np, gpuscale.array as ga
    >>> x = ga.from_delayed(dask.delayed(np.arange)(4), shape=(4,), dtype=np.int64)
    >>> int(x.sum())
    6
    """
    from gpuscale.runtime.distributed import as_delayed

    value = as_delayed(value)  # a distributed Future (``client.scatter(x)``) counts as a Delayed, as in dask
    if not hasattr(value, "__dask_graph__") or not hasattr(value, "key"):
        raise TypeError(f"from_delayed takes a dask Delayed object or a distributed Future, not "
                        f"{type(value).__name__}")
    shape = tuple(n if _chunks.is_unknown(n) else int(n) for n in shape)  # nan: a length known when computed
    if dtype is None:
        dtype = getattr(meta, "dtype", "float64")
    return from_task_graph(value.__dask_graph__(), {(0,) * len(shape): value.key}, tuple((n,) for n in shape),
                           dtype, backend, token=f"delayed-{value.key}", label=name, checked=True)


def to_delayed(x: Array, optimize_graph: bool = True) -> Any:
    """One dask ``Delayed`` per block, in a NumPy object array of ``x.numblocks``, as
    ``dask.array.Array.to_delayed``.

    Parameters
    ----------
    x : Array
        Input.
    optimize_graph : bool
        Use the optimized plan (else the plan as written).

    Returns
    -------
    numpy.ndarray of Delayed
        ``out[i, j]`` computes block ``(i, j)``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> parts = ga.arange(6, chunks=2).to_delayed()
    >>> parts.shape, parts[1].compute().tolist()
    ((3,), [2, 3])
    """
    from dask.delayed import Delayed

    expr = x._optimized_expr() if optimize_graph else x._expr.lower_completely()
    graph = dict(expr.__dask_graph__())
    keys = expr.__dask_keys__()
    flat = []

    def walk(node: Any) -> Any:
        return [walk(k) for k in node] if isinstance(node, list) else Delayed(node, graph)

    flat = walk(keys)
    return chunkfn.object_grid(flat, x.numblocks)


def optimize(dsk: Any, keys: Any, **kwargs: Any) -> dict:
    """A task graph with only the tasks ``keys`` need, as ``dask.array.optimize`` (a collection's
    ``__dask_optimize__``): the graph-level step for code that builds or passes raw graphs.

    gpuscale optimizes arrays before they become graphs (fusion, simplification: ``x.optimize()``), so here
    the graph is culled but its tasks are not fused further, where dask also fuses linear chains.

    Parameters
    ----------
    dsk : Mapping
        A task graph (a gpuscale array's ``__dask_graph__()``, or dask's).
    keys
        The output keys (nested lists allowed, as ``__dask_keys__()``).
    **kwargs
        Accepted for dask compatibility (dask's fusion options).

    Returns
    -------
    dict
        The culled graph.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> x = ga.arange(6, chunks=3) + 1
    >>> graph = dict(x.__dask_graph__())
    >>> first = x.__dask_keys__()[0]
    >>> culled = ga.optimize(graph, [first])
    >>> first in culled, len(culled) < len(graph)
    (True, True)
    """
    from gpuscale.graph import cull

    return cull(dsk, keys)[0]


def unify_chunks(*args: Any, **kwargs: Any) -> tuple:
    """Common blocks for arrays whose dimensions are named by index strings, as
    ``dask.array.core.unify_chunks``: ``unify_chunks(x, "ij", y, "jk")``.

    Parameters
    ----------
    *args
        Pairs of an array and its index string (a non-array with index None is passed through).
    **kwargs
        ``warn=False`` silences the :class:`PerformanceWarning` given where the common blocks are 10 or more
        times as many as the most an operand had (as dask).

    Returns
    -------
    tuple
        ``({index: chunks}, [arrays rechunked so that equal indices have equal blocks])``.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> chunkss, (x, y) = ga.unify_chunks(ga.ones((6, 4), chunks=(2, 4)), "ij", ga.ones(6, chunks=3), "i")
    >>> chunkss["i"], x.chunks, y.chunks
    ((2, 1, 1, 2), ((2, 1, 1, 2), (4,)), ((2, 1, 1, 2),))
    """
    if not args:
        return {}, []
    pairs = list(zip(args[::2], args[1::2]))
    found: dict = {}
    for a, ind in pairs:
        if ind is None or not is_array(a):
            continue
        for letter, dim, n in zip(ind, a.chunks, a.shape):
            if n != 1:
                found.setdefault(letter, []).append(dim)
    common = {letter: _chunks.common_chunks(dims) for letter, dims in found.items()}
    arrays = []
    for a, ind in pairs:
        if ind is None or not is_array(a):
            arrays.append(a)
            continue
        target = tuple(common.get(letter, dim) if n != 1 else dim for letter, dim, n in zip(ind, a.chunks, a.shape))
        arrays.append(a if target == a.chunks else a.rechunk(target))
    for a, ind in pairs:  # dimensions of length one keep their own block
        if ind is not None and is_array(a):
            for letter, dim in zip(ind, a.chunks):
                common.setdefault(letter, dim)
    if kwargs.get("warn", True):
        _warn_if_many_blocks(common, [a for a, ind in pairs if ind is not None and is_array(a)])
    return common, arrays


def _warn_if_many_blocks(common: dict, arrays: list) -> None:
    """dask's warning: the blocks a blockwise call will make are 10 or more times the most of any input."""
    most = max((a.npartitions for a in arrays), default=0)
    warn_block_growth(most, math.prod(len(dim) for dim in common.values()), "unify_chunks", stacklevel=4)


def warn_block_growth(most: int, blocks: int, what: str, stacklevel: int = 3,
                      advice: str = "rechunk them alike first") -> None:
    """dask's :class:`PerformanceWarning` where lining up operands' blocks makes ``blocks``, 10 or more times the
    ``most`` blocks of any operand (``x + y`` of arrays blocked along different axes)."""
    if most and blocks >= 10 * most:
        warnings.warn(f"{what}: the blocks of the operands increase the number of chunks by factor of "
                      f"{blocks // most} ({most} -> {blocks}); {advice}", PerformanceWarning,
                      stacklevel=stacklevel)
