"""Row-wise concatenation: the partitions of all inputs, one after another."""

from __future__ import annotations

from typing import Any

from gpuscale.backends import frame as bf
from gpuscale.dataframe.expr.base import FrameExpr
from gpuscale.expr import cached_bottom_up

__all__ = ["Concat"]


class Concat(FrameExpr):
    """Inputs' partitions in order, each conformed to the union of columns (``join="outer"``)."""

    _parameters = ["join"]

    @property
    def frames(self) -> list:
        return self.operands[1:]

    @cached_bottom_up
    def _meta(self) -> Any:
        return bf.concat_meta([f._meta for f in self.frames], self.join)

    def _divisions(self) -> tuple:
        divs = [f.divisions for f in self.frames]
        ordered = all(d[0] is not None for d in divs) and all(
            a[-1] < b[0] for a, b in zip(divs[:-1], divs[1:]))
        if ordered:
            return tuple(x for d in divs for x in d[:-1]) + (divs[-1][-1],)
        return (None,) * (sum(len(d) - 1 for d in divs) + 1)

    def _layer(self) -> dict:
        keys = [(f._name, i) for f in self.frames for i in range(f.npartitions)]
        return {(self._name, j): (bf.conform, k, self._meta) for j, k in enumerate(keys)}
