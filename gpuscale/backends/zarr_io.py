"""Zarr (zarr-python 3) for ``gpuscale.array.from_zarr`` / ``to_zarr``: the only module that imports ``zarr``.

Local paths, ``fsspec`` URLs (``memory://``, ``s3://`` ... with ``storage_options``), store objects, and
``zarr.Array`` / ``zarr.Group`` objects are accepted.  Reading slices the array block by block
(``gpuscale/backends/array/_sources.py``: ``read_block``); writing goes through
``gpuscale.array.store`` with one whole Zarr chunk (or shard) per task.
"""

from __future__ import annotations

from typing import Any

__all__ = ["zarr_module", "is_zarr_array", "open_array", "create_array", "remove_array", "same_array", "write_chunks",
           "describe", "in_memory"]


def zarr_module() -> Any:
    """``zarr``, or an ImportError saying how to install it."""
    try:
        import zarr
    except ImportError as exc:
        raise ImportError("Zarr IO needs the optional 'zarr' package (version 3): pip install 'zarr>=3'") from exc
    return zarr


def is_zarr_array(obj: Any) -> bool:
    """True for a ``zarr.Array``."""
    return type(obj).__module__.partition(".")[0] == "zarr" and hasattr(obj, "chunks") and hasattr(obj, "shape")


def _is_group(obj: Any) -> bool:
    return type(obj).__module__.partition(".")[0] == "zarr" and hasattr(obj, "members")


def _store_kwargs(storage_options: dict | None) -> dict:
    return {"storage_options": storage_options} if storage_options else {}


def open_array(source: Any, component: str | None = None, storage_options: dict | None = None,
               mode: str = "r") -> Any:
    """The ``zarr.Array`` at ``source`` (path, URL, store, group or array) and ``component`` (a path inside)."""
    zarr = zarr_module()
    if is_zarr_array(source):
        if component:
            raise ValueError("component= cannot be used with a zarr.Array (it names a path inside a store or group)")
        return source
    if _is_group(source):
        if not component:
            raise ValueError("reading from a zarr.Group needs component= (the array's path in the group)")
        return source[component]
    return zarr.open_array(store=source, path=component or "", mode=mode, **_store_kwargs(storage_options))


def create_array(target: Any, component: str | None, shape: tuple, chunks: tuple, dtype: Any,
                 overwrite: bool, storage_options: dict | None = None, **zarr_kwargs: Any) -> Any:
    """A new Zarr array (``overwrite=False``: an error, ``zarr.errors.ContainsArrayError``, if one exists);
    ``zarr_kwargs`` are Zarr's ``create_array`` options (``shards=``, ``zarr_format=`` ...)."""
    zarr = zarr_module()
    if _is_group(target):
        return target.create_array(name=component or "", shape=shape, chunks=chunks, dtype=dtype,
                                   overwrite=overwrite, **zarr_kwargs)
    return zarr.create_array(store=target, name=component or None, shape=shape, chunks=chunks, dtype=dtype,
                             overwrite=overwrite, **_store_kwargs(storage_options), **zarr_kwargs)


def remove_array(z: Any) -> None:
    """Delete a Zarr array: its metadata and every chunk written so far."""
    from zarr.core.sync import sync

    sync(z.store_path.delete_dir())


def same_array(a: Any, b: Any) -> bool:
    """Whether the Zarr arrays ``a`` and ``b`` are the same array: the same store and path in it."""
    return a.store_path == b.store_path


def in_memory(z: Any) -> bool:
    """Whether the Zarr array ``z`` lives in this process's memory (a ``MemoryStore``, GPU memory included)."""
    from zarr.storage import MemoryStore

    return isinstance(z.store, MemoryStore)


def write_chunks(z: Any) -> tuple:
    """The shape of the unit Zarr writes at once: the shard shape when the array is sharded, else the chunk."""
    shards = getattr(z, "shards", None)
    return tuple(shards) if shards else tuple(z.chunks)


def describe(z: Any) -> dict:
    """Shape, NumPy dtype, read chunks and write chunks of a Zarr array."""
    from gpuscale.backends.array._core import numpy_dtype

    return {"shape": tuple(int(n) for n in z.shape), "dtype": numpy_dtype(z.dtype), "chunks": tuple(z.chunks),
            "write_chunks": write_chunks(z), "path": f"{z.store_path}"}
