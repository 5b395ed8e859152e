"""Re-raising task errors in the caller with their type, traceback and the task's key."""

from __future__ import annotations

import importlib
from typing import Hashable

__all__ = ["annotate"]


def annotate(error: BaseException, key: Hashable) -> BaseException:
    """Add a note naming the task ``key`` to ``error`` (kept as the same object and type).

    Python >= 3.11 shows notes under the message; on 3.10 the note is kept in
    ``__notes__`` only. A note of an earlier task (the same exception object raised again) is replaced.
    """
    note = _PREFIX + repr(key)
    notes = getattr(error, "__notes__", None) or []
    if note in notes:
        return error
    # an exception object raised again (a module-level instance, a cached failure) names only this task
    kept = [text for text in notes if not text.startswith(_PREFIX)]
    error.__notes__ = [*kept, note, *(hint for hint in _hints(error) if hint not in kept)]
    return error


_PREFIX = "raised by gpuscale task "


#: explains known failures of partition libraries; loaded by name (as ``device.SUPPORT_MODULE``), so that the
#: runtime stays below the backends in the import graph
HINTS_MODULE = "gpuscale.backends.frame.udf_errors"


def _hints(error: BaseException) -> list:
    """What to do about a known failure of a partition library (cuDF's UDF compilation)."""
    if not isinstance(error, ValueError):
        return []
    hint = importlib.import_module(HINTS_MODULE).udf_failure_hint(error)
    return [hint.lstrip("; ")] if hint else []
