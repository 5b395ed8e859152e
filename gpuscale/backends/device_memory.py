"""Device data, measured and moved: what the local runtime needs to bound device memory.

The runtime (``gpuscale.runtime.device``) never names a data library; it asks this
module, loaded by name only once a device library (CuPy, cuDF, array-api-strict) has
been imported, which results are device data, how many device bytes they hold, and
to move them to the host and back:

* :func:`device_library` — ``"cupy"``, ``"cudf"``, ``"array_api_strict"`` (arrays on
  its fake ``device1``, the tests' stand-in for a GPU) or None for host data;
  :func:`is_device_value` also looks inside tuples, lists, dicts and sets (subclasses too).
* :func:`device_nbytes` — CuPy ``nbytes``, cuDF ``memory_usage(deep=True).sum()``,
  strict arrays ``size × itemsize``; containers: the sum over their device leaves.
* :func:`move_to_host` / :func:`move_to_device` — through
  :func:`gpuscale.backends.convert.to_host` / ``to_device`` (so every copy is counted),
  keeping each leaf's library so it comes back as what it was.
* :func:`device_memory_total`, :func:`rmm_current_bytes` — NVML's total memory of
  the first visible GPU, RMM's allocated bytes when its statistics are on.
* :func:`default_gpu_target_bytes`, :func:`gpu_target_bytes` — chunk and partition
  sizes for the GPU family derived from the device's memory.

Nothing here imports a library that was not imported already, except NVML
(``pynvml``, which creates no CUDA context) and the library a value is moved back to.
"""

from __future__ import annotations

import copy
import functools
import os
import importlib
import sys
from typing import Any

from gpuscale import config
from gpuscale.backends import _detect, _visible, convert

__all__ = [
    "device_library", "is_device_value", "device_nbytes", "move_to_host", "move_to_device", "HostCopy",
    "device_memory_total", "rmm_current_bytes", "resolve_memory_limit", "default_gpu_target_bytes",
    "gpu_target_bytes", "container_device_leaves", "CONTAINER_TYPES",
]

_HOST, _CUPY, _CUDF, _STRICT, _CONTAINER = "host", "cupy", "cudf", "array_api_strict", "container"
CONTAINER_TYPES = (tuple, list, dict, set, frozenset)  # and their subclasses (named tuples, OrderedDict...), as dask-cuda
_MAX_DEPTH = 8  # containers nested deeper are host data (and not looked into)
_kinds: dict[type, str] = {}  # type -> kind, so each result costs one dict lookup


def _kind(typ: type) -> str:
    kind = _kinds.get(typ)
    if kind is None:
        kind = _kinds[typ] = _classify(typ)
    return kind


def _classify(typ: type) -> str:
    if typ in CONTAINER_TYPES:
        return _CONTAINER
    kind = _classify_leaf(typ)  # a device object first, even if it subclasses a container
    return _CONTAINER if kind == _HOST and issubclass(typ, CONTAINER_TYPES) else kind


def _classify_leaf(typ: type) -> str:
    top = typ.__module__.partition(".")[0]
    cupy = sys.modules.get("cupy")
    if top == "cupy" and cupy is not None and issubclass(typ, cupy.ndarray):
        return _CUPY
    if top == "cudf" and (typ.__name__ in ("DataFrame", "Series") or typ.__name__.endswith("Index")):
        return _CUDF  # not cuDF scalars, columns, groupby objects: they have no to_pandas / memory_usage
    if top == "array_api_strict" and hasattr(typ, "device") and hasattr(typ, "__array_namespace__"):
        return _STRICT
    return _HOST


def device_library(obj: Any) -> str | None:
    """The device library of ``obj``, or None for host data (containers are not looked into).

    Parameters
    ----------
    obj : object
        A task result.

    Returns
    -------
    str or None
        ``"cupy"`` (a CuPy array), ``"cudf"`` (a cuDF DataFrame, Series or Index),
        ``"array_api_strict"`` (an array-api-strict array not on its CPU device), else None.
    """
    kind = _kind(type(obj))
    if kind == _STRICT:
        return _STRICT if _strict_on_device(obj) else None
    return None if kind in (_HOST, _CONTAINER) else kind


