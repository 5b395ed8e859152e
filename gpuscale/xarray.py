"""xarray integration: ``GpuscaleManager``, xarray's chunk manager for gpuscale arrays.

Registered under the ``xarray.chunkmanagers`` entry point as ``"gpuscale"``, so

>>> ds = ds.chunk({"time": 10}, chunked_array_type="gpuscale")                         # doctest: +SKIP
>>> ds = xr.open_zarr(path, chunked_array_type="gpuscale")                              # doctest: +SKIP
>>> ds = xr.open_dataset(path, chunks={"time": 10}, chunked_array_type="gpuscale",
...                      from_array_kwargs={"backend": "cupy"})                        # doctest: +SKIP

hold lazy :class:`gpuscale.array.Array` objects in their variables; xarray operations build gpuscale
expressions and ``.compute()`` / ``.load()`` run them.  dask stays xarray's default chunk manager
(``xr.set_options(chunk_manager="gpuscale")`` makes gpuscale the default).  docs/xarray.md lists what
works and what does not.

Compatibility shims (installed when this module is imported: when xarray first loads this manager, or when
``gpuscale.array`` is imported after xarray; each touches gpuscale arrays only):

* gpuscale arrays speak the Dask collection protocol, so xarray's dask manager would claim them too
  ("Multiple ChunkManagers recognise type"): its ``is_chunked_array`` answers False for them.
* xarray asks ``is_dask_collection`` of every array at nearly every step, and dask's answer builds the
  whole task graph (``x.__dask_graph__() is not None``): for gpuscale arrays the answer (yes) is given
  without building it.
* gpuscale arrays' ``dtype`` is an Array API dtype object that wraps (and compares equal to) a NumPy
  dtype: a variable's ``dtype`` is the NumPy dtype, as on dask (``np.result_type(da_a, da_b)``, which
  ``xr.cross`` calls, reads it and cannot convert the wrapper); ``xarray.core.dtypes.maybe_promote`` (used by ``where``, ``fillna``, ``shift``, ``reindex``,
  skipna reductions ...) and the subtype check behind ``is_datetime_like`` (``mean`` of times, ``polyval``)
  accept NumPy dtypes only, so they are handed the wrapped NumPy dtype; the check for a number meeting a
  string (which promotes to object) is asked with NumPy dtypes; Python scalars meeting gpuscale data (the NaN that
  ``where``, ``reindex`` or an outer ``align`` fill with) promote by NumPy's rules (bool and NaN give float64),
  not by xarray's fallback for other namespaces (which reads a Python float as float32).
* ``xarray.map_blocks`` builds a dask graph over the inputs' blocks and wraps its results in dask arrays: with
  gpuscale inputs, those become gpuscale arrays over the same graph, and the template it infers (without
  ``template=``) holds NumPy dtypes, which dask reads (not array-api-strict's).  These live in
  ``gpuscale/_xarray_dask.py``.
* ``ds.chunk({...})`` without ``chunked_array_type=`` asks xarray's default manager (dask), which would wrap a
  gpuscale array in a dask array: gpuscale arrays are rechunked as gpuscale arrays, and the in-memory variables
  of a Dataset whose chunked variables are gpuscale arrays are chunked as gpuscale arrays (on their backend).
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Iterable

from xarray.core.indexing import ImplicitToExplicitIndexingAdapter
from xarray.namedarray.parallelcompat import ChunkManagerEntrypoint

from gpuscale._xarray_dask import _infer_template_shim, _map_blocks_shim, _to_dask_dataframe_shim

__all__ = ["GpuscaleManager"]

_DASK_ONLY_FROM_ARRAY = ("lock", "inline_array", "asarray", "meta", "fancy", "getitem", "chunktype")
# dask.compute / dask.persist keywords with no gpuscale meaning: plans are always optimized, and xarray hands over
# its arrays one by one (ds.compute(optimize_graph=False) works on dask)
_DASK_ONLY_COMPUTE = ("optimize_graph", "traverse")


def _ga() -> Any:
    import gpuscale.array as ga

    return ga


def _array_cls() -> type:
    from gpuscale.array.core import Array

    return Array


class GpuscaleManager(ChunkManagerEntrypoint):
    """xarray's interface to gpuscale arrays (``chunked_array_type="gpuscale"``)."""

    available: bool = True

    def __init__(self) -> None:
        self.array_cls = _array_cls()
        _install_shims()

    # -- what a gpuscale array is and how it is chunked ---------------------------------------------------------
    def is_chunked_array(self, data: Any) -> bool:
        return isinstance(data, self.array_cls)

    def chunks(self, data: Any) -> tuple:
        return data.chunks

    def normalize_chunks(self, chunks: Any, shape: tuple | None = None, limit: int | None = None,
                         dtype: Any = None, previous_chunks: Any = None) -> tuple:
        """Explicit block lengths, as ``dask.array.core.normalize_chunks``.

        ``None`` or ``-1`` for a dimension is the whole dimension, ``"auto"`` a size chosen for
        ``limit`` bytes per block (default: gpuscale's ``array.chunk_bytes`` for the configured backend),
        made of whole ``previous_chunks`` (the chunks on disk) where those are given, as dask chooses them.
        """
        from gpuscale.array.chunking import normalize_chunks

        if isinstance(chunks, (tuple, list)) and shape is not None and len(chunks) == len(shape) and \
                previous_chunks is not None:
            chunks = _auto_from_previous(tuple(chunks), previous_chunks)
        # gpuscale's public rule (dask's signature); xarray may leave the dtype out: float64 blocks then
        return normalize_chunks(chunks, shape, limit or self.get_auto_chunk_size(),
                                dtype if dtype is not None else "float64", previous_chunks)

    def get_auto_chunk_size(self) -> int:
        """Bytes per block for ``chunks="auto"``: ``array.chunk_bytes.cpu`` (or ``.gpu`` on a GPU backend)."""
        from gpuscale.array.creation import chunk_bytes, resolve_backend

        return int(chunk_bytes(resolve_backend(None)))

    # -- making and changing chunked arrays ------------------------------------------------------------------------
    def from_array(self, data: Any, chunks: Any, **kwargs: Any) -> Any:
        """A gpuscale array over ``data``: in-memory arrays are split into blocks; anything else
        (xarray's lazily indexed backend arrays, Zarr arrays) is read block by block when computed.

        Data of a dtype gpuscale arrays cannot hold (NumPy strings, objects, ``datetime64`` / ``timedelta64``
        on other chunks than NumPy's; objects lazily indexed on disk) is returned as it was, in memory or lazily
        indexed on disk, so that ``ds.chunk()`` chunks a Dataset with string coordinates on CuPy and keeps those
        in memory.  On NumPy chunks, strings are chunked as on dask (a chunked string coordinate groups lazily
        with ``UniqueGrouper(labels=...)``), and so are in-memory object arrays (booleans or integers with
        missing values, strings, any objects).

        ``from_array_kwargs``: ``backend=`` (``"numpy"``, ``"cupy"``, ...) and ``name=``; dask-only ones
        (``lock``, ``inline_array``, ``asarray``, ``meta``) are ignored.
        """
        from gpuscale.array.sources import from_source
        from gpuscale.backends.array import _sources

        for key in _DASK_ONLY_FROM_ARRAY:
            kwargs.pop(key, None)
        backend = kwargs.pop("backend", None)
        name = kwargs.pop("name", None)
        if kwargs:
            raise TypeError(f"gpuscale from_array: unexpected keyword arguments {sorted(kwargs)}")
        if not (_holds(data.dtype, backend) or _object_data(data, backend)):
            # xarray wraps its lazily indexed arrays in an adapter for from_array: the variable keeps the array itself
            return data.array if isinstance(data, ImplicitToExplicitIndexingAdapter) else data
        shape = tuple(int(n) for n in data.shape)
        if isinstance(chunks, dict):
            chunks = tuple(chunks.get(d, -1) for d in range(len(shape)))
        if isinstance(chunks, tuple) and any(n == 0 for n in shape):
            chunks = tuple(n if c in ("auto", None, -1) else c for c, n in zip(chunks, shape))
        if _sources.is_chunk(data):
            return _ga().from_array(data, chunks, backend=backend, name=name)
        return from_source(data, chunks, backend=backend, name=name)

    def rechunk(self, data: Any, chunks: Any, **kwargs: Any) -> Any:
        if isinstance(chunks, dict):
            chunks = {a % data.ndim: c for a, c in chunks.items()}
            chunks = tuple(chunks.get(d, data.chunks[d]) for d in range(data.ndim))
        if isinstance(chunks, (tuple, list)) and len(chunks) == data.ndim:
            chunks = tuple(old if c is None else c for c, old in zip(chunks, data.chunks))
            if any(n == 0 for n in data.shape):
                chunks = tuple(n if c == "auto" else c for c, n in zip(chunks, data.shape))
        return data.rechunk(chunks)

    def unify_chunks(self, *args: Any, **kwargs: Any) -> tuple[dict, list]:
        """Common blocks for arrays paired with index strings, as ``dask.array.core.unify_chunks``."""
        from gpuscale.array import _chunks

        if not args:
            return {}, []
        pairs = list(zip(args[::2], args[1::2]))
        letters: dict = {}
        for a, ind in pairs:
            if ind is not None and isinstance(a, self.array_cls):
                for letter, c, n in zip(ind, a.chunks, a.shape):
                    if n != 1 or len(c) != 1:
                        letters.setdefault(letter, []).append(c)
        common = {k: _chunks.common_chunks(v) for k, v in letters.items()}
        out = []
        for a, ind in pairs:
            if ind is None or not isinstance(a, self.array_cls):
                out.append(a)
                continue
            target = tuple(common.get(letter, c) if n != 1 or len(c) != 1 else c
                           for letter, c, n in zip(ind, a.chunks, a.shape))
            out.append(a if target == a.chunks else a.rechunk(target))
        return common, out

    def shuffle(self, x: Any, indexer: list, axis: int, chunks: Any) -> Any:
        """Reorder ``axis`` so that each group of ``indexer`` is contiguous and in one block, as
        ``dask.array.shuffle``: a planned take (``gpuscale.array.gather``) whose output blocks are the packed
        groups, each reading only the input blocks that hold its elements."""
        from gpuscale.array.gather import host_take

        if chunks not in (None, "auto"):
            raise NotImplementedError("shuffle: only chunks='auto' is supported (as in xarray's dask manager)")
        flat = [int(i) for group in indexer for i in group]
        sizes = [len(group) for group in indexer if len(group)]
        target = _group_blocks(sizes, x.chunksize[axis] if x.chunks[axis] else 1)
        return host_take(x, flat, axis if axis >= 0 else axis + x.ndim, target or None)

    # -- computing ------------------------------------------------------------------------------------------------
    def compute(self, *data: Any, **kwargs: Any) -> tuple:
        from gpuscale.collection import compute

        kwargs = {k: v for k, v in kwargs.items() if k not in _DASK_ONLY_COMPUTE}
        arrays = [d for d in data if isinstance(d, self.array_cls)]
        results = iter(compute(*arrays, **kwargs) if arrays else ())
        return tuple(next(results) if isinstance(d, self.array_cls) else d for d in data)

    def persist(self, *data: Any, **kwargs: Any) -> tuple:
        from gpuscale.collection import persist

        kwargs = {k: v for k, v in kwargs.items() if k not in _DASK_ONLY_COMPUTE}
        arrays = [d for d in data if isinstance(d, self.array_cls)]
        results = iter(persist(*arrays, **kwargs) if arrays else ())
        return tuple(next(results) if isinstance(d, self.array_cls) else d for d in data)

    @property
    def array_api(self) -> Any:
        """gpuscale.array, with the masked-array functions xarray looks up there (``masked_invalid``,
        ``getmaskarray``; on dask it takes them from ``dask.array.ma``)."""
        return _xarray_namespace()

    # -- block-level building blocks --------------------------------------------------------------------------
    def reduction(self, arr: Any, func: Callable, combine_func: Callable | None = None,
                  aggregate_func: Callable | None = None, axis: Any = None, dtype: Any = None,
                  keepdims: bool = False) -> Any:
        return _ga().reduction(arr, func, aggregate_func or func, combine=combine_func, axis=axis,
                               dtype=dtype if dtype is not None else arr.dtype, keepdims=keepdims)

    def scan(self, func: Callable, binop: Callable, ident: float, arr: Any, axis: int | None = None,
             dtype: Any = None, **kwargs: Any) -> Any:
        from gpuscale.array.scan import cumreduction

        return cumreduction(func, binop, ident, arr, axis=axis, dtype=dtype, method=kwargs.pop("method", "sequential"),
                            preop=kwargs.pop("preop", None))

    def apply_gufunc(self, func: Callable, signature: str, *args: Any, axes: Any = None, axis: Any = None,
                     keepdims: bool = False, output_dtypes: Any = None, output_sizes: dict | None = None,
                     vectorize: bool | None = None, allow_rechunk: bool = False, meta: Any = None,
                     **kwargs: Any) -> Any:
        from gpuscale.array.gufuncs import apply_gufunc

        return apply_gufunc(func, signature, *args, axes=axes, axis=axis, keepdims=keepdims,
                            output_dtypes=output_dtypes, output_sizes=output_sizes, vectorize=vectorize,
                            allow_rechunk=allow_rechunk, meta=meta, **kwargs)

    def map_blocks(self, func: Callable, *args: Any, dtype: Any = None, chunks: Any = None,
                   drop_axis: Any = None, new_axis: Any = None, **kwargs: Any) -> Any:
        meta = kwargs.pop("meta", None)
        for key in ("name", "token", "enforce_ndim"):
            kwargs.pop(key, None)
        if dtype is None and meta is not None and hasattr(meta, "dtype"):
            dtype = meta.dtype
        return _ga().map_blocks(func, *args, dtype=dtype, chunks=chunks, drop_axis=drop_axis or (),
                                new_axis=new_axis or (), **kwargs)

    def blockwise(self, func: Callable, out_ind: Iterable, *args: Any, name: str | None = None,
                  token: Any = None, dtype: Any = None, adjust_chunks: dict | None = None,
                  new_axes: dict | None = None, align_arrays: bool = True, concatenate: bool | None = None,
                  meta: Any = None, **kwargs: Any) -> Any:
        if dtype is None and meta is not None and hasattr(meta, "dtype"):
            dtype = meta.dtype
        return _ga().blockwise(func, out_ind, *args, dtype=dtype, concatenate=bool(concatenate),
                               new_axes=new_axes, adjust_chunks=adjust_chunks, **kwargs)

    def store(self, sources: Any, targets: Any, **kwargs: Any) -> Any:
        """``gpuscale.array.store`` (``regions=``, ``lock=``, ``compute=``, ``return_stored=``); xarray's
        ``to_zarr`` writes through here, the variables in the order of their names."""
        if not isinstance(sources, (list, tuple)) or len(sources) < 2:
            return _ga().store(sources, targets, **kwargs)
        # xarray lists new variables in the order of a set of their names, which changes with PYTHONHASHSEED;
        # the runtime walks the writes in the order given, so its order (and peak memory) followed the seed
        order = _by_name(targets)
        regions = kwargs.get("regions")
        if isinstance(regions, list) and len(regions) == len(order):
            kwargs["regions"] = [regions[i] for i in order]
        result = _ga().store([sources[i] for i in order], [targets[i] for i in order], **kwargs)
        if not isinstance(result, (list, tuple)):
            return result
        back = [None] * len(order)  # lazy writes or stored arrays: in the caller's order
        for at, i in enumerate(order):
            back[i] = result[at]
        return type(result)(back)


