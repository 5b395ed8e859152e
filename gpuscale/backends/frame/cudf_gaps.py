"""Partition calls the real cuDF refuses although its signatures take them, each with both branches.

pandas partitions run pandas' own method.  cuDF partitions run cuDF's method where cuDF takes the call, a
cuDF-native equivalent where there is one, and otherwise an explicit host round trip: the partition is
copied to pandas, computed there and copied back (two counted copies, see
:func:`gpuscale.backends.convert.to_host`).  The refusals are read from cuDF 26.10's source and enforced
by the strict stand-in (``tests/strict_cudf/restrictions/``, checked against cuDF by ``make test-cudf``):

* row-wise scans (``cumsum(axis=1)`` ...) are CuPy's on a 2-D view: refused with ``skipna=False`` or any
  missing value (:func:`row_scan`);
* ``shift(axis=1)`` and ``diff(axis=1)`` are refused (:func:`row_shift`);
* flex operators refuse ``level=`` (:func:`flex_needs_host`, :func:`all_on_host`);
* ``melt`` of categorical or mixed-dtype columns is refused (:func:`melt_needs_host`);
* ``replace(regex=True)`` is refused (:func:`replace_values`: on the host);
* ``ffill``/``bfill`` refuse ``limit=`` and ``axis=1`` (:func:`fill_within`, :func:`fill_rows`);
* ``DataFrame[boolean Series]`` is applied by position, not by label as pandas (:func:`rows_where`);
* ``merge(indicator=True)`` is refused (:func:`merge_indicated`);
* ``to_csv``: libcudf's text of floats and timestamps differs from pandas' (:func:`csv_text`: on the host);
* ``isin`` refuses values of several kinds, and a NaN among them matches no missing value
  (:func:`~gpuscale.backends.frame.cudf_isin.isin_values`, in its own module);
* ``rolling(closed=, center=True)`` with a time window and ``resample(origin=, offset=)`` are refused
  (:func:`rolling_needs_host`, :func:`resample_needs_host`: on the host);
* ``shift(freq=)`` is refused: the labels are moved instead, on the device for a fixed span, on the host
  for calendar offsets (:func:`shift_labels`);
* groupby ``shift(freq=)`` / ``pct_change(freq=)`` and ``groupby(observed=False)`` are refused
  (:func:`groupby_needs_host`,
  :func:`groupby_whole_groups_on_host`);
* ``cudf.concat(keys=, names=)`` is refused: the columns are labelled after the concat
  (:func:`concat_side_by_side`).

NumPy ufuncs on cuDF partitions have their own module, :mod:`.cudf_ufuncs`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.frame.core import (convert_library, is_dataframe_like, is_frame_like, is_index_like,
                                          is_series_like, library_of, meta_nonempty, namespace)

__all__ = ["melt_needs_host", "melt_columns", "all_on_host", "flex_needs_host", "replace_values", "fill_within", "fill_rows", "on_host", "rolling_needs_host", "resample_needs_host", "csv_text", "merge_indicated", "rows_where", "row_scan", "row_shift", "shift_labels", "groupby_needs_host",
           "groupby_whole_groups_on_host", "concat_side_by_side"]


def _host(obj: Any) -> Any:
    from gpuscale.backends.convert import to_host

    return to_host(obj)


def _on_host(func: Any, part: Any, *args: Any, **kwargs: Any) -> Any:
    """``func(part, ...)`` computed on a pandas copy of a cuDF ``part``, the result copied back."""
    return convert_library(func(_host(part), *args, **kwargs), "cudf")


# -- row-wise scans, shifts and differences ----------------------------------------------------------------
def row_scan(part: Any, how: str, skipna: bool = True) -> Any:
    """``part.<how>(axis=1, skipna=skipna)`` (``how``: cumsum, cumprod, cummax, cummin) of a DataFrame partition.

    cuDF scans rows with CuPy, which is not NaN-aware: it refuses ``skipna=False`` and missing values, so
    those partitions are scanned on the host.

    Examples
    --------
    >>> import pandas as pd
    >>> row_scan(pd.DataFrame({"a": [1.0, None], "b": [2.0, 3.0]}), "cumsum").values.tolist()
    [[1.0, 3.0], [nan, 3.0]]
    """
    if library_of(part) == "cudf" and (how in CUPY_LACKS_SCANS or skipna is False or bool(part.isna().any().any())):
        return _on_host(row_scan, part, how, skipna)
    return getattr(part, how)(axis=1, skipna=skipna)


# scans cuDF runs row-wise with the CuPy function of the same name, which CuPy 14 lacks (AttributeError)
CUPY_LACKS_SCANS = frozenset({"cummax", "cummin"})


def row_shift(part: Any, how: str, periods: int = 1) -> Any:
    """``part.shift(periods, axis=1)`` or ``part.diff(periods, axis=1)`` of a DataFrame partition (the value
    ``periods`` columns before); cuDF has only ``axis=0``, so its partitions are computed on the host.

    Examples
    --------
    >>> import pandas as pd
    >>> row_shift(pd.DataFrame({"a": [1, 4], "b": [3, 9]}), "diff").values.tolist()
    [[nan, 2.0], [nan, 5.0]]
    """
    if library_of(part) == "cudf":
        return _on_host(row_shift, part, how, periods)
    if len(part) == 0:  # the dtypes of rows (pandas' shift of no rows mixes a naive and a zoned column to objects)
        return getattr(meta_nonempty(part), how)(periods, axis=1).iloc[:0]
    return getattr(part, how)(periods, axis=1)


# -- forward / backward fills with a limit -------------------------------------------------------------------
def fill_within(part: Any, forward: bool = True, limit: int | None = None) -> Any:
    """``part.ffill(limit=limit)`` (``bfill`` when not ``forward``) of a partition.  cuDF refuses ``limit=``: its
    partitions are filled without a limit, then the filled values more than ``limit`` rows from the value they
    came from are made missing again, column by column on the device.

    Examples
    --------
    >>> import pandas as pd
    >>> fill_within(pd.Series([1.0, None, None, 4.0]), limit=1).tolist()
    [1.0, 1.0, nan, 4.0]
    """
    if library_of(part) != "cudf" or limit is None:
        return part.ffill(limit=limit) if forward else part.bfill(limit=limit)
    if is_series_like(part):
        return _fill_limited(part, forward, limit)
    out = part.copy(deep=False)
    for label in part.columns:
        out[label] = _fill_limited(part[label], forward, limit)
    return out


def _fill_limited(values: Any, forward: bool, limit: int) -> Any:
    present = values.notna()
    positions = (present.astype("int64") * 0 + 1).cumsum() - 1  # 0, 1, ... on the partition's index
    valid = positions.where(present)
    if forward:  # rows since the last present value
        distance = positions - valid.ffill()
    else:  # rows until the next one
        distance = valid.bfill() - positions
    keep = present | (distance <= limit).fillna(False)
    return (values.ffill() if forward else values.bfill()).where(keep)


def fill_rows(part: Any, forward: bool = True, limit: int | None = None) -> Any:
    """``part.ffill(axis=1, limit=limit)`` (``bfill``) of a DataFrame partition: across the columns of each row;
    cuDF fills along the rows only, so its partitions are filled on the host.

    Examples
    --------
    >>> import pandas as pd
    >>> fill_rows(pd.DataFrame({"a": [1.0], "b": [None]})).values.tolist()
    [[1.0, 1.0]]
    """
    if library_of(part) == "cudf":
        return _on_host(fill_rows, part, forward, limit)
    return part.ffill(axis=1, limit=limit) if forward else part.bfill(axis=1, limit=limit)


# -- melt -------------------------------------------------------------------------------------------------
def melt_needs_host(part: Any, id_vars: Any = None, value_vars: Any = None, col_level: Any = None,
                    **_: Any) -> bool:
    """Whether ``melt`` of a partition must run on the host: cuDF's ``melt`` refuses categorical id or value
    columns, value columns of different dtypes (pandas finds their common dtype) and ``col_level``.

    Examples
    --------
    >>> import pandas as pd
    >>> melt_needs_host(pd.DataFrame({"a": [1], "b": [1.5]}), id_vars=None, value_vars=["a", "b"])
    False
    """
    if library_of(part) != "cudf":
        return False
    if col_level is not None:
        return True
    ids, values = melt_columns(part, id_vars, value_vars)
    dtypes = [part[c].dtype for c in ids + values if c in part.columns]
    value_dtypes = {str(part[c].dtype) for c in values if c in part.columns}
    return any(str(d) == "category" for d in dtypes) or len(value_dtypes) > 1


def melt_columns(part: Any, id_vars: Any = None, value_vars: Any = None) -> tuple[list, list]:
    """``(id columns, value columns)`` of ``melt(part, id_vars, value_vars)`` (the value columns: all others by
    default), as lists."""
    ids = [] if id_vars is None else ([id_vars] if not isinstance(id_vars, (list, tuple)) else list(id_vars))
    if value_vars is None:
        return ids, [c for c in part.columns if c not in ids]
    return ids, [value_vars] if not isinstance(value_vars, (list, tuple)) else list(value_vars)


# -- replace with regular expressions -------------------------------------------------------------------------
def replace_values(part: Any, **kwargs: Any) -> Any:
    """``part.replace(**kwargs)``; cuDF's ``replace`` refuses ``regex=True``, so those partitions are replaced on
    the host (pandas' regular-expression rules, string columns only).

    Examples
    --------
    >>> import pandas as pd
    >>> replace_values(pd.Series(["cat", "c"]), to_replace="^c$", value="C", regex=True).tolist()
    ['cat', 'C']
    """
    if library_of(part) == "cudf" and kwargs.get("regex"):
        return _on_host(replace_values, part, **kwargs)
    if library_of(part) == "cudf" and _by_column(part, kwargs):
        return _replace_by_column(part, kwargs["to_replace"])
    if library_of(part) == "cudf" and _is_nan(kwargs.get("value")):
        part = _floats_where_replaced(part, kwargs.get("to_replace"))
    return part.replace(**kwargs)


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value


def _floats_where_replaced(part: Any, to_replace: Any) -> Any:
    """``part`` with its integer columns that hold a value of ``to_replace`` as float64: pandas makes a column
    float64 when NaN replaces one of its values; cuDF keeps the integers and makes the value null (so a later
    fill gave integers where pandas gives floats)."""
    olds = list(to_replace) if isinstance(to_replace, (list, tuple)) else [to_replace]

    def widened(column: Any) -> Any:
        if getattr(column.dtype, "kind", "") in "iu" and bool(column.isin(olds).any()):
            return column.astype("float64")
        return column
    if not is_dataframe_like(part):
        return widened(part)
    out = part.copy(deep=False)
    for name in out.columns:
        out[name] = widened(out[name])
    return out


def _by_column(part: Any, kwargs: dict) -> bool:
    """Whether ``kwargs`` is pandas' ``{column: {old: new}}`` form, which cuDF's ``DataFrame.replace`` reads as
    ``{old: new}`` for every column (the inner dicts as new values: "value dtype: struct")."""
    to_replace = kwargs.get("to_replace")
    return (is_dataframe_like(part) and isinstance(to_replace, dict) and kwargs.get("value") is None
            and set(kwargs) <= {"to_replace", "value"} and any(isinstance(v, dict) for v in to_replace.values()))


def _replace_by_column(part: Any, to_replace: dict) -> Any:
    out = part.copy(deep=False)
    for column, mapping in to_replace.items():
        if column in out.columns:
            out[column] = out[column].replace(mapping) if isinstance(mapping, dict) else out[column]
    return out


# -- labels shifted by a frequency -------------------------------------------------------------------------
def shift_labels(obj: Any, periods: int, freq: Any = None) -> Any:
    """``obj.shift(periods, freq=freq)``: the values kept, the (time) index labels moved by ``periods`` steps of
    ``freq``; an Index ``obj`` is itself the labels moved.  cuDF refuses ``freq=`` (and an Index's ``shift``):
    a fixed span (``"h"``, a Timedelta) is added to its index on the device; other offsets (``"W"``, ``"B"``:
    calendar rules) move the labels on the host, the values stay.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1, 2], index=pd.to_datetime(["2020-01-01", "2020-01-02"]))
    >>> shift_labels(s, 2, "h").index.hour.tolist()
    [2, 2]
    """
    if library_of(obj) != "cudf":
        return obj.shift(periods, freq=freq)
    if is_index_like(obj):  # an Index: the labels themselves, by its own frequency without freq=
        return _moved_labels(obj, periods, obj.freq if freq is None else freq)
    out = obj.copy(deep=False)
    out.index = _moved_labels(obj.index, periods, freq)
    return out


def _moved_labels(index: Any, periods: int, freq: Any) -> Any:
    """A cuDF time ``index`` moved by ``periods`` steps of ``freq``: on the device for a fixed span, else on
    the host (calendar offsets)."""
    span = _fixed_span(freq)
    if span is not None:
        return index + periods * span
    return convert_library(_host(index).shift(periods, freq=freq), "cudf")


def _fixed_span(freq: Any) -> Any:
    """``freq`` as a Timedelta when it is a fixed span (hours, seconds ..., a Timedelta: pandas' ``Tick``
    offsets), else None (days follow the calendar in a time zone; weeks, months, business days have rules)."""
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except (TypeError, ValueError):
        return None
    return pd.Timedelta(offset) if isinstance(offset, pd.offsets.Tick) else None


# -- rows selected by a boolean Series -----------------------------------------------------------------------
def rows_where(obj: Any, mask: Any) -> Any:
    """``obj[mask]``: the rows of ``obj`` where the boolean partition ``mask`` is True, matched by label as pandas
    matches a boolean Series key (partitions aligned by an index shuffle hold the same labels, not always in
    the same order).  cuDF's ``DataFrame[mask]`` applies the mask by position; its ``.loc[mask]`` aligns it by
    label (missing labels raise), as pandas' does, so a partition whose index differs from the mask's is filtered
    by ``.loc`` (pandas' ``[]`` would align too, with a warning about an alignment the user did not ask for).

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"x": [1, 2, 3]}, index=[10, 20, 30])
    >>> rows_where(df, pd.Series([True, False, True], index=[30, 20, 10])).x.tolist()
    [1, 3]
    """
    if (is_series_like(mask) and (is_dataframe_like(obj) or is_series_like(obj))
            and str(mask.dtype) in ("bool", "boolean") and not mask.index.equals(obj.index)):
        return obj.loc[_mask_of_frame_length(obj, mask)]
    return obj[mask]


def _mask_of_frame_length(obj: Any, mask: Any) -> Any:
    """``mask`` for ``obj.loc[mask]``: cuDF's ``.loc`` takes a boolean Series of the frame's length only (it
    refuses another length: "boolean label can not be used without a boolean index"), so a mask covering more
    labels (a partition of a longer mask) is first cut to the frame's labels; pandas aligns any."""
    if library_of(obj) == "cudf" and len(mask) != len(obj):
        return mask.reindex(obj.index)
    return mask


