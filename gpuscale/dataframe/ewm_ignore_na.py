"""``ewm(ignore_na=True)``: pandas' weights age only at valid values.

So a column's results are those of its valid values alone (an ``ewm()`` of ``s[s.notna()]``, which has no
missing values to age the weights), and each missing row shows the last result before it, as pandas does.  The
results of a partition's valid rows are spread over its rows and an ``ffill`` across partitions carries the last
result into the missing rows that open a partition (:mod:`gpuscale.backends.frame.valid_rows`).  A DataFrame's
columns are computed one by one (each has its own valid rows) and put side by side.
"""

from __future__ import annotations

import copy
from typing import Any

from gpuscale.backends import frame as bf

__all__ = ["ignoring_missing"]


def ignoring_missing(window: Any, how: str, other: Any = None, **options: Any) -> Any:
    """``window.<how>(other, **options)`` with ``ignore_na=True`` semantics (see the module)."""
    obj = window.obj
    if bf.is_series_like(obj._meta):
        return _one_column(window, obj, how, other, options)
    if how in ("cov", "corr") and other is None and options.get("pairwise", None) in (None, True):
        raise NotImplementedError(f"ewm(ignore_na=True).{how}() of every pair of a DataFrame's columns is not "
                                  f"supported: give other= (a Series), or take pairs as df.a.ewm(...).{how}(df.b)")
    columns = obj._meta.columns  # (an Index: its name stays)
    results = [_one_column(window, obj.iloc[:, j], how, other, options).rename(f"__{j}")
               for j in range(len(columns))]
    return _side_by_side(results, columns, f"ewm-{how}")


def _one_column(window: Any, column: Any, how: str, other: Any, options: dict) -> Any:
    valid = column.notna() if other is None else column.notna() & other.notna()
    inner = copy.copy(window)
    inner.obj, inner.ignore_na = column[valid], False
    results = getattr(inner, how)(*(() if other is None else (other[valid],)), **options)
    spread = valid.map_partitions(bf.spread_valid_results, results,
                                  meta=bf.spread_valid_results(valid._meta, results._meta), token="ewm-spread")
    name = results._meta.name
    return spread.ffill().map_partitions(bf.known_results, name=name, meta=bf.known_results(spread._meta, name),
                                         token="ewm-known")


def _side_by_side(results: list, labels: list, label: str) -> Any:
    from gpuscale.dataframe.core import new_collection
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr
    from gpuscale.dataframe.multi import concat

    joined = concat(results, axis=1, ignore_unknown_divisions=True)  # each from the same partitions
    meta = bf.with_column_labels(joined._meta, labels)
    return new_collection(map_partitions_expr(bf.with_column_labels, joined.expr, kwargs={"labels": labels},
                                              meta=meta, label=label))
