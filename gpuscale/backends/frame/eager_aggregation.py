"""Partition functions of the aggregate-before-join rewrite (``gpuscale.dataframe.expr.eager_aggregation``)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.groupby import groupby_chunk

__all__ = ["keyed_partials", "missing_counts_as_zero"]


def keyed_partials(df: Any, by: list, partials: tuple, dropna: bool = True) -> Any:
    """The group-by partials of one partition with its keys as columns (ready to be joined on them); after a
    shuffle by the keys, the complete aggregates (the rows of each key stay in their partition)."""
    return groupby_chunk(df, by, partials, dropna).reset_index()


def missing_counts_as_zero(df: Any, columns: list) -> Any:
    """Counts a left join left missing (rows without a match) as 0, in the counts' int64."""
    out = df.copy(deep=False)
    for column in columns:
        out[column] = df[column].fillna(0).astype("int64")
    return out
