"""The reductions among dask.array's ``Array`` methods: ``x.all()``, ``x.prod()``, ``x.argmax()``, ``x.topk(k)``
...; a base class of :class:`gpuscale.array.methods.ArrayMethods`."""

from __future__ import annotations

from typing import Any

from gpuscale.array.lazy_modules import array_module as _m


class ReductionMethods:
    """dask.array's reduction methods of :class:`gpuscale.array.Array`."""

    __slots__ = ()

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
