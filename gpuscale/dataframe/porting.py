"""The rest of dask.dataframe's DataFrame / Series methods that ported code calls (issue #14).

``nunique_approx`` (a HyperLogLog sketch, as dask), ``to_backend`` (partitions moved between pandas and
cuDF), ``to_string`` / ``to_html`` (dask's structure table), ``from_dict``, ``combine``, ``dot``,
``to_timestamp``; of a DataFrame ``idxmax`` / ``idxmin`` and the ``melt`` / ``pivot_table`` methods; of a
Series ``autocorr`` and ``case_when``.  Each is built from the existing partition-wise maps and tree
reductions; the partition functions are in :mod:`gpuscale.backends.frame.porting`.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import porting as bp
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["SharedPorting", "FramePorting", "DataFramePorting", "SeriesPorting"]


def _new(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    return new_collection(expr)


def _is_collection(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase

    return isinstance(obj, FrameBase)


def _as_collection(other: Any, like: Any) -> Any:
    """An in-memory pandas/cuDF operand as a one-partition collection of ``like``'s library (so it is
    aligned with ``like`` by its labels, as dask does); anything else as it is."""
    if _is_collection(other) or not bf.is_frame_like(other):
        return other
    from gpuscale.dataframe.creation import from_pandas

    return from_pandas(other, npartitions=1, backend=bf.library_of(like._meta))


def _combine_facts(expr: Any) -> Any:
    """A lazy scalar: a frame's rows and which of its columns hold a value (``bf.combine_facts``)."""
    from gpuscale.dataframe.expr.reductions import tree_reduce

    return tree_reduce(expr, bf.combine_facts, bf.merge_combine_facts, bf.merge_combine_facts, {}, (0, ()),
                       "combine-facts")


