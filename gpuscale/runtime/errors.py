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
    if hasattr(error, "add_note"):
        error.add_note(note)
    else:  # Python 3.10
        error.__notes__ = [*notes, note]
    return error
