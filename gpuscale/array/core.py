"""The ``Array`` collection: a lazy, chunked array following the Array API standard."""

from __future__ import annotations

import functools
import math
import warnings
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.chunking import normalize_chunks  # noqa: F401 - dask.array.core's helper, where ported code imports it
from gpuscale.array.expr import ArrayExpr, FromChunks, Opaque, is_small
from gpuscale.array.lazy_modules import array_module
from gpuscale.array.methods import ArrayMethods
from gpuscale.backends import array as chunkfn
from gpuscale.collection import Collection
from gpuscale.expr.core import Expr
from gpuscale.graph.core import flatten_keys, is_dask_node

__all__ = ["Array", "is_array"]


def _array_result(ndim: int, zero_d_array: bool, npartitions: int, results: Any) -> Any:
    """An array's result from its computed blocks (nested as its keys)."""
    if not ndim:
        if zero_d_array:  # a copy: the block may be the graph's own buffer (a persisted 0-d array)
            return results[0].copy() if hasattr(results[0], "copy") else results[0]
        return _numpy_scalar(results[0])
    if npartitions > 1:
        _check_block_dims(results, ndim, ())
    out = chunkfn.concat_nested(results)
    if npartitions == 1 and hasattr(out, "copy"):
        # one block may be the very buffer held by the graph (from_array's source, a persisted
        # block): a copy keeps users' writes to the result from changing the array (as dask)
        return out.copy()
    return chunkfn.writable(out)


def _check_block_dims(results: Any, ndim: int, index: tuple) -> None:
    """No computed block (of several) has fewer dimensions than the array: they could not be joined along the
    missing axes, so a function given to ``map_blocks`` (``blockwise``) that returns blocks of fewer than
    ``new_axis``/``drop_axis`` declare is named, not met by an IndexError of the joining (one comparison per
    block).  One block is handed on as it is (dask's: a function returning a scalar), and blocks of more
    dimensions are sparse matrices (2-d blocks of a 1-d array)."""
    if isinstance(results, list):
        for i, child in enumerate(results):
            _check_block_dims(child, ndim, (*index, i))
    elif getattr(results, "ndim", ndim) < ndim:
        raise ValueError(f"block {index} was computed with shape {results.shape} ({results.ndim} dimensions), but the "
                         f"array has {ndim}: a function given to map_blocks/blockwise returned blocks of other "
                         "dimensions than declared (new_axis=, drop_axis=, chunks=)")


def is_array(obj: Any) -> bool:
    """True for a ``gpuscale.array`` Array."""
    return isinstance(obj, Array)


def _is_plain_task(task: Any) -> bool:
    # a legacy tuple task, a key or a literal block can be wrapped; a dask graph node cannot
    return not is_dask_node(task)


def _numpy_scalar(value: Any) -> Any:
    """A 0-d result as NumPy and dask.array give it: a NumPy 0-d array becomes its scalar (``x.sum().compute()``
    is ``np.float64``, not ``array(...)``); CuPy (which has no scalars) keeps its 0-d array."""
    if type(value).__name__ == "ndarray" and type(value).__module__ == "numpy" and value.ndim == 0:
        return value[()]
    return value


def zero_d_array(x: "Array") -> "Array":
    """``x`` (a new collection of the same expression) computing to a 0-d array where it has no dimensions.

    NumPy and dask.array give a 0-d array, not a scalar, for data made or reshaped without computing on it
    (``np.zeros(())``, ``np.asarray(5)``, ``np.ones(1).squeeze()``, ``.reshape(())``, ``.astype(...)`` of
    0-d data); reductions, indexing to one element and arithmetic give scalars (:func:`_numpy_scalar`).
    """
    if x.ndim:
        return x
    out = Array(x._expr)
    out._zero_d_array = True
    return out