def _by_name(targets: Any) -> list:
    """Positions of ``targets`` in the order of their names (a Zarr array's ``path``, else ``name``); the
    given order where some have none."""
    names = [getattr(t, "path", None) or getattr(t, "name", None) for t in targets]
    if not all(isinstance(n, str) for n in names):
        return list(range(len(names)))
    return sorted(range(len(names)), key=names.__getitem__)


# xarray's duck_array_ops dispatch these by name to the chunk manager's namespace (dask: dask.array.ma)
_FROM_MA = ("masked_invalid", "getmaskarray")


@functools.lru_cache(maxsize=1)
def _xarray_namespace() -> Any:
    """A module that is gpuscale.array plus gpuscale.array.ma's ``_FROM_MA`` functions."""
    import types

    ga = _ga()

    class Namespace(types.ModuleType):
        def __getattr__(self, name: str) -> Any:
            return getattr(ga.ma, name) if name in _FROM_MA else getattr(ga, name)

        def __dir__(self) -> list:
            return sorted({*dir(ga), *_FROM_MA})

    return Namespace(ga.__name__, ga.__doc__)


def _object_data(data: Any, backend: str | None) -> bool:
    """Objects (numbers with missing values, strings read from netCDF, any objects) and raw bytes (``V``) for
    NumPy chunks, in memory or lazily indexed on disk: chunked, as dask does."""
    from gpuscale.array.creation import resolve_backend
    from gpuscale.backends import array as chunkfn

    return resolve_backend(backend) == "numpy" and chunkfn.numpy_dtype(data.dtype).kind in "OV"


