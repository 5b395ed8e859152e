"""Argument values cuDF refuses (or only warns about) although its signature takes them.

Each restriction has two halves: ``check`` runs in the stand-in before a call and
raises what cuDF raises (fallback warnings become errors: each one is a silent
slow path on a GPU); ``verify`` runs in the cuDF lane (``make test-cudf``) against
the real cuDF, on objects that need no GPU (a DataFrame without columns), and
proves cuDF still behaves so.  Add one when reading cuDF finds another.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any, Callable

import pytest


class StrictCudfRefusal(NotImplementedError):
    """A call the real cuDF refuses or degrades (raised by the stand-in)."""


@dataclass(frozen=True)
class Restriction:
    classes: tuple  # stand-in class names ("cudf" for module functions)
    method: str
    check: Callable[..., str | None]  # the refusal message, or None if cuDF accepts the call
    verify: Callable[[Any], None]  # asserts the real cuDF refuses it
    needs_data: bool = False  # check(obj, args, kwargs): the refusal depends on the values (the pandas object)


def _kind_not_quicksort(args: tuple, kwargs: dict) -> str | None:
    kind = kwargs.get("kind", "quicksort")
    return None if kind in ("quicksort", None) else f"kind={kind!r} is not supported by cuDF (only 'quicksort')"


def _verify_sort_index(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="kind"):
        cudf.DataFrame().sort_index(kind="stable")
    cudf.DataFrame().sort_index(kind="quicksort")


def _verify_sort_values(cudf: Any) -> None:
    with pytest.warns(UserWarning, match="defaulting to quicksort"):
        cudf.DataFrame().sort_values([], kind="stable")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cudf.DataFrame().sort_values([], kind="quicksort")


def _parquet_keywords(cudf: Any) -> set:
    import inspect

    return {p.name for p in inspect.signature(cudf.DataFrame.to_parquet).parameters.values()
            if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)}


_PARQUET_KEYWORDS: set = set()  # filled from the spec when the stand-in loads


def _unknown_parquet_keyword(args: tuple, kwargs: dict) -> str | None:
    unknown = sorted(set(kwargs) - _PARQUET_KEYWORDS)
    return f"cudf engine doesn't support the following keyword arguments: {unknown}" if unknown else None


def _verify_to_parquet(cudf: Any, tmp: str = "/nonexistent/x.parquet") -> None:
    with pytest.raises(ValueError, match="row_group_size"):
        cudf.DataFrame().to_parquet(tmp, row_group_size=5)
    assert "row_group_size_rows" in _parquet_keywords(cudf)


def _row_wise(args: tuple, kwargs: dict) -> bool:
    return kwargs.get("axis", args[0] if args else 0) in (1, "columns")


def _skew_by_row(args: tuple, kwargs: dict) -> str | None:
    return "Only axis=0 is currently supported." if _row_wise(args, kwargs) else None


def _verify_skew(cudf: Any) -> None:
    for how in ("skew", "kurtosis", "kurt"):
        with pytest.raises(NotImplementedError, match="axis=0"):
            getattr(cudf.DataFrame(), how)(axis=1)


def _min_count_by_row(args: tuple, kwargs: dict) -> str | None:
    if _row_wise(args, kwargs) and kwargs.get("min_count") not in (None, 0):
        return "Row-wise operations currently do not support `min_count`."
    return None


def _verify_min_count(cudf: Any) -> None:
    for how in ("sum", "prod", "product"):
        with pytest.raises(NotImplementedError, match="min_count"):
            getattr(cudf.DataFrame(), how)(axis=1, min_count=1)


def _any_all_by_row(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # any/all are not among cuDF's NaN-aware row-wise (CuPy) reductions
    if not _row_wise(args, kwargs):
        return None
    if kwargs.get("skipna", args[1] if len(args) > 1 else True) is False:
        return "Row-wise operations currently do not support `skipna=False` for any/all."
    if obj is not None and (bool(obj.isna().any().any()) or any(dtype.kind == "f" for dtype in obj.dtypes)):
        # cuDF checks col.nullable: a null mask, which a float column converted from data with NaN keeps in
        # slices without a null (here: every float column may carry one)
        return "Row-wise any/all do not currently support columns with null values."
    return None


def _verify_any_all(cudf: Any) -> None:
    import types

    for how in ("any", "all"):
        with pytest.raises(NotImplementedError, match="skipna=False"):
            getattr(cudf.DataFrame(), how)(axis=1, skipna=False)
        nullable = types.SimpleNamespace(_columns=[types.SimpleNamespace(nullable=True)])
        with pytest.raises(ValueError, match="null values"):  # the check before CuPy sees a row
            cudf.DataFrame._prepare_for_rowwise_op(nullable, how, True, False)


def _map_na_action(args: tuple, kwargs: dict) -> str | None:
    na_action = kwargs.get("na_action", args[1] if len(args) > 1 else None)
    return f"na_action={na_action!r} is not supported" if na_action == "ignore" else None


def _verify_map_na_action(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="na_action"):
        cudf.Series.map(cudf.Series.__new__(cudf.Series), {}, na_action="ignore")  # refused before the data


def _csv_text_options(args: tuple, kwargs: dict) -> str | None:
    encoding = kwargs.get("encoding")
    if encoding not in (None, "utf-8"):
        return f"Encoding {encoding} is not supported. Currently, only utf-8 encoding is supported."
    if kwargs.get("quoting") not in (None, 0, 3):  # csv.QUOTE_MINIMAL, csv.QUOTE_NONE
        return f"quoting={kwargs['quoting']} is not supported."
    if not isinstance(kwargs.get("header", True), bool):  # pandas' column aliases: cuDF writes its own labels
        return f"header={kwargs['header']!r}: cuDF's writer takes header=True/False only"
    return None


def _verify_to_csv(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="utf-8"):
        cudf.DataFrame().to_csv(encoding="utf-16")
    with pytest.raises(NotImplementedError, match="quoting"):
        cudf.DataFrame().to_csv(quoting=1)  # csv.QUOTE_ALL
    # header= is a flag (running the writer needs a GPU: read from the source): the names written are the
    # frame's own labels, whatever header holds
    import inspect

    from cudf.io import csv as cudf_csv

    assert inspect.signature(cudf_csv.to_csv).parameters["header"].annotation in (bool, "bool")
    writer = inspect.getsource(cudf_csv._plc_write_csv)
    assert "table._column_names" in writer and ".include_header(header)" in writer


def _quantile_by_row(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    return None if axis in (0, None) else "axis is not implemented yet"


def _verify_quantile(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="axis"):
        cudf.DataFrame().quantile(0.5, axis=1)


def _clip_axis(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[2] if len(args) > 2 else 1)
    return None if axis == 1 else "`axis is not yet supported in clip` (cuDF clips only with its default axis=1)"


def _verify_clip(cudf: Any) -> None:
    for axis in (0, None):
        with pytest.raises(NotImplementedError, match="axis"):
            cudf.DataFrame().clip(lower=0, axis=axis)


def _records_index_name(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # not refused but different: cuDF's record field of the index is always "index" (pandas: its name)
    if not kwargs.get("index", args[0] if args else True) or obj is None:
        return None
    if obj.index.nlevels > 1 or obj.index.name not in (None, "index"):
        return f"cuDF names the index field 'index', not {list(obj.index.names)}"
    return None


def _verify_to_records(cudf: Any) -> None:
    named = cudf.DataFrame(index=cudf.RangeIndex(0, name="i"))  # no rows, no columns: no GPU needed
    assert named.to_records().dtype.names == ("index",)


def _nunique_by_row(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[0] if args else 0)
    return None if axis == 0 else "axis parameter is not supported yet."  # cuDF refuses even "index"


def _verify_nunique(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="axis"):
        cudf.DataFrame().nunique(axis=1)
    with pytest.raises(NotImplementedError, match="axis"):
        cudf.DataFrame().nunique(axis="index")


def _concat_keys(args: tuple, kwargs: dict) -> str | None:
    # cudf.concat takes keys=/levels=/names= in its signature only to refuse them
    given = [k for k in ("keys", "levels", "names") if kwargs.get(k) is not None]
    if given:
        return f"{given[0]} is currently not supported"
    return _concat_duplicate_label(args, kwargs) or _concat_empty_datetime_rows(args, kwargs)


def _concat_empty_datetime_rows(args: tuple, kwargs: dict) -> str | None:
    # rows of several inputs, none of them: cuDF's DataFrame._concat / Series._concat then ask the empty
    # DatetimeIndex for its inferred_freq, which makes a column of size -1 (libcudf's RuntimeError)
    objs = list(args[0]) if args else list(kwargs.get("objs", []))
    if kwargs.get("axis", args[1] if len(args) > 1 else 0) not in (0, "index"):
        return None
    objs = [o for o in objs if type(o).__name__ == "Series" or (type(o).__name__ == "DataFrame" and o.shape != (0, 0))]
    if len(objs) < 2 or sum(len(o) for o in objs) or kwargs.get("ignore_index"):
        return None
    index = objs[0].index
    if type(index).__name__ == "DatetimeIndex" and getattr(index, "freq", None) is None:
        return ("CUDF failure at: column_view.cpp: Column size cannot be negative. (RuntimeError in cuDF: the "
                "empty DatetimeIndex's inferred_freq)")
    return None


def _concat_duplicate_label(args: tuple, kwargs: dict) -> str | None:
    # side by side, cuDF refuses a column label two inputs share (unnamed Series are named 0, 1, ... first)
    objs = list(args[0]) if args else list(kwargs.get("objs", []))
    if kwargs.get("axis", args[1] if len(args) > 1 else 0) not in (1, "columns") or len(objs) < 2:
        return None
    seen, unnamed = set(), 0
    for obj in objs:
        if type(obj).__name__ == "Series":
            labels = [obj.name if obj.name is not None else unnamed]
            unnamed += obj.name is None
        else:
            labels = list(obj.columns)
        for label in labels:
            if label in seen:
                return (f"A Column with duplicate name found: {label}, cuDF doesn't support having multiple "
                        "columns with same names yet.")
            seen.add(label)
    return None


def _verify_concat(cudf: Any) -> None:
    import inspect

    from cudf.core import reshape

    for name in ("keys", "levels", "names"):
        with pytest.raises(NotImplementedError, match=name):
            cudf.concat([cudf.DataFrame()], **{name: ["a"]})  # refused before the data
    # (inputs with columns need a GPU: the duplicate-label refusal is read from the source)
    source = inspect.getsource(reshape._concat_impl)
    assert "A Column with duplicate name found" in source and "same names yet" in source
    from cudf.core.index import DatetimeIndex

    assert "diff.size() - 1" in inspect.getsource(DatetimeIndex.inferred_freq.fget)  # -1 rows for no rows
    assert "inferred_freq" in inspect.getsource(cudf.DataFrame._concat)
    assert "inferred_freq" in inspect.getsource(cudf.Series._concat)


def _groupby_freq_at(position: int) -> Callable[[tuple, dict], str | None]:
    # shift(periods, freq, ...), pct_change(periods, fill_method, freq)
    def check(args: tuple, kwargs: dict) -> str | None:
        freq = kwargs.get("freq", args[position] if len(args) > position else None)
        return "freq is not supported by cuDF's groupby shift/pct_change" if freq is not None else None
    return check


def _verify_groupby_freq(cudf: Any) -> None:
    import types

    from cudf.core.groupby.groupby import GroupBy

    for how in ("pct_change", "shift"):
        with pytest.raises(NotImplementedError, match="freq"):  # refused before the groups are looked at
            getattr(GroupBy, how)(types.SimpleNamespace(), freq="D")


def _scan_by_row_of(how: str) -> Callable[[Any, tuple, dict], str | None]:
    def check(obj: Any, args: tuple, kwargs: dict) -> str | None:
        if how in _CUPY_LACKS_SCANS and _row_wise(args, kwargs):
            return f"module 'cupy' has no attribute {how!r} (AttributeError in cuDF)"
        return _scan_by_row(obj, args, kwargs)
    return check


_CUPY_LACKS_SCANS = ("cummax", "cummin")  # cuDF scans rows with getattr(cupy, how); CuPy 14 has no cummax/cummin


def _scan_by_row(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # row-wise scans are CuPy cumulative functions on a 2-D view: not NaN-aware
    if not _row_wise(args, kwargs):
        return None
    if kwargs.get("skipna", args[1] if len(args) > 1 else True) is False:
        return "Row-wise operations currently do not support `skipna=False` for scans."
    if obj is not None and bool(obj.isna().any().any()):
        return "Row-wise scans do not currently support columns with null values."
    return None


def _verify_scan_by_row(cudf: Any) -> None:
    import types

    for how in ("cumsum", "cumprod", "cummax", "cummin"):
        with pytest.raises(NotImplementedError, match="skipna=False"):
            getattr(cudf.DataFrame(), how)(axis=1, skipna=False)
        nullable = types.SimpleNamespace(_columns=[types.SimpleNamespace(nullable=True)])
        with pytest.raises(ValueError, match="null values"):
            cudf.DataFrame._prepare_for_rowwise_op(nullable, how, True, False)
    for how in _CUPY_LACKS_SCANS:  # a frame without rows, prepared: cuDF looks the scan up in CuPy
        prepared = types.SimpleNamespace(_column_names=[], to_cupy=lambda: [])
        frame = types.SimpleNamespace(_prepare_for_rowwise_op=lambda *a: (prepared, None, None))
        with pytest.raises(AttributeError, match=how):
            cudf.DataFrame._apply_cupy_method_axis_1(frame, how, skipna=True)


def _shift_by_row_or_freq(args: tuple, kwargs: dict) -> str | None:
    # (periods, freq, axis, fill_value, suffix)
    if kwargs.get("axis", args[2] if len(args) > 2 else 0) in (1, "columns"):
        return "Only axis=0 is supported."
    freq = kwargs.get("freq", args[1] if len(args) > 1 else None)
    return "The freq argument is not yet supported." if freq is not None else None


def _diff_by_row(args: tuple, kwargs: dict) -> str | None:
    axis = kwargs.get("axis", args[1] if len(args) > 1 else 0)
    return "Only axis=0 is supported." if axis in (1, "columns") else None


def _verify_shift_and_diff(cudf: Any) -> None:
    from cudf.core.indexed_frame import IndexedFrame

    assert cudf.Series.shift is IndexedFrame.shift and cudf.DataFrame.shift is IndexedFrame.shift
    with pytest.raises(NotImplementedError, match="axis=0"):
        cudf.DataFrame().shift(1, axis=1)
    with pytest.raises(NotImplementedError, match="freq"):
        cudf.DataFrame().shift(1, freq="D")
    with pytest.raises(NotImplementedError, match="axis=0"):
        cudf.DataFrame().diff(1, axis=1)


def _groupby_observed(args: tuple, kwargs: dict) -> str | None:
    # (by, axis, level, as_index, sort, group_keys, observed, dropna)
    observed = kwargs.get("observed", args[6] if len(args) > 6 else True)
    return None if observed else "observed parameter is not yet implemented (cuDF groups observed categories)"


def _verify_groupby_observed(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="observed"):
        cudf.DataFrame().groupby([], observed=False)  # refused before the keys are looked at


def _merge_indicator(args: tuple, kwargs: dict) -> str | None:
    return "Only indicator=False is currently supported" if kwargs.get("indicator") else None


def _verify_merge_indicator(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="indicator"):
        cudf.DataFrame().merge(cudf.DataFrame(), indicator=True)  # refused before the data
    with pytest.raises(NotImplementedError, match="indicator"):
        cudf.merge(cudf.DataFrame(), cudf.DataFrame(), indicator="side")


def _rolling_options(args: tuple, kwargs: dict) -> str | None:
    # (window, min_periods, center, win_type, on, axis, closed, step, method); groupby rolling passes them on
    def given(name: str, position: int, default: Any = None) -> Any:
        return kwargs.get(name, args[position] if len(args) > position else default)

    window = given("window", 0)
    if given("closed", 6) not in (None, "right"):
        return "closed is currently not supported"
    if given("center", 2, False) and (isinstance(window, str) or hasattr(window, "total_seconds")):
        return "center is not implemented for frequency-based windows"
    if given("on", 4) is not None or given("step", 7) is not None or given("method", 8, "single") != "single":
        return "on/step/method are currently not supported"
    return None


def _verify_rolling(cudf: Any) -> None:
    import types

    import pandas as pd

    from cudf.core.window.rolling import Rolling, RollingGroupby

    assert issubclass(RollingGroupby, Rolling)  # groupby rolling takes the same checks
    for kwargs in ({"closed": "both"}, {"closed": "left"}, {"on": "x"}, {"step": 2}, {"method": "table"}):
        with pytest.raises(NotImplementedError, match="not supported"):
            cudf.DataFrame().rolling(3, **kwargs)
    with pytest.raises(NotImplementedError, match="center"):  # raised when the windows are made, before the data
        Rolling._plc_windows.func(types.SimpleNamespace(window=pd.Timedelta("2h"), center=True))


def _resample_options(args: tuple, kwargs: dict) -> str | None:
    # (rule, closed, label, convention, on, level, origin, offset, group_keys)
    def given(name: str, position: int, default: Any = None) -> Any:
        return kwargs.get(name, args[position] if len(args) > position else default)

    if given("origin", 6, "start_day") != "start_day" or given("offset", 7) is not None:
        return "origin/offset is currently not supported."
    if given("convention", 3, "start") != "start" or given("group_keys", 8, False):
        return "convention/group_keys is currently not supported."
    return None


def _verify_resample(cudf: Any) -> None:
    import pandas as pd

    for kwargs in ({"origin": pd.Timestamp("2020")}, {"origin": "epoch"}, {"offset": "1h"}, {"convention": "end"},
                   {"group_keys": True}):
        with pytest.raises(NotImplementedError, match="not supported"):
            cudf.DataFrame().resample("1h", **kwargs)  # refused before the index is looked at


def _fill_options(args: tuple, kwargs: dict) -> str | None:
    # ffill/bfill take keywords only (axis, inplace, limit, limit_area)
    if kwargs.get("limit") is not None:
        return "The limit keyword is not supported"
    if kwargs.get("axis"):
        return "The axis keyword is not supported"
    return None


def _verify_fill(cudf: Any) -> None:
    for how in ("ffill", "bfill"):
        with pytest.raises(NotImplementedError, match="limit"):
            getattr(cudf.DataFrame(), how)(limit=1)  # refused before the data
        with pytest.raises(NotImplementedError, match="axis"):
            getattr(cudf.DataFrame(), how)(axis=1)


def _replace_regex(args: tuple, kwargs: dict) -> str | None:
    # (to_replace, value, inplace, regex)
    regex = kwargs.get("regex", args[3] if len(args) > 3 else False)
    if regex:
        return "regex parameter is not implemented yet"
    return _replace_nested_dict(args, kwargs)


def _replace_nested_dict(args: tuple, kwargs: dict) -> str | None:
    # {column: {old: new}} without value: cuDF reads the dict as {old: new} for every column (the inner dicts
    # become the new values, a struct column) and fails
    to_replace = kwargs.get("to_replace", args[0] if args else None)
    value = kwargs.get("value", args[1] if len(args) > 1 else None)
    if isinstance(to_replace, dict) and value is None and any(isinstance(v, dict) for v in to_replace.values()):
        return "to_replace and value should be of same types, got to_replace dtype: str and value dtype: struct"
    return None


def _verify_replace(cudf: Any) -> None:
    import inspect

    from cudf.core import indexed_frame

    with pytest.raises(NotImplementedError, match="regex"):
        cudf.DataFrame().replace("^a$", "b", regex=True)  # refused before the data
    # a dict without value is {old: new} for every column (no nested {column: {old: new}} form)
    source = inspect.getsource(indexed_frame._get_replacement_values_for_columns)
    assert "col: list(to_replace.values()) for col in columns_dtype_map" in source


_FLEX = ("add", "sub", "mul", "div", "truediv", "floordiv", "mod", "pow", "radd", "rsub", "rmul", "rdiv",
         "rtruediv", "rfloordiv", "rmod", "rpow", "eq", "ne", "lt", "le", "gt", "ge", "subtract", "multiply",
         "divide")


def _flex_level(args: tuple, kwargs: dict) -> str | None:
    # (other, axis, level, fill_value): cuDF's arithmetic refuses level, its comparisons ignore it
    level = kwargs.get("level")
    return "level parameter is not supported (or ignored) by cuDF" if level is not None else None


_COMPARISONS = ("eq", "ne", "lt", "le", "gt", "ge")


def _flex_frame(args: tuple, kwargs: dict) -> str | None:
    # DataFrame (other, axis, level, fill_value): cuDF's make_binop_func wrapper takes axis=1 only
    axis = kwargs.get("axis", args[1] if len(args) > 1 else "columns")
    return _flex_level(args, kwargs) or (None if axis in (1, "columns") else "Only axis=1 supported at this time.")


def _flex_series(args: tuple, kwargs: dict) -> str | None:
    # Series (other, level, fill_value, axis): axis=0 only ("index" too is refused: the check is axis != 0)
    axis = kwargs.get("axis", args[3] if len(args) > 3 else 0)
    return _flex_level(args, kwargs) or (None if axis == 0 else "Only axis=0 supported at this time.")


def _verify_flex_axis(cudf: Any) -> None:
    _verify_flex_level(cudf)
    for how in _FLEX:
        for axis in (0, "index"):
            with pytest.raises(NotImplementedError, match="axis=1"):
                getattr(cudf.DataFrame(), how)(1, axis=axis)  # refused before the operands are looked at
        with pytest.raises(NotImplementedError, match="axis=0"):
            getattr(cudf.Series, how)(None, 1, axis="index")  # (the check comes before self is used)


def _verify_flex_level(cudf: Any) -> None:
    import inspect

    for how in _FLEX:
        if how in _COMPARISONS:  # taken and ignored: the operands are aligned on the whole index, not broadcast
            for cls in (cudf.DataFrame, cudf.Series):
                method = getattr(cls, how)
                body = inspect.getsource(method).split(f"def {how}(", 1)[1].split(":\n", 1)[1]
                assert "level" in inspect.signature(method).parameters and "level" not in body, how
            continue
        with pytest.raises(NotImplementedError, match="level"):
            getattr(cudf.DataFrame(), how)(1, level="n")  # refused before the operands are looked at


def _rename_labels(args: tuple, kwargs: dict) -> str | None:
    # Series.rename(index, ...): cuDF takes a scalar (the new name) only
    import pandas as pd

    index = kwargs.get("index", args[0] if args else None)
    return None if pd.api.types.is_scalar(index) else ".rename does not currently support relabeling the index."


def _verify_rename_labels(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="relabeling the index"):
        cudf.Series.rename(None, {0: 1})  # refused before self is used


def _join_on(args: tuple, kwargs: dict) -> str | None:
    # (other, on, how, lsuffix, rsuffix, sort, validate)
    on = kwargs.get("on", args[1] if len(args) > 1 else None)
    return "The on parameter is not yet supported" if on is not None else None


def _verify_join_on(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="on parameter"):
        cudf.DataFrame().join(cudf.DataFrame(), on="k")


def _melt_columns(args: tuple, kwargs: dict) -> str | None:
    frame = kwargs.get("frame", args[0] if args else None)
    data = getattr(frame, "_pd", None)  # the stand-in's pandas frame
    if data is None:
        return None
    if kwargs.get("col_level") is not None:
        return "col_level != None is not supported yet."
    ids = kwargs.get("id_vars") or []
    ids = list(ids) if isinstance(ids, (list, tuple)) else [ids]
    values = kwargs.get("value_vars")
    values = [c for c in data.columns if c not in ids] if values is None else \
        (list(values) if isinstance(values, (list, tuple)) else [values])
    if any(str(data[c].dtype) == "category" for c in ids + values):
        return "Categorical columns are not yet supported for function"
    if len({str(data[c].dtype) for c in values}) > 1:
        return "all cols in value_vars must have the same dtype"
    return None


def _verify_melt(cudf: Any) -> None:
    import inspect

    from cudf.core import reshape  # (building columns needs a GPU: the checks are read from the source)

    source = inspect.getsource(reshape.melt)
    for refusal in ("Categorical columns are not yet supported", "all cols in value_vars must have the same dtype",
                    "col_level != None is not supported"):
        assert refusal in source, refusal


def _memory_usage_multiindex_columns(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # cuDF labels the result with ["Index", *columns.astype(str)]: pandas refuses astype(str) on a MultiIndex
    import pandas as pd

    index = kwargs.get("index", args[0] if args else True)
    if index and obj is not None and isinstance(obj.columns, pd.MultiIndex):
        return "Setting a MultiIndex dtype to anything other than object is not supported (TypeError in cuDF)"
    return None


def _verify_memory_usage(cudf: Any) -> None:
    import pandas as pd

    frame = cudf.DataFrame()
    frame.columns = pd.MultiIndex.from_arrays([[], []])
    with pytest.raises(TypeError, match="Setting a MultiIndex dtype"):
        frame.memory_usage(deep=True)


def _where_temporal_scalar(args: tuple, kwargs: dict) -> str | None:
    # cuDF types a scalar ``other`` by np.min_scalar_type: a pd.Timestamp/Timedelta (datetime/timedelta) is
    # "object" there, the common type becomes a string and pyarrow refuses the value (NumPy's datetime64 is typed)
    import datetime

    import pandas as pd

    other = kwargs.get("other", args[1] if len(args) > 1 else None)
    if isinstance(other, (datetime.datetime, datetime.timedelta)) and other is not pd.NaT:
        return f"Expected bytes, got a {type(other).__name__!r} object (pyarrow's ArrowTypeError in cuDF)"
    return None


def _verify_where_temporal_scalar(cudf: Any) -> None:
    import inspect

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    from cudf.core.column.column import ColumnBase
    from cudf.utils.dtypes import cudf_dtype_to_pa_type, find_common_type

    # (columns need a GPU: the steps of ColumnBase._cast_self_and_other_for_where, one by one)
    assert "np.min_scalar_type(other)" in inspect.getsource(ColumnBase._cast_self_and_other_for_where)
    for value, dtype in ((pd.Timestamp("2021-01-01"), "M8[ns]"), (pd.Timedelta("1D"), "m8[ns]")):
        common = find_common_type([np.dtype(dtype), np.min_scalar_type(value)])
        with pytest.raises(pa.ArrowTypeError, match="Expected bytes"):
            pa.scalar(value, type=cudf_dtype_to_pa_type(common))
    assert find_common_type([np.dtype("M8[ns]"), np.min_scalar_type(np.datetime64(1, "s"))]) == np.dtype("M8[ns]")


def _agg_function_keywords(args: tuple, kwargs: dict) -> str | None:
    # GroupBy.agg(func, **kwargs): cuDF reads kwargs as named aggregations only without func; with one it drops
    # them silently (agg("std", ddof=0) gives ddof=1): refused here, as a wrong answer would be on a GPU
    func = kwargs.get("func", args[0] if args else None)
    extra = sorted(set(kwargs) - {"func", "engine", "engine_kwargs"})
    if func is not None and extra:
        return f"cuDF's GroupBy.agg ignores the function's keywords {extra} (it would compute without them)"
    return None


def _verify_agg_function_keywords(cudf: Any) -> None:
    import inspect

    from cudf.core.groupby.groupby import GroupBy

    source = inspect.getsource(GroupBy._normalize_aggs)
    assert "elif not aggs and kwargs:" in source  # the keywords are read only without a function
    assert "func, **kwargs" in inspect.getsource(GroupBy.agg)


# cuDF's Aggregation class's names (cudf.core._internals.aggregation): a callable aggregation is called with it
_AGGREGATIONS = ("all", "any", "collect", "corr", "count", "cov", "cumcount", "cummax", "cummin", "cumprod",
                 "cumsum", "ewma", "first", "idxmax", "idxmin", "last", "max", "mean", "median", "min", "nth",
                 "nunique", "prod", "product", "quantile", "rank", "size", "std", "sum", "sum_of_squares",
                 "unique", "var")


class _Aggregated:
    """What a method of the probe gives: an aggregation."""


class _AggregationProbe:
    """Stands in for cuDF's ``Aggregation`` class, which cuDF's ``make_aggregation`` calls a callable with."""


for _name in _AGGREGATIONS:
    setattr(_AggregationProbe, _name, staticmethod(lambda *args, **kwargs: _Aggregated()))


def _transform_function(args: tuple, kwargs: dict) -> str | None:
    # GroupBy.transform(func): cuDF runs gb.agg(func); a callable must be an aggregation (lambda x: x.sum())
    func = kwargs.get("func", args[0] if args else None)
    if not callable(func) or isinstance(func, type):
        return None
    try:
        aggregated = isinstance(func(_AggregationProbe), _Aggregated)
    except Exception:  # noqa: BLE001 - cuDF's TypeError: the callable is not an aggregation
        aggregated = False
    return None if aggregated else "Currently, `transform()` supports only aggregations."


def _verify_transform_function(cudf: Any) -> None:
    import inspect

    from cudf.core._internals.aggregation import Aggregation, make_aggregation
    from cudf.core.groupby.groupby import GroupBy

    assert "supports only aggregations" in inspect.getsource(GroupBy.transform)
    assert set(_AGGREGATIONS) <= set(dir(Aggregation))
    make_aggregation(lambda x: x.quantile(0.5))
    with pytest.raises(TypeError):
        make_aggregation(lambda v: v - v.mean())


def _corr_cov_null_counts(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # cuDF pairs the value columns as struct columns, whose children must have the same null count
    import pandas as pd

    frame, keys = getattr(obj, "obj", None), getattr(obj, "keys", None)
    if not isinstance(frame, pd.DataFrame):
        return None
    keys = list(keys) if isinstance(keys, (list, tuple)) else [keys]
    values = [c for c in frame.columns if not any(c is k or (isinstance(k, str) and c == k) for k in keys)]
    if len({int(frame[c].isna().sum()) for c in values}) > 1:
        return "All child columns must be of type Column and have the same size and null count."
    return None


def _verify_corr_cov_null_counts(cudf: Any) -> None:
    import inspect

    from cudf.core.groupby.groupby import GroupBy

    assert "plc.Column.struct_from_children" in inspect.getsource(GroupBy._cov_or_corr)


RESTRICTIONS = [
    Restriction(("cudf",), "melt", _melt_columns, _verify_melt),
    Restriction(("DataFrameGroupBy",), "corr", _corr_cov_null_counts, _verify_corr_cov_null_counts, needs_data=True),
    Restriction(("DataFrameGroupBy",), "cov", _corr_cov_null_counts, _verify_corr_cov_null_counts, needs_data=True),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "transform", _transform_function, _verify_transform_function),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "agg", _agg_function_keywords, _verify_agg_function_keywords),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "aggregate", _agg_function_keywords,
                _verify_agg_function_keywords),
    Restriction(("DataFrame", "Series"), "where", _where_temporal_scalar, _verify_where_temporal_scalar),
    Restriction(("DataFrame", "Series"), "mask", _where_temporal_scalar, _verify_where_temporal_scalar),
    Restriction(("DataFrame",), "memory_usage", _memory_usage_multiindex_columns, _verify_memory_usage,
                needs_data=True),
    *[Restriction(("DataFrame",), how, _flex_frame, _verify_flex_axis) for how in _FLEX],
    *[Restriction(("Series",), how, _flex_series, _verify_flex_axis) for how in _FLEX],
    Restriction(("DataFrame",), "join", _join_on, _verify_join_on),
    Restriction(("Series",), "rename", _rename_labels, _verify_rename_labels),
    Restriction(("DataFrame", "Series"), "replace", _replace_regex, _verify_replace),
    Restriction(("DataFrame", "Series"), "ffill", _fill_options, _verify_fill),
    Restriction(("DataFrame", "Series"), "bfill", _fill_options, _verify_fill),
    Restriction(("DataFrame", "Series", "DataFrameGroupBy", "SeriesGroupBy"), "rolling", _rolling_options,
                _verify_rolling),
    Restriction(("DataFrame", "Series"), "resample", _resample_options, _verify_resample),
    Restriction(("DataFrame", "cudf"), "merge", _merge_indicator, _verify_merge_indicator),
    Restriction(("DataFrame", "Series"), "groupby", _groupby_observed, _verify_groupby_observed),
    Restriction(("cudf",), "concat", _concat_keys, _verify_concat),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "pct_change", _groupby_freq_at(2), _verify_groupby_freq),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "shift", _groupby_freq_at(1), _verify_groupby_freq),
    Restriction(("DataFrame",), "cumsum", _scan_by_row, _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame",), "cumprod", _scan_by_row, _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame",), "cummax", _scan_by_row_of("cummax"), _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame",), "cummin", _scan_by_row_of("cummin"), _verify_scan_by_row, needs_data=True),
    Restriction(("DataFrame", "Series"), "shift", _shift_by_row_or_freq, _verify_shift_and_diff),
    Restriction(("DataFrame",), "diff", _diff_by_row, _verify_shift_and_diff),
    Restriction(("DataFrame",), "nunique", _nunique_by_row, _verify_nunique),
    Restriction(("DataFrame",), "to_records", _records_index_name, _verify_to_records, needs_data=True),
    Restriction(("DataFrame", "Series"), "clip", _clip_axis, _verify_clip),
    Restriction(("DataFrame",), "quantile", _quantile_by_row, _verify_quantile),
    Restriction(("DataFrame",), "to_csv", _csv_text_options, _verify_to_csv),
    Restriction(("DataFrame",), "skew", _skew_by_row, _verify_skew),
    Restriction(("DataFrame",), "kurtosis", _skew_by_row, _verify_skew),
    Restriction(("DataFrame",), "kurt", _skew_by_row, _verify_skew),
    Restriction(("DataFrame",), "sum", _min_count_by_row, _verify_min_count),
    Restriction(("DataFrame",), "prod", _min_count_by_row, _verify_min_count),
    Restriction(("DataFrame",), "product", _min_count_by_row, _verify_min_count),
    Restriction(("DataFrame",), "any", _any_all_by_row, _verify_any_all, needs_data=True),
    Restriction(("DataFrame",), "all", _any_all_by_row, _verify_any_all, needs_data=True),
    Restriction(("Series",), "map", _map_na_action, _verify_map_na_action),
    Restriction(("DataFrame", "Series"), "sort_index", _kind_not_quicksort, _verify_sort_index),
    Restriction(("DataFrame", "Series"), "sort_values", _kind_not_quicksort, _verify_sort_values),
    Restriction(("DataFrame",), "to_parquet", _unknown_parquet_keyword, _verify_to_parquet),
]
_BY_CALL = {(cls, r.method): r for r in RESTRICTIONS for cls in r.classes}


def load_parquet_keywords(spec: dict) -> None:
    _PARQUET_KEYWORDS.update(spec["classes"]["DataFrame"]["to_parquet"]["params"])


def check_call(cls: str, method: str, args: tuple, kwargs: dict, obj: Any = None) -> None:
    """Raise ``StrictCudfRefusal`` if cuDF refuses (or falls back on) this call (``obj``: the pandas object
    the method is called on)."""
    restriction = _BY_CALL.get((cls, method))
    if restriction is None:
        return
    message = restriction.check(obj, args, kwargs) if restriction.needs_data else restriction.check(args, kwargs)
    if message:
        raise StrictCudfRefusal(f"strict cuDF: {cls}.{method}: {message}")
