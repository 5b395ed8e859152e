"""Partition functions of the growing windows that need every earlier value: ``expanding().median()``,
``quantile``, ``rank``, ``nunique``, ``first``, ``last`` and ``apply``.

A scan whose carry is the rows of the partitions before (per column, on the host): each partition is put after
them and pandas' own ``expanding()`` runs over both, its rows kept.  Exact for any function, but the work and the
carry grow with the rows before a partition (the last partition's window holds the whole column): meant for
columns that fit in memory, as pandas needs them to.  cuDF partitions are computed on a host copy (cuDF has no
expanding windows) and copied back.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from gpuscale.backends.convert import to_host
from gpuscale.backends.frame.core import convert_library, library_of
from gpuscale.backends.frame.expanding import _check_numeric, _columns, _rebuild

__all__ = ["expanding_history_total", "expanding_history_combine", "expanding_history_finish", "HISTORY_METHODS"]

HISTORY_METHODS = ("median", "quantile", "rank", "nunique", "first", "last", "apply")


def expanding_history_total(part: Any, how: str, min_periods: int = 1, args: tuple = (),
                            kwargs: dict | None = None) -> dict:
    """Per column the partition's rows (host Series), and its row count."""
    out = {}
    for label, col in _columns(to_host(part)):
        if how != "apply":
            _check_numeric(col, f"expanding().{how}()")
        out[label] = col
    return {"rows": len(part), "columns": out}


def expanding_history_combine(carry: dict, total: dict, how: str, min_periods: int = 1, args: tuple = (),
                              kwargs: dict | None = None) -> dict:
    """The rows of the partitions so far."""
    columns = {label: pd.concat([carry["columns"][label], col]) if label in carry["columns"] else col
               for label, col in total["columns"].items()}
    return {"rows": carry["rows"] + total["rows"], "columns": columns}


def expanding_history_finish(part: Any, carry: dict | None, how: str, min_periods: int = 1, args: tuple = (),
                             kwargs: dict | None = None) -> Any:
    """``part.expanding(min_periods).<how>(*args, **kwargs)`` with the rows before it in every window."""
    library, host = library_of(part), to_host(part)
    before = carry["columns"] if carry else {}
    out = {}
    for label, col in _columns(host):
        if how != "apply":
            _check_numeric(col, f"expanding().{how}()")
        earlier = before.get(label)
        window = col if earlier is None or not len(earlier) else pd.concat([earlier, col])
        result = getattr(window.expanding(min_periods), how)(*args, **(kwargs or {}))
        out[label] = result.iloc[len(window) - len(col):]
    return convert_library(_rebuild(host, out), library)
