"""User-defined reductions on partitions: ``Aggregation`` (groupby chunk / agg / finalize) and
``reduction`` (chunk / combine / aggregate), as dask.dataframe runs them, for pandas and cuDF."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.backends.frame.core import convert_library, is_frame_like, is_series_like, library_of
from gpuscale.backends.frame.ops import sort_index
from gpuscale.backends.frame.partition_concat import concat

__all__ = ["custom_agg_chunk", "custom_agg_combine", "custom_agg_finish", "reduction_chunk", "reduction_combine",
           "reduction_aggregate"]


def _as_tuple(value: Any) -> tuple:
    return value if isinstance(value, tuple) else (value,)


# -- groupby Aggregation ------------------------------------------------------------------------
def custom_agg_chunk(part: Any, by: list, selection: Any, dropna: bool, chunk: Callable,
                     observed: bool = True) -> tuple:
    """``chunk`` of the partition's groups: a tuple of partial results indexed by group key (``observed=False``:
    every category of categorical keys, as pandas gives the unobserved ones the function's value of no rows)."""
    if not observed and library_of(part) == "cudf":  # cuDF's groupby refuses observed=False: grouped on the host
        from gpuscale.backends.convert import to_host

        pieces = custom_agg_chunk(to_host(part), by, selection, dropna, chunk, observed)
        return tuple(convert_library(p, "cudf") for p in pieces)
    grouped = part.groupby(by, dropna=dropna, sort=False, observed=observed)
    if selection is not None:  # a tuple of labels selects several columns
        grouped = grouped[list(selection) if isinstance(selection, tuple) else selection]
    return _as_tuple(chunk(grouped))


def custom_agg_combine(partials: list, nlevels: int, dropna: bool, combine: Callable, **kwargs: Any) -> tuple:
    """Stack the partials of several partitions position by position and ``combine`` them per group."""
    partials = [p for p in partials if p is not None]
    stacked = [concat(list(parts)) for parts in zip(*partials)]
    # observed: the partials hold the groups wanted (pandas 2.2 would add a level's other categories)
    grouped = [s.groupby(level=list(range(nlevels)), dropna=dropna, sort=False, observed=True) for s in stacked]
    return _as_tuple(combine(*grouped))


def custom_agg_finish(partials: list, nlevels: int, dropna: bool, agg: Callable, finalize: Callable | None,
                      sort: bool, **kwargs: Any) -> Any:
    """``agg`` over all partials, then ``finalize``; sorted by key when the groupby sorts."""
    out = custom_agg_combine(partials, nlevels, dropna, agg)
    result = finalize(*out) if finalize is not None else out[0]
    return sort_index(result) if sort and is_frame_like(result) else result


# -- Series/DataFrame.reduction --------------------------------------------------------------------
def _as_row(out: Any) -> Any:
    # a Series partial becomes a one-row frame, so the stacked partials are a frame whose
    # columns are its labels (dask's rule; stacking Series would make one long Series)
    return out.to_frame().T if is_series_like(out) else out


def reduction_chunk(part: Any, chunk: Callable, chunk_kwargs: dict) -> Any:
    """``chunk`` of one partition (a Series result as a one-row frame)."""
    return _as_row(chunk(part, **chunk_kwargs))


def _stacked(partials: list) -> Any:
    return concat([p for p in partials if p is not None])


def reduction_combine(partials: list, combine: Callable, combine_kwargs: dict, **kwargs: Any) -> Any:
    """``combine`` of several partials, concatenated (scalars become a Series, as in dask)."""
    return _as_row(combine(_stacked(partials), **combine_kwargs))


def reduction_aggregate(partials: list, aggregate: Callable, aggregate_kwargs: dict, **kwargs: Any) -> Any:
    """``aggregate`` of the remaining partials, concatenated."""
    return aggregate(_stacked(partials), **aggregate_kwargs)
