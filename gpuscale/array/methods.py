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


def _out(out: Any, result: Any) -> Any:
    return _m("nanreductions").handle_out(out, result)


class ArrayMethods:
    """The dask.array methods of :class:`gpuscale.array.Array` (see the module docstring)."""

    __slots__ = ()

    # -- reductions ------------------------------------------------------------------------------------------
    def all(self, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """True where every element along ``axis`` is true (:func:`gpuscale.array.all`)."""
        return _out(out, _m("statistical").all(self, axis=axis, keepdims=keepdims))

    def any(self, axis: Any = None, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """True where any element along ``axis`` is true (:func:`gpuscale.array.any`)."""
        return _out(out, _m("statistical").any(self, axis=axis, keepdims=keepdims))

    def prod(self, axis: Any = None, dtype: Any = None, keepdims: bool = False, split_every: Any = None,
             out: Any = None) -> Any:
        """Product along ``axis`` (:func:`gpuscale.array.prod`)."""
        return _out(out, _m("statistical").prod(self, axis=axis, dtype=dtype, keepdims=keepdims))

    def argmax(self, axis: Any = None, *, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """Position of the first maximum along ``axis`` (flattened when None)."""
        return _out(out, _m("searching").argmax(self, axis=axis, keepdims=keepdims))

    def argmin(self, axis: Any = None, *, keepdims: bool = False, split_every: Any = None, out: Any = None) -> Any:
        """Position of the first minimum along ``axis`` (flattened when None)."""
        return _out(out, _m("searching").argmin(self, axis=axis, keepdims=keepdims))

    def moment(self, order: int, axis: Any = None, dtype: Any = None, keepdims: bool = False, ddof: int = 0,
               split_every: Any = None, out: Any = None) -> Any:
        """Central moment (:func:`gpuscale.array.moment`)."""
        return _m("moments").moment(self, order, axis=axis, dtype=dtype, keepdims=keepdims, ddof=ddof, out=out)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Any:
        """Sum along a diagonal (:func:`gpuscale.array.trace`)."""
        return _m("matrices").trace(self, offset=offset, axis1=axis1, axis2=axis2, dtype=dtype)

    def topk(self, k: int, axis: int = -1, split_every: Any = None) -> Any:
        """The ``k`` largest elements along ``axis`` (:func:`gpuscale.array.topk`)."""
        return _m("selection").topk(self, k, axis=axis)

    def argtopk(self, k: int, axis: int = -1, split_every: Any = None) -> Any:
        """Positions of the ``k`` largest elements along ``axis`` (:func:`gpuscale.array.argtopk`)."""
        return _m("selection").argtopk(self, k, axis=axis)

    # -- element-wise and shape ----------------------------------------------------------------------------------
    def clip(self, min: Any = None, max: Any = None) -> Any:  # noqa: A002
        """Clamp to ``[min, max]`` (:func:`gpuscale.array.clip`)."""
        return _m("elementwise").clip(self, min, max)

    def round(self, decimals: int = 0) -> Any:
        """Round to ``decimals`` places (:func:`gpuscale.array.around`)."""
        return _m("ufuncs").around(self, decimals)

    @property
    def real(self) -> Any:
        """The real part (the array itself for real dtypes)."""
        return _m("elementwise").real(self) if self.dtype.kind == "c" else self.copy()

    @property
    def imag(self) -> Any:
        """The imaginary part (zeros for real dtypes)."""
        if self.dtype.kind == "c":
            return _m("elementwise").imag(self)
        return _m("creation").zeros_like(self)

    @property
    def itemsize(self) -> int:
        """Bytes per element."""
        return self.dtype.itemsize

    @property
    def A(self) -> Any:  # noqa: N802 - dask's name
        """The array itself (NumPy matrix compatibility, as dask)."""
        return self

    @property
    def dask(self) -> dict:
        """The task graph of the optimized plan (a dict), as dask's ``x.dask``."""
        return self.__dask_graph__()

    @property
    def partitions(self) -> Any:
        """Index by blocks, as :attr:`blocks` (dask's other name)."""
        return self.blocks

    def copy(self) -> Any:
        """A new array of the same data (in-place updates of one leave the other unchanged)."""
        return type(self)(self._expr)

    def ravel(self) -> Any:
        """The array as one dimension (:func:`gpuscale.array.ravel`)."""
        return _m("stacking").ravel(self)

    flatten = ravel

    def repeat(self, repeats: Any, axis: Any = None) -> Any:
        """Repeat each element (:func:`gpuscale.array.repeat`)."""
        return _m("manipulation").repeat(self, repeats, axis=axis)

    def swapaxes(self, axis1: int, axis2: int) -> Any:
        """Exchange two axes (:func:`gpuscale.array.swapaxes`)."""
        return _m("matrices").swapaxes(self, axis1, axis2)

    def dot(self, other: Any) -> Any:
        """Dot product (:func:`gpuscale.array.dot`)."""
        return _m("matrices").dot(self, other)

    def nonzero(self) -> tuple:
        """Indices of the non-zero elements (:func:`gpuscale.array.nonzero`)."""
        return _m("searching").nonzero(self)

    def choose(self, choices: Any) -> Any:
        """Pick from ``choices`` by this array's values (:func:`gpuscale.array.choose`)."""
        return _m("selection").choose(self, choices)

    def view(self, dtype: Any = None, order: str = "C") -> Any:
        """The bytes reinterpreted as ``dtype`` (NumPy and CuPy chunks), as ``ndarray.view``.

        The last axis changes length by the ratio of the item sizes; each block's length along it must
        divide evenly.
        """
        from gpuscale.array.api import map_blocks
        from gpuscale.backends import array as chunkfn

        if dtype is None:
            return self.copy()
        if order != "C":
            raise NotImplementedError("view: only order='C' is supported")
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
        """Apply ``func`` to overlapping blocks (:func:`gpuscale.array.map_overlap`)."""
        return _m("overlap").map_overlap(func, self, depth=depth, boundary=boundary, trim=trim, **kwargs)

    def shuffle(self, indexer: Any, axis: int, chunks: Any = "auto") -> Any:
        """Reorder along ``axis`` by groups of positions (:func:`gpuscale.array.shuffle`)."""
        return _m("routines").shuffle(self, indexer, axis, chunks=chunks)

    # -- output ----------------------------------------------------------------------------------------------
    def store(self, targets: Any, **kwargs: Any) -> Any:
        """Write into ``targets`` block by block (:func:`gpuscale.array.store`)."""
        return _m("api").store(self, targets, **kwargs)

    def to_zarr(self, *args: Any, **kwargs: Any) -> Any:
        """Write to a Zarr array (:func:`gpuscale.array.to_zarr`)."""
        return _m("api").to_zarr(self, *args, **kwargs)

    def to_hdf5(self, filename: Any, datapath: str, **kwargs: Any) -> None:
        """Write into dataset ``datapath`` of an HDF5 file (:func:`gpuscale.array.to_hdf5`)."""
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
        """One dask ``Delayed`` per block (:func:`gpuscale.array.interop.to_delayed`)."""
        return _m("interop").to_delayed(self, optimize_graph=optimize_graph)

    def to_dask_dataframe(self, columns: Any = None, index: Any = None, meta: Any = None) -> Any:
        """A lazy gpuscale DataFrame (2-d) or Series (1-d), one partition per block of rows
        (:func:`gpuscale.dataframe.from_dask_array`)."""
        from gpuscale.dataframe import from_dask_array

        return from_dask_array(self, columns=columns, index=index, meta=meta)
