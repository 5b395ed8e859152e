"""The output methods among dask.array's ``Array`` methods: ``x.store(...)``, ``x.to_zarr(...)``,
``x.to_delayed()`` ...; a base class of :class:`gpuscale.array.methods.ArrayMethods`."""

from __future__ import annotations

from typing import Any

from gpuscale.array.lazy_modules import array_module as _m


class OutputMethods:
    """dask.array's methods of :class:`gpuscale.array.Array` that write or convert it."""

    __slots__ = ()

    def to_dask_array(self) -> Any:
        """This array as a dask array over the same task graph (``dask.array.asarray`` calls it).

        Examples
        --------
        >>> import dask.array as da, gpuscale.array as ga
        >>> da.asarray(ga.arange(4, chunks=2)).compute().tolist()
        [0, 1, 2, 3]
        """
        from gpuscale.array.interop import to_dask_array

        return to_dask_array(self)

    def store(self, targets: Any, **kwargs: Any) -> Any:
        """Write into ``targets`` block by block.

        The method form of :func:`gpuscale.array.store` (see it for the keywords).

        Parameters
        ----------
        targets
            Anything supporting ``target[region] = block`` (a NumPy array, an h5py dataset, a Zarr array ...).
        **kwargs
            As :func:`gpuscale.array.store` (``lock=``, ``compute=``, ``return_stored=`` ...).

        Returns
        -------
        None, or what :func:`gpuscale.array.store` returns for its keywords

        Examples
        --------
        >>> import numpy as np, gpuscale.array as ga
        >>> target = np.zeros(4, dtype="int64")
        >>> ga.arange(4, chunks=2).store(target)
        >>> target.tolist()
        [0, 1, 2, 3]
        """
        return _m("storing").store(self, targets, **kwargs)

    def to_zarr(self, *args: Any, **kwargs: Any) -> Any:
        """Write to a Zarr array.

        The method form of :func:`gpuscale.array.to_zarr` (see it for the parameters).

        Returns
        -------
        None, or an Array
            The lazy write (``compute=False``) or the stored array (``return_stored=True``).

        Examples
        --------
        >>> import os, tempfile, gpuscale.array as ga
        >>> path = os.path.join(tempfile.mkdtemp(), "x.zarr")
        >>> ga.arange(4, chunks=2).to_zarr(path)
        >>> ga.from_zarr(path).compute().tolist()
        [0, 1, 2, 3]
        """
        return _m("storing").to_zarr(self, *args, **kwargs)

    def to_hdf5(self, filename: Any, datapath: str, **kwargs: Any) -> None:
        """Write into dataset ``datapath`` of an HDF5 file.

        The method form of :func:`gpuscale.array.to_hdf5` (see it for the keywords).

        Parameters
        ----------
        filename : str or path
            The HDF5 file (created if missing).
        datapath : str
            The dataset's path in the file.
        **kwargs
            As :func:`gpuscale.array.to_hdf5` (``chunks=`` and ``h5py`` dataset options).

        Returns
        -------
        None

        Examples
        --------
        >>> import os, tempfile, h5py, gpuscale.array as ga
        >>> path = os.path.join(tempfile.mkdtemp(), "data.h5")
        >>> ga.arange(4, chunks=2).to_hdf5(path, "/x")
        >>> with h5py.File(path) as f:
        ...     f["x"][:].tolist()
        [0, 1, 2, 3]
        """
        _m("hdf5").to_hdf5(filename, datapath, self, **kwargs)

    def to_svg(self, size: int = 500) -> str:
        """An SVG picture of the blocks, as dask's ``Array.to_svg`` (:func:`gpuscale.array.display.chunks_svg`).

        Parameters
        ----------
        size : int
            Length in pixels of the picture's longer side.

        Returns
        -------
        str
            The SVG text.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> svg = ga.ones((10, 20), chunks=5).to_svg(size=100)
        >>> svg.startswith("<svg"), svg.count("<line")
        (True, 8)
        """
        return _m("display").chunks_svg(self.chunks, size=size)

    def to_delayed(self, optimize_graph: bool = True) -> Any:
        """One dask ``Delayed`` per block, in an object array shaped as :attr:`numblocks`.

        The method form of :func:`gpuscale.array.interop.to_delayed`.

        Parameters
        ----------
        optimize_graph : bool
            Build the delayed objects from the optimized plan.

        Returns
        -------
        numpy.ndarray of dask.delayed.Delayed

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> blocks = ga.arange(4, chunks=2).to_delayed()
        >>> blocks.shape, [b.compute().tolist() for b in blocks]
        ((2,), [[0, 1], [2, 3]])
        """
        return _m("interop").to_delayed(self, optimize_graph=optimize_graph)

    def to_dask_dataframe(self, columns: Any = None, index: Any = None, meta: Any = None) -> Any:
        """A lazy gpuscale DataFrame (2-d) or Series (1-d), one partition per block of rows.

        The method form of :func:`gpuscale.dataframe.from_dask_array` (dask's name).

        Parameters
        ----------
        columns : list or str, optional
            Column names (a 2-d array) or the Series name.
        index : optional
            Not used yet: the rows are numbered from 0 across partitions (known divisions).
        meta : optional
            An empty pandas/cuDF object describing the result.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> df = ga.asarray([[1, 2], [3, 4]], chunks=1).to_dask_dataframe(columns=["a", "b"])
        >>> df.npartitions, df.compute().to_dict("list")
        (2, {'a': [1, 3], 'b': [2, 4]})
        """
        from gpuscale.dataframe import from_dask_array

        return from_dask_array(self, columns=columns, index=index, meta=meta)