# -- rolling windows and resampling --------------------------------------------------------------------------
def rolling_needs_host(obj: Any, window: Any, rolling_kwargs: dict | None) -> bool:
    """Whether ``obj.rolling(window, **rolling_kwargs)`` must run on the host: cuDF's ``Rolling`` refuses
    ``closed=`` other than "right", ``center=True`` with a time window, ``on=``, ``step=``, ``method=`` and a
    ``win_type=`` other than "boxcar" (weighted windows: "Only the default win_type 'boxcar' is currently
    supported").

    Examples
    --------
    >>> import pandas as pd
    >>> rolling_needs_host(pd.Series([1.0]), "2h", {"closed": "both"})
    False
    """
    if library_of(obj) != "cudf":
        return False
    kw = rolling_kwargs or {}
    timed = isinstance(window, str) or hasattr(window, "total_seconds") or hasattr(window, "nanos")
    return (kw.get("closed") not in (None, "right") or (timed and bool(kw.get("center")))
            or any(kw.get(k) is not None for k in ("on", "step")) or kw.get("method", "single") != "single"
            or kw.get("win_type") not in (None, "boxcar"))


def resample_needs_host(obj: Any, kwargs: dict | None) -> bool:
    """Whether ``obj.resample(rule, **kwargs)`` must run on the host: cuDF's ``resample`` refuses ``origin=``
    (other than "start_day"), ``offset=``, ``convention=`` (other than "start") and ``group_keys=True``.

    Examples
    --------
    >>> import pandas as pd
    >>> resample_needs_host(pd.Series([1.0]), {"origin": pd.Timestamp("2020")})
    False
    """
    if library_of(obj) != "cudf":
        return False
    kw = kwargs or {}
    return (kw.get("origin", "start_day") != "start_day" or kw.get("offset") is not None
            or kw.get("convention", "start") != "start" or bool(kw.get("group_keys", False)))


