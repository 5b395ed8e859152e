"""User-defined reductions: ``Aggregation`` for groupby and ``reduction`` for Series/DataFrames (dask's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.expr.reductions import check_split_every, tree_reduce

__all__ = ["Aggregation", "NamedPieces", "named_pieces", "as_aggregation", "custom_groupby_aggregate", "has_custom",
           "mixed_groupby_aggregate", "reduction"]


@dataclass(frozen=True)
class Aggregation:
    """A groupby aggregation made of three functions, as ``dask.dataframe.Aggregation``.

    Parameters
    ----------
    name : str
        The name of the result column(s) / the aggregation.
    chunk : callable
        ``chunk(grouped_partition) -> Series`` (or a tuple of them): per-group partials of one partition.
    agg : callable
        ``agg(*grouped_partials) -> Series`` (or a tuple): combines the partials of all partitions,
        each given grouped by the group keys.
    finalize : callable, optional
        ``finalize(*aggregated) -> Series``: the result from ``agg``'s outputs.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> custom_mean = gd.Aggregation("custom_mean", chunk=lambda s: (s.count(), s.sum()),
    ...                              agg=lambda count, total: (count.sum(), total.sum()),
    ...                              finalize=lambda count, total: total / count)
    >>> pdf = pd.DataFrame({"g": [1, 1, 2, 2], "x": [1.0, 3.0, 5.0, 7.0]})
    >>> gd.from_pandas(pdf, npartitions=2, backend="cpu").groupby("g").x.agg(custom_mean).compute().tolist()
    [2.0, 6.0]
    """

    name: str
    chunk: Callable
    agg: Callable
    finalize: Callable | None = None


def custom_groupby_aggregate(frame: Any, by: list, selection: Any, dropna: bool, sort: bool, how: Aggregation,
                             split_every: int | None = None, columns: list | None = None,
                             observed: bool = True) -> Any:
    """The lazy result of a groupby aggregated by one :class:`Aggregation`; of a DataFrameGroupBy (a tuple or no
    ``selection``: its value ``columns``), column by column, each column's SeriesGroupBy given to the functions,
    as dask."""
    if columns is not None and (selection is None or isinstance(selection, tuple)):
        from gpuscale.dataframe.multi import concat

        return concat([custom_groupby_aggregate(frame, by, c, dropna, sort, how, split_every, observed=observed)
                       for c in columns], axis=1)
    chunk_kw = {"by": by, "selection": selection, "dropna": dropna, "chunk": how.chunk, "observed": observed}
    final_kw = {"nlevels": len(by), "dropna": dropna, "combine": how.agg, "agg": how.agg,
                "finalize": how.finalize, "sort": sort}
    sample = bf.meta_nonempty(frame._meta)
    meta = bf.make_meta(_renamed(bf.custom_agg_finish([bf.custom_agg_chunk(sample, **chunk_kw)], **final_kw), how,
                                 selection))
    expr = tree_reduce(frame.expr, bf.custom_agg_chunk, bf.custom_agg_combine, _finish_named, {**final_kw,
                       "how": how, "selection": selection}, meta, how.name, split_every, chunk_kwargs=chunk_kw)
    return new_collection(expr)


def as_aggregation(func: Any) -> Aggregation | None:
    """``func`` as an :class:`Aggregation` when it is one, or dask's (``dask.dataframe.Aggregation``: ``chunk``,
    ``agg``, ``finalize`` and the name as ``__name__``, so code mixing dask's class with gpuscale still runs);
    else None."""
    if isinstance(func, Aggregation):
        return func
    if type(func).__name__ == "Aggregation" and callable(getattr(func, "chunk", None)) and \
            callable(getattr(func, "agg", None)) and isinstance(getattr(func, "__name__", None), str):
        return Aggregation(func.__name__, func.chunk, func.agg, getattr(func, "finalize", None))
    return None


def has_custom(spec: Any) -> bool:
    """Whether an ``agg`` spec (a list, or a dict of names/lists) holds an :class:`Aggregation`."""
    values = spec.values() if isinstance(spec, dict) else spec if isinstance(spec, list) else []
    return any(as_aggregation(f) is not None or (isinstance(f, list) and any(as_aggregation(g) is not None for g in f))
               for f in values)


def _func_name(func: Any) -> str:
    custom = as_aggregation(func)
    return custom.name if custom is not None else func if isinstance(func, str) else func.__name__


class NamedPieces(list):
    """``[(column, function, label)]`` of named aggregations."""


def named_pieces(groupby: Any, named: dict) -> NamedPieces:
    """The pieces of named aggregations (``agg(total=("x", "sum"))``; a selected column's: ``agg(total="sum")``)."""
    return NamedPieces((*groupby._named_pair(spec), label) for label, spec in named.items())


def _pieces(groupby: Any, spec: Any) -> tuple[list, bool]:
    """``[(column, function, label)]`` of a list/dict spec in pandas' column order, and whether the labels
    are ``(column, name)`` pairs (a MultiIndex of columns)."""
    if isinstance(spec, NamedPieces):
        return list(spec), False
    selection = groupby._selection
    if isinstance(spec, list):
        if selection is not None and not isinstance(selection, tuple):  # SeriesGroupBy: one column per function
            return [(selection, f, _func_name(f)) for f in spec], False
        return [(c, f, (c, _func_name(f))) for c in groupby._value_columns() for f in spec], True
    nested = any(isinstance(f, list) for f in spec.values())
    if not nested:
        return [(c, f, c) for c, f in spec.items()], False
    return [(c, f, (c, _func_name(f))) for c, fs in spec.items() for f in (fs if isinstance(fs, list) else [fs])], True


def mixed_groupby_aggregate(groupby: Any, spec: Any, split_every: Any = None, split_out: Any = None) -> Any:
    """``groupby.agg(spec)`` where the list/dict ``spec`` mixes :class:`Aggregation` objects and names: each
    column's aggregation runs on its own, the results are put side by side (one output partition)."""
    from gpuscale.dataframe.groupby import SeriesGroupBy

    pieces, nested = _pieces(groupby, spec)
    labels = [label for _, _, label in pieces]
    if len(set(labels)) != len(labels):
        raise ValueError(f"groupby agg: the output columns {labels} are not unique (an Aggregation named as "
                         "another function of the same column)")
    parts = [groupby._with(col, SeriesGroupBy).agg(f, split_every=split_every, split_out=split_out)
             for col, f, _ in pieces]
    if any(part.npartitions > 1 for part in parts):
        raise NotImplementedError("groupby agg with Aggregation objects in a list or dict: split_out=1 only")
    kw = {"labels": labels, "nested": nested}
    meta = bf.groupby_side_by_side(*[part._meta for part in parts], **kw)
    return new_collection(map_partitions_expr(bf.groupby_side_by_side, *[part.expr for part in parts], kwargs=kw,
                                              meta=meta, label="groupby-agg-columns"))


def _finish_named(partials: list, how: Aggregation, selection: Any, **kwargs: Any) -> Any:
    return _renamed(bf.custom_agg_finish(partials, **kwargs), how, selection)


def _renamed(result: Any, how: Aggregation, selection: Any) -> Any:
    # a SeriesGroupBy result is named after its column, as pandas names ``gb[col].agg(...)``
    if bf.is_series_like(result) and isinstance(selection, (str, int)):
        return result.rename(selection)
    return result


def reduction(collection: Any, chunk: Callable, aggregate: Callable | None = None, combine: Callable | None = None,
              meta: Any = None, split_every: int | None = None, chunk_kwargs: dict | None = None,
              aggregate_kwargs: dict | None = None, combine_kwargs: dict | None = None, token: str | None = None,
              **common: Any) -> Any:
    """``Series.reduction`` / ``DataFrame.reduction`` with dask's semantics: ``chunk`` per partition, then
    ``combine`` (in a tree) and ``aggregate`` on the concatenated partials (scalars become a Series);
    ``common`` keywords go to all three functions; ``token`` names the tasks."""
    check_split_every(split_every, "reduction")
    if combine is None and combine_kwargs:
        raise ValueError("reduction: combine_kwargs given without combine (aggregate then combines; pass "
                         "aggregate_kwargs)")
    aggregate = aggregate or chunk
    combine = combine or aggregate
    kwargs = {"aggregate": aggregate, "aggregate_kwargs": {**(aggregate_kwargs or {}), **common},
              "combine": combine, "combine_kwargs": {**(combine_kwargs or {}), **common}}
    chunk_kw = {"chunk": chunk, "chunk_kwargs": {**(chunk_kwargs or {}), **common}}
    if meta is None:
        sample = bf.meta_nonempty(collection._meta)
        meta = bf.make_meta(bf.reduction_aggregate([bf.reduction_chunk(sample, **chunk_kw)], **kwargs))
    else:
        meta = bf.meta_from_spec(getattr(meta, "_meta", meta), bf.library_of(collection._meta))
    expr = tree_reduce(collection.expr, bf.reduction_chunk, _combine, _aggregate, kwargs, meta,
                       str(token or "reduction"), split_every, chunk_kwargs=chunk_kw)
    return new_collection(expr)


def _combine(partials: list, **kwargs: Any) -> Any:
    return bf.reduction_combine(partials, kwargs["combine"], kwargs["combine_kwargs"])


def _aggregate(partials: list, **kwargs: Any) -> Any:
    return bf.reduction_aggregate(partials, kwargs["aggregate"], kwargs["aggregate_kwargs"])
