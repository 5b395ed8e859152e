"""SIGTERM that unwinds: clean-ups in ``finally`` / ``except`` run, then the process still ends by SIGTERM.

Python's default SIGTERM ends the process at once, so the temporary folder of a
write that was running stays behind.  Inside ``sigterm_unwinds()`` (main thread
only, and only while nobody else handles SIGTERM) the signal raises
:class:`Terminated`, a ``KeyboardInterrupt``, which the local runtime stops on as
promptly as on Ctrl-C.  When it leaves the block, the default handler is back
and the signal is sent again, so the exit status is the one SIGTERM gives.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Iterator

__all__ = ["Terminated", "sigterm_unwinds"]


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived inside ``sigterm_unwinds()``."""


@contextlib.contextmanager
def sigterm_unwinds() -> Iterator[None]:
    """While the block runs, SIGTERM raises :class:`Terminated`; leaving the block by it ends the process."""
    if not _may_take_over():
        yield  # another thread, or a handler of the application's own (or an outer block's): leave it be
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    except Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTERM)  # the clean-ups inside have run: end as SIGTERM would have
        raise  # where a signal sent to oneself is not delivered at once
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _may_take_over() -> bool:
    if threading.current_thread() is not threading.main_thread():
        return False  # signal handlers can only be set from the main thread
    return signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def _raise_terminated(signum: int, frame: object) -> None:
    raise Terminated(f"terminated by signal {signum} (SIGTERM)")
