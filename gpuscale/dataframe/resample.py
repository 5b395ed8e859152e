"""``DataFrame.resample`` / ``Series.resample``: time-based aggregation of a collection with a datetime index
and known divisions, as dask.dataframe's (``df.resample("1h").mean()``).

The collection is repartitioned at bin edges, so every bin lies in one partition; each partition is then
resampled by pandas/cuDF (the bins of its own rows), the first and last bins of the whole result are found from
those (a small task per partition and one over them: the divisions may reach far past the rows, after a filter),
and each partition is reindexed to the bin labels of its range between them.  The result has one partition per
input partition and known divisions (the bin labels).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame import resample as bres
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.base import FrameExpr, MetaOperand
from gpuscale.dataframe.expr.loc import SelectRows

__all__ = ["Resampler", "resample", "TimeBinMethods"]


class _Resampled:
    """The result's divisions are the bin labels ``out_divisions``; tasks are named after the aggregation.

    Partition ``i``'s own bins (``_own_task(i)``) are made first; their first and last labels give the whole
    result's (``bres.overall_span``), and each partition is then filled out to the labels of its range between
    them (``bres.fill_bins``).  The own bins wait for that span, not the input partitions (often much larger)."""

    def _divisions(self) -> tuple:
        return tuple(self.out_divisions)

    def _layer(self) -> dict:
        own, spans, whole = (f"{p}-{self._name}" for p in ("resample-own", "resample-span", "resample-span-all"))
        out, n = self.out_divisions, len(self.out_divisions) - 1
        bools = bres.widened_bools(self.frame._meta, self.meta, self.how)
        layer = {}
        for i in range(n):
            layer[(own, i)] = self._own_task(i)
            layer[(spans, i)] = (bres.bins_span, (own, i), bools)
        layer[(whole, 0)] = (bres.overall_span, [(spans, i) for i in range(n)], self.rule, bool(bools),
                             self.first_bin)
        for i in range(n):
            closed = None if i == n - 1 else "left"
            layer[(self._name, i)] = (bres.fill_bins, (own, i), (whole, 0), out[i], out[i + 1], closed, self.rule,
                                      self.fill_value, bools)
        return layer

    @property
    def _funcname(self) -> str:
        return f"resample-{self.how}"


class ResampleAggregation(_Resampled, MetaOperand, FrameExpr):
    """Partition ``i`` resampled and reindexed to the bin labels ``out_divisions[i]`` .. ``[i + 1]``."""

    _parameters = ["frame", "rule", "kwargs", "how", "args", "how_kwargs", "fill_value", "out_divisions", "meta",
                   "first_bin"]

    def _own_task(self, i: int) -> tuple:
        out = self.out_divisions
        last = i == self.npartitions - 1
        run = bres.resample_filled if self.how in bres.NEIGHBOUR_FILLS else bres.resample_partition
        return (run, (self.frame._name, i), out[i], out[i + 1], None if last else "left",
                self.rule, dict(self.kwargs), self.how, list(self.args), dict(self.how_kwargs))

    def _tree_label(self) -> str:
        return f"Resample: {self.rule!r} {self.how}  [npartitions={self.npartitions}]"


class ResamplePieces(_Resampled, MetaOperand, FrameExpr):
    """As :class:`ResampleAggregation` over the partitions ``SelectRows(frame, plan)`` would make, without
    making them: output partition ``j`` resamples the pieces ``plan[j]`` of ``frame``'s partitions
    (:func:`~gpuscale.backends.frame.resample.resample_pieces`: piece by piece where the aggregation allows)."""

    _parameters = ["frame", "plan", "rule", "kwargs", "how", "fill_value", "out_divisions", "meta", "first_bin"]

    def _own_task(self, j: int) -> tuple:
        out, last = self.out_divisions, len(self.plan) - 1
        return (bres.resample_pieces, [SelectRows._piece_task(self, p) for p in self.plan[j]], self.frame._meta,
                out[j], out[j + 1], None if j == last else "left", self.rule, dict(self.kwargs), self.how,
                self.fill_value)

    def _tree_label(self) -> str:
        return f"Resample: {self.rule!r} {self.how} of repartitioned pieces  [npartitions={len(self.plan)}]"


class Resampler:
    """What ``resample(rule)`` returns: one method per aggregation, each a lazy DataFrame/Series."""

    def __init__(self, obj: Any, rule: Any, closed: Any = None, label: Any = None, origin: Any = "start_day",
                 offset: Any = None) -> None:
        if not obj.known_divisions:
            raise ValueError("Can only resample dataframes with known divisions (set_index on a datetime column, "
                             "or read with known divisions)")
        if obj.divisions and not hasattr(obj.divisions[0], "tz_localize"):
            raise TypeError("resample needs a datetime index (the divisions are "
                            f"{type(obj.divisions[0]).__name__} values)")
        self.obj, self.rule = obj, rule
        if bres.ends_at_last_time(origin):  # (pandas' defaults then, whether or not the origin takes effect)
            closed, label = closed or "right", label or "right"
        origin, offset = bres.effective_grid(rule, obj.divisions[0], origin, offset)
        # the bins' origin for the whole collection where it differs from a partition's
        self._grid = {"origin": origin} if bres.ends_at_last_time(origin) else {}
        origin = bres.resolved_origin(origin, tuple(obj.divisions))
        self.kwargs = {k: v for k, v in (("closed", closed), ("label", label), ("offset", offset)) if v is not None}
        if not (isinstance(origin, str) and origin == "start_day"):
            self.kwargs["origin"] = origin

    def _partitioned(self) -> tuple:
        """The collection cut at bin edges (every bin in one partition), and the bin labels that start them."""
        inner, outer = bres.resample_divisions(tuple(self.obj.divisions), self.rule, **{**self.kwargs, **self._grid})
        return self.obj.repartition(divisions=inner, force=True), outer

    def _first_bin(self, outer: tuple) -> Any:
        """The result's first label where pandas starts it with an empty bin (else the first row's bin)."""
        grid = {**self.kwargs, **self._grid}
        return outer[0] if bres.empty_first_bin(tuple(self.obj.divisions), self.rule, **grid) else None

    def _agg(self, how: str, *args: Any, **how_kwargs: Any) -> Any:
        meta = bres.resample_meta(self.obj._meta, self.rule, self.kwargs, how, args, how_kwargs)
        partitioned, outer = self._partitioned()
        fill = bres.empty_bin_fill(meta, how) if not how_kwargs.get("min_count") else float("nan")
        if how == "asfreq" and how_kwargs.get("fill_value") is not None:  # (bin labels between partitions too)
            fill = how_kwargs["fill_value"]
        if how == "agg" and bres.agg_fill_values(meta, args, how_kwargs) is not None:  # a value per column
            fill = bres.agg_fill_values(meta, args, how_kwargs)
        if how == "agg" and args and callable(args[0]):  # a bin without rows: the function's value of no values
            fill = bres.empty_bin_value(self.obj._meta, args[0], args[1:], how_kwargs)
        if how in bres.NEIGHBOUR_FILLS:  # each partition with the nearest rows before and after it
            from gpuscale.dataframe.expr.carry import TwoWayScan

            extended = TwoWayScan(partitioned.expr, bres.edge_rows, bres.nearest_edge, bres.with_neighbour_rows, {},
                                  partitioned._meta, "resample-neighbours", False, bres.edge_of)
            return new_collection(ResampleAggregation(extended, self.rule, self.kwargs, how, args, how_kwargs, fill,
                                                      outer, meta, self._first_bin(outer)))
        if isinstance(partitioned.expr, SelectRows) and bres.bins_split(self.rule, how, args, how_kwargs):
            return new_collection(ResamplePieces(partitioned.expr.frame, partitioned.expr.plan, self.rule,
                                                 self.kwargs, how, fill, outer, meta, self._first_bin(outer)))
        return new_collection(ResampleAggregation(partitioned.expr, self.rule, self.kwargs, how, args, how_kwargs,
                                                  fill, outer, meta, self._first_bin(outer)))

    def count(self) -> Any:
        return self._agg("count")

    def sum(self, **kwargs: Any) -> Any:
        return self._agg("sum", **kwargs)

    def prod(self, **kwargs: Any) -> Any:
        return self._agg("prod", **kwargs)

    def mean(self, **kwargs: Any) -> Any:
        return self._agg("mean", **kwargs)

    def min(self, **kwargs: Any) -> Any:
        return self._agg("min", **kwargs)

    def max(self, **kwargs: Any) -> Any:
        return self._agg("max", **kwargs)

    def first(self, **kwargs: Any) -> Any:
        return self._agg("first", **kwargs)

    def last(self, **kwargs: Any) -> Any:
        return self._agg("last", **kwargs)

    def var(self, **kwargs: Any) -> Any:
        return self._agg("var", **kwargs)

    def std(self, **kwargs: Any) -> Any:
        return self._agg("std", **kwargs)

    def size(self) -> Any:
        return self._agg("size")

    def nunique(self) -> Any:
        return self._agg("nunique")

    def median(self, **kwargs: Any) -> Any:
        return self._agg("median", **kwargs)

    def quantile(self, q: float = 0.5, **kwargs: Any) -> Any:
        """Each bin's quantile ``q`` (pandas' ``interpolation=`` too); one quantile: several would be a (time, q)
        MultiIndex, whose rows cannot be cut into partitions by time."""
        if not bf.is_scalar_like(q):
            raise NotImplementedError("resample(...).quantile takes one quantile at a time (pandas' list of them "
                                      "gives a (time, q) MultiIndex): call quantile(q) for each q")
        return self._agg("quantile", q, **kwargs)

    def ohlc(self) -> Any:
        return self._agg("ohlc")

    def sem(self, ddof: int = 1) -> Any:
        """Each bin's standard error of the mean: on cuDF partitions, whose resampler has no ``sem``, pandas'
        own formula ``std(ddof) / sqrt(count)`` of the bins' ``std`` and ``count``."""
        if bf.library_of(self.obj._meta) == "cudf":
            return self.std(ddof=ddof) / self.count() ** 0.5
        return self._agg("sem", **({} if ddof == 1 else {"ddof": ddof}))

    def asfreq(self, fill_value: Any = None) -> Any:
        """The value at each bin label (the row labelled exactly so; missing, or ``fill_value``, where none is)."""
        return self._on_edges()._agg("asfreq", **({} if fill_value is None else {"fill_value": fill_value}))

    def _on_edges(self) -> "Resampler":
        """This resampler labelled on the side its bins are closed on: pandas' upsampling methods (``asfreq``,
        fills, ``interpolate``) put the rows at the bins' left edges, or right edges with ``closed="right"``,
        whatever ``label`` says."""
        import copy

        closed, _ = bres._sides(self.rule, self.kwargs.get("closed"), self.kwargs.get("label"))
        out = copy.copy(self)
        out.kwargs = {**self.kwargs, "label": closed}
        return out

    def interpolate(self, method: str = "linear", *, axis: Any = 0, limit: Any = None, inplace: bool = False,
                    limit_direction: str = "forward", limit_area: Any = None) -> Any:
        """Each bin label's value interpolated from the rows around it, as pandas' ``Resampler.interpolate``: the
        labels are put among the rows at other times, all are interpolated together (across partitions, as
        :meth:`gpuscale.dataframe.DataFrame.interpolate`), and the labels' rows are kept.

        Parameters
        ----------
        method : {"linear", "time", "index", "values"}
            ``linear`` treats rows as equally spaced (pandas' default); the others weigh by time.
        axis : 0
            Only down the rows.
        limit : int, optional
            At most this many consecutive missing values are filled.
        inplace : False
            A resampled object is never changed in place (pandas raises too).
        limit_direction : {"forward", "backward", "both"}
            Which missing values ``limit`` counts from.
        limit_area : {None, "inside", "outside"}
            Fill only between valid values, or only outside them.

        Returns
        -------
        DataFrame or Series
            One row per bin label, known divisions.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([0.0, 4.0, 8.0], index=pd.date_range("2024-01-01", periods=3, freq="4h"))
        >>> gd.from_pandas(s, npartitions=2, backend="cpu").resample("2h").interpolate().compute().tolist()
        [0.0, 2.0, 4.0, 6.0, 8.0]
        """
        if inplace:
            raise ValueError("Cannot interpolate inplace on a resampled object.")
        series = bf.is_series_like(self.obj._meta)
        resampler = self._on_edges()
        resampler.obj = self.obj.to_frame("__value__") if series else self.obj
        grid, (partitioned, _) = resampler._agg("asfreq"), resampler._partitioned()
        kwargs = {"marker": "__bin_label__"}
        meta = bf.make_meta(bres.interpolation_points(grid._meta, partitioned._meta, **kwargs))
        # partition by partition (the grid's divisions kept: every row lies between its bin labels)
        points = grid.map_partitions(bres.interpolation_points, partitioned, meta=meta, align_dataframes=False,
                                     token="resample-interpolate-points", **kwargs)
        filled = points.interpolate(method, axis=axis, limit=limit, limit_direction=limit_direction,
                                    limit_area=limit_area)
        out = filled.map_partitions(bres.grid_rows, meta=grid._meta, freq=self.rule, **kwargs)
        return out["__value__"].rename(self.obj.name) if series else out

    def transform(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Each row given its bin's value of ``func`` (a name such as ``"mean"`` or a function of the bin's values),
        as pandas' ``Resampler.transform``: rows, index and divisions stay (every bin lies in one partition).

        Parameters
        ----------
        func : str or callable
            An aggregation's name, or a function of each bin's values.
        *args, **kwargs
            Passed to ``func``.

        Returns
        -------
        DataFrame or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1.0, 3.0, 10.0, 20.0], index=pd.date_range("2024-01-01", periods=4, freq="12h"))
        >>> gd.from_pandas(s, npartitions=2, backend="cpu").resample("1D").transform("mean").compute().tolist()
        [2.0, 2.0, 15.0, 15.0]
        """
        partitioned, outer = self._partitioned()
        options = {"starts": list(outer), "rule": self.rule, "kwargs": dict(self.kwargs), "transform": func,
                   "args": tuple(args), "how_kwargs": kwargs}
        meta = bf.make_meta(bres.resample_transform(bf.meta_nonempty(self.obj._meta), **options))
        return partitioned.map_partitions(bres.resample_transform, meta=meta, token="resample-transform", **options)

    def pipe(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """``func(self, *args, **kwargs)``, as pandas' ``pipe`` (a ``(func, keyword)`` pair passes this object as
        that keyword)."""
        from gpuscale.dataframe.convenience import piped

        return piped(self, func, args, kwargs)

    def agg(self, func: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Any aggregation pandas' resampler takes (a name, a function, a list or a dict of them, or named
        aggregations: ``agg(total=("x", "sum"))``)."""
        return self._agg("agg", func, *args, **kwargs)

    aggregate = apply = agg

    def ffill(self, limit: int | None = None) -> Any:
        """Each bin label's value: that of the last row at or before it, as pandas' ``ffill`` (upsampling);
        each partition sees the last row of those before it.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1.0, 2.0, 3.0], index=pd.date_range("2024-01-01", periods=3, freq="2h"))
        >>> gd.from_pandas(s, npartitions=2, backend="cpu").resample("1h").ffill().compute().tolist()
        [1.0, 1.0, 2.0, 2.0, 3.0]
        """
        return self._on_edges()._agg("ffill", **({} if limit is None else {"limit": limit}))

    def bfill(self, limit: int | None = None) -> Any:
        """Each bin label's value: that of the first row at or after it, as pandas' ``bfill`` (upsampling)."""
        return self._on_edges()._agg("bfill", **({} if limit is None else {"limit": limit}))

    def nearest(self, limit: int | None = None) -> Any:
        """Each bin label's value: that of the nearest row, as pandas' ``nearest`` (upsampling)."""
        return self._on_edges()._agg("nearest", **({} if limit is None else {"limit": limit}))


