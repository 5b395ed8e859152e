"""Operators shared by the collections: arithmetic, comparison and logical dunders as lazy maps."""

from __future__ import annotations

from typing import Any

from gpuscale.collection import Collection

__all__ = ["Operators", "to_expr"]

_BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow"]
_COMPARE = {"eq": "eq", "ne": "ne", "lt": "lt", "le": "le", "gt": "gt", "ge": "ge"}
_LOGICAL = {"and": "and_", "or": "or_", "xor": "xor"}


def to_expr(obj: Any) -> Any:
    """The expression of a collection, or ``obj`` itself (a literal)."""
    return obj.expr if isinstance(obj, Collection) else obj


class Operators:
    """Arithmetic, comparison and logical operators as partition-wise maps."""

    def _binary(self, name: str, other: Any) -> Any:
        raise NotImplementedError

    for _op in _BINARY:
        locals()[f"__{_op}__"] = (lambda op: lambda self, other: self._binary(op, other))(_op)
        locals()[f"__r{_op}__"] = (lambda op: lambda self, other: self._binary("r" + op, other))(_op)
    for _dunder, _op in _COMPARE.items():
        locals()[f"__{_dunder}__"] = (lambda op: lambda self, other: self._binary(op, other))(_op)
    for _dunder, _op in _LOGICAL.items():
        locals()[f"__{_dunder}__"] = (lambda op: lambda self, other: self._binary(op, other))(_op)
        locals()[f"__r{_dunder}__"] = (lambda op: lambda self, other: self._binary("r" + op, other))(_op)
    del _op, _dunder

    def __neg__(self) -> Any:
        return self._unary("neg")

    def __invert__(self) -> Any:
        return self._unary("invert")

    def __abs__(self) -> Any:
        return self._unary("abs")

    def __divmod__(self, other: Any) -> tuple:
        # divmod(s, 2): the floor quotient and the remainder, two lazy results (as pandas and dask)
        return self // other, self % other

    def __rdivmod__(self, other: Any) -> tuple:
        return other // self, other % self

    __hash__ = None  # type: ignore[assignment]  # == builds an expression


