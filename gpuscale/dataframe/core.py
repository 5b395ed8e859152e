"""Collections over frame expressions: the shared base, lazy scalars and ``new_collection``.

``DataFrame`` and ``Series`` (in :mod:`gpuscale.dataframe.frame` and
:mod:`gpuscale.dataframe.series`) wrap a :class:`FrameExpr`; every method
builds a new expression and nothing runs until ``compute()``.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.partition_type import PartitionType
from gpuscale.collection import Collection
from gpuscale.dataframe.expr.base import FrameExpr, FromChunks, FromPersisted
from gpuscale.dataframe.expr.blockwise import Head, Tail, map_partitions_expr
from gpuscale.dataframe.expr.reductions import tree_reduce
from gpuscale.dataframe.in_place import in_place
from gpuscale.dataframe.operators import Operators, isin_operand, to_expr
from gpuscale.dataframe.replace_where import NO_OTHER, replaced_where
from gpuscale.dataframe.reset_index import reset_index
from gpuscale.dataframe.reduction_methods import ReductionMethods
from gpuscale.dataframe.scalar import Scalar
from gpuscale.dataframe.window import WindowMethods

__all__ = ["FrameBase", "Scalar", "new_collection", "resolved", "to_expr"]

def _concat_results(meta: Any, results: list) -> Any:
    """A frame's result: its computed partitions in order (none: the empty ``meta``)."""
    out = bf.concat(list(results))
    return bf.empty_like_meta(meta) if out is None else out


def new_collection(expr: FrameExpr) -> Any:
    """The collection for ``expr``: DataFrame, Series, Index or Scalar by the type of ``_meta``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2]}), npartitions=1, backend="cpu")
    >>> type(gd.new_collection(df.x.expr)).__name__, type(gd.new_collection(df.x.sum().expr)).__name__
    ('Series', 'Scalar')
    """
    from gpuscale.dataframe.frame import DataFrame
    from gpuscale.dataframe.series import Index, Series

    meta = expr._meta
    if bf.is_dataframe_like(meta):
        return DataFrame(expr)
    if bf.is_series_like(meta):
        return Series(expr)
    if bf.is_index_like(meta):
        return Index(expr)
    return Scalar(expr)


def resolved(value: Any, obj: Any) -> Any:
    """pandas' rule for arguments that may depend on the frame: a column expression (``pd.col("a") > 1``) is
    evaluated on ``obj``, a callable (not a collection) called with it, anything else given as it is."""
    if bf.is_expression(value):
        return bf.evaluate_expression(value, obj)
    if callable(value) and not isinstance(value, FrameBase):
        return value(obj)
    return value