@functools.lru_cache(maxsize=1)
def _strict_cpu_device() -> Any:
    return sys.modules["array_api_strict"].Device("CPU_DEVICE")


def _strict_on_device(obj: Any) -> bool:
    return obj.device != _strict_cpu_device()


def is_device_value(obj: Any) -> bool:
    """Whether ``obj`` holds device data: a device object, or a tuple/list/dict/set (or subclass) holding one (at any depth).

    Parameters
    ----------
    obj : object

    Returns
    -------
    bool
    """
    kind = _kinds.get(type(obj)) or _kind(type(obj))
    if kind is _HOST:  # the common case: one dict lookup
        return False
    if kind == _CONTAINER:
        return next(iter(container_device_leaves(obj, device_library)), None) is not None
    return kind != _STRICT or _strict_on_device(obj)


def container_device_leaves(obj: Any, leaf_library: Any, depth: int = 0) -> Any:
    """The device objects inside ``obj``, a tuple, list, dict (values only) or set, or a subclass, nested at most 8 deep.

    Parameters
    ----------
    obj : object
        A container (anything else yields nothing).
    leaf_library : callable
        ``leaf_library(item)`` is true for a device object (e.g. :func:`device_library`).
    depth : int
        Nesting depth of ``obj`` (internal).

    Yields
    ------
    object
        Each device object found, once per occurrence.
    """
    if depth >= _MAX_DEPTH or not isinstance(obj, CONTAINER_TYPES):
        return
    for item in (obj.values() if isinstance(obj, dict) else obj):
        if leaf_library(item):  # first: a device object may subclass a container
            yield item
        elif isinstance(item, CONTAINER_TYPES):
            yield from container_device_leaves(item, leaf_library, depth + 1)


def device_nbytes(obj: Any) -> int:
    """Device bytes held by ``obj`` (0 for host data).

    CuPy arrays: ``nbytes``; cuDF objects: ``memory_usage(deep=True).sum()``;
    array-api-strict arrays: ``size × itemsize``; containers (tuples, lists, dicts, sets): the sum over
    the distinct device objects they hold.

    Parameters
    ----------
    obj : object

    Returns
    -------
    int
    """
    library = device_library(obj)
    if library is not None:
        return _leaf_nbytes(obj, library)
    if _kind(type(obj)) == _CONTAINER:
        seen: dict[int, int] = {}
        for leaf in container_device_leaves(obj, device_library):
            if id(leaf) not in seen:
                seen[id(leaf)] = _leaf_nbytes(leaf, device_library(leaf))
        return sum(seen.values())
    return 0


def _leaf_nbytes(obj: Any, library: str | None) -> int:
    if library == _CUDF:
        if getattr(obj, "ndim", 1) == 2:  # a DataFrame (its columns may be a MultiIndex: see memory_bytes)
            from gpuscale.backends.frame.ops import memory_bytes

            return memory_bytes(obj)
        total = obj.memory_usage(deep=True)
        return int(total.sum() if hasattr(total, "sum") else total)
    if library == _STRICT:
        return int(obj.size or 0) * _strict_itemsize(obj.dtype)
    return int(obj.nbytes)


def _strict_itemsize(dtype: Any) -> int:
    np_dtype = getattr(dtype, "_np_dtype", None)  # array-api-strict keeps the NumPy dtype it wraps
    if np_dtype is not None:
        return int(np_dtype.itemsize)
    import numpy as np

    return int(np.dtype(str(dtype).rpartition(".")[2]).itemsize)


class _Leaf:
    """A device object copied to the host, with the library to rebuild it with."""

    __slots__ = ("value", "library")

    def __init__(self, value: Any, library: str) -> None:
        self.value, self.library = value, library

    def __reduce__(self) -> tuple:
        return (_Leaf, (self.value, self.library))


