"""What dask.array users expect besides the standard: ``map_blocks``, ``blockwise``, ``reduction``, ``store``."""

from __future__ import annotations

import inspect
import string
from typing import Any, Callable

from gpuscale.array import _chunks
from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import BlockIndex, Blockwise
from gpuscale.array.rechunk import align_chunks, rechunk_expr
from gpuscale.array.reductions import Reduction
from gpuscale.array.statistical import normalize_axis
from gpuscale.backends import array as chunkfn

__all__ = ["map_blocks", "blockwise", "reduction", "store", "to_zarr"]


def _infer_dtype(func: Callable, arrays: list, args: list, kwargs: dict, backend: str) -> Any:
    metas = [chunkfn.Meta(a.dtype, a.ndim) if is_array(a) else a for a in args]
    try:
        return chunkfn.meta_call(backend, func, *metas, **kwargs)
    except Exception as exc:
        name = getattr(func, "__name__", repr(func))
        raise ValueError(f"could not infer the output dtype of {name} by running it on a one-element block "
                         f"({type(exc).__name__}: {exc}); pass dtype=") from exc


def _wants_block_id(func: Callable) -> bool:
    try:
        return "block_id" in inspect.signature(func).parameters
    except (TypeError, ValueError):
        return False


def map_blocks(func: Callable, *args: Any, dtype: Any = None, chunks: Any = None, drop_axis: Any = (),
               new_axis: Any = (), **kwargs: Any) -> Array:
    """Apply ``func`` to each block of the array arguments (aligned and broadcast as in element-wise code).

    Parameters
    ----------
    func
        Called as ``func(*blocks, **kwargs)``; it may take ``block_id=`` to
        learn the block's index.
    dtype
        Output dtype (inferred by calling ``func`` on one-element arrays if None).
    chunks
        Output chunks when ``func`` changes block shapes: a tuple of tuples, or
        one block shape used for every block.
    drop_axis, new_axis
        Axes the function removes (blocks along them are concatenated) or adds.
    """
    arrays = [a for a in args if is_array(a)]
    if not arrays:
        raise ValueError("map_blocks needs at least one gpuscale array argument")
    ndim = max(a.ndim for a in arrays)
    aligned = iter(align_chunks([a._expr for a in arrays], ndim))
    exprs = [next(aligned) if is_array(a) else a for a in args]
    backend = arrays[0].backend
    if dtype is None:
        dtype = _infer_dtype(func, arrays, list(args), kwargs, backend)
    drop = set(normalize_axis(drop_axis, ndim)) if drop_axis not in ((), None) else set()
    in_ind = tuple(range(ndim))
    out_ind = [d for d in in_ind if d not in drop]
    base = [e.chunks for e in exprs if hasattr(e, "chunks") and e.ndim == ndim][0]
    out_chunks = [base[d] for d in out_ind]
    new = [new_axis] if isinstance(new_axis, int) else list(new_axis or ())
    for i, axis in enumerate(sorted(a % (len(out_ind) + len(new)) for a in new)):
        out_ind.insert(axis, 1000 + i)
        out_chunks.insert(axis, (1,))
    out_chunks = _user_chunks(chunks, out_chunks)
    inds = [tuple(range(ndim - e.ndim, ndim)) if hasattr(e, "chunks") else None for e in exprs]
    if _wants_block_id(func):
        node = Blockwise(chunkfn.call_with_block_id, kwargs, tuple(out_ind), out_chunks, chunkfn.numpy_dtype(dtype),
                         backend, (None, None, *inds), True, func, BlockIndex(), *exprs)
    else:
        node = Blockwise(func, kwargs, tuple(out_ind), out_chunks, chunkfn.numpy_dtype(dtype), backend, tuple(inds),
                         True, *exprs)
    return Array(node)


def _user_chunks(chunks: Any, default: list) -> tuple:
    if chunks is None:
        return tuple(default)
    chunks = tuple(chunks)
    if all(isinstance(c, tuple) for c in chunks):
        return chunks
    return tuple((c,) * len(d) for c, d in zip(chunks, default))


def _letters(ind: Any) -> tuple:
    return tuple(string.ascii_letters.index(c) if isinstance(c, str) else c for c in ind)


