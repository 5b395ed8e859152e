"""Windowed operations with dask.dataframe's API: ``shift``, ``diff``, cumulative operations,
``map_overlap``, ``rolling``, and the group-wise ``shift``, ``diff``, ``cum*`` and ``rolling``.

Partitions that need rows of their neighbours are built by
:class:`gpuscale.dataframe.expr.overlap.MapOverlap`; cumulative operations by
:class:`gpuscale.dataframe.expr.overlap.Scan` (a per-partition total, a carry folded along the
partitions, the partition's own cumulative operation finished with its carry).  Results are
those of pandas on the whole frame, also when a window or shift reaches past a whole partition
(dask raises ``NotImplementedError`` there).

:class:`WindowMethods` is a mixin of the DataFrame/Series collections, :class:`GroupByWindowMethods`
one of :class:`gpuscale.dataframe.groupby.GroupBy`.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.blockwise import Map, Projection, infer_meta
from gpuscale.dataframe.expr.overlap import MapOverlap, Scan
from gpuscale.dataframe.operators import to_expr

__all__ = ["WindowMethods", "Rolling", "GroupByWindowMethods", "map_overlap"]



def _new(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    return new_collection(expr)


def _is_axis_one(axis: Any) -> bool:
    return axis in (1, "columns")


def _meta_from_sample(meta: Any, func: Callable, *args: Any, **kwargs: Any) -> Any:
    """The metadata of ``func`` applied to a two-row stand-in of ``meta`` (``shift`` of integers gives
    floats: an empty input would keep the integers)."""
    return bf.make_meta(func(bf.meta_nonempty(meta), *args, **kwargs))


def _overlap(obj: Any, func: Callable, before: Any, after: Any, kwargs: dict | None, label: str, meta: Any,
             columnwise: bool = True, check: str = "cast", clear_divisions: bool = False, args: tuple = ()) -> Any:
    expr = MapOverlap(obj.expr, func, before, after, meta, kwargs or None, label, columnwise, check,
                      clear_divisions, *[to_expr(a) for a in args])
    return _new(expr)


def _check_time_span(obj: Any, what: str) -> None:
    """Time spans need a datetime index, sorted across partitions (known divisions)."""
    if not bf.has_datetime_index(obj._meta):
        raise TypeError(f"{what}: a time span needs a DatetimeIndex (the index is {obj._meta.index.dtype}); "
                        "use an integer number of rows, or set_index a datetime column first")
    if obj.npartitions > 1 and not obj.known_divisions:
        raise ValueError(f"{what}: a time span needs known divisions (an index sorted across the partitions); "
                         "use set_index on the datetime column, or from_pandas of index-sorted data")


class WindowMethods:
    """Mixin of the frame collections: shifts, differences, cumulative operations and windows."""

    # -- shifts --------------------------------------------------------------------------------------
    def shift(self, periods: int = 1, freq: Any = None, axis: Any = 0) -> Any:
        """Shift the rows by ``periods`` (as pandas on the whole frame).

        Each partition borrows the last ``periods`` rows of the partitions before it (the first
        rows of those after it when ``periods < 0``), so values cross partition boundaries
        exactly, also when ``|periods|`` is larger than a partition.

        Parameters
        ----------
        periods : int
            Rows to shift by; negative shifts towards the start.
        freq : str or offset, optional
            Shift the index by ``periods * freq`` instead of moving the values (partition-wise;
            the divisions become unknown).
        axis : {0, 1}
            1 shifts the values of each row across the columns.

        Returns
        -------
        DataFrame or Series
            Same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4, 5]), npartitions=3, backend="cpu")
        >>> s.shift(2).compute().tolist()
        [nan, nan, 1.0, 2.0, 3.0]
        >>> s.shift(-1).compute().tolist()
        [2.0, 3.0, 4.0, 5.0, nan]
        """
        if not isinstance(periods, Integral) or isinstance(periods, bool):
            raise TypeError(f"shift: periods must be an integer, got {periods!r}")
        periods = int(periods)
        if _is_axis_one(axis):
            return self._method("shift", periods, columnwise=False, axis=1)
        if freq is not None:
            return self._method("shift", periods, columnwise=False, freq=freq)
        meta = _meta_from_sample(self._meta, bf.shift_rows, periods)
        return _overlap(self, bf.shift_rows, max(0, periods), max(0, -periods), {"periods": periods}, "shift", meta)

    def diff(self, periods: int = 1, axis: Any = 0) -> Any:
        """The difference to the row ``periods`` rows before (as pandas on the whole frame).

        Parameters
        ----------
        periods : int
            Rows back (negative: ahead) to take the difference with.
        axis : {0, 1}
            1 takes differences across the columns of each row.

        Returns
        -------
        DataFrame or Series
            Same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 4, 7, 11]), npartitions=2, backend="cpu")
        >>> s.diff().compute().tolist()
        [nan, 1.0, 2.0, 3.0, 4.0]
        """
        if not isinstance(periods, Integral) or isinstance(periods, bool):
            raise TypeError(f"diff: periods must be an integer, got {periods!r}")
        periods = int(periods)
        if _is_axis_one(axis):
            return self._method("diff", periods, columnwise=False, axis=1)
        meta = _meta_from_sample(self._meta, bf.diff_rows, periods)
        return _overlap(self, bf.diff_rows, max(0, periods), max(0, -periods), {"periods": periods}, "diff", meta)

    # -- cumulative operations -------------------------------------------------------------------------
    def _cumulative(self, how: str, axis: Any, skipna: bool) -> Any:
        if _is_axis_one(axis):
            return self._method(how, columnwise=False, axis=1, skipna=skipna)
        meta = _meta_from_sample(self._meta, bf.call_method, how, skipna=skipna)
        kwargs = {"how": how, "skipna": skipna}
        return _new(Scan(self.expr, bf.cumulative_total, bf.cumulative_combine, bf.cumulative_finish, kwargs, meta,
                         how, True))

    def cumsum(self, axis: Any = None, skipna: bool = True) -> Any:
        """Cumulative sum down the rows (as pandas on the whole frame).

        Each partition's own ``cumsum`` is continued with the sum of all partitions before it
        (a scan of per-partition totals), so partitions are read once and stay where they are.

        Parameters
        ----------
        axis : {None, 0, 1}
            1 accumulates across the columns of each row.
        skipna : bool
            Skip missing values (they stay missing); ``False``: everything after one is missing.

        Returns
        -------
        DataFrame or Series
            Same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4, 5]), npartitions=2, backend="cpu")
        >>> s.cumsum().compute().tolist()
        [1, 3, 6, 10, 15]
        """
        return self._cumulative("cumsum", axis, skipna)

    def cumprod(self, axis: Any = None, skipna: bool = True) -> Any:
        """Cumulative product down the rows (as pandas on the whole frame).

        Parameters
        ----------
        axis : {None, 0, 1}
            1 accumulates across the columns of each row.
        skipna : bool
            Skip missing values (they stay missing); ``False``: everything after one is missing.

        Returns
        -------
        DataFrame or Series
            Same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.cumprod().compute().tolist()
        [1, 2, 6, 24]
        """
        return self._cumulative("cumprod", axis, skipna)

    def cummax(self, axis: Any = None, skipna: bool = True) -> Any:
        """Cumulative maximum down the rows (as pandas on the whole frame).

        Parameters
        ----------
        axis : {None, 0, 1}
            1 accumulates across the columns of each row.
        skipna : bool
            Skip missing values (they stay missing); ``False``: everything after one is missing.

        Returns
        -------
        DataFrame or Series
            Same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 1, 4, 1, 5]), npartitions=2, backend="cpu")
        >>> s.cummax().compute().tolist()
        [3, 3, 4, 4, 5]
        """
        return self._cumulative("cummax", axis, skipna)

    def cummin(self, axis: Any = None, skipna: bool = True) -> Any:
        """Cumulative minimum down the rows (as pandas on the whole frame).

        Parameters
        ----------
        axis : {None, 0, 1}
            1 accumulates across the columns of each row.
        skipna : bool
            Skip missing values (they stay missing); ``False``: everything after one is missing.

        Returns
        -------
        DataFrame or Series
            Same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 1, 4, 0, 5]), npartitions=2, backend="cpu")
        >>> s.cummin().compute().tolist()
        [3, 1, 1, 0, 0]
        """
        return self._cumulative("cummin", axis, skipna)

    # -- windows -------------------------------------------------------------------------------------------
    def map_overlap(self, func: Callable, before: Any, after: Any, *args: Any, meta: Any = None,
                    enforce_metadata: bool = True, transform_divisions: bool = True, clear_divisions: bool = False,
                    align_dataframes: bool = False, **kwargs: Any) -> Any:
        """Apply ``func`` to each partition with rows of its neighbours, as dask's ``map_overlap``.

        See :func:`map_overlap`.

        Parameters
        ----------
        func : callable
            ``func(frame, *args, **kwargs)`` returning a DataFrame or Series.
        before, after : int, timedelta or str
            Rows (or a time span of a sorted DatetimeIndex) taken from the partitions before and after.
        *args
            Extra positional arguments (literals or lazy scalars).
        meta : optional
            The result's metadata (an empty frame, a dict of dtypes, ``(name, dtype)``).
        enforce_metadata : bool
            Check the columns of every result against ``meta``.
        transform_divisions : bool
            Accepted for dask compatibility (divisions are kept unless ``clear_divisions``).
        clear_divisions : bool
            Mark the divisions of the result unknown (``func`` changes the index).
        align_dataframes : bool
            Accepted for dask compatibility.
        **kwargs
            Keyword arguments of ``func``.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> df = gd.from_pandas(pd.DataFrame({"x": [1, 2, 4, 7, 11]}), npartitions=2, backend="cpu")
        >>> df.map_overlap(lambda d: d.rolling(2).sum(), 1, 0).compute().x.tolist()
        [nan, 3.0, 6.0, 11.0, 18.0]
        """
        return map_overlap(func, self, before, after, *args, meta=meta, enforce_metadata=enforce_metadata,
                           transform_divisions=transform_divisions, clear_divisions=clear_divisions,
                           align_dataframes=align_dataframes, **kwargs)

    def rolling(self, window: Any, min_periods: int | None = None, center: bool = False, win_type: str | None = None,
                closed: str | None = None) -> "Rolling":
        """Rolling windows, as pandas on the whole frame; see :class:`Rolling`.

        Parameters
        ----------
        window : int, str, timedelta or offset
            Rows per window, or a time span (``"2h"``) of a sorted DatetimeIndex.
        min_periods : int, optional
            Rows a window needs to give a value (pandas' default).
        center : bool
            Label each window at its centre.
        win_type : str, optional
            A weighted window type of pandas (``"triang"`` ...).
        closed : str, optional
            Which ends of the window are in it (``"right"``, ``"left"``, ``"both"``, ``"neither"``).

        Returns
        -------
        Rolling

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0, 5.0]), npartitions=3, backend="cpu")
        >>> s.rolling(3).sum().compute().tolist()
        [nan, nan, 6.0, 9.0, 12.0]
        """
        return Rolling(self, window, min_periods=min_periods, center=center, win_type=win_type, closed=closed)


def map_overlap(func: Callable, df: Any, before: Any, after: Any, *args: Any, meta: Any = None,
                enforce_metadata: bool = True, transform_divisions: bool = True, clear_divisions: bool = False,
                align_dataframes: bool = False, **kwargs: Any) -> Any:
    """Apply ``func`` to each partition of ``df`` with rows of its neighbours (dask's ``map_overlap``).

    Partition ``i`` is extended by the last ``before`` rows of the partitions before it and the first
    ``after`` rows of those after it; ``func`` runs on the extended frame and the result rows of the
    borrowed rows are cut off again (by position; a function giving ``k`` rows per input row has
    ``k`` times as many cut, as dask).  Unlike dask, ``before``/``after`` may exceed a partition:
    the rows come from as many partitions back (or ahead) as needed.

    Parameters
    ----------
    func : callable
        ``func(frame, *args, **kwargs)`` returning a DataFrame or Series.
    df : DataFrame or Series
        The collection.
    before, after : int, timedelta or str
        Row counts, or time spans (``"2h"``, ``pandas.Timedelta``) of a DatetimeIndex sorted across the
        partitions: rows whose index is within the span before the partition's first (after its last)
        index.
    *args
        Extra positional arguments: literals or lazy scalars.
    meta : optional
        The result's metadata (an empty frame, a dict of dtypes, ``(name, dtype)``); inferred by running
        ``func`` on the metadata when omitted.
    enforce_metadata : bool
        Check the columns of every result partition against a declared ``meta``.
    transform_divisions : bool
        Accepted for dask compatibility (the divisions are kept unless ``clear_divisions``).
    clear_divisions : bool
        Mark the result's divisions unknown (for a ``func`` that changes the index).
    align_dataframes : bool
        Accepted for dask compatibility; other collections as arguments are not supported.
    **kwargs
        Keyword arguments of ``func``.

    Returns
    -------
    DataFrame or Series
        One partition per partition of ``df``.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> from gpuscale.dataframe.window import map_overlap
    >>> ts = pd.Series(range(6), index=pd.date_range("2017", periods=6, freq="D"))
    >>> dts = gd.from_pandas(ts, npartitions=3, backend="cpu")
    >>> map_overlap(lambda s: s.rolling("2D").sum(), dts, "2D", 0).compute().tolist()
    [0.0, 1.0, 3.0, 5.0, 7.0, 9.0]
    """
    from gpuscale.dataframe.core import FrameBase

    before = bf.as_overlap_span(before, "before")
    after = bf.as_overlap_span(after, "after")
    if bf.is_time_span(before) or bf.is_time_span(after):
        _check_time_span(df, "map_overlap")
    for a in args:
        if isinstance(a, FrameBase) and not a.expr.is_scalar:
            raise NotImplementedError("map_overlap with another DataFrame/Series as an argument is not supported: "
                                      "assign it as a column of the frame first (or pass it as a literal)")
    label = getattr(func, "__name__", "map_overlap")
    label = "map-overlap" if label == "<lambda>" else label
    exprs = [to_expr(a) for a in args]
    check = "none"
    if meta is not None:
        meta = bf.meta_from_spec(getattr(meta, "_meta", meta), bf.library_of(df._meta))
        check = "enforce" if enforce_metadata and bf.is_frame_like(meta) else "none"
    else:
        meta = infer_meta(func, [df.expr, *exprs], dict(kwargs), label)
    if not bf.is_frame_like(meta):
        raise TypeError(f"map_overlap: {label} must return a DataFrame or Series, its metadata is {meta!r}")
    return _overlap(df, func, before, after, kwargs, label, meta, columnwise=False, check=check,
                    clear_divisions=clear_divisions, args=tuple(exprs))


class Rolling:
    """Rolling windows of a DataFrame or Series (``df.rolling(...)``), computed as pandas on the whole frame.

    Built on :func:`map_overlap`: a window of ``n`` rows borrows ``n - 1`` rows from the partitions
    before (``center=True``: half before, half after); a time window (``"2h"``, on a DatetimeIndex
    sorted across the partitions) borrows the rows within that span.  Windows larger than a
    partition are exact too.  On cuDF partitions the methods cuDF's ``Rolling`` lacks (``median``,
    ``agg``, ``quantile``) raise ``NotImplementedError`` naming an alternative.

    Parameters
    ----------
    obj : DataFrame or Series
        The collection.
    window : int, str, timedelta or offset
        Rows per window, or a time span.
    min_periods : int, optional
        Rows a window needs to give a value.
    center : bool
        Label each window at its centre.
    win_type : str, optional
        A weighted window type of pandas.
    closed : str, optional
        Which ends of the window are in it.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=pd.date_range("2024", periods=4, freq="h"))
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    >>> df.rolling("2h").mean().compute().x.tolist()
    [1.0, 1.5, 2.5, 3.5]
    """

    def __init__(self, obj: Any, window: Any, min_periods: int | None = None, center: bool = False,
                 win_type: str | None = None, closed: str | None = None, groupby: Any = None) -> None:
        self.obj, self.window, self._groupby = obj, window, groupby
        self.min_periods, self.center, self.win_type, self.closed = min_periods, center, win_type, closed
        try:
            self._span = bf.window_span(window)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"rolling: window must be an integer or a time span, got {window!r}: {exc}") from None
        if isinstance(self._span, int) and self._span < 0:
            raise ValueError(f"rolling: window must be an integer 0 or greater, got {window!r}")
        if not isinstance(self._span, int):
            _check_time_span(obj, "rolling")
        bf.rolling_aggregate(obj._meta, window, self._kwargs, "count")  # let the library refuse bad arguments

    @property
    def _kwargs(self) -> dict:
        kwargs: dict = {}
        if self.min_periods is not None:
            kwargs["min_periods"] = self.min_periods
        if self.center:
            kwargs["center"] = True
        if self.win_type is not None:
            kwargs["win_type"] = self.win_type
        if self.closed is not None:
            kwargs["closed"] = self.closed
        return kwargs

    def _spans(self) -> tuple:
        span = self._span
        if not isinstance(span, int):
            reach = span + bf.index_tick(self.obj._meta)  # one tick more: closed="both" includes the end
            return reach, (reach if self.center else 0)
        if self.center:
            before = span // 2
            return before, max(0, span - before - 1)
        return max(0, span - 1) + (1 if self.closed in ("left", "both") else 0), 0

    def _check_method(self, how: str) -> None:
        if how not in bf.rolling_methods(self.obj._meta):
            raise NotImplementedError(
                f"rolling(...).{how}() is not available on cuDF partitions (cuDF's Rolling has no {how}): use "
                "rolling(...).apply(func) with a numba-compilable func, or compute this step on pandas partitions "
                "(from_pandas(..., backend='cpu'))")

    def _aggregate(self, how: str, *args: Any, **kwargs: Any) -> Any:
        self._check_method(how)
        if self._groupby is not None:
            return self._groupby._rolling(self, how, args, kwargs)
        meta = self._meta(how, args, kwargs)
        before, after = self._spans()
        task_kwargs = {"window": self.window, "rolling_kwargs": self._kwargs, "how": how, "how_args": tuple(args),
                       "how_kwargs": kwargs or None}
        return _overlap(self.obj, bf.rolling_aggregate, before, after, task_kwargs, f"rolling-{how}", meta,
                        columnwise=how != "agg")

    def _meta(self, how: str, args: tuple, kwargs: dict) -> Any:
        meta = self.obj._meta
        try:
            return bf.make_meta(bf.rolling_aggregate(meta, self.window, self._kwargs, how, args, kwargs))
        except Exception:  # noqa: BLE001 - a function that needs rows: try a two-row stand-in
            return _meta_from_sample(meta, bf.rolling_aggregate, self.window, self._kwargs, how, args, kwargs)

    def count(self) -> Any:
        """Non-missing values per window.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, None, 3.0, 4.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).count().compute().tolist()
        [nan, 1.0, 1.0, 2.0]
        """
        return self._aggregate("count")

    def sum(self) -> Any:
        """Sum per window.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.rolling(2).sum().compute().tolist()
        [nan, 3.0, 5.0, 7.0]
        """
        return self._aggregate("sum")

    def mean(self) -> Any:
        """Mean per window.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.rolling(2).mean().compute().tolist()
        [nan, 1.5, 2.5, 3.5]
        """
        return self._aggregate("mean")

    def min(self) -> Any:
        """Minimum per window.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([4, 2, 3, 1]), npartitions=2, backend="cpu")
        >>> s.rolling(2, min_periods=1).min().compute().tolist()
        [4.0, 2.0, 2.0, 1.0]
        """
        return self._aggregate("min")

    def max(self) -> Any:
        """Maximum per window.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([4, 2, 3, 1]), npartitions=2, backend="cpu")
        >>> s.rolling(2).max().compute().tolist()
        [nan, 4.0, 3.0, 3.0]
        """
        return self._aggregate("max")

    def std(self, ddof: int = 1) -> Any:
        """Standard deviation per window.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0, 7.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).std().compute().round(3).tolist()
        [nan, 1.414, 1.414, 1.414]
        """
        return self._aggregate("std", **({} if ddof == 1 else {"ddof": ddof}))

    def var(self, ddof: int = 1) -> Any:
        """Variance per window.

        Parameters
        ----------
        ddof : int
            Delta degrees of freedom.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0, 7.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).var().compute().tolist()
        [nan, 2.0, 2.0, 2.0]
        """
        return self._aggregate("var", **({} if ddof == 1 else {"ddof": ddof}))

    def median(self) -> Any:
        """Median per window (pandas partitions; cuDF's Rolling has no median).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 9.0, 2.0, 8.0]), npartitions=2, backend="cpu")
        >>> s.rolling(3).median().compute().tolist()
        [nan, nan, 2.0, 8.0]
        """
        return self._aggregate("median")

    def apply(self, func: Callable, raw: bool = False, args: tuple = (), kwargs: dict | None = None) -> Any:
        """``func`` of each window (a Series, or a NumPy array with ``raw=True``), as pandas.

        On cuDF partitions ``func`` is compiled by numba and gets each window as an array (as
        ``raw=True``); it takes no extra ``args``/``kwargs`` there.

        Parameters
        ----------
        func : callable
            Reduces one window to a number.
        raw : bool
            Pass NumPy arrays instead of Series (faster).
        args : tuple
            Extra positional arguments of ``func``.
        kwargs : dict, optional
            Extra keyword arguments of ``func``.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 5.0, 2.0, 8.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).apply(lambda w: w.max() - w.min(), raw=True).compute().tolist()
        [nan, 4.0, 3.0, 6.0]
        """
        return self._aggregate("apply", func, **bf.rolling_apply_options(self.obj._meta, raw, args, kwargs))

    def agg(self, func: Any) -> Any:
        """Several aggregations at once (pandas partitions; cuDF's Rolling has no ``agg``).

        Parameters
        ----------
        func : str, list or dict
            As pandas' ``Rolling.agg``.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).agg(["sum", "max"]).compute()["sum"].tolist()
        [nan, 3.0, 5.0]
        """
        return self._aggregate("agg", func)

    aggregate = agg


class GroupByWindowMethods:
    """Mixin of :class:`gpuscale.dataframe.groupby.GroupBy`: group-wise shifts, differences, scans and windows.

    ``shift`` and ``diff`` shuffle the rows so that each group is in one partition (as dask's
    ``groupby().shift``): results keep the original index, in shuffled order.  The cumulative
    operations keep the partitions and row order (a scan of per-group totals, as dask's
    ``groupby().cumsum``).
    """

    def _scan(self, how: str, numeric_only: bool = False) -> Any:
        selection = self._selection
        if numeric_only and selection is None:  # dask's numeric_only=True: the numeric value columns only
            numeric = set(self._frame._meta.select_dtypes(include="number").columns)
            selection = tuple(c for c in self._value_columns() if c in numeric)
        scoped = self if selection is self._selection else type(self)(self._frame, self._by, self._dropna,
                                                                          self._sort, selection)
        meta = scoped._meta_of(how)
        frame = Projection(self._frame.expr, tuple(self._by)) if how == "cumcount" else scoped._input()
        kwargs = {"by": list(self._by), "selection": selection, "how": how, "dropna": self._dropna}
        return _new(Scan(frame, bf.groupby_cum_total, bf.groupby_cum_combine, bf.groupby_cum_finish, kwargs, meta,
                         f"groupby-{how}", False))

    def cumsum(self, numeric_only: bool = False) -> Any:
        """Cumulative sum within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).

        Returns
        -------
        DataFrame or Series
            Same partitions, index and divisions as the grouped frame.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.cumsum().compute().tolist()
        [1, 2, 4, 6, 9]
        """
        return self._scan("cumsum", numeric_only)

    def cumprod(self, numeric_only: bool = False) -> Any:
        """Cumulative product within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).

        Returns
        -------
        DataFrame or Series
            Same partitions, index and divisions as the grouped frame.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.cumprod().compute().tolist()
        [1, 2, 3, 8, 15]
        """
        return self._scan("cumprod", numeric_only)

    def cummax(self, numeric_only: bool = False) -> Any:
        """Cumulative maximum within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).

        Returns
        -------
        DataFrame or Series
            Same partitions, index and divisions as the grouped frame.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [3, 2, 1, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.cummax().compute().tolist()
        [3, 2, 3, 4, 5]
        """
        return self._scan("cummax", numeric_only)

    def cummin(self, numeric_only: bool = False) -> Any:
        """Cumulative minimum within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).

        Returns
        -------
        DataFrame or Series
            Same partitions, index and divisions as the grouped frame.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [3, 2, 1, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.cummin().compute().tolist()
        [3, 2, 1, 2, 1]
        """
        return self._scan("cummin", numeric_only)

    def cumcount(self) -> Any:
        """Position of each row within its group (0, 1, ...), in the original row order.

        Returns
        -------
        Series
            Same partitions, index and divisions as the grouped frame.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").cumcount().compute().tolist()
        [0, 0, 1, 1, 2]
        """
        return self._scan("cumcount")

    def shift(self, periods: int = 1, meta: Any = None, shuffle_method: Any = None, **kwargs: Any) -> Any:
        """Shift within each group (rows are shuffled so each group is in one partition, as dask).

        Parameters
        ----------
        periods : int
            Rows to shift by within each group.
        meta : optional
            The result's metadata (inferred when omitted).
        shuffle_method : optional
            Accepted for dask compatibility (gpuscale has one task-based shuffle).
        **kwargs
            Other keywords of pandas' ``GroupBy.shift`` (``fill_value``).

        Returns
        -------
        DataFrame or Series
            The original index, in shuffled order (divisions unknown).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 3, 4, 5]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.shift(1).compute().sort_index().tolist()
        [nan, nan, 1.0, 2.0, 3.0]
        """
        if "axis" in kwargs:
            raise TypeError("groupby shift: axis is not supported")
        return self._per_group("shift", periods, meta, kwargs)

    def diff(self, periods: int = 1, meta: Any = None) -> Any:
        """Difference to the row ``periods`` rows before within each group (rows are shuffled by group).

        Parameters
        ----------
        periods : int
            Rows back (negative: ahead) within each group.
        meta : optional
            The result's metadata (inferred when omitted).

        Returns
        -------
        DataFrame or Series
            The original index, in shuffled order (divisions unknown).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1, 2, 4, 8, 16]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.diff().compute().sort_index().tolist()
        [nan, nan, 3.0, 6.0, 12.0]
        """
        return self._per_group("diff", periods, meta, {})

    def rolling(self, window: Any, min_periods: int | None = None, center: bool = False,
                win_type: str | None = None, closed: str | None = None) -> Rolling:
        """Rolling windows within each group.

        A time window (``"2h"``, on a DatetimeIndex sorted across partitions) runs as dask does: each
        partition with the rows of the span before it, no shuffle; rows come in the original (time)
        order, indexed by ``(keys..., original index)``.  An integer window shuffles the rows so that
        each group is in one partition and gives pandas' result per partition (dask gives wrong
        numbers there).

        Parameters
        ----------
        window : int, str, timedelta or offset
            Rows per window, or a time span.
        min_periods : int, optional
            Rows a window needs to give a value.
        center : bool
            Label each window at its centre.
        win_type : str, optional
            A weighted window type of pandas.
        closed : str, optional
            Which ends of the window are in it.

        Returns
        -------
        Rolling

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [1.0, 2.0, 3.0, 4.0]},
        ...                    index=pd.date_range("2024", periods=4, freq="h"))
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.rolling("3h").sum().compute().tolist()
        [1.0, 2.0, 4.0, 6.0]
        """
        return Rolling(self._frame, window, min_periods=min_periods, center=center, win_type=win_type, closed=closed,
                       groupby=self)

    def _rolling(self, rolling: Rolling, how: str, args: tuple, kwargs: dict) -> Any:
        from gpuscale.dataframe.expr.shuffle import HashShuffle

        frame = self._input()
        by, selection = list(self._by), self._selection
        if selection is None:
            selection = tuple(c for c in self._frame.columns if c not in by)
        time_window = not isinstance(rolling._span, int)
        task_kwargs = {"by": by, "selection": selection, "dropna": self._dropna, "window": rolling.window,
                       "rolling_kwargs": rolling._kwargs, "how": how, "how_args": tuple(args),
                       "how_kwargs": kwargs or None, "time_order": time_window}
        meta = _meta_from_sample(frame._meta, bf.groupby_rolling_aggregate, **task_kwargs)
        if time_window:
            before, after = rolling._spans()
            return _new(MapOverlap(frame, bf.groupby_rolling_aggregate, before, after, meta, task_kwargs,
                                   f"groupby-rolling-{how}", False, "cast", False))
        shuffled = HashShuffle(frame, tuple(by), self._frame.npartitions)
        return _new(Map(bf.groupby_rolling_aggregate, task_kwargs, meta, f"groupby-rolling-{how}", False, shuffled))
