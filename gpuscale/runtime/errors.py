"""Re-raising task errors in the caller with their type, traceback and the task's key."""

from __future__ import annotations

import importlib
from typing import Hashable

__all__ = ["annotate"]


def annotate(error: BaseException, key: Hashable) -> BaseException:
    """Add a note naming the task ``key`` to ``error`` (kept as the same object and type).

    Python >= 3.11 shows notes under the message; on 3.10 the note is kept in
    ``__notes__`` only.
    """
    note = f"raised by gpuscale task {key!r}"
    notes = getattr(error, "__notes__", None) or []
    if note in notes:
        return error
    new = [note, *_hints(error)]
    if hasattr(error, "add_note"):
        for text in new:
            error.add_note(text)
    else:  # Python 3.10
        error.__notes__ = [*notes, *new]
    return error


#: explains known failures of partition libraries; loaded by name (as ``device.SUPPORT_MODULE``), so that the
#: runtime stays below the backends in the import graph
HINTS_MODULE = "gpuscale.backends.frame.udf_errors"


def _hints(error: BaseException) -> list:
    """What to do about a known failure of a partition library (cuDF's UDF compilation)."""
    if not isinstance(error, ValueError):
        return []
    hint = importlib.import_module(HINTS_MODULE).udf_failure_hint(error)
    return [hint.lstrip("; ")] if hint else []
