"""Zarr IO: ``from_zarr`` reads lazily, block by block; ``to_zarr`` writes whole Zarr chunks, one per task.

Works with zarr-python 3 on local paths, ``fsspec`` URLs (``memory://``, ``s3://``, ... with
``storage_options=``), store objects, ``zarr.Group`` (with ``component=``) and ``zarr.Array`` objects.
The Zarr calls themselves are in ``gpuscale/backends/zarr_io.py``.

What a failed ``to_zarr`` leaves behind
---------------------------------------
Zarr writes chunk by chunk (one store key per chunk, or per shard for sharded arrays), and each task
of ``to_zarr`` writes whole chunks of its own, so no chunk is ever written by two tasks.  When a block
fails to compute, the local runtime starts no further task and waits for the running ones, then:

* ``to_zarr`` that **created** the array (no ``region=``; with ``overwrite=True`` this includes replacing an
  existing one) **deletes the array** (its metadata and every chunk written so far) and re-raises: no
  half-written array remains.  What ``overwrite=True`` replaced is gone already.  Groups created on the
  way to ``component`` stay (empty).
* ``to_zarr(..., region=...)`` into an **existing** array deletes nothing: the chunks whose tasks finished
  hold the new data, every other chunk keeps its previous content (a chunk is written whole or not at
  all by one task; a storage back end that is interrupted mid-write may still leave that one key
  partial).
* With ``compute=False`` nothing is cleaned up: the returned write array does the writes when computed
  and the array already exists.
* On a ``distributed`` cluster, tasks already running elsewhere when one fails may still write chunks
  after the array was deleted.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.backends import zarr_io
from gpuscale.expr.tokenize import tokenize

__all__ = ["from_zarr", "to_zarr", "aligned_chunks"]


def from_zarr(url: Any, component: str | None = None, chunks: Any = None, storage_options: dict | None = None, *,
              backend: str | None = None, name: str | None = None, inline_array: bool = False) -> Array:
    """A lazy array reading a Zarr array block by block, as ``dask.array.from_zarr``.

    Parameters
    ----------
    url
        A local path, an ``fsspec`` URL (``"memory://x"``, ``"s3://bucket/x"``), a store, a
        ``zarr.Group`` or a ``zarr.Array``.
    component
        The array's path inside the store or group.
    chunks
        Blocks of the result (default: the Zarr chunks; any ``chunks=`` form of
        :func:`gpuscale.array.asarray`).  Blocks that are multiples of the Zarr chunks read fastest.
    storage_options
        Passed to ``fsspec`` for URLs.
    backend
        Chunk library (``"numpy"``, ``"cupy"``; default: the configured backend).  Chunks are read on
        the host and copied to the device.
    name
        A name for the data (default: from the store path, shape, dtype and chunks).
    inline_array
        dask's graph option, accepted for ported code (each block's task reads the Zarr array).

    Examples
    --------
    >>> import os, tempfile, numpy as np, gpuscale.array as ga
    >>> path = os.path.join(tempfile.mkdtemp(), "x.zarr")
    >>> ga.to_zarr(ga.asarray(np.arange(10.0), chunks=5), path)
    >>> x = ga.from_zarr(path)
    >>> x.chunks, float(x.sum().compute())
    (((5, 5),), 45.0)
    """
    from gpuscale.array.sources import from_source

    z = zarr_io.open_array(url, component, storage_options, mode="r")
    info = zarr_io.describe(z)
    chunks = info["chunks"] if chunks is None else chunks
    token = name or "zarr-" + tokenize(info["path"], info["shape"], info["dtype"].str, info["chunks"], chunks)
    return from_source(z, chunks, backend=backend, name=token, getitem=_read_block)


def _read_block(z: Any, slices: tuple) -> Any:
    """``z[slices]``; where a stored chunk fails to read (does not decompress ...), the error names it."""
    from gpuscale.backends.io.source_errors import raise_naming

    try:
        return z[slices]
    except Exception as error:  # noqa: BLE001 - re-raised as its type, naming the chunk
        raise_naming(error, _failing_chunk(z, slices))


def _failing_chunk(z: Any, slices: tuple) -> str:
    """The Zarr chunk (the shard, for a sharded array) of ``slices`` that fails alone: each is read again on
    the error path; the block's slices where none does."""
    import itertools

    where = repr(str(z.store_path))
    if not isinstance(slices, tuple) or not all(isinstance(s, slice) for s in slices):
        return f"Zarr array {where}"
    grid = zarr_io.write_chunks(z)
    spans = [range((s.start or 0) // g, -(-(n if s.stop is None else s.stop) // g))
             for s, g, n in zip(slices, grid, z.shape)]
    for coords in itertools.product(*spans):
        try:
            z[tuple(slice(c * g, (c + 1) * g) for c, g in zip(coords, grid))]
        except Exception:  # noqa: BLE001 - this one fails: name it
            return f"Zarr chunk {z.metadata.encode_chunk_key(coords)!r} of {where}"
    return f"Zarr array {where} at {slices}"


def aligned_chunks(x_chunks: tuple, starts: tuple, write_chunks: tuple) -> tuple:
    """Blocks for writing an array with ``x_chunks`` at ``starts`` into a grid of ``write_chunks``.

    Keeps ``x_chunks`` where every block boundary falls on a grid line (each Zarr chunk then belongs to
    one block); otherwise the blocks become the grid cells inside the region (as ``dask.array.to_zarr``
    rechunks to the Zarr chunks).
    """
    out = []
    for dim, start, size in zip(x_chunks, starts, write_chunks):
        length = int(sum(dim))
        bounds = [start + b for b in _chunks.offsets(dim)[1:]]
        if all(b % size == 0 for b in bounds):
            out.append(tuple(dim))
            continue
        cuts = [0] + [g - start for g in range((start // size + 1) * size, start + length, size)] + [length]
        out.append(tuple(b - a for a, b in zip(cuts, cuts[1:])) or (0,))
    return tuple(out)


def _warn_rechunked(created: bool, chunks: tuple, target: tuple) -> None:
    """dask's warnings where ``to_zarr`` rechunks before writing: blocks of irregular lengths for a new array (a
    UserWarning), blocks not on the chunk grid of an existing array or region (a PerformanceWarning)."""
    import warnings

    from gpuscale.array.interop import PerformanceWarning

    if created:
        warnings.warn(f"to_zarr: The array uses irregular chunk sizes {chunks}; they are rechunked to {target}, "
                      "Zarr's regular chunks, before writing (as dask)", UserWarning, stacklevel=3)
    else:  # also where the region only covers parts of Zarr chunks: those are read, updated and written back
        warnings.warn(f"to_zarr: the blocks {chunks} do not line up with the Zarr array's chunks; they are written "
                      f"as {target}, each Zarr chunk by one task (parts of chunks are read and written back)",
                      PerformanceWarning, stacklevel=3)


# to_zarr's keywords for store and compute; the others set up the new Zarr array
_STORE_KEYWORDS = {"lock", "scheduler", "num_workers", "memory_limit", "spill_dir", "progress", "flush"}


def _creation_kwargs(x: Array, component: str | None, kwargs: dict) -> tuple:
    """``(component, zarr_kwargs)``: pops from ``kwargs`` the options of a new Zarr array, as dask's
    ``**zarr_array_kwargs`` (also taken as one ``zarr_array_kwargs={...}`` dictionary), ``name=`` being
    ``component=`` (both given: ValueError, as dask) and ``shape=`` having to be the array's."""
    merged = dict(kwargs.pop("zarr_array_kwargs", None) or {})
    both = sorted(set(merged) & set(kwargs))
    if both:
        raise TypeError(f"to_zarr: {both} given both as keywords and in zarr_array_kwargs")
    merged.update({k: kwargs.pop(k) for k in list(kwargs) if k not in _STORE_KEYWORDS})
    if "name" in merged:
        if component is not None:
            raise ValueError("to_zarr: Cannot specify both 'component' and 'name' (name= is component=)")
        component = merged.pop("name")
    if "shape" in merged and tuple(merged["shape"]) != tuple(x.shape):
        raise ValueError(f"to_zarr: shape={tuple(merged['shape'])} differs from the array's shape {x.shape}")
    return component, merged


def _grid_given(zarr_kwargs: dict) -> bool:
    # the user chose the Zarr grid: rechunking the blocks to it is asked for, not worth a warning
    return "chunks" in zarr_kwargs or "shards" in zarr_kwargs


def check_not_reading(x: Array, target: Any) -> None:
    """A ValueError where ``x`` (not computed yet) reads the Zarr array ``target`` it is to be written to:
    tasks would read chunks that others already replaced (or, with ``overwrite=True``, the deleted array)."""
    from gpuscale.array.sources import Source, SourceRead

    for node in x._expr.find_operations(SourceRead):
        for source in node.operands:
            if (isinstance(source, Source) and zarr_io.is_zarr_array(source.value)
                    and zarr_io.same_array(source.value, target)):
                raise ValueError(f"the array written to Zarr array {str(target.store_path)!r} reads the array it "
                                 "writes: compute or persist it first, or write elsewhere")


def _check_overwritten(x: Array, url: Any, component: str | None, storage_options: dict | None) -> None:
    """``check_not_reading`` for the array ``overwrite=True`` replaces, where one exists."""
    try:
        existing = zarr_io.open_array(url, component, storage_options, mode="r")
    except Exception:  # noqa: BLE001 - nothing there (or not readable): nothing x could read from it
        return
    check_not_reading(x, existing)


def _check_unmasked(x: Array) -> None:
    # Zarr stores no masks: it fails on masked chunks with a reshape error naming neither
    from gpuscale.array.ma import may_be_masked

    if may_be_masked(x._expr):
        raise TypeError("to_zarr: the array's chunks are masked arrays (numpy.ma), and Zarr stores no masks; fill "
                        "the masked elements first: gpuscale.array.ma.filled(x, value).to_zarr(...)")


def _on_cluster(scheduler: Any) -> bool:
    """Whether the writes would run on a distributed cluster (``scheduler``, else the default client)."""
    from gpuscale.runtime.core import resolve_scheduler

    return hasattr(resolve_scheduler(scheduler), "submit")


def to_zarr(x: Array, url: Any, component: str | None = None, overwrite: bool = False, region: Any = None,
            storage_options: dict | None = None, compute: bool = True, return_stored: bool = False,
            mode: str = "a", **kwargs: Any) -> Any:
    """Write ``x`` to a Zarr array, as ``dask.array.to_zarr``: each task writes whole Zarr chunks.

    Parameters
    ----------
    x
        The array (block lengths must be known).
    url
        A local path, an ``fsspec`` URL, a store, a ``zarr.Group`` (with ``component=``) or an existing
        ``zarr.Array`` (written in place).
    component
        The array's path inside the store or group.
    overwrite
        Replace an existing array (else an existing one is an error: ``zarr.errors.ContainsArrayError``).
    region
        A tuple of slices: write ``x`` into that part of an **existing** array.
    storage_options
        Passed to ``fsspec`` for URLs.
    compute
        Write now (default), or return the lazy write array.
    return_stored
        Return the stored array (see :func:`gpuscale.array.store`).
    mode
        dask's: ``"w"`` replaces an existing array (as ``overwrite=True``); ``"a"``, ``"r+"`` and ``"w-"``
        write as the default; ``"r"`` (read-only) is refused.
    **kwargs
        ``lock=``, ``scheduler=`` and the compute options go to :func:`gpuscale.array.store`; the others
        to Zarr's ``create_array`` for a new array (dask's ``zarr_array_kwargs``: ``shards=``,
        ``zarr_format=``, ``compressors=`` ...; also accepted as one ``zarr_array_kwargs={...}``
        dictionary).  ``chunks=`` and ``dtype=`` override the array's (the blocks are rechunked to the
        Zarr chunks; values are cast as Zarr casts them), ``shape=`` must be the array's, and ``name=`` is
        ``component=``.

    An array in memory (a ``zarr.storage.MemoryStore``) cannot be written on a distributed cluster, as dask's:
    ``RuntimeError``. A new array gets Zarr chunks of the largest block's shape (unless ``chunks=``); the blocks are rechunked to the
    Zarr chunks (shards, for a sharded array) where they do not line up with them, so no Zarr chunk is written
    by two tasks. On a failed block a newly created array is deleted (see the module docstring for exactly what
    remains in each case).
    """
    from gpuscale.array.storing import _region, check_known_chunks, store
    from gpuscale.backends import array as chunkfn

    if not is_array(x):
        raise TypeError(f"to_zarr writes gpuscale arrays, not {type(x).__name__}")
    check_known_chunks(x, "to_zarr")
    _check_unmasked(x)
    if mode not in ("a", "r+", "w", "w-"):
        raise ValueError(f"to_zarr: Cannot use mode {mode!r} when writing to zarr (use 'a', 'r+', 'w' or 'w-')")
    overwrite = overwrite or mode == "w"
    component, zarr_kwargs = _creation_kwargs(x, component, kwargs)
    created = region is None and not zarr_io.is_zarr_array(url)
    if zarr_kwargs and not created:
        raise TypeError(f"to_zarr: {sorted(zarr_kwargs)} set up a new Zarr array; the array exists already")
    if created and overwrite:  # before the old array is deleted
        _check_overwritten(x, url, component, storage_options)
    if created:
        spec = {"chunks": tuple(max(max(c), 1) for c in x.chunks), "dtype": chunkfn.numpy_dtype(x.dtype),
                **zarr_kwargs}  # the user's chunks= / dtype= override (dask's "can be overridden")
        spec.pop("shape", None)  # checked equal to x.shape by _creation_kwargs
        z = zarr_io.create_array(url, component, x.shape, spec.pop("chunks"), spec.pop("dtype"), overwrite,
                                 storage_options, **spec)
    else:
        z = zarr_io.open_array(url, component, storage_options, mode="r+")
    if zarr_io.in_memory(z) and _on_cluster(kwargs.get("scheduler")):
        raise RuntimeError("to_zarr: Cannot store into in memory Zarr Array using the distributed scheduler: the "
                           "workers would each write into a copy of it; write to a path or URL every worker can "
                           "reach, or compute with scheduler='threads'")
    starts, shape = _region(region, tuple(z.shape), x.ndim)
    if shape != x.shape:
        raise ValueError(f"to_zarr: {'region' if region else 'target'} shape {shape} differs from the array's "
                         f"shape {x.shape}")
    kwargs.setdefault("lock", False)  # each block writes whole Zarr chunks of its own: no write races another
    target = aligned_chunks(x.chunks, starts, zarr_io.write_chunks(z))
    grid = zarr_io.write_chunks(z)
    partial = any(s % g or ((s + n) % g and s + n != total)
                  for s, n, g, total in zip(starts, x.shape, grid, tuple(z.shape)))
    if (target != x.chunks and not _grid_given(zarr_kwargs)) or (partial and not created):
        _warn_rechunked(created, x.chunks, target)
    source = x if target == x.chunks else x.rechunk(target)
    if not compute:
        return store(source, z, regions=region, compute=False, return_stored=return_stored, **kwargs)
    try:
        return store(source, z, regions=region, compute=True, return_stored=return_stored, **kwargs)
    except BaseException:
        if created:
            zarr_io.remove_array(z)
        raise
