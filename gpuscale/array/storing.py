"""Writing arrays into other arrays: ``store`` (any ``target[slices] = block`` object: NumPy, Zarr, h5py) and
dask.array's top-level ``to_zarr``, block by block."""

from __future__ import annotations

import threading
from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.backends.array import _sources as chunkfn_sources


def store(sources: Any, targets: Any, *, lock: Any = True, regions: Any = None, compute: bool = True,
          return_stored: bool = False, region: Any = None, **kwargs: Any) -> Any:
    """Write arrays block by block into objects supporting ``target[slices] = block`` (NumPy, Zarr, h5py), as
    ``dask.array.store``.

    Parameters
    ----------
    sources, targets
        One array and one target, or sequences of both.
    lock
        ``True`` (default, as dask: targets such as h5py datasets are not thread-safe): one lock shared by
        all writes of this call, on a distributed cluster by the writes of every worker (the cluster's
        ``distributed.Lock``, as dask); ``False``: writes run in parallel; or any lock object (``acquire()`` /
        ``release()`` around each write).  :func:`gpuscale.array.to_zarr` writes in parallel, each block one
        whole Zarr chunk.
    regions, region
        Where in each target to write: a tuple (one region for every target), or a list of one per
        target; ``None`` writes the whole target.  A region's entries are slices (any step), ints (that
        axis of the target is not in the source) or one list of positions, as NumPy indexes.
        ``region=`` is an alias.  Targets need ``__setitem__`` only; a ``shape`` is checked when they have one.
    compute
        Write now (default); else return the lazy write arrays (computing them writes).
    return_stored
        Return arrays holding the stored data: persisted when ``compute``, lazy (each block written when
        computed) otherwise.
    **kwargs
        Passed to :func:`gpuscale.compute` (``scheduler=`` ...); dask-only ``flush=`` is ignored.

    Returns
    -------
    ``None``; or, with ``compute=False``, the write arrays (one or a list; computed, they are empty
    arrays, as dask's); or, with ``return_stored``, the stored arrays (one or a tuple).

    Examples
    --------
    >>> import numpy as np, gpuscale.array as ga
    >>> target = np.zeros(6)
    >>> ga.store(ga.arange(6.0, chunks=2, device="cpu"), target)
    >>> target.tolist()
    [0.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    """
    kwargs.pop("flush", None)
    kwargs.pop("load_stored", None)  # dask's: stored arrays are always loaded from the blocks written
    single = is_array(sources)
    sources, targets, regions = _paired(sources, targets, regions, region, single)
    if lock is True:  # one lock for every write, across the processes of a cluster too (as dask)
        from gpuscale.runtime.locks import NamedLock

        lock = NamedLock(cluster=True)
    writes = [_write(source, target, where, lock, return_stored)
              for source, target, where in zip(sources, targets, regions)]
    from gpuscale.collection import compute as _compute, persist as _persist

    if return_stored:
        out = tuple(_persist(*writes, **kwargs)) if compute else tuple(writes)
        return out[0] if single else out
    if not compute:
        return writes[0] if single else writes
    _compute(*writes, **kwargs)
    return None


def _paired(sources: Any, targets: Any, regions: Any, region: Any, single: bool) -> tuple:
    """``store``'s sources, targets and regions as lists of one per write, checked to pair up."""
    if region is not None:
        if regions is not None:
            raise ValueError("store: pass regions= or region=, not both")
        regions = region
    sources, targets = ([sources], [targets]) if single else (list(sources), list(targets))
    if len(sources) != len(targets):
        raise ValueError(f"store: {len(sources)} sources but {len(targets)} targets")
    if regions is None or isinstance(regions, tuple):  # one region for every target, as dask
        regions = [regions] * len(targets)
    regions = list(regions)
    if len(regions) != len(targets):
        raise ValueError(f"store: {len(regions)} regions for {len(targets)} targets")
    return sources, targets, regions