def all_on_host(func: Any, *args: Any, **kwargs: Any) -> Any:
    """``func(*args, **kwargs)`` with every cuDF argument copied to pandas and a frame result copied back to the
    first argument's library (flex operators with ``level=``, which cuDF refuses, see :func:`flex_needs_host`).

    Examples
    --------
    >>> import pandas as pd
    >>> all_on_host(lambda a, b: a + b, pd.Series([1]), pd.Series([2])).tolist()
    [3]
    """
    library = library_of(args[0]) if args and is_frame_like(args[0]) else "pandas"
    moved = [_host(a) if is_frame_like(a) else a for a in args]
    out = func(*moved, **{k: _host(v) if is_frame_like(v) else v for k, v in kwargs.items()})
    return convert_library(out, library) if is_frame_like(out) else out


def flex_needs_host(obj: Any, level: Any) -> bool:
    """Whether a flex operator (``add``, ``lt`` ...) of ``obj`` with ``level=`` must run on the host: cuDF's
    refuse ``level``.

    Examples
    --------
    >>> import pandas as pd
    >>> flex_needs_host(pd.Series([1]), "n")
    False
    """
    return level is not None and library_of(obj) == "cudf"


def on_host(func: Any, obj: Any, *args: Any, **kwargs: Any) -> Any:
    """``func(obj, ...)`` computed on a pandas copy of a cuDF ``obj`` and copied back (pandas: as it is)."""
    if library_of(obj) != "cudf":
        return func(obj, *args, **kwargs)
    return _on_host(func, obj, *args, **kwargs)


