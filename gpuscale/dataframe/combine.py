"""``align``, ``combine_first``, ``rename_axis`` and ``DataFrame.info`` (dask.dataframe's methods; issue #14), and
pandas' ``equals``, ``compare`` and ``update`` (which dask lacks).

Two collections are combined partition by partition: with known divisions that differ, both are first
repartitioned at the union of their divisions (as dask); with unknown divisions they must have as many
partitions, taken as aligned.  The partition functions (emulated for cuDF, which has none of them) are
in :mod:`gpuscale.backends.frame.combine`.
"""

from __future__ import annotations

import sys
from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["CombineMethods", "InfoMethods"]

_NOT_GIVEN = object()  # (rename_axis: a name given as None removes the name)


def _aligned_pair(a: Any, b: Any, who: str) -> tuple:
    if a.known_divisions and b.known_divisions:
        if tuple(a.divisions) != tuple(b.divisions):
            union = tuple(sorted(set(a.divisions) | set(b.divisions)))
            a, b = a.repartition(divisions=union, force=True), b.repartition(divisions=union, force=True)
        return a, b
    if a.npartitions != b.npartitions:
        raise ValueError(f"{who}: the divisions are unknown and the partitions differ ({a.npartitions} and "
                         f"{b.npartitions}); set_index on both, or repartition them alike")
    return a, b


def _as_collection_like(self: Any, other: Any, who: str, sort: bool = True) -> Any:
    """``other`` as a collection: a pandas (cuDF) object becomes one partition (sorted by its index unless
    ``sort=False``), as dask."""
    from gpuscale.dataframe.core import FrameBase
    from gpuscale.dataframe.creation import from_pandas

    if not isinstance(other, FrameBase) and bf.is_frame_like(other):
        other = from_pandas(other, npartitions=1, sort=sort, backend=bf.library_of(self._meta))
    if not isinstance(other, FrameBase):
        raise TypeError(f"{who}: other must be a DataFrame or Series (a gpuscale collection or a pandas/cuDF "
                        f"object), got {type(other).__name__}")
    return other


def _rows_as_partitioned(a: Any, b: Any) -> Any:
    """``b``'s rows in partitions of as many rows as ``a``'s (by position), or None when the two hold
    different numbers of rows; the partitions' lengths are computed at once unless the divisions match."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.repartition import RowBlocks
    from gpuscale.dataframe.positions import partition_lengths

    if a.known_divisions and tuple(a.divisions) == tuple(b.divisions):
        return b  # the same labels cut both at the same places
    la, lb = partition_lengths(a, b)
    if sum(la) != sum(lb):
        return None
    return b if la == lb else new_collection(RowBlocks(b.expr, lb, la))


def _same_rows(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` are columns of one collection (projections of one expression: ``df[["x"]]`` and
    ``df[["y"]]``), so they hold the same rows and ``combine_first`` adds no missing values (pandas keeps the
    integers of a column of one side only)."""
    from gpuscale.dataframe.expr.blockwise import Projection

    def source(expr: Any) -> Any:
        while isinstance(expr, Projection):
            expr = expr.frame
        return expr

    return source(a.expr)._name == source(b.expr)._name


