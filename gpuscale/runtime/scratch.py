"""Private temporary folders that the next process removes if their owner died.

``owned_folder(prefix, parent)`` makes ``parent/<prefix>XXXX`` (``mkdtemp``, mode
0700) and, beside it, a hidden lock file ``.<prefix>XXXX.lock`` (holding the pid,
for people) locked with ``flock`` for as long as the folder is in use.  The
kernel drops the lock when the owner ends, however it ends (SIGKILL, the OOM
killer), so before making a folder, the siblings with the same prefix whose lock
can be taken belonged to dead processes and are removed.  A lock cannot be
fooled by a reused pid the way a recorded pid can.

The lock file is locked under a temporary name and then renamed into place, so
a ``.lock`` file that exists is always locked while its owner lives.  Folders
without a lock file (being made at this moment, or made before this module
existed) are never touched.  Without ``fcntl`` (Windows) folders are made and
removed as before, and nothing stale is looked for.

``claim(path)`` locks a folder (or file) that is made after the call, by tasks
of this process or of workers it drives (a write's ``<target>.tmp-<token>``), so
the same rule removes it once this process has ended.
"""

from __future__ import annotations

import os
import shutil
import tempfile

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

__all__ = ["OwnedFolder", "owned_folder", "claim", "remove_stale"]

_LOCK_SUFFIX = ".lock"


class OwnedFolder:
    """A folder of this process; ``close()`` removes it and its lock file."""

    def __init__(self, path: str, lock_fd: int | None) -> None:
        self.path = path
        self._lock_fd = lock_fd

    def close(self) -> None:
        """Remove the folder, then the lock (held until the folder is gone); idempotent."""
        _remove(self.path)
        if self._lock_fd is not None:
            _unlink(_lock_path(self.path))
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> "OwnedFolder":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def owned_folder(prefix: str, parent: str | None = None) -> OwnedFolder:
    """Remove stale ``prefix*`` folders of dead processes in ``parent``, then make a new one."""
    parent = parent if parent is not None else tempfile.gettempdir()
    remove_stale(prefix, parent)
    path = tempfile.mkdtemp(prefix=prefix, dir=parent)
    try:
        return OwnedFolder(path, _lock(path))
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def claim(path: str) -> OwnedFolder:
    """Lock ``path`` before it exists (its parent must), for a folder or file that others make for this process.

    ``close()`` removes whatever is at ``path`` then (nothing, after it was renamed away) and the lock;
    if this process ends first, ``remove_stale`` of a later process removes both.
    """
    return OwnedFolder(path, _lock(path))


def remove_stale(prefix: str, parent: str) -> list[str]:
    """Remove the ``prefix*`` folders in ``parent`` whose owner process has ended; return them."""
    if fcntl is None:
        return []
    start = "." + prefix
    try:
        names = [e.name for e in os.scandir(parent) if e.name.startswith(start) and e.name.endswith(_LOCK_SUFFIX)]
    except OSError:  # no such parent yet, or not readable
        return []
    folders = [os.path.join(parent, name[1:-len(_LOCK_SUFFIX)]) for name in names]
    return [folder for folder in folders if _remove_if_owner_gone(folder)]


def _lock_path(folder: str) -> str:
    parent, name = os.path.split(folder)
    return os.path.join(parent, f".{name}{_LOCK_SUFFIX}")


def _lock(folder: str) -> int | None:
    """Create the folder's lock file, locked before it appears under its name."""
    if fcntl is None:
        return None
    final = _lock_path(folder)
    temporary = final + ".new"  # unique: the folder's name is
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, f"{os.getpid()}\n".encode())
        os.rename(temporary, final)
    except BaseException:
        os.close(fd)
        _unlink(temporary)
        raise
    return fd


def _remove_if_owner_gone(folder: str) -> bool:
    lock = _lock_path(folder)
    try:
        fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:  # removed meanwhile, or another user's
        return False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # its owner is alive
            return False
        _remove(folder)  # still holding the lock: no one else removes it
        _unlink(lock)
        return True
    finally:
        os.close(fd)


def _remove(path: str) -> None:
    """Remove a folder, or a file (a claimed path may be a single temporary file); nothing there is fine."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        _unlink(path)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
