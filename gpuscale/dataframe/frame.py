"""The lazy DataFrame collection."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.collection import Collection
from gpuscale.dataframe.core import FrameBase, new_collection, resolved, to_expr
from gpuscale.dataframe.expr.blockwise import Assign, Projection, unknown_column_error
from gpuscale.dataframe.extra_methods import DataFrameExtras
from gpuscale.dataframe.methods import RowMethods

__all__ = ["DataFrame"]


def _is_lazy_bool_array(key: Any) -> bool:
    """A 1-d boolean gpuscale array (a mask such as ``df.index > 4``)."""
    from gpuscale.array.core import Array

    return isinstance(key, Array) and key.ndim == 1 and str(key.dtype) == "bool"


def _column_value(frame: "DataFrame", name: Any, value: Any) -> Any:
    """A value ``assign`` can put in column ``name``: a Series, a scalar, or a 1-D chunked array with a
    block per partition (as dask); lists and in-memory arrays have no partitions to follow."""
    if isinstance(value, DataFrame):
        raise TypeError(f"assign: column {name!r} got a DataFrame; pass a Series")
    if not isinstance(value, FrameBase) and hasattr(value, "chunks") and hasattr(value, "ndim"):
        return _array_column(frame, name, value)
    # An in-memory Index has no index to align on (it was repeated in every partition): refuse it as a list.
    in_memory = bf.is_index_like(value) or not bf.is_frame_like(value)
    if isinstance(value, (list, tuple, set, dict)) or (getattr(value, "ndim", 0) > 0 and in_memory
                                                       and not isinstance(value, Collection)):
        raise TypeError(f"assign: column {name!r} got a {type(value).__name__}, which has no partitions; pass a "
                        "Series, a scalar, or a chunked array (from_array / from_pandas it first)")
    return value


def _array_column(frame: "DataFrame", name: Any, value: Any) -> Any:
    """A chunked array as a Series on ``frame``'s index, block ``i`` in partition ``i``."""
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.interop import from_dask_array

    if value.ndim != 1:
        raise ValueError(f"Array assignment only supports 1-D arrays (column {name!r} got {value.ndim} dimensions)")
    if len(value.chunks[0]) != frame.npartitions:
        raise ValueError(f"Number of partitions do not match: the array has {len(value.chunks[0])} blocks, "
                         f"the frame {frame.npartitions} partitions; rechunk the array to the partition lengths")
    values = from_dask_array(value).clear_divisions()
    return new_collection(map_partitions_expr(bf.values_on_index, frame.expr, values.expr, label="assign-array",
                                              positional=True))


def _array_frame(frame: "DataFrame", value: Any) -> Any:
    """A 2-D chunked array as a DataFrame with ``frame``'s columns and index, block row ``i`` in partition ``i``
    (``df + array``, as dask)."""
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.interop import from_dask_array

    if value.shape[1] != len(frame.columns):
        raise ValueError(f"an array of {value.shape[1]} columns meets a DataFrame of {len(frame.columns)} columns")
    if len(value.chunks[0]) != frame.npartitions:
        raise ValueError(f"Number of partitions do not match: the array has {len(value.chunks[0])} blocks of rows, "
                         f"the frame {frame.npartitions} partitions; rechunk the array to the partition lengths")
    values = from_dask_array(value.rechunk({1: -1}), columns=list(frame.columns)).clear_divisions()
    return new_collection(map_partitions_expr(bf.values_on_index, frame.expr, values.expr, label="array-frame",
                                              positional=True))


def _in_memory_mask_error(mask: list) -> ValueError:
    """pandas takes a boolean list or array as a row mask of the frame's length, which a lazy frame does not
    know when the graph is built (dask refuses it too)."""
    return ValueError(f"Item wrong length {len(mask)}: a boolean list or array cannot select the rows of a lazy "
                      "DataFrame (its length is not known); pass a gpuscale boolean Series as the mask "
                      "(df[df.x > 1]) or column labels")


