"""Blocks saved to and loaded from NumPy's ``.npy`` files (``gpuscale.array.to_npy_stack`` and
``from_npy_stack``, in dask.array's format: one file per block along an axis, and an ``info`` pickle)."""

from __future__ import annotations

import pickle
from typing import Any

from gpuscale.backends.array._core import module_for, numpy_dtype
from gpuscale.backends.array._creation import to_backend

__all__ = ["save_npy", "load_npy", "load_stack_block", "write_stack_info", "read_stack_info"]


def save_npy(path: str, block: Any) -> None:
    """Write ``block`` (of any chunk library: device blocks are copied to the host) to ``path``."""
    from gpuscale.backends.convert import to_host

    module_for("numpy").save(path, to_host(block), allow_pickle=False)


def load_npy(path: str, mmap_mode: Any, backend: str) -> Any:
    """The array in ``path`` as a chunk of ``backend`` (``mmap_mode`` as ``numpy.load``'s: with NumPy
    chunks the block maps the file instead of reading it)."""
    block = module_for("numpy").load(path, mmap_mode=mmap_mode, allow_pickle=False)
    return block if backend == "numpy" else to_backend(block, backend)


def write_stack_info(path: str, chunks: tuple, dtype: Any, axis: int) -> None:
    """dask's ``info`` file of a stack: a pickled dict of the chunks, the NumPy dtype and the axis."""
    with open(path, "wb") as f:
        pickle.dump({"chunks": chunks, "dtype": numpy_dtype(dtype), "axis": axis}, f)


def read_stack_info(path: str) -> dict:
    """The ``info`` dict of a stack (a pickle: read stacks from sources you trust, as with dask)."""
    with open(path, "rb") as f:
        return pickle.load(f)


def load_stack_block(dirname: str, axis: int, mmap_mode: Any, backend: str, block_id: tuple) -> Any:
    """Block ``block_id`` of a stack: the file of its position along ``axis``."""
    import os

    return load_npy(os.path.join(dirname, f"{block_id[axis]}.npy"), mmap_mode, backend)
