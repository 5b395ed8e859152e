"""More partitions: split each input partition into equal row blocks."""

from __future__ import annotations

import math

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr, MetaOfFrame

__all__ = ["SplitPartitions"]


class SplitPartitions(MetaOfFrame, FrameExpr):
    """Each input partition becomes ``ceil(n / npartitions_in)`` outputs (trimmed to ``n`` in total)."""

    _parameters = ["frame", "npartitions_"]

    def _plan(self) -> list:
        n_in = self.frame.npartitions
        per = [math.floor(self.npartitions_ * (i + 1) / n_in) - math.floor(self.npartitions_ * i / n_in)
               for i in range(n_in)]
        return [(i, j, k) for i, k in enumerate(per) for j in range(max(1, k))]

    def _divisions(self) -> tuple:
        return (None,) * (len(self._plan()) + 1)

    def _layer(self) -> dict:
        layer, split = {}, f"split-{self._name}"
        for i in range(self.frame.npartitions):
            k = max(1, dict(((a, c) for a, _, c in self._plan()))[i])
            layer[(split, i)] = (bf.split_frame, (self.frame._name, i), k)
        for out, (i, j, _) in enumerate(self._plan()):
            layer[(self._name, out)] = (bf.pick, (split, i), j)
        return layer
