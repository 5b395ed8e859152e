"""``groupby(..., observed=False).apply`` of several partitions: the groups of unobserved categories.

The partitions apply the function to the groups that hold rows; one more partition applies it to the groups
of unobserved categories (no rows), found from the key combinations that hold rows, as pandas applies it
to them.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.groupby_observed import has_categorical_keys, one_missing_code, unobserved_applied
from gpuscale.dataframe.core import new_collection
from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr
from gpuscale.dataframe.expr.groupby import AppendedPartitions

__all__ = ["unobserved_apply", "with_unobserved_applied"]


def unobserved_apply(gb: Any) -> bool:
    """Whether ``apply`` of groupby ``gb`` must add the groups of unobserved categories (``observed=False``,
    categorical keys); NotImplementedError where some key is not categorical and the groups are in several
    partitions."""
    meta = gb._frame._meta
    if gb._observed or not has_categorical_keys(meta, gb._by):
        return False
    if gb._frame.npartitions > 1 and not all(bf.is_categorical(meta[c].dtype) for c in gb._by):
        raise NotImplementedError("groupby(observed=False).apply of several partitions needs every key "
                                  "categorical (pandas crosses the categories with the other keys' values): "
                                  "use observed=True, make every key categorical, or repartition to one "
                                  "partition")
    return True


def with_unobserved_applied(gb: Any, out: Any, kw: dict, meta: Any) -> Any:
    """The expression ``out`` (the partitions' ``apply``, run with ``kw``) and one more partition: the function
    applied to the groups of unobserved categories.  A missing key of ``dropna=False`` is code -1 of the
    partitions' key levels, as in pandas' ``observed=False`` result and the added groups (pandas' groupby of
    the observed groups holds it as a level value, which its ``sort_index`` orders apart)."""
    observed = new_collection(Projection(gb._frame.expr, tuple(gb._by))).drop_duplicates(split_out=1)
    empty = gb._frame._meta[list(dict.fromkeys(gb._by + gb._value_columns()))]
    run = {k: kw[k] for k in ("selection", "how", "arg", "kwargs", "dropna", "sort", "drop", "group_keys")}
    more = map_partitions_expr(unobserved_applied, observed.expr, kwargs={"empty": empty, "by": gb._by,
                                                                         "run": run, "meta": meta},
                               meta=meta, label="groupby-unobserved")
    if not gb._dropna:
        out = map_partitions_expr(one_missing_code, out, meta=meta, label="groupby-missing-code")
    return AppendedPartitions(out, more, meta)
