"""The device → host → disk store that holds a GPU worker's task results.

Three zict tiers, each a ``Buffer`` whose ``slow`` side is the next tier::

    device  Buffer(fast={key: device object}, n=device_memory_limit, weight=device bytes)
      └─ slow: Func(to_host, to_device) ──► host
    host    Buffer(fast={key: host object or HostCopy}, n=host limit, weight=sizeof)
      └─ slow: Func(serialize, deserialize) ──► File(private spill directory)

Device objects (CuPy arrays, cuDF frames, anything with ``__cuda_array_interface__``)
and tuples, lists, dicts and sets holding some (at any depth; subclasses too, such as named
tuples and ``OrderedDict``) enter the device tier, weighed by the device bytes of the distinct
device objects they hold; host objects (NumPy, pandas, Python) go straight to the host
tier. Each tier evicts least-recently-used keys when its byte budget is exceeded and moves a
key back up when it is read. Moving to host uses distributed's ``dask`` serializers, which
copy CuPy/cuDF buffers to host memory (a plain container's items too; a subclass is pickled
whole, its device items copied to host by their own pickling, so it comes back as the same
type); moving back rebuilds the device objects.

The device tier is :func:`gpuscale.runtime.device.device_tier`, the same design the
local runtime uses in front of its host store.

The store follows distributed's ``ManualEvictProto`` (``fast`` + ``evict()``), so the
worker's memory monitor can push host data to disk under memory pressure.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator, MutableMapping
from functools import partial

import zict
from distributed.protocol import (
    dask_deserialize,
    dask_serialize,
    deserialize,
    deserialize_bytes,
    serialize,
    serialize_bytelist,
)
from distributed.sizeof import safe_sizeof
from distributed.spill import AnyKeyFile  # zict.File for any Dask key (tuples too)
from distributed.utils import nbytes

from gpuscale.backends.device_memory import CONTAINER_TYPES, container_device_leaves
from gpuscale.backends.device_memory import rmm_current_bytes as rmm_current_bytes
from gpuscale.runtime.device import device_tier

logger = logging.getLogger("distributed.worker")
_MOVES = {"device_to_host": "device -> host", "host_to_device": "host -> device",
          "host_to_disk": "host -> disk", "disk_to_host": "disk -> host"}

class HostCopy:
    """A device object serialized into host frames (what the host tier stores)."""

    __slots__ = ("header", "frames")

    def __init__(self, header: dict, frames: list):
        self.header = header
        self.frames = frames

    def __sizeof__(self) -> int:
        return sum(map(nbytes, self.frames))


@dask_serialize.register(HostCopy)
def _serialize_host_copy(copy: HostCopy):
    return {"device-header": copy.header}, copy.frames


@dask_deserialize.register(HostCopy)
def _deserialize_host_copy(header: dict, frames: list) -> HostCopy:
    return HostCopy(header["device-header"], list(frames))


def _is_device_leaf(obj) -> bool:
    if hasattr(type(obj), "__cuda_array_interface__"):
        return True
    return type(obj).__module__.partition(".")[0] in ("cudf", "cupy", "rmm")


def _is_container(obj) -> bool:
    return isinstance(obj, CONTAINER_TYPES) and not _is_device_leaf(obj)


def is_device_object(obj) -> bool:
    """True for objects whose data lives in device memory, and for containers holding one
    (tuples, lists, dicts, sets and their subclasses, such as named tuples and ``OrderedDict``).

    Checked without importing CUDA libraries.
    """
    if _is_container(obj):
        return next(iter(container_device_leaves(obj, _is_device_leaf)), None) is not None
    return _is_device_leaf(obj)


def device_nbytes(obj) -> int:
    """Device bytes held by ``obj``: ``nbytes`` for arrays, ``memory_usage`` for cuDF frames;
    for a container the sum over the distinct device objects it holds."""
    if _is_container(obj):
        leaves = {id(leaf): leaf for leaf in container_device_leaves(obj, _is_device_leaf)}
        return sum(_leaf_nbytes(leaf) for leaf in leaves.values())
    return _leaf_nbytes(obj)


def _leaf_nbytes(obj) -> int:
    size = getattr(obj, "nbytes", None)
    if isinstance(size, int):
        return size
    usage = getattr(obj, "memory_usage", None)
    if callable(usage):
        total = usage(deep=True)
        return int(total.sum() if hasattr(total, "sum") else total)
    return safe_sizeof(obj)


class SpillError(TypeError):
    """An object could not be moved down a tier (serialization failed, or the disk write); it stays where it is.

    ``key`` names it when known (``None`` for a device object, known by ``value``)."""

    def __init__(self, key, value, cause: Exception):
        super().__init__(f"could not spill {'an object' if key is None else repr(key)}: {cause!r}")
        self.key, self.value = key, value

    def names(self, key, value) -> bool:
        return self.value is value or (self.key is not None and self.key == key)


class DiskLimitReached(SpillError):
    """Writing an object would take the spill files past ``max_spill`` bytes: it stays in memory."""

    def __init__(self, key, value, max_spill: int, first: bool):
        super().__init__(key, value, OSError(f"spill files would exceed max-spill ({max_spill} bytes)"))
        self.first = first  # the first refusal since a write succeeded (logged)


class _KeyedDisk(zict.Func):
    """The disk tier (serialize → File), whose failures (pickling, a full disk) name the key.

    ``max_spill`` bounds the bytes written, as distributed's ``distributed.worker.memory.max-spill``."""

    def __init__(self, dump, load, d, max_spill: int | bool = False):
        super().__init__(dump, load, d)
        self.max_spill = max_spill
        self.sizes: dict = {}  # key -> bytes written
        self.total = 0
        self.full = False

    def __setitem__(self, key, value) -> None:
        try:
            frames = self.dump(value)
            size = sum(map(nbytes, frames))
            if self.max_spill is not False and self.total + size > self.max_spill:
                first, self.full = not self.full, True
                raise DiskLimitReached(key, value, self.max_spill, first)
            self.d[key] = frames
        except DiskLimitReached:
            raise
        except Exception as cause:
            raise SpillError(key, value, cause) from cause
        self.sizes[key] = size
        self.total += size
        self.full = False

    def __delitem__(self, key) -> None:
        del self.d[key]
        self.total -= self.sizes.pop(key, 0)


