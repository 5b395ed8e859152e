"""``func(partition, i, **kwargs)``: a partition-wise map that is told the partition's position."""

from __future__ import annotations

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import Blockwise, MetaOperand

__all__ = ["MapIndexed"]


class MapIndexed(MetaOperand, Blockwise):
    """``func(partition i, i, **kwargs)`` on every partition (``sample`` seeds each partition apart);
    ``keep_divisions``: rows keep their labels, so known divisions stay."""

    _parameters = ["frame", "func", "kwargs", "meta", "label", "keep_divisions"]

    def _task(self, i: int) -> tuple:
        return (bf.apply_kwargs, self.func, dict(self.kwargs), (self.frame._name, i), i)

    def _divisions(self) -> tuple:
        divisions = self.frame.divisions
        return divisions if self.keep_divisions else (None,) * len(divisions)

    @property
    def _funcname(self) -> str:
        return str(self.label)

    def _tree_label(self) -> str:
        return f"MapIndexed: {self.label} {dict(self.kwargs)}  [npartitions={self.npartitions}]"
