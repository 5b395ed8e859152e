"""Lazy sources: arrays read block by block from any object with ``shape``, ``dtype`` and ``__getitem__``.

``from_source(z, chunks)`` makes one task per block that slices ``z[block slices]`` when the graph runs,
so a Zarr array, an h5py dataset or one of xarray's lazily indexed backend arrays is never loaded whole:
each task reads its own block (``gpuscale/backends/array/_sources.py``: ``read_block``).
:func:`gpuscale.array.from_array` uses this for every input that is not an in-memory NumPy, CuPy or
array-api-strict array.
"""

from __future__ import annotations

import uuid
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.expr import BlockSlices, Blockwise, blockwise_expr
from gpuscale.backends import array as chunkfn
from gpuscale.backends.array import _sources
from gpuscale.expr.core import Expr, cached_bottom_up

__all__ = ["from_source", "is_lazy_source", "Source", "SourceRead"]


class Source:
    """A sliceable object as a task argument: named by ``token`` (never by its content, which may be
    large or not picklable), sliced by :func:`read_block`."""

    __slots__ = ("value", "token")

    def __init__(self, value: Any, token: str) -> None:
        self.value, self.token = value, token

    def __getitem__(self, key: Any) -> Any:
        return self.value[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        self.value[key] = value

    @property
    def shape(self) -> tuple:
        return tuple(self.value.shape)

    def __gpuscale_tokenize__(self) -> str:
        return self.token

    def __repr__(self) -> str:
        return f"Source({type(self.value).__name__}, {self.token[:8]})"


class SourceRead(Blockwise):
    """A source read block by block (:func:`read_block`), its blocks keyed ``(label, *index)`` when the user
    named the array (dask's ``from_array(..., name=)``), else by a hash of the node as any other."""

    _parameters = [*Blockwise._parameters, "label"]
    _defaults = {**Blockwise._defaults, "label": None}

    @cached_bottom_up
    def _name(self) -> str:
        return str(self.label) if self.label else Expr._name.func(self)

    def read_again(self) -> "SourceRead":
        """The same blocks under another name: a second read of the source (:func:`reread_sources`)."""
        operands = [Source(o.value, o.token + "-again") if isinstance(o, Source) else o for o in self.operands]
        if self.label:
            operands[self._parameters.index("label")] = f"{self.label}-again"
        return self.substitute_operands(operands)


def is_lazy_source(x: Any) -> bool:
    """True for an array-like read by slicing: not an in-memory chunk-library array, not a gpuscale array."""
    return not isinstance(x, Array) and not _sources.is_chunk(x) and all(
        hasattr(x, attr) for attr in ("shape", "dtype", "__getitem__"))


def from_source(x: Any, chunks: Any = "auto", *, backend: str | None = None, name: str | None = None,
                getitem: Any = None, lock: Any = None) -> Array:
    """A lazy array whose block ``i`` is ``x[slices of block i]``, read when computed.

    Parameters
    ----------
    x
        Anything with ``shape``, ``dtype`` and NumPy-style slicing by a tuple of slices (Zarr arrays,
        h5py datasets, xarray's backend arrays, NumPy arrays).  A slice that is not an array yet
        (xarray's lazily indexed arrays) is read with ``numpy.asarray``.
    chunks
        As in :func:`gpuscale.array.asarray` (``"auto"``, an int, per-dimension sizes, a tuple of tuples).
    backend
        Chunk library of the blocks (``"numpy"``, ``"cupy"``, ...; default: the configured backend);
        blocks are read on the host and copied to the device.
    name
        The array's name, which keys its blocks ``(name, *index)``: equal names mean equal data (as ``name=``
        of ``dask.array.from_array``).  By default NumPy data is fingerprinted and other sources get a
        unique name.
    getitem
        ``getitem(x, slices)`` reads a block instead of ``x[slices]`` (dask's ``from_array(getitem=)``).
    lock
        Held around each read (``True``: one lock for this array; or any object with ``acquire`` and
        ``release``): for sources that are not thread-safe, as dask's ``from_array(lock=)``.
    """
    from gpuscale.array.creation import normalize, resolve_backend

    backend = resolve_backend(backend)
    shape = tuple(int(n) for n in x.shape)
    dtype = chunkfn.numpy_dtype(x.dtype)
    # "auto" blocks are made of whole blocks of the source (Zarr shards, else Zarr / HDF5 chunks: a sharded
    # Zarr array is read and written a shard at a time), as dask.array.from_array
    stored = getattr(x, "shards", None) or getattr(x, "chunks", None)
    normalized = normalize(chunks, shape, dtype, backend, _chunks.previous_blocks(stored, shape))
    token = name or _sources.source_token(x) or f"source-{uuid.uuid4().hex}"
    ind = tuple(range(len(shape)))
    if lock is True:  # readers of one process take turns (h5py is not thread-safe); processes read at once
        from gpuscale.runtime.locks import NamedLock

        lock = NamedLock()
    lock = lock or None
    extra = (getitem, lock) if getitem is not None or lock is not None else ()
    node = blockwise_expr(_sources.read_block, ind, normalized, dtype, backend, Source(x, str(token)), BlockSlices(),
                          backend, *extra, node=SourceRead, extra=(name,))
    return Array(node)


# -- reading a source again instead of holding it -----------------------------------------------------------------
def reread_sources(expr: Any) -> Any:
    """``expr`` with a lazy source read anew by each task that needs it *and* a reduction over it.

    ``x - x.mean()`` (xarray's group anomalies: ``x - climatology(x).isel(month=codes)``) needs every block of
    ``x`` twice: for the reduction, and again beside its result, which exists only once all of ``x`` has been
    read.  Holding the blocks in between keeps all of ``x`` in memory (or spills it); a lazy source (Zarr,
    netCDF, HDF5) is cheaper to read again.  So the second use reads from a copy of the source node (same
    data, another name): the first blocks are released as soon as the reduction has consumed them, and memory
    stays at the blocks in flight however large ``x`` is.  In-memory arrays are never copied.
    """
    from gpuscale.array.expr import ArrayExpr
    from gpuscale.expr.core import operands_first

    sets: dict = {}  # name -> (sources read directly, sources read below a reduction)
    for node in operands_first(expr, lambda n: False):
        _reach(node, sets)
    if not any(reduced for _, reduced in sets.values()):
        return expr
    new: dict = {}
    for node in operands_first(expr, lambda n: False):
        operands = [new.get(o._name, o) if isinstance(o, ArrayExpr) else o for o in node.operands]
        if isinstance(node, ArrayExpr):  # not a Tuple of outputs: it runs no task that would hold both
            reduced = frozenset().union(*(sets[o._name][1] for o in operands if isinstance(o, ArrayExpr)))
            operands = [_copy_reads(o, sets[o._name][0] & reduced, sets)
                        if isinstance(o, ArrayExpr) and sets[o._name][0] & reduced else o for o in operands]
        out = node.substitute_operands(operands)
        _reach(out, sets)
        new[node._name] = out
    return new[expr._name]


def _is_read(node: Any) -> bool:
    return isinstance(node, SourceRead)


def _reach(node: Any, sets: dict) -> None:
    """Record which source reads ``node`` depends on directly and which only through a reduction."""
    from gpuscale.array.reductions import TreeReduce

    if node._name in sets:
        return
    if _is_read(node):
        sets[node._name] = (frozenset((node._name,)), frozenset())
        return
    deps = [sets[d._name] for d in node.dependencies() if d._name in sets]
    direct = frozenset().union(*(d for d, _ in deps))
    reduced = frozenset().union(*(r for _, r in deps))
    sets[node._name] = (frozenset(), direct | reduced) if isinstance(node, TreeReduce) else (direct, reduced)


def _copy_reads(root: Any, targets: frozenset, sets: dict) -> Any:
    """``root`` with the reads named in ``targets`` (reached without passing a reduction) replaced by copies."""
    from gpuscale.array.expr import ArrayExpr
    from gpuscale.array.reductions import TreeReduce
    from gpuscale.expr.core import operands_first

    def untouched(n: Any) -> bool:
        return n._name not in sets or isinstance(n, TreeReduce) or not (sets[n._name][0] & targets)

    new: dict = {}
    for node in operands_first(root, untouched):
        if _is_read(node):
            out = node.read_again()
        else:
            out = node.substitute_operands([new.get(o._name, o) if isinstance(o, ArrayExpr) else o
                                            for o in node.operands])
        _reach(out, sets)
        new[node._name] = out
    return new[root._name]
