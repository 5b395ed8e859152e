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
    """Quantiles ``qs`` of the sorted values of ``frame`` (a Series without missing values)."""

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
        lengths = f"lengths-{self._name}"
        pick = f"pick-{self._name}"
        layer: dict = {(f"{lengths}-{i}", 0): (bf.length, (frame, i)) for i in range(n)}
        layer[(lengths, 0)] = (bf.partition_lengths, *[(f"{lengths}-{i}", 0) for i in range(n)])
        for i in range(n):
            layer[(pick, i)] = (bf.pick_order_statistics, (frame, i), i, (lengths, 0), tuple(self.qs))
        library = bf.library_of(self.frame._meta)
        layer[(self._name, 0)] = (bf.apply_kwargs, bf.quantiles_from_picks,
                                  {"qs": tuple(self.qs), "scalar": self.scalar,
                                   "name": getattr(self.frame._meta, "name", None), "library": library,
                                   "median": bool(self.median), "interpolation": self.interpolation,
                                   "dtype": bf.quantile_dtype(self.meta)},
                                  [(pick, i) for i in range(n)], (lengths, 0))
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
