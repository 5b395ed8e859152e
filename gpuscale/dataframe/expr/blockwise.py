"""Partition-wise expression nodes: projection, filter, assign and a generic ``Map``."""

from __future__ import annotations

import functools
import re
from typing import Any, Callable

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import Blockwise, FrameExpr, MetaOfFrame, OnePartition, _meta_of, _partition_ref
from gpuscale.expr import Expr, cached_bottom_up
from gpuscale.expr.core import _short

__all__ = ["Projection", "Filter", "Assign", "Map", "PositionalMap", "map_partitions_expr", "Partitions", "Head",
           "Tail", "PARTITION_INFO"]


def unknown_column_error(missing: list, available: list, where: str = "") -> KeyError:
    """The error for column labels that do not exist, listing the available ones."""
    place = f" in {where}" if where else ""
    return KeyError(f"column(s) {missing} not found{place}; available columns: {available}")


class Projection(Blockwise):
    """Column selection: ``columns`` a tuple (DataFrame result) or one label (Series result)."""

    _parameters = ["frame", "columns_"]
    operation = staticmethod(bf.project)

    @cached_bottom_up
    def _meta(self) -> Any:
        wanted = list(self.columns_) if isinstance(self.columns_, tuple) else [self.columns_]
        available = self.frame.columns
        missing = [c for c in wanted if c not in available]
        if missing:
            raise unknown_column_error(missing, available)
        return bf.project(self.frame._meta, self.columns_)

    def known_length(self) -> int | None:
        return self.frame.known_length()  # (columns taken, rows unchanged)

    def _simplify_down(self) -> Expr | None:
        from gpuscale.dataframe.expr.pushdown import simplify_projection

        return simplify_projection(self)

    def _task(self, i: int) -> tuple:
        from gpuscale.dataframe.expr.base import FromChunks

        source = self.frame
        if not isinstance(self.columns_, tuple) and isinstance(source, FromChunks) and \
                bf.is_dataframe_like(source.meta):
            # one column straight from the in-memory partition: the source's own task (then unused) would first
            # take a frame of its pushed-in columns, ~0.1-0.2 ms a partition (as long as a sum of 600k rows)
            return (self.operation, source.chunks[i], self.columns_)
        return super()._task(i)

    def _tree_label(self) -> str:
        cols = list(self.columns_) if isinstance(self.columns_, tuple) else repr(self.columns_)
        return f"Projection: {cols}"


MAX_HALVINGS = 5  # a filter is guessed to keep at least 1/32 of its input


def _conditions(predicate: Any) -> int:
    """How many conditions ``predicate`` joins with ``&``."""
    if isinstance(predicate, Map) and predicate.func is bf.binary_op and predicate.args[0] == "and_":
        return sum(_conditions(a) for a in predicate.args if isinstance(a, Expr))
    return 1


