"""Which sources' indexes does a plan observe?  Readers whose index nobody reads make a cheap one.

A parquet dataset without a stored index numbers its rows by their position in
the dataset, so a filter pushed into the scan forces the reader to read the
columns unfiltered, number the rows, then filter.  Most plans never look at
those numbers: a merge on columns, a groupby by columns, a sum, ``len``.  This
whole-plan rule walks from the root down, marking for each node whether the
index of its result can reach the result of the plan (``observed``), through a
whitelist of operations proven not to read or pass on their input's index.  A
source none of whose uses observes it is told so (``_without_index``) and then
gives each partition its own 0..n-1 RangeIndex (as dask's reader does).

Nodes that align two frames by their index (``a.x + b.y``, ``df[mask]``,
``assign``) only keep the rule when both operands have the same rows by
construction (:func:`_rows`): then alignment is a no-op whatever the labels.
Every source of one dataset and filter set gets the same decision, so two
reads of it stay aligned.  Anything not listed observes the index of all its
operands (safe by default).
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, PartitionedSource
from gpuscale.expr import Expr
from gpuscale.expr.core import register_plan_rule, replace_nodes

__all__ = ["drop_unread_indexes", "observed_indexes"]

# methods of a partition that map each row to a row (or a value per row) without reading the index
_ROWWISE_METHODS = frozenset({"isin", "between", "abs", "astype", "isna", "notna", "isnull", "notnull", "round"})
_REDUCTIONS = frozenset({"sum", "prod", "min", "max", "count", "mean", "size", "var", "std", "any", "all"})
_GROUPBY_PARTIALS = frozenset({"sum", "min", "max", "count", "size", "m2", "mean", "var", "std", "prod",
                               "fsum", "m3", "m4", "skew", "kurt"})
_MERGE_HOWS = frozenset({"inner", "left", "right", "outer"})


@register_plan_rule
def drop_unread_indexes(root: Expr) -> Expr:
    """``root`` with every source whose index the plan never observes reading without it.

    Run by ``Expr.optimize`` between simplification and lowering (see ``register_plan_rule``).

    Parameters
    ----------
    root : Expr
        The simplified plan; its own index counts as observed.

    Returns
    -------
    Expr
        ``root``, or a copy in which those sources make a cheap index (``ReadParquet``: ``index_unread``).

    Examples
    --------
    >>> import os, tempfile, pandas as pd, gpuscale.dataframe as gd
    >>> path = os.path.join(tempfile.mkdtemp(), "t.parquet")
    >>> pd.DataFrame({"k": [1, 2, 1, 2], "x": [1.0, 2.0, 3.0, 4.0]}).to_parquet(path)
    >>> df = gd.read_parquet(path, backend="cpu")
    >>> total = df[df.x > 1].groupby("k").x.sum()
    >>> "index unread" in total.expr.optimize(fuse=False).tree_repr()
    True
    >>> "index unread" in df[df.x > 1].expr.optimize(fuse=False).tree_repr()  # its index is the result's
    False
    """
    sources = [n for n in root.walk() if isinstance(n, PartitionedSource) and n._can_drop_index]
    if not sources:
        return root
    try:
        observed = observed_indexes(root)
    except RecursionError:  # a plan deeper than Python's stack: keep every index (safe)
        return root
    seen_keys: dict = {}
    for node in sources:  # one decision per dataset and filters: reads of it stay aligned
        key = _source_rows(node)
        seen_keys[key] = seen_keys.get(key, False) or observed.get(node._name, True)
    replaced: dict = {}
    for node in sources:
        if not seen_keys[_source_rows(node)]:
            replaced[node._name] = node._without_index()
    if not replaced:
        return root
    return replace_nodes(root, replaced)


def observed_indexes(root: Expr) -> dict:
    """``{node name: whether the plan's result can depend on that node's index labels}``."""
    parents: dict = {}
    nodes = list(root.walk())
    for node in nodes:
        for dep in {d._name: d for d in node.dependencies()}.values():
            parents[dep._name] = parents.get(dep._name, 0) + 1
    observed = {root._name: True}
    ready, done, rows = [root], {}, {}
    while ready:  # parents before children (Kahn's order), so a node's flag is final when it is used
        node = ready.pop()
        for dep, flag in _dependency_flags(node, observed.get(node._name, False), rows):
            observed[dep._name] = observed.get(dep._name, False) or flag
        for dep in {d._name: d for d in node.dependencies()}.values():
            done[dep._name] = done.get(dep._name, 0) + 1
            if done[dep._name] == parents[dep._name]:
                ready.append(dep)
    return observed


def _dependency_flags(node: Expr, observed: bool, rows: dict) -> list:
    """``(dependency, whether ``node`` lets its index be observed)`` for each dependency."""
    from gpuscale.dataframe.expr.blockwise import Assign, Filter, Map, Projection
    from gpuscale.dataframe.expr.groupby import GroupByTree
    from gpuscale.dataframe.expr.merge import Merge
    from gpuscale.dataframe.expr.reductions import TreeReduce

    deps = node.dependencies()
    if type(node) is Projection:
        return [(node.frame, observed)]
    if type(node) is Filter:
        return _aligned([node.frame, node.predicate], observed, rows)
    if type(node) is Assign:
        return _aligned(deps, observed, rows)
    if type(node) is Map:
        return _map_flags(node, observed, rows)
    if type(node) is TreeReduce and node.combine in (bf.reduce_combine, bf.total) \
            and node.aggregate in (bf.reduce_aggregate, bf.total):
        return [(node.frame, False)]  # partials of the chunk step below carry no index
    if type(node) is Merge and _merges_on_columns(node):
        return [(node.left, False), (node.right, False)]  # pandas numbers a merge on columns anew
    if type(node) is GroupByTree and _groups_by_columns(node):
        return [(node.frame, False)]  # the result is indexed by the keys
    return [(d, True) for d in deps]


def _aligned(frames: list, observed: bool, rows: dict) -> list:
    """Operands aligned by index: unread only when they have the same rows by construction."""
    data = {f._name: f for f in frames if not (isinstance(f, FrameExpr) and f.is_scalar)}
    same = len({_rows(f, rows) for f in data.values()}) <= 1
    return [(f, (observed or not same) if f._name in data else False) for f in frames]


def _map_flags(node: Any, observed: bool, rows: dict) -> list:
    func, deps = node.func, node.dependencies()
    if func is bf.length or (func is bf.reduce_chunk and dict(node.kwargs or {}).get("how") in _REDUCTIONS):
        return [(d, False) for d in deps]
    if _rowwise(node):
        return _aligned(deps, observed, rows)
    return [(d, True) for d in deps]


def _rowwise(node: Any) -> bool:
    """A Map whose output row i comes from row i of its operands alone, not from their labels."""
    if node.func in (bf.binary_op, bf.unary_op):
        return True
    return node.func is bf.call_method and node.args[1] in _ROWWISE_METHODS and not node.kwargs


def _rows(expr: Any, memo: dict) -> Any:
    """A key equal for two expressions that have the same rows in the same partitions (else distinct)."""
    if expr._name not in memo:
        memo[expr._name] = _rows_of(expr, memo)
    return memo[expr._name]


def _rows_of(expr: Any, memo: dict) -> Any:
    from gpuscale.dataframe.expr.blockwise import Assign, Filter, Map, Projection

    if isinstance(expr, PartitionedSource) and expr._can_drop_index:
        return _source_rows(expr)
    if type(expr) is Projection or type(expr) is Assign:
        return _rows(expr.frame, memo)
    if type(expr) is Map and _rowwise(expr):
        frames = [a for a in expr.args if isinstance(a, FrameExpr) and not a.is_scalar]
        keys = {_rows(f, memo) for f in frames}
        return keys.pop() if len(keys) == 1 else expr._name
    if type(expr) is Filter:
        return ("filter", _rows(expr.frame, memo), expr.predicate._name)
    return expr._name


def _source_rows(source: Any) -> Any:
    return ("source", source._partitioning_key(), repr(source.operand("filters")))


def _merges_on_columns(merge: Any) -> bool:
    if merge.how not in _MERGE_HOWS or merge.left_index or merge.right_index or merge._on_indexes():
        return False
    return all(k in merge.left.columns for k in merge.left_on or ()) and \
        all(k in merge.right.columns for k in merge.right_on or ()) and bool(merge.left_on)


def _groups_by_columns(tree: Any) -> bool:
    by = tree.chunk_kw.get("by") or []
    columns = tree.frame.columns if bf.is_dataframe_like(tree.frame._meta) else []
    partials = tree.chunk_kw.get("partials") or ()
    return bool(by) and all(isinstance(k, str) and k in columns for k in by) and \
        all(kind in _GROUPBY_PARTIALS for _, _, kind in partials)