class SharedPorting:
    """Mixin of DataFrame, Series and Index."""

    def nunique_approx(self, split_every: Any = None) -> Any:
        """Approximate number of distinct rows (values of a Series), by HyperLogLog, as dask.

        Each partition hashes its rows into a sketch of 2**16 registers; sketches merge by a
        maximum in a tree reduction, so the cost is one pass and a fixed 64 KiB per partial.  The
        relative error is about 0.4 %; counts up to a few ten thousands are nearly exact.

        Parameters
        ----------
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar
            A lazy float.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 2, 3, 3, 3] * 50), npartitions=3, backend="cpu")
        >>> round(float(s.nunique_approx().compute()))
        3
        """
        return _new(tree_reduce(self.expr, bp.hll_chunk, bp.hll_combine, bp.hll_estimate, {}, bf.make_meta(0.0),
                                "nunique-approx", split_every))

    def to_backend(self, backend: str | None = None, **kwargs: Any) -> Any:
        """The same collection with its partitions in another library (``"pandas"`` or ``"cudf"``).

        Parameters
        ----------
        backend : str, optional
            ``"pandas"``, ``"cudf"``, or a family (``"cpu"``, ``"gpu"``, ``"auto"``); the configured
            backend when omitted.  A library that cannot run here (cuDF without a usable GPU) raises
            :class:`gpuscale.backends.BackendUnavailableError` naming the cause.
        **kwargs
            Options of the conversion, as dask_cudf's: to cuDF ``nan_as_null=`` (``cudf.from_pandas``; False
            keeps NaN as a value rather than a null), to pandas ``nullable=`` (pandas' nullable dtypes) and
            ``arrow_type=`` (cuDF's ``to_pandas``).  Others raise ``ValueError`` naming the conversion.

        Returns
        -------
        DataFrame, Series or Index
            Itself when the partitions are already of that library; else every partition is copied
            once (host to device or back).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3]), npartitions=2, backend="cpu")
        >>> type(s.to_backend("pandas").compute()).__module__.split(".")[0]
        'pandas'
        """
        from gpuscale.backends.registry import resolve_frame_backend

        try:
            library = resolve_frame_backend(backend)
        except ValueError as exc:  # dask's words first: a name no library answers to
            raise ValueError(f"to_backend: No backend dispatch registered for {backend!r} ({exc})") from exc
        source = bf.library_of(self._meta)
        bp.check_move_options(source, library, kwargs)
        if library == source:
            return self
        meta = bp.move_partition(self._meta, library, **kwargs)
        return _new(map_partitions_expr(bp.move_partition, self.expr, library, kwargs=kwargs or None, meta=meta,
                                        label=f"to-{library}", columnwise=True))

    def to_string(self, max_rows: int = 5) -> str:
        """The structure of the lazy collection as text: divisions, dtypes, ``...`` for the data (as dask).

        Parameters
        ----------
        max_rows : int
            Divisions shown before the middle ones are elided.

        Returns
        -------
        str

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0], name="v"), npartitions=2, backend="cpu")
        >>> print(s.to_string())
        npartitions=2
        0    float64
        2        ...
        2        ...
        """
        table = bp.structure_table(self._meta, self.divisions)
        if bf.is_dataframe_like(self._meta):
            return table.to_string(max_rows=max_rows, show_dimensions=False)
        return table.to_string(max_rows=max_rows)

    def enforce_runtime_divisions(self) -> Any:
        """The same collection, checking when computed that every partition's index lies within its
        divisions (a RuntimeError names the first partition that does not).

        Returns
        -------
        DataFrame, Series or Index

        Raises
        ------
        ValueError
            When the divisions are unknown (nothing to enforce).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.enforce_runtime_divisions().compute().tolist()
        [1, 2, 3, 4]
        """
        from gpuscale.dataframe.expr.indexed import MapIndexed

        if not self.known_divisions:
            raise ValueError("enforce_runtime_divisions: the divisions are unknown, so there are none to enforce")
        kwargs = {"divisions": tuple(self.divisions)}
        return _new(MapIndexed(self.expr, bp.check_partition_divisions, kwargs, self._meta,
                               "enforce-divisions", True))

    @classmethod
    def from_dict(cls, data: dict, *, npartitions: int = 1, orient: str = "columns", dtype: Any = None,
                  columns: Any = None) -> Any:
        """A lazy DataFrame from a dict (as dask's ``DataFrame.from_dict``, which ``Series.from_dict`` shares).

        Parameters
        ----------
        data : dict
            Columns (``orient="columns"``) or rows (``orient="index"``).
        npartitions : int
            Number of partitions.
        orient, dtype, columns
            As ``pandas.DataFrame.from_dict``.

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import gpuscale.dataframe as gd
        >>> df = gd.DataFrame.from_dict({"a": [1, 2, 3]}, npartitions=2)
        >>> df.npartitions, df.a.sum().compute().item()
        (2, 6)
        """
        from gpuscale.dataframe.creation import from_dict

        return from_dict(data, npartitions=npartitions, orient=orient, dtype=dtype, columns=columns)