# -- CSV text ------------------------------------------------------------------------------------------------------
def csv_text(frame: Any, options: dict) -> str:
    """``frame.to_csv(**options)`` as pandas writes it (``options``: pandas' ``to_csv`` keywords, no path).

    cuDF partitions are written by pandas from a host copy (counted): libcudf's CSV writer formats floats
    with 10 significant digits at most (``-0.8019314252534474`` becomes ``-0.801931425``: the values
    change), timestamps as ISO 8601 with a ``Z`` (pandas reads them back zoned), and takes neither
    ``header=`` aliases nor pandas' other formatting options (``float_format=``, ``date_format=``...).

    Examples
    --------
    >>> import pandas as pd
    >>> csv_text(pd.DataFrame({"a": [0.1 + 0.2]}), {"header": ["x"], "index": False})
    'x\\n0.30000000000000004\\n'
    """
    if library_of(frame) == "cudf":
        frame = _host(frame)
    return frame.to_csv(**options)


# -- merge indicator -----------------------------------------------------------------------------------------
_IN_LEFT, _IN_RIGHT = "__gpuscale_in_left__", "__gpuscale_in_right__"
_SIDES = ["left_only", "right_only", "both"]


def merge_indicated(merge: Any, left: Any, right: Any, kwargs: dict) -> Any:
    """``merge(left, right, kwargs)`` (a partition merge) with pandas' ``indicator=`` column: pandas partitions
    merge with it; cuDF refuses ``indicator=True``, so each side gets a marker column, the merge runs without the
    indicator and the column (categorical ``left_only``/``right_only``/``both``, named ``"_merge"`` or by the
    string given) is made from which markers a row has, on the device.

    Examples
    --------
    >>> import pandas as pd
    >>> merge = lambda l, r, kw: l.merge(r, **kw)
    >>> a, b = pd.DataFrame({"k": [1, 2]}), pd.DataFrame({"k": [2, 3]})
    >>> merge_indicated(merge, a, b, {"on": "k", "how": "outer", "indicator": True})["_merge"].tolist()
    ['left_only', 'both', 'right_only']
    """
    indicator = kwargs.get("indicator")
    if not indicator or library_of(left) != "cudf":
        return merge(left, right, kwargs)
    name = indicator if isinstance(indicator, str) else "_merge"
    rest = {k: v for k, v in kwargs.items() if k != "indicator"}
    out = merge(left.assign(**{_IN_LEFT: True}), right.assign(**{_IN_RIGHT: True}), rest)
    in_left, in_right = out[_IN_LEFT].notna(), out[_IN_RIGHT].notna()
    codes = in_right.astype("int8") + (in_left & in_right).astype("int8")  # left_only 0, right_only 1, both 2
    out = out.drop(columns=[_IN_LEFT, _IN_RIGHT])
    xp = namespace(out)
    out[name] = codes.map(dict(enumerate(_SIDES))).astype(xp.CategoricalDtype(categories=_SIDES, ordered=False))
    return out


