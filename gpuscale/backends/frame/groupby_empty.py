"""pandas' groupby ``sum``/``prod`` of a group without a valid value (0 / 1) from cuDF's results.

libcudf's groupby reductions skip nulls and give null for a group that has none (cuDF's ``GroupBy._reduce``
masks only for ``min_count > 0``), where pandas gives the reduction's value of no values.  The tree
aggregation's sums are finished in :mod:`.groupby`; these are the results of cuDF's own groupby methods and
``agg`` on whole groups.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_dataframe_like, is_series_like, library_of

__all__ = ["empty_groups_valued"]

# pandas' value of a reduction of no valid values
_OF_NO_VALUES = {"sum": 0, "prod": 1, "product": 1}


def empty_groups_valued(out: Any, how: str, arg: Any = None, kwargs: dict | None = None) -> Any:
    """``out`` of ``grouped.<how>(arg, **kwargs)`` with pandas' 0 (sum) or 1 (prod) for the groups without a
    valid value (cuDF: null); with ``min_count`` >= 1 those stay missing, as pandas'.

    Examples
    --------
    >>> import pandas as pd
    >>> out = pd.Series([6.0, float("nan")])
    >>> empty_groups_valued(out, "prod") is out  # (pandas' own results are pandas')
    True
    """
    kwargs = kwargs or {}
    if library_of(out) != "cudf" or _positive(kwargs.get("min_count")):
        return out
    if is_series_like(out):
        name = how if how != "agg" else arg
        return _filled(out, _OF_NO_VALUES.get(name)) if isinstance(name, str) else out
    if not is_dataframe_like(out) or not out.columns.is_unique:
        return out
    functions = {label: _function_of(label, how, arg, kwargs) for label in out.columns}
    fills = {label: _OF_NO_VALUES[f] for label, f in functions.items() if isinstance(f, str) and f in _OF_NO_VALUES}
    if not fills:
        return out
    out = out.copy(deep=False)
    for label, value in fills.items():
        out[label] = _filled(out[label], value)
    return out


def _positive(min_count: Any) -> bool:
    return isinstance(min_count, (int, float)) and not isinstance(min_count, bool) and min_count > 0


def _filled(values: Any, value: Any) -> Any:
    numeric = getattr(values.dtype, "kind", "O") in "iufc"  # (a timedelta's or a string's empty sum: left)
    return values.fillna(value) if value is not None and numeric else values


def _function_of(label: Any, how: str, arg: Any, kwargs: dict) -> Any:
    """The function name that made column ``label`` of a grouped frame's result (None: not known or a callable)."""
    if how != "agg":
        return how
    if arg is None:  # named aggregations: label -> (column, function), a NamedAgg, or a function of a Series
        spec = kwargs.get(label) if not isinstance(label, tuple) else None
        spec = getattr(spec, "aggfunc", spec)
        return spec[1] if isinstance(spec, tuple) and len(spec) == 2 else spec
    if isinstance(arg, str):
        return arg
    if isinstance(arg, dict) and isinstance(arg.get(label), str):
        return arg[label]
    if isinstance(label, tuple):  # (column, function) of a list, or of a dict of lists
        return label[-1]
    return label if isinstance(arg, list) else None  # (a grouped Series' list: the columns are the functions)