def _holds(dtype: Any, backend: str | None = None) -> bool:
    """Whether gpuscale arrays on ``backend`` hold ``dtype``: the 13 Array API dtypes, and time types and NumPy
    strings on NumPy chunks (CuPy and array-api-strict have none)."""
    from gpuscale.array.creation import resolve_backend
    from gpuscale.backends import array as chunkfn

    np_dtype = chunkfn.numpy_dtype(dtype)
    if np_dtype.kind in "mMUS":
        return resolve_backend(backend) == "numpy"
    return np_dtype.name in chunkfn.DTYPE_NAMES


def _auto_from_previous(chunks: tuple, previous: Any) -> tuple:
    """``None`` entries take the previous (on-disk) chunks; ``"auto"`` ones are chosen from them later."""
    return tuple(p if c is None and p is not None else c for c, p in zip(chunks, tuple(previous)))


def _group_blocks(sizes: list, target: int) -> tuple:
    """Block lengths that keep each group whole, packing groups up to about ``target`` per block."""
    blocks: list = []
    for size in sizes:
        if blocks and blocks[-1] + size <= target:
            blocks[-1] += size
        else:
            blocks.append(size)
    return tuple(blocks)


def _naming_chunks(maybe_chunk: Callable) -> Callable:
    """xarray's ``_maybe_chunk`` names the arrays it makes (``name_prefix`` + variable name + a token of the data
    and chunks: ``xarray-<this-array>-...``) for its dask manager only: gpuscale's get the same names when the data
    are in memory (there the token is a hash of the values; a gpuscale name stands for its data, and xarray's
    token of data on disk need not tell two variables' data apart)."""
    @functools.wraps(maybe_chunk)
    def wrapper(name: Any, var: Any, chunks: Any, token: Any = None, lock: Any = None, name_prefix: str = "xarray-",
                overwrite_encoded_chunks: bool = False, inline_array: bool = False, chunked_array_type: Any = None,
                from_array_kwargs: Any = None, just_use_token: bool = False) -> Any:
        from xarray.namedarray.parallelcompat import guess_chunkmanager

        from gpuscale.backends.array import _sources

        if var.ndim and _sources.is_chunk(var._data) and "name" not in (from_array_kwargs or {}) \
                and isinstance(guess_chunkmanager(chunked_array_type), GpuscaleManager):
            if not just_use_token:
                from dask.base import tokenize

                used = {dim: chunks[dim] for dim in var.dims if dim in chunks} if chunks is not None else None
                token = tokenize(token or var._data, str(used))  # as xarray's for dask: new chunks, new name
            from_array_kwargs = {**(from_array_kwargs or {}), "name": f"{name_prefix}{name}-{token}"}
        return maybe_chunk(name, var, chunks, token, lock, name_prefix, overwrite_encoded_chunks, inline_array,
                           chunked_array_type, from_array_kwargs, just_use_token)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


