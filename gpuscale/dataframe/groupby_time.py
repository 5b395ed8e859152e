"""``groupby(pd.Grouper(key="t", freq="1D"))``: pandas' time bins of a column or of the index.

pandas groups the rows into the bins ``resample`` would make (every bin from the first to the last, the empty ones
too: a sum of 0, a mean of NaN), so that is what this does: the rows are indexed by the key (a sort, unless the
key is already the index with known divisions), rows without a time dropped as pandas drops them, and the
selected columns resampled (:mod:`gpuscale.dataframe.resample`).  dask has no such groupby.  A time Grouper beside
other keys labels each row with its bin instead (:mod:`gpuscale.dataframe.groupby_keys`: only the observed
combinations, as pandas); ``origin=`` / ``offset=`` place the bins as pandas.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TimeBinGroupBy", "time_bin_groupby"]

_AGGREGATIONS = ("count", "sum", "prod", "mean", "min", "max", "first", "last", "var", "std", "size", "nunique",
                 "median", "ohlc", "sem")


def time_bin_groupby(obj: Any, by: Any) -> "TimeBinGroupBy | None":
    """``obj.groupby(by)`` when ``by`` is a lone time Grouper (or a list of only one), else None."""
    from gpuscale.backends.frame.groupby_keys import time_grouper_spec

    lone = by[0] if isinstance(by, (list, tuple)) and len(by) == 1 else by  # [Grouper] groups as Grouper
    spec = time_grouper_spec(lone)
    return None if spec is None else TimeBinGroupBy(obj, spec, lone)


class TimeBinGroupBy:
    """What ``df.groupby(pd.Grouper(key=..., freq=...))`` returns: one method per aggregation, each a lazy
    DataFrame/Series equal to pandas' (empty bins included), and column selection (``gb.x``, ``gb[["x", "y"]]``).

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> pdf = pd.DataFrame({"t": pd.to_datetime(["2021-01-01 01:00", "2021-01-03 02:00", "2021-01-01 05:00"]),
    ...                     "x": [1.0, 3.0, 2.0]})
    >>> df = gd.from_pandas(pdf, npartitions=2, backend="cpu")
    >>> df.groupby(pd.Grouper(key="t", freq="D")).x.sum().compute()
    t
    2021-01-01    3.0
    2021-01-02    0.0
    2021-01-03    3.0
    Freq: D, Name: x, dtype: float64
    """

    def __init__(self, obj: Any, spec: dict, grouper: Any, selection: Any = None) -> None:
        from gpuscale.dataframe.frame import DataFrame

        self._obj, self._spec, self._grouper, self._selection = obj, spec, grouper, selection
        key = spec["key"]
        if key is not None and not isinstance(obj, DataFrame):
            raise KeyError(f"groupby: the Grouper's key {key!r}: a Series has no columns; its time bins are those "
                           "of its index (pd.Grouper(freq=...) without key=)")
        if key is not None and key not in obj.columns:
            raise KeyError(f"groupby: the Grouper's key {key!r} is not a column (columns: {list(obj.columns)})")

    def __getitem__(self, key: Any) -> "TimeBinGroupBy":
        labels = key if isinstance(key, list) else [key]
        missing = [c for c in labels if c not in self._value_columns()]
        if missing:
            raise KeyError(f"Columns not found: {missing} in the groupby selection; available columns: "
                           f"{self._value_columns()}")
        return TimeBinGroupBy(self._obj, self._spec, self._grouper, key)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in self._value_columns():
            return self[name]
        # the rest (transform, apply, cumsum, head ...) gives a result per row or per observed bin: the groupby of
        # each row's bin label
        return getattr(self._labelled(), name)

    def _labelled(self) -> Any:
        """The groupby of each row's time bin (:mod:`gpuscale.dataframe.groupby_keys`), over the rows in time order
        (pandas sorts them so: a cumulative sum runs in time order within a bin)."""
        from gpuscale.dataframe.groupby import GroupBy, series_groupby

        key = self._spec["key"]
        obj = self._obj.sort_values(key) if key is not None else \
            self._obj if self._obj.known_divisions else self._obj.sort_index()
        if hasattr(obj, "columns"):  # (the Grouper's column is its key, not a value column, as in pandas)
            grouped = GroupBy(obj, [self._grouper])
            return grouped[self._value_columns() if self._selection is None else self._selection]
        return series_groupby(obj, [self._grouper])

    def _value_columns(self) -> list:
        columns = list(getattr(self._obj, "columns", []))
        return [c for c in columns if c != self._spec["key"]]

    def _resampler(self) -> Any:
        """The selection indexed by its times (sorted, with known divisions), resampled into the bins."""
        obj, key = self._obj, self._spec["key"]
        if key is not None:
            obj = obj[obj[key].notna()].set_index(key)  # pandas drops rows without a time
        elif not obj.known_divisions:  # the index, in no known order: sorted first
            obj = obj.sort_index()
        if self._selection is not None:
            obj = obj[self._selection]
        spec = self._spec
        return obj.resample(spec["freq"], closed=spec["closed"], label=spec["label"], **spec["grid"])

    def agg(self, func: Any = None, *args: Any, **kwargs: Any) -> Any:
        """Any aggregation pandas takes (a name, a list, a dict of them, named aggregations), per time bin."""
        return self._resampler().agg(func, *args, **kwargs)

    aggregate = agg


def _aggregation(how: str) -> Any:
    def method(self: TimeBinGroupBy, *args: Any, **kwargs: Any) -> Any:
        return getattr(self._resampler(), how)(*args, **kwargs)

    method.__name__ = how
    method.__doc__ = f"``{how}`` of each time bin (empty bins as pandas fills them)."
    return method


for _how in _AGGREGATIONS:
    setattr(TimeBinGroupBy, _how, _aggregation(_how))
