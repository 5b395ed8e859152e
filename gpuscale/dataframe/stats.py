"""Statistics of DataFrame and Series: exact quantiles and medians, modes, skew, kurtosis, sem, product.

Quantiles are exact (pandas' answer, every ``interpolation``): each column's values are selected by rank
(``OrderStatistics``: partitions sort their own values, samples bracket the ranks needed, and only the values
inside the brackets are handed over), never sorted across the partitions.  dask computes approximate quantiles from per-partition percentiles (and refuses ``median()`` of more
than one partition); where dask is exact (one partition) the answers are the same, elsewhere
gpuscale's are pandas'.  ``median_approximate`` is kept for ported code and is exact too.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.gather import Gather, OrderStatistics
from gpuscale.dataframe.expr.reductions import tree_reduce

__all__ = ["StatsMethods"]

_METHODS = ("default", "dask", "tdigest")


def _new(expr: Any) -> Any:
    from gpuscale.dataframe.core import new_collection

    return new_collection(expr)


def numeric_data(frame: Any) -> Any:
    """The columns pandas' ``numeric_only=True`` keeps: numbers and booleans, not timedeltas."""
    return frame[bf.numeric_columns(frame._meta)]


def _parse_q(q: Any) -> tuple:
    """``(scalar, qs)``: whether ``q`` is one number, and the quantiles as floats (checked)."""
    scalar = not isinstance(q, (list, tuple)) and not hasattr(q, "__len__")
    qs = (float(q),) if scalar else tuple(float(v) for v in q)
    if any(not 0 <= v <= 1 for v in qs):
        raise ValueError(f"quantile: q must be between 0 and 1, got {list(qs)}")
    return scalar, qs


def _has_quantiles(dtype: Any) -> bool:
    """Whether quantiles of ``dtype`` are taken: numbers (Arrow decimals too), datetimes and timedeltas."""
    return bf.is_numeric_dtype(dtype) or bf.is_decimal_dtype(dtype) or bf.is_time_dtype(dtype)


def _series_quantile(s: Any, q: Any, median: bool = False, interpolation: str = "linear") -> Any:
    dtype = s._meta.dtype
    if not _has_quantiles(dtype):
        which = "the Series" if s.name is None else f"Series {s.name!r}"
        raise TypeError(f"quantile: {which} has non-numeric dtype {dtype}, not supported (quantiles need "
                        "numbers, datetimes or timedeltas)")
    scalar, qs = _parse_q(q)
    label = "median" if median else "quantile"
    meta = bf.quantile_meta(s._meta, q if scalar else list(qs), interpolation, median)
    if bf.is_time_dtype(dtype):  # in float ticks of the unit, then timestamps/timedeltas again, as pandas
        floats = s.map_partitions(bf.time_as_float, meta=bf.time_as_float(s._meta))
        ordered = _series_quantile(floats, q, median, interpolation)
        return Gather(bf.floats_as_times, {"dtype": dtype}, meta, label, ordered)
    out = OrderStatistics(s.dropna().expr, qs, scalar, meta, label, median, interpolation)
    if scalar and bf.quantile_missing_is_na(dtype):  # no values: pandas' <NA> for nullable/Arrow numbers, not NaN
        return Gather(bf.nan_as_na, {}, meta, label, out)
    return out


def _frame_quantile(obj: Any, q: Any, numeric_only: bool, median: bool = False,
                    interpolation: str = "linear") -> Any:
    frame = numeric_data(obj) if numeric_only else obj
    for column, dtype in frame._meta.dtypes.items():
        if not _has_quantiles(dtype):
            raise TypeError(f"quantile: column {column!r} has non-numeric dtype {dtype}, not supported (quantiles "
                            "need numbers); pass numeric_only=True")
    parts = [_series_quantile(frame[c], q, median, interpolation) for c in frame.columns]
    scalar, qs = _parse_q(q)
    meta = bf.quantile_meta(frame._meta, q if scalar else list(qs), interpolation, median)
    kwargs = {"columns": list(frame.columns), "qs": qs, "scalar": scalar, "library": bf.library_of(obj._meta),
              "dtype": bf.quantile_dtype(meta),
              "nullable": () if scalar else tuple((i, str(d)) for i, d in enumerate(meta.dtypes)
                                                  if bf.quantile_missing_is_na(d))}
    gathered = Gather(bf.quantile_frame, kwargs, meta, "median" if median else "quantile", *parts)
    return _new(_label_divisions(gathered, list(frame.columns) if scalar else qs))


def _label_divisions(expr: Any, labels: Any) -> Any:
    """A one-partition result indexed by ``labels`` with dask's divisions: the smallest and largest label
    (left unknown when the labels do not compare)."""
    from gpuscale.dataframe.expr.sorting import WithDivisions

    try:
        low, high = min(labels), max(labels)
    except (TypeError, ValueError):
        return expr
    return WithDivisions(expr, (low, high))


