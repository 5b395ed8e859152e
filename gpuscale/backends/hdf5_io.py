"""The h5py calls of :func:`gpuscale.array.to_hdf5`: open a file, create (or reuse) its datasets, and take
back the datasets a failed write created."""

from __future__ import annotations

from typing import Any

__all__ = ["open_file", "require_datasets", "remove_datasets"]


def open_file(filename: Any, mode: str = "a") -> Any:
    """``h5py.File(filename, mode)``, with a clear error when h5py is missing."""
    try:
        import h5py
    except ImportError as exc:
        raise ImportError("to_hdf5 needs h5py: pip install h5py (or write Zarr with to_zarr)") from exc
    return h5py.File(filename, mode)


def require_datasets(file: Any, specs: dict[str, dict]) -> tuple[list, list[str]]:
    """The datasets ``{path: {shape, dtype, chunks, **create_dataset options}}`` in ``file``, and the paths of
    those this call created (an existing dataset of the same shape and dtype is reused, as h5py's
    ``require_dataset``; another shape or dtype raises naming the path).  Where one cannot be made, those
    created before it are deleted again."""
    datasets, created = [], []
    try:
        for path, spec in specs.items():
            existed = path in file
            datasets.append(_require_dataset(file, path, spec, existed))
            if not existed:
                created.append(path)
    except BaseException:
        remove_datasets(file, created)
        raise
    return datasets, created


def _require_dataset(file: Any, path: str, spec: dict, existed: bool) -> Any:
    """``file.require_dataset(path, **spec)``; h5py's TypeError names neither the file nor the path: it is
    raised again naming them (and, only where the dataset ``existed``, saying it differs)."""
    from gpuscale.backends.array._core import numpy_dtype

    spec = {**spec, "dtype": numpy_dtype(spec["dtype"])}
    try:
        return file.require_dataset(path, **spec)
    except TypeError as exc:
        if existed:
            raise TypeError(f"to_hdf5: dataset {path!r} of {file.filename} exists with another shape or dtype "
                            f"than the array's {spec['shape']} {spec['dtype']}: {exc}") from exc
        raise TypeError(f"to_hdf5: cannot create dataset {path!r} in {file.filename} for the array's "
                        f"{spec['shape']} {spec['dtype']} (h5py: {exc})") from exc


def remove_datasets(file: Any, paths: list[str]) -> None:
    """Delete the datasets at ``paths`` (those a failed write created)."""
    for path in paths:
        if path in file:
            del file[path]