class _HostBuffer(zict.Buffer):
    """The host tier: an older object that cannot be pickled stays in memory (logged) instead of
    failing the insertion of an unrelated key, as distributed's ``SpillBuffer``; a new object
    too large for host memory that cannot be pickled is dropped and the error raised; one that
    does not fit under ``max_spill`` stays in memory."""

    def __init__(self, *args, on_spill_error: Callable, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_spill_error = on_spill_error

    def __setitem__(self, key, value) -> None:
        try:
            super().__setitem__(key, value)
        except SpillError as e:
            if not e.names(key, value) or isinstance(e, DiskLimitReached):
                self.on_spill_error(e)  # the object stays in memory, as distributed's SpillBuffer
                return
            _discard(self, key)
            raise

    def __getitem__(self, key):
        try:
            return super().__getitem__(key)
        except SpillError as e:  # read back from disk, then evicting another key failed
            self.on_spill_error(e)
            return self.fast[key] if key in self.fast else self.slow[key]


def _discard(mapping, key) -> None:
    try:
        del mapping[key]
    except KeyError:
        pass


def to_host(obj) -> HostCopy:
    """Copy a device object into host frames (distributed's ``dask`` serializers do the copy)."""
    return HostCopy(*serialize(obj, serializers=("dask", "pickle"), on_error="raise"))


def _device_to_host(obj) -> HostCopy:
    try:
        return to_host(obj)
    except Exception as cause:
        raise SpillError(None, obj, cause) from cause


def to_device(copy: HostCopy):
    """Rebuild the device object from its host frames."""
    return deserialize(copy.header, copy.frames)


class DeviceHostDiskStore(MutableMapping):
    """Task results on the device up to ``device_memory_limit``, then host, then disk.

    Parameters
    ----------
    device_memory_limit : int
        Bytes of device objects kept on the device; LRU objects beyond go to host.
    host_memory_limit : int or float
        Bytes kept in host memory (``inf`` for no limit); LRU beyond go to disk.
    spill_directory : str
        Parent directory; the store makes a private (0700) sub-directory and removes it on close.
    is_device, nbytes_on_device : callable, optional
        How to recognise and measure device objects (tests swap in a simulated device).
    log_spilling : bool
        Log every move between tiers (key, direction, bytes) at ``INFO`` on the
        ``distributed.worker`` logger, as dask-cuda's ``log_spilling``.
    max_spill : int or False
        Bytes the spill files may hold (``False``: no limit); past it host objects stay in memory
        (one warning), as distributed's ``max-spill``.

    Notes
    -----
    As distributed's ``SpillBuffer``: an older object that cannot be serialized (or
    written to disk) when it should move down stays where it is, over the limit, and
    the failure is logged once; storing the new object succeeds.  A new object that
    must move down at once (larger than its tier) and cannot is refused (``SpillError``).

    Examples
    --------
    With ``bytes`` standing in for device objects, a 100-byte device budget keeps
    the newest 60-byte object on the device and moves the older one to host:

    >>> import tempfile
    >>> store = DeviceHostDiskStore(100, 10_000, tempfile.mkdtemp(), is_device=lambda v: isinstance(v, bytes),
    ...                             nbytes_on_device=len)
    >>> store["a"], store["b"] = b"x" * 60, b"y" * 60
    >>> store.location("a"), store.location("b"), store.device_bytes
    ('host', 'device', 60)
    >>> store["a"][:3]
    b'xxx'
    >>> store.close()
    """

    def __init__(self, device_memory_limit: int, host_memory_limit: float, spill_directory: str,
                 *, is_device: Callable = is_device_object, nbytes_on_device: Callable = device_nbytes,
                 log_spilling: bool = False, max_spill: int | bool = False):
        self.directory = tempfile.mkdtemp(prefix="spill-", dir=spill_directory)  # mode 0700
        self.is_device = is_device
        self.log_spilling = log_spilling
        self.counts = dict.fromkeys(("device_to_host", "host_to_device", "host_to_disk", "disk_to_host"), 0)
        self._unspillable: set = set()  # keys whose spill failure was logged (once each)
        disk = _KeyedDisk(partial(serialize_bytelist, on_error="raise"), deserialize_bytes,
                          AnyKeyFile(self.directory), max_spill)
        self.host = _HostBuffer({}, disk, n=host_memory_limit, weight=_host_weight,
                                fast_to_slow_callbacks=self._counter("host_to_disk"),
                                slow_to_fast_callbacks=self._counter("disk_to_host"),
                                on_spill_error=self._spill_failed)
        self.device = device_tier(self.host, device_memory_limit, nbytes_on_device, _device_to_host, to_device,
                                  self._counter("device_to_host"), self._counter("host_to_device"))
        self._tier: dict = {}  # key -> self.device or self.host: where the key was stored
        # One store-wide lock around each compound operation (an overwrite is a delete then an insert; a read may
        # move keys between tiers): a reader on another thread never sees a half-moved key or a HostCopy.
        self._lock = threading.RLock()

    def _counter(self, name: str) -> Callable:
        def count(key, value):
            self.counts[name] += 1
            if self.log_spilling:
                logger.info("spill %s: %r (%d bytes)", _MOVES[name], key, _logged_bytes(value))

        return count

    def _spill_failed(self, error: SpillError) -> None:
        # an older object stays in memory, over the limit; logged once per key as distributed does
        if isinstance(error, DiskLimitReached):
            if error.first:  # logged once until a disk write succeeds again
                logger.warning("Spill file on disk reached capacity; keeping data in memory")
            return
        key = error.key
        if key is None:  # a device object: find its key
            key = next((k for k, v in self.device.fast.items() if v is error.value), None)
        if key not in self._unspillable:
            self._unspillable.add(key)
            logger.error("Failed to spill %r; keeping it in memory", key, exc_info=error)

    def __setitem__(self, key, value) -> None:
        with self._lock:
            self._set(key, value)

    def _set(self, key, value) -> None:
        if key in self._tier:
            del self[key]
        tier = self.device if self.is_device(value) else self.host
        self._tier[key] = tier  # first: a failure below still leaves the key indexed (or removed)
        try:
            tier[key] = value
        except BaseException as e:
            if isinstance(e, SpillError) and not e.names(key, value):
                self._spill_failed(e)  # evicting an older object failed: it stays where it was
                return
            self._tier.pop(key, None)  # e.g. the new object, too large to keep, cannot be spilled
            _discard(tier, key)
            raise

    def __getitem__(self, key):
        with self._lock:
            return self._get(key)

    def _get(self, key):
        tier = self._tier[key]
        try:
            return tier[key]
        except SpillError as e:  # moved back up, then evicting another object failed
            if e.names(key, None):
                raise
            self._spill_failed(e)
            return tier.fast[key] if key in tier.fast else tier.slow[key]

    def __delitem__(self, key) -> None:
        with self._lock:
            tier = self._tier.pop(key)
            self._unspillable.discard(key)
            del tier[key]

    def __iter__(self) -> Iterator:
        return iter(list(self._tier))

    def __len__(self) -> int:
        return len(self._tier)

    def __contains__(self, key) -> bool:
        return key in self._tier

    # --- distributed.spill.ManualEvictProto: the memory monitor pushes host data to disk
    @property
    def fast(self):
        """Host-resident objects (what process memory pressure can push to disk)."""
        return self.host.fast

    def evict(self) -> int:
        """Move the least-recently used host object to disk; bytes freed, or -1 if none."""
        try:
            with self._lock:
                _, _, weight = self.host.fast.evict()
        except KeyError:
            return -1
        except SpillError as e:
            self._spill_failed(e)
            return -1
        return int(weight)

    # --- accounting
    @property
    def device_bytes(self) -> int:
        """Device bytes of the objects currently on the device."""
        return int(self.device.fast.total_weight)

    @property
    def host_bytes(self) -> int:
        return int(self.host.fast.total_weight)

    def location(self, key) -> str:
        """``"device"``, ``"host"`` or ``"disk"``: where ``key``'s value is now (``KeyError`` if not stored)."""
        with self._lock:
            if key not in self._tier:
                raise KeyError(key)
            if key in self.device.fast:
                return "device"
            return "host" if key in self.host.fast else "disk"

    def device_bytes_by_key(self) -> dict:
        """Device bytes accounted to each object on the device."""
        with self._lock:
            return dict(self.device.fast.weights)

    def accounting(self) -> dict:
        """Device bytes we account vs. what RMM reports (``None`` without RMM statistics).

        ``consistent`` is False when we count more device bytes than RMM has allocated:
        objects sharing memory (views) or memory RMM did not allocate; spilling then
        frees less than we think.
        """
        rmm_bytes = rmm_current_bytes()
        return {"device_bytes": self.device_bytes, "rmm_current_bytes": rmm_bytes,
                "consistent": rmm_bytes is None or self.device_bytes <= rmm_bytes,
                "host_bytes": self.host_bytes, **self.counts}

    def close(self) -> None:
        """Drop everything and remove the spill directory."""
        for key in list(self._tier):
            _discard(self, key)
        shutil.rmtree(self.directory, ignore_errors=True)


def _host_weight(key, value) -> int:
    return safe_sizeof(value)


def _logged_bytes(value) -> int:
    # what moves: a device object's device bytes, else (host copies, spilled frames) its host size
    return device_nbytes(value) if is_device_object(value) else safe_sizeof(value)


def make_store(worker_local_directory: str, device_memory_limit: int, memory_limit: int,
               log_spilling: bool = False) -> DeviceHostDiskStore:
    """Worker ``data=`` factory; the host budget is ``memory_limit`` × distributed's spill target.

    As distributed's ``SpillBuffer``: ``distributed.worker.memory.target: False`` (or no ``memory_limit``) sets
    no size-based host budget (only the memory monitor pushes host data to disk), and
    ``distributed.worker.memory.max-spill`` bounds the bytes written to disk.
    A ``memory_limit`` above this machine's memory counts as the machine's memory, as the worker caps its own
    (distributed's ``parse_memory_limit``): sized from 100 TB the host tier never spilled to disk by its limit.
    """
    import dask
    from dask.utils import parse_bytes
    from distributed.system import MEMORY_LIMIT

    memory_limit = min(memory_limit, MEMORY_LIMIT) if memory_limit else memory_limit
    target = dask.config.get("distributed.worker.memory.target")
    host_limit = memory_limit * target if memory_limit and target else float("inf")
    max_spill = dask.config.get("distributed.worker.memory.max-spill")
    max_spill = False if max_spill is False else parse_bytes(max_spill)
    return DeviceHostDiskStore(device_memory_limit, host_limit, worker_local_directory, log_spilling=log_spilling,
                               max_spill=max_spill)
