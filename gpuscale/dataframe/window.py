"""Windowed operations with dask.dataframe's API: ``shift``, ``diff``, cumulative operations,
``map_overlap`` and ``rolling`` (:mod:`gpuscale.dataframe.rolling`); the group-wise ``shift``, ``diff``,
``cum*`` and ``rolling`` are in :mod:`gpuscale.dataframe.groupby_window`.

Partitions that need rows of their neighbours are built by
:class:`gpuscale.dataframe.expr.overlap.MapOverlap`; cumulative operations by
:class:`gpuscale.dataframe.expr.overlap.Scan` (a per-partition total, a carry folded along the
partitions, the partition's own cumulative operation finished with its carry).  Results are
those of pandas on the whole frame, also when a window or shift reaches past a whole partition
(dask raises ``NotImplementedError`` there).

:class:`WindowMethods` is a mixin of the DataFrame/Series collections.
"""

from __future__ import annotations

from numbers import Integral
from typing import TYPE_CHECKING, Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.blockwise import infer_meta
from gpuscale.dataframe.expr.overlap import MapOverlap, Scan
from gpuscale.dataframe.operators import to_expr

if TYPE_CHECKING:
    from gpuscale.dataframe.rolling import Rolling

__all__ = ["WindowMethods", "map_overlap"]



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


def _partitionwise(obj: Any, func: Callable, label: str, keep_divisions: bool = False, **kwargs: Any) -> Any:
    """``func(partition, **kwargs)`` on every partition (the columns may change; ``keep_divisions``: the rows and
    their labels are kept, so are the divisions)."""
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.expr.sorting import WithDivisions

    try:  # the dtypes of partitions with rows (a shift across columns of integers: its first column float64)
        meta = bf.make_meta(func(bf.meta_nonempty(obj._meta), **kwargs))
    except Exception:  # noqa: BLE001 - the empty metadata's own result instead
        meta = None
    out = map_partitions_expr(func, obj.expr, kwargs=kwargs, meta=meta, label=label, columnwise=False)
    return _new(WithDivisions(out, tuple(obj.divisions)) if keep_divisions and obj.known_divisions else out)


def _shift_labels(obj: Any, periods: int, freq: Any) -> Any:
    """``shift(periods, freq=)``: the index labels moved by ``periods * freq`` partition by partition, the
    divisions with them where the span is fixed (:func:`gpuscale.backends.frame.shifted_divisions`)."""
    from gpuscale.dataframe.expr.sorting import WithDivisions

    index = obj._meta if bf.is_index_like(obj._meta) else obj._meta.index
    if not bf.is_time_index(index):
        raise NotImplementedError(f"shift(freq=...): This method is only implemented for DatetimeIndex, PeriodIndex "
                                  f"and TimedeltaIndex; the index is a {type(index).__name__}")
    span = freq if freq is not None else getattr(index, "freq", None)  # an Index shifts by its own frequency
    if span is None:
        raise ValueError("shift: the index has no frequency to shift its labels by; pass freq=")
    # (cuDF refuses shift(freq=) and an Index's shift: the helper moves the labels itself)
    out = _partitionwise(obj, bf.shift_labels, "shift", periods=periods, freq=freq)
    divisions = bf.shifted_divisions(obj.divisions, periods, span) if obj.known_divisions else None
    return out if divisions is None else _new(WithDivisions(out.expr, divisions))


def _check_time_span(obj: Any, what: str) -> None:
    """Time spans need a datetime or timedelta index, sorted across partitions (known divisions)."""
    if not bf.has_datetime_index(obj._meta):
        raise TypeError(f"{what}: a time span needs a DatetimeIndex or TimedeltaIndex (the index is "
                        f"{obj._meta.index.dtype}); "
                        "use an integer number of rows, or set_index a datetime column first")
    if obj.npartitions > 1 and not obj.known_divisions:
        raise ValueError(f"{what}: a time span needs known divisions (an index sorted across the partitions); "
                         "use set_index on the datetime column, or from_pandas of index-sorted data")


