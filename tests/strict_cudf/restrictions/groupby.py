"""Grouping: the ``groupby`` keywords and the group-wise methods' arguments cuDF takes."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from .base import Restriction


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


def _groupby_observed(args: tuple, kwargs: dict) -> str | None:
    # (by, axis, level, as_index, sort, group_keys, observed, dropna)
    observed = kwargs.get("observed", args[6] if len(args) > 6 else True)
    return None if observed else "observed parameter is not yet implemented (cuDF groups observed categories)"


def _verify_groupby_observed(cudf: Any) -> None:
    with pytest.raises(NotImplementedError, match="observed"):
        cudf.DataFrame().groupby([], observed=False)  # refused before the keys are looked at


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
    Restriction(("DataFrameGroupBy",), "corr", _corr_cov_null_counts, _verify_corr_cov_null_counts, needs_data=True),
    Restriction(("DataFrameGroupBy",), "cov", _corr_cov_null_counts, _verify_corr_cov_null_counts, needs_data=True),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "transform", _transform_function, _verify_transform_function),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "agg", _agg_function_keywords, _verify_agg_function_keywords),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "aggregate", _agg_function_keywords,
                _verify_agg_function_keywords),
    Restriction(("DataFrame", "Series"), "groupby", _groupby_observed, _verify_groupby_observed),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "pct_change", _groupby_freq_at(2), _verify_groupby_freq),
    Restriction(("DataFrameGroupBy", "SeriesGroupBy"), "shift", _groupby_freq_at(1), _verify_groupby_freq),
]