def zero_d_like(source: "Array", out: "Array") -> "Array":
    """``out``, made from ``source`` without computing on it (a reshape, squeeze, transpose or cast), computing
    to a 0-d array where NumPy gives one: when ``source`` has dimensions or is itself such a 0-d array (NumPy
    keeps a scalar a scalar: ``np.float64(1).reshape(())``)."""
    if out.ndim or (not source.ndim and not source._zero_d_array):
        return out
    return zero_d_array(out)


def _finish(steps: list, out: Any) -> Any:
    """``out`` (a result written in place) through each step: its array (or the join of its sparse blocks),
    then the masks of masked blocks."""
    for step in steps:
        out = step(out)
    return out


class Array(ArrayMethods, Collection):
    """A lazy N-dimensional array made of NumPy, CuPy or array-api-strict chunks.

    Build arrays with the functions of :mod:`gpuscale.array` (``asarray``,
    ``zeros``, ``from_array``, ...); operations record an expression and
    nothing runs until :meth:`compute` or :meth:`persist`.

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> x = ga.asarray(np.arange(12.0).reshape(3, 4), chunks=(2, 2))
    >>> x.shape, x.chunks, x.numblocks
    ((3, 4), ((2, 1), (2, 2)), (2, 2))
    >>> (x.T @ x).sum(axis=0).compute()
    array([392., 458., 524., 590.])
    """

    _zero_d_array = False  # computes to a 0-d array, not a scalar (see zero_d_array)

    __array_priority__ = 20  # NumPy defers binary operators to us

    def __init__(self, expr: Any, name: Any = None, chunks: Any = None, dtype: Any = None, meta: Any = None,
                 shape: Any = None) -> None:
        if not isinstance(expr, Expr):  # dask's low-level form: Array(graph, name, chunks, dtype, meta, shape)
            expr = array_module("interop").array_of_graph(expr, name, chunks, dtype, meta, shape)._expr
        super().__init__(expr)

    @property
    def _expr(self) -> ArrayExpr:
        return self.__dict__["_array_expr"]

    @_expr.setter
    def _expr(self, expr: ArrayExpr) -> None:
        # in-place operators and x[...] = v replace the expression: drop the cached optimized plan
        self.__dict__["_array_expr"] = expr
        self.__dict__.pop("_optimized_cache", None)

    # -- metadata -------------------------------------------------------------
    @property
    def chunks(self) -> tuple:
        """Block lengths per dimension (tuple of tuples; NumPy's ``nan`` where unknown, as dask.array)."""
        expr, cached = self._expr, self.__dict__.get("_chunks_of")
        if cached is None or cached[0] is not expr:  # one pass per expression: block loops read chunks often
            cached = self.__dict__["_chunks_of"] = (expr, _chunks.canonical(expr.chunks))
        return cached[1]

    @chunks.setter
    def chunks(self, value: Any) -> None:
        raise TypeError(f"Can not set chunks directly; use x.rechunk({value!r}) instead (as dask)")

    @property
    def _chunks(self) -> tuple:
        # dask.array's attribute for the chunks: ported code (and dask's tests) assign it to declare block
        # lengths, most often unknown ones (``x._chunks = ((np.nan, np.nan),)``)
        return self.chunks

    @_chunks.setter
    def _chunks(self, value: Any) -> None:
        from gpuscale.array.expr import WithChunks

        value = tuple(tuple(dim) for dim in value)
        if tuple(len(dim) for dim in value) != self.numblocks:
            raise ValueError(f"x._chunks = {value}: the array has {self.numblocks} blocks per axis, these chunks "
                             f"{tuple(len(dim) for dim in value)}; use x.rechunk(...) to change the blocks")
        self._expr = WithChunks(self._expr, _chunks.canonical(value))

    @property
    def shape(self) -> tuple:
        """Shape; nan for lengths unknown until computed (after data-dependent operations)."""
        return self._expr.shape

    @property
    def dtype(self) -> Any:
        """The data type (``gpuscale.array.float64`` ...; equal to the NumPy dtype)."""
        return array_module("dtypes").wrap(self._expr.dtype)

    @property
    def ndim(self) -> int:
        """Number of dimensions."""
        return self._expr.ndim

    @property
    def _meta(self) -> Any:
        """An empty block of the chunk library, with this array's dtype and dimensions (dask.array's ``_meta``,
        which code written for dask reads to learn the chunk type); a masked array where blocks may be masked."""
        meta = chunkfn.create(self.backend, "empty", (0,) * self.ndim, self._expr.dtype)
        if self.backend == "numpy" and array_module("ma").may_be_masked(self._expr):
            return chunkfn.masked_block(meta)
        return meta

    @property
    def size(self) -> Any:
        """Number of elements (nan if unknown)."""
        return math.prod(self.shape)

    @property
    def nbytes(self) -> Any:
        """Bytes of the data (nan if unknown)."""
        return self.size * self.dtype.itemsize

    @property
    def chunksize(self) -> tuple:
        """The largest block length per dimension (as dask.array; nan where unknown)."""
        return tuple(max(c) if not any(n != n for n in c) else math.nan for c in self.chunks)

    @property
    def blocks(self) -> Any:
        """Index by blocks: ``x.blocks[0, 1:3]`` is an array of those blocks (see :mod:`gpuscale.array.blocks`)."""
        return array_module("blocks").BlockView(self)

    @property
    def vindex(self) -> Any:
        """Point-wise fancy indexing: ``x.vindex[[0, 1], [2, 3]]`` is ``[x[0, 2], x[1, 3]]``."""
        return array_module("blocks").VIndex(self)

    @property
    def oindex(self) -> Any:
        """Orthogonal indexing: ``x.oindex[[0, 1], [2, 3]]`` is ``x[[0, 1]][:, [2, 3]]`` (see
        :mod:`gpuscale.array.gather`)."""
        return array_module("gather").OIndex(self)

    @property
    def numblocks(self) -> tuple:
        """Number of blocks per dimension."""
        return self._expr.numblocks

    @property
    def npartitions(self) -> int:
        """Total number of blocks."""
        return math.prod(self.numblocks)

    @property
    def backend(self) -> str:
        """Chunk library: ``numpy``, ``cupy`` or ``array_api_strict``."""
        return self._expr.backend

    @property
    def device(self) -> str:
        """Where chunks live: ``"cpu"`` (NumPy), ``"gpu"`` (CuPy) or ``"device1"`` (array-api-strict)."""
        return chunkfn.DEVICES[self.backend]

    @property
    def name(self) -> str:
        """The expression name (deterministic)."""
        return self._expr._name

    @property
    def _name(self) -> str:
        # dask.array's attribute for the name, which ported code reads
        return self._expr._name

    # -- conversions ------------------------------------------------------------
    def _finalizer(self) -> Any:
        return functools.partial(_array_result, self.ndim, bool(self._zero_d_array), self.npartitions)

    def _protocol_name(self, expr: Expr) -> str | None:
        # dask.array's contract, which xarray's map_blocks relies on (it names the blocks of its arguments
        # ``(x.name, *index)``): the keys of an array's graph are named ``x.name``, though the optimized plan's
        # root (a fused chain, a simplified reduction) has a name of its own.  Not where the array's own node is
        # inside the plan (two nodes would share the name) or a node carries dask.annotate annotations (their
        # layers are named by the plan's nodes)
        cache = self.__dict__.setdefault("_optimized_cache", {})
        name = self._expr._name  # (in-place updates replace the expression: its name is part of the key)
        key = ("protocol-name", expr._name, name)
        if key not in cache:
            cache[key] = None if expr._name == name or any(
                node._name == name or node._annotations is not None for node in expr.walk()) else name
        return cache[key]

    def _is_small(self) -> bool:
        return is_small(self._expr)

    def _compute_in_place(self, graph: dict, keys: Any) -> Any:
        # each output block is copied into one preallocated result as soon as it is computed (and freed)
        if self.npartitions < 2 or any(math.isnan(n) for dim in self.chunks for n in dim) or \
                not all(getattr(e, "exact_chunks", True) for e in self._expr.walk()):  # blocks may differ
            return None  # from their metadata: join the blocks computed
        blocks = _chunks.block_indices(self.numblocks)  # C order, as the flattened keys
        out_keys = flatten_keys(keys)
        if not all(_is_plain_task(graph[k]) for k in out_keys):
            return None
        # allocated when first written: a result of sparse blocks needs no dense array
        out = chunkfn.LazyResult(self.backend, self.shape, self.dtype)
        # blocks may be NumPy masked arrays (gpuscale.array.ma): their masks are gathered on the side
        masks = chunkfn.ResultMask(self.shape) if self.backend == "numpy" else None
        # 2-d blocks may be SciPy / CuPy sparse matrices (map_blocks(scipy.sparse.csr_matrix)), joined as such
        sparse = chunkfn.ResultSparse(len(out_keys)) if self.ndim == 2 else None
        into_keys = []
        for key, index in zip(out_keys, blocks):
            region = self._expr.block_region(index)
            graph[key] = chunkfn.write_into(graph[key], out, region)
            into_keys.append(("into-" + key[0], *key[1:]))
            graph[into_keys[-1]] = (chunkfn.into_result, out, region, key, masks, sparse)
        finishing = [sparse.finish if sparse is not None else chunkfn.result_array] + \
            ([masks.finish] if masks is not None else [])
        return out.value(), into_keys, functools.partial(_finish, finishing)

    def _from_persisted(self, chunks: dict) -> "Array":
        blocks = {key[1:]: chunk for key, chunk in chunks.items()}
        name = next(iter(chunks))[0] if chunks else self.name  # the keys handed over (renamed by clone/bind)
        expr = FromChunks(Opaque(blocks, name), self.chunks, self.dtype, self.backend, name)
        return zero_d_array(Array(expr)) if self._zero_d_array else Array(expr)

    def _from_graph(self, graph: dict, keys: list) -> "Array":
        from gpuscale.array.interop import from_task_graph

        names = "-".join(sorted({str(k[0]) for k in keys}))  # renamed keys (graph_manipulation.clone) differ
        return from_task_graph(graph, {key[1:]: key for key in keys}, self.chunks, self.dtype, self.backend,
                               token=f"rebuilt-{names}")

    def compute_chunk_sizes(self) -> "Array":
        """Make the block lengths known, in place, and return this array (computes the blocks' shapes).

        As in dask.array.  Use after data-dependent operations (boolean
        indexing, ``nonzero``, ``unique_*``) when later steps need the lengths
        (slicing, rechunking, combining with arrays of known length).
        """
        from gpuscale.array.expr import WithChunks
        from gpuscale.collection import compute as _compute

        if not any(n != n for n in self.shape):
            return self
        probe = WithChunks.shape_probe(self._expr)
        (shapes,) = _compute(probe)
        self._expr = WithChunks(self._expr, WithChunks.chunks_from(shapes, self.numblocks))
        return self

    def rechunk(self, chunks: Any = "auto", threshold: Any = None, block_size_limit: Any = None,
                balance: bool = False, method: str | None = None) -> "Array":
        """Change the block structure (:func:`gpuscale.array.rechunk`)."""
        return array_module("manipulation").rechunk(self, chunks, threshold, block_size_limit, balance, method)

    def to_backend(self, backend: str | None = None) -> "Array":
        """The same array with chunks moved to another library (``"numpy"``, ``"cupy"``, ...; None: the
        configured default backend, as dask)."""
        return array_module("creation").to_backend(self, backend)

    def to_device(self, device: Any, /, *, stream: Any = None) -> "Array":
        """Array API ``to_device``: ``"cpu"``, ``"gpu"`` or ``"device1"``."""
        return self.to_backend(array_module("creation").backend_of_device(device))

    def astype(self, dtype: Any, casting: str = "unsafe", copy: bool = True, order: str = "K") -> "Array":
        """Cast to ``dtype`` (the array itself when it has that dtype already, as dask).

        ``casting=`` is NumPy's rule (``"safe"`` refuses a lossy cast with a TypeError); ``copy=`` and
        ``order=`` are accepted as dask does (blocks are always new, in C order).

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([1.5, 2.5], device="cpu")
        >>> x.astype("i8").compute().tolist(), x.astype("f8") is x
        ([1, 2], True)
        """
        if not chunkfn.dtype_function("can_cast", chunkfn.numpy_dtype(self.dtype), chunkfn.numpy_dtype(dtype),
                                      casting=casting):
            raise TypeError(f"Cannot cast array from {self.dtype} to {chunkfn.numpy_dtype(dtype)} according to "
                            f"the rule {casting!r}")
        if chunkfn.numpy_dtype(dtype) == self.dtype:
            return self
        return array_module("dtypes").astype(self, dtype, copy=copy)

    def __array__(self, dtype: Any = None, copy: Any = None, **kwargs: Any) -> Any:
        if kwargs:  # dask's deprecation: NumPy passes only dtype and copy
            warnings.warn(f"__array__: the keywords {sorted(kwargs)} are ignored (as in dask, they will raise in "
                          "the future)", FutureWarning, stacklevel=2)
        if self.backend != "numpy":
            raise TypeError(f"Implicit conversion of a {self.backend} array to NumPy is not allowed (as in CuPy); "
                            "use .compute() and gpuscale.backends.to_host explicitly")
        if copy is False:  # NumPy asks for a view; the result is always computed anew
            warnings.warn("Can't acquire a memory view of a gpuscale array; np.asarray(x, copy=False) "
                          "computes a new array (this will raise in the future, as in dask)",
                          FutureWarning, stacklevel=2)
        return chunkfn.host_array(self.compute(), dtype)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # np.sin(x), np.add(x, 1), np.add.reduce(x): lazy gpuscale arrays (gpuscale/array/ufunc_protocol.py)
        return array_module("ufunc_protocol").array_ufunc(ufunc, method, *inputs, **kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        # np.sum(x, axis=0), np.concatenate([x, y]), np.linalg.svd(x): gpuscale's own, or NotImplemented
        return array_module("protocols").array_function(func, types, args, kwargs)

    def __array_namespace__(self, *, api_version: str | None = None) -> Any:
        # the standard's defaults where gpuscale.array keeps dask.array's (gpuscale/array/standard.py)
        namespace = array_module("standard")
        if api_version not in (None, "2021.12", "2022.12", "2023.12", "2024.12"):
            raise ValueError(f"gpuscale.array does not support Array API version {api_version!r}")
        return namespace

    def _scalar(self) -> Any:
        if self.ndim != 0 and self.size != 1:
            raise TypeError(f"only arrays with one element can be converted to Python scalars (shape {self.shape})")
        # one element of any dimensions converts, as dask (NumPy 2 refuses int() of an array of shape (1,))
        return (self if self.ndim == 0 else array_module("manipulation").reshape(self, ())).compute()

    def __bool__(self) -> bool:
        if self.ndim != 0 and self.size != 1:  # NumPy's ValueError (int() and float() raise TypeError)
            raise ValueError(f"The truth value of an array with more than one element is ambiguous (shape "
                             f"{self.shape}); use a.any() or a.all()")
        return bool(self._scalar())

    def __int__(self) -> int:
        return int(self._scalar())

    def __float__(self) -> float:
        return float(self._scalar())

    def __complex__(self) -> complex:
        return complex(self._scalar())

    def __index__(self) -> int:
        if self.dtype.kind not in "iu":
            raise TypeError(f"only integer arrays can be used as an index, not {self.dtype}")
        return int(self._scalar())

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of unsized object (a 0-d array)")
        if math.isnan(self.shape[0]):
            raise ValueError("Cannot call len() on object with unknown chunk size (after a data-dependent "
                             "operation such as boolean indexing); call x.compute_chunk_sizes() first")
        return self.shape[0]

    def __iter__(self) -> Any:
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self)))  # len's error for an unknown length, as dask's

    def __dlpack__(self, *, stream: Any = None, max_version: Any = None, dl_device: Any = None,
                   copy: Any = None) -> Any:
        kwargs = {k: v for k, v in {"stream": stream, "max_version": max_version, "dl_device": dl_device,
                                     "copy": copy}.items() if v is not None}
        return self.compute().__dlpack__(**kwargs)

    def __dlpack_device__(self) -> Any:
        return self.compute().__dlpack_device__()

    # -- display -------------------------------------------------------------------
    def __repr__(self) -> str:
        chunks = tuple(max(c) if len(c) else 0 for c in self.chunks)  # the largest block, as dask's chunksize
        meta = type(self._meta)
        chunktype = f"{meta.__module__.partition('.')[0]}.{meta.__name__}"  # dask's: numpy.ndarray, cupy.ndarray
        return (f"gpuscale.array<{self.name.partition('-')[0]}, shape={self.shape}, dtype={self.dtype}, "
                f"chunksize={chunks}, chunktype={chunktype}, backend={self.backend}>")

    def _repr_html_(self) -> str:
        from gpuscale.array.display import array_html

        return array_html(self)

    # -- indexing ------------------------------------------------------------------
    def __getitem__(self, key: Any) -> "Array":
        return array_module("indexing").getitem(self, key)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._expr = array_module("indexing").setitem(self, key, value)._expr

    # -- attributes of the standard -------------------------------------------------
    @property
    def T(self) -> "Array":
        """Transpose: the axes reversed (as NumPy and dask.array; the Array API standard defines it for 2-d)."""
        return array_module("manipulation").permute_dims(self, tuple(range(self.ndim))[::-1])

    @property
    def mT(self) -> "Array":
        """Transpose of the last two axes."""
        return array_module("linalg").matrix_transpose(self)

    # -- convenience methods (as dask.array) ---------------------------------------------
    def sum(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
            out: Any = None) -> "Array":
        return array_module("statistical").sum(self, axis, dtype, keepdims, split_every, out)

    def mean(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
             out: Any = None) -> "Array":
        return array_module("statistical").mean(self, axis, dtype, keepdims, split_every, out)

    def std(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float | None = None,
            split_every: Any = None, out: Any = None, *, correction: float = 0.0) -> "Array":
        return array_module("statistical").std(self, axis, dtype, keepdims, ddof, split_every, out, correction=correction)

    def var(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: float | None = None,
            split_every: Any = None, out: Any = None, *, correction: float = 0.0) -> "Array":
        return array_module("statistical").var(self, axis, dtype, keepdims, ddof, split_every, out, correction=correction)

    def cumsum(self, axis: int | None = None, dtype: Any = None, out: Any = None, *,
               method: str = "sequential") -> "Array":
        return array_module("statistical").cumsum(self, axis=axis, dtype=dtype, out=out, method=method)

    def cumprod(self, axis: int | None = None, dtype: Any = None, out: Any = None, *,
                method: str = "sequential") -> "Array":
        return array_module("statistical").cumprod(self, axis=axis, dtype=dtype, out=out, method=method)

    def min(self, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> "Array":
        return array_module("statistical").min(self, axis, keepdims, split_every, out)

    def max(self, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> "Array":
        return array_module("statistical").max(self, axis, keepdims, split_every, out)

    def argsort(self, axis: int = -1, kind: Any = None, order: Any = None, *, stable: bool | None = None,
                descending: bool = False) -> "Array":
        """Indices that sort the array along ``axis`` (NumPy's method; :func:`gpuscale.array.argsort`).
        The sort is stable unless ``stable=False``; ``kind`` is accepted and ignored, ``order`` refused."""
        if order is not None:
            raise NotImplementedError("argsort(order=) sorts structured arrays, which gpuscale arrays are not")
        return array_module("sorting").argsort(self, axis=axis, descending=descending,
                                          stable=True if stable is None else bool(stable))

    def reshape(self, *shape: Any, merge_chunks: bool = True, limit: Any = None) -> "Array":
        shape = shape[0] if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        return array_module("manipulation").reshape(self, tuple(shape), merge_chunks=merge_chunks, limit=limit)

    def map_blocks(self, func: Any, *args: Any, **kwargs: Any) -> "Array":
        return array_module("api").map_blocks(func, self, *args, **kwargs)

    def transpose(self, *axes: Any) -> "Array":
        """Permute the dimensions, as ``numpy.ndarray.transpose``: ``x.transpose()`` reverses them,
        ``x.transpose(1, 0, 2)`` or ``x.transpose((1, 0, 2))`` gives the order."""
        axes = tuple(axes[0]) if len(axes) == 1 and isinstance(axes[0], (tuple, list)) else axes
        if len(axes) == 1 and axes[0] is None or not axes:
            axes = tuple(reversed(range(self.ndim)))
        return array_module("manipulation").permute_dims(self, tuple(axes))

    def squeeze(self, axis: Any = None) -> "Array":
        """Drop length-1 dimensions, as ``numpy.ndarray.squeeze``: all of them when ``axis`` is None."""
        if axis is None:
            axis = tuple(d for d, n in enumerate(self.shape) if n == 1)
        return array_module("manipulation").squeeze(self, axis)


def _binary(name: str, reflected: bool = False) -> Any:
    def method(self: Array, other: Any) -> Any:
        ew = array_module("elementwise")
        if not ew.is_operand(other):
            return NotImplemented
        return getattr(ew, name)(other, self) if reflected else getattr(ew, name)(self, other)

    method.__name__ = name
    return method


def _inplace(name: str) -> Any:
    def method(self: Array, other: Any) -> Array:
        ew = array_module("elementwise")
        result = getattr(ew, name)(self, other)
        if result.shape != self.shape:
            raise ValueError(f"in-place {name} would change the shape {self.shape} to {result.shape}")
        if result.dtype != self.dtype:
            raise TypeError(f"in-place {name} would change the dtype {self.dtype} to {result.dtype}")
        self._expr = result._expr
        return self

    return method


def _unary(name: str) -> Any:
    def method(self: Array) -> Array:
        return getattr(array_module("elementwise"), name)(self)

    return method


_OPERATORS = {
    "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "divide", "floordiv": "floor_divide",
    "mod": "remainder", "pow": "pow", "and": "bitwise_and", "or": "bitwise_or", "xor": "bitwise_xor",
    "lshift": "bitwise_left_shift", "rshift": "bitwise_right_shift",
}
for _op, _func in _OPERATORS.items():
    setattr(Array, f"__{_op}__", _binary(_func))
    setattr(Array, f"__r{_op}__", _binary(_func, reflected=True))
    setattr(Array, f"__i{_op}__", _inplace(_func))
for _op, _func in {"lt": "less", "le": "less_equal", "gt": "greater", "ge": "greater_equal",
                   "eq": "equal", "ne": "not_equal"}.items():
    setattr(Array, f"__{_op}__", _binary(_func))
for _op, _func in {"neg": "negative", "pos": "positive", "abs": "abs", "invert": "bitwise_invert"}.items():
    setattr(Array, f"__{_op}__", _unary(_func))
Array.conj = Array.conjugate = _unary("conj")  # NumPy's methods (xarray's corr and cov call them)
Array.__matmul__ = _binary("matmul")
Array.__rmatmul__ = _binary("matmul", reflected=True)
Array.__imatmul__ = _inplace("matmul")
Array.__hash__ = None  # type: ignore[assignment]  # arrays compare element-wise


def _divmod(reflected: bool) -> Any:
    def method(self: Array, other: Any) -> Any:  # divmod(x, y): NumPy's divmod, two arrays
        if not array_module("elementwise").is_operand(other):
            return NotImplemented
        divmod_ = array_module("ufuncs").divmod
        return divmod_(other, self) if reflected else divmod_(self, other)

    return method


Array.__divmod__, Array.__rdivmod__ = _divmod(False), _divmod(True)
