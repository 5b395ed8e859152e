"""Group-wise windows: ``groupby(...).cumsum/cumprod/cummax/cummin/cumcount/shift/diff/rolling``.

:class:`GroupByWindowMethods` is a mixin of :class:`gpuscale.dataframe.groupby.GroupBy`.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import groupby_scan
from gpuscale.dataframe.expr.carry import LocalScan
from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr
from gpuscale.dataframe.expr.overlap import MapOverlap
from gpuscale.dataframe.rolling import Rolling
from gpuscale.dataframe.window import _meta_from_sample, _new

__all__ = ["GroupByWindowMethods", "GroupByGrowing", "warn_if_no_meta", "with_args", "function_meta", "with_dtypes_of"]


def warn_if_no_meta(meta: Any, method: str, first: str = "func") -> None:
    """dask's warning for a per-group function whose result's metadata is inferred by running it on a sample
    (``first``: the method's leading argument as the example shows it, e.g. ``periods`` of ``shift``)."""
    if meta is None:
        warnings.warn(f"`meta` is not specified, inferred from partial data. Please provide `meta` if the result "
                      f"is unexpected: .{method}({first}, meta={{'x': 'f8', 'y': 'f8'}}) for a DataFrame result, "
                      f".{method}({first}, meta=('x', 'f8')) for a Series result", UserWarning, stacklevel=3)


def function_meta(groupby: Any, how: str, func: Any, kwargs: dict, declared: Any) -> Any:
    """The function's own (empty) result of a sample, where its layout (kind, columns or name) is the declared
    ``meta``'s, else None: the dtypes a partition without rows takes, as those with rows keep the function's
    (dask drops empty partitions' results, so a declared dtype never mixes in; it made the dtype depend on the
    partitioning: an Arrow dtype declared for int64 sums came out where some partition held no group)."""
    try:
        own = groupby._meta_of(how, func, kwargs)
    except Exception:  # noqa: BLE001 - no sample result: the declared metadata's dtypes
        return None
    if bf.is_dataframe_like(own) != bf.is_dataframe_like(declared) or not bf.is_frame_like(own):
        return None
    same = list(own.columns) == list(declared.columns) if bf.is_dataframe_like(own) else own.name == declared.name
    return own if same and own.index.nlevels == declared.index.nlevels else None


def with_dtypes_of(out: Any, own: Any) -> Any:
    """Empty ``out`` in the dtypes of ``own`` (:func:`function_meta`), where the library casts them."""
    if own is None:
        return out
    try:
        return out.astype(own.dtypes.to_dict() if bf.is_dataframe_like(own) else own.dtype)
    except (TypeError, ValueError):
        return out


class _WithArgs:
    """``func(group, *args, **kwargs)`` as one callable (picklable, unlike a lambda)."""

    def __init__(self, func: Callable, args: tuple) -> None:
        self.func, self.args = func, args

    def __call__(self, group: Any, *more: Any, **kwargs: Any) -> Any:
        return self.func(group, *self.args, *more, **kwargs)


class _MethodWithArgs:
    """``group.<name>(*args, **kwargs)``: a method's name given with positional arguments
    (``gb.transform("quantile", 0.3)``)."""

    def __init__(self, name: str, args: tuple) -> None:
        self.name, self.args = name, args

    def __call__(self, group: Any, **kwargs: Any) -> Any:
        return getattr(group, self.name)(*self.args, **kwargs)


def with_args(func: Any, args: tuple) -> Any:
    """``func`` with extra positional arguments after the group (``gb.apply(func, 2)``)."""
    if args and isinstance(func, str):
        return _MethodWithArgs(func, tuple(args))
    return _WithArgs(func, tuple(args)) if args and callable(func) else func


class GroupByWindowMethods:
    """Mixin of :class:`gpuscale.dataframe.groupby.GroupBy`: group-wise shifts, differences, scans and windows.

    ``shift`` and ``diff`` shuffle the rows so that each group is in one partition (as dask's
    ``groupby().shift``): results keep the original index, in shuffled order.  The cumulative
    operations keep the partitions and row order (a scan of per-group totals, as dask's
    ``groupby().cumsum``).
    """

    def _scan(self, how: str, numeric_only: bool = False, skipna: bool = True) -> Any:
        selection = self._selection
        if numeric_only and selection is None:  # dask's numeric_only=True: the numeric value columns only
            selection = tuple(self._numeric_columns())
        scoped = self if selection is self._selection else self._with(selection)
        if not skipna:  # pandas: a missing value makes the rest of its group missing (seen: a running max of flags)
            flags = map_partitions_expr(groupby_scan.missing_flags, self._frame.expr,
                                        kwargs={"columns": tuple(scoped._value_columns())}, label="isna")
            seen = scoped._with_frame(_new(flags))._scan("cummax")
            return scoped._scan(how).mask(seen.astype(bool))
        meta = scoped._meta_of(how)
        frame = Projection(self._frame.expr, tuple(self._by)) if how == "cumcount" else scoped._input()
        kwargs = {"by": list(self._by), "selection": selection, "how": how, "dropna": self._dropna}
        steps = (groupby_scan.groupby_scan_local, groupby_scan.groupby_scan_total, groupby_scan.groupby_scan_combine,
                 groupby_scan.groupby_scan_finish)
        return self._shown(_new(LocalScan(frame, *steps, kwargs, meta, f"groupby-{how}", False)))

    def cumsum(self, numeric_only: bool = False, skipna: bool = True) -> Any:
        """Cumulative sum within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).
        skipna : bool
            False: a missing value makes the rest of its group missing (as pandas).

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
        return self._scan("cumsum", numeric_only, skipna)

    def cumprod(self, numeric_only: bool = False, skipna: bool = True) -> Any:
        """Cumulative product within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).
        skipna : bool
            False: a missing value makes the rest of its group missing (as pandas).

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
        return self._scan("cumprod", numeric_only, skipna)

    def cummax(self, numeric_only: bool = False, skipna: bool = True) -> Any:
        """Cumulative maximum within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).
        skipna : bool
            False: a missing value makes the rest of its group missing (as pandas).

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
        return self._scan("cummax", numeric_only, skipna)

    def cummin(self, numeric_only: bool = False, skipna: bool = True) -> Any:
        """Cumulative minimum within each group, in the original row order.

        Parameters
        ----------
        numeric_only : bool
            Only the numeric value columns (as dask).
        skipna : bool
            False: a missing value makes the rest of its group missing (as pandas).

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
        return self._scan("cummin", numeric_only, skipna)

    def cumcount(self, ascending: bool = True) -> Any:
        """Position of each row within its group (0, 1, ...), in the original row order.

        Parameters
        ----------
        ascending : bool
            Count from the group's first row (True) or back from its last (the group's size minus the position,
            minus 1: the sizes of every group looked up row by row, as ``ngroup`` looks up numbers).

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
        >>> df.groupby("k").cumcount(ascending=False).compute().tolist()
        [2, 1, 1, 0, 0]
        """
        if ascending:
            return self._scan("cumcount")
        sizes = self._with(None).size(split_out=1)
        return (self._per_row(sizes, "group-sizes") - self._scan("cumcount") - 1).rename(None)

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
        warn_if_no_meta(meta, "shift", repr(periods))
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
        numbers there).  With ``sort=True``, the default, the rows go by ranges of the first key, so the
        result is in pandas' order throughout (by key; a group's rows in their original order), except for
        categorical keys, whose groups are in key order within a partition, the partitions' in hash order;
        with ``sort=False`` the groups are in order of appearance within a partition, in hash order across
        partitions (dask's rows are in their original order: ``sort_index()`` gives one order for both).

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

    def expanding(self, min_periods: int = 1) -> "GroupByGrowing":
        """Growing windows within each group (pandas'; dask has none): the rows are shuffled so each group is in
        one partition, in their original order, then the library's ``groupby().expanding()`` runs per partition
        (cuDF's groupby has none: on the host).  Rows come in pandas' order, as :meth:`rolling` with an integer
        window (by key with ``sort=True``, the default, across partitions too; a group's rows in their original
        order).

        Parameters
        ----------
        min_periods : int
            Valid values a window needs to give a value.

        Returns
        -------
        GroupByGrowing
            With ``count``, ``sum``, ``mean``, ``median``, ``min``, ``max``, ``var``, ``std``, ``quantile``, ...

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2, 1], "x": [1.0, 2.0, 3.0, 4.0, 5.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.expanding().sum().compute().sort_index().tolist()
        [1.0, 4.0, 9.0, 2.0, 6.0]
        """
        return GroupByGrowing(self, "expanding", {"min_periods": min_periods})

    def ewm(self, com: Any = None, span: Any = None, halflife: Any = None, alpha: Any = None, min_periods: int = 0,
            adjust: bool = True, ignore_na: bool = False) -> "GroupByGrowing":
        """Exponentially weighted windows within each group (pandas'; dask has none), as :meth:`expanding` (the
        same row order).

        Parameters
        ----------
        com, span, halflife, alpha : float, optional
            The decay, exactly one of them.
        min_periods : int
            Valid values needed for a value.
        adjust, ignore_na : bool
            As pandas.

        Returns
        -------
        GroupByGrowing
            With ``mean``, ``sum``, ``var``, ``std``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> pdf = pd.DataFrame({"k": [1, 2, 1, 2], "x": [1.0, 2.0, 3.0, 4.0]})
        >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
        >>> df.groupby("k").x.ewm(alpha=0.5).mean().compute().sort_index().tolist()
        [1.0, 2.3333333333333335, 2.0, 3.3333333333333335]
        """
        kwargs = {"com": com, "span": span, "halflife": halflife, "alpha": alpha, "min_periods": min_periods,
                  "adjust": adjust, "ignore_na": ignore_na}
        return GroupByGrowing(self, "ewm", kwargs)

    def _groups_together(self, frame: Any, by: list) -> Any:
        """``frame`` shuffled so that each group is in one partition.  With ``sort=True`` (sortable keys) the rows
        go by ranges of the first key (a sort's boundaries), so the partitions' groups come in key order and the
        result is pandas' order throughout (hashed, partition 0 could hold the last group); else by hash."""
        from gpuscale.dataframe.expr.shuffle import HashShuffle, RangeShuffle
        from gpuscale.dataframe.expr.sorting import sort_boundaries_expr

        n = self._frame.npartitions
        first = by[0] if by and bf.is_dataframe_like(frame._meta) else None
        if n == 1 or not self._sort or first not in frame._meta.columns or bf.is_categorical(frame._meta[first].dtype):
            return HashShuffle(frame, tuple(by), n)
        return RangeShuffle(frame, first, sort_boundaries_expr(frame, first, n), n, True, "last")

    def _growing(self, kind: str, window_kwargs: dict, how: str, args: tuple, kwargs: dict) -> Any:
        frame = self._input()
        by, selection = list(self._by), self._selection
        if selection is None:
            selection = tuple(c for c in self._visible_columns() if c not in by)
        task_kwargs = {"by": by, "selection": selection, "dropna": self._dropna, "kind": kind,
                       "window_kwargs": window_kwargs, "how": how, "how_args": tuple(args),
                       "how_kwargs": kwargs or None, "sort": self._sort}
        meta = _meta_from_sample(frame._meta, bf.groupby_growing_aggregate, **task_kwargs)
        shuffled = self._groups_together(frame, by)
        return self._shown(_new(map_partitions_expr(bf.groupby_growing_aggregate, shuffled,
                                                    kwargs={**task_kwargs, "meta": meta}, meta=meta,
                                                    label=f"groupby-{kind}-{how}")))

    def _rolling(self, rolling: Rolling, how: str, args: tuple, kwargs: dict) -> Any:
        frame = self._input()
        by, selection = list(self._by), self._selection
        if selection is None:
            selection = tuple(c for c in self._visible_columns() if c not in by)
        time_window = not isinstance(rolling._span, int)
        task_kwargs = {"by": by, "selection": selection, "dropna": self._dropna, "window": rolling.window,
                       "rolling_kwargs": rolling._kwargs, "how": how, "how_args": tuple(args),
                       "how_kwargs": kwargs or None, "time_order": time_window,
                       "sort": self._sort and not time_window}
        meta = _meta_from_sample(frame._meta, bf.groupby_rolling_aggregate, **task_kwargs)
        if time_window:
            before, after = rolling._spans()
            if self._dropna:  # the rows of missing keys leave no rows, which the overlap's trim must not count
                frame = _new(frame).dropna(subset=by).expr
            return self._shown(_new(MapOverlap(frame, bf.groupby_rolling_aggregate, before, after, meta,
                                               {**task_kwargs, "meta": meta}, f"groupby-rolling-{how}", False, "cast",
                                               False)))
        shuffled = self._groups_together(frame, by)
        return self._shown(_new(map_partitions_expr(bf.groupby_rolling_aggregate, shuffled,
                                                    kwargs={**task_kwargs, "meta": meta}, meta=meta,
                                                    label=f"groupby-rolling-{how}")))


class GroupByGrowing:
    """``groupby(...).expanding()`` / ``.ewm()``: each aggregation is the library's own on whole groups."""

    _METHODS = {"expanding": ("count", "sum", "mean", "median", "min", "max", "var", "std", "sem", "skew", "kurt",
                              "quantile", "prod"),
                "ewm": ("mean", "sum", "var", "std")}

    def __init__(self, groupby: Any, kind: str, window_kwargs: dict) -> None:
        self._groupby, self._kind, self._window_kwargs = groupby, kind, dict(window_kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name not in self._METHODS[self._kind]:
            raise AttributeError(f"groupby().{self._kind}() has no method {name!r}; it has "
                                 f"{', '.join(self._METHODS[self._kind])}")

        def method(*args: Any, **kwargs: Any) -> Any:
            return self._groupby._growing(self._kind, self._window_kwargs, name, args, kwargs)

        method.__name__ = name
        method.__doc__ = f"``{name}`` of each group's {self._kind} windows, as pandas."
        return method

    def __dir__(self) -> list:
        return sorted(set(super().__dir__()) | set(self._METHODS[self._kind]))
