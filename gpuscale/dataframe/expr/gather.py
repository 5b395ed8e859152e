"""Small results made of other results: exact order statistics of a sorted column, and ``Gather``.

:class:`OrderStatistics`
    quantiles of a column sorted across its partitions: the partitions' row counts are gathered
    in one task, each sorted partition gives the few rows the quantiles need, one task
    interpolates.  Only those rows travel; the sort is the only shuffle.
:class:`Gather`
    ``func([result, ...], **kwargs)`` of lazy scalars and one-partition results (a DataFrame's
    quantiles or modes from its columns').
"""

from __future__ import annotations

import functools
from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, OnePartition

__all__ = ["OrderStatistics", "Gather"]


class OrderStatistics(OnePartition, FrameExpr):
    """Quantiles ``qs`` of ``frame`` (a Series without missing values), exactly, by selection: each partition
    sorts its own values, samples of them bracket the ranks needed, and only the values inside the brackets
    are gathered (:mod:`gpuscale.backends.frame.selection`): the tasks grow linearly with the partitions."""

    _parameters = ["frame", "qs", "scalar", "meta", "label", "median", "interpolation"]
    _defaults = {"median": False, "interpolation": "linear"}

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    @property
    def _funcname(self) -> str:
        return str(self.label)

    def _layer(self) -> dict:
        frame, n = self.frame._name, self.frame.npartitions
        ordered, sample, brackets, counts = (f"{step}-{self._name}" for step in ("sorted", "sample", "brackets",
                                                                                  "counts"))
        k = bf.samples_per_partition(n)
        layer: dict = {}
        for i in range(n):
            layer[(ordered, i)] = (bf.sorted_values, (frame, i))
            layer[(sample, i)] = (bf.rank_sample, (ordered, i), k)
        layer[(brackets, 0)] = (bf.apply_kwargs, bf.rank_brackets, {"qs": tuple(self.qs), "median": bool(self.median)},
                                [(sample, i) for i in range(n)])
        for i in range(n):
            layer[(counts, i)] = (bf.bracket_counts, (ordered, i), (brackets, 0))
        library = bf.library_of(self.frame._meta)
        layer[(self._name, 0)] = (bf.apply_kwargs, bf.quantiles_from_brackets,
                                  {"qs": tuple(self.qs), "scalar": self.scalar,
                                   "name": getattr(self.frame._meta, "name", None), "library": library,
                                   "median": bool(self.median), "interpolation": self.interpolation,
                                   "dtype": bf.quantile_dtype(self.meta)},
                                  [(counts, i) for i in range(n)], (brackets, 0))
        return layer

    def _tree_label(self) -> str:
        return f"OrderStatistics: q={list(self.qs)}"


class Gather(OnePartition, FrameExpr):
    """``func([results of the other operands], **kwargs)`` in one task; ``meta`` is the result's."""

    _parameters = ["func", "kwargs", "meta", "label"]

    @property
    def parts(self) -> list:
        return self.operands[len(self._parameters):]

    @functools.cached_property
    def _meta(self) -> Any:
        return self.meta

    @property
    def _funcname(self) -> str:
        return str(self.label)

    def _layer(self) -> dict:
        for part in self.parts:
            if part.npartitions != 1:
                raise ValueError(f"Gather: {part._funcname} has {part.npartitions} partitions (one expected)")
        keys = [(p._name, 0) for p in self.parts]
        return {(self._name, 0): (bf.apply_kwargs, self.func, dict(self.kwargs), keys)}

    def _tree_label(self) -> str:
        return f"Gather: {self.label}"