class FrameBase(ReductionMethods, WindowMethods, Operators, Collection):
    """Behaviour shared by DataFrame, Series and Index collections."""

    # -- metadata ---------------------------------------------------------------------------
    @property
    def _meta(self) -> Any:
        return self._expr._meta

    # dask's class attributes: the accessors registered by gpuscale.dataframe.extensions (a set per class once
    # one is registered) and the class of the partitions
    _accessors: set = set()
    _partition_type = PartitionType()

    @property
    def _meta_nonempty(self) -> Any:
        # dask's attribute: a small stand-in with the dtypes of the metadata (to try code on)
        return bf.meta_nonempty(self._meta)

    @property
    def _name(self) -> str:
        # dask's ``_name``: a deterministic name, equal for collections that compute the same thing
        return self._expr._name

    @property
    def npartitions(self) -> int:
        """Number of partitions."""
        return self._expr.npartitions

    @property
    def divisions(self) -> tuple:
        """Index boundaries of the partitions (None when unknown)."""
        return self._expr.divisions

    @property
    def known_divisions(self) -> bool:
        """True when the index boundaries of the partitions are known."""
        return self._expr.known_divisions

    @property
    def dtypes(self) -> Any:
        """The dtypes of the columns (pandas/cuDF object)."""
        return self._meta.dtypes

    @property
    def index(self) -> Any:
        """The index, as a lazy Index collection (with this collection's divisions, as dask's)."""
        from gpuscale.dataframe.expr.loc import IndexKeepingMap

        return new_collection(IndexKeepingMap(_get_index, None, None, "index", False, self._expr))

    @index.setter
    def index(self, value: Any) -> None:
        # ``df.index = df.index.cat.as_unknown()`` as in dask: an Index partitioned as this collection
        from gpuscale.backends.frame.index_values import with_index_values
        from gpuscale.dataframe.expr.sorting import WithDivisions

        if not isinstance(value, FrameBase) or not bf.is_index_like(value._meta):
            raise TypeError(f"the index can be set to a gpuscale Index only, got {type(value).__name__}")
        if value.npartitions != self.npartitions:
            raise ValueError(f"the new index has {value.npartitions} partitions, the collection {self.npartitions}")
        meta = with_index_values(self._meta, value._meta)
        expr = map_partitions_expr(with_index_values, self._expr, value.expr, meta=meta, label="set-index-values")
        self._expr = WithDivisions(expr, tuple(value.divisions))

    # -- collection protocol --------------------------------------------------------------------
    def _finalizer(self) -> Any:
        return functools.partial(_concat_results, self._meta)

    def _from_persisted(self, chunks: dict) -> Any:
        values = list(chunks.values())  # in partition order, under whatever keys the plan gave them (a joint one)
        if all(bf.is_frame_like(v) for v in values):
            return new_collection(FromChunks(None, None, values, self._meta, self.divisions, "persisted"))
        return new_collection(FromPersisted(values, self._meta, self.divisions))  # futures on a cluster

    def _from_graph(self, graph: dict, keys: list) -> Any:  # clone / bind: partitions are the graph's (renamed) keys
        from gpuscale.dataframe.expr.sources import FromGraph  # not the tasks taken for computed partitions
        return new_collection(FromGraph(graph, tuple(keys), self._meta, self.divisions))

    def __repr__(self) -> str:
        kind = type(self).__name__
        return f"<gpuscale {kind}: npartitions={self.npartitions}>\n{_describe_meta(self._meta)}"

    def _repr_html_(self) -> str:
        import html

        return f"<pre>{html.escape(repr(self))}</pre>"

    # -- building blocks -------------------------------------------------------------------------
    def _map(self, func: Callable, *args: Any, label: str | None = None, columnwise: bool = True,
             meta: Any = None, kwargs: dict | None = None) -> Any:
        operands = [to_expr(a) for a in args]
        expr = map_partitions_expr(func, self._expr, *operands, kwargs=kwargs or None, meta=meta,
                                   label=label or getattr(func, "__name__", "map"), columnwise=columnwise)
        return new_collection(expr)

    def _method(self, method: str, /, *args: Any, columnwise: bool = True, **kwargs: Any) -> Any:
        operands = [to_expr(a) for a in args]
        expr = map_partitions_expr(bf.call_method, self._expr, method, *operands, kwargs=kwargs or None, label=method,
                                   columnwise=columnwise)
        return new_collection(expr)

    def _binary(self, name: str, other: Any) -> Any:
        if isinstance(other, (list, dict, set)):
            raise TypeError(f"operator {name!r}: cannot combine a {type(self).__name__} with a {type(other).__name__}")
        from gpuscale.dataframe.flex import as_operand

        if _is_lazy_array(other) and other.ndim == 1 and bf.is_series_like(self._meta):
            from gpuscale.dataframe.frame import _array_column

            # a 1-D array with a block per partition: block i meets partition i by position, as dask
            other = _array_column(self, self.name, other).rename(self.name)
        elif _is_lazy_array(other) and other.ndim == 2 and bf.is_dataframe_like(self._meta):
            from gpuscale.dataframe.frame import _array_frame

            other = _array_frame(self, other)  # block row i meets partition i, the columns by position
        other = as_operand(self, other)  # a pandas operand meets the partitions by label, as dask
        columnwise = not isinstance(other, FrameBase)
        expr = map_partitions_expr(bf.binary_op, name, self._expr, to_expr(other), label=name, columnwise=columnwise)
        if bf.is_index_like(self._meta):
            from gpuscale.dataframe.array_blocks import blocks_array, is_block_array

            if is_block_array(expr._meta):  # index > 4 is a NumPy mask in pandas: an array, as dask (df.loc[it])
                masks = new_collection(expr)
                array = blocks_array(masks, expr._meta)
                array._partition_masks = masks  # Index.where/mask pair them with the index's partitions
                return array
        return new_collection(expr)

    def _unary(self, name: str) -> Any:
        try:
            return new_collection(map_partitions_expr(bf.unary_op, name, self._expr, label=name, columnwise=True))
        except (TypeError, NotImplementedError) as cause:  # a dtype the operation does not take (abs of strings):
            # pandas' TypeError (pyarrow's ArrowNotImplementedError for Arrow text), naming the dtypes
            raise TypeError(f"{name}: not supported for the dtypes {_dtypes_text(self._meta)} ({cause})") from cause

    # -- partition access --------------------------------------------------------------------------
    def map_partitions(self, func: Callable, *args: Any, meta: Any = None, align_dataframes: bool | None = None,
                       enforce_metadata: bool = True, transform_divisions: bool = True, clear_divisions: bool = False,
                       token: str | None = None, required_columns: list | None = None, parent_meta: Any = None,
                       **kwargs: Any) -> Any:
        """Apply ``func(partition, *args, **kwargs)`` to each partition.

        Other collections in ``args`` are aligned partition by partition (repartitioned at the union of
        known divisions that differ; ``align_dataframes=False``: paired by position as they are, as dask); a
        one-partition collection among several-partition ones is given whole to every partition, as dask
        (``df.map_partitions(lambda p, lookup: p.merge(lookup), small)``), and so are lazy scalars; with
        ``align_dataframes=True`` given and known divisions everywhere it is split at the others' too, as dask says.
        ``token`` names the tasks (default: the function's name); ``required_columns`` (dask's) must name
        columns of this frame (the whole frame is given to ``func``).  ``meta`` (an empty pandas/cuDF object) saves
        running ``func`` on sample data to learn the output's columns and dtypes; a ``func`` giving arrays
        or SciPy/CuPy sparse matrices (or an array ``meta``, ``np.empty((0, 2))``) gives a gpuscale Array, a
        block of rows per partition, as dask.  A ``func`` taking a
        ``partition_info`` argument gets dask's ``{"number": i, "division": divisions[i]}`` of each partition.
        As dask's, known divisions are kept (the function is taken to keep each row's label; they are
        forgotten where the result's metadata shows another index: a ``reset_index``, another index name or
        dtype), ``enforce_metadata=False`` skips checking each partition against a declared ``meta``
        and ``clear_divisions=True`` forgets the divisions (the function moved rows between index ranges).
        dask's ``transform_divisions`` is taken (never passed to ``func``) and changes nothing: as in dask,
        where it no longer maps the divisions, they follow the rule above (those of an Index's: unknown);
        so is dask's ``parent_meta`` (the metadata is inferred from this collection's own).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(6)}), npartitions=3, backend="cpu")
        >>> df.map_partitions(lambda p, partition_info=None: p.x * 0 + partition_info["number"]).compute().tolist()
        [0, 0, 1, 1, 2, 2]
        """
        from gpuscale.dataframe.mapping import map_partitions

        if required_columns is not None and bf.is_dataframe_like(self._meta):
            self._check_columns(list(required_columns))
        out = map_partitions(self, func, args, meta, align_dataframes, kwargs, enforce_metadata, token)
        return out.clear_divisions() if clear_divisions and hasattr(out, "clear_divisions") else out

    @property
    def partitions(self) -> Any:
        """Select partitions by position: ``df.partitions[0]``, ``df.partitions[:2]``, ``[[0, 2]]``, a boolean mask.

        Divisions stay known while the selected partitions keep their order.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(8)}), npartitions=4, backend="cpu")
        >>> df.partitions[1:3].divisions
        (2, 4, 6)
        """
        from gpuscale.dataframe.divisions import PartitionIndexer

        return PartitionIndexer(self)

    def get_partition(self, n: int) -> Any:
        """Partition ``n`` (``0 <= n < npartitions``) as a one-partition collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(8)}), npartitions=4, backend="cpu")
        >>> df.get_partition(1).x.compute().tolist()
        [2, 3]
        """
        from gpuscale.dataframe.divisions import get_partition

        return get_partition(self, n)

    @property
    def loc(self) -> Any:
        """Rows (and, on a DataFrame, columns) by label, with dask's semantics.

        See :class:`gpuscale.dataframe.loc.LocIndexer`: a label, a list of labels, a
        label slice or a partial date string read only the partitions that can hold
        them when divisions are known; a boolean Series collection filters rows.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"x": range(4)}, index=pd.date_range("2021-10-30", periods=4, freq="D"))
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").loc["2021-11"].x.compute().tolist()
        [2, 3]
        """
        from gpuscale.dataframe.loc import LocIndexer

        return LocIndexer(self)

    @property
    def shape(self) -> tuple:
        """``(rows, columns)`` of a DataFrame, ``(rows,)`` otherwise; ``rows`` is a lazy Scalar (as dask).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> rows, columns = gd.from_pandas(pd.DataFrame({"a": [1, 2, 3], "b": 1}), npartitions=2,
        ...                                backend="cpu").shape
        >>> int(rows.compute()), columns
        (3, 2)
        """
        rows = self._length()
        return (rows, len(self._meta.columns)) if bf.is_dataframe_like(self._meta) else (rows,)

    def clear_divisions(self) -> Any:
        """The same partitions with unknown divisions (when the boundaries no longer hold).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> gd.from_pandas(pd.DataFrame({"x": range(4)}), npartitions=2, backend="cpu").clear_divisions().divisions
        (None, None, None)
        """
        from gpuscale.dataframe.divisions import clear_divisions

        return clear_divisions(self)

    def compute_current_divisions(self, col: Any = None, set_divisions: bool = False) -> Any:
        """The divisions of sorted partitions, computed now from each partition's min and max.

        Parameters
        ----------
        col : label, optional
            A column to compute them for instead of the index.
        set_divisions : bool
            Return the collection with these divisions instead of the divisions.

        Returns
        -------
        tuple or collection
            ``npartitions + 1`` boundaries (known divisions are returned as they are).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": range(6)}), npartitions=3, backend="cpu").clear_divisions()
        >>> df.compute_current_divisions()
        (0, 2, 4, 5)
        """
        from gpuscale.dataframe.divisions import compute_current_divisions

        return compute_current_divisions(self, col, set_divisions)

    def reduction(self, chunk: Callable, aggregate: Callable | None = None, combine: Callable | None = None,
                  meta: Any = None, token: str | None = None, split_every: int | None = None,
                  chunk_kwargs: dict | None = None,
                  aggregate_kwargs: dict | None = None, combine_kwargs: dict | None = None, **kwargs: Any) -> Any:
        """A user-defined tree reduction, as dask's: ``chunk(partition)``, then ``combine`` and ``aggregate``
        of the concatenated partials (scalar partials become a Series, Series partials one-row frames);
        other keywords go to all three functions; ``token`` names the tasks (as dask's).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series(range(10)), npartitions=3, backend="cpu")
        >>> int(s.reduction(lambda p: p.sum(), aggregate=lambda partials: partials.sum()).compute())
        45
        """
        from gpuscale.dataframe.aggregation import reduction

        return reduction(self, chunk, aggregate, combine, meta, split_every, chunk_kwargs, aggregate_kwargs,
                         combine_kwargs, token=token, **kwargs)

    def to_delayed(self, optimize_graph: bool = True) -> list:
        """One dask ``Delayed`` per partition; see :func:`gpuscale.dataframe.to_delayed`."""
        from gpuscale.dataframe.interop import to_delayed

        return to_delayed(self, optimize_graph)

    def random_split(self, frac: list, random_state: Any = None, shuffle: bool = False) -> list:
        """Rows split at random by fractions; see :func:`gpuscale.dataframe.interop.random_split`."""
        from gpuscale.dataframe.interop import random_split

        return random_split(self, frac, random_state, shuffle)

    def head(self, n: int = 5, npartitions: int = 1, compute: bool = True) -> Any:
        """The first ``n`` rows, from the first ``npartitions`` partitions (-1: all); a negative ``n``
        drops the last ``-n`` rows of those partitions (pandas' ``head(-n)`` of them, as dask); fewer than
        ``n`` rows from fewer than all partitions warn."""
        if npartitions > self.npartitions:
            raise ValueError(f"head: only {self.npartitions} partitions, head received {npartitions}")
        if n < 0:
            first = self if npartitions == -1 else self.partitions[:npartitions]
            first = first if first.npartitions == 1 else first.repartition(npartitions=1)
            out = new_collection(map_partitions_expr(bf.head, first.expr, kwargs={"n": n}, meta=first._meta,
                                                     label="head", columnwise=True))
        else:
            out = new_collection(Head(self._expr, n, npartitions))
        if not compute:
            return out
        result = out.compute()
        if 0 <= len(result) < n and npartitions not in (-1, self.npartitions):
            import warnings

            warnings.warn(f"Insufficient elements for `head`. {n} elements requested, only {len(result)} elements "
                          f"available. Try passing larger `npartitions` to `head`.", UserWarning, stacklevel=2)
        return result

    def tail(self, n: int = 5, npartitions: int = 1, compute: bool = True) -> Any:
        """The last ``n`` rows, from the last ``npartitions`` partitions (-1: all)."""
        out = new_collection(Tail(self._expr, n, npartitions))
        return out.compute() if compute else out

    def __len__(self) -> int:
        known = self._expr.known_length()  # (in-memory partitions, parquet footers: nothing to read)
        return known if known is not None else int(self._length().compute())

    def __bool__(self) -> bool:
        # as pandas and dask: `if df.x > 1:` must not quietly mean "has rows"
        raise ValueError(f"The truth value of a gpuscale {type(self).__name__} is ambiguous: use .any(), .all(), "
                         "len(...) or .empty explicitly")

    def _length(self) -> "Scalar":
        frame = self[[]] if self._reads_columns() else self
        expr = tree_reduce(frame._expr, bf.length, bf.total, bf.total, {}, 0, "len")
        return Scalar(expr)

    def _reads_columns(self) -> bool:
        """Whether this frame's plan reads files or a database whose readers can skip columns: its length then
        needs none of them (the projection to no columns reaches the readers, as in dask's ``len``; on data in
        memory it would only add work)."""
        from gpuscale.dataframe.expr.base import FromChunks, PartitionedSource

        return bf.is_dataframe_like(self._meta) and any(
            not isinstance(node, FromChunks) for node in self._expr.find_operations(PartitionedSource))

    # -- element-wise methods -------------------------------------------------------------------------
    def astype(self, dtype: Any) -> Any:
        """Cast to ``dtype`` (or a dict column -> dtype); ``"category"`` gives unknown categories, as dask."""
        from gpuscale.dataframe.categorical import astype

        return astype(self, dtype)

    def isna(self) -> Any:
        """Boolean mask of missing values."""
        return self._method("isna")

    def isnull(self) -> Any:
        """Alias of :meth:`isna`."""
        return self.isna()

    def notna(self) -> Any:
        """Boolean mask of present values."""
        return self._method("notna")

    def notnull(self) -> Any:
        """Alias of :meth:`notna`."""
        return self.notna()

    def fillna(self, value: Any = None, **kwargs: Any) -> Any:
        """Replace missing values by ``value``.

        Parameters
        ----------
        value : scalar, dict, Series or lazy scalar
            The replacement (a dict: per column).
        **kwargs
            pandas' ``fillna`` options; ``limit=``: the first ``limit`` missing values of each column of
            the whole collection, as pandas.

        Returns
        -------
        DataFrame or Series
            Its dtypes are pandas' for data with missing values (a naive timestamp filled into a tz-aware
            column gives objects, as pandas), whichever partitions have some.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, None, 3.0, None]), npartitions=2, backend="cpu")
        >>> s.fillna(0).compute().tolist()
        [1.0, 0.0, 3.0, 0.0]
        >>> s.fillna("none").dtype
        dtype('O')
        """
        if "method" in kwargs:  # (pandas 2 filled each partition on its own with it: never silently)
            raise TypeError(f"{type(self).__name__}.fillna() got an unexpected keyword argument 'method' (removed in "
                            "pandas 3): use .ffill() or .bfill()")
        inplace = kwargs.pop("inplace", False)
        if kwargs.get("limit") is not None and kwargs.get("axis") in (None, 0, "index"):
            from gpuscale.dataframe.fill import fill_value_limited

            return in_place(self, fill_value_limited(self, value, kwargs.pop("limit"), kwargs), inplace)
        # the empty metadata has nothing to fill, so it would keep dtypes that filled partitions change
        meta = None if kwargs else bf.fillna_meta(self._meta, value)
        return in_place(self, new_collection(map_partitions_expr(
            bf.call_method, self.expr, "fillna", to_expr(value), kwargs=kwargs or None, meta=meta, label="fillna",
            columnwise=not isinstance(value, dict))), inplace)

    def dropna(self, **kwargs: Any) -> Any:
        """Drop rows with missing values (``subset``, ``how``, ``thresh`` as in pandas)."""
        unknown = [k for k in kwargs if k not in _DROPNA_KEYWORDS]  # (as pandas, before any reaches _method)
        if unknown:
            raise TypeError(f"{type(self).__name__}.dropna() got an unexpected keyword argument '{unknown[0]}'")
        if kwargs.get("how") is not None and kwargs.get("thresh") is not None:
            raise TypeError("You cannot set both the how and thresh arguments at the same time.")
        inplace = kwargs.pop("inplace", False)
        return in_place(self, self._method("dropna", columnwise=False, **kwargs), inplace)

    def isin(self, values: Any) -> Any:
        """Boolean mask of membership in ``values``."""
        from gpuscale.dataframe.interop import is_delayed

        if isinstance(values, FrameBase):
            raise NotImplementedError("isin with a lazy collection: compute it first (it is broadcast)")
        if bf.is_dataframe_like(self._meta) and (bf.is_series_like(values) or bf.is_dataframe_like(values)):
            # pandas matches these by row label, which one partition cannot do (dask refuses them too)
            raise NotImplementedError("DataFrame.isin of a Series or DataFrame (matched by index label) is not "
                                      "supported; pass a list of values or a dict of them per column")
        if is_delayed(values) or (isinstance(values, (list, tuple)) and any(is_delayed(v) for v in values)):
            import dask  # dask Delayed values (or a list holding some): computed in the graph, as dask

            meta = bf.make_meta(bf.call_method(self._meta, "isin", []))
            return self.map_partitions(bf.call_method, "isin", dask.delayed(list)(values), meta=meta)
        return self._method("isin", isin_operand(values))

    def where(self, cond: Any, other: Any = NO_OTHER, axis: Any = None) -> Any:
        """Keep values where ``cond`` is True, else ``other`` (NaN by default; a Series ``other`` of a DataFrame
        with ``axis=0``: matched by row, as pandas)."""
        return replaced_where(self, "where", cond, other, axis)

    def mask(self, cond: Any, other: Any = NO_OTHER, axis: Any = None) -> Any:
        """Replace values where ``cond`` is True by ``other`` (NaN by default; ``axis`` as :meth:`where`)."""
        return replaced_where(self, "mask", cond, other, axis)

    def clip(self, lower: Any = None, upper: Any = None, axis: Any = None) -> Any:
        """Limit values to ``[lower, upper]``: scalars, Series aligned with the rows (``axis=0``) or,
        of a DataFrame, a pandas Series by column (``axis=1``)."""
        from gpuscale.dataframe.clip import clipped

        return clipped(self, lower, upper, axis)

    def round(self, decimals: int = 0) -> Any:
        """Round to ``decimals`` places."""
        return self._method("round", decimals)

    def abs(self) -> Any:
        """Absolute values."""
        return self._unary("abs")

    reset_index = reset_index

    def copy(self, deep: bool = False) -> Any:
        """A shallow copy of the collection (expressions are immutable); ``deep=True`` is refused, as dask."""
        if deep is not False:
            raise ValueError("The `deep` value must be False. This is strictly a shallow copy of the underlying "
                             "computational graph.")
        return new_collection(self._expr)


