"""Re-raising task errors in the caller with their type, traceback and the task's key."""

from __future__ import annotations

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


def _hints(error: BaseException) -> list:
    """What to do about a known failure of a partition library (cuDF's UDF compilation)."""
    if not isinstance(error, ValueError):
        return []
    from gpuscale.backends.frame.udf_errors import udf_failure_hint

    hint = udf_failure_hint(error)
    return [hint.lstrip("; ")] if hint else []