def _unwrapping_dtype(func: Callable) -> Callable:
    """``func(dtype, ...)`` given the NumPy dtype a gpuscale dtype wraps."""
    from gpuscale.array.dtypes import DType

    @functools.wraps(func)
    def wrapper(dtype: Any, *args: Any) -> Any:
        return func(dtype.dtype if isinstance(dtype, DType) else dtype, *args)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


def _numpy_promotion(check: Callable) -> Callable:
    """xarray's ``should_promote_to_object(arrays_and_dtypes, xp)`` asked with NumPy dtypes in place of gpuscale
    arrays and dtypes: it counts only results that are NumPy dtypes, so a number and a string concatenated over
    gpuscale data became a string (``Variable.concat([ints, strings])``) where NumPy data become objects."""
    from gpuscale.array.core import Array
    from gpuscale.array.dtypes import DType

    def numpy_side(x: Any) -> Any:
        return x.dtype.dtype if isinstance(x, Array) else x.dtype if isinstance(x, DType) else x

    @functools.wraps(check)
    def wrapper(arrays_and_dtypes: Any, xp: Any) -> Any:
        arrays_and_dtypes = list(arrays_and_dtypes)
        if any(isinstance(x, (Array, DType)) for x in arrays_and_dtypes):
            from gpuscale.backends import array as chunkfn

            arrays_and_dtypes, xp = [numpy_side(x) for x in arrays_and_dtypes], chunkfn.module_for("numpy")
        return check(arrays_and_dtypes, xp)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