class FramePorting(SharedPorting):
    """Mixin of DataFrame and Series."""

    def combine(self, other: Any, func: Any, fill_value: Any = None, overwrite: bool = True) -> Any:
        """Combine with ``other`` element-wise by ``func`` (pandas' ``combine``, partition by partition).

        Parameters
        ----------
        other : Series, DataFrame or scalar
            A collection (known but different divisions are aligned first) or a literal.
        func : callable
            ``func(a, b)`` of two Series (a DataFrame's columns) or of two values (a Series').
        fill_value : scalar, optional
            Stands in for a value missing on one side.
        overwrite : bool
            Of a DataFrame: columns of ``self`` missing in ``other`` become missing (pandas' default).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> a, b = pd.Series([1, 5, 3, 7]), pd.Series([4, 2, 6, 0])
        >>> left = gd.from_pandas(a, npartitions=2, backend="cpu")
        >>> left.combine(gd.from_pandas(b, npartitions=2, backend="cpu"), max).compute().tolist()
        [4, 5, 6, 7]
        """
        from gpuscale.dataframe.flex import aligned

        left, right = aligned(self, _as_collection(other, self))
        kwargs = {"fill_value": fill_value}
        if bf.is_dataframe_like(self._meta):
            kwargs["overwrite"] = overwrite
        operand = right.expr if _is_collection(right) else right
        sample = bf.meta_nonempty(right._meta) if _is_collection(right) else right
        # func is a user function: its result type is learnt from sample rows (empty ones give object)
        meta = bf.make_meta(bp.combine_partition(bf.meta_nonempty(left._meta), sample, func, **kwargs))
        # pandas decides its empty-side shortcuts (and overwrite=False's columns) on the whole frames
        facts = [_combine_facts(left.expr), _combine_facts(right.expr)] if bf.is_dataframe_like(
            self._meta) and _is_collection(right) and bf.is_dataframe_like(right._meta) else []
        return _new(map_partitions_expr(bp.combine_partition, left.expr, operand, func, *facts, kwargs=kwargs,
                                        meta=meta, label="combine"))

    def dot(self, other: Any, meta: Any = None) -> Any:
        """Matrix product (pandas' ``dot``).

        A Series times a Series (a lazy scalar) or a DataFrame (a Series indexed by its columns) sums
        the products over the rows, partitions aligned; a DataFrame times an in-memory Series or
        DataFrame indexed by its columns multiplies every partition's rows (a Series or DataFrame).

        Parameters
        ----------
        other : Series or DataFrame
            A collection (of a Series ``self``) or an in-memory pandas/cuDF object (of a DataFrame).
        meta : optional
            Accepted for dask compatibility.

        Returns
        -------
        Scalar, Series or DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> a = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
        >>> float(a.dot(a).compute())
        30.0
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1.0, 2.0], "y": [3.0, 4.0]}), npartitions=2, backend="cpu")
        >>> df.dot(pd.Series([1.0, 10.0], index=["x", "y"])).compute().tolist()
        [31.0, 42.0]
        """
        if bf.is_dataframe_like(self._meta):
            if _is_collection(other):
                raise TypeError("DataFrame.dot: other is indexed by this frame's columns, so it is small; "
                                "pass it computed (a pandas/cuDF Series or DataFrame)")
            return self.map_partitions(bp.dot_partition, other)
        if not _is_collection(other):
            raise TypeError("Series.dot: the second operand must be a gpuscale Series or DataFrame (as dask)")
        if bf.is_dataframe_like(other._meta):
            name = getattr(meta, "name", self.name)  # pandas keeps the name; dask takes meta's
            return other.mul(self, axis=0).sum(skipna=False).rename(name)
        return self.mul(other).sum(skipna=False)

    def to_timestamp(self, freq: Any = None, how: str = "start") -> Any:
        """A PeriodIndex as timestamps (pandas' ``to_timestamp`` of every partition; divisions converted).

        Parameters
        ----------
        freq : str, optional
            Target frequency (the period's own by default).
        how : {"start", "end"}
            Which end of each period.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1, 2, 3], index=pd.period_range("2024-01", periods=3, freq="M"))
        >>> out = gd.from_pandas(s, npartitions=2, backend="cpu").to_timestamp()
        >>> str(out.divisions[0]), out.compute().index.month.tolist()
        ('2024-01-01 00:00:00', [1, 2, 3])
        """
        from gpuscale.dataframe.expr.sorting import WithDivisions

        kwargs = {"freq": freq, "how": how}
        mapped = map_partitions_expr(bf.call_method, self.expr, "to_timestamp", kwargs=kwargs, label="to_timestamp")
        return _new(WithDivisions(mapped, bp.timestamp_divisions(self.divisions, freq, how)))


    def to_period(self, freq: Any = None) -> Any:
        """A DatetimeIndex as periods of ``freq`` (pandas' ``to_period`` of every partition; divisions
        converted).  ``freq`` is needed beyond one partition (a partition's own index cannot tell the whole
        frame's frequency); cuDF has no periods (pandas partitions only).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1, 2, 3], index=pd.date_range("2024-01-31", periods=3, freq="D"))
        >>> out = gd.from_pandas(s, npartitions=2, backend="cpu").to_period("M")
        >>> str(out.divisions[0]), out.compute().index.astype(str).tolist()
        ('2024-01', ['2024-01', '2024-02', '2024-02'])
        """
        from gpuscale.dataframe.expr.sorting import WithDivisions

        if freq is None and self.npartitions > 1:
            raise ValueError("to_period: give freq= (each partition would infer its own frequency)")
        if bf.library_of(self._meta) == "cudf":
            raise NotImplementedError("to_period: cuDF has no periods; convert to pandas partitions first "
                                      "(to_backend('pandas'))")
        mapped = map_partitions_expr(bf.call_method, self.expr, "to_period", kwargs={"freq": freq},
                                     label="to_period")
        return _new(WithDivisions(mapped, bp.period_divisions(self.divisions, freq)))


