"""Values mapped, filled or replaced: ``map``, ``ffill``/``bfill``, ``replace``, ``where``/``mask``."""

from __future__ import annotations

from typing import Any

import pytest

from .base import Restriction


def _map_na_action(args: tuple, kwargs: dict) -> str | None:
    na_action = kwargs.get("na_action", args[1] if len(args) > 1 else None)
    return f"na_action={na_action!r} is not supported" if na_action == "ignore" else None


def _verify_map_na_action(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="na_action"):
        cudf.Series.map(cudf.Series.__new__(cudf.Series), {}, na_action="ignore")  # refused before the data


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


def _where_temporal_scalar(obj: Any, args: tuple, kwargs: dict) -> str | None:
    # cuDF types a scalar ``other`` by np.min_scalar_type: a pd.Timestamp/Timedelta (datetime/timedelta) is
    # "object" there, the common type becomes a string and pyarrow refuses the value (NumPy's datetime64 is typed,
    # but its common type with a tz-aware column is object too: no non-missing scalar fills a tz-aware column)
    import datetime

    import numpy as np
    import pandas as pd

    other = kwargs.get("other", args[1] if len(args) > 1 else None)
    if isinstance(other, (datetime.datetime, datetime.timedelta)) and other is not pd.NaT:
        return f"Expected bytes, got a {type(other).__name__!r} object (pyarrow's ArrowTypeError in cuDF)"
    dtypes = obj.dtypes.tolist() if isinstance(obj, pd.DataFrame) else [getattr(obj, "dtype", None)]
    if isinstance(other, np.datetime64) and not np.isnat(other) \
            and any(isinstance(d, pd.DatetimeTZDtype) for d in dtypes):
        return "Expected bytes, got a 'numpy.datetime64' object (pyarrow's ArrowTypeError in cuDF: a tz-aware column)"
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
    tz = pd.DatetimeTZDtype("ns", "UTC")  # a tz-aware column: a datetime64 is no better than a Timestamp
    assert find_common_type([tz, np.min_scalar_type(np.datetime64(1, "s"))]) == np.dtype("object")
    assert find_common_type([tz, tz]) == tz  # (a column of the same dtype is taken)


RESTRICTIONS = [
    Restriction(("DataFrame", "Series"), "where", _where_temporal_scalar, _verify_where_temporal_scalar,
                needs_data=True),
    Restriction(("DataFrame", "Series"), "mask", _where_temporal_scalar, _verify_where_temporal_scalar,
                needs_data=True),
    Restriction(("DataFrame", "Series"), "replace", _replace_regex, _verify_replace),
    Restriction(("DataFrame", "Series"), "ffill", _fill_options, _verify_fill),
    Restriction(("DataFrame", "Series"), "bfill", _fill_options, _verify_fill),
    Restriction(("Series",), "map", _map_na_action, _verify_map_na_action),
]