def _numpy_scalar_promotion(result_type: Callable) -> Callable:
    """xarray's ``array_api_compat.result_type(*arrays_and_dtypes, xp)`` with gpuscale data and Python scalars
    promoted by gpuscale's ``result_type`` (NumPy's rules: ``bool`` and ``nan`` give ``float64``): xarray's
    fallback for namespaces other than NumPy's reads a Python float as ``float32``, so masking, reindexing or
    aligning a bool or integer variable gave float32 where NumPy and dask give float64."""
    from gpuscale.array.core import Array
    from gpuscale.array.dtypes import DType

    @functools.wraps(result_type)
    def wrapper(*arrays_and_dtypes: Any, xp: Any) -> Any:
        if any(isinstance(x, (Array, DType)) for x in arrays_and_dtypes) and \
                not any(isinstance(x, (str, bytes)) or x is str or x is bytes for x in arrays_and_dtypes):
            return _ga().result_type(*arrays_and_dtypes)
        return result_type(*arrays_and_dtypes, xp=xp)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


def _chunking_with_the_data_manager(chunk: Callable) -> Callable:
    """``Dataset.chunk`` (and ``DataArray.chunk``, which calls it) without ``chunked_array_type=``, of a Dataset
    whose chunked variables are all gpuscale arrays, under dask as xarray's default manager: the in-memory
    variables are chunked as gpuscale arrays too, on the backend of the chunked ones where they share one (dask
    would chunk them as dask arrays, and the Dataset would mix two chunked array types, which compute refuses)."""
    from xarray.namedarray import daskmanager
    from xarray.namedarray.parallelcompat import guess_chunkmanager
    from xarray.namedarray.pycompat import is_chunked_array

    from gpuscale.array.core import Array

    @functools.wraps(chunk)
    def wrapper(self: Any, chunks: Any = {}, name_prefix: str = "xarray-", token: Any = None,  # noqa: B006
                lock: bool = False, inline_array: bool = False, chunked_array_type: Any = None,
                from_array_kwargs: Any = None, **chunks_kwargs: Any) -> Any:
        chunked = [v._data for v in self.variables.values() if is_chunked_array(v._data)]
        if chunked_array_type is None and chunked and all(isinstance(d, Array) for d in chunked) and \
                isinstance(guess_chunkmanager(None), daskmanager.DaskManager):
            chunked_array_type = "gpuscale"
            backends = {d.backend for d in chunked}
            if len(backends) == 1 and "backend" not in (from_array_kwargs or {}):
                from_array_kwargs = {**(from_array_kwargs or {}), "backend": backends.pop()}
        return chunk(self, chunks, name_prefix, token, lock, inline_array, chunked_array_type, from_array_kwargs,
                     **chunks_kwargs)

    wrapper._gpuscale_shim = True  # type: ignore[attr-defined]
    return wrapper