# -- groupby methods -----------------------------------------------------------------------------------
_GROUPBY_HOST_KEYWORDS = {"shift": ("freq",), "pct_change": ("freq",),
                          "describe": ("percentiles", "include", "exclude")}  # (cuDF refuses each)
# groupby methods cuDF has none of (skew, kurt: tree-reduced from moments, see group_moments; whole groups, for
# the metadata or ``skipna=False``, on the host) or runs group by group on the host itself
_CUDF_LACKS = frozenset({"skew", "kurt", "ohlc", "nlargest", "nsmallest"})


def _named_reductions(arg: Any) -> set:
    """The reduction names in an ``agg`` argument (a name, a list, a dict of names or lists)."""
    if isinstance(arg, str):
        return {arg}
    if isinstance(arg, dict):
        return set().union(*(_named_reductions(v) for v in arg.values())) if arg else set()
    if isinstance(arg, (list, tuple)):
        return {a for a in arg if isinstance(a, str)}
    return set()


def groupby_needs_host(obj: Any, how: str, kwargs: dict | None, observed: bool = True, arg: Any = None) -> bool:
    """Whether groupby method ``how`` with ``kwargs`` (and function ``arg``) must run on the host for ``obj``'s
    library: cuDF has no ``skew`` or ``kurt`` (its ``ohlc``, ``nlargest`` and ``nsmallest`` copy each group to the
    host), cuDF's ``shift`` and ``pct_change`` refuse ``freq=``, cuDF's ``groupby`` refuses ``observed=False``
    (which gpuscale asks for only to learn the metadata: partitions group the observed categories), and cuDF's
    ``transform`` takes a function only as an aggregation (it calls it with its ``Aggregation`` class:
    ``lambda v: v - v.mean()`` is refused, "transform() supports only aggregations").

    Examples
    --------
    >>> import pandas as pd
    >>> groupby_needs_host(pd.DataFrame(), "pct_change", {"freq": "D"})
    False
    """
    if library_of(obj) != "cudf":
        return False
    if how == "transform" and callable(arg):
        return True
    if how in _CUDF_LACKS or (how in ("agg", "transform") and _named_reductions(arg) & _CUDF_LACKS):
        return True
    return not observed or any((kwargs or {}).get(k) is not None for k in _GROUPBY_HOST_KEYWORDS.get(how, ()))


