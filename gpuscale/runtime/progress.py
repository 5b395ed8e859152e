"""An optional tqdm progress bar for long computations; never needed for correctness."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Any, Iterator

__all__ = ["progress_bar"]

_AUTO_DELAY_SECONDS = 1.0  # "auto" shows the bar only for computations longer than this


@contextmanager
def progress_bar(progress: Any, total: int) -> Iterator[Any]:
    """Yield a tqdm bar counting ``total`` tasks, or None.

    ``progress`` is the config option: True shows the bar at once, "auto"
    shows it after ~1 s when stderr is a terminal, False shows nothing.  A
    missing or failing tqdm also gives None.
    """
    bar = _open(progress, total)
    try:
        yield bar
    finally:
        if bar is not None:
            bar.close()


def _open(progress: Any, total: int) -> Any:
    if progress == "auto":
        if not _stderr_is_tty():
            return None
        delay = _AUTO_DELAY_SECONDS
    elif progress:
        delay = 0.0
    else:
        return None
    try:
        from tqdm.auto import tqdm
        return tqdm(total=total, delay=delay, unit="task", desc="gpuscale", file=sys.stderr, leave=False)
    except Exception:  # the bar is a nicety: never let it break a computation
        return None


def _stderr_is_tty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