def _write(source: Any, target: Any, where: Any, lock: Any, return_stored: bool) -> Array:
    """The lazy write of ``source`` into ``target`` at ``where``: one task per block."""
    from gpuscale.array.sources import Source

    if not is_array(source):
        raise ValueError(f"store: sources must be gpuscale arrays, not {type(source).__name__}")
    check_known_chunks(source, "store")  # before the shapes: a NaN length never equals the target's
    _check_not_reading(source, target)
    host = _host_only(target)
    target, token = _target_and_token(target)
    placement, shape = _placement(where, target, source)
    if shape != source.shape:
        what = "region" if where else "target"
        raise ValueError(f"store: {what} shape {shape} differs from source shape {source.shape}")
    ind = tuple(range(source.ndim))
    args = (source._expr, Source(target, token), source.chunks, BlockIndex(),
            placement, lock or None, bool(return_stored), host)
    # without return_stored each block returns an empty marker (as dask's), not the data it wrote
    chunks, dtype, backend = (source.chunks, source._expr.dtype, source.backend) if return_stored else \
        (tuple((0,) * len(c) for c in source.chunks), source._expr.dtype, "numpy")
    node = blockwise_expr(chunkfn_sources.store_into, ind, chunks, dtype, backend, *args,
                          arg_inds=(ind,) + (None,) * (len(args) - 1))
    return Array(node)


def check_known_chunks(x: Array, caller: str) -> None:
    """A ValueError naming ``caller`` where ``x`` has unknown block lengths (NaN, after a data-dependent
    operation such as boolean indexing): the writers need every block's place in the target."""
    if any(_chunks.is_unknown(n) for c in x.chunks for n in c):
        raise ValueError(f"{caller}: the array has unknown chunk sizes (block lengths, after a data-dependent "
                         "operation); call x.compute_chunk_sizes() first")


def _check_not_reading(source: Array, target: Any) -> None:
    # a Zarr target that the source reads would be read after some of its chunks are replaced
    if type(target).__module__.partition(".")[0] == "zarr":
        from gpuscale.array.zarr import check_not_reading

        check_not_reading(source, target)


def _target_and_token(target: Any) -> tuple:
    """The object to write into and its name in the graph: the same target gives the same keys on every call
    (as dask's; the graph holds the target, so its ``id`` is not reused while the keys are alive); a dask
    ``Delayed`` target is named by its key and computed when the first block is written."""
    if _is_delayed(target):
        return _DelayedTarget(target), f"target-{target.key}"
    return target, f"target-{type(target).__name__}-{id(target):x}"


def _is_delayed(target: Any) -> bool:
    return any(t.__name__ == "Delayed" and t.__module__.partition(".")[0] == "dask" for t in type(target).__mro__)


class _DelayedTarget:
    """A dask ``Delayed`` store target (``delayed(make_buffer)()``): computed once, by the first block written,
    as dask computes it inside the store's graph."""

    def __init__(self, delayed: Any) -> None:
        self.delayed, self.value, self.lock = delayed, None, threading.Lock()

    def __setitem__(self, key: Any, block: Any) -> None:
        with self.lock:
            if self.value is None:
                self.value = self.delayed.compute(scheduler="sync")
        self.value[key] = block


