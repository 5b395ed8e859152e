"""Label and position queries pandas has and dask lacks, each a lazy Scalar of one tree reduction:
``first_valid_index`` / ``last_valid_index`` of DataFrame and Series; of a Series ``argmax`` / ``argmin``
(positions across all partitions), ``is_unique`` and ``hasnans``.  ``take`` picks rows by position across
the partitions with a scan of row counts (:func:`rows_by_position`, also behind ``rolling(step=)``).  Partition functions:
:mod:`gpuscale.backends.frame.positions`."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["ValidIndexMethods", "SeriesPositionMethods", "TakeMethods", "FrameAsof", "rows_by_position",
           "asof_of_labels", "partition_lengths"]


def _new(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    return new_collection(expr)


def _valid_label(obj: Any, last: bool, split_every: Any) -> Any:
    kwargs = {"last": last}
    meta = bf.make_meta(bf.meta_nonempty(obj._meta).index[0])
    label = "last-valid-index" if last else "first-valid-index"
    return _new(tree_reduce(obj.expr, bf.valid_label_chunk, bf.valid_label_combine, bf.valid_label_aggregate,
                            kwargs, meta, label, split_every, chunk_kwargs=kwargs))


def partition_lengths(*collections: Any) -> list:
    """The rows of each partition of each collection (a tuple per collection), computed at once, together."""
    from gpuscale.backends import to_host
    from gpuscale.collection import compute

    counts = compute(*(c.map_partitions(len) for c in collections))
    return [tuple(int(n) for n in to_host(c).tolist()) for c in counts]


def rows_by_position(obj: Any, finish: Any, kwargs: dict, label: str, meta: Any = None) -> Any:
    """``finish(partition, {"rows": rows before it} or None, **kwargs)`` of each partition: rows picked by
    their position in the whole collection.  Divisions stay (the rows are a subset)."""
    from gpuscale.dataframe.expr.overlap import Scan

    meta = obj._meta if meta is None else meta
    return _new(Scan(obj.expr, bf.row_count_total, bf.row_count_combine, finish, kwargs, meta, label, True))


def asof_of_labels(obj: Any, where: Any, subset: Any = None, as_row: bool = False) -> Any:
    """``asof`` of several labels: a Series (of a DataFrame: a DataFrame) indexed by them, from one tree reduction
    of each partition's last row at or before each label with a value in every column of ``subset``, later
    partitions winning.  Its dtypes are pandas': the values' own where every label has a row, else ones holding
    missing values (integers: float64), asked at once of the first row with such values."""
    from gpuscale.dataframe.core import FrameBase

    if isinstance(where, FrameBase):
        raise NotImplementedError("asof: the labels must be given as a list, array or pandas Index")
    labels = list(where) if isinstance(where, (set, tuple)) else where
    rows = obj.dropna(subset=subset) if subset is not None else obj.dropna()
    first = rows.index.min().compute() if len(labels) else None  # (NaN / NaT where no row has values)
    full = not len(labels) or (first == first and first is not None and min(labels) >= first)
    if bf.is_dataframe_like(obj._meta):
        dtype = {c: bf.dtype_for_missing(d, full) for c, d in obj._meta.dtypes.items()}
    else:
        dtype = bf.dtype_for_missing(obj.dtype, full)
    kwargs = {"where": labels, "name": getattr(obj, "name", None), "dtype": dtype,
              "library": bf.library_of(obj._meta), "as_row": as_row}
    meta = bf.make_meta(bf.asof_many_aggregate([], **kwargs))
    return _new(tree_reduce(obj.expr, bf.asof_many_chunk, bf.asof_many_combine, bf.asof_many_aggregate, kwargs,
                            meta, "asof", chunk_kwargs={"where": list(labels), "subset": subset}))


class TakeMethods:
    """Mixin of DataFrame and Series: ``take``."""

    def take(self, indices: Any, axis: Any = 0, **kwargs: Any) -> Any:
        """The rows at the positions ``indices`` (across all partitions; negative ones from the end), in that
        order, as pandas' ``take`` (``axis=1``: a DataFrame's columns at those positions).

        The collection's length is computed at once (positions out of bounds raise pandas' ``IndexError``
        then).  Positions in ascending order keep the partitions and divisions; others are put in the
        given order by a sort on their place.

        Parameters
        ----------
        indices : list of int
            Positions, repeats allowed.
        axis : 0 or 1
            Rows, or (DataFrame) columns.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([10, 20, 30, 40, 50], index=list("abcde")), npartitions=2, backend="cpu")
        >>> s.take([0, 3, 4]).compute().to_dict()
        {'a': 10, 'd': 40, 'e': 50}
        >>> s.take([-1, 1]).compute().to_dict()
        {'e': 50, 'b': 20}
        """
        if kwargs:
            raise TypeError(f"take: unexpected keyword arguments {sorted(kwargs)}")
        if axis in (1, "columns"):
            if not bf.is_dataframe_like(self._meta):
                raise ValueError("take: a Series has only axis 0")
            return self[list(self.columns[list(indices)])]
        if axis not in (0, "index"):
            raise ValueError(f"take: axis must be 0 or 1, got {axis!r}")
        positions, in_order = bf.take_positions(indices, len(self))
        if in_order:
            return rows_by_position(self, bf.rows_at_positions, {"positions": positions}, "take")
        series = bf.is_series_like(self._meta)
        frame = self.to_frame("__take_value__") if series else self
        kwargs = {"positions": positions, "order_column": "__take_order__"}
        meta = bf.rows_at_positions(frame._meta, None, positions=positions[:0], order_column="__take_order__")
        tagged = rows_by_position(frame, bf.rows_at_positions, kwargs, "take", meta)
        ordered = tagged.sort_values("__take_order__").drop(columns="__take_order__")
        return ordered["__take_value__"].rename(self.name) if series else ordered


class FrameAsof:
    """Mixin of DataFrame: ``asof``."""

    def asof(self, where: Any, subset: Any = None) -> Any:
        """The last row at or before each label of ``where`` (a sorted index) with a value in every column of
        ``subset`` (default: all), as pandas' ``DataFrame.asof``: a DataFrame indexed by the labels (one label:
        that row as a Series named by it); one tree reduction.

        Parameters
        ----------
        where : label, or list, array or Index of labels
        subset : label or list of labels, optional
            The columns that must hold values.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1.0, None, 3.0], "b": [4.0, 5.0, None]}, index=[10, 20, 30])
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.asof([25, 35]).compute().to_dict("list")
        {'a': [1.0, 1.0], 'b': [4.0, 4.0]}
        >>> df.asof(35, subset=["a"]).compute().tolist()
        [3.0, nan]
        """
        subset = [subset] if subset is not None and not isinstance(subset, (list, tuple)) else subset
        if isinstance(where, (list, tuple, set)) or getattr(where, "ndim", 0) > 0:
            return asof_of_labels(self, where, subset)
        return asof_of_labels(self, [where], subset, as_row=True)


class ValidIndexMethods:
    """Mixin of DataFrame and Series: ``first_valid_index``, ``last_valid_index``."""

    def first_valid_index(self, split_every: Any = None) -> Any:
        """The label of the first row holding a value (of a DataFrame: in any column), or None, a lazy Scalar.

        Parameters
        ----------
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([None, None, 2.0, None, 4.0, None], index=list("abcdef"))
        >>> ds = gd.from_pandas(s, npartitions=3, backend="cpu")
        >>> ds.first_valid_index().compute(), ds.last_valid_index().compute()
        ('c', 'e')
        """
        return _valid_label(self, False, split_every)

    def last_valid_index(self, split_every: Any = None) -> Any:
        """The label of the last row holding a value, or None, a lazy Scalar (see :meth:`first_valid_index`).

        Parameters
        ----------
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = pd.DataFrame({"a": [1.0, None, None], "b": [None, 2.0, None]})
        >>> int(gd.from_pandas(df, npartitions=2, backend="cpu").last_valid_index().compute())
        1
        """
        return _valid_label(self, True, split_every)


class SeriesPositionMethods:
    """Mixin of Series: ``argmax``, ``argmin``, ``is_unique``, ``hasnans``, ``asof``."""

    def asof(self, where: Any, subset: Any = None) -> Any:
        """The last value not missing at or before the label ``where`` (a sorted index), as pandas' ``asof``; a
        lazy Scalar (known divisions: only the partitions up to ``where`` are read).

        Parameters
        ----------
        where : label, or list, array or Index of labels
            One label (a lazy Scalar), or several (a Series indexed by them).
        subset : None
            Accepted as pandas' (a Series has no columns).

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1.0, None, 3.0, None], index=[10, 20, 30, 40])
        >>> float(gd.from_pandas(s, npartitions=2, backend="cpu").asof(25).compute())
        1.0
        """
        if isinstance(where, (list, tuple, set)) or getattr(where, "ndim", 0) > 0:  # (arrays, Index, Series)
            return asof_of_labels(self, where)
        obj = self
        if self.known_divisions and self.divisions[0] <= where:
            obj = self.loc[:where]
        meta = bf.make_meta(bf.meta_nonempty(self._meta).iloc[0])
        return _new(tree_reduce(obj.expr, bf.asof_chunk, bf.asof_combine, bf.asof_aggregate, {}, meta, "asof",
                                chunk_kwargs={"where": where}))

    def _arg_extreme(self, how: str, axis: Any, skipna: bool, split_every: Any) -> Any:
        if axis not in (None, 0, "index"):
            raise ValueError(f"arg{how}: a Series has only axis 0, got {axis!r}")
        try:
            bf.idx_extreme_meta(self._meta, how)
        except (TypeError, ValueError) as exc:
            raise TypeError(f"arg{how}: not supported for dtype {self.dtype}: {exc}") from None
        kwargs = {"how": how, "skipna": skipna}
        return _new(tree_reduce(self.expr, bf.arg_extreme_chunk, bf.arg_extreme_combine, bf.arg_extreme_aggregate,
                                kwargs, bf.make_meta(0), f"arg{how}", split_every, chunk_kwargs=kwargs))

    def argmax(self, axis: Any = None, skipna: bool = True, split_every: Any = None) -> Any:
        """The position (0 .. len - 1, across all partitions) of the first largest value, a lazy Scalar.

        Parameters
        ----------
        axis : None or 0
            Only rows.
        skipna : bool
            Skip missing values; with ``False`` a missing value raises ``ValueError`` (pandas 3).
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> ds = gd.from_pandas(pd.Series([3, 1, 9, 2, 9], index=list("vwxyz")), npartitions=3, backend="cpu")
        >>> int(ds.argmax().compute()), int(ds.argmin().compute())
        (2, 1)
        """
        return self._arg_extreme("max", axis, skipna, split_every)

    def argmin(self, axis: Any = None, skipna: bool = True, split_every: Any = None) -> Any:
        """The position of the first smallest value, a lazy Scalar (see :meth:`argmax`).

        Parameters
        ----------
        axis : None or 0
            Only rows.
        skipna : bool
            Skip missing values.
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> int(gd.from_pandas(pd.Series([4.0, None, 1.0]), npartitions=2, backend="cpu").argmin().compute())
        2
        """
        return self._arg_extreme("min", axis, skipna, split_every)

    @property
    def is_unique(self) -> Any:
        """Whether no value repeats (missing values count as one value, as pandas), a lazy boolean.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([1, 2, 2]), npartitions=2, backend="cpu").is_unique.compute())
        False
        """
        return self.nunique(dropna=False) == self.size

    @property
    def hasnans(self) -> Any:
        """Whether any value is missing, a lazy boolean.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> bool(gd.from_pandas(pd.Series([1.0, None]), npartitions=2, backend="cpu").hasnans.compute())
        True
        """
        return self.isna().any()
