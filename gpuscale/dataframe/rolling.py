"""``df.rolling(...)``: rolling windows computed as pandas on the whole frame (built on ``map_overlap``)."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import rolling_weighted, window_extra
from gpuscale.dataframe.rolling_pairs import RollingPairs
from gpuscale.dataframe.window import _check_time_span, _meta_from_sample, _overlap

__all__ = ["Rolling"]


class Rolling(RollingPairs):
    """Rolling windows of a DataFrame or Series (``df.rolling(...)``), computed as pandas on the whole frame.

    Built on :func:`map_overlap`: a window of ``n`` rows borrows ``n - 1`` rows from the partitions
    before (``center=True``: half before, half after); a time window (``"2h"``, on a DatetimeIndex or
    TimedeltaIndex sorted across the partitions) borrows the rows within that span.  Windows larger than a
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
    step : int, optional
        Give only every ``step``-th row's window (rows 0, step, 2 * step ... of the whole collection), as
        pandas; integer windows only.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}, index=pd.date_range("2024", periods=4, freq="h"))
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    >>> df.rolling("2h").mean().compute().x.tolist()
    [1.0, 1.5, 2.5, 3.5]
    """

    def __init__(self, obj: Any, window: Any, min_periods: int | None = None, center: bool = False,
                 win_type: str | None = None, closed: str | None = None, groupby: Any = None,
                 on: Any = None, step: int | None = None) -> None:
        # on=: pandas' windows along a (sorted) column, which becomes the index meanwhile and is put back after
        self._on, self._source, self._pick = on, obj, None
        if on is not None:
            if groupby is not None or not bf.is_dataframe_like(obj._meta) or on not in obj.columns:
                raise ValueError(f"rolling: on={on!r} must be a column of a DataFrame")
            obj = _indexed_in_place(obj, on)
        if center is not None and not isinstance(center, bool) and type(center).__name__ != "bool":
            # (pandas' check: the window options keep center only when it is true, so any other value was read so)
            raise ValueError(f"center must be a boolean (rolling got center={center!r})")
        self.obj, self.window, self._groupby = obj, window, groupby
        self.min_periods, self.center, self.win_type, self.closed = min_periods, center, win_type, closed
        if isinstance(window, float):  # as pandas: a number of rows is whole (a time span is a string or offset)
            raise ValueError(f"rolling: window must be an integer 0 or greater, got {window!r}")
        try:
            self._span = bf.window_span(window)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"rolling: window must be an integer or a time span, got {window!r}: {exc}") from None
        if isinstance(self._span, int) and self._span < 0:
            raise ValueError(f"rolling: window must be an integer 0 or greater, got {window!r}")
        if not isinstance(self._span, int):
            _check_time_span(obj, "rolling")
        self.step = _checked_step(step, self._span, groupby)
        # let the library refuse bad arguments (a weighted window has no count, and its function's own
        # arguments, a gaussian's std=, come with the aggregation: it is only built)
        bf.rolling_aggregate(obj._meta, window, self._kwargs, None if win_type else "count")

    def __getitem__(self, key: Any) -> "Rolling":
        """The same windows over the column(s) ``key`` (``df.rolling(3)["x"]``), as pandas."""
        if self._groupby is not None or not bf.is_dataframe_like(self._source._meta):
            raise TypeError("rolling: columns are selected from a DataFrame's rolling windows")
        if self._on is None:
            return Rolling(self.obj[key], self.window, self.min_periods, self.center, self.win_type, self.closed,
                           step=self.step)
        keys = key if isinstance(key, list) else [key]
        out = Rolling(self._source[[*keys, self._on]], self.window, self.min_periods, self.center, self.win_type,
                      self.closed, on=self._on, step=self.step)
        out._pick = None if isinstance(key, list) else key
        return out

    def __getattr__(self, name: str) -> Any:
        source = self.__dict__.get("_source")
        if source is not None and not name.startswith("_") and bf.is_dataframe_like(source._meta) \
                and name in source.columns:
            return self[name]
        raise AttributeError(f"'Rolling' object has no attribute {name!r}")

    def _stepped(self, out: Any) -> Any:
        """Every ``step``-th row of a result (pandas' ``step=``)."""
        if not self.step or self.step == 1:
            return out
        from gpuscale.dataframe.positions import rows_by_position

        return rows_by_position(out, bf.every_nth_row, {"step": self.step}, "rolling-step")

    def _restored(self, out: Any) -> Any:
        """A result along an ``on`` column with the frame's own index and that column back in its place
        (every ``step``-th row of it)."""
        if self._on is None:
            return self._stepped(out)
        from gpuscale.dataframe.core import new_collection
        from gpuscale.dataframe.expr.blockwise import map_partitions_expr

        kw = {"on": self._on, "columns": list(self._source.columns)}
        meta = bf.make_meta(window_extra.rolling_on_restored(out._meta, self._source._meta, **kw))
        restored = new_collection(map_partitions_expr(window_extra.rolling_on_restored, out.expr, self._source.expr,
                                                      kwargs=kw, meta=meta, label="rolling-on", positional=True))
        return self._stepped(restored[self._pick] if self._pick is not None else restored)

    @property
    def kwargs(self) -> dict:
        """The window options (``min_periods``, ``center``, ``win_type``, ``closed``), as dask's ``Rolling.kwargs``."""
        return {"min_periods": self.min_periods, "center": self.center, "win_type": self.win_type,
                "closed": self.closed}

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
        extra = 1 if self.closed in ("left", "both") else 0  # (a window closed on the left reaches a row further)
        if self.center:
            before = span // 2
            return before + extra, max(0, span - before - 1)
        return max(0, span - 1) + extra, 0

    def _check_method(self, how: str) -> None:
        if how not in bf.rolling_methods(self.obj._meta) and bf.library_of(self.obj._meta) != "cudf":
            raise NotImplementedError(f"rolling(...).{how}() needs pandas 3 (this pandas' Rolling has no {how})")
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
        if self.win_type is not None and how in ("var", "std") and not self.center:
            return self._restored(_weighted_moments(self.obj, {**task_kwargs, "window": self._span}, meta))
        return self._restored(_overlap(self.obj, bf.rolling_aggregate, before, after, task_kwargs,
                                       f"rolling-{how}", meta, columnwise=how != "agg"))

    def _window_kwargs(self, kwargs: dict) -> dict:
        """The window function's own arguments (a gaussian's ``std=``), which only a weighted window takes."""
        if kwargs and self.win_type is None:
            raise TypeError(f"rolling: unexpected keyword arguments {sorted(kwargs)} (a window function's "
                            "arguments go with win_type=)")
        return kwargs

    def _meta(self, how: str, args: tuple, kwargs: dict) -> Any:
        meta = self.obj._meta
        try:
            return bf.make_meta(bf.rolling_aggregate(meta, self.window, self._kwargs, how, args, kwargs))
        except Exception:  # noqa: BLE001 - a function that needs rows: try a two-row stand-in
            return _meta_from_sample(meta, bf.rolling_aggregate, self.window, self._kwargs, how, args, kwargs)

    def count(self, numeric_only: bool = False) -> Any:
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
        return self._aggregate("count", **_numeric_only(numeric_only))

    def sum(self, numeric_only: bool = False, **kwargs: Any) -> Any:
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
        return self._aggregate("sum", **_numeric_only(numeric_only), **self._window_kwargs(kwargs))

    def mean(self, numeric_only: bool = False, **kwargs: Any) -> Any:
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
        return self._aggregate("mean", **_numeric_only(numeric_only), **self._window_kwargs(kwargs))

    def min(self, numeric_only: bool = False) -> Any:
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
        return self._aggregate("min", **_numeric_only(numeric_only))

    def max(self, numeric_only: bool = False) -> Any:
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
        return self._aggregate("max", **_numeric_only(numeric_only))

    def std(self, ddof: int = 1, numeric_only: bool = False, **kwargs: Any) -> Any:
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
        return self._aggregate("std", **({} if ddof == 1 else {"ddof": ddof}), **_numeric_only(numeric_only),
                               **self._window_kwargs(kwargs))

    def var(self, ddof: int = 1, numeric_only: bool = False, **kwargs: Any) -> Any:
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
        return self._aggregate("var", **({} if ddof == 1 else {"ddof": ddof}), **_numeric_only(numeric_only),
                               **self._window_kwargs(kwargs))

    def median(self, numeric_only: bool = False) -> Any:
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
        return self._aggregate("median", **_numeric_only(numeric_only))

    def first(self, numeric_only: bool = False) -> Any:
        """The first value of each window, as pandas 3's (pandas partitions).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).first().compute().tolist()  # doctest: +SKIP
        [nan, 1.0, 2.0]
        """
        return self._aggregate("first", **_numeric_only(numeric_only))

    def last(self, numeric_only: bool = False) -> Any:
        """The last value of each window, as pandas 3's (pandas partitions)."""
        return self._aggregate("last", **_numeric_only(numeric_only))

    def nunique(self, numeric_only: bool = False) -> Any:
        """The number of distinct values in each window, as pandas 3's (pandas partitions)."""
        return self._aggregate("nunique", **_numeric_only(numeric_only))

    def sem(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard error of the mean per window, as pandas' (pandas partitions; cuDF's Rolling has none).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 3.0, 5.0, 7.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).sem().compute().round(3).tolist()
        [nan, 1.0, 1.0, 1.0]
        """
        return self._aggregate("sem", **({} if ddof == 1 else {"ddof": ddof}), **_numeric_only(numeric_only))

    def rank(self, method: str = "average", ascending: bool = True, pct: bool = False,
             numeric_only: bool = False) -> Any:
        """The rank of each row's value within its window, as pandas' (pandas partitions; cuDF's Rolling has
        none).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3.0, 1.0, 2.0, 5.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).rank().compute().tolist()
        [nan, 1.0, 2.0, 2.0]
        """
        options = {"method": method, "ascending": ascending, "pct": pct}
        return self._aggregate("rank", **options, **_numeric_only(numeric_only))

    def quantile(self, q: float, interpolation: str = "linear", numeric_only: bool = False) -> Any:
        """Quantile ``q`` per window (pandas partitions; cuDF's Rolling has no quantile).

        Parameters
        ----------
        q : float
            Between 0 and 1.
        interpolation : str
            As pandas.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 9.0, 2.0, 8.0]), npartitions=2, backend="cpu")
        >>> s.rolling(2).quantile(0.5).compute().tolist()
        [nan, 5.0, 5.5, 5.0]
        """
        return self._aggregate("quantile", q, **({} if interpolation == "linear" else {"interpolation": interpolation}),
                               **_numeric_only(numeric_only))

    def skew(self, numeric_only: bool = False) -> Any:
        """Unbiased skewness per window (pandas partitions; cuDF's Rolling has no skew).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 4.0, 8.0]), npartitions=2, backend="cpu")
        >>> s.rolling(3).skew().compute().round(4).tolist()
        [nan, nan, 0.9352, 0.9352]
        """
        return self._aggregate("skew", **_numeric_only(numeric_only))

    def kurt(self, numeric_only: bool = False) -> Any:
        """Unbiased excess kurtosis per window (pandas partitions; cuDF's Rolling has no kurt).

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 4.0, 8.0, 3.0]), npartitions=2, backend="cpu")
        >>> s.rolling(4).kurt().compute().round(4).tolist()
        [nan, nan, nan, 0.7577, 2.2349]
        """
        return self._aggregate("kurt", **_numeric_only(numeric_only))

    def apply(self, func: Callable, raw: bool = False, engine: str | None = None, engine_kwargs: dict | None = None,
              args: tuple = (), kwargs: dict | None = None) -> Any:
        """``func`` of each window (a Series, or a NumPy array with ``raw=True``), as pandas.

        On cuDF partitions ``func`` is compiled by numba and gets each window as an array (as
        ``raw=True``); it takes no extra ``args``/``kwargs`` there.

        Parameters
        ----------
        func : callable
            Reduces one window to a number.
        raw : bool
            Pass NumPy arrays instead of Series (faster).
        engine : {None, "cython", "numba"}
            pandas' engine (``"numba"`` compiles ``func``; it needs ``raw=True``).  cuDF partitions always
            use numba.
        engine_kwargs : dict, optional
            Options of the numba engine (``nopython``, ``nogil``, ``parallel``), as pandas.
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
        options = bf.rolling_apply_options(self.obj._meta, raw, args, kwargs)
        options.update(window_extra.rolling_engine_options(self.obj._meta, engine, engine_kwargs))
        return self._aggregate("apply", func, **options)

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``, as pandas' ``pipe`` (a ``(func, keyword)`` pair passes this object as
        that keyword)."""
        from gpuscale.dataframe.convenience import piped

        return piped(self, func, args, kwargs)

    def agg(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Several aggregations at once (pandas partitions; cuDF's Rolling has no ``agg``).

        Parameters
        ----------
        func : str, callable, list or dict
            As pandas' ``Rolling.agg``.
        *args, **kwargs
            Passed to ``func`` (a callable), as pandas.

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
        return self._aggregate("agg", func, *args, **kwargs)

    aggregate = agg


def _indexed_in_place(obj: Any, on: Any) -> Any:
    """``obj`` indexed by its sorted column ``on`` with every row left in its partition (the divisions from each
    partition's first and last time, computed at once): a time repeated across a boundary stays on both sides,
    where ``set_index(sorted=True)`` moves its rows (a window only looks back, so each row keeps its own)."""
    import warnings

    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.sorting import WithDivisions

    indexed = obj.set_index(on, sort=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # (the shared boundary label dask warns about)
        divisions = indexed.compute_current_divisions()
    if any(d is None for d in divisions):
        return obj.set_index(on, sorted=True)  # (empty partitions at the end: no divisions describe them)
    return new_collection(WithDivisions(indexed.expr, tuple(divisions)))


def _weighted_moments(obj: Any, task_kwargs: dict, meta: Any) -> Any:
    """``rolling(w, win_type=...).var()`` / ``std()``: pandas' weights follow the row's position in the whole
    frame, so each partition runs with the rows before it from a position divisible by ``w`` (a scan, see
    :mod:`gpuscale.backends.frame.rolling_weighted`)."""
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.overlap import Scan

    return new_collection(Scan(obj.expr, rolling_weighted.weighted_rolling_total,
                               rolling_weighted.weighted_rolling_combine, rolling_weighted.weighted_rolling_finish,
                               task_kwargs, meta, f"rolling-{task_kwargs['how']}", True))


def _checked_step(step: Any, span: Any, groupby: Any) -> int | None:
    """pandas' ``step=`` (a whole number 1 or greater, of an integer window), or None."""
    if step is None:
        return None
    if isinstance(step, bool) or not hasattr(step, "__index__"):  # NumPy integers too, as pandas
        raise ValueError(f"rolling: step must be an integer, got {step!r}")
    step = step.__index__()
    if step < 1:
        raise ValueError(f"rolling: step must be 1 or greater, got {step}")
    if not isinstance(span, int):
        raise NotImplementedError("rolling: step is not supported with time windows (as pandas)")
    if groupby is not None:
        raise NotImplementedError("groupby(...).rolling(...): step is not supported (pandas has none)")
    return step


def _numeric_only(numeric_only: bool) -> dict:
    """pandas' ``numeric_only=`` of a window aggregation (only when set: the plan of the default stays as it
    was)."""
    return {"numeric_only": True} if numeric_only else {}