def _placement(where: Any, target: Any, source: Array) -> tuple:
    """``(placement, shape)`` of a ``store`` region: per axis of the target ``("s", start, step)`` for a slice,
    ``("i", k)`` for an int (an axis the source lacks), ``("l", positions)`` for a list; and the region's
    shape.  A target without ``shape`` takes the source's shape."""
    target_shape = tuple(target.shape) if hasattr(target, "shape") else tuple(source.shape)
    where = () if where is None else tuple(where) if isinstance(where, (tuple, list)) else (where,)
    if len(where) > len(target_shape):
        raise IndexError(f"store: region {where!r} has more entries than the target has axes {target_shape}")
    where = where + (slice(None),) * (len(target_shape) - len(where))
    placement, shape = [], []
    for axis, (entry, n) in enumerate(zip(where, target_shape)):
        if isinstance(entry, slice):
            start, stop, step = entry.indices(n)
            placement.append(("s", start, step))
            shape.append(len(range(start, stop, step)))
        elif isinstance(entry, int) or getattr(entry, "ndim", None) == 0:
            k = int(entry)
            if not -n <= k < n:
                raise IndexError(f"store: region index {k} is out of bounds for axis {axis} of the target {n}")
            placement.append(("i", k % n))
        else:
            positions = tuple(int(k) % n for k in entry)
            placement.append(("l", positions))
            shape.append(len(positions))
    if sum(p[0] == "l" for p in placement) > 1:
        raise NotImplementedError(f"store: region {where!r} has more than one list of positions (NumPy would "
                                  "pair them point by point)")
    return tuple(placement), tuple(shape)


def _region(where: Any, target_shape: tuple, ndim: int) -> tuple:
    """Start offsets and shape of ``where`` (a tuple of slices, or None for the whole target)."""
    if not where:
        return (0,) * ndim, target_shape
    where = tuple(where) + (slice(None),) * (len(target_shape) - len(where))
    starts, shape = [], []
    for s, n in zip(where, target_shape):
        if not isinstance(s, slice):
            raise TypeError(f"store: regions are tuples of slices, not {where!r}")
        lo, hi, step = s.indices(n)
        if step != 1:
            raise ValueError(f"store: region slices must have step 1, not {s}")
        starts.append(lo)
        shape.append(max(0, hi - lo))
    return tuple(starts), tuple(shape)


def _host_only(target: Any) -> bool:
    # Zarr arrays, h5py datasets and NumPy arrays take host data: device blocks are copied to NumPy first
    # (a dask Delayed target is taken to make one of them)
    return type(target).__module__.partition(".")[0] in ("zarr", "numpy", "h5py") or _is_delayed(target)


def to_zarr(x: Array, url: Any, component: str | None = None, overwrite: bool = False, region: Any = None,
            storage_options: dict | None = None, compute: bool = True, return_stored: bool = False,
            **kwargs: Any) -> Any:
    """Write ``x`` to a Zarr array, one whole Zarr chunk per task, as ``dask.array.to_zarr`` (the function of
    :mod:`gpuscale.array.zarr`, under dask.array's top-level name).

    Parameters
    ----------
    x : Array
        The array to write.
    url : str, store, zarr.Group or zarr.Array
        A local path, an ``fsspec`` URL, a store, a group (with ``component=``) or an existing Zarr array
        (written in place).
    component : str, optional
        The array's path inside the store or group.
    overwrite : bool
        Replace an existing array (else an existing one is an error).
    region : tuple of slice, optional
        Write ``x`` into this part of an existing array.
    storage_options : dict, optional
        fsspec options for remote stores.
    compute : bool
        Write now, or return the lazy write array.
    return_stored : bool
        Return the stored array (see :func:`gpuscale.array.store`).
    **kwargs
        Passed to :func:`gpuscale.array.store` (``lock=``, ``scheduler=`` ...).

    Returns
    -------
    None, or an Array
        The lazy write (``compute=False``) or the stored array (``return_stored=True``).

    Examples
    --------
    >>> import os, tempfile, gpuscale.array as ga
    >>> path = os.path.join(tempfile.mkdtemp(), "x.zarr")
    >>> ga.to_zarr(ga.arange(6, chunks=3), path)
    >>> ga.from_zarr(path).compute().tolist()
    [0, 1, 2, 3, 4, 5]
    """
    from gpuscale.array.zarr import to_zarr as _to_zarr

    return _to_zarr(x, url, component=component, overwrite=overwrite, region=region,
                    storage_options=storage_options, compute=compute, return_stored=return_stored, **kwargs)


__all__ = ["store", "to_zarr"]