def _get_index(obj: Any) -> Any:
    return obj.index


_DROPNA_KEYWORDS = frozenset({"axis", "how", "thresh", "subset", "inplace", "ignore_index"})  # pandas' own
_SHOWN_COLUMNS = 10  # a wide frame's repr shows its first and last ten columns, as pandas truncates


def _one_line(label: Any) -> str:
    return str(label).replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _describe_meta(meta: Any) -> str:
    if bf.is_dataframe_like(meta):
        lines = [f"  {_one_line(c):<20} {dt}" for c, dt in meta.dtypes.items()]
        if len(lines) > 3 * _SHOWN_COLUMNS:
            hidden = len(lines) - 2 * _SHOWN_COLUMNS
            lines = lines[:_SHOWN_COLUMNS] + [f"  ... ({hidden} more columns)"] + lines[-_SHOWN_COLUMNS:]
        return "\n".join(lines) or "  (no columns)"
    names = list(getattr(meta, "names", None) or [])
    if len(names) > 1:  # a MultiIndex: its levels' names (its name is None)
        return f"  names={names!r}, dtype={getattr(meta, 'dtype', None)}"
    return f"  name={getattr(meta, 'name', None)!r}, dtype={getattr(meta, 'dtype', None)}"


def _is_lazy_array(obj: Any) -> bool:
    """Whether ``obj`` is a gpuscale (chunked) array."""
    return isinstance(obj, Collection) and not isinstance(obj, (FrameBase, Scalar)) and hasattr(obj, "chunks")


def _dtypes_text(meta: Any) -> str:
    dtypes = meta.dtypes.to_dict() if bf.is_dataframe_like(meta) else {meta.name: meta.dtype}
    return ", ".join(f"{k}: {v}" for k, v in dtypes.items())