class HostCopy:
    """A device value (an object or a container of them) copied to the host by :func:`move_to_host`.

    Attributes
    ----------
    value : object
        The host object, or the container with each device object replaced by its host copy.
    nbytes : int
        Host bytes of the copies (what a host memory budget weighs it as).
    device_bytes : int
        Device bytes the value held before it was moved.
    """

    __slots__ = ("value", "nbytes", "device_bytes")

    def __init__(self, value: Any, nbytes: int, device_bytes: int) -> None:
        self.value, self.nbytes, self.device_bytes = value, nbytes, device_bytes

    def __reduce__(self) -> tuple:  # pickled when the host tier spills it to disk
        return (HostCopy, (self.value, self.nbytes, self.device_bytes))

    def __sizeof__(self) -> int:
        return self.nbytes


def move_to_host(obj: Any) -> HostCopy:
    """Copy the device data of ``obj`` to the host (counted by :data:`gpuscale.backends.convert.copy_counts`).

    Parameters
    ----------
    obj : object
        A device object, or a container holding some (host items are kept as they are; the container's type too).

    Returns
    -------
    HostCopy
        What :func:`move_to_device` turns back into an equal device value.
    """
    copied: list[int] = []
    value = _to_host(obj, copied, {}, 0)
    return HostCopy(value, sum(copied), device_nbytes(obj))


def _to_host(obj: Any, copied: list[int], memo: dict, depth: int) -> Any:
    library = device_library(obj)
    if library is not None:
        leaf = memo.get(id(obj))
        if leaf is None:  # an object held twice is copied once, and comes back as one object
            host = convert.to_host(obj)
            copied.append(_host_nbytes(host))
            leaf = memo[id(obj)] = _Leaf(host, library)
        return leaf
    if _kind(type(obj)) != _CONTAINER or depth >= _MAX_DEPTH:
        return obj
    return _rebuild(obj, lambda item: _to_host(item, copied, memo, depth + 1))


def _host_nbytes(host: Any) -> int:
    usage = getattr(host, "memory_usage", None)
    if callable(usage):
        total = usage(deep=True)
        return int(total.sum() if hasattr(total, "sum") else total)
    return int(getattr(host, "nbytes", 0) or sys.getsizeof(host))


def move_to_device(copy: HostCopy) -> Any:
    """The device value that ``copy`` was made from, rebuilt with each leaf's original library.

    Parameters
    ----------
    copy : HostCopy
        A result of :func:`move_to_host`.

    Returns
    -------
    object
        Device objects (or the container of them) equal to the moved ones.
    """
    return _to_device(copy.value, {}, 0)


def _to_device(obj: Any, memo: dict, depth: int) -> Any:
    typ = type(obj)
    if typ is _Leaf:
        value = memo.get(id(obj))
        if value is None:
            value = memo[id(obj)] = convert.to_device(obj.value, obj.library)
        return value
    if _kind(typ) != _CONTAINER or depth >= _MAX_DEPTH:
        return obj
    return _rebuild(obj, lambda item: _to_device(item, memo, depth + 1))


def _rebuild(obj: Any, convert_item: Any) -> Any:
    """``obj``, a container, with ``convert_item`` applied to its items (values of a dict), of the same type.

    Subclasses keep what makes them differ: named tuple fields, an ``OrderedDict``'s order,
    a ``defaultdict``'s ``default_factory`` (a shallow copy is refilled).
    """
    typ = type(obj)
    if isinstance(obj, dict):
        if typ is dict:
            return {key: convert_item(item) for key, item in obj.items()}
        new = copy.copy(obj)
        for key, item in obj.items():
            new[key] = convert_item(item)  # existing keys: the order is kept
        return new
    items = [convert_item(item) for item in obj]
    if typ in (list, tuple, set, frozenset):
        return typ(items)
    if isinstance(obj, (list, set)):
        new = copy.copy(obj)
        new.clear()
        if isinstance(obj, list):
            new.extend(items)
        else:
            new.update(items)
        return new
    return typ._make(items) if hasattr(typ, "_make") else typ(items)  # a named tuple takes its fields


def rmm_current_bytes() -> int | None:
    """Bytes RMM reports as allocated, if RMM is imported and its statistics are on; else None.

    RMM is never imported here: without it in ``sys.modules`` nothing can have been
    allocated through it.

    Returns
    -------
    int or None
    """
    rmm = sys.modules.get("rmm")
    if rmm is None:
        return None
    try:  # (``import rmm`` does not load its statistics module: statistics may be on through rmm.mr alone)
        statistics = getattr(rmm, "statistics", None) or importlib.import_module("rmm.statistics")
        stats = statistics.get_statistics()
    except Exception:  # statistics not enabled, or no device
        return None
    return None if stats is None else int(stats.current_bytes)


