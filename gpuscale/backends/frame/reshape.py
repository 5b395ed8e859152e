"""Reshaping partitions: dummies, melt, and the last step of a pivot table (pandas or cuDF)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import namespace

__all__ = ["get_dummies_partition", "melt_partition", "pivot_partition"]


def get_dummies_partition(part: Any, **kwargs: Any) -> Any:
    """``get_dummies`` of one partition (its categorical columns give one column per category)."""
    return namespace(part).get_dummies(part, **kwargs)


def melt_partition(part: Any, **kwargs: Any) -> Any:
    """``melt`` of one partition."""
    return namespace(part).melt(part, **kwargs)


def pivot_partition(aggregated: Any, columns_name: Any, categories: list, fill_value: Any = None) -> Any:
    """The pivot table from a Series aggregated by ``(index, columns)``: one column per category."""
    import pandas as pd

    frame = aggregated.reset_index()  # (cuDF's Series has no unstack)
    index, columns, values = list(frame.columns)
    table = frame.pivot(index=index, columns=columns, values=values)
    table = table.reindex(columns=categories).astype("float64")  # NaN where no rows
    table.columns = pd.CategoricalIndex(categories, categories=categories, name=columns_name)  # as dask's
    return table if fill_value is None else table.fillna(fill_value)