class DataFramePorting(FramePorting):
    """Mixin of DataFrame."""

    def _idx_extreme(self, how: str, axis: Any, skipna: bool, numeric_only: bool, split_every: Any) -> Any:
        from gpuscale.dataframe.expr.gather import Gather

        # numeric_only: pandas' numeric data, booleans included, timedeltas not
        frame = self[bf.numeric_columns(self._meta)] if numeric_only else self
        if axis in (1, "columns"):
            return frame.map_partitions(bp.row_idx_extreme, how, skipna)
        if axis not in (0, "index", None):
            raise ValueError(f"idx{how}: axis must be 0 or 1, got {axis!r}")
        parts = [getattr(frame[c], f"idx{how}")(skipna=skipna, split_every=split_every).expr for c in frame.columns]
        # indexed by the frame's own column labels (their dtype too), as pandas
        kwargs = {"columns": frame._meta.columns, "dtype": frame._meta.index.dtype,
                  "library": bf.library_of(self._meta)}
        meta = bp.labels_by_column([], frame._meta.columns[:0], kwargs["dtype"], kwargs["library"])
        return _new(Gather(bp.labels_by_column, kwargs, meta, f"idx{how}", *parts))

    def idxmax(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, split_every: Any = None) -> Any:
        """The index label of each column's first largest value (a tree reduction per column).

        Parameters
        ----------
        axis : {0, 1}
            0: per column, a Series indexed by the columns; 1: per row, the column label (partition-wise).
        skipna : bool
            Skip missing values.
        numeric_only : bool
            Only the numeric columns.
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1, 9, 3], "b": [7, 2, 8]}, index=list("xyz"))
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").idxmax().compute().to_dict()
        {'a': 'y', 'b': 'z'}
        """
        return self._idx_extreme("max", axis, skipna, numeric_only, split_every)

    def idxmin(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, split_every: Any = None) -> Any:
        """The index label of each column's first smallest value (see :meth:`idxmax`).

        Parameters
        ----------
        axis : {0, 1}
            0: per column; 1: per row (partition-wise).
        skipna : bool
            Skip missing values.
        numeric_only : bool
            Only the numeric columns.
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"a": [1, 9, 3], "b": [7, 2, 8]}, index=list("xyz"))
        >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").idxmin(axis=1).compute().tolist()
        ['a', 'b', 'a']
        """
        return self._idx_extreme("min", axis, skipna, numeric_only, split_every)

    def melt(self, id_vars: Any = None, value_vars: Any = None, var_name: Any = None, value_name: str = "value",
             col_level: Any = None) -> Any:
        """Unpivot from wide to long format, partition by partition (:func:`gpuscale.dataframe.melt`).

        Parameters
        ----------
        id_vars, value_vars : label or list, optional
            Columns kept as identifiers / unpivoted (all the others by default).
        var_name, value_name : str, optional
            Names of the variable and value columns.
        col_level : optional
            Level of MultiIndex columns to melt.

        Returns
        -------
        DataFrame

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"k": [1, 2], "a": [3, 4]}), npartitions=2, backend="cpu")
        >>> df.melt(id_vars="k").compute().variable.tolist()
        ['a', 'a']
        """
        from gpuscale.dataframe.reshape import melt

        return melt(self, id_vars=id_vars, value_vars=value_vars, var_name=var_name, value_name=value_name,
                    col_level=col_level)

    def pivot_table(self, index: Any, columns: Any, values: Any, aggfunc: str = "mean") -> Any:
        """A pivot table (:func:`gpuscale.dataframe.pivot_table`): ``columns`` categorical with known categories.

        Parameters
        ----------
        index, columns : label
            The column giving the rows / the (categorical) column giving the columns.
        values : label
            The column aggregated.
        aggfunc : {"mean", "sum", "count", "first", "last"}
            The aggregation.

        Returns
        -------
        DataFrame
            One partition.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 1, 2], "c": ["x", "y", "x"], "v": [1.0, 2.0, 3.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu").categorize(columns=["c"])
        >>> df.pivot_table(index="k", columns="c", values="v", aggfunc="sum").compute().loc[1, "y"].item()
        2.0
        """
        from gpuscale.dataframe.reshape import pivot_table

        return pivot_table(self, index=index, columns=columns, values=values, aggfunc=aggfunc)

    def to_html(self, max_rows: int = 5) -> str:
        """The structure of the lazy DataFrame as an HTML table (see :meth:`to_string`).

        Parameters
        ----------
        max_rows : int
            Divisions shown before the middle ones are elided.

        Returns
        -------
        str

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"a": [1, 2]}), npartitions=1, backend="cpu")
        >>> "<th>npartitions=1</th>" in df.to_html()
        True
        """
        table = bp.structure_table(self._meta, self.divisions).to_html(max_rows=max_rows, show_dimensions=False)
        return f"<div><strong>gpuscale DataFrame Structure:</strong></div>\n{table}"