class Filter(MetaOfFrame, Blockwise):
    """Rows where a boolean Series (aligned partition-wise) is True."""

    _parameters = ["frame", "predicate"]
    operation = staticmethod(bf.rows_where)  # (matched by label, as pandas, also on cuDF)

    @functools.cached_property
    def weight(self) -> int:
        """The input's, halved per condition joined by ``&``: a guess at a filter's selectivity,
        for the merge planner (a range on a date, ``a < b & c in [...]``: each keeps far less than half)."""
        return max(1, -(-self.frame.weight // 2 ** min(_conditions(self.predicate), MAX_HALVINGS)))

    @functools.cached_property
    def data_weight(self) -> float:
        """The input's, halved per condition, as :attr:`weight`."""
        return self.frame.data_weight / 2 ** min(_conditions(self.predicate), MAX_HALVINGS)

    def _simplify_down(self) -> Expr | None:
        from gpuscale.dataframe.expr.pushdown import simplify_filter

        return simplify_filter(self)

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        from gpuscale.dataframe.expr.pushdown import push_projection_below

        return push_projection_below(self, parent, dependents)


class Assign(Blockwise):
    """New or replaced columns; operands after ``names`` are the values (frames or scalars)."""

    _parameters = ["frame", "names"]

    operation = staticmethod(bf.assign)

    @property
    def values(self) -> list:
        return self.operands[2:]

    @cached_bottom_up
    def _meta(self) -> Any:
        # a pandas/cuDF Series given as a value counts by its dtype alone: assigned whole to the empty
        # metadata it would add its rows, and turn the other columns to float (NaN)
        values = [bf.make_meta(v) if not isinstance(v, FrameExpr) and bf.is_frame_like(v) else _meta_of(v)
                  for v in self.values]
        return bf.make_meta(self.operation(self.frame._meta, self.names, *values))

    def _tree_label(self) -> str:
        return f"Assign: {list(self.names)}"

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        from gpuscale.dataframe.expr.pushdown import push_projection_below

        return push_projection_below(self, parent, dependents)


class Map(Blockwise):
    """``func(*args, **kwargs)`` on each partition; args after ``columnwise`` are operands.

    ``columnwise`` marks functions that treat every column alone (``fillna``,
    ``abs``, ``x + 1``): a projection above them may move below them.  Build one
    with :func:`map_partitions_expr`, which names the operands.
    """

    _parameters = ["func", "kwargs", "meta", "label", "columnwise"]

    @property
    def args(self) -> list:
        return self.operands[5:]

    def _task(self, i: int) -> tuple:
        refs = [_partition_ref(a, i) for a in self.args]
        if self._info_at is not None:
            return (bf.apply_kwargs, self.func, self._with_partition_info(i), *refs)
        return (*self._call, *refs)

    @functools.cached_property
    def _info_at(self) -> Any:
        """Where :data:`PARTITION_INFO` is: ``"top"`` (in ``self.kwargs``), ``"nested"`` (in the user's
        keywords, ``self.kwargs["kwargs"]``, of a wrapped function) or None."""
        kwargs = dict(self.kwargs or {})
        nested = kwargs.get("kwargs")
        if _is_info(kwargs.get("partition_info")):
            return "top"
        if isinstance(nested, dict) and _is_info(nested.get("partition_info")):
            return "nested"
        return None

    @functools.cached_property
    def _input_divisions(self) -> tuple:
        return Blockwise._divisions(self)

    def _with_partition_info(self, i: int) -> dict:
        """``self.kwargs`` with dask's ``partition_info`` of partition ``i`` in place of the placeholder."""
        info = {"number": i, "division": self._input_divisions[i]}  # dask's: the input's, kept or not
        kwargs = dict(self.kwargs)
        if self._info_at == "nested":
            return {**kwargs, "kwargs": {**kwargs["kwargs"], "partition_info": info}}
        return {**kwargs, "partition_info": info}

    @functools.cached_property
    def _call(self) -> tuple:
        """The head of every partition's task, built once and shared by them."""
        if self.kwargs:
            return (bf.apply_kwargs, self.func, dict(self.kwargs))
        return (self.func,)

    @cached_bottom_up
    def _meta(self) -> Any:
        if self.meta is not None:
            return self.meta
        return infer_meta(self.func, self.args, dict(self.kwargs or {}), self.label)

    def _simplify_up(self, parent: Expr, dependents: dict) -> Expr | None:
        if not self.columnwise:
            return None
        from gpuscale.dataframe.expr.pushdown import push_projection_below

        return push_projection_below(self, parent, dependents)

    def _divisions(self) -> tuple:
        divisions = super()._divisions()
        keeps = self.columnwise or self.func in _KEEPS_INDEX_FUNCS or self._called_method() in _KEEPS_INDEX
        if keeps and None not in divisions and bf.is_index_like(self._meta):
            # the operation maps the values the divisions describe (index + 1 day): shifted or unknown
            return _mapped_index_divisions(self, divisions)
        return divisions if keeps else (None,) * len(divisions)

    def _called_method(self) -> Any:
        """The method name when this calls a method of the partitions (``bf.call_method``), else None."""
        return self.args[1] if self.func is bf.call_method else None

    @property
    def _funcname(self) -> str:
        return str(self.label).replace("_", "-").lower()

    def _tree_label(self) -> str:
        literals = [a for a in self.args if not isinstance(a, FrameExpr)]
        names = str(self.label).split(".")
        while literals and names and isinstance(literals[0], str) and literals[0] == names[0]:
            literals.pop(0)  # the operation's name (``'gt'``, ``'str', 'upper'``) is the label already
            names.pop(0)
        shown = [_short(a) for a in literals]  # a 100k-value isin list would print whole
        return f"Map: {self.label}" + (f" {', '.join(shown)}" if shown else "")


class PositionalMap(Map):
    """A :class:`Map` pairing its frames' partitions by position as they are, never aligned by index
    (``map_partitions(align_dataframes=False)``, an array's blocks given to a frame's partitions).  The
    result is partitioned as the first frame, which the others were declared to line up with."""

    _align_by_index = False

    def _partitioning_inputs(self) -> list:
        return [a for a in self.args if isinstance(a, FrameExpr) and not a.is_scalar][:1]


# the value of ``partition_info=`` in a Map's keywords that each partition's task replaces by dask's
# ``{"number": i, "division": divisions[i]}`` (a string, so the plan's tokens stay deterministic)
PARTITION_INFO = "__gpuscale_partition_info__"


def _is_info(value: Any) -> bool:
    return isinstance(value, str) and value == PARTITION_INFO

def _mapped_index_divisions(node: Map, divisions: tuple) -> tuple:
    """The divisions of a partition-wise map whose result is an Index (its values, which the divisions
    describe): unchanged where the values are (a rename, a filter), shifted where the operation adds or
    subtracts a fixed amount (``index + pd.Timedelta("1D")``, ``index - 100``: strictly increasing, so each
    partition's values stay between its shifted bounds), else unknown (``-index``, ``index * 2``, a calendar
    offset such as ``MonthEnd`` that sends several values to one, ``index.where(...)``)."""
    unknown = (None,) * len(divisions)
    method = node._called_method()
    if method is not None:
        return divisions if method in _KEEPS_INDEX_VALUES or (method == "astype" and _same_order_cast(node)) \
            else unknown
    if node.func is bf.unary_op:
        return divisions if node.args[0] == "pos" else unknown
    if node.func is not bf.binary_op or node.args[0] not in _SHIFTS:
        return unknown
    name, left, right = node.args[:3]
    index, amount = (left, right) if name != "radd" else (right, left)
    if isinstance(amount, Expr) or not isinstance(index, FrameExpr) or not _is_fixed_shift(amount, index._meta):
        return unknown
    try:
        shifted = tuple(_SHIFTS[name](d, amount) for d in divisions)
        pairs = zip(divisions[:-1], divisions[1:], shifted[:-1], shifted[1:])
        in_order = all((a < b) == (x < y) and not y < x for a, b, x, y in pairs)  # (rounding may not tie them)
    except Exception:  # noqa: BLE001 - a label the amount does not apply to: unknown
        return unknown
    return shifted if in_order else unknown


_SHIFTS = {"add": lambda d, a: d + a, "radd": lambda d, a: a + d, "sub": lambda d, a: d - a}
_KEEPS_INDEX_VALUES = {"filter", "dropna", "rename", "set_names", "drop"}  # methods leaving an Index's values as they are


def _is_fixed_shift(amount: Any, index_meta: Any) -> bool:
    """Whether ``index + amount`` is strictly increasing and exact on the divisions: a real number on a numeric
    index, a fixed span (a Timedelta, a Tick offset such as ``Hour``) on a datetime or timedelta one."""
    import datetime
    import numbers

    kind = getattr(index_meta.dtype, "kind", None)
    if isinstance(amount, bool) or kind not in ("i", "u", "f", "m", "M"):
        return False
    if kind in "iuf":
        return isinstance(amount, numbers.Real)
    if isinstance(amount, datetime.timedelta) or getattr(getattr(amount, "dtype", None), "kind", None) == "m":
        return True
    try:  # a fixed offset (Hour, Minute; Day on a naive index) has its nanoseconds, a calendar one raises
        fixed = isinstance(amount.nanos, numbers.Integral)
    except Exception:  # noqa: BLE001 - MonthEnd and other calendar offsets, or no offset at all
        return False
    return fixed and getattr(index_meta.dtype, "tz", None) is None  # (a day in a time zone is a calendar day)


def _same_order_cast(node: Map) -> bool:
    """Whether ``index.astype(...)`` keeps the values' order: numbers to numbers, datetimes to datetimes."""
    before = getattr(getattr(node.args[0], "_meta", None), "dtype", None)
    kinds = (getattr(before, "kind", None), getattr(node._meta.dtype, "kind", None))
    return kinds[0] is not None and (set(kinds) <= set("iuf") or kinds[0] == kinds[1] and kinds[0] in "mM")


_KEEPS_INDEX = {"filter", "dropna", "astype", "fillna", "isin", "rename", "drop", "where", "mask"}  # methods keeping the rows' labels
_KEEPS_INDEX_FUNCS = {bf.binary_op, bf.flex_op}  # a + b of two aligned collections: labels of both partitions


def map_partitions_expr(func: Any, *args: Any, kwargs: dict | None = None, meta: Any = None, label: Any = None,
                        columnwise: bool = False, positional: bool = False) -> Map:
    """A :class:`Map` node: ``func(*args, **kwargs)`` on each partition.

    Parameters
    ----------
    func
        The partition function.
    *args
        Its arguments: frame expressions (aligned partition by partition) or literals.
    kwargs
        Keyword arguments of ``func`` (None: none).
    meta
        The result's metadata (None: inferred by running ``func`` on the inputs' metadata).
    label
        The name shown in plans and keys (default: the function's name); never matched by the optimizer.
    columnwise
        Whether ``func`` treats every column alone, so a projection above may move below it
        (and the divisions are kept).
    positional
        Whether the frames' partitions are paired by position as they are (:class:`PositionalMap`),
        not aligned by index.
    """
    label = label if label is not None else getattr(func, "__name__", "map")
    return (PositionalMap if positional else Map)(func, kwargs, meta, label, columnwise, *args)


def infer_meta(func: Any, args: list, kwargs: dict, label: Any = None, keep: Callable | None = None,
               nonempty_first: bool = False) -> Any:
    """Run ``func`` on empty metadata, or on a two-row stand-in if that fails; a result for which ``keep`` says
    True is returned as it is (an array of rows), others as metadata.  ``nonempty_first``: the stand-in first,
    as dask infers a user's function (``p.map(len)`` of no rows keeps the input's dtype, of rows gives
    integers); the empty metadata if that fails."""
    def meta_of(result: Any) -> Any:
        return result if keep is not None and keep(result) else bf.make_meta(result)

    metas = [_meta_of(a) for a in args]
    fakes = [bf.meta_nonempty(m) if bf.is_frame_like(m) else m for m in metas]
    first_try, second_try = (fakes, metas) if nonempty_first else (metas, fakes)
    try:
        return meta_of(func(*first_try, **kwargs))
    except Exception as first:  # noqa: BLE001 - retry with the other inputs
        if _is_keyword_error(first):  # a misspelt keyword: no input would do, and the TypeError names it
            raise
        try:
            return meta_of(func(*second_try, **kwargs))
        except Exception as exc:
            failure = first if nonempty_first else exc  # (the stand-in's failure tells what the function needs)
            if _is_library_call(func, args, kwargs):  # pandas' own error for the user's mistake (a missing column,
                raise _named(failure, label) from failure  # a text column + 1), of its type: no meta= would fix it
            raise ValueError(f"cannot infer the result of {label or func!r} from the metadata: {failure}; "
                             "pass meta= explicitly" + bf.udf_failure_hint(failure)) from first


def _named(error: Exception, label: Any) -> Exception:
    """``error`` of a built-in exception type with the operation named first ("add: operands could not be
    broadcast ..."); others (pandas' own types, which take other arguments) as they are."""
    if label is None or type(error).__module__ != "builtins":
        return error
    try:
        return type(error)(f"{label}: {error.args[0] if len(error.args) == 1 else error}")
    except Exception:  # noqa: BLE001 - a type that takes other arguments
        return error


def _is_library_call(func: Any, args: list, kwargs: dict) -> bool:
    """Whether ``func`` is gpuscale's own partition function (a pandas/cuDF method called by name) with no
    user function among its arguments."""
    def ours(f: Any) -> bool:
        return getattr(f, "__module__", "").startswith("gpuscale.")

    user = [a for a in (*args, *kwargs.values()) if callable(a) and not isinstance(a, (type, Expr)) and not ours(a)]
    return ours(func) and not user


# Python's "got an unexpected keyword argument 'x'" ("'x' is an invalid keyword argument for ..." of builtins),
# and cuDF's refusal of a pandas keyword it lacks ("... has no keyword 'x'")
_KEYWORD_ERROR = re.compile(r"unexpected keyword argument|invalid keyword argument|has no keyword")


def _is_keyword_error(exc: BaseException) -> bool:
    """Whether ``exc`` is the TypeError of a call given a keyword its function does not take."""
    return isinstance(exc, TypeError) and bool(_KEYWORD_ERROR.search(str(exc)))


class Partitions(MetaOfFrame, FrameExpr):
    """Some partitions of a frame, by position."""

    _parameters = ["frame", "indices"]

    def _divisions(self) -> tuple:
        div = self.frame.divisions
        return tuple(div[i] for i in self.indices) + (div[self.indices[-1] + 1],)

    def _layer(self) -> dict:
        return {(self._name, j): (_alias, (self.frame._name, i)) for j, i in enumerate(self.indices)}


def _alias(x: Any) -> Any:
    return x


class Head(MetaOfFrame, OnePartition, FrameExpr):
    """The first ``n`` rows, taken from the first ``k`` partitions."""

    _parameters = ["frame", "n", "k"]
    _take = staticmethod(bf.head)

    def _simplify_down(self) -> Expr | None:
        from gpuscale.dataframe.expr.sorting import SortValues

        frame = self.frame
        if self._take is bf.head and isinstance(frame, SortValues):
            return frame.top_n(self.n)
        return None

    def _divisions(self) -> tuple:
        # the rows lie within the partitions taken: their outer bounds, as dask's head/tail(compute=False)
        known, parts = self.frame.divisions, self._parts()
        if not parts or None in (known[parts[0]], known[parts[-1] + 1]):
            return (None, None)
        return (known[parts[0]], known[parts[-1] + 1])

    def _parts(self) -> list:
        count = self.frame.npartitions
        k = count if self.k == -1 else min(self.k, count)
        return list(range(k)) if self._take is bf.head else list(range(count - k, count))

    def _layer(self) -> dict:
        parts = [(self.frame._name, i) for i in self._parts()]
        return {(self._name, 0): (self._take, (bf.concat, [(self._take, p, self.n) for p in parts]), self.n)}


class Tail(Head):
    """The last ``n`` rows, taken from the last ``k`` partitions."""

    _take = staticmethod(bf.tail)

