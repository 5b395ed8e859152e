"""``where`` / ``mask`` of a collection: the condition and ``other`` checked and aligned with the partitions,
a scalar ``other`` handed to each partition as its library takes it (``bf.where_scalar``)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.blockwise import map_partitions_expr
from gpuscale.dataframe.operators import check_condition, to_expr

__all__ = ["NO_OTHER", "replaced_where"]

# where/mask's default ``other``: the library's missing value (NaN); an explicit None is passed on, as pandas
# keeps None in object columns
NO_OTHER = object()


def _labelled_condition(cond: Any, method: str) -> Any:
    # every partition would get the whole list or array and fail on its shape: only labelled conditions
    # (collections, pandas objects, scalars) can be aligned with the partitions, as in dask
    from gpuscale.dataframe.core import FrameBase

    partition_masks = getattr(cond, "_partition_masks", None)
    if partition_masks is not None:  # idx.where(idx > 2): the index's own masks, partition by partition
        return partition_masks
    if isinstance(cond, (list, tuple)) or (getattr(cond, "ndim", 0) > 0 and hasattr(cond, "dtype")
                                           and not bf.is_frame_like(cond) and not isinstance(cond, FrameBase)):
        raise ValueError(f"{method}: cond is a {type(cond).__name__}, which can be aligned with the partitions only "
                         "as a Series or DataFrame (from_pandas it, or build it from the collection)")
    return cond


def replaced_where(obj: Any, method: str, cond: Any, other: Any = NO_OTHER, axis: Any = None) -> Any:
    """``obj.where(cond, other)`` (``method="where"``) or ``obj.mask(cond, other)`` of collection ``obj``.

    A callable ``cond`` is called with the collection (pandas calls it with the whole object): its boolean
    collection then takes the condition path that keeps missing values as pandas does (cuDF's ``mask`` of a
    partition treats a missing test, ``NaN > 0``, as True).  The metadata says the dtype of a partition where
    values are replaced (``s.where(s > 0)`` of integers: float64), as pandas gives the whole data; an empty
    sample replaces nothing.

    Examples
    --------
    >>> import pandas as pd, gpuscale.dataframe as gd
    >>> s = gd.from_pandas(pd.Series([1.0, None, -1.0]), npartitions=2, backend="cpu")
    >>> replaced_where(s, "mask", lambda x: x > 0, 0).compute().tolist()
    [0.0, nan, -1.0]
    """
    from gpuscale.dataframe.core import new_collection

    if callable(cond) and not bf.is_frame_like(cond) and not hasattr(cond, "_expr"):
        cond = cond(obj)
    if bf.is_expression(cond):  # pd.col(...): evaluated on the collection, as pandas evaluates it on the frame
        cond = bf.evaluate_expression(cond, obj)
    check_condition(cond, method)
    if bf.is_expression(other):
        other = bf.evaluate_expression(other, obj)
    given = () if other is NO_OTHER else (other,)
    meta = bf.replacement_meta(obj._meta, method, *given) if bf.is_scalar_like(given[0] if given else None) \
        else None
    args = (_labelled_condition(cond, method), *(_library_other(obj, other) for other in given))
    operands = [to_expr(a) for a in args]
    return new_collection(map_partitions_expr(bf.call_method, obj._expr, method, *operands, meta=meta,
                                              kwargs=None if axis is None else {"axis": axis}, label=method))


def _library_other(obj: Any, other: Any) -> Any:
    """A scalar ``other`` as the partitions' library takes it (``bf.where_scalar``: cuDF refuses a pd.Timestamp);
    where that is a column per partition (a tz-aware Timestamp on cuDF), a map of the partitions making it."""
    if not bf.is_scalar_like(other):
        return other
    converted = bf.where_scalar(other, obj._meta)
    if bf.is_frame_like(converted):
        return obj.map_partitions(bf.where_other, other, meta=converted)
    return converted
