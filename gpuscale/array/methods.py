"""dask.array's ``Array`` methods besides the standard's: ``x.all()``, ``x.dot(y)``, ``x.ravel()``,
``x.topk(k)``, ``x.map_overlap(...)``, ``x.to_delayed()`` ...

:class:`ArrayMethods` is a base class of :class:`gpuscale.array.Array`; each method calls the
module-level function of the same name, so the two never differ.  The reductions are in
:mod:`gpuscale.array.methods_reductions`, the writers and converters in :mod:`gpuscale.array.methods_output`.

>>> import gpuscale.array as ga
>>> x = ga.asarray([[1, 2], [3, 4]], chunks=1)
>>> x.ravel().compute().tolist(), int(x.prod()), x.T.dot(x).compute().tolist()
([1, 2, 3, 4], 24, [[10, 14], [14, 20]])
"""

from __future__ import annotations

from typing import Any

from gpuscale.array.lazy_modules import array_module as _m
from gpuscale.array.methods_output import OutputMethods
from gpuscale.array.methods_reductions import ReductionMethods


class ArrayMethods(ReductionMethods, OutputMethods):
    """The dask.array methods of :class:`gpuscale.array.Array` (see the module docstring)."""

    __slots__ = ()

    # -- element-wise and shape ----------------------------------------------------------------------------------
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
        return _m("shuffling").shuffle(self, indexer, axis, chunks=chunks)