class StatsMethods:
    """Mixin of DataFrame and Series: statistics beyond the tree reductions of ``FrameBase``."""

    def quantile(self, q: Any = 0.5, axis: Any = 0, numeric_only: bool = False, method: str = "default",
                 interpolation: str = "linear") -> Any:
        """Exact quantiles (pandas' linear interpolation) of numbers, datetimes and timedeltas, not dask's
        approximation.

        Parameters
        ----------
        q : float or list of float
            Between 0 and 1.
        axis : 0
            Quantiles of each column (``axis=1`` runs pandas' row-wise quantile on every partition).
        numeric_only : bool
            Of a DataFrame: only the numeric columns (otherwise a non-numeric column raises).
        method : {"default", "dask", "tdigest"}
            Accepted for dask compatibility; every method gives the exact answer.
        interpolation : {"linear", "lower", "higher", "midpoint", "nearest"}
            Between two values, as pandas ("lower", "higher" and "nearest" pick a value and keep its dtype).

        Returns
        -------
        Scalar, Series or DataFrame
            A Series: a lazy scalar, or a Series indexed by ``q``; a DataFrame: a Series by column,
            or a DataFrame indexed by ``q``.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([7, 1, 5, 3, 9, 2]), npartitions=3, backend="cpu")
        >>> float(s.quantile(0.25).compute())
        2.25
        >>> s.quantile([0.5, 0.9]).compute().tolist()
        [4.0, 8.0]
        >>> s.quantile(0.25, interpolation="lower").compute().item()
        2
        """
        if method not in _METHODS:
            raise ValueError("method can only be 'default', 'dask' or 'tdigest'")
        if interpolation not in bf.INTERPOLATIONS:
            raise ValueError(f"quantile: interpolation must be one of {list(bf.INTERPOLATIONS)}, "
                             f"got {interpolation!r}")
        if self._reduction_axis(axis) == 1:
            if not _parse_q(q)[0]:  # one row of quantiles per row would not fit a frame's partitions (as dask)
                raise ValueError("'q' must be scalar when axis=1 is specified")
            from gpuscale.dataframe.expr.loc import IndexKeepingMap

            # each row stays in its partition: divisions kept, as dask
            kwargs = {"numeric_only": numeric_only, "interpolation": interpolation}
            meta = bf.make_meta(bf.row_quantile(bf.meta_nonempty(self._meta), q, **kwargs))
            return _new(IndexKeepingMap(bf.row_quantile, kwargs, meta, "quantile", False, self._expr, q))
        if not bf.is_dataframe_like(self._meta):
            scalar, qs = _parse_q(q)
            expr = _series_quantile(self, q, interpolation=interpolation)
            return _new(expr if scalar else _label_divisions(expr, qs))
        return _frame_quantile(self, q, numeric_only, interpolation=interpolation)

    def median(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False) -> Any:
        """The exact median of each column (dask refuses it for more than one partition).

        Parameters
        ----------
        axis : {0, 1, None}
            Medians of the columns (``axis=1``: row-wise, partition by partition;
            ``None``: of a DataFrame, the median of all its values, as pandas).
        skipna : bool
            Missing values are skipped (``False`` only with ``axis=1``: a row with one gives NaN).
        numeric_only : bool
            Of a DataFrame: only the numeric columns.

        Returns
        -------
        Scalar or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([4.0, None, 1.0, 3.0, 10.0]), npartitions=2, backend="cpu")
        >>> float(s.median().compute())
        3.5
        """
        axis = self._reduction_axis(axis)
        if axis == 1:  # each row inside its partition: pandas' skipna applies as given
            return self._by_row("median", {"numeric_only": numeric_only, "skipna": skipna})
        if not skipna:
            raise NotImplementedError("median(skipna=False) is only supported with axis=1")
        if axis is None:  # only a DataFrame's stays None: pandas' median of all its values
            return self._all_values(numeric_only).median()
        if bf.is_dataframe_like(self._meta):
            return _frame_quantile(self, 0.5, numeric_only, median=True).rename(None)  # pandas: unnamed
        return _new(_series_quantile(self, 0.5, median=True))

    def median_approximate(self, axis: Any = 0, method: str = "default", numeric_only: bool = False) -> Any:
        """dask's approximate median, kept for ported code: here the exact median (see :meth:`median`).

        Parameters
        ----------
        axis : 0
            Medians of the columns.
        method : {"default", "dask", "tdigest"}
            Accepted for dask compatibility.
        numeric_only : bool
            Of a DataFrame: only the numeric columns.

        Returns
        -------
        Scalar or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([5, 1, 3]), npartitions=2, backend="cpu")
        >>> float(s.median_approximate().compute())
        3.0
        """
        if method not in _METHODS:
            raise ValueError("method can only be 'default', 'dask' or 'tdigest'")
        return self.median(axis=axis, numeric_only=numeric_only)

    def mode(self, dropna: bool = True, split_every: Any = None, numeric_only: bool = False) -> Any:
        """The most frequent values, sorted (a tree reduction of the value counts).

        Parameters
        ----------
        dropna : bool
            Leave missing values out.
        split_every : int, optional
            Partials combined per step of the tree.
        numeric_only : bool
            Of a DataFrame: only the numeric columns.

        Returns
        -------
        Series or DataFrame
            One partition; a DataFrame's shorter columns are padded with missing values, as pandas.

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([3, 1, 3, 2, 1, 5]), npartitions=3, backend="cpu")
        >>> s.mode().compute().tolist()
        [1, 3]
        """
        if not bf.is_dataframe_like(self._meta):
            return _new(_series_mode(self, dropna, split_every))
        frame = numeric_data(self) if numeric_only else self
        parts = [_series_mode(frame[c], dropna, split_every) for c in frame.columns]
        # the dtypes do not depend on dropna, and pandas' DataFrame.mode(dropna=False) fails on a nullable
        # boolean stand-in holding <NA> (the columns' modes are computed without it)
        meta = bf.make_meta(bf.meta_nonempty(frame._meta).mode())
        return _new(Gather(bf.mode_frame, {"columns": list(frame.columns)}, meta, "mode", *parts))

    def _moment(self, how: str, axis: Any, bias: bool, nan_policy: str, numeric_only: bool,
                fisher: bool = True, skipna: bool | None = None) -> Any:
        if axis is None:  # dask's refusal: pandas would reduce all values of a DataFrame
            raise ValueError(f"`axis=None` isn't currently supported for `{how}`; pass axis=0 or 1")
        axis = self._reduction_axis(axis)
        bf.refuse_text_series(self._meta, how)
        kwargs = {"numeric_only": numeric_only} if bf.is_dataframe_like(self._meta) else {}
        bf.reduction_meta(self._meta, how, **kwargs)  # pandas' error for datetimes, strings, ...
        if axis == 1:  # pandas' bias-corrected estimate, as dask; pandas' skipna where given
            row_kwargs = {"numeric_only": numeric_only, **({} if skipna is None else {"skipna": skipna})}
            return self._by_row(how, row_kwargs)
        if nan_policy not in ("propagate", "omit"):
            raise ValueError(f"{how}: nan_policy must be 'propagate' or 'omit', got {nan_policy!r}")
        frame = self
        if bf.is_dataframe_like(self._meta):
            if numeric_only:  # pandas keeps booleans and drops timedeltas (select_dtypes("number") is the reverse)
                frame = numeric_data(self)
            bad = [c for c, d in frame._meta.dtypes.items() if not bf.is_numeric_dtype(d)]
            if bad:
                raise TypeError(f"{how}: columns {bad} are not numeric; pass numeric_only=True")
        elif not bf.is_numeric_dtype(self._meta.dtype):
            raise TypeError(f"{how}: dtype {self._meta.dtype} is not numeric")
        kwargs = {"how": how, "bias": bias, "fisher": fisher, "omit_nan": nan_policy == "omit"}
        kwargs, meta = _moments_plan(frame._meta, kwargs)
        return _new(tree_reduce(frame.expr, bf.moments_chunk, bf.moments_combine, bf.moments_aggregate, kwargs,
                                meta, how))

    def skew(self, axis: Any = 0, bias: bool = True, nan_policy: str = "propagate",
             numeric_only: bool = False, skipna: bool | None = None) -> Any:
        """Skewness, from moments merged across partitions (dask's defaults: scipy.stats' ``skew``).

        Parameters
        ----------
        axis : {0, 1, "index", "columns"}
            Of each column; 1: of each row (pandas' bias-corrected estimate, partition by partition, as dask).
        bias : bool
            ``True``: scipy's biased estimate, dask's answer (NaN for a constant column); ``False``:
            the bias-corrected estimate pandas' ``skew`` gives (dask refuses it).
        nan_policy : {"propagate", "omit"}
            A column with missing values gives NaN (dask's only policy), or they are left out
            (pandas' behaviour; dask refuses it).
        numeric_only : bool
            Of a DataFrame: only the numeric columns.
        skipna : bool, optional
            pandas' keyword: given, the answer is pandas' ``skew(skipna=)`` (the bias-corrected estimate;
            missing values left out, or NaN where there are some).

        Returns
        -------
        Scalar or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> values = pd.Series([1.0, 2.0, 2.0, 3.0, 9.0, None])
        >>> s = gd.from_pandas(values, npartitions=2, backend="cpu")
        >>> float(s.skew().compute())
        nan
        >>> round(float(s.skew(bias=False, nan_policy="omit").compute()), 10) == round(float(values.skew()), 10)
        True
        """
        if skipna is not None:  # pandas' call
            bias, nan_policy = False, "omit" if skipna else "propagate"
        return self._moment("skew", axis, bias, nan_policy, numeric_only, skipna=skipna)

    def kurtosis(self, axis: Any = 0, fisher: bool = True, bias: bool = True, nan_policy: str = "propagate",
                 numeric_only: bool = False, skipna: bool | None = None) -> Any:
        """Kurtosis, from moments merged across partitions (dask's defaults: scipy.stats' ``kurtosis``).

        Parameters
        ----------
        axis : {0, 1, "index", "columns"}
            Of each column; 1: of each row (pandas' estimate, partition by partition, as dask).
        fisher : bool
            Excess kurtosis (3 subtracted; a normal distribution gives 0).
        bias : bool
            ``True``: scipy's biased estimate, dask's answer; ``False``: the bias-corrected estimate
            pandas' ``kurt`` gives (dask refuses it).
        nan_policy : {"propagate", "omit"}
            A column with missing values gives NaN (dask's only policy), or they are left out.
        numeric_only : bool
            Of a DataFrame: only the numeric columns.
        skipna : bool, optional
            pandas' keyword: given, the answer is pandas' ``kurt(skipna=)`` (the bias-corrected excess
            kurtosis; missing values left out, or NaN where there are some).

        Returns
        -------
        Scalar or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> values = pd.Series([1.0, 2.0, 2.0, 3.0, 9.0, 4.0])
        >>> s = gd.from_pandas(values, npartitions=3, backend="cpu")
        >>> round(float(s.kurtosis(bias=False).compute()), 10) == round(float(values.kurt()), 10)
        True
        """
        if skipna is not None:  # pandas' call
            bias, nan_policy, fisher = False, "omit" if skipna else "propagate", True
        return self._moment("kurt", axis, bias, nan_policy, numeric_only, fisher, skipna)

    kurt = kurtosis

    def sem(self, axis: Any = 0, skipna: bool = True, ddof: int = 1, split_every: Any = False,
            numeric_only: bool = False) -> Any:
        """Standard error of the mean: ``std(ddof) / sqrt(count)``, from one tree reduction.

        Parameters
        ----------
        axis : {0, 1, "index", "columns", None}
            Of each column; 1: of each row (partition by partition); None: of all values of a DataFrame.
        skipna : bool
            Skip missing values.
        ddof : int
            Delta degrees of freedom of the standard deviation.
        split_every : int, optional
            Partials combined per step of the tree.
        numeric_only : bool
            Of a DataFrame: only the numeric columns.

        Returns
        -------
        Scalar or Series

        Examples
        --------
        >>> import pandas as pd, gpuscale.dataframe as gd
        >>> s = gd.from_pandas(pd.Series([1.0, 2.0, 3.0, 4.0]), npartitions=2, backend="cpu")
        >>> round(float(s.sem().compute()), 6)
        0.645497
        """
        return self._reduce("sem", axis, split_every, {}, skipna=skipna, ddof=ddof, numeric_only=numeric_only)


