"""The memory a Linux control group (a container, a systemd slice, a batch job) allows this process.

The local runtime keeps every result in memory unless ``memory_limit`` is set.  Inside a container whose memory
is capped below the machine's, that default runs into the OOM killer at the cap instead of spilling, so with no
``memory_limit`` set the runtime bounds its held results to a share of the cgroup's limit
(:func:`default_memory_limit`).  The limit is the smallest of this process's cgroup and its ancestors (cgroup v1
``memory.limit_in_bytes``, v2 ``memory.max``), found through ``/proc/self/cgroup`` and the cgroup mounts in
``/proc/self/mountinfo``.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

__all__ = ["cgroup_memory_limit", "default_memory_limit", "CGROUP_SHARE"]

# Share of the cgroup's limit that held results may take: the rest is the interpreter, the libraries, the blocks
# tasks are working on and what the heap keeps of freed blocks (on the xarray benchmark ~half of the peak RSS).
CGROUP_SHARE = 0.5


def cgroup_memory_limit(proc: str | Path = "/proc/self") -> int | None:
    """Bytes of memory the cgroups of a process allow, or None without a limit (or without cgroups).

    Parameters
    ----------
    proc
        The process's ``/proc`` folder (its ``cgroup`` and ``mountinfo`` files are read).

    Returns
    -------
    The smallest limit set on the process's memory cgroup or any ancestor of it, in cgroup v1
    (``memory.limit_in_bytes``) or v2 (``memory.max``); None where none is set or nothing can be read.
    """
    proc = Path(proc)
    try:
        memberships = (proc / "cgroup").read_text().splitlines()
        mounts = _cgroup_mounts((proc / "mountinfo").read_text())
    except OSError:
        return None
    limits = []
    for line in memberships:
        hierarchy, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if hierarchy == "0" and controllers == "":
            limits += _limits_along(mounts.get("cgroup2"), path, "memory.max")
        elif "memory" in controllers.split(","):
            limits += _limits_along(mounts.get("memory"), path, "memory.limit_in_bytes")
    return min(limits) if limits else None


@functools.lru_cache(maxsize=1)
def default_memory_limit() -> int | None:
    """The local runtime's ``memory_limit`` when none is set: ``CGROUP_SHARE`` of this process's cgroup
    memory limit where one caps it below the machine's RAM, else None (keep every result in memory).

    Read once per process (a cgroup's limit rarely changes under a running process).
    """
    limit = cgroup_memory_limit()
    if limit is None or limit >= _physical_memory():
        return None
    return int(limit * CGROUP_SHARE)


def _physical_memory() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 2**63


def _cgroup_mounts(mountinfo: str) -> dict:
    """``{"cgroup2": (root, mount point), "memory": (root, mount point)}`` from a ``mountinfo`` text."""
    mounts: dict = {}
    for line in mountinfo.splitlines():
        before, _, after = line.partition(" - ")
        fields, tail = before.split(), after.split()
        if len(fields) < 5 or len(tail) < 3:
            continue
        root, point = fields[3], fields[4]
        if tail[0] == "cgroup2":
            mounts.setdefault("cgroup2", (root, point))
        elif tail[0] == "cgroup" and "memory" in tail[2].split(","):
            mounts.setdefault("memory", (root, point))
    return mounts


def _limits_along(mount: tuple | None, path: str, filename: str) -> list[int]:
    """Limits in ``filename`` of the cgroup at ``path`` and of each ancestor visible under ``mount``."""
    if mount is None:
        return []
    root, point = mount
    inside = root == "/" or path == root or path.startswith(root.rstrip("/") + "/")
    relative = os.path.relpath(path, root) if inside else "."  # else: the mount shows only this cgroup
    folder = Path(point) / relative
    limits = []
    for current in [folder, *folder.parents]:
        limit = _read_limit(current / filename)
        if limit is not None:
            limits.append(limit)
        if current == Path(point):
            break
    return limits


def _read_limit(file: Path) -> int | None:
    """A limit file's bytes; None for "max", v1's "no limit" (2**63 - 1 rounded to pages) or no file."""
    try:
        text = file.read_text().strip()
    except OSError:
        return None
    if not text.isdigit() or int(text) >= 2**62:
        return None
    return int(text)
