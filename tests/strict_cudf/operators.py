"""Python's operators on the stand-in objects, as cuDF's take them (host sequences refused, nulls
propagated by comparisons).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np
import pandas as pd

from . import nulls
from .proxy import Proxy, call_pandas, unwrap, wrap


def _binary(op: Any) -> Any:
    def method(self: Proxy, other: Any) -> Any:
        _refuse_host_operand(self, other, op)
        return call_pandas(f"{type(self).__name__} {op.__name__}", op, (self, other), {})
    return method


def _reflected(op: Any) -> Any:
    def method(self: Proxy, other: Any) -> Any:
        _refuse_host_operand(self, other, op)
        return call_pandas(f"{type(self).__name__} {op.__name__}", op, (other, self), {})
    return method


def _refuse_host_operand(self: Proxy, other: Any, op: Any) -> None:
    """cuDF's Series operators take scalars, cuDF objects and device arrays only: a list or a NumPy array
    (host memory) gets NotImplemented (``SingleColumnFrame._make_operands_for_binop``), so Python raises."""
    if type(self).__name__ != "Series" or isinstance(other, Proxy):
        return
    if isinstance(other, (list, tuple, pd.Index, pd.api.extensions.ExtensionArray)) or (
            type(other) is np.ndarray and other.ndim > 0):
        raise TypeError(f"operand type(s) all returned NotImplemented for {op.__name__}: 'Series', "
                        f"{type(other).__name__!r} (strict cuDF, as cuDF: host sequences are no operands)")


def _unary(op: Any) -> Any:
    def method(self: Proxy) -> Any:
        return call_pandas(f"{type(self).__name__} {op.__name__}", op, (self,), {})
    return method


def _comparison(op: Any) -> Any:
    def method(self: Proxy, other: Any) -> Any:  # null where an operand is null (nulls.py)
        _refuse_host_operand(self, other, op)
        result = call_pandas(f"{type(self).__name__} {op.__name__}", op, (self, other), {})
        if not isinstance(result, Proxy) or type(self).__name__ not in ("Series", "DataFrame"):
            return result
        left, right = object.__getattribute__(self, "_pd"), unwrap(other, op.__name__)
        return wrap(nulls.compared(object.__getattribute__(result, "_pd"), left, right))
    return method


_BINARY = ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and_", "or_", "xor", "matmul")


def install() -> None:
    """Give ``Proxy`` the operators (called once, when the stand-in package loads)."""
    for name in _BINARY:
        dunder = name.rstrip("_")
        setattr(Proxy, f"__{dunder}__", _binary(getattr(operator, name)))
        setattr(Proxy, f"__r{dunder}__", _reflected(getattr(operator, name)))
    for name in ("eq", "ne", "lt", "le", "gt", "ge"):
        setattr(Proxy, f"__{name}__", _comparison(getattr(operator, name)))
    for name in ("neg", "pos", "abs", "invert"):
        setattr(Proxy, f"__{name}__", _unary(getattr(operator, name)))
    Proxy.__round__ = lambda self, n=0: call_pandas("round", round, (self, n), {})  # type: ignore[attr-defined]