class WindowMethods:
    """Mixin of the frame collections: shifts, differences, cumulative operations and windows."""

    # -- shifts --------------------------------------------------------------------------------------
    def shift(self, periods: int = 1, freq: Any = None, axis: Any = 0, fill_value: Any = None) -> Any:
        """Shift the rows by ``periods`` (as pandas on the whole frame).

        Each partition borrows the last ``periods`` rows of the partitions before it (the first
        rows of those after it when ``periods < 0``), so values cross partition boundaries
        exactly, also when ``|periods|`` is larger than a partition.

        Parameters
        ----------
        periods : int
            Rows to shift by; negative shifts towards the start.
        freq : str or offset, optional
            Shift the index labels by ``periods * freq`` instead of moving the values (partition-wise; the
            divisions are shifted alike for a fixed span such as ``"h"`` or ``"D"``, unknown for others such as
            ``"W"``, as dask).  An Index shifts its labels by its own frequency when ``freq`` is not given.
        axis : {0, 1}
            1 shifts the values of each row across the columns.
        fill_value : scalar, optional
            The value of the rows left without one (pandas'; only where rows move, ``axis=0`` without ``freq``).

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
        >>> s.shift(2, fill_value=0).compute().tolist()
        [0, 0, 1, 2, 3]
        >>> s.shift(-1).compute().tolist()
        [2.0, 3.0, 4.0, 5.0, nan]
        """
        if not isinstance(periods, Integral) or isinstance(periods, bool):
            raise TypeError(f"shift: periods must be an integer, got {periods!r}")
        periods = int(periods)
        if fill_value is not None and (_is_axis_one(axis) or freq is not None or bf.is_index_like(self._meta)):
            raise NotImplementedError("shift(fill_value=) is supported where rows move (axis=0, without freq=)")
        if _is_axis_one(axis):
            return _partitionwise(self, bf.row_shift, "shift", keep_divisions=True, how="shift", periods=periods)
        if freq is not None or bf.is_index_like(self._meta):
            return _shift_labels(self, periods, freq)
        kwargs = {"periods": periods} if fill_value is None else {"periods": periods, "fill_value": fill_value}
        meta = _meta_from_sample(self._meta, bf.shift_rows, **kwargs)
        return _overlap(self, bf.shift_rows, max(0, periods), max(0, -periods), kwargs, "shift", meta)

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
        whole_float = isinstance(periods, float) and periods.is_integer()  # pandas' diff takes 2.0 too
        if not (isinstance(periods, Integral) or whole_float) or isinstance(periods, bool):
            raise TypeError(f"diff: periods must be an integer, got {periods!r}")
        periods = int(periods)
        if _is_axis_one(axis):
            return _partitionwise(self, bf.row_shift, "diff", keep_divisions=True, how="diff", periods=periods)
        meta = _meta_from_sample(self._meta, bf.diff_rows, periods)
        return _overlap(self, bf.diff_rows, max(0, periods), max(0, -periods), {"periods": periods}, "diff", meta)

    def pct_change(self, periods: int = 1, fill_method: Any = None, freq: Any = None, **kwargs: Any) -> Any:
        """The fractional change from the row ``periods`` rows before (as pandas 3, which fills nothing).

        Parameters
        ----------
        periods : int
            Rows back (negative: ahead).
        fill_method : None
            Only None, as pandas 3.
        freq : None
            Not supported (shift the labels, ``x / x.shift(freq=...) - 1``).

        Returns
        -------
        DataFrame or Series
            float64; same partitions and divisions as this collection.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 5, 10]), npartitions=2, backend="cpu")
        >>> s.pct_change().compute().tolist()
        [nan, 1.0, 1.5, 1.0]
        """
        if fill_method is not None:
            raise ValueError(f"fill_method must be None; got fill_method={fill_method!r}.")
        if freq is not None or kwargs:
            raise NotImplementedError(f"pct_change: {'freq' if freq is not None else sorted(kwargs)} is not "
                                      "supported; divide by x.shift(periods, freq=...) instead")
        if not isinstance(periods, Integral) or isinstance(periods, bool):
            raise TypeError(f"pct_change: periods must be an integer, got {periods!r}")
        periods = int(periods)
        meta = _meta_from_sample(self._meta, bf.pct_change_rows, periods)
        return _overlap(self, bf.pct_change_rows, max(0, periods), max(0, -periods), {"periods": periods},
                        "pct_change", meta)

    # -- cumulative operations -------------------------------------------------------------------------
    def _cumulative(self, how: str, axis: Any, skipna: bool) -> Any:
        if _is_axis_one(axis):
            return _partitionwise(self, bf.row_scan, how, keep_divisions=True, how=how, skipna=skipna)
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

    # -- growing windows -----------------------------------------------------------------------------------
    def expanding(self, min_periods: int = 1, **kwargs: Any) -> Any:
        """Expanding windows (all rows so far), as pandas; a scan over the partitions.

        dask.dataframe has no ``expanding``; see :class:`gpuscale.dataframe.expanding.Expanding`.

        Parameters
        ----------
        min_periods : int
            Valid values a window needs to give a value.
        **kwargs
            Only pandas' defaults (``method="single"``).

        Returns
        -------
        Expanding

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1, 2, 3, 4]), npartitions=2, backend="cpu")
        >>> s.expanding().sum().compute().tolist()
        [1.0, 3.0, 6.0, 10.0]
        """
        from gpuscale.dataframe.expanding import Expanding

        if kwargs.get("method", "single") != "single" or set(kwargs) - {"method"}:
            raise NotImplementedError(f"expanding: {sorted(kwargs)} are not supported (only min_periods)")
        return Expanding(self, min_periods)

    def ewm(self, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None, min_periods: int = 0,
            adjust: bool = True, ignore_na: bool = False, **kwargs: Any) -> Any:
        """Exponentially weighted windows, as pandas; a scan over the partitions.

        dask.dataframe has no ``ewm``; see :class:`gpuscale.dataframe.ewm.ExponentialMovingWindow`.

        Parameters
        ----------
        com, span, halflife, alpha : float, optional
            The decay, exactly one of them.
        min_periods : int
            Valid values needed for a value.
        adjust : bool
            As pandas.
        ignore_na : bool
            Only False.
        **kwargs
            ``times=``: the collection's own times (its DatetimeIndex, or a datetime column of it) with a
            ``halflife`` timedelta: weights halve every ``halflife`` of time (``mean`` only, as pandas).

        Returns
        -------
        ExponentialMovingWindow

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
        >>> s.ewm(span=3).mean().compute().round(4).tolist()
        [1.0, 1.6667, 2.4286, 3.2667]
        """
        from gpuscale.dataframe.ewm import ExponentialMovingWindow, TimedExponentialMovingWindow

        times = kwargs.pop("times", None)
        if kwargs:
            raise NotImplementedError(f"ewm: {sorted(kwargs)} are not supported (method= among them)")
        if times is not None:
            if com is not None or span is not None or alpha is not None:
                raise ValueError("ewm(times=): only halflife (a timedelta) may be given with times, as pandas")
            return TimedExponentialMovingWindow(self, halflife, times, min_periods, adjust, ignore_na)
        return ExponentialMovingWindow(self, com, span, halflife, alpha, min_periods, adjust, ignore_na)

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
                closed: str | None = None, on: Any = None, step: int | None = None) -> "Rolling":
        """Rolling windows, as pandas on the whole frame; see :class:`gpuscale.dataframe.rolling.Rolling`.

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
        on : label, optional
            A sorted (datetime) column of a DataFrame to take the windows along instead of the index (its
            partition boundaries computed at once, as ``set_index(sorted=True)``); the result keeps the
            frame's index and that column.
        step : int, optional
            Only every ``step``-th row's window (pandas' ``[::step]`` of the result; integer windows).

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
        from gpuscale.dataframe.rolling import Rolling

        return Rolling(self, window, min_periods=min_periods, center=center, win_type=win_type, closed=closed, on=on,
                       step=step)


def _as_collection(obj: Any) -> Any:
    """A pandas/cuDF object as a one-partition collection (as dask); anything else as it is."""
    from gpuscale.dataframe.core import FrameBase

    if isinstance(obj, FrameBase) or not bf.is_frame_like(obj):
        return obj
    from gpuscale.dataframe.creation import from_pandas

    return from_pandas(obj, npartitions=1)


def _is_frame(obj: Any) -> bool:
    from gpuscale.dataframe.core import FrameBase

    return isinstance(obj, FrameBase) and not obj.expr.is_scalar


def _aligned_frames(df: Any, args: list) -> tuple:
    """``df`` and the collections among ``args`` partitioned alike: repartitioned at the union of their
    divisions when those are known and differ (other collections are handed over partition by partition,
    without overlap, as dask); with unknown divisions they need as many partitions."""
    frames = [df, *(a for a in args if _is_frame(a))]
    if len(frames) == 1:
        return df, args
    if all(f.known_divisions for f in frames):
        if len({tuple(f.divisions) for f in frames}) > 1:
            try:
                union = tuple(sorted({d for f in frames for d in f.divisions}))
            except TypeError:  # e.g. dates against integers: no common order of the partitions
                raise ValueError("map_overlap: the collections' indexes cannot be aligned (divisions "
                                 f"{[f.divisions[0] for f in frames]} are not comparable)") from None
            df = df.repartition(divisions=union, force=True)
            args = [a.repartition(divisions=union, force=True) if _is_frame(a) else a for a in args]
        return df, args
    if len({f.npartitions for f in frames}) > 1:
        raise ValueError("map_overlap: the collections have unknown divisions and different numbers of partitions "
                         f"({', '.join(str(f.npartitions) for f in frames)}); set_index on each, or repartition "
                         "them alike")
    return df, args


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
        Extra positional arguments: literals, lazy scalars, or other DataFrames/Series (pandas objects
        become one-partition collections), whose partition ``i`` is passed as it is (without the
        neighbours' rows); collections with known divisions are first repartitioned at the union of
        their boundaries.
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
        Accepted for dask compatibility (collections with known divisions are always aligned).
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
    df, *args = [_as_collection(a) for a in (df, *args)]
    before = bf.as_overlap_span(before, "before")
    after = bf.as_overlap_span(after, "after")
    if bf.is_time_span(before) or bf.is_time_span(after):
        _check_time_span(df, "map_overlap")
    df, args = _aligned_frames(df, args)
    label = getattr(func, "__name__", "map_overlap")
    label = "map-overlap" if label == "<lambda>" else label
    exprs = [to_expr(a) for a in args]
    check = "none"
    if meta is not None:
        spec = getattr(meta, "_meta", meta)
        meta = bf.meta_from_spec(spec, bf.library_of(df._meta))
        if bf.is_frame_like(meta) and not bf.is_frame_like(spec):  # dtypes only: the index is the input's (dask)
            meta = bf.with_index_of(meta, df._meta)
        check = "enforce" if enforce_metadata and bf.is_frame_like(meta) else "none"
    else:
        meta = infer_meta(func, [df.expr, *exprs], dict(kwargs), label)
    if not bf.is_frame_like(meta):
        raise TypeError(f"map_overlap: {label} must return a DataFrame or Series, its metadata is {meta!r}")
    return _overlap(df, func, before, after, kwargs, label, meta, columnwise=False, check=check,
                    clear_divisions=clear_divisions, args=tuple(exprs))