@functools.lru_cache(maxsize=1)
def _install_shims() -> None:
    import xarray
    from xarray.compat import array_api_compat as xr_array_api_compat
    from xarray.core import dtypes as xr_dtypes, indexing, parallel
    from xarray.namedarray import daskmanager, utils as xr_utils
    from xarray.namedarray.core import NamedArray
    from xarray.namedarray.parallelcompat import guess_chunkmanager

    from gpuscale.array.core import Array
    from gpuscale.array.dtypes import DType

    dask_claims = daskmanager.DaskManager.is_chunked_array
    if not getattr(dask_claims, "_gpuscale_shim", False):
        def is_chunked_array(self: Any, data: Any) -> bool:
            return False if isinstance(data, Array) else dask_claims(self, data)

        is_chunked_array._gpuscale_shim = True  # type: ignore[attr-defined]
        daskmanager.DaskManager.is_chunked_array = is_chunked_array  # type: ignore[method-assign]

    namedarray_chunk = NamedArray.chunk
    if not getattr(namedarray_chunk, "_gpuscale_shim", False):
        @functools.wraps(namedarray_chunk)
        def chunk(self: Any, chunks: Any = {}, chunked_array_type: Any = None,  # noqa: B006 (xarray's default)
                  from_array_kwargs: Any = None, **chunks_kwargs: Any) -> Any:
            # ds.chunk({...}) without chunked_array_type= goes to xarray's default manager (dask), which would wrap
            # a gpuscale array in a dask array: a gpuscale array is rechunked as one (dims not named keep their
            # blocks, as dask's rechunk of dask arrays), with dask's from_array keywords (name=, lock=) left out
            if isinstance(self._data, Array) and isinstance(guess_chunkmanager(chunked_array_type),
                                                            daskmanager.DaskManager):
                chunked_array_type, from_array_kwargs = "gpuscale", None
            return namedarray_chunk(self, chunks, chunked_array_type=chunked_array_type,
                                    from_array_kwargs=from_array_kwargs, **chunks_kwargs)

        chunk._gpuscale_shim = True  # type: ignore[attr-defined]
        NamedArray.chunk = chunk  # type: ignore[method-assign]

    oindex_get = indexing.DaskIndexingAdapter._oindex_get
    if not getattr(oindex_get, "_gpuscale_shim", False):
        def _oindex_get(self: Any, indexer: Any) -> Any:
            # xarray's outer indexing tries x[list, list] first, which dask refuses; gpuscale reads it
            # point-wise (NumPy's and the Array API's meaning), so gpuscale arrays index each axis on its own
            if isinstance(self.array, Array):
                return self.array.oindex[indexer.tuple]
            return oindex_get(self, indexer)

        _oindex_get._gpuscale_shim = True  # type: ignore[attr-defined]
        indexing.DaskIndexingAdapter._oindex_get = _oindex_get  # type: ignore[method-assign]

    collection_check = xr_utils.is_dask_collection
    if not getattr(collection_check, "_gpuscale_shim", False):
        def is_dask_collection(x: Any) -> bool:
            # dask's check builds the whole task graph (``x.__dask_graph__() is not None``), and xarray asks it
            # of every array at every step: a gpuscale array is a collection without building anything
            return True if isinstance(x, Array) else collection_check(x)

        is_dask_collection._gpuscale_shim = True  # type: ignore[attr-defined]
        xr_utils.is_dask_collection = is_dask_collection

    namedarray_dtype = NamedArray.dtype
    if not getattr(namedarray_dtype.fget, "_gpuscale_shim", False):
        def dtype(self: Any) -> Any:
            # a variable's dtype is NumPy's, as on dask (np.result_type(da_a, da_b) reads it and cannot convert
            # the Array API dtype object gpuscale arrays carry)
            value = namedarray_dtype.fget(self)
            return value.dtype if isinstance(value, DType) else value

        dtype._gpuscale_shim = True  # type: ignore[attr-defined]
        NamedArray.dtype = property(dtype, doc=namedarray_dtype.__doc__)  # type: ignore[method-assign,assignment]

    # xarray's dtype checks that accept NumPy dtypes only (``isinstance(dtype, np.dtype)``; the subtype check
    # behind is_datetime_like answers False for anything else): handed the wrapped NumPy dtype
    for name in ("maybe_promote", "_is_numpy_subdtype"):
        check = getattr(xr_dtypes, name)
        if not getattr(check, "_gpuscale_shim", False):
            setattr(xr_dtypes, name, _unwrapping_dtype(check))

    if not getattr(xr_dtypes.should_promote_to_object, "_gpuscale_shim", False):
        xr_dtypes.should_promote_to_object = _numpy_promotion(xr_dtypes.should_promote_to_object)
    if not getattr(xr_array_api_compat.result_type, "_gpuscale_shim", False):  # dtypes.result_type calls it
        xr_array_api_compat.result_type = _numpy_scalar_promotion(xr_array_api_compat.result_type)

    from xarray.core import dataset as xr_dataset

    if not getattr(xr_dataset._maybe_chunk, "_gpuscale_shim", False):  # Dataset.chunk's (imported by name)
        xr_dataset._maybe_chunk = _naming_chunks(xr_dataset._maybe_chunk)

    if not getattr(xarray.Dataset.chunk, "_gpuscale_shim", False):
        xarray.Dataset.chunk = _chunking_with_the_data_manager(xarray.Dataset.chunk)  # type: ignore[method-assign]

    if not getattr(xarray.Dataset.to_dask_dataframe, "_gpuscale_shim", False):
        xarray.Dataset.to_dask_dataframe = _to_dask_dataframe_shim(xarray.Dataset.to_dask_dataframe)

    if not getattr(parallel.map_blocks, "_gpuscale_shim", False):
        # DataArray.map_blocks and Dataset.map_blocks import it from xarray.core.parallel when called
        xarray.map_blocks = parallel.map_blocks = _map_blocks_shim(parallel.map_blocks)
    if not getattr(parallel.infer_template, "_gpuscale_shim", False):  # map_blocks calls it by module name
        parallel.infer_template = _infer_template_shim(parallel.infer_template)


# importing this module is enough (xr.DataArray(ga_array) without a .chunk(chunked_array_type="gpuscale") first)
_install_shims()