def groupby_whole_groups_on_host(df: Any, *args: Any, meta: Any = None, **kwargs: Any) -> Any:
    """:func:`~gpuscale.backends.frame.groupby.groupby_whole_groups` of a cuDF partition computed on a pandas
    copy and copied back (for the calls :func:`groupby_needs_host` names); pandas partitions as they are.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"k": [1, 1], "x": [2.0, 3.0]}, index=pd.to_datetime(["2020-01-01", "2020-01-02"]))
    >>> groupby_whole_groups_on_host(df, ["k"], "x", "pct_change", None, {"freq": "D"}).tolist()
    [nan, 0.5]
    """
    from gpuscale.backends.frame.groupby import groupby_whole_groups

    library = library_of(df)
    out = groupby_whole_groups(_host(df), *args, meta=None if meta is None else _host(meta), **kwargs)
    return convert_library(out, library)


# -- concat side by side with keys -------------------------------------------------------------------------
def concat_side_by_side(parts: list, join: str = "outer", kwargs: dict | None = None) -> Any:
    """``concat(parts, axis=1, join=join, **kwargs)``, as pandas: ``keys=`` (and ``names=``) label each input's
    columns in a new outer level.  cuDF's ``concat`` refuses ``keys``/``names`` (and columns of the same
    label in two inputs): its inputs are given unique temporary labels, joined, then labelled with pandas'
    columns for the same inputs (worked out on empty host copies).

    Examples
    --------
    >>> import pandas as pd
    >>> a, b = pd.DataFrame({"x": [1]}), pd.DataFrame({"x": [2]})
    >>> concat_side_by_side([a, b], kwargs={"keys": ["p", "q"]}).columns.tolist()
    [('p', 'x'), ('q', 'x')]
    """
    kwargs = dict(kwargs or {})
    xp = namespace(parts[0])
    if library_of(parts[0]) != "cudf" or (kwargs.get("keys") is None and kwargs.get("names") is None):
        return xp.concat(parts, axis=1, join=join, **kwargs)
    columns = pd.concat([_empty_host(p) for p in parts], axis=1, join=join, **kwargs).columns
    relabelled = [_with_temporary_labels(p, i) for i, p in enumerate(parts)]
    rest = {k: v for k, v in kwargs.items() if k not in ("keys", "names", "levels")}
    out = xp.concat(relabelled, axis=1, join=join, **rest)
    out.columns = columns
    return out


def _empty_host(part: Any) -> Any:
    return _host(part.iloc[:0])


def _with_temporary_labels(part: Any, i: int) -> Any:
    if is_dataframe_like(part):
        out = part.copy(deep=False)
        out.columns = [f"__gpuscale_concat_{i}_{j}" for j in range(len(part.columns))]
        return out
    return part.rename(f"__gpuscale_concat_{i}_0")
