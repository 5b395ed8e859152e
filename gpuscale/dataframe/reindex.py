"""``reindex`` and ``transpose``, as pandas' (dask has neither).

``reindex`` of rows puts each new label in the partition whose range holds it: the labels (in memory, sorted)
become a one-column-less frame split at the collection's divisions, and each partition is reindexed to its
share (no shuffle; the first and last divisions widen to take labels outside the data).  Integer and boolean
columns keep their dtype only when every label is found (counted at once, as pandas' dtype depends on it).
``transpose`` turns the index into the columns, so the index is computed at once; the rows are gathered into
one partition (a transposed frame is as wide as the original is long: it is for small frames, such as
``describe()``'s).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr

__all__ = ["ReindexMethods", "TransposeMethods"]

_UNSUPPORTED = ("method", "level", "limit", "tolerance")


def _all_found(obj: Any, labels: Any) -> bool:
    """Whether every new label is in the index (computed)."""
    from gpuscale.collection import compute

    (found,) = compute(obj.index.to_series().isin(labels.unique().tolist()).sum())
    return int(found) == labels.nunique()


def _dtypes_after(obj: Any, labels: Any, fill_value: Any) -> list:
    meta = obj._meta
    dtypes = [meta.dtype] if bf.is_series_like(meta) else list(meta.dtypes)
    if fill_value is not None or not bf.missing_changes_dtype(meta):
        return dtypes
    full = _all_found(obj, labels)
    return [bf.dtype_for_missing(d, full) for d in dtypes]


def reindex_rows(obj: Any, labels: Any, fill_value: Any = None) -> Any:
    """``obj`` with exactly the rows ``labels`` (see the module)."""
    from gpuscale.dataframe.creation import from_pandas

    labels = bf.host_labels(labels.compute() if hasattr(labels, "compute") else labels)
    if not obj.known_divisions:
        raise NotImplementedError("reindex of rows needs known divisions: set_index (or from_pandas with sorted "
                                  "labels) first, or filter with df.loc[...]")
    if len(labels) == 0:  # no rows, the columns and dtypes kept (as pandas)
        return obj.loc[[]]
    if not labels.is_monotonic_increasing or labels.hasnans:
        raise NotImplementedError("reindex of rows takes sorted labels without missing ones (the result follows "
                                  "the labels' order): sort them first")
    dtypes = _dtypes_after(obj, labels, fill_value)
    old = obj.divisions
    new = (min(old[0], labels[0]), *old[1:-1], max(old[-1], labels[-1]))
    if new != old:
        obj = obj.repartition(divisions=new, force=True)
    wanted = from_pandas(bf.frame_of_labels(labels), npartitions=1, backend=bf.library_of(obj._meta))
    wanted = wanted.repartition(divisions=new, force=True)
    kw = {"dtypes": dtypes, "fill_value": fill_value}
    meta = bf.make_meta(bf.reindex_rows(obj._meta, obj._meta, **kw))
    from gpuscale.dataframe.expr.sorting import WithDivisions

    out = map_partitions_expr(bf.reindex_rows, obj.expr, wanted.expr, kwargs=kw, meta=meta, label="reindex")
    return new_collection(WithDivisions(out, tuple(new)))  # (each partition's labels lie in its division)


class ReindexMethods:
    """``reindex`` of :class:`~gpuscale.dataframe.DataFrame` and :class:`~gpuscale.dataframe.Series`."""

    def reindex(self, labels: Any = None, *, index: Any = None, columns: Any = None, axis: Any = None,
                fill_value: Any = None, **options: Any) -> Any:
        """The rows ``index`` (and, of a DataFrame, the columns ``columns``) given, as pandas' ``reindex``:
        values where the label exists, missing (or ``fill_value``) elsewhere.

        Parameters
        ----------
        labels : list-like, optional
            New labels of ``axis`` (rows by default).
        index : list-like, optional
            New row labels: sorted, and the collection's divisions known (each partition takes the labels of
            its range; no shuffle).
        columns : list-like, optional
            New column labels (new ones filled).
        axis : {0, 1, "index", "columns"}, optional
            The axis of ``labels``.
        fill_value : scalar, optional
            For new labels (else missing: integer columns become float64 unless every label is found, as
            pandas; that is counted at once).
        **options
            pandas' ``method``, ``level``, ``limit`` and ``tolerance`` are not supported.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 4.0]}, index=pd.to_datetime(["2020-01-01", "2020-01-02",
        ...                                                                   "2020-01-04"]))
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.reindex(pd.date_range("2020-01-01", "2020-01-05"), fill_value=0.0).compute().x.tolist()
        [1.0, 2.0, 0.0, 4.0, 0.0]
        >>> list(df.reindex(columns=["y", "x"]).columns)
        ['y', 'x']
        """
        given = [name for name in _UNSUPPORTED if options.pop(name, None) is not None]
        options.pop("copy", None)
        if given or options:
            raise NotImplementedError(f"reindex: {sorted(given + list(options))} not supported (only the labels "
                                      "and fill_value)")
        if labels is not None:
            if axis in (1, "columns"):
                columns = labels
            else:
                index = labels
        out = self
        if columns is not None:
            if bf.is_series_like(self._meta):
                raise TypeError("Series.reindex() got an unexpected keyword argument 'columns'")
            kw = {"columns": list(columns), **({} if fill_value is None else {"fill_value": fill_value})}
            out = out._map(bf.call_method, "reindex", kwargs=kw, label="reindex-columns",
                           meta=bf.make_meta(bf.meta_nonempty(self._meta).reindex(**kw)))
        return out if index is None else reindex_rows(out, index, fill_value)


class TransposeMethods:
    """``transpose`` and ``T`` of :class:`~gpuscale.dataframe.DataFrame`."""

    def transpose(self) -> Any:
        """Rows as columns, as pandas' ``transpose`` (for small frames: the index is computed at once and the
        rows gathered into one partition).

        Returns
        -------
        DataFrame
            One partition; its columns are the index labels, its index the column labels; one dtype (the
            columns' common one, as pandas).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 3], "y": [4, 5, 6]}), npartitions=2, backend="cpu")
        >>> df.describe().transpose().compute()[["count", "mean"]]
           count  mean
        x    3.0   2.0
        y    3.0   5.0
        """
        from gpuscale.collection import compute

        (index,) = compute(self.index)
        labels = bf.host_labels(index)
        whole = self.repartition(npartitions=1) if self.npartitions > 1 else self
        meta = bf.transposed_meta(self._meta, labels)
        return new_collection(map_partitions_expr(bf.transpose_partition, whole.expr, meta=meta,
                                                  label="transpose")).clear_divisions()

    @property
    def T(self) -> Any:
        """:meth:`transpose` (computes the index).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2]}, index=["a", "b"]), npartitions=1, backend="cpu")
        >>> df.T.compute()
           a  b
        x  1  2
        """
        return self.transpose()
