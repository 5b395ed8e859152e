"""``rechunk``: the blocks of an array changed, with dask.array's arguments.

The chunk arithmetic is in ``_chunks`` (normalising ``chunks=``, ``balance=``) and the expression that moves
the data in ``rechunk`` (``Rechunk``); this module reads the user's arguments: axes kept, axes of unknown
length, ``block_size_limit=``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.array import _chunks
from gpuscale.array.core import Array
from gpuscale.array.creation import normalize
from gpuscale.array.rechunk import rechunk_expr
from gpuscale.backends import array as chunkfn

__all__ = ["rechunk"]


def rechunk(x: Array, chunks: Any = "auto", threshold: Any = None, block_size_limit: Any = None,
            balance: bool = False, method: str | None = None) -> Array:
    """Change the blocks of ``x``, as ``dask.array.rechunk``.

    Parameters
    ----------
    x : Array
        Input.
    chunks : int, str, tuple or dict, default ``"auto"``
        The new blocks, in the ``chunks=`` forms of the creation functions; ``None`` (in a tuple) or an axis
        left out of a dict keeps that axis' blocks.  An axis of unknown block lengths (after boolean
        indexing) keeps them: only an entry that gives the same blocks is accepted there.
    threshold : int, optional
        Accepted for dask compatibility and ignored: dask plans intermediate steps by graph size, gpuscale by
        memory.  A rechunk whose tasks would gather more than the ``array.rechunk.max_mem`` option is planned
        in stages through intermediate blocks, and planned again for a tighter memory limit given to
        ``compute()`` (see docs/array.md, "Rechunking within a memory bound").
    block_size_limit : int, optional
        Target block size in bytes for the automatic axes (default: the ``array.chunk_bytes`` setting).
    balance : bool, default False
        Make the blocks of each axis about equal, dropping a small leftover block (``len(x) // n`` then gives
        ``n`` blocks); warns when no such blocks exist.
    method : {"tasks", "p2p"}, optional
        Accepted for dask compatibility: both give the same blocks.

    Returns
    -------
    Array
        ``x`` itself when the blocks do not change.

    Raises
    ------
    ValueError
        If an axis of unknown block lengths would change (call ``x.compute_chunk_sizes()`` first), or the
        chunks do not add up to the shape.

    Examples
    --------
    >>> import gpuscale.array as ga
    >>> ga.arange(10, chunks=2, device="cpu").rechunk(5).chunks
    ((5, 5),)
    >>> ga.arange(10, chunks=2, device="cpu").rechunk(4, balance=True).chunks
    ((5, 5),)
    """
    if method not in (None, "tasks", "p2p"):
        raise NotImplementedError(f"rechunk(method={method!r}): expected 'tasks' or 'p2p'")
    chunks = _kept_axes(x, chunks)
    x = _join_unknown_axes(x, chunks)
    new = _new_chunks(x, chunks, block_size_limit)
    if balance:
        new = tuple(_chunks.balanced(c) for c in new)
    if _chunks.same_chunks(new, x.chunks):
        return x
    return Array(rechunk_expr(x._expr, new))


def _kept_axes(x: Array, chunks: Any) -> Any:
    """``chunks`` with the axes to keep (``None`` entries, axes a dict leaves out) given ``x``'s blocks."""
    if isinstance(chunks, dict):
        axes = {_chunks.valid_axis(a, x.ndim): c for a, c in chunks.items()}
        return tuple(x.chunks[d] if axes.get(d) is None else axes[d] for d in range(x.ndim))
    if isinstance(chunks, (tuple, list)) and len(chunks) == x.ndim:
        return tuple(old if new is None else new for new, old in zip(chunks, x.chunks))
    return chunks


def _join_unknown_axes(x: Array, chunks: Any) -> Array:
    """``x`` with each axis of unknown lengths that ``chunks`` asks to be one block (``-1``) joined: joining
    blocks needs no lengths (the blocks are concatenated; the length stays unknown)."""
    entries = chunks if isinstance(chunks, (tuple, list)) and len(chunks) == x.ndim else (chunks,) * x.ndim
    joined = [d for d, (entry, dim) in enumerate(zip(entries, x.chunks))
              if len(dim) > 1 and any(_chunks.is_unknown(n) for n in dim) and _is_whole(entry)]
    if not joined:
        return x
    from gpuscale.array.expr import blockwise_expr

    ind = tuple(range(x.ndim))  # a joined axis takes a new label: its blocks are concatenated into one
    out_ind = tuple(1000 + d if d in joined else d for d in ind)
    out_chunks = tuple((_chunks.NAN,) if d in joined else c for d, c in enumerate(x.chunks))
    node = blockwise_expr(chunkfn.identity, out_ind, out_chunks, x.dtype, x.backend, x._expr, arg_inds=(ind,),
                          concatenate=True)
    return Array(node)


def _is_whole(entry: Any) -> bool:
    return isinstance(entry, int) and not isinstance(entry, bool) and entry == -1


def _new_chunks(x: Array, chunks: Any, block_size_limit: Any) -> tuple:
    """``chunks`` as a tuple of tuples; axes of unknown length take explicit blocks (checked by
    ``rechunk_expr``), the others are normalized as in the creation functions."""
    unknown = [d for d, n in enumerate(x.shape) if _chunks.is_unknown(n)]
    if not unknown:
        return _normalize(x, chunks, x.shape, x.chunks, block_size_limit)
    if not isinstance(chunks, (tuple, list)) or len(chunks) != x.ndim:
        chunks = (chunks,) * x.ndim  # one entry for every axis (int, "auto")
    wanted = {d: _chunks.unknown_axis_chunks(chunks[d], x.chunks[d], d) for d in unknown}
    # the unknown axes stand in as one block of length 1: no weight in the automatic sizes of the others
    stand_in = tuple((1,) if d in wanted else c for d, c in enumerate(chunks))
    shape = tuple(1 if d in wanted else n for d, n in enumerate(x.shape))
    previous = tuple((1,) if d in wanted else c for d, c in enumerate(x.chunks))
    known = _normalize(x, stand_in, shape, previous, block_size_limit)
    return tuple(wanted.get(d, c) for d, c in enumerate(known))


def _normalize(x: Array, chunks: Any, shape: tuple, previous: tuple, block_size_limit: Any) -> tuple:
    if not shape:
        return ()
    if block_size_limit is None:
        return normalize(chunks, shape, x.dtype, x.backend, previous=previous)
    return _chunks.normalize_chunks(chunks, shape, chunkfn.numpy_dtype(x.dtype).itemsize, int(block_size_limit),
                                    previous)
