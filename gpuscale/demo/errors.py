"""The one exception the demo shows to people: a message and an exit status, no traceback."""

from __future__ import annotations


class DemoError(Exception):
    """A problem the user can fix (bad option, unwritable folder, full disk...).

    Parameters
    ----------
    message : str
        One or two sentences naming the cause and what to do.
    exit_code : int
        Process exit status (2 for bad options, 1 for failures, 130 for interrupts).
    """

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code
