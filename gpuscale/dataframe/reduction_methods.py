"""The reductions of DataFrame and Series (``sum`` ... ``sem``, ``size``) as a mixin of
:class:`gpuscale.dataframe.core.FrameBase`, with dask's signatures and pandas' meaning for every dtype."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import decimal_products as bdec
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import tree_reduce
from gpuscale.dataframe.scalar import Scalar


def new_collection(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection as wrap  # core imports this module

    return wrap(expr)


class ReductionMethods:
    # dask's signatures; pandas decides what each reduction means for each dtype (bf.reduction_meta runs
    # it on a stand-in first, so what pandas refuses raises pandas' error at once).  axis=1 reduces each
    # row inside its partition (divisions kept); axis=None on a DataFrame reduces all values, as pandas.
    def sum(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, min_count: int = 0,
            split_every: Any = False, **kwargs: Any) -> Any:
        """Sum: a lazy Scalar for a Series, a Series by column for a DataFrame (``axis=1``: by row).

        Parameters
        ----------
        axis : {0, 1, "index", "columns", None}
            0: of each column; 1: of each row (partition by partition); None: of all values.
        skipna : bool
            Leave missing values out (else a missing value makes the answer missing).
        numeric_only : bool
            Of a DataFrame: only numbers and booleans.
        min_count : int
            Missing unless at least this many values are present.
        split_every : int, optional
            Partials combined per step of the tree.
        **kwargs
            NumPy's ``dtype=None``, ``out=None`` and ``keepdims=False`` (``np.sum(df)`` passes them).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3], "y": [10, 20, 30]}), npartitions=2, backend="cpu")
        >>> df.sum().compute().tolist(), df.sum(axis=1).compute().tolist(), int(df.x.sum().compute())
        ([6, 60], [11, 22, 33], 6)
        """
        return self._reduce("sum", axis, split_every, kwargs, skipna=skipna, numeric_only=numeric_only,
                            min_count=min_count)

    def prod(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, min_count: int = 0,
             split_every: Any = False, **kwargs: Any) -> Any:
        """Product (parameters as :meth:`sum`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> int(gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu").prod().compute())
        24
        """
        return self._reduce("prod", axis, split_every, kwargs, skipna=skipna, numeric_only=numeric_only,
                            min_count=min_count)

    product = prod

    def min(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, split_every: Any = False,
            **kwargs: Any) -> Any:
        """Minimum (parameters as :meth:`sum`; strings, datetimes and timedeltas as pandas).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [3, 1, 2], "y": [4, 6, 5]}), npartitions=2, backend="cpu")
        >>> df.min().compute().tolist(), df.min(axis=1).compute().tolist()
        ([1, 4], [3, 1, 2])
        """
        return self._reduce("min", axis, split_every, kwargs, skipna=skipna, numeric_only=numeric_only)

    def max(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, split_every: Any = False,
            **kwargs: Any) -> Any:
        """Maximum (parameters as :meth:`sum`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> int(gd.from_pandas(pd.Series([3, 1, 2]), npartitions=2, backend="cpu").max().compute())
        3
        """
        return self._reduce("max", axis, split_every, kwargs, skipna=skipna, numeric_only=numeric_only)

    def count(self, axis: Any = 0, numeric_only: bool = False, split_every: Any = False) -> Any:
        """Number of non-missing values (of each column; ``axis=1``: of each row).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, None, 3.0], "y": 1}), npartitions=2, backend="cpu")
        >>> df.count().compute().tolist(), df.count(axis=1).compute().tolist()
        ([2, 3], [2, 1, 2])
        """
        if axis is None and bf.is_dataframe_like(self._meta):
            raise ValueError("count: no axis named None for a DataFrame (pandas' count takes 0 or 1)")
        kwargs = {"numeric_only": numeric_only} if bf.is_dataframe_like(self._meta) else {}
        return self._reduce("count", axis, split_every, {}, **kwargs)

    def mean(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, split_every: Any = False,
             **kwargs: Any) -> Any:
        """Mean (parameters as :meth:`sum`; of datetimes a timestamp, of timedeltas a timedelta).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3, 4]}), npartitions=2, backend="cpu")
        >>> float(df.x.mean().compute()), df.mean(axis=1).compute().tolist()
        (2.5, [1.0, 2.0, 3.0, 4.0])
        """
        return self._reduce("mean", axis, split_every, kwargs, skipna=skipna, numeric_only=numeric_only)

    def var(self, axis: Any = 0, skipna: bool = True, ddof: int = 1, numeric_only: bool = False,
            split_every: Any = False, **kwargs: Any) -> Any:
        """Variance with ``ddof`` delta degrees of freedom (parameters as :meth:`sum`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
        >>> round(float(s.var().compute()), 6), round(float(s.var(ddof=0).compute()), 6)
        (1.666667, 1.25)
        """
        return self._reduce("var", axis, split_every, kwargs, skipna=skipna, ddof=ddof, numeric_only=numeric_only)

    def std(self, axis: Any = 0, skipna: bool = True, ddof: int = 1, numeric_only: bool = False,
            split_every: Any = False, **kwargs: Any) -> Any:
        """Standard deviation (parameters as :meth:`var`; of datetimes and timedeltas a timedelta).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series(pd.to_datetime(["2020-01-01", "2020-01-03"])), npartitions=2,
        ...                    backend="cpu")
        >>> s.std().compute()
        Timedelta('1 days 09:56:28.051789')
        """
        return self._reduce("std", axis, split_every, kwargs, skipna=skipna, ddof=ddof, numeric_only=numeric_only)

    def _boolean_columns(self, bool_only: bool) -> Any:
        """With pandas' ``bool_only=True``, a DataFrame's NumPy boolean columns (pandas leaves nullable ones out)."""
        if not bool_only or not bf.is_dataframe_like(self._meta):
            return self
        return self[[c for c, d in self._meta.dtypes.items() if str(d) == "bool"]]

    def any(self, axis: Any = 0, skipna: bool = True, split_every: Any = False, bool_only: bool = False,
            **kwargs: Any) -> Any:
        """True if any value is True (of each column; ``axis=1``: of each row).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [0, 0, 1], "y": 0}), npartitions=2, backend="cpu")
        >>> df.any().compute().tolist(), df.any(axis=1).compute().tolist()
        ([True, False], [False, False, True])
        """
        return self._boolean_columns(bool_only)._reduce("any", axis, split_every, kwargs, skipna=skipna)

    def all(self, axis: Any = 0, skipna: bool = True, split_every: Any = False, bool_only: bool = False,
            **kwargs: Any) -> Any:
        """True if all values are True (parameters as :meth:`any`).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([1, 2, 0]), npartitions=2, backend="cpu").all().compute())
        False
        """
        return self._boolean_columns(bool_only)._reduce("all", axis, split_every, kwargs, skipna=skipna)

    def _reduce(self, how: str, axis: Any = 0, split_every: Any = None, numpy_kwargs: dict | None = None,
                **kwargs: Any) -> Any:
        _check_numpy_kwargs(how, numpy_kwargs or {})
        axis = self._reduction_axis(axis)
        if how in ("mean", "var", "std", "sem"):
            bf.refuse_text_series(self._meta, how)
        if axis == 1:
            return self._by_row(how, _without_min_count(kwargs, how))
        if axis is None and bf.is_dataframe_like(self._meta):
            return self._reduce_all_values(how, split_every, **kwargs)
        return new_collection(self._tree_reduction(how, split_every, **kwargs))

    def _by_row(self, how: str, kwargs: dict) -> Any:
        """Reduction ``how`` of each row, inside its partition: the rows keep their labels (divisions kept)."""
        from gpuscale.dataframe.expr.loc import IndexKeepingMap

        meta = bf.make_meta(bf.row_reduction(bf.meta_nonempty(self._meta), how, **kwargs))  # pandas' errors
        return new_collection(IndexKeepingMap(bf.row_reduction, {**kwargs, "like": meta.dtype}, meta, how, False,
                                              self._expr, how))

    def _reduction_axis(self, axis: Any) -> Any:
        """0, 1 or None from dask's/pandas' spellings (a Series has only axis 0)."""
        frame = bf.is_dataframe_like(self._meta)
        if not any(axis is a or (isinstance(axis, (int, str)) and axis == a)
                   for a in ((0, 1, "index", "rows", "columns", None) if frame else (0, "index", "rows", None))):
            raise ValueError(f"No axis named {axis!r} for object type {type(self).__name__}")
        axis = {"index": 0, "rows": 0, "columns": 1}.get(axis, axis) if isinstance(axis, str) else axis
        return 0 if axis is None and not frame else axis

    def _tree_reduction(self, how: str, split_every: Any, numeric_only: bool = False, min_count: int = 0,
                        **kwargs: Any) -> Any:
        frame = self._meta
        if bf.is_dataframe_like(frame) and how not in ("any", "all"):  # pandas' any/all have no numeric_only
            kwargs["numeric_only"] = numeric_only
        elif numeric_only:
            kwargs["numeric_only"] = True  # pandas refuses it for a non-numeric Series
        result_meta = bf.reduction_meta(frame, how, **kwargs)
        source = self[bf.numeric_columns(frame)] if numeric_only and bf.is_dataframe_like(frame) else self
        kwargs.pop("numeric_only", None)
        chunk_kwargs = {"how": how, "min_count": min_count, **{k: v for k, v in kwargs.items() if k == "skipna"}}
        agg_kwargs = {"how": how, "meta": source._meta, "result_meta": result_meta, "min_count": min_count,
                      **kwargs}
        meta = bf.make_meta(result_meta)
        steps = (bf.reduce_chunk, bf.reduce_combine, bf.reduce_aggregate)
        if how == "prod" and bdec.decimal_columns(source._meta):  # (rounded at every step: gathered, in order)
            steps = (bdec.decimal_prod_chunk, bdec.decimal_prod_combine, bdec.decimal_prod_aggregate)
        return tree_reduce(source.expr, *steps, agg_kwargs, meta, how, split_every, chunk_kwargs=chunk_kwargs)

    def _reduce_all_values(self, how: str, split_every: Any, numeric_only: bool = False, **kwargs: Any) -> Any:
        """pandas' ``axis=None`` of a DataFrame: the reduction of all its values in their common dtype."""
        flat = self._all_values(numeric_only)
        return new_collection(flat._tree_reduction(how, split_every, **kwargs))

    def _all_values(self, numeric_only: bool = False) -> Any:
        """All values of this DataFrame (of its numeric columns) as one Series in their common dtype."""
        frame = self[bf.numeric_columns(self._meta)] if numeric_only else self
        return new_collection(map_partitions_expr(bf.flat_values, frame.expr, label="flat-values"))

    @property
    def size(self) -> "Scalar":
        """Number of elements (rows x columns), lazy."""
        meta = bf.make_meta(bf.meta_nonempty(self._meta).size)
        return new_collection(tree_reduce(self._expr, bf.reduce_chunk, bf.reduce_combine, bf.reduce_aggregate,
                                          {"how": "size"}, meta, "size", chunk_kwargs={"how": "size"}))


def _check_numpy_kwargs(how: str, kwargs: dict) -> None:
    """NumPy's functions call ``obj.sum(axis, dtype=None, out=None)``: its defaults are accepted."""
    defaults = {"dtype": None, "out": None, "keepdims": False}
    unknown = sorted(set(kwargs) - set(defaults))
    if unknown:
        raise TypeError(f"{how}() got unexpected keyword arguments {unknown}")
    changed = sorted(k for k, v in kwargs.items() if v is not defaults[k] and v != defaults[k])
    if changed:
        raise NotImplementedError(f"{how}: {changed} other than NumPy's defaults are not supported; "
                                  "cast the collection or the result instead")


def _without_min_count(kwargs: dict, how: str) -> dict:
    # pandas' row-wise sum/prod take min_count; the other reductions do not
    return kwargs if how in ("sum", "prod") else {k: v for k, v in kwargs.items() if k != "min_count"}
