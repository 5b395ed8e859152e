"""Aggregate before a join: a group-by of a join's result by the left join keys, whose aggregations read
only right-side columns, first reduces the right side to one row per key and partition.

``customer.merge(orders, left_on="c_custkey", right_on="o_custkey", how="left")
.groupby("c_custkey").o_orderkey.count()`` (TPC-H Q13) joins fifteen million orders to count them per customer;
counting the orders of each customer first joins a tenth of the rows. When the join shuffles the right side by its
keys, the right side is aggregated after that shuffle, where all rows of a key meet (the join sees it already
partitioned by its keys and moves only the other side); otherwise (a broadcast join) per partition before it. The rewrite is exact
for the partials ``count``, ``sum``, ``min`` and ``max`` (so ``mean`` too), whatever the keys' multiplicity:
a left row with key ``k`` that met ``m`` right rows in the join meets one partial row per right partition
holding ``k`` instead; sums and counts over those partial rows add up to the same totals (each left row of
``k`` contributes the right side's total for ``k``, as before), and minima and maxima are the same. Rows of a
left join without a match get a count of 0 (their missing counts are filled) and a missing sum, minimum or
maximum, as before. ``size`` (it counts the unmatched rows too), ``var``/``std``, ``first``/``last`` and keys
taken from the right side are left alone, and so is a join another part of the plan also reads (it would be
computed twice). For a left join, sums, minima and maxima are taken over float columns only: an integer
column of a left join is float in some partitions and integer in others, which the rewrite would change.

A whole-plan rule (``register_plan_rule``): it needs to know who else reads the join.
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends.frame.eager_aggregation import keyed_partials, missing_counts_as_zero
from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr
from gpuscale.dataframe.expr.groupby import GroupByTree
from gpuscale.dataframe.expr.merge import Merge
from gpuscale.dataframe.expr.shuffle import HashShuffle
from gpuscale.expr import Expr
from gpuscale.expr.core import collect_dependents, register_plan_rule, replace_nodes

__all__ = ["aggregate_before_joins", "EAGER_PARTIALS", "ENABLED"]

#: whether the rule runs (for A/B measurements)
ENABLED = True

#: the partials the rewrite keeps exact -> how the joined partials are aggregated again
EAGER_PARTIALS = {"count": "sum", "sum": "sum", "min": "min", "max": "max"}
_PREFIX = "__eager_"


@register_plan_rule
def aggregate_before_joins(root: Expr) -> Expr:
    """``root`` with each group-by of a join's result that qualifies (module docstring) aggregating first."""
    if not ENABLED:
        return root
    trees = [n for n in root.walk() if isinstance(n, GroupByTree)]
    if not trees:
        return root
    # how many distinct nodes read each node (one node may read another twice: a + a)
    readers = {name: len({user._name for user in users}) for name, users in collect_dependents(root).items()}
    replaced = {}
    for tree in trees:
        new = _rewrite(tree, readers)
        if new is not None:
            replaced[tree._name] = new
    try:
        return replace_nodes(root, replaced) if replaced else root
    except RecursionError:  # a plan deeper than Python's stack: keep it as it is (always correct)
        return root


def _join_below(tree: GroupByTree, readers: dict) -> Merge | None:
    """The join the group-by reads (through one projection), when nothing else reads it."""
    frame = tree.frame
    if isinstance(frame, Projection) and isinstance(frame.columns_, tuple) and readers.get(frame._name) == 1:
        frame = frame.frame
    if isinstance(frame, Merge) and readers.get(frame._name) == 1:
        return frame
    return None


def _as_list(keys: Any) -> list:
    return list(keys) if isinstance(keys, (list, tuple)) else [keys]


def _rewrite(tree: GroupByTree, readers: dict) -> Expr | None:
    merge = _join_below(tree, readers)
    if merge is None or merge.how not in ("left", "inner") or merge.indicator:
        return None
    if merge.left_index or merge.right_index or merge.left_on is None or merge.right_on is None:
        return None
    left_on, right_on = _as_list(merge.left_on), _as_list(merge.right_on)
    by, partials, dropna = list(tree.chunk_kw["by"]), tree.chunk_kw["partials"], tree.chunk_kw["dropna"]
    left_columns, right_columns = list(merge.left.columns), list(merge.right.columns)
    if by != left_on or len(left_on) != len(right_on) or not partials:
        return None
    # the keys are the left's (a right column of the same name must be the key it is joined with)
    if any(b not in left_columns or (b in right_columns and r != b) for b, r in zip(by, right_on)):
        return None
    meta = merge.right._meta
    for _, column, kind in partials:
        if kind not in EAGER_PARTIALS or column not in right_columns or column in left_columns or column in right_on:
            return None
        if merge.how == "left" and kind != "count" and getattr(meta[column].dtype, "kind", "") != "f":
            return None
    names = {name: _PREFIX + name for name, _, _ in partials}
    if any(n in left_columns or n in right_columns for n in names.values()):
        return None
    right_partials = tuple((names[name], column, kind) for name, column, kind in partials)
    kw = {"by": right_on, "partials": right_partials, "dropna": dropna}
    right = Projection(merge.right, tuple(dict.fromkeys([*right_on, *(c for _, c, _ in partials)])))
    pre_meta = bf.make_meta(keyed_partials(bf.meta_nonempty(right._meta), **kw))
    plan, n = merge._plan()
    if plan == "shuffle":  # the join shuffles the right side by its keys anyway: aggregate each key there, once
        right = HashShuffle(right, tuple(right_on), n, True)
    pre = map_partitions_expr(keyed_partials, right, kwargs=kw, meta=pre_meta, label="eager-aggregate")
    joined: Expr = Merge(Projection(merge.left, tuple(left_on)), pre, merge.how, merge.left_on, merge.right_on,
                         False, False, merge.suffixes, merge.broadcast, merge.npartitions_, False)
    counts = [names[name] for name, _, kind in partials if kind == "count"]
    if merge.how == "left" and counts:
        joined = map_partitions_expr(missing_counts_as_zero, joined, kwargs={"columns": counts},
                                     label="eager-counts")
    regrouped = tuple((name, names[name], EAGER_PARTIALS[kind]) for name, _, kind in partials)
    chunk_kw = {**tree.chunk_kw, "partials": regrouped}
    final_kw = {**tree.final_kw, "partials": regrouped}
    return GroupByTree(joined, chunk_kw, final_kw, tree.meta, tree.split_every, tree.split_out)
