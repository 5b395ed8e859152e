"""``to_hdf5``: write arrays into datasets of an HDF5 file, as ``dask.array.to_hdf5``.

The blocks are written by :func:`gpuscale.array.store` under one lock (HDF5 files are not written in
parallel).  If a block fails to compute, the datasets this call created are deleted, and the file too when
this call created it, before the error is raised: no half-written dataset remains.  A dataset that existed
before keeps whatever blocks were written into it.
"""

from __future__ import annotations

import os
from typing import Any

from gpuscale.array.core import Array
from gpuscale.backends import hdf5_io

__all__ = ["to_hdf5"]


def _arrays_by_path(args: tuple) -> dict[str, Array]:
    if len(args) == 1 and isinstance(args[0], dict) and all(isinstance(x, Array) for x in args[0].values()):
        return dict(args[0])
    if len(args) == 2 and isinstance(args[0], str) and isinstance(args[1], Array):
        return {args[0]: args[1]}
    raise ValueError("to_hdf5 takes a dataset path and an array, or a {'/data/path': array} dictionary; got "
                     f"{', '.join(type(a).__name__ for a in args) or 'nothing'}")


def _dataset_chunks(x: Array, chunks: Any) -> Any:
    if chunks is not True:
        return chunks
    if 0 in x.shape:  # HDF5 refuses zero-sized chunks
        return None
    return tuple(c[0] for c in x.chunks)


def to_hdf5(filename: Any, *args: Any, chunks: Any = True, **kwargs: Any) -> None:
    """Store arrays in datasets of an HDF5 file (h5py), block by block.

    Parameters
    ----------
    filename : str or path
        The HDF5 file; opened in append mode (created if missing).
    *args
        ``datapath, array`` or one dictionary ``{datapath: array}``.
    chunks : tuple, True or None
        The HDF5 chunk shape of the datasets; ``True`` (default) takes each array's first block shape.
    **kwargs
        Options of ``h5py.File.create_dataset`` (``compression="gzip"``, ``shuffle=True``, ...).

    Returns
    -------
    None

    Examples
    --------
    >>> import os, tempfile, numpy as np, h5py, gpuscale.array as ga
    >>> path = os.path.join(tempfile.mkdtemp(), "data.h5")
    >>> x = ga.asarray(np.arange(12.0).reshape(3, 4), chunks=(2, 2))
    >>> ga.to_hdf5(path, "/x", x, compression="gzip")
    >>> with h5py.File(path) as f:
    ...     f["x"][:].sum(), f["x"].chunks
    (np.float64(66.0), (2, 2))
    """
    from gpuscale.array.storing import check_known_chunks, store

    data = _arrays_by_path(args)
    for x in data.values():  # before the file is opened: nothing is created for an array that cannot be written
        check_known_chunks(x, "to_hdf5")
    new_file = not os.path.exists(filename)
    specs = {path: {"shape": x.shape, "dtype": x.dtype, "chunks": _dataset_chunks(x, chunks), **kwargs}
             for path, x in data.items()}
    try:
        with hdf5_io.open_file(filename) as f:
            targets, created = hdf5_io.require_datasets(f, specs)
            try:
                store(list(data.values()), targets, lock=True)
            except BaseException:
                hdf5_io.remove_datasets(f, created)
                raise
    except BaseException:
        if new_file and os.path.exists(filename):
            os.remove(filename)
        raise