class CombineMethods:
    """Mixin of DataFrame and Series: ``align``, ``combine_first``, ``rename_axis``, ``equals``, ``compare``,
    ``update``."""

    def equals(self, other: Any) -> bool:
        """Whether ``other`` holds the same labels and values in the same order, with the same column labels
        and dtypes (missing values in the same places count as equal), as pandas' ``equals``.

        Computed at once (a bool, as pandas): rows are compared partition by partition, ``other``'s cut at
        this collection's partition lengths where the divisions differ (those lengths are computed first).

        Parameters
        ----------
        other : DataFrame or Series
            A gpuscale collection, or a pandas (cuDF) object.

        Returns
        -------
        bool

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, None, 3.0], "y": ["a", "b", "c"]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.equals(gd.from_pandas(pdf, npartitions=3, backend="cpu")), df.equals(pdf.assign(x=0.0))
        (True, False)
        """
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.blockwise import map_partitions_expr

        if not bf.is_frame_like(getattr(other, "_meta", other)):
            return False
        other = _as_collection_like(self, other, "equals", sort=False)  # rows in their order
        if bf.is_dataframe_like(self._meta) != bf.is_dataframe_like(other._meta) or \
                not bf.same_columns_and_dtypes(self._meta, other._meta):
            return False
        other = _rows_as_partitioned(self, other)
        if other is None:
            return False
        meta = bf.make_meta(bf.partition_equals(self._meta, other._meta))
        flags = new_collection(map_partitions_expr(bf.partition_equals, self.expr, other.expr, meta=meta,
                                                   label="equals", positional=True))
        return bool(flags.all().compute())

    def compare(self, other: Any, align_axis: Any = 1, keep_shape: bool = False, keep_equal: bool = False,
                result_names: tuple = ("self", "other")) -> Any:
        """The values that differ from ``other``'s, side by side, as pandas' ``compare``: only the rows and (of a
        DataFrame) the columns holding a difference, equal values in them missing (``keep_equal=False``).

        Which columns hold a difference, and which get a missing value (and so pandas' dtype for one), are
        computed at once; the rows are then compared partition by partition, ``other`` cut into this
        collection's partition lengths by position where the divisions differ (as :meth:`equals`).

        Parameters
        ----------
        other : DataFrame or Series
            The same labels (index and columns), a gpuscale collection or a pandas (cuDF) object.
        align_axis : {1, 0}
            The two values side by side in columns (1) or one above the other in rows (0).
        keep_shape : bool
            Keep every row and column.
        keep_equal : bool
            Show equal values instead of missing ones.
        result_names : tuple of two str
            The labels of this side and ``other``'s.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1, 2, 3], "y": [1.0, 2.0, 3.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.compare(pdf.assign(x=[1, 5, 3])).compute()
             x
          self other
        1  2.0   5.0
        """
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.blockwise import map_partitions_expr

        other = _as_collection_like(self, other, "compare", sort=False)
        frame = bf.is_dataframe_like(self._meta)
        kind = "DataFrame" if frame else "Series"
        if frame != bf.is_dataframe_like(other._meta) or (frame and list(self.columns) != list(other.columns)):
            raise ValueError(f"Can only compare identically-labeled (both index and columns) {kind} objects")
        aligned = _rows_as_partitioned(self, other)
        if aligned is None:
            raise ValueError(f"Can only compare identically-labeled (both index and columns) {kind} objects")
        flags_meta = bf.make_meta(bf.compare_flags(bf.meta_nonempty(self._meta), bf.meta_nonempty(self._meta)))
        flags = new_collection(map_partitions_expr(bf.compare_flags, self.expr, aligned.expr, meta=flags_meta,
                                                   label="compare-flags", positional=True)).any().compute()
        width = len(self.columns) if frame else 1
        differs = [i for i in range(width) if keep_shape or bool(flags[f"d{i}"])]
        masked = [] if keep_equal else [i for i in differs if bool(flags[f"m{i}"])]
        columns = [self.columns[i] for i in differs] if frame else None
        sample = bf.meta_nonempty(self._meta)
        sample = sample[columns] if frame else sample
        meta = bf.make_meta(bf.compare_meta(sample, [differs.index(i) for i in masked], align_axis, result_names))
        kwargs = {"columns": columns, "align_axis": align_axis, "keep_shape": keep_shape, "keep_equal": keep_equal,
                  "result_names": tuple(result_names), "dtypes": dict(meta.dtypes) if frame or align_axis in (
                      1, "columns") else meta.dtype}
        return new_collection(map_partitions_expr(bf.compare_part, self.expr, aligned.expr, kwargs=kwargs, meta=meta,
                                                  label="compare", positional=True))

    def update(self, other: Any, join: str = "left", overwrite: bool = True, filter_func: Any = None,
               errors: str = "ignore") -> None:
        """Overwrite values with ``other``'s non-missing values at the same labels (and, of a DataFrame, the
        same columns), in place, as pandas' ``update``.

        The collection's expression is replaced (as ``df[key] = value`` replaces it); rows are matched by
        label partition by partition: a pandas (cuDF) ``other`` is handed whole to every partition, a
        collection is aligned as :meth:`combine_first` aligns it.

        Parameters
        ----------
        other : DataFrame, Series or pandas (cuDF) object
        join : {"left"}
            Only pandas' ``"left"``: this collection's labels are kept.
        overwrite : bool
            DataFrame: also overwrite values that are present (``False``: fill missing ones only).
        filter_func : callable, optional
            DataFrame: ``filter_func(column values) -> bool mask`` of the values to overwrite.
        errors : {"ignore", "raise"}
            DataFrame: ``"raise"`` raises pandas' ``ValueError`` where both hold a value.

        Returns
        -------
        None

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [4, 5, 6]}), npartitions=2, backend="cpu")
        >>> df.update(pd.DataFrame({"x": [None, 20.0]}, index=[0, 1]))
        >>> df.compute().x.tolist()
        [1.0, 20.0, 3.0]
        """
        from gpuscale.dataframe.core import FrameBase

        if join != "left":
            raise NotImplementedError(f"update: only join='left' is supported (as pandas), got {join!r}")
        if errors not in ("ignore", "raise"):
            raise ValueError(f"update: errors must be 'ignore' or 'raise', got {errors!r}")
        options = {"overwrite": overwrite, "filter_func": filter_func, "errors": errors}
        if bf.is_series_like(self._meta):
            if not overwrite or filter_func is not None or errors != "ignore":
                raise TypeError("update: a Series takes only other (pandas' Series.update)")
            options = {}
        if not isinstance(other, FrameBase):
            if not bf.is_frame_like(other):
                raise TypeError(f"update: other must be a DataFrame or Series, got {type(other).__name__}")
            other = bf.convert_library(other, bf.library_of(self._meta))
            meta = bf.make_meta(bf.update_part(bf.meta_nonempty(self._meta), other, **options))
            self._expr = self.map_partitions(bf.update_part, other, meta=meta, **options)._expr
            return
        a, b = _aligned_pair(self, other, "update")
        meta = bf.make_meta(bf.update_part(bf.meta_nonempty(a._meta), bf.meta_nonempty(b._meta), **options))
        self._expr = a.map_partitions(bf.update_part, b, meta=meta, **options)._expr

    def align(self, other: Any, join: str = "outer", axis: Any = None, fill_value: Any = None) -> tuple:
        """Both collections with the union (``join``) of their labels, partition by partition.

        Parameters
        ----------
        other : DataFrame or Series
        join : {"outer", "inner", "left", "right"}
            Which labels each partition keeps.
        axis : None, 0 or 1
            Align rows, columns or both (None).
        fill_value : optional
            For the labels a side lacks (missing by default).

        Returns
        -------
        tuple
            ``(self aligned, other aligned)``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> a = gd.from_pandas(pd.Series([1.0, 2.0], index=[0, 2]), npartitions=1)
        >>> b = gd.from_pandas(pd.Series([5.0, 6.0], index=[1, 2]), npartitions=1)
        >>> left, right = a.align(b)
        >>> left.compute().tolist(), right.compute().tolist()
        ([1.0, nan, 2.0], [nan, 5.0, 6.0])
        """
        other = _as_collection_like(self, other, "align")  # (a pandas object: one partition, as dask)
        a, b = _aligned_pair(self, other, "align")
        kwargs = {"join": join, "axis": axis, "fill_value": fill_value}
        out = []
        for side in (0, 1):
            meta = bf.make_meta(bf.align_part(a._meta, b._meta, side=side,
                                              **kwargs))
            out.append(a.map_partitions(bf.align_part, b, meta=meta, side=side, **kwargs))
        return tuple(out)

    def combine_first(self, other: Any) -> Any:
        """Missing values (and labels) filled from ``other``, partition by partition.

        ``other`` may be a pandas (cuDF) object: it is split at this collection's divisions, as dask.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> a = gd.from_pandas(pd.Series([1.0, None, 3.0]), npartitions=2)
        >>> b = gd.from_pandas(pd.Series([9.0, 8.0, 7.0, 6.0]), npartitions=2)
        >>> a.combine_first(b).compute().tolist()
        [1.0, 8.0, 3.0, 6.0]
        """
        other = _as_collection_like(self, other, "combine_first")
        same_rows = _same_rows(self, other)
        a, b = _aligned_pair(self, other, "combine_first")
        # (the order of columns from stand-ins with rows: pandas 2.2 orders empty frames' otherwise)
        meta = bf.make_meta(bf.combine_first_part(bf.meta_nonempty(a._meta), bf.meta_nonempty(b._meta)))
        if not same_rows:  # the other side may lack rows: a column of one side only gets missing values there
            meta = bf.one_sided_columns_missing(meta, a._meta, b._meta)
        columns = list(meta.columns) if bf.is_dataframe_like(meta) else None
        return a.map_partitions(bf.combine_first_part, b, columns=columns, meta=meta)

    def rename_axis(self, mapper: Any = _NOT_GIVEN, index: Any = _NOT_GIVEN, columns: Any = _NOT_GIVEN,
                    axis: Any = 0) -> Any:
        """New names of the index (or of the columns' axis), partition-wise; divisions kept.

        A name given as None removes the name, as in pandas (``df.rename_axis(None)``).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1)
        >>> df.rename_axis("row").compute().index.name
        'row'
        >>> df.rename_axis("row").rename_axis(None).compute().index.name is None
        True
        """
        given = {"mapper": mapper, "index": index, "columns": columns}
        kwargs = {"axis": axis, **{k: v for k, v in given.items() if v is not _NOT_GIVEN}}
        meta = bf.make_meta(bf.rename_axis_part(bf.meta_nonempty(self._meta), **kwargs))
        return self._map(bf.rename_axis_part, label="rename_axis", columnwise=True, meta=meta, kwargs=kwargs)


