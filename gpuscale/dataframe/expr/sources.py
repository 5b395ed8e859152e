"""Partitions made by user functions (``from_map``) or by other task graphs (``from_delayed``)."""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import Blockwise, DivisionsOperand, FrameExpr, PartitionedSource

__all__ = ["FromMap", "FromMapColumns", "FromGraph"]


class FromMap(DivisionsOperand, Blockwise):
    """Partition ``i`` is ``func(*args[i], **kwargs)``; a mismatch with ``meta`` is an error naming it.

    Blockwise (with no frame operands), so the call fuses with the steps that follow it.
    """

    _parameters = ["func", "args", "kwargs", "meta", "divisions_", "label", "enforce"]

    @functools.cached_property  # a leaf: no operands to walk
    def _meta(self) -> Any:
        return self.meta

    @property
    def _funcname(self) -> str:
        return self.label

    def _task(self, i: int) -> tuple:
        return (*self._call, *self.args[i])

    @functools.cached_property
    def _call(self) -> tuple:
        """The head of every partition's task, built once (10,000 partitions: 10,000 tasks share it)."""
        if not self.enforce:
            return (bf.apply_kwargs, self.func, dict(self.kwargs))
        check = {"func": self.func, "kwargs": self.kwargs, "meta": self.meta, "label": self.label}
        return (bf.apply_kwargs, _checked_call, check)


class FromMapColumns(DivisionsOperand, PartitionedSource):
    """:class:`FromMap` of a function that reads only the columns it is told, so the optimizer pushes column
    selections into the calls: dask's two protocols, a ``columns=`` keyword of the function (``by_keyword``;
    ``required``: always given) or ``DataFrameIOFunction`` (a ``columns`` attribute and
    ``project_columns(columns)`` returning such a function)."""

    _parameters = ["columns", "filters", "func", "args", "kwargs", "meta", "divisions_", "label", "enforce",
                   "by_keyword", "required"]
    _defaults = {"columns": None, "filters": None, "by_keyword": False, "required": False}
    _absorbs_filters = False

    @functools.cached_property  # a leaf: no operands to walk
    def _meta(self) -> Any:
        columns = self.operand("columns")
        return bf.project(self.meta, tuple(columns)) if columns is not None else self.meta

    @property
    def _funcname(self) -> str:
        return self.label

    def _partition_task(self, i: int) -> tuple:
        return (*self._call, *self.args[i])

    @functools.cached_property
    def _call(self) -> tuple:
        columns, func, kwargs = self.operand("columns"), self.func, dict(self.kwargs)
        if self.by_keyword and (columns is not None or self.required):
            kwargs["columns"] = list(self._meta.columns)
        elif not self.by_keyword and columns is not None:
            func = func.project_columns(list(columns))
        if not self.enforce:
            return (bf.apply_kwargs, func, kwargs)
        check = {"func": func, "kwargs": kwargs, "meta": self._meta, "label": self.label}
        return (bf.apply_kwargs, _checked_call, check)


def _checked_call(*args: Any, func: Any, kwargs: dict, meta: Any, label: str) -> Any:
    return bf.enforce_meta(func(*args, **kwargs), meta, label)


class FromGraph(DivisionsOperand, FrameExpr):
    """Partitions that are the outputs ``keys`` of another task graph (dask ``Delayed`` objects, or the graph a
    collection's rebuilder gets from ``dask.graph_manipulation``'s clone / bind / wait_on: its renamed keys)."""

    _parameters = ["graph", "keys", "meta", "divisions_", "verify"]
    _defaults = {"verify": False}

    @functools.cached_property  # a leaf: no operands to walk
    def _meta(self) -> Any:
        return self.meta

    def _layer(self) -> dict:
        layer = dict(self.graph)
        if self.verify:  # each partition checked against meta (columns, Series or DataFrame), as dask
            layer.update({(self._name, i): (bf.enforce_meta, key, self.meta, "from_delayed")
                          for i, key in enumerate(self.keys)})
        else:
            layer.update({(self._name, i): (_identity, key) for i, key in enumerate(self.keys)})
        return layer


def _identity(value: Any) -> Any:
    return value
