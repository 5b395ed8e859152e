"""Projection and predicate pushdown rules (used by the optimizer's simplify stage)."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.backends import io as bio
import gpuscale.expr.annotations as annotated
from gpuscale.dataframe.expr.base import FrameExpr, PartitionedSource
from gpuscale.expr import Expr

__all__ = ["simplify_projection", "simplify_filter", "push_into_source", "substitute", "predicate_to_dnf"]

_COMPARISONS = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _wanted(columns: Any) -> list:
    return list(columns) if isinstance(columns, tuple) else [columns]


def simplify_projection(proj: Any) -> Expr | None:
    """Merge projections, drop identity ones and move projections below row-wise nodes."""
    from gpuscale.dataframe.expr.blockwise import Projection

    frame = proj.frame
    if isinstance(frame, Projection):
        return Projection(frame.frame, proj.columns_)
    if isinstance(proj.columns_, tuple) and bf.is_dataframe_like(frame._meta) \
            and list(proj.columns_) == frame.columns:
        return frame
    return None


def push_projection_below(node: Any, parent: Any, dependents: dict) -> Expr | None:
    """Move the projections above a row-wise node (Filter, Assign, column-wise Map) below it.

    Only when every user of ``node`` is a projection: the node is rebuilt once
    for the union of their columns, so it stays shared (computed once).
    """
    from gpuscale.dataframe.expr.blockwise import Assign, Filter, Map, Projection

    users = dependents.get(node._name, [])
    if not isinstance(parent, Projection) or not bf.is_dataframe_like(node._meta):
        return None
    if not users or not all(isinstance(u, Projection) and u.frame._name == node._name for u in users):
        return None
    label = single_column(users)
    if label is not None and isinstance(node, Map) and node.columnwise:
        column = _map_of_column(node, label)
        if column is not None:  # ``df.abs()["x"]`` is ``df["x"].abs()``
            return column
    needed = {c for u in users for c in _wanted(u.columns_)}
    union = tuple(c for c in node.columns if c in needed)
    if len(union) == len(node.columns):
        return None
    proj = Projection(node, union)
    if isinstance(node, Filter):
        new = Filter(Projection(node.frame, union), node.predicate)
    elif isinstance(node, Assign):
        new = _project_assign(proj, node)
    elif isinstance(node, Map) and node.columnwise:
        new = _project_map(proj, node)
    else:
        new = None
    return None if new is None else Projection(new, parent.columns_)


def single_column(users: list) -> Any:
    """The one column every user (a projection) takes as a Series (``node["x"]``), else None."""
    labels = {u.columns_ for u in users}
    label = labels.pop() if len(labels) == 1 else None
    return None if isinstance(label, tuple) else label


def _map_of_column(node: Any, label: Any) -> Expr | None:
    """A column-wise ``Map`` of one frame applied to its column ``label`` alone: the same call on that Series.

    Only where the call means the same on a Series: every other operand a scalar (or a list of scalars) and
    no ``axis``; a dict or a pandas object is matched to the columns of a DataFrame but to the rows of a
    Series (``fillna({"x": 0})``, ``replace({"x": 1}, 2)``)."""
    from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr

    frames = [a for a in node.args if isinstance(a, FrameExpr) and not a.is_scalar]
    if len(frames) != 1 or not bf.is_dataframe_like(frames[0]._meta) or node.columns != frames[0].columns:
        return None
    kwargs = dict(node.kwargs or {})
    others = [a for a in node.args if a is not frames[0]] + list(kwargs.values())
    if "axis" in kwargs or not all(_plain_operand(a) for a in others):
        return None
    args = [Projection(a, label) if a is frames[0] else a for a in node.args]
    meta = None if node.meta is None else bf.project(node.meta, label)
    return map_partitions_expr(node.func, *args, kwargs=node.kwargs, meta=meta, label=node.label,
                               columnwise=node.columnwise)


def _plain_operand(value: Any) -> bool:
    """A scalar, a lazy scalar, a function of gpuscale's, or a list/tuple of scalars: the same for each column
    of a frame as for one Series."""
    if isinstance(value, FrameExpr):
        return value.is_scalar
    if isinstance(value, (list, tuple)):
        return all(bf.is_scalar_like(v) for v in value)
    return bf.is_scalar_like(value)


def _project_assign(proj: Any, assign: Any) -> Expr | None:
    from gpuscale.dataframe.expr.blockwise import Assign, Projection

    wanted = _wanted(proj.columns_)
    base = assign.frame
    keep = [(n, v) for n, v in zip(assign.names, assign.values) if n in wanted]
    base_cols = [c for c in base.columns if c in wanted and c not in {n for n, _ in keep}]
    if len(keep) == len(assign.names) and base_cols == base.columns:
        return None
    if not keep:
        return Projection(Projection(base, tuple(base_cols)), proj.columns_)
    names, values = tuple(n for n, _ in keep), [v for _, v in keep]
    return Projection(Assign(Projection(base, tuple(base_cols)), names, *values), proj.columns_)


def _project_map(proj: Any, node: Any) -> Expr | None:
    from gpuscale.dataframe.expr.blockwise import Projection, map_partitions_expr

    frames = [a for a in node.args if isinstance(a, FrameExpr) and not a.is_scalar]
    if len(frames) != 1 or not bf.is_dataframe_like(frames[0]._meta) or not bf.is_dataframe_like(node._meta):
        return None
    if node.columns != frames[0].columns:
        return None
    args = [Projection(a, proj.columns_) if a is frames[0] else a for a in node.args]
    if node._called_method() in _KEYED_BY_COLUMN:  # pandas refuses a key naming a column the projection left out
        kept = set(_wanted(proj.columns_))
        args = [{k: v for k, v in a.items() if k in kept} if isinstance(a, dict) else a for a in args]
    meta = None if node.meta is None else bf.project(node.meta, proj.columns_)  # (a declared meta, projected)
    return map_partitions_expr(node.func, *args, kwargs=node.kwargs, meta=meta, label=node.label,
                               columnwise=node.columnwise)


# column-wise methods whose dict argument is keyed by column and must name only columns of the frame
_KEYED_BY_COLUMN = {"astype"}


def simplify_filter(flt: Any) -> Expr | None:
    """Push simple ``col op literal`` conjuncts into a reader under the filtered frame, or below a merge."""
    from gpuscale.dataframe.expr.merge import Merge

    source = _base(flt.frame)
    if isinstance(source, Merge):
        return filter_merge(flt, source)
    if not (isinstance(source, PartitionedSource) and source._absorbs_filters):
        return None
    conjuncts = predicate_to_dnf(flt.predicate, source)
    known = list(source.filters or [])
    new = [c for c in (conjuncts or []) if c not in known]
    if not new:
        return _drop_if_exact(flt, source, conjuncts)
    updated = source.with_operand("filters", known + new)
    frame = substitute(flt.frame, source._name, updated)
    if updated._filters_exact and conjuncts is not None and _covers(conjuncts, flt.predicate):
        return frame
    return type(flt)(frame, substitute(flt.predicate, source._name, updated))


def _drop_if_exact(flt: Any, source: Any, conjuncts: Any) -> Expr | None:
    if source._filters_exact and conjuncts and _covers(conjuncts, flt.predicate):
        return flt.frame
    return None


def _covers(conjuncts: list, predicate: Expr) -> bool:
    return len(conjuncts) == len(_split_and(predicate))


def _base(expr: Expr) -> Expr:
    from gpuscale.dataframe.expr.blockwise import Projection

    while isinstance(expr, Projection):
        expr = expr.frame
    return expr


def _split_and(pred: Any) -> list:
    from gpuscale.dataframe.expr.blockwise import Map

    if isinstance(pred, Map) and pred.func is bf.binary_op and pred.args[0] == "and_":
        return _split_and(pred.args[1]) + _split_and(pred.args[2])
    return [pred]


def predicate_to_dnf(pred: Expr, source: Expr) -> list | None:
    """The pushable ``(column, op, value)`` conjuncts of ``pred`` over ``source`` (None if none)."""
    found = [t for t in (_comparison(p, source) for p in _split_and(pred)) if t is not None]
    return found or None


def _comparison(pred: Any, source: Expr) -> tuple | None:
    from gpuscale.dataframe.expr.blockwise import Map

    if isinstance(pred, Map) and pred.func is bf.call_method and pred.args[1:2] == ["isin"]:
        return _membership(pred, source)
    if not (isinstance(pred, Map) and pred.func is bf.binary_op and pred.args[0] in _COMPARISONS):
        return None
    column, value = pred.args[1], pred.args[2]
    if not _column_of(column, source):
        return None
    if _column_of(value, source) and source._compares_columns:  # two columns of a row: a_date < b_date
        return (column.columns_, _COMPARISONS[pred.args[0]], bio.ColumnRef(value.columns_))
    if isinstance(value, Expr) or not _is_literal(value):
        return None
    return (column.columns_, _COMPARISONS[pred.args[0]], value)


def _membership(pred: Any, source: Expr) -> tuple | None:
    """``column.isin([literals])`` as ``(column, "in", values)``; the source decides if it can apply it."""
    if pred.kwargs or len(pred.args) != 3 or not _column_of(pred.args[0], source):
        return None
    values = pred.args[2]
    if not isinstance(values, list) or not all(_is_literal(v) for v in values):
        return None
    return (pred.args[0].columns_, "in", tuple(values))


def _column_of(expr: Any, source: Expr) -> bool:
    """Whether ``expr`` is one column (a Series projection) of ``source``."""
    from gpuscale.dataframe.expr.blockwise import Projection

    return isinstance(expr, Projection) and not isinstance(expr.columns_, tuple) and _base(expr)._name == source._name


def _is_literal(value: Any) -> bool:
    return isinstance(value, (int, float, str, bool)) or type(value).__module__.partition(".")[0] in (
        "numpy", "pandas", "datetime")


def substitute(expr: Expr, old_name: str, new: Expr, memo: dict | None = None) -> Expr:
    """``expr`` with the node named ``old_name`` replaced by ``new`` everywhere below it."""
    memo = {} if memo is None else memo
    if expr._name == old_name:
        return new
    if expr._name not in memo:
        memo[expr._name] = expr.map_dependencies(lambda e: substitute(e, old_name, new, memo))
    return memo[expr._name]


def push_into_source(source: Any, parent: Expr, dependents: dict) -> Expr | None:
    """Rewrite ``Projection(source)`` to read only the columns all users of ``source`` need."""
    from gpuscale.dataframe.expr.blockwise import Projection

    if not (isinstance(parent, Projection) and source._absorbs_projection):
        return None
    users = dependents.get(source._name, [])
    if not users or not all(isinstance(u, Projection) for u in users):
        return None
    needed = {c for u in users for c in _wanted(u.columns_)}
    current = list(dict.fromkeys(source.columns))  # (each name once: a name several columns hold selects them all)
    columns = [c for c in current if c in needed]
    if len(columns) == len(current):
        return None
    return Projection(source.with_operand("columns", columns), parent.columns_)


# -- through merges ------------------------------------------------------------------------------
def project_merge(proj: Any, merge: Any, dependents: dict) -> Expr | None:
    """Keep only the columns of each side that the users of the merge (all projections) or the join need."""
    from gpuscale.dataframe.expr.blockwise import Projection

    users = dependents.get(merge._name, [])
    if not users or not all(isinstance(u, Projection) for u in users):
        return None
    wanted = {c for u in users for c in _wanted(u.columns_)}
    sides = []
    for side, keys, other, suffix in ((merge.left, merge.left_on, merge.right, merge.suffixes[0]),
                                      (merge.right, merge.right_on, merge.left, merge.suffixes[1])):
        keep = [c for c in side.columns if c in wanted or c in (keys or ()) or c in other.columns
                or f"{c}{suffix}" in wanted]
        sides.append(Projection(side, tuple(keep)) if len(keep) < len(side.columns) else side)
    if sides[0] is merge.left and sides[1] is merge.right:
        return None
    ops = list(merge.operands)
    ops[0], ops[1] = sides
    return Projection(annotated.carry(merge, type(merge)(*ops)), proj.columns_)


_PUSHABLE_SIDES = {"inner": (0, 1), "left": (0,), "right": (1,), "outer": (), "leftsemi": (0, 1)}


def filter_merge(flt: Any, merge: Any) -> Expr | None:
    """Move conjuncts that use the columns of one side only below the merge (under projections)."""
    conjuncts = _split_and(flt.predicate)
    sides = [merge.left, merge.right]
    pushed: list = [[], []]
    kept = []
    for conj in conjuncts:
        target = _single_side(conj, merge)
        if target is None or target not in _PUSHABLE_SIDES.get(merge.how, ()):
            kept.append(conj)
        else:
            pushed[target].append(substitute(conj, merge._name, sides[target]))
    if not pushed[0] and not pushed[1]:
        return None
    ops = list(merge.operands)
    for k in (0, 1):
        if pushed[k]:
            ops[k] = type(flt)(sides[k], _and_all(pushed[k]))
    new_merge = annotated.carry(merge, type(merge)(*ops))
    frame = substitute(flt.frame, merge._name, new_merge)
    if not kept:
        return frame
    return type(flt)(frame, substitute(_and_all(kept), merge._name, new_merge))


def _and_all(preds: list) -> Expr:
    from gpuscale.dataframe.expr.blockwise import map_partitions_expr

    out = preds[0]
    for p in preds[1:]:
        out = map_partitions_expr(bf.binary_op, "and_", out, p, label="and_", columnwise=True)
    return out


def _single_side(conj: Expr, merge: Any) -> int | None:
    """0 / 1 if ``conj`` reads the merge only through columns that come unchanged from one side."""
    from gpuscale.dataframe.expr.blockwise import Projection

    columns = set()
    for node in conj.walk():
        if any(d._name == merge._name for d in node.dependencies()):
            if not (isinstance(node, Projection) and not isinstance(node.columns_, tuple)):
                return None
            columns.add(node.columns_)
    if not columns:
        return None
    left, right = set(merge.left.columns), set(merge.right.columns)
    if columns <= left - right:
        return 0
    if columns <= right - left:
        return 1
    return None
