"""Where pandas 2.2 and pandas 3 answer differently and gpuscale follows the installed pandas: one small helper
per difference, with both branches (gpuscale supports pandas >= 2.2 and pandas 3)."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["PANDAS_3", "index_merge_names"]

PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def index_merge_names(left: Any, right: Any, how: Any) -> list:
    """The index names pandas gives a merge on both indexes (``left`` and ``right``: their names) where both sides
    have rows: the right's for ``how="right"``, else the left's; pandas 2.2 keeps of an inner or outer merge only
    the names both sides share (``None`` for the others).

    Examples
    --------
    >>> index_merge_names(["i"], ["j"], "right")
    ['j']
    >>> index_merge_names(["i"], ["i"], "outer")
    ['i']
    """
    if how == "right":
        return list(right)
    if PANDAS_3 or how not in ("inner", "outer") or len(left) != len(right):
        return list(left)
    return [a if a == b else None for a, b in zip(left, right)]
