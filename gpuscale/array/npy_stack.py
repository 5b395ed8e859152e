"""Arrays stored as a stack of NumPy ``.npy`` files, one per block along an axis, in dask.array's format
(``dask.array.to_npy_stack`` / ``from_npy_stack``): a folder of ``0.npy``, ``1.npy``, ... and an ``info``
pickle of the chunks, dtype and axis, so stacks written by either library load in the other."""

from __future__ import annotations

import os
import uuid
from typing import Any

from gpuscale.array.core import Array, is_array
from gpuscale.array.expr import BlockIndex, blockwise_expr
from gpuscale.backends import array as chunkfn
from gpuscale.backends import io as bio

__all__ = ["to_npy_stack", "from_npy_stack"]


def _save_block(block: Any, dirname: str, axis: int, index: tuple) -> Any:
    """Save ``block`` to the file of its block index along ``axis`` (not of its start: blocks of length 0
    share their start with the next block); returns an empty slice of it, the write's marker."""
    chunkfn.save_npy(os.path.join(dirname, f"{index[axis]}.npy"), block)
    return block[(slice(0, 0),) * block.ndim]


def _write_blocks(x: Array, dirname: str, axis: int) -> None:
    """Write every block of ``x`` (whole along the axes but ``axis``) into ``dirname``, in parallel."""
    ind = tuple(range(x.ndim))
    marker_chunks = tuple((0,) * len(c) for c in x.chunks)
    node = blockwise_expr(_save_block, ind, marker_chunks, x._expr.dtype, x.backend, x._expr, dirname, axis,
                          BlockIndex(), arg_inds=(ind, None, None, None))
    Array(node).compute()


def to_npy_stack(dirname: str, x: Array, axis: int = 0) -> None:
    """Write ``x`` to the folder ``dirname`` as one ``.npy`` file per block along ``axis``, as
    ``dask.array.to_npy_stack``.

    The other axes are joined first (each file holds whole slabs); ``info`` records the chunks, dtype and
    axis for :func:`from_npy_stack`.  The folder is created if missing; its other files are kept.  The files
    are written into a temporary folder beside it and moved in once every block is written, so a failed
    block leaves the folder as it was.

    Parameters
    ----------
    dirname : str
        The folder to write.
    x : Array
        The array (its block lengths must be known).
    axis : int
        The axis along which each block is one file.

    Examples
    --------
    >>> import os, tempfile, gpuscale.array as ga
    >>> path = os.path.join(tempfile.mkdtemp(), "stack")
    >>> ga.to_npy_stack(path, ga.arange(10, chunks=4, device="cpu"))
    >>> sorted(os.listdir(path))
    ['0.npy', '1.npy', '2.npy', 'info']
    >>> ga.from_npy_stack(path).chunks
    ((4, 4, 2),)
    """
    from gpuscale.array.statistical import normalize_axis
    from gpuscale.array.storing import check_known_chunks

    if not is_array(x):
        raise TypeError(f"to_npy_stack: x must be a gpuscale array, not {type(x).__name__}")
    check_known_chunks(x, "to_npy_stack")
    (axis,) = normalize_axis(axis, x.ndim)
    chunks = tuple(c if d == axis else (sum(c),) for d, c in enumerate(x.chunks))
    x = x.rechunk(chunks)
    names = tuple(f"{i}.npy" for i in range(len(chunks[axis]))) + ("info",)
    target = bio.open_target(os.fspath(dirname), uuid.uuid4().hex[:12], True, names=names)
    try:  # into a temporary sibling, moved into the folder once every block is written
        temp = bio.prepare(target)
        chunkfn.write_stack_info(os.path.join(temp, "info"), chunks, x.dtype, axis)
        _write_blocks(x, temp, axis)
        bio.finish(target)
    except BaseException:
        target.cleanup()
        raise


def from_npy_stack(dirname: str, mmap_mode: Any = "r", *, backend: str | None = None) -> Array:
    """The array stored in ``dirname`` by :func:`to_npy_stack` (or by dask's), one block per file, as
    ``dask.array.from_npy_stack``.

    Parameters
    ----------
    dirname : str
        The folder holding ``info`` and the ``.npy`` files.
    mmap_mode : {"r", "r+", "c", None}
        ``numpy.load``'s: by default NumPy blocks map their files read-only instead of reading them.
    backend : str, optional
        Chunk library (default: the configured one); device blocks are read on the host and copied.

    Examples
    --------
    >>> import os, tempfile, gpuscale.array as ga
    >>> path = os.path.join(tempfile.mkdtemp(), "stack")
    >>> ga.to_npy_stack(path, ga.ones((4, 3), chunks=2, device="cpu"), axis=1)
    >>> y = ga.from_npy_stack(path, backend="numpy")
    >>> y.chunks, y.sum().compute()
    (((4,), (2, 1)), np.float64(12.0))
    """
    from gpuscale.array.creation import resolve_backend

    info = chunkfn.read_stack_info(os.path.join(dirname, "info"))
    chunks, axis = tuple(tuple(c) for c in info["chunks"]), info["axis"]
    backend = resolve_backend(backend)
    ind = tuple(range(len(chunks)))
    node = blockwise_expr(_load_block, ind, chunks, info["dtype"], backend, os.fspath(dirname), axis,
                          mmap_mode, backend, BlockIndex(), arg_inds=(None,) * 5)
    return Array(node)


def _load_block(dirname: str, axis: int, mmap_mode: Any, backend: str, block_id: tuple) -> Any:
    """A block of the stack; where its file fails to load (not a ``.npy`` file ...), the error names it."""
    from gpuscale.backends.io.source_errors import raise_naming

    try:
        return chunkfn.load_stack_block(dirname, axis, mmap_mode, backend, block_id)
    except Exception as error:  # noqa: BLE001 - re-raised as its type, naming the file
        raise_naming(error, f"{os.path.join(dirname, f'{block_id[axis]}.npy')!r} (block {block_id[axis]} of the "
                            "stack)")