class InfoMethods:
    """Mixin of DataFrame: ``info``."""

    def info(self, buf: Any = None, verbose: bool = False, memory_usage: bool = False) -> None:
        """Print a summary: columns and dtypes; with ``verbose`` the rows, index range and non-missing
        counts (computed); with ``memory_usage`` the bytes used (computed; ``"deep"`` also counts the contents of
        object values), formatted as pandas (``8.2+ KB``: ``+`` where a shallow count misses objects).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, None], "y": [1, 2]}), npartitions=1, backend="cpu")
        >>> df.info()
        <class 'gpuscale.dataframe.DataFrame'>
        Columns: 2 entries, x to y
        dtypes: float64(1), int64(1)
        """
        from gpuscale.backends.convert import to_host
        from gpuscale.backends.frame.info import memory_summary

        columns = list(self.columns)
        lines = [f"<class 'gpuscale.dataframe.{type(self).__name__}'>"]
        if verbose:
            counts, n, index_line = _verbose_counts(self)
            lines.append(index_line)
            lines.append(f"Data columns (total {len(columns)} columns):")
            width = max([len("Column")] + [len(str(c)) for c in columns])
            lines.append(f" #   {'Column':<{width}}  Non-Null Count  Dtype")
            lines.append(f"---  {'-' * width}  --------------  -----")
            for i, (col, dtype) in enumerate(zip(columns, self.dtypes)):
                count = f"{int(counts.iloc[i])} non-null"  # by position: a repeated name selects several
                lines.append(f" {i:<3} {str(col):<{width}}  {count:<14}  {dtype}")
        elif columns:
            lines.append(f"Columns: {len(columns)} entries, {columns[0]} to {columns[-1]}")
        else:
            lines.append("Empty DataFrame")
        tally: dict = {}
        for dtype in self.dtypes:
            tally[str(dtype)] = tally.get(str(dtype), 0) + 1
        lines.append("dtypes: " + ", ".join(f"{k}({v})" for k, v in sorted(tally.items())))
        if memory_usage:
            deep = memory_usage == "deep"
            used = int(to_host(self.memory_usage(index=True, deep=deep).sum().compute()))
            lines.append(memory_summary(self._meta, used, deep))
        (buf if buf is not None else sys.stdout).write("\n".join(lines) + "\n")


def _verbose_counts(frame: Any) -> tuple:
    """The non-missing counts of ``frame``'s columns (host), its length and pandas' index line, in one
    computation: the index line names the first and last labels (pandas' ``b to a``), taken from the
    ends of each partition, never the smallest and largest (which an unordered categorical has not)."""
    from gpuscale.backends.convert import to_host
    from gpuscale.backends.frame.info import index_edges, index_summary
    from gpuscale.collection import compute

    edges = frame.map_partitions(index_edges, meta=frame._meta.index)
    counts, n, edges = compute(frame.count(), frame.map_partitions(len).sum(), edges)
    return to_host(counts), int(n), index_summary(edges, int(n), type(frame._meta.index).__name__)
