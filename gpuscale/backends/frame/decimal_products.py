"""``prod`` of Arrow decimal columns as pandas gives it, whatever the partitions.

pyarrow multiplies decimals one value after another, rounding every product to the column's scale
(``1.25 * 3.33 * 7.77 * 2.51`` of ``decimal128(10, 2)``: ``81.12``, not the exact ``81.17998875``), so the
answer depends on the order and grouping of the multiplications: partial products of the partitions
multiplied together give another number (and another scale).  These columns' values are therefore
gathered in their order and multiplied once, by pandas (a product of decimals overflows within a few dozen
values of any size, so there are few to gather); the other columns are reduced as any ``prod``
(:mod:`gpuscale.backends.frame.reductions`).  A partial is ``{"rows": <the decimal values>}``, with the
other columns' ordinary partial under ``"rest"``.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.core import is_dataframe_like, is_decimal_dtype, is_series_like, library_of
from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.reductions import reduce_aggregate, reduce_chunk, reduce_combine, reduction_meta

__all__ = ["decimal_columns", "decimal_prod_chunk", "decimal_prod_combine", "decimal_prod_aggregate"]


def decimal_columns(meta: Any) -> list:
    """The Arrow decimal columns of a pandas ``meta`` (``[None]``: a decimal Series); empty otherwise."""
    if library_of(meta) != "pandas":
        return []
    if is_series_like(meta):
        return [None] if is_decimal_dtype(meta.dtype) else []
    return [c for c, d in meta.dtypes.items() if is_decimal_dtype(d)]


def _split(part: Any, skipna: bool) -> tuple:
    """``(decimal values, the other columns or None)`` of a partition (a Series' missing values dropped where
    they are skipped: pandas multiplies the others)."""
    if is_series_like(part):
        return (part.dropna() if skipna else part), None
    columns = decimal_columns(part)
    rest = part.drop(columns=columns)
    return part[columns], (rest if len(rest.columns) else None)


def decimal_prod_chunk(part: Any, how: str = "prod", skipna: bool = True, min_count: int = 0) -> dict | None:
    """A partition's partial ``prod``: its decimal values as they are, the other columns' partial product."""
    if len(part) == 0:
        return None
    rows, rest = _split(part, skipna)
    out = {"rows": rows}
    if rest is not None:
        out["rest"] = reduce_chunk(rest, how, skipna, min_count)
    return out


def decimal_prod_combine(partials: list, how: str = "prod", skipna: bool = True, **kwargs: Any) -> dict | None:
    """Partials of :func:`decimal_prod_chunk` as one: the decimal values in order, the rest combined."""
    partials = [p for p in partials if p is not None]
    if not partials:
        return None
    out = {"rows": concat([p["rows"] for p in partials])}
    if "rest" in partials[0]:
        out["rest"] = reduce_combine([p["rest"] for p in partials], how, skipna)
    return out


def decimal_prod_aggregate(partials: list, how: str = "prod", meta: Any = None, skipna: bool = True,
                           result_meta: Any = None, min_count: int = 0, **kwargs: Any) -> Any:
    """pandas' ``prod`` of the input: of the decimal values gathered (pandas' own, one multiplication after
    another), of the other columns from their partial products; in ``result_meta``'s order and dtype."""
    combined = decimal_prod_combine(partials, how, skipna)
    if combined is None:  # no rows anywhere
        return meta.prod(skipna=skipna, min_count=min_count)
    exact = _one_chunk(combined["rows"]).prod(skipna=skipna, min_count=min_count)
    if not is_dataframe_like(meta):
        return exact
    values = dict(exact.items())
    if "rest" in combined:
        rest_meta = meta.drop(columns=decimal_columns(meta))
        rest = reduce_aggregate([combined["rest"]], how, meta=rest_meta, skipna=skipna, min_count=min_count,
                                result_meta=reduction_meta(rest_meta, how, skipna=skipna, min_count=min_count))
        values.update(rest.items())
    labels = list(meta.columns)
    return type(result_meta)([values[c] for c in labels], index=labels, dtype=result_meta.dtype)


def _one_chunk(rows: Any) -> Any:
    """``rows`` with each column's values in one Arrow chunk: pyarrow multiplies chunk by chunk and then the
    chunks' products, so the chunks the partitions' concatenation left would round differently."""
    import pandas as pd

    def whole(column: Any) -> Any:
        values = column.array.__arrow_array__().combine_chunks()
        return pd.Series(pd.arrays.ArrowExtensionArray(values), index=column.index, name=column.name)

    if is_series_like(rows):
        return whole(rows)
    return pd.DataFrame({c: whole(rows[c]) for c in rows.columns}, index=rows.index)