def blockwise(func: Callable, out_ind: Any, *args: Any, dtype: Any = None, concatenate: bool = True,
              new_axes: dict | None = None, adjust_chunks: dict | None = None, **kwargs: Any) -> Array:
    """Tensor-style block operation, as ``dask.array.blockwise``: ``blockwise(f, "ij", x, "ik", y, "kj")``.

    Indices of an argument missing from ``out_ind`` are contracted: ``func``
    receives all blocks along them (concatenated when ``concatenate``).
    """
    pairs = list(zip(args[::2], args[1::2]))
    arrays = [(a, _letters(i)) for a, i in pairs if is_array(a)]
    if not arrays:
        raise ValueError("blockwise needs at least one gpuscale array argument")
    letter_chunks: dict = {}
    for a, ind in arrays:
        for letter, c, n in zip(ind, a.chunks, a.shape):
            if n != 1:
                letter_chunks.setdefault(letter, []).append(c)
    common = {k: _chunks.common_chunks(v) for k, v in letter_chunks.items()}
    exprs, inds = [], []
    for a, ind in pairs:
        if is_array(a):
            ind = _letters(ind)
            target = tuple(common.get(l, c) if n != 1 else c for l, c, n in zip(ind, a.chunks, a.shape))
            exprs.append(rechunk_expr(a._expr, target))
            inds.append(ind)
        else:
            exprs.append(a)
            inds.append(None)
    out = _letters(out_ind)
    new_axes = {_letters(k)[0]: v for k, v in (new_axes or {}).items()}
    chunks = []
    for letter in out:
        c = common.get(letter) or ((new_axes[letter],) if isinstance(new_axes.get(letter), int) else
                                   new_axes.get(letter, (1,)))
        adjust = (adjust_chunks or {}).get(string.ascii_letters[letter] if isinstance(letter, int) else letter)
        if adjust is not None:
            c = tuple(adjust(n) for n in c) if callable(adjust) else _user_chunks((adjust,), [c])[0]
        chunks.append(tuple(c))
    if dtype is None:
        raise ValueError("blockwise needs dtype=")
    node = Blockwise(func, kwargs, out, tuple(chunks), chunkfn.numpy_dtype(dtype), arrays[0][0].backend,
                     tuple(inds), concatenate, *exprs)
    return Array(node)


def reduction(x: Array, chunk: Callable, aggregate: Callable, *, axis: Any = None, keepdims: bool = False,
              dtype: Any = None, split_every: int | None = None, combine: Callable | None = None) -> Array:
    """A tree reduction from user functions, as ``dask.array.reduction``.

    ``chunk(block, axis=, keepdims=True)`` reduces one block;
    ``combine(concatenated, axis=, keepdims=True)`` merges neighbours (default:
    ``aggregate``); ``aggregate(concatenated, axis=, keepdims=)`` finishes.
    """
    if dtype is None:
        raise ValueError("reduction needs dtype=")
    axes = normalize_axis(axis, x.ndim)
    kind = chunkfn.UserReduction(chunk, combine or aggregate, aggregate)
    return Array(Reduction(x._expr, kind, axes, bool(keepdims), chunkfn.numpy_dtype(dtype), split_every))


def store(sources: Any, targets: Any, *, compute: bool = True, **kwargs: Any) -> Any:
    """Write arrays block by block into objects supporting ``target[slices] = block`` (NumPy, Zarr, h5py)."""
    single = is_array(sources)
    sources, targets = ([sources], [targets]) if single else (list(sources), list(targets))
    writes = []
    for source, target in zip(sources, targets):
        if tuple(target.shape) != source.shape:
            raise ValueError(f"store: target shape {tuple(target.shape)} differs from source shape {source.shape}")
        ind = tuple(range(source.ndim))
        writes.append(Array(Blockwise(chunkfn.store_block, {}, ind, tuple((1,) * len(c) for c in source.chunks),
                                      chunkfn.numpy_dtype("int64"), "numpy", (ind, None, None, None), False,
                                      source._expr, target, source.chunks, BlockIndex())))
    if not compute:
        return writes[0] if single else writes
    from gpuscale.collection import compute as _compute

    _compute(*writes, **kwargs)
    return None


def to_zarr(x: Array, url: Any, component: str | None = None, **kwargs: Any) -> Any:
    """Write to a Zarr array (needs the optional ``zarr`` package)."""
    try:
        import zarr  # noqa: F401 - optional dependency, not a chunk library
    except ImportError as exc:
        raise ImportError("to_zarr needs the optional 'zarr' package: pip install zarr") from exc
    chunks = tuple(max(c) for c in x.chunks)
    target = zarr.open_array(url, mode="w", shape=x.shape, chunks=chunks, dtype=x.dtype.name, path=component)
    return store(x, target, **kwargs)