class DataFrame(DataFrameExtras, RowMethods, FrameBase):
    """A lazy DataFrame over pandas or cuDF partitions, with the API of ``dask.dataframe``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3], "y": [4., 5., 6.]}), npartitions=2)
    >>> df[df.x > 1].y.sum().compute()
    np.float64(11.0)
    """

    # -- columns ---------------------------------------------------------------------------------
    @property
    def columns(self) -> Any:
        """The column labels (pandas/cuDF Index)."""
        return self._meta.columns

    @columns.setter
    def columns(self, labels: Any) -> None:
        labels = bf.column_labels(labels)  # an Index as pandas makes it (its names, a MultiIndex)
        if len(labels) != len(self.columns):
            raise ValueError(f"Length mismatch: Expected axis has {len(self.columns)} elements, new values have "
                             f"{len(labels)} elements (columns: {len(labels)} labels given)")
        flat = [self.columns.nlevels, labels.nlevels, self.columns.name, labels.name] == [1, 1, None, None]
        if flat and self.columns.is_unique:
            self._expr = self.rename(columns=dict(zip(self.columns, labels)))._expr
        else:  # a MultiIndex, names or repeated labels: the Index, by position (the rows, so divisions, stay)
            from gpuscale.dataframe.expr.sorting import WithDivisions

            expr = self._map(bf.with_column_labels, label="columns", columnwise=False, kwargs={"labels": labels}).expr
            self._expr = WithDivisions(expr, self.divisions) if self.known_divisions else expr

    def _check_columns(self, labels: list) -> None:
        missing = [c for c in labels if c not in self._meta.columns]
        if missing:
            raise unknown_column_error(missing, list(self._meta.columns))

    def __getitem__(self, key: Any) -> Any:
        if bf.is_expression(key):  # df[pd.col("a") > 1]: evaluated on this frame, as pandas
            key = bf.evaluate_expression(key, self)
        elif callable(key) and not isinstance(key, type):  # df[lambda d: d.x > 0]: called with the frame (pandas)
            key = key(self)
        if isinstance(key, FrameBase):  # a boolean Series: aligned with this frame first (as dask)
            from gpuscale.dataframe.loc import boolean_filter

            return boolean_filter(self, key)
        if _is_lazy_bool_array(key):  # df[df.index > 4]: pandas takes a boolean mask here (dask only in .loc)
            return self.loc[key]
        if bf.is_one_label(self._meta.columns, key):  # one tuple label, not a list of labels (as pandas)
            from gpuscale.dataframe.indexing import select_label

            return select_label(self, key)
        if bf.is_label_list(key) and not isinstance(key, list):  # an array, Index or Series of column labels
            key = bf.label_list(key)
        if isinstance(key, list):
            if bf.is_boolean_list(key):
                raise _in_memory_mask_error(key)
            self._check_columns(key)
            if len(set(key)) < len(key) and bf.library_of(self._meta) == "cudf":
                raise NotImplementedError(f"selecting the columns {key}: a column label twice, which a cuDF "
                                          "DataFrame cannot hold (its labels are unique)")
            return new_collection(Projection(self._expr, tuple(key)))
        if isinstance(key, slice):  # rows by index label, as dask: df["2021-10-01":"2021-10-05"]
            from gpuscale.dataframe.loc import getitem_slice

            return getitem_slice(self, key)
        self._check_columns([key])
        return new_collection(Projection(self._expr, key))

    def __getattr__(self, name: str) -> Any:
        # columns named like private attributes (``_merge`` of ``merge(indicator=True)``) too, as pandas and
        # dask; never dunders, and nothing before the expression is set (unpickling asks for ``_expr``)
        expr = self.__dict__.get("_expr")
        if not name.startswith("__") and expr is not None and name in expr._meta.columns:
            return self[name]
        refused = getattr(type(self), name, None)
        if isinstance(refused, property):  # a property that raised AttributeError (df.empty): its own error, not
            return refused.fget(self)      # "no attribute" (a column of that name comes first, as dask)
        raise AttributeError(f"'DataFrame' object has no attribute {name!r}")

    def __dir__(self) -> list:
        return sorted({*super().__dir__(), *(c for c in self.columns if isinstance(c, str) and c.isidentifier())})

    def __setattr__(self, name: str, value: Any) -> None:
        # ``df.y = df.x + 1`` replaces the existing column ``y``, as pandas (not a new Python attribute)
        if not name.startswith("_") and not hasattr(type(self), name) and "_expr" in self.__dict__ \
                and name in self._expr._meta.columns:
            self[name] = value
            return
        super().__setattr__(name, value)

    def __setitem__(self, key: Any, value: Any) -> None:
        if bf.is_expression(key):  # df[pd.col("x") > 2] = 0: the mask evaluated on this frame, as pandas
            key = bf.evaluate_expression(key, self)
        if isinstance(key, FrameBase):  # a boolean mask: ``df[df > 2] = 0``, ``df[df.x > 2] = 0``
            self._expr = self._masked(key, value)._expr
            return
        if isinstance(key, list):
            if isinstance(value, DataFrame):  # columns by position, as pandas
                if len(value.columns) != len(key):
                    raise ValueError(f"Columns must be same length as key ({len(key)} keys, "
                                     f"{len(value.columns)} columns)")
                for k, column in zip(key, value.columns):
                    self[k] = value[column]
                return
            for k in key:
                self[k] = value
            return
        self._expr = self.assign(**{key: value})._expr if isinstance(key, str) else \
            new_collection(Assign(self._expr, (key,), to_expr(value)))._expr

    def _masked(self, key: Any, value: Any) -> "DataFrame":
        """``value`` where the boolean ``key`` is True: a DataFrame of the same columns, or a Series
        selecting whole rows."""
        if isinstance(key, DataFrame):
            return self.mask(key, value)
        expr = self._expr
        for column in self.columns:  # column by column: a Series mask applies to each (cuDF too)
            expr = Assign(expr, (column,), self[column].mask(key, value).expr)
        return new_collection(expr)

    def assign(self, **columns: Any) -> "DataFrame":
        """New or replaced columns: values are collections, scalars or callables of the frame."""
        expr = self._expr
        for name, value in columns.items():
            value = resolved(value, new_collection(expr))  # a callable or pd.col(...) of the frame so far
            expr = Assign(expr, (name,), to_expr(_column_value(new_collection(expr), name, value)))
        return new_collection(expr)

    def rename(self, columns: Any = None, index: Any = None, *, mapper: Any = None, axis: Any = None,
               copy: Any = None, inplace: bool = False, level: Any = None, errors: str = "ignore") -> "DataFrame":
        """Rename columns (a dict or a function), or index labels (``index=``: a function or a dict, applied
        partition by partition; the divisions become unknown).  pandas' ``mapper=`` with ``axis=`` (``1`` /
        ``"columns"``: the columns, ``0`` / ``"index"``: the index labels) too; the first argument is taken as
        ``mapper`` when ``axis`` is given.  pandas' ``errors="raise"``: a KeyError names the keys of a dict that
        are not labels (of the index: computed at once, as :meth:`drop` does); ``level=`` renames a level of the
        columns; ``copy`` is accepted; ``inplace=True`` is not supported.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> df.rename(columns={"x": "y"}, index=lambda i: i * 10).compute().to_dict()
        {'y': {0: 1, 10: 2, 20: 3}}
        """
        from gpuscale.dataframe.label_methods import renamed

        return renamed(self, columns, index, mapper, axis, inplace, level, errors)

    def drop(self, labels: Any = None, columns: Any = None, axis: Any = 0, errors: str = "raise",
             index: Any = None) -> "DataFrame":
        """Drop columns (``labels`` with ``axis=1``, or ``columns=``: a label or a list, tuple, set or Index of
        them; of MultiIndex columns a tuple is one label and a first-level label drops the columns under it, as
        pandas) and rows by label with pandas' ``index=`` (partitions and divisions kept; with ``errors="raise"``
        whether the labels are there is computed at once).  ``labels`` on the default ``axis=0`` (rows) is refused,
        as dask refuses it.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]}, index=["x", "y", "z"])
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.drop(index=["y"], columns="b").compute().to_dict()
        {'a': {'x': 1, 'z': 3}}
        >>> list(df.drop("a", axis=1).columns)
        ['b']
        """
        from gpuscale.dataframe.label_methods import without_rows

        if labels is None and columns is None and index is None:
            raise TypeError("must either specify 'columns' or 'labels'")
        if axis not in (0, 1, "index", "columns"):
            raise ValueError(f"No axis named {axis!r} for object type DataFrame")
        if index is not None:
            out = without_rows(self, index, errors)
            return out if columns is None else out.drop(columns=columns, errors=errors)
        if columns is None and axis in (0, "index"):
            raise NotImplementedError("Drop currently only works for axis=1 or when columns is not None (as dask): "
                                      "pass axis=1 or columns= to drop columns, index= to drop rows by label")
        columns = labels if columns is None else columns
        multi = self._meta.columns.nlevels > 1  # (pandas: a tuple is one label of MultiIndex columns)
        many = isinstance(columns, (list, set, frozenset)) or bf.is_index_like(columns) or \
            isinstance(columns, tuple) and not multi
        columns = list(columns) if many else [columns]
        if multi:
            columns = self._labels_under(columns, errors)
        elif errors == "raise":
            self._check_columns(columns)
        # (each name once: selecting a name that several columns hold selects them all)
        keep = tuple(dict.fromkeys(c for c in self.columns if c not in columns))
        return new_collection(Projection(self._expr, keep))

    def _labels_under(self, labels: list, errors: str) -> list:
        """The MultiIndex column labels ``drop`` drops for ``labels``: those under a first-level label (or a
        shorter tuple), a full tuple itself, as pandas; raises for labels naming no column (``errors="raise"``)."""
        present = set(self.columns)
        found = {label: [c for c in bf.labels_under(self._meta.columns, label) if c in present] for label in labels}
        missing = [label for label, under in found.items() if not under]
        if missing and errors == "raise":
            raise unknown_column_error(missing, list(self._meta.columns))
        return [c for under in found.values() for c in under]

    @property
    def iloc(self) -> Any:
        """Columns by position: ``df.iloc[:, [0, 2]]`` (rows by position are not supported, as in dask).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1], "b": [2], "c": [3]}), npartitions=1, backend="cpu")
        >>> list(df.iloc[:, 1:].columns)
        ['b', 'c']
        """
        from gpuscale.dataframe.loc import ILocIndexer

        return ILocIndexer(self)

    def query(self, expr: str, **kwargs: Any) -> "DataFrame":
        """Rows where the boolean expression ``expr`` holds (pandas' / cuDF's ``query`` on each partition).

        Parameters
        ----------
        expr : str
            The expression; backticks quote column names, ``@name`` refers to a variable.
        **kwargs
            Passed to ``query`` of each partition; ``local_dict={"name": value}`` gives ``@name``
            (as in dask). Variables it does not give are read from the caller's frame now.

        Returns
        -------
        DataFrame
            The selected rows; the divisions stay.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 1, 2], "y": [1, 2, 3, 4]}), npartitions=2, backend="cpu")
        >>> df.query("x == @value", local_dict={"value": 1}).y.compute().tolist()
        [1, 3]
        >>> limit = 2
        >>> df.query("y > @limit").y.compute().tolist()
        [3, 4]
        """
        import sys

        from gpuscale.dataframe.query import query

        return query(self, expr, kwargs, sys._getframe(1))

    def eval(self, expr: str, **kwargs: Any) -> Any:
        """Evaluate ``expr`` on each partition (pandas' / cuDF's ``eval``): a Series, or with an
        assignment (``"z = x + y"``) the DataFrame with that column.

        Parameters
        ----------
        expr : str
            The expression; ``@name`` refers to a variable (see :meth:`query`).
        **kwargs
            Passed to ``eval`` of each partition (``local_dict`` as in :meth:`query`; not ``inplace``).

        Returns
        -------
        Series or DataFrame
            The divisions stay.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3], "y": [4, 5, 6]}), npartitions=2, backend="cpu")
        >>> df.eval("z = x + y").z.compute().tolist()
        [5, 7, 9]
        """
        import sys

        from gpuscale.dataframe.query import eval_expression

        return eval_expression(self, expr, kwargs, sys._getframe(1))

    def select_dtypes(self, include: Any = None, exclude: Any = None) -> "DataFrame":
        """Columns of the given dtypes."""
        keep = self._meta.select_dtypes(include=include, exclude=exclude).columns
        return self[list(keep)]

    def apply(self, func: Callable, axis: Any = 0, meta: Any = None, **kwargs: Any) -> Any:
        """Row-wise ``apply``: ``axis=1`` only, as in Dask (``axis=0``, pandas' and dask's default, gives ``func``
        whole columns, which a partition is not: refused).

        Without ``meta`` the result's type is guessed by running ``func`` on two sample rows, with dask's
        warning (a function giving a Series per row makes a DataFrame of its labels).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2], "y": [10, 20]}), npartitions=1, backend="cpu")
        >>> df.apply(lambda row: row.x + row.y, axis=1, meta=(None, "int64")).compute().tolist()
        [11, 22]
        """
        from gpuscale.dataframe.mapping import sampled_meta

        if axis not in (1, "columns"):
            raise NotImplementedError(f"DataFrame.apply(axis={axis!r}) is not supported: only axis=1 (as dask; "
                                      "pass it: df.apply(func, axis=1)), since a function of whole columns needs "
                                      "every partition at once; use agg(...) for reductions of the columns, "
                                      "map_partitions(func) for element-wise work, or compute() first")
        args = tuple(kwargs.pop("args", ()))  # positional operands of map_partitions: lazy ones are computed
        if meta is None:
            meta = sampled_meta(self, _apply_rows, "apply", func, *args, **kwargs)
        return self.map_partitions(_apply_rows, func, *args, meta=meta, **kwargs)

    def groupby(self, by: Any = None, sort: bool | None = None, dropna: bool = True, **kwargs: Any) -> Any:
        """Group rows by column labels, Series partitioned as this frame (``df.x % 3``), the index name or
        ``level=``, a ``pd.Grouper``, a function of the index, or a list mixing them; see
        :class:`gpuscale.dataframe.groupby.GroupBy` (a lone ``pd.Grouper(freq=...)``: pandas' time bins, see
        :class:`gpuscale.dataframe.groupby_time.TimeBinGroupBy`)."""
        from gpuscale.dataframe.groupby import GroupBy
        from gpuscale.dataframe.groupby_time import time_bin_groupby

        return time_bin_groupby(self, by) or GroupBy(self, by, dropna=dropna, sort=sort, **kwargs)

    def categorize(self, columns: Any = None, index: Any = None, split_every: Any = None,
                   **kwargs: Any) -> "DataFrame":
        """Known categories for string columns; see :func:`gpuscale.dataframe.categorical.categorize`."""
        from gpuscale.dataframe.categorical import categorize

        return categorize(self, columns, index, split_every, **kwargs)

    def to_parquet(self, path: Any, **kwargs: Any) -> Any:
        """Write as a folder of parquet files; see :func:`gpuscale.dataframe.to_parquet`.

        Examples
        --------
        >>> import tempfile, pandas as pd, gpuscale.dataframe as gd
        >>> folder = tempfile.mkdtemp() + "/out"
        >>> gd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=2, backend="cpu").to_parquet(folder)
        >>> gd.read_parquet(folder, backend="cpu").a.sum().compute()
        np.int64(6)
        """
        from gpuscale.dataframe.io.write import to_parquet

        return to_parquet(self, path, **kwargs)

    def to_csv(self, path: Any, **kwargs: Any) -> Any:
        """Write as CSV files (one per partition, or ``single_file=True``); see :func:`gpuscale.dataframe.to_csv`."""
        from gpuscale.dataframe.io.write import to_csv

        return to_csv(self, path, **kwargs)

    def merge(self, right: Any, how: str = "inner", on: Any = None, left_on: Any = None, right_on: Any = None,
              left_index: bool = False, right_index: bool = False, suffixes: tuple = ("_x", "_y"),
              indicator: bool = False, shuffle_method: Any = None, npartitions: int | None = None,
              broadcast: Any = None, validate: str | None = None) -> "DataFrame":
        """Join with another DataFrame; see :func:`gpuscale.dataframe.merge`."""
        from gpuscale.dataframe.multi import merge

        return merge(self, right, how, on, left_on, right_on, left_index, right_index, suffixes,
                     indicator=indicator, shuffle_method=shuffle_method, npartitions=npartitions,
                     broadcast=broadcast, validate=validate)

    def join(self, other: Any, on: Any = None, how: str = "left", lsuffix: str = "", rsuffix: str = "",
             shuffle_method: Any = None, npartitions: int | None = None) -> "DataFrame":
        """Join on the index of ``other`` (a frame, Series or list of them); see
        :func:`gpuscale.dataframe.multi.join`."""
        from gpuscale.dataframe.multi import join

        return join(self, other, on, how, lsuffix, rsuffix, shuffle_method, npartitions)

    def set_index(self, other: Any, drop: bool = True, sorted: bool = False, npartitions: int | None = None,
                  divisions: Any = None, sort: bool = True, shuffle_method: Any = None, upsample: float = 1.0,
                  partition_size: Any = None, append: bool = False, max_branch: Any = None,
                  shuffle: Any = None) -> "DataFrame":
        """Use a column (or a Series/Index partitioned as this frame) as the index.

        Parameters
        ----------
        other : label, list of one label, Series or Index
            The new index.
        drop : bool
            Drop the column from the columns.
        sorted : bool
            Trust that the column is sorted across partitions: no shuffle, divisions from each
            partition's min and max (empty partitions go).
        npartitions : int, optional
            Partitions of a sorting ``set_index`` (default: as many as now).
        divisions : list, optional
            The boundaries of the partitions (sorted); with ``sorted=True`` one more than the
            partitions.
        sort : bool
            False: pandas' ``set_index`` in each partition (rows stay; divisions unknown).
        shuffle_method : {None, "tasks", "p2p", "disk"}
            How rows move (see :meth:`sort_values`); ``shuffle=`` is dask's older name for it.
        upsample, partition_size : optional
            Accepted for dask compatibility (gpuscale samples every partition).
        max_branch : int, optional
            As :meth:`shuffle`'s: the most pieces a partition is split into per round.
        append : bool
            Add to the current index (a MultiIndex; sorting, the rows are sorted by the column, as dask).

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [3, 1, 2, 4], "v": [1, 2, 3, 4]}), npartitions=2,
        ...                     backend="cpu")
        >>> out = df.set_index("k", shuffle_method="tasks")
        >>> out.compute().v.tolist(), out.known_divisions
        ([2, 3, 1, 4], True)
        >>> df.set_index("k", sort=False).compute().index.tolist()
        [3, 1, 2, 4]
        """
        from gpuscale.dataframe.indexing import set_index

        return set_index(self, other, drop=drop, sorted=sorted, npartitions=npartitions, divisions=divisions,
                         sort=sort, shuffle_method=shuffle_method or shuffle, upsample=upsample,
                         partition_size=partition_size, append=append)

    def __dataframe__(self, nan_as_null: bool = False, allow_copy: bool = True) -> Any:
        """The dataframe interchange protocol (``pandas.api.interchange.from_dataframe``, plotting libraries) of
        the computed frame, as dask's: the rows are computed first.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": 1}), npartitions=2, backend="cpu")
        >>> df.__dataframe__().num_rows()
        3
        """
        return self.compute().__dataframe__(nan_as_null=nan_as_null, allow_copy=allow_copy)

    def __arrow_c_stream__(self, requested_schema: Any = None) -> Any:
        """The Arrow PyCapsule stream of the computed frame on the host (``pyarrow.table(df)``, polars, DuckDB).

        Examples
        --------
        >>> import pandas as pd, pyarrow as pa, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3]}), npartitions=2, backend="cpu")
        >>> pa.table(df).column("a").to_pylist()
        [1, 2, 3]
        """
        from gpuscale.backends import to_host

        return to_host(self.compute()).__arrow_c_stream__(requested_schema)

    def describe(self, split_every: Any = False, percentiles: Any = None, percentiles_method: str = "default",
                 include: Any = None, exclude: Any = None) -> "DataFrame":
        """Summary statistics per column, as pandas' ``describe`` (:func:`gpuscale.dataframe.describe.describe`).

        Parameters
        ----------
        split_every : int or False
            Summaries combined per step of the tree reduction.
        percentiles : list of float, optional
            Percentiles to report (default 25/50/75 %; pandas < 3 also adds the median).
        percentiles_method : {"default", "tdigest"}
            Accepted for dask compatibility.
        include, exclude : optional
            dtypes to describe or leave out, as pandas (``include="all"``: every column).

        Returns
        -------
        DataFrame
            One partition; percentiles are exact while partitions have at most 1,000 rows.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "s": list("abca")}), npartitions=2,
        ...                     backend="cpu")
        >>> df.describe(include="all").compute().loc[["count", "mean", "top", "freq"]]
                 x    s
        count  4.0    4
        mean   2.5  NaN
        top    NaN    a
        freq   NaN    2
        """
        from gpuscale.dataframe.describe import describe

        return describe(self, split_every, percentiles, percentiles_method, include, exclude)

    def to_frame(self) -> "DataFrame":
        return self

    @property
    def empty(self) -> bool:
        """Refused: whether any partition has rows is known only by computing them all (as dask refuses it).

        Raises an error that is both ``NotImplementedError`` and ``AttributeError``, so ``hasattr(df, "empty")``
        is False, as on dask.
        """
        raise ExpensiveAttributeError("Checking whether a gpuscale DataFrame has any rows may be expensive (it "
                                      "computes every partition); use len(df.index) == 0 for the rows or, fast, "
                                      "len(df.columns) == 0 for the columns")


class ExpensiveAttributeError(NotImplementedError, AttributeError):
    """An attribute that a lazy frame refuses because answering it would compute the data (``df.empty``).

    Also an ``AttributeError``, so ``hasattr`` and IPython's completion treat the attribute as absent.
    """


def _apply_rows(df: Any, func: Callable, *args: Any, **kwargs: Any) -> Any:
    return df.apply(func, axis=1, args=args, **kwargs)

