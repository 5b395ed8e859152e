"""``normalize_chunks``: any ``chunks=`` a gpuscale function takes, as explicit block lengths per axis.

The public form of the rule every gpuscale creation and rechunk applies (``_chunks.normalize_chunks``), with
the signature of ``dask.array.core.normalize_chunks``, so code (and libraries such as xarray) that plans
blocks before building an array gets the blocks gpuscale will build.
"""

from __future__ import annotations

import math
from typing import Any

from gpuscale.array import _chunks

__all__ = ["normalize_chunks"]


def normalize_chunks(chunks: Any, shape: Any = None, limit: int | None = None, dtype: Any = None,
                     previous_chunks: Any = None) -> tuple:
    """Block lengths per axis for ``chunks`` and ``shape``, as ``dask.array.core.normalize_chunks``.

    Parameters
    ----------
    chunks : int, tuple, dict, str or tuple of tuples
        An int for every axis, one entry per axis (an int, ``-1``/``None`` for the whole axis, ``"auto"``, a
        size in bytes such as ``"1 MiB"``, or the block lengths), ``{axis: entry}``, ``"auto"`` or a size in
        bytes for every axis, or explicit block lengths.
    shape : tuple of int, optional
        The array's shape; needed unless ``chunks`` are explicit block lengths.  A ``nan`` length (unknown)
        takes the explicit block lengths given for it.
    limit : int, optional
        Bytes per block for ``"auto"`` axes (default: gpuscale's ``array.chunk_bytes`` for the configured
        backend).
    dtype : dtype, optional
        The element type; needed for ``"auto"`` and byte sizes, as in dask.
    previous_chunks : tuple, optional
        The blocks the data has now (on disk, before a rechunk): ``"auto"`` axes are made of whole ones.

    Returns
    -------
    tuple of tuple of int
        One tuple of block lengths per axis.

    Raises
    ------
    ValueError
        If the chunks do not fit the shape, or ``shape`` is missing for chunks that need it.
    TypeError
        If automatic blocks are asked for without ``dtype``.

    Examples
    --------
    >>> from gpuscale.array.core import normalize_chunks
    >>> normalize_chunks((2, 2), shape=(5, 6)), normalize_chunks(10, shape=(30, 5))
    (((2, 2, 1), (2, 2, 2)), ((10, 10, 10), (5,)))
    >>> normalize_chunks((5, -1), shape=(10, 10)), normalize_chunks({0: 2, 1: 3}, shape=(6, 6))
    (((5, 5), (10,)), ((2, 2, 2), (3, 3)))
    >>> normalize_chunks(("auto",), shape=(20,), limit=5, dtype="uint8")
    ((5, 5, 5, 5),)
    """
    if shape is None:
        return _chunks.canonical(_explicit(chunks))  # an unknown length is NumPy's nan object, as dask's
    shape = tuple(shape)
    if not shape:
        return ()
    if isinstance(chunks, list):
        chunks = tuple(chunks)
    limit = _byte_limit(limit, chunks)
    unknown = [d for d, n in enumerate(shape) if _chunks.is_unknown(n)]
    if unknown:
        return _with_unknown(chunks, shape, unknown, limit, dtype)
    if _is_automatic(chunks) and dtype is None:
        raise TypeError(f"normalize_chunks: dtype must be known for automatic chunks={chunks!r} (the block size "
                        "in bytes depends on it)")
    from gpuscale.array.creation import chunk_bytes, resolve_backend
    from gpuscale.backends import array as chunkfn

    itemsize = chunkfn.numpy_dtype(dtype if dtype is not None else "float64").itemsize
    limit = int(limit) if limit else int(chunk_bytes(resolve_backend(None)))
    return _chunks.normalize_chunks(chunks, tuple(int(n) for n in shape), itemsize, limit,
                                    _chunks.previous_blocks(previous_chunks, shape))


def _byte_limit(limit: Any, chunks: Any) -> Any:
    """``limit=`` in bytes (an int or a size such as ``"600 B"``, ``"1MiB"``); refused beside chunks given as sizes
    in bytes (two budgets for one block, as dask refuses them) and for several different sizes in bytes."""
    from gpuscale.config import parse_bytes

    entries = chunks.values() if isinstance(chunks, dict) else chunks if isinstance(chunks, tuple) else (chunks,)
    sizes = {c for c in entries if isinstance(c, str) and c != "auto"}
    if sizes and limit is not None:
        raise ValueError(f"normalize_chunks: chunks={chunks!r} give the block size in bytes; limit={limit!r} cannot "
                         "be given too")
    if len(sizes) > 1:
        raise ValueError(f"normalize_chunks: chunks={chunks!r} give different block sizes in bytes; give one")
    return parse_bytes(limit) if isinstance(limit, str) else limit


def _explicit(chunks: Any) -> tuple:
    """Block lengths given in full (lists become tuples); anything else needs the shape."""
    if isinstance(chunks, (tuple, list)) and all(isinstance(c, (tuple, list)) for c in chunks):
        return tuple(tuple(c) for c in chunks)
    raise ValueError(f"normalize_chunks: chunks={chunks!r} need shape= (only explicit block lengths per axis "
                     "stand on their own)")


def _is_automatic(chunks: Any) -> bool:
    """Whether ``chunks`` asks for sizes chosen from a byte budget (``"auto"``, ``"1 MiB"``, None)."""
    entries = chunks.values() if isinstance(chunks, dict) else chunks if isinstance(chunks, tuple) else (chunks,)
    return chunks is None or any(isinstance(c, str) for c in entries)


def _with_unknown(chunks: Any, shape: tuple, unknown: list, limit: Any, dtype: Any) -> tuple:
    """Axes of unknown (``nan``) length keep the block lengths given for them; the others are normalized."""
    if not isinstance(chunks, tuple) or len(chunks) != len(shape) or \
            any(not isinstance(chunks[d], (tuple, list)) for d in unknown):
        raise ValueError(f"normalize_chunks: an axis of unknown length (shape {shape}) needs its block lengths "
                         f"given explicitly (not 'auto' or a size), got chunks={chunks!r}")
    known = [d for d in range(len(shape)) if d not in unknown]
    normalized = dict(zip(known, normalize_chunks(tuple(chunks[d] for d in known), tuple(shape[d] for d in known),
                                                  limit, dtype) if known else ()))
    return tuple(normalized[d] if d in normalized else tuple(math.nan if _chunks.is_unknown(n) else int(n)
                                                             for n in chunks[d]) for d in range(len(shape)))
