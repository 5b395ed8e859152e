"""``rolling(w, win_type=...).var()`` / ``std()`` continued along the partitions, as pandas on the whole frame.

pandas' weighted variance gives the value at row ``i`` of the frame the weight ``weights[i % w]`` (its kernel
cycles through the weights by row position, not by place in the window), so a window's result depends on where
the frame starts, modulo ``w``.  A partition is therefore computed with the rows before it reaching back to a
position of the whole frame divisible by ``w`` (between ``w - 1`` and ``2w - 2`` rows): a scan hands on the row
count and the last ``2w - 2`` rows.  (``center=True`` also needs rows after a partition: not this way.)
"""

from __future__ import annotations

from typing import Any

from gpuscale.backends.frame.partition_concat import concat
from gpuscale.backends.frame.window import rolling_aggregate

__all__ = ["weighted_rolling_total", "weighted_rolling_combine", "weighted_rolling_finish"]


def _last_rows(part: Any, window: int) -> Any:
    keep = max(0, 2 * window - 2)
    return part.iloc[max(0, len(part) - keep):]


def weighted_rolling_total(part: Any, window: int, **kwargs: Any) -> dict:
    """The rows of ``part`` and its last ``2 * window - 2`` rows."""
    return {"rows": len(part), "tail": _last_rows(part, window)}


def weighted_rolling_combine(carry: dict, total: dict, window: int, **kwargs: Any) -> dict:
    """The carry after one more partition."""
    return {"rows": carry["rows"] + total["rows"],
            "tail": _last_rows(concat([carry["tail"], total["tail"]]), window)}


def borrowed_rows(rows_before: int, window: int) -> int:
    """How many of the rows before a partition it runs with: all of them up to ``window - 1``, else at least
    ``window - 1`` starting at a position divisible by ``window``.

    Examples
    --------
    >>> [borrowed_rows(r, 3) for r in (0, 1, 2, 3, 4, 5, 6, 7)]
    [0, 1, 2, 3, 4, 2, 3, 4]
    """
    if rows_before < window:
        return rows_before
    return window - 1 + (rows_before - window + 1) % window


def weighted_rolling_finish(part: Any, carry: dict | None, window: int, rolling_kwargs: dict, how: str,
                            how_args: tuple = (), how_kwargs: dict | None = None) -> Any:
    """``part.rolling(window, **rolling_kwargs).<how>(...)`` with the rows before it that pandas' weights see."""
    k = borrowed_rows(carry["rows"], window) if carry else 0
    if not k:
        return rolling_aggregate(part, window, rolling_kwargs, how, how_args, how_kwargs)
    tail = carry["tail"]
    out = rolling_aggregate(concat([tail.iloc[len(tail) - k:], part]), window, rolling_kwargs, how, how_args,
                            how_kwargs)
    return out.iloc[k:]