def _moments_plan(meta: Any, kwargs: dict) -> tuple:
    """The keywords of ``moments_aggregate`` for ``meta``'s columns, and the result's metadata (``Float64``
    where pandas' nullable numbers are among them, as pandas)."""
    series = not bf.is_dataframe_like(meta)
    dtypes = [meta.dtype] if series else list(meta.dtypes)
    kwargs = {**kwargs, "series": series, "library": bf.library_of(meta),
              "nullable": any(bf.is_nullable_number(d) for d in dtypes), "dtype": bf.moments_dtype(meta, kwargs["how"])}
    # (a Series' metadata is a float, whatever the moment of the stand-in: no <NA>)
    sample = bf.moments_aggregate([bf.moments_chunk(bf.meta_nonempty(meta))],
                                  **{**kwargs, "nullable": kwargs["nullable"] and not series})
    return kwargs, bf.make_meta(sample)


def _series_mode(s: Any, dropna: bool, split_every: Any) -> Any:
    meta = bf.make_meta(s._meta.reset_index(drop=True))  # (values of the Series' dtype, numbered from 0)
    return tree_reduce(s.expr, bf.value_counts_chunk, _counts_combine, bf.mode_from_counts,
                       {"name": s.name, "dropna": dropna, "dtype": s._meta.dtype}, meta, "mode", split_every,
                       chunk_kwargs={"dropna": dropna})


def _counts_combine(parts: list, dropna: bool = True, **kwargs: Any) -> Any:
    return bf.value_counts_combine(parts, dropna=dropna)
