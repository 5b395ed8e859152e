"""Scalars handed to a partition library's methods (``where``, ``fillna`` ...) where pandas and cuDF differ, and the
one value of a one-value Series or Index (``item``, which cuDF's Series lacks)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from gpuscale.backends.frame.core import from_library, is_dataframe_like, library_of

__all__ = ["where_scalar", "where_other", "series_of_scalar", "reductions_table", "agg_dtypes", "agg_table_meta", "single_item"]


def where_scalar(value: Any, like: Any) -> Any:
    """``value`` as ``like.where(cond, value)`` takes it.  cuDF types a scalar by ``np.min_scalar_type``: a
    ``pd.Timestamp`` / ``pd.Timedelta`` (what ``iloc[0]`` of a cuDF datetime column gives) is "object" there and
    fails (pyarrow: "Expected bytes, got a 'Timestamp' object"); NumPy's datetime64 / timedelta64 of the same
    value is typed as the column.  pandas takes either.

    Examples
    --------
    >>> import pandas as pd
    >>> where_scalar(pd.Timestamp("2020-01-01"), pd.Series([1])) == pd.Timestamp("2020-01-01")
    True
    """
    if library_of(like) != "cudf":
        return value
    if isinstance(value, pd.Timestamp) and value.tz is None:
        return value.to_datetime64()
    if isinstance(value, pd.Timestamp):
        return _tz_aware_other(value, like)
    if isinstance(value, pd.Timedelta):
        return value.to_timedelta64()
    return value


def _tz_aware_other(value: Any, like: Any) -> Any:
    """A tz-aware ``value`` as cuDF's ``where`` of a tz-aware column takes it: a column of the same dtype (cuDF
    finds the common type of a tz dtype and any scalar's ``np.min_scalar_type`` to be object, and pyarrow then
    refuses the value, a datetime64 too); of a frame of tz-aware columns, a frame of such columns; ``value`` as it
    is elsewhere (no other column takes it on cuDF, where pandas makes objects)."""
    if is_dataframe_like(like):
        if not like.columns.is_unique or not all(getattr(d, "tz", None) is not None for d in like.dtypes):
            return value
        columns = {c: _tz_aware_other(value, like[c]) for c in like.columns}
        return from_library(library_of(like)).DataFrame(columns, index=like.index)
    tz = getattr(getattr(like, "dtype", None), "tz", None)
    if tz is None or not hasattr(like, "dt"):
        return value
    utc = value.tz_convert("UTC").tz_localize(None).as_unit(like.dt.unit).to_datetime64()
    naive = from_library(library_of(like)).Series(np.full(len(like), utc), index=like.index)
    return naive.dt.tz_localize("UTC").dt.tz_convert(tz)


def where_other(like: Any, value: Any) -> Any:
    """:func:`where_scalar` of ``value`` for partition ``like`` (the partition first, as a map of the partitions
    passes it): of a tz-aware Timestamp on cuDF, a column of ``like``'s dtype filled with it.

    Examples
    --------
    >>> where_other(pd.Series([1, 2]), 0)
    0
    """
    return where_scalar(value, like)


def series_of_scalar(value: Any, label: Any, name: Any, library: str) -> Any:
    """A one-row Series of ``library`` holding ``value`` at ``label`` (dask's ``Scalar.to_series``).

    Examples
    --------
    >>> series_of_scalar(3, "a", "total", "pandas").to_dict()
    {'a': 3}
    """
    return from_library(library).Series([value], index=[label], name=name)


def reductions_table(*results: Any, names: tuple, columns: tuple, dtypes: tuple | None = None,
                     sources: tuple | None = None, labels: Any = None) -> Any:
    """pandas' ``agg([...])`` table: row ``names[i]`` holds ``results[i]`` (a reduction's Series, indexed by the
    columns it reduced), the columns in the order ``columns`` (of ``dtypes``, pandas' per column: a frame's
    reductions come as one Series of a common dtype; ``sources``: the reduced columns' dtypes), NaN where a name
    did not reduce a column; ``labels``: the column Index to give the table.  Built on the host (a few values;
    cuDF has no rows of mixed dtypes to stack them in) and moved back.

    Examples
    --------
    >>> reductions_table(pd.Series({"a": 6, "b": 15.0}), pd.Series({"b": 6.0}), names=("sum", "max"),
    ...                  columns=("a", "b")).to_dict()
    {'a': {'sum': 6.0, 'max': nan}, 'b': {'sum': 15.0, 'max': 6.0}}
    """
    from gpuscale.backends.convert import to_host
    from gpuscale.backends.frame.core import convert_library

    rows = [to_host(r).to_frame(name).T for r, name in zip(results, names)]
    table = pd.concat(rows).reindex(columns=list(columns))
    if dtypes is not None:
        sources = sources or (None,) * len(dtypes)
        # by position: the rebuilt frame keeps the columns' labels and order, repeated ones included
        kept = [_agg_column(table.iloc[:, i], d, source) for i, (d, source) in enumerate(zip(dtypes, sources))]
        table = pd.concat(kept, axis=1, keys=range(len(kept)))
        table.columns = list(columns)
    if labels is not None:  # the metadata's column Index: its names, a MultiIndex (a list of tuples is flat)
        table.columns = labels
    return convert_library(table, library_of(results[0]))


def _agg_column(values: Any, dtype: Any, source: Any) -> Any:
    """One column of an agg table (objects) as pandas gives it: of ``dtype``, its dtype when every name gives a
    value; where a reduction of empty data gave none (``max``) and ``dtype`` cannot hold it, of the dtype pandas
    infers from the values (``[0, nan]``: float64), as pandas' agg builds its Series of them.  A column of NumPy
    ``source`` dtype is reduced to NaN by pandas, never NA (which the frame's common dtype may have brought)."""
    if not (isinstance(dtype, np.dtype) and dtype.kind in "iubO" and values.isna().any()):
        return values.astype(dtype)
    items = values.tolist()
    if isinstance(source, np.dtype):
        items = [np.nan if item is pd.NA else item for item in items]
    return pd.Series(items, index=values.index, name=values.name)


def agg_table_meta(meta: Any, columns: list, spec: Any) -> Any:
    """The empty table of pandas' ``agg(spec)`` of ``columns`` of a frame like ``meta`` (pandas' agg of a
    two-row sample, emptied), in ``meta``'s library.  Of a Series ``meta``: its ``agg(spec)`` as the one column
    ``columns[0]`` (pandas types a Series' list of results apart from a frame's: int64 from Int64).

    Examples
    --------
    >>> agg_table_meta(pd.DataFrame({"x": [1], "y": [1.0]}).iloc[:0], ["x"], ["sum", "max"]).dtypes.to_dict()
    {'x': dtype('int64')}
    """
    from gpuscale.backends.convert import to_host
    from gpuscale.backends.frame.core import convert_library, meta_nonempty

    sample = meta_nonempty(to_host(meta))
    if sample.ndim == 1:
        table = sample.agg(spec).to_frame(columns[0])
    else:
        table = sample[list(columns)].agg(spec)
    return convert_library(table.iloc[:0], library_of(meta))


def agg_dtypes(meta: Any, columns: list, spec: Any) -> tuple:
    """The dtype of each of ``columns`` in pandas' ``agg(spec)`` of a frame like ``meta`` (run on the host, on a
    two-row sample).

    Examples
    --------
    >>> agg_dtypes(pd.DataFrame({"a": [1], "b": [1.0]}).iloc[:0], ["a", "b"], ["sum", "max"])
    (dtype('int64'), dtype('float64'))
    """
    from gpuscale.backends.convert import to_host

    return tuple(agg_table_meta(to_host(meta), columns, spec).dtypes)


def single_item(obj: Any) -> Any:
    """``obj.item()``: the one value of a one-value Series or Index as a Python scalar (pandas' ``ValueError``
    otherwise); cuDF's Series has no ``item``: that one value is copied to the host first."""
    if library_of(obj) != "pandas":
        from gpuscale.backends.convert import to_host

        if len(obj) != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        obj = to_host(obj)
    return obj.item()
