"""Argument values cuDF refuses (or only warns about) although its signature takes them.

Each restriction has two halves: ``check`` runs in the stand-in before a call and
raises what cuDF raises (fallback warnings become errors: each one is a silent
slow path on a GPU); ``verify`` runs in the cuDF lane (``make test-cudf``) against
the real cuDF, on objects that need no GPU (a DataFrame without columns), and
proves cuDF still behaves so.  Add one when reading cuDF finds another, in the
module of the area it restricts (``sorting``, ``writers``, ``by_row``, ``groupby``,
``reshape``, ``windows``, ``values``, ``flex``, ``labels``).
"""

from __future__ import annotations

from typing import Any

from . import by_row, flex, groupby, labels, reshape, sorting, values, windows, writers


class StrictCudfRefusal(NotImplementedError):
    """A call the real cuDF refuses or degrades (raised by the stand-in)."""


RESTRICTIONS = [*reshape.RESTRICTIONS, *groupby.RESTRICTIONS, *values.RESTRICTIONS, *labels.RESTRICTIONS,
                *flex.RESTRICTIONS, *windows.RESTRICTIONS, *by_row.RESTRICTIONS, *writers.RESTRICTIONS,
                *sorting.RESTRICTIONS]
_BY_CALL = {(cls, r.method): r for r in RESTRICTIONS for cls in r.classes}


def load_parquet_keywords(spec: dict) -> None:
    writers.PARQUET_KEYWORDS.update(spec["classes"]["DataFrame"]["to_parquet"]["params"])


def check_call(cls: str, method: str, args: tuple, kwargs: dict, obj: Any = None) -> None:
    """Raise ``StrictCudfRefusal`` if cuDF refuses (or falls back on) this call (``obj``: the pandas object
    the method is called on)."""
    restriction = _BY_CALL.get((cls, method))
    if restriction is None:
        return
    message = restriction.check(obj, args, kwargs) if restriction.needs_data else restriction.check(args, kwargs)
    if message:
        raise StrictCudfRefusal(f"strict cuDF: {cls}.{method}: {message}")