class SeriesPorting(FramePorting):
    """Mixin of Series."""

    def autocorr(self, lag: int = 1, split_every: Any = None) -> Any:
        """Pearson correlation of the Series with itself shifted by ``lag`` rows (a lazy scalar).

        Parameters
        ----------
        lag : int
            Rows to shift by (across partition boundaries, as pandas).
        split_every : int, optional
            Partials combined per step of the tree.

        Returns
        -------
        Scalar

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> values = pd.Series([1.0, 3.0, 2.0, 5.0, 4.0, 6.0])
        >>> s = gd.from_pandas(values, npartitions=3, backend="cpu")
        >>> round(float(s.autocorr(2).compute()), 6), round(float(values.autocorr(2)), 6)
        (0.942857, 0.942857)
        """
        if isinstance(lag, bool) or not isinstance(lag, int):
            raise TypeError(f"autocorr: lag must be an integer, got {lag!r}")
        return self.corr(self if lag == 0 else self.shift(lag), split_every=split_every)

    def case_when(self, caselist: list) -> Any:
        """Replace values where conditions hold: the first true condition of ``caselist`` chooses (pandas').

        Parameters
        ----------
        caselist : list of (condition, replacement)
            Conditions: boolean Series partitioned as this one, or callables of a partition;
            replacements: scalars, such Series, or callables.

        Returns
        -------
        Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 5, 9, 3]), npartitions=2, backend="cpu")
        >>> s.case_when([(s > 6, 100), (s > 2, 10)]).compute().tolist()
        [1, 10, 100, 10]
        """
        if not isinstance(caselist, list):
            raise TypeError(f"case_when: caselist must be a list of (condition, replacement), "
                            f"got {type(caselist).__name__}")
        flat = []
        for i, pair in enumerate(caselist):
            if not isinstance(pair, tuple) or len(pair) != 2:
                raise ValueError(f"case_when: item {i} of caselist is not a (condition, replacement) tuple")
            flat += [item.expr if _is_collection(item) else item for item in pair]
        return _new(map_partitions_expr(bp.case_when_partition, self.expr, *flat, label="case_when"))
