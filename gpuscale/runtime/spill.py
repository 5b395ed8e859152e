"""A store for task results that spills to disk beyond a host-memory budget.

Results live in a ``zict.Buffer``: a dict of in-memory values up to
``memory_limit`` bytes (weighed with ``sizeof``), and beyond that, least
recently used results pickled (protocol 5 with out-of-band buffers, so array
data is written without an extra in-memory copy; cloudpickle, so functions and
lambdas spill too) into files of a private temporary folder.  A spilled result is read
back when a task needs it.  The folder (mode 0700) is created per computation
and removed when the computation ends, also on an error or Ctrl-C (a task still
running after Ctrl-C can no longer write to it); the folder of a killed process
is removed by the next computation that spills to the same parent folder.
"""

from __future__ import annotations

import os
import pickle
import shutil
import struct
import threading
from contextlib import contextmanager
from collections.abc import MutableMapping
from typing import Any, Iterator

from gpuscale.runtime.scratch import owned_folder
from gpuscale.runtime.sigterm import sigterm_unwinds
from gpuscale.runtime.sizeof import sizeof

__all__ = ["SpillStore", "spilling_store"]


def _dumps(value: Any) -> list:
    """Frames to write: a header of frame sizes, the pickle, then its out-of-band buffers.

    Protocol 5 hands large array buffers over without copying them into the
    pickle, so spilling a big result does not need a second copy in memory.
    """
    import cloudpickle

    buffers: list = []
    payload = cloudpickle.dumps(value, protocol=5, buffer_callback=buffers.append)
    frames = [payload, *(buffer.raw() for buffer in buffers)]
    header = struct.pack(f"<Q{len(frames)}Q", len(frames), *(frame.nbytes if isinstance(frame, memoryview)
                                                            else len(frame) for frame in frames))
    return [header, *frames]


def _loads(data: bytearray) -> Any:
    """Inverse of ``_dumps``; array buffers stay views into ``data`` (read as a writable bytearray)."""
    view = memoryview(data)
    (count,) = struct.unpack_from("<Q", view)
    sizes = struct.unpack_from(f"<{count}Q", view, 8)
    frames, offset = [], 8 * (count + 1)
    for size in sizes:
        frames.append(view[offset:offset + size])
        offset += size
    return pickle.loads(frames[0], buffers=frames[1:])


class _ReadKeepsFile(MutableMapping):
    """The disk tier of the store, whose reads keep the file: zict's Buffer deletes a value's file as it reads
    the value back, so a result read by several tasks was pickled and written again at each eviction (a hash
    shuffle's split pieces, read once per output partition, wrote its data several times over). Here a read
    value's file stays (``kept``: on disk, not in this mapping), and evicting that unchanged value again
    writes nothing. The store ``forget``s a key before giving it a new value, so a kept file is never stale."""

    def __init__(self, files: MutableMapping) -> None:
        self.files = files
        self.kept: set = set()
        self._last_read = None

    def __getitem__(self, key: str) -> Any:
        if key in self.kept:
            raise KeyError(key)
        value = self.files[key]
        self._last_read = key
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self.kept:  # the same value, evicted again: its file holds it already
            self.kept.discard(key)
            return
        self.files[key] = value

    def __delitem__(self, key: str) -> None:
        if key in self.kept or key not in self.files:
            raise KeyError(key)
        if key == self._last_read:  # the Buffer moves the value just read to memory: keep its file
            self._last_read = None
            self.kept.add(key)
            return
        del self.files[key]

    def forget_read(self) -> None:
        """The Buffer's read is over: a later delete of the key is a real one."""
        self._last_read = None

    def forget(self, key: str) -> None:
        """Remove a kept file: ``key`` gets a new value (or none)."""
        self._last_read = None
        if key in self.kept:
            self.kept.discard(key)
            del self.files[key]

    def __contains__(self, key: object) -> bool:
        return key not in self.kept and key in self.files

    def __iter__(self) -> Iterator:
        return (key for key in self.files if key not in self.kept)

    def __len__(self) -> int:
        return len(self.files) - len(self.kept)


class SpillStore:
    """Results indexed by task number, spilled to ``directory`` beyond ``memory_limit`` bytes.

    It behaves like the plain ``values`` list the executors use: ``store[i] =
    value`` keeps a result, ``store[i]`` reads it back (from disk if needed),
    and ``store[i] = None`` releases it, so a ``None`` result needs no storage.
    Access is serialised by a lock, so worker threads can share one store.
    """

    def __init__(self, memory_limit: int, directory: str) -> None:
        import zict
        self._slow = _ReadKeepsFile(zict.Func(_dumps, _loads, zict.File(directory)))
        self._weights: dict = {}  # each result weighed once: zict weighs a value again each time it is read back
        self._buffer = zict.Buffer({}, self._slow, n=memory_limit, weight=self._weight)
        self._lock = threading.Lock()
        self.directory = directory
        self.closed = False

    def _weight(self, key: str, value: Any) -> int:
        weight = self._weights.get(key)
        if weight is None:  # (sizing a shuffle's dict of frames takes milliseconds; reloads were 80 % of a run)
            weight = self._weights[key] = sizeof(value)
        return weight

    def __getitem__(self, index: int) -> Any:
        with self._lock:
            try:
                return self._buffer.get(str(index))
            finally:
                self._slow.forget_read()

    def __setitem__(self, index: int, value: Any) -> None:
        key = str(index)
        with self._lock:
            if self.closed:  # a task that outlived a Ctrl-C: its folder is gone
                return
            self._weights.pop(key, None)  # a new value (or none) under the key: weighed afresh
            self._slow.forget(key)  # (a kept file of the old value, and a delete that is not a read's)
            if value is None:
                if key in self._buffer:
                    del self._buffer[key]
            else:
                self._buffer[key] = value

    def close(self) -> None:
        """Drop every result and remove the folder; later writes are ignored."""
        with self._lock:
            self.closed = True
            self._buffer.fast.clear()
            self._weights.clear()
            shutil.rmtree(self.directory, ignore_errors=True)

    def spilled(self) -> int:
        """Number of results currently on disk."""
        with self._lock:
            return len(self._buffer.slow)


@contextmanager
def spilling_store(memory_limit: int, spill_dir: str | None = None) -> Iterator[SpillStore]:
    """A ``SpillStore`` in a fresh private folder under ``spill_dir`` (default: the temp folder).

    The folder and every spill file in it are removed on exit, whatever happens (SIGTERM in the main thread
    too: it unwinds, then ends the process as SIGTERM does); if the process is killed, the next ``spilling_store`` in the same parent folder
    removes them (see ``gpuscale.runtime.scratch``).
    """
    if spill_dir is not None:
        os.makedirs(spill_dir, exist_ok=True)
    # mode 0700, locked while in use: folders of killed processes are removed here; SIGTERM (timeout, docker
    # stop, Slurm) unwinds through the clean-up rather than leaving the folder behind
    with sigterm_unwinds(), owned_folder("gpuscale-spill-", spill_dir) as folder:
        store = SpillStore(memory_limit, folder.path)
        try:
            yield store
        finally:
            store.close()
