"""dask.array's ``Array`` methods besides the standard's: ``x.all()``, ``x.dot(y)``, ``x.ravel()``,
``x.topk(k)``, ``x.map_overlap(...)``, ``x.to_delayed()`` ...

:class:`ArrayMethods` is a base class of :class:`gpuscale.array.Array`; each method calls the
module-level function of the same name, so the two never differ.

>>> import gpuscale.array as ga
>>> x = ga.asarray([[1, 2], [3, 4]], chunks=1)
>>> x.ravel().compute().tolist(), int(x.prod()), x.T.dot(x).compute().tolist()
([1, 2, 3, 4], 24, [[10, 14], [14, 20]])
"""

from __future__ import annotations

import importlib
from typing import Any


def _m(name: str) -> Any:
    return importlib.import_module(f"gpuscale.array.{name}")


class ArrayMethods:
    """The dask.array methods of :class:`gpuscale.array.Array` (see the module docstring)."""

    __slots__ = ()

    # -- reductions ------------------------------------------------------------------------------------------
    def all(self, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """True where every element along ``axis`` is true.

        The method form of :func:`gpuscale.array.all` (see it for the parameters).

        Parameters
        ----------
        axis : int or tuple of int, optional
            Axes to reduce (all when None).
        keepdims : bool
            Keep the reduced axes with length one.
        split_every : int or dict, optional
            dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
        out : Array, optional
            dask's ``out=``: this gpuscale array then holds the result.

        Returns
        -------
        Array
            bool.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> bool(x.all()), x.any(axis=1).compute().tolist()
        (True, [True, True])
        """
        return _m("statistical").all(self, axis, keepdims, split_every, out)

    def any(self, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """True where any element along ``axis`` is true.

        The method form of :func:`gpuscale.array.any` (see it for the parameters).

        Parameters
        ----------
        axis : int or tuple of int, optional
            Axes to reduce (all when None).
        keepdims : bool
            Keep the reduced axes with length one.
        split_every : int or dict, optional
            dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
        out : Array, optional
            dask's ``out=``: this gpuscale array then holds the result.

        Returns
        -------
        Array
            bool.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> ga.asarray([[0, 0], [0, 2]]).any(axis=1).compute().tolist()
        [False, True]
        """
        return _m("statistical").any(self, axis, keepdims, split_every, out)

    def prod(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
             out: Any = None) -> Any:
        """Product along ``axis``.

        The method form of :func:`gpuscale.array.prod` (see it for the parameters).

        Parameters
        ----------
        axis : int or tuple of int, optional
            Axes to reduce (all when None).
        dtype : dtype, optional
            Accumulator and result dtype.
        keepdims : bool
            Keep the reduced axes with length one.
        split_every : int or dict, optional
            dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
        out : Array, optional
            dask's ``out=``: this gpuscale array then holds the result.

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> int(x.prod()), x.prod(axis=0).compute().tolist()
        (720, [4, 15, 12])
        """
        return _m("statistical").prod(self, axis, dtype, keepdims, split_every, out)

    def argmax(self, axis: Any = None, *, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """Position of the first maximum along ``axis`` (of the flattened array when None).

        The method form of :func:`gpuscale.array.argmax` (see it for the parameters).

        Parameters
        ----------
        axis : int or None
            The axis to search.
        keepdims : bool
            Keep the reduced axes with length one.
        split_every : int or dict, optional
            dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
        out : Array, optional
            dask's ``out=``: this gpuscale array then holds the result.

        Returns
        -------
        Array
            int64.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> int(x.argmax()), x.argmax(axis=1).compute().tolist()
        (5, [1, 2])
        """
        return _m("searching").argmax(self, axis, keepdims, split_every, out)

    def argmin(self, axis: Any = None, *, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """Position of the first minimum along ``axis`` (of the flattened array when None).

        The method form of :func:`gpuscale.array.argmin` (see it for the parameters).

        Parameters
        ----------
        axis : int or None
            The axis to search.
        keepdims : bool
            Keep the reduced axes with length one.
        split_every : int or dict, optional
            dask's tree width: partial results merged per task (an int, or ``{axis: n}``).
        out : Array, optional
            dask's ``out=``: this gpuscale array then holds the result.

        Returns
        -------
        Array
            int64.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> int(x.argmin()), x.argmin(axis=1).compute().tolist()
        (0, [0, 1])
        """
        return _m("searching").argmin(self, axis, keepdims, split_every, out)

    def moment(self, order: int, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: int = 0,
               split_every: Any = None, out: Any = None) -> Any:
        """Central moment of ``order`` along ``axis``.

        The method form of :func:`gpuscale.array.moment` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> float(ga.asarray([1.0, 2.0, 3.0, 4.0]).moment(2))
        1.25
        """
        return _m("moments").moment(self, order, axis, dtype, keepdims, ddof, split_every, out)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Any:
        """Sum along a diagonal.

        The method form of :func:`gpuscale.array.trace` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> int(x.trace()), int(x.trace(offset=1))
        (4, 11)
        """
        return _m("matrices").trace(self, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
        """The ``offset`` diagonal of the ``(axis1, axis2)`` planes, as ``numpy.ndarray.diagonal``.

        The method form of :func:`gpuscale.array.diagonal` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.diagonal().compute().tolist(), x.diagonal(offset=1).compute().tolist()
        ([1, 3], [5, 6])
        """
        return _m("matrices").diagonal(self, offset=offset, axis1=axis1, axis2=axis2)

    def topk(self, k: int, axis: int = -1, split_every: Any = None) -> Any:
        """The ``k`` largest elements along ``axis`` (the ``-k`` smallest for negative ``k``), largest first.

        The method form of :func:`gpuscale.array.topk` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.topk(2).compute().tolist()
        [[5, 2], [6, 4]]
        """
        return _m("selection").topk(self, k, axis=axis)

    def argtopk(self, k: int, axis: int = -1, split_every: Any = None) -> Any:
        """Positions of the ``k`` largest elements along ``axis`` (the ``-k`` smallest for negative ``k``).

        The method form of :func:`gpuscale.array.argtopk` (see it for the parameters).

        Returns
        -------
        Array
            int64.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.argtopk(1, axis=0).compute().tolist()
        [[1, 0, 1]]
        """
        return _m("selection").argtopk(self, k, axis=axis)

    # -- element-wise and shape ----------------------------------------------------------------------------------
    def clip(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        """Clamp to ``[min, max]``.

        The method form of :func:`gpuscale.array.clip` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.clip(2, 4).compute().tolist()
        [[2, 4, 2], [4, 3, 4]]
        """
        return _m("elementwise").clip(self, min, max)

    def round(self, decimals: int = 0) -> Any:
        """Round to ``decimals`` places.

        The method form of :func:`gpuscale.array.around` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> ga.asarray([1.234, 5.678]).round(1).compute().tolist()
        [1.2, 5.7]
        """
        return _m("ufuncs").around(self, decimals)

    @property
    def real(self) -> Any:
        """The real part (a copy of the array for real dtypes).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> z = ga.asarray([1 + 2j, 3 - 1j])
        >>> z.real.compute().tolist(), z.imag.compute().tolist()
        ([1.0, 3.0], [2.0, -1.0])
        """
        return _m("elementwise").real(self) if self.dtype.kind == "c" else self.copy()

    @property
    def imag(self) -> Any:
        """The imaginary part (zeros for real dtypes).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> ga.asarray([1.5, 2.0]).imag.compute().tolist()
        [0.0, 0.0]
        """
        if self.dtype.kind == "c":
            return _m("elementwise").imag(self)
        return _m("creation").zeros_like(self)

    @property
    def itemsize(self) -> int:
        """Bytes per element.

        Returns
        -------
        int

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> ga.ones(3, dtype=ga.float32).itemsize
        4
        """
        return self.dtype.itemsize

    @property
    def A(self) -> Any:  # noqa: N802 - dask's name
        """The array itself (NumPy matrix compatibility, as dask).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.ones(3)
        >>> x.A is x
        True
        """
        return self

    @property
    def dask(self) -> dict:
        """The task graph of the optimized plan (a dict), as dask's ``x.dask``.

        Returns
        -------
        dict
            ``{key: task}``.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> graph = ga.arange(4, chunks=2).dask
        >>> isinstance(graph, dict), len(graph)
        (True, 2)
        """
        return self.__dask_graph__()

    @dask.setter
    def dask(self, graph: Any) -> None:
        # Collection.dask's setter: compute this array's keys from ``graph`` (Client.normalize_collection)
        self._replace_graph(graph)

    @property
    def partitions(self) -> Any:
        """Index by blocks, as :attr:`blocks` (dask's other name).

        Returns
        -------
        BlockView

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.partitions[0, 1].compute().tolist()
        [[2], [6]]
        """
        return self.blocks

    def copy(self) -> Any:
        """A new array of the same data: in-place updates of one leave the other unchanged.

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> y = x.copy()
        >>> y[0, 0] = 9
        >>> int(x[0, 0]), int(y[0, 0])
        (1, 9)
        """
        return type(self)(self._expr)

    def ravel(self) -> Any:
        """The array as one dimension, in row-major order (``flatten`` is the same).

        The method form of :func:`gpuscale.array.ravel` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.ravel().compute().tolist()
        [1, 5, 2, 4, 3, 6]
        """
        return _m("stacking").ravel(self)

    flatten = ravel

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        """Repeat each element ``repeats`` times along ``axis``.

        The method form of :func:`gpuscale.array.repeat` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> ga.asarray([1, 2]).repeat(2).compute().tolist()
        [1, 1, 2, 2]
        """
        return _m("manipulation").repeat(self, repeats, axis=axis)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        """Exchange two axes.

        The method form of :func:`gpuscale.array.swapaxes` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.swapaxes(0, 1).compute().tolist()
        [[1, 4], [5, 3], [2, 6]]
        """
        return _m("matrices").swapaxes(self, axis1, axis2)

    def dot(self, other: Any) -> Any:
        """Dot product with ``other``, as ``ndarray.dot``.

        The method form of :func:`gpuscale.array.dot` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.asarray([[1, 5, 2], [4, 3, 6]], chunks=2)
        >>> x.dot(ga.asarray([1, 1, 1])).compute().tolist()
        [8, 13]
        """
        return _m("matrices").dot(self, other)

    def nonzero(self) -> tuple:
        """Indices of the non-zero elements, one array per dimension.

        The method form of :func:`gpuscale.array.nonzero` (see it for the parameters).

        Returns
        -------
        tuple of Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> [i.compute().tolist() for i in ga.asarray([0, 3, 0, 4]).nonzero()]
        [[1, 3]]
        """
        return _m("searching").nonzero(self)

    def choose(self, choices: Any) -> Any:
        """Pick from ``choices`` by this array's values.

        The method form of :func:`gpuscale.array.choose` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> ga.asarray([0, 1, 0]).choose([ga.asarray([1, 2, 3]), ga.asarray([10, 20, 30])]).compute().tolist()
        [1, 20, 3]
        """
        return _m("selection").choose(self, choices)

    def view(self, dtype: Any = None, order: str = "C") -> Any:
        """The bytes reinterpreted as ``dtype`` (NumPy and CuPy chunks), as ``ndarray.view``.

        Parameters
        ----------
        dtype : dtype, optional
            The new dtype (None: a copy).
        order : {"C", "F"}
            The memory order the bytes are read in: ``"F"`` changes the first axis's length (as
            ``x.T.view(dtype).T``), as dask.

        Returns
        -------
        Array
            The last axis changes length by the ratio of the item sizes; each block's length along it must
            divide evenly.

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> import numpy as np
        >>> ga.asarray(np.array([1, 2], dtype="int32"), chunks=2).view("int16").compute().tolist()
        [1, 0, 2, 0]
        """
        from gpuscale.array.api import map_blocks
        from gpuscale.backends import array as chunkfn

        if dtype is None:
            return self.copy()
        if order not in ("C", "F"):
            raise ValueError(f"view: order must be 'C' or 'F', not {order!r}")
        if order == "F":
            return self.T.view(dtype).T
        new = chunkfn.numpy_dtype(dtype)
        old = self.dtype.itemsize
        if self.ndim == 0 and new.itemsize != old:
            raise ValueError("Changing the dtype of a 0d array is only supported if the itemsize is unchanged")
        last = self.chunks[-1] if self.ndim else ()
        if any(c * old % new.itemsize for c in last):
            raise ValueError(f"view: blocks of {last} elements of {self.dtype} do not divide into {new}")
        chunks = self.chunks[:-1] + (tuple(c * old // new.itemsize for c in last),) if self.ndim else ()
        return map_blocks(chunkfn.view_block, self, new, dtype=new, chunks=chunks)

    def map_overlap(self, func: Any, depth: Any, boundary: Any = None, trim: bool = True, **kwargs: Any) -> Any:
        """Apply ``func`` to blocks extended by ``depth`` elements of their neighbours, then trim.

        The method form of :func:`gpuscale.array.map_overlap` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.arange(6, chunks=3)
        >>> x.map_overlap(lambda b: b * 2, depth=1, boundary="none").compute().tolist()
        [0, 2, 4, 6, 8, 10]
        """
        return _m("overlap").map_overlap(func, self, depth=depth, boundary=boundary, trim=trim, **kwargs)

    def shuffle(self, indexer: Any, axis: int, chunks: Any = "auto") -> Any:
        """Reorder along ``axis`` by groups of positions (each group becomes a block).

        The method form of :func:`gpuscale.array.shuffle` (see it for the parameters).

        Returns
        -------
        Array

        Examples
        --------
        >>> import gpuscale.array as ga
        >>> x = ga.arange(6, chunks=3)
        >>> y = x.shuffle([[5, 0], [3, 1, 2, 4]], axis=0)
        >>> y.compute().tolist(), y.chunks
        ([5, 0, 3, 1, 2, 4], ((2, 4),))
        """
        return _m("routines").shuffle(self, indexer, axis, chunks=chunks)

    # -- output ----------------------------------------------------------------------------------------------
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
