"""Combining and reshaping: ``concat``, ``merge``, ``join`` and ``melt`` arguments cuDF refuses."""

from __future__ import annotations

from typing import Any

import pytest

from .base import Restriction


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


def _merge_indicator(args: tuple, kwargs: dict) -> str | None:
    return "Only indicator=False is currently supported" if kwargs.get("indicator") else None


def _verify_merge_indicator(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="indicator"):
        cudf.DataFrame().merge(cudf.DataFrame(), indicator=True)  # refused before the data
    with pytest.raises(NotImplementedError, match="indicator"):
        cudf.merge(cudf.DataFrame(), cudf.DataFrame(), indicator="side")


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


RESTRICTIONS = [
    Restriction(("cudf",), "melt", _melt_columns, _verify_melt),
    Restriction(("DataFrame",), "join", _join_on, _verify_join_on),
    Restriction(("DataFrame", "cudf"), "merge", _merge_indicator, _verify_merge_indicator),
    Restriction(("cudf",), "concat", _concat_keys, _verify_concat),
]