def resample(obj: Any, rule: Any, closed: Any = None, label: Any = None, origin: Any = "start_day",
             offset: Any = None) -> Resampler:
    """Group rows into time bins of ``rule`` (``"1h"``, ``"24h"``, ``"1D"`` ...); see :class:`Resampler`.

    Examples
    --------
    >>> import gpuscale
    >>> df = gpuscale.datasets.timeseries(end="2000-01-03", freq="1h", seed=1, backend="cpu")
    >>> df[["x", "y"]].resample("6h").mean().npartitions, len(df.resample("6h").count())
    (2, 8)
    """
    return Resampler(obj, rule, closed=closed, label=label, origin=origin, offset=offset)


class TimeBinMethods:
    """Mixin of DataFrame and Series: ``resample``, ``asfreq``."""

    def resample(self, rule: Any, closed: str | None = None, label: str | None = None, origin: Any = "start_day",
                 offset: Any = None) -> Any:
        """Time bins of ``rule`` over a datetime index with known divisions, as dask: ``df.resample("1h").mean()``;
        ``origin=`` / ``offset=`` place the bins as pandas (``"start"``: from the first timestamp of the whole
        collection); see :mod:`gpuscale.dataframe.resample`."""
        return resample(self, rule, closed=closed, label=label, origin=origin, offset=offset)

    def asfreq(self, freq: Any, method: Any = None, how: Any = None, normalize: bool = False,
               fill_value: Any = None) -> Any:
        """The rows at a regular time grid from the first timestamp, as pandas' ``asfreq`` (the row labelled
        exactly so; missing, or ``fill_value``, where none is): pandas' ``date_range`` from the first to the last
        time (the divisions), each partition reindexed to its share of it.

        Parameters
        ----------
        freq : str or offset
            The grid's step.
        method : None
            Fill only with ``fill_value`` (``asfreq(freq).ffill()`` also fills missing values that were there).
        how, normalize : optional
            Only pandas' defaults (a DatetimeIndex, times kept).
        fill_value : scalar, optional
            The value of grid times no row has.

        Returns
        -------
        DataFrame or Series
            With known divisions (the grid's times).

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2024-01-01 00:30", "2024-01-01 02:30",
        ...                                                    "2024-01-01 03:30"]))
        >>> gd.from_pandas(s, npartitions=2, backend="cpu").asfreq("h").compute().tolist()
        [1.0, nan, 2.0, 3.0]
        """
        from gpuscale.dataframe.reindex import reindex_rows

        if method is not None or how is not None or normalize:
            raise NotImplementedError("asfreq: method=, how= and normalize= are not supported; fill afterwards "
                                      "(asfreq(freq).ffill()) or pass fill_value=")
        if not self.known_divisions:
            raise ValueError("asfreq needs known divisions (the first and last times): set_index(<time column>) or "
                             "from_pandas with a sorted DatetimeIndex first")
        grid = bres.time_grid(self.divisions[0], self.divisions[-1], freq, self._meta.index)  # pandas' own grid
        if len(grid) == 0:  # no grid time between the first and the last: no row
            from gpuscale.dataframe.creation import from_pandas

            return from_pandas(self._meta.reindex(grid), npartitions=1, backend=bf.library_of(self._meta))
        return reindex_rows(self, grid, fill_value)