def device_memory_total() -> int | None:
    """Total memory of the GPU this process computes on (the first visible one), from NVML.

    ``CUDA_VISIBLE_DEVICES`` is applied as CUDA applies it (a MIG instance reports its
    own memory).  NVML creates no CUDA context.  The answer is cached per value of
    ``CUDA_VISIBLE_DEVICES``; ``device_memory_total.cache_clear()`` asks again.

    Returns
    -------
    int or None
        Bytes, or None when there is no usable GPU (no NVML, no driver, none visible).
    """
    return _memory_total(os.environ.get("CUDA_VISIBLE_DEVICES"))


@functools.lru_cache(maxsize=8)
def _memory_total(visible_devices: str | None) -> int | None:
    try:
        import pynvml
    except ImportError:
        return None
    try:
        pynvml.nvmlInit()
    except Exception:  # no driver
        return None
    try:
        devices = _detect.nvml_devices(pynvml)
        visible = _visible.apply_visible_devices(visible_devices, devices).visible
        if not visible:
            return None
        first = visible[0]
        if first.isdigit():
            handle = pynvml.nvmlDeviceGetHandleByIndex(int(first))
        else:  # a MIG instance
            handle = pynvml.nvmlDeviceGetHandleByUUID(first)
        return int(pynvml.nvmlDeviceGetMemoryInfo(handle).total)
    except Exception:  # NVMLError while asking
        return None
    finally:
        try:
            pynvml.nvmlShutdown()
        except Exception:
            pass


device_memory_total.cache_clear = _memory_total.cache_clear  # type: ignore[attr-defined]

_DEFAULT_FRACTION = 0.8


def resolve_memory_limit(value: Any, total: int | None = None) -> int | None:
    """The device byte budget for the ``device.memory_limit`` option's ``value``.

    Parameters
    ----------
    value : int, float or None
        As ``gpuscale.config`` normalises it: bytes (int), a fraction of the device's
        memory (float), or None for 80% of it.
    total : int, optional
        The device's memory; by default :func:`device_memory_total`.

    Returns
    -------
    int or None
        Bytes, or None (no limit) for a fraction or None when no GPU is found.
    """
    if isinstance(value, int):
        return value
    total = device_memory_total() if total is None else total
    if total is None:
        return None
    return int(total * (_DEFAULT_FRACTION if value is None else value))


MiB = 2**20
GPU_TARGET_MIN, GPU_TARGET_MAX, GPU_TARGET_SHARE = 64 * MiB, 1024 * MiB, 16


def default_gpu_target_bytes(total: int | None = None) -> int:
    """Chunk / partition size for the GPU family: 1/16 of the device's memory, clamped to [64 MiB, 1 GiB].

    A task typically holds its inputs, its output and temporaries a few times their
    size, and the runtime runs ``device.tasks`` of them at once, so 1/16 of the
    device keeps a working set well inside it; 1 GiB is where larger chunks stop
    paying off, 64 MiB where kernel launches start to dominate.

    Parameters
    ----------
    total : int, optional
        Device memory in bytes; by default :func:`device_memory_total`.

    Returns
    -------
    int
        Bytes; 1 GiB (the fixed default) when no GPU is found.
    """
    total = device_memory_total() if total is None else total
    if not total:
        return GPU_TARGET_MAX
    return max(GPU_TARGET_MIN, min(GPU_TARGET_MAX, total // GPU_TARGET_SHARE))


def gpu_target_bytes(option: str = "array.chunk_bytes.gpu") -> int:
    """The value of ``option`` if set (``config.set`` or its environment variable), else derived from the device.

    Parameters
    ----------
    option : str
        ``"array.chunk_bytes.gpu"`` or ``"dataframe.partition_bytes.gpu"``.

    Returns
    -------
    int
        Bytes: the explicit setting, else :func:`default_gpu_target_bytes`.
    """
    explicit = config.get(option, None)
    return default_gpu_target_bytes() if explicit is None else explicit
