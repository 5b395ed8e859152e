"""Operators shared by the collections: arithmetic, comparison and logical dunders as lazy maps."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.collection import Collection

__all__ = ["Operators", "check_condition", "to_expr", "isin_operand"]

_BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow"]
_COMPARE = {"eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt", "ge": "ge"}
_LOGICAL = {"and": "and_", "or": "or_", "xor": "xor"}


def to_expr(obj: Any) -> Any:
    """The expression of a collection, or ``obj`` itself (a literal; a pandas object as it is now, so that
    later in-place changes of the user's object change neither the collection nor its name)."""
    return obj.expr if isinstance(obj, Collection) else bf.snapshot(obj)


def isin_operand(values: Any) -> Any:
    """The ``values`` of ``isin`` as each partition gets them: lists, dicts and arrays (NumPy, pandas, a Series
    or Index) unchanged, so that pandas reads their missing values as it does for the whole data (``list()`` of an
    ``Int64`` array makes its ``NA`` an object, which matches missing rows where the array does not); sets,
    tuples, iterators and other iterables become a list (a graph holds it, and an iterator would be spent by the
    first partition)."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__") or getattr(values, "ndim", 1) == 0:
        # (each partition would raise it when computed; a string is not taken as its characters, as pandas)
        raise TypeError("only list-like objects are allowed to be passed to isin(), you passed a "
                        f"'{type(values).__name__}'")
    return values if isinstance(values, (list, dict)) or hasattr(values, "dtype") else list(values)


def check_condition(cond: Any, method: str) -> None:
    """Refuse a single value as the condition of ``where`` / ``mask`` when the operation is built (pandas'
    errors: it is no mask of the same shape; ``mask`` inverts it first, which text cannot be)."""
    if callable(cond) or not bf.is_scalar_like(cond):
        return
    if method == "mask" and not isinstance(cond, (bool, int, float)) and not hasattr(cond, "dtype"):
        raise TypeError(f"mask: cond is a single {type(cond).__name__} ({cond!r}), which cannot be inverted; pass "
                        "a boolean Series or DataFrame (or a callable of the collection)")
    raise ValueError(f"Array conditional must be same shape as self: {method}: cond is a single "
                     f"{type(cond).__name__} ({cond!r}); pass a boolean Series or DataFrame (or a callable of the "
                     "collection)")


class Operators:
    """Arithmetic, comparison and logical operators as partition-wise maps."""

    def _binary(self, name: str, other: Any) -> Any:
        raise NotImplementedError

    for _op in _BINARY:
        locals()[f"__{_op}__"] = (lambda op: lambda self, other: _arithmetic(self, op, other))(_op)
        locals()[f"__r{_op}__"] = (lambda op: lambda self, other: _arithmetic(self, "r" + op, other))(_op)
    for _dunder, _op in _COMPARE.items():
        locals()[f"__{_dunder}__"] = (lambda op: lambda self, other: _arithmetic(self, op, other))(_op)
    for _dunder, _op in _LOGICAL.items():
        locals()[f"__{_dunder}__"] = (lambda op: lambda self, other: self._binary(op, other))(_op)
        locals()[f"__r{_dunder}__"] = (lambda op: lambda self, other: self._binary("r" + op, other))(_op)
    del _op, _dunder

    def __neg__(self) -> Any:
        return self._unary("neg")

    def __invert__(self) -> Any:
        return self._unary("invert")

    def __pos__(self) -> Any:
        return self._unary("pos")

    def __abs__(self) -> Any:
        return self._unary("abs")

    def __divmod__(self, other: Any) -> tuple:
        # divmod(s, 2): the floor quotient and the remainder, two lazy results (as pandas and dask)
        return self // other, self % other

    def __rdivmod__(self, other: Any) -> tuple:
        return other // self, other % self

    __hash__ = None  # type: ignore[assignment]  # == builds an expression

    # -- NumPy's protocols (gpuscale/dataframe/numpy_protocol.py) ---------------------------------------------
    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        # np.sin(df), np.add(s, 1), 2 >= s: the same ufunc on every partition, lazily
        return _numpy_protocol().array_ufunc(ufunc, method, *inputs, **kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        # np.sum(df), np.clip(s, 0, 1): the lazy methods; other functions as NumPy runs them
        return _numpy_protocol().array_function(self, func, types, args, kwargs)

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        # np.asarray(s): computes, as dask's
        return _numpy_protocol().to_host_array(self, dtype)

    def __array_wrap__(self, array: Any, context: Any = None, return_scalar: bool = False) -> Any:
        return _numpy_protocol().refuse_array_wrap(self, array, return_scalar)

    @property
    def __pandas_priority__(self) -> int | None:
        # pandas' operators defer to a collection (pandas_series + s, np.add(pandas_series, s) are lazy, the
        # pandas operand aligned by label); a lazy Scalar is an operand pandas takes itself
        return _numpy_protocol().pandas_priority(self)

    @property
    def _elemwise(self) -> Any:
        # dask.array's ufunc wrappers (da.sin(df)) hand dask-like collections to this function
        return _numpy_protocol().elemwise


def _arithmetic(obj: Any, name: str, other: Any) -> Any:
    """``obj <op> other`` of an arithmetic or comparison operator.  A list, tuple or 1-D array meeting a
    DataFrame is a value per column, as in pandas and dask (``df + [1, 2]``): the named method with
    ``axis="columns"``, whose operand is not split by a column projection as a partition-wise literal would be."""
    if _is_column_values(obj, other):
        columns = len(obj._meta.columns)
        if len(other) != columns:  # pandas' own error, when the operation is built
            raise ValueError(f"Unable to coerce to Series, length must be {columns}: given {len(other)}")
        return getattr(obj, name)(list(other), axis="columns")
    return obj._binary(name, other)


def _is_column_values(obj: Any, other: Any) -> bool:
    """True where ``other`` is a plain sequence of values (a list, tuple or 1-D array, not a Series or Index)
    meeting a DataFrame collection."""
    if isinstance(other, Collection) or not bf.is_dataframe_like(getattr(obj, "_meta", None)):
        return False
    if isinstance(other, (list, tuple)):
        return True
    return getattr(other, "ndim", None) == 1 and not bf.is_frame_like(other) and hasattr(other, "__len__")


def _numpy_protocol() -> Any:
    from gpuscale.dataframe import numpy_protocol

    return numpy_protocol


