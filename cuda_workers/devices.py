"""GPU discovery through NVML, and the ``CUDA_VISIBLE_DEVICES`` list each worker gets.

Only NVML is used here (module ``pynvml`` from ``nvidia-ml-py``): it reads the driver's
view of the hardware without creating a CUDA context, so the parent process stays
free of one until its workers have started and claimed their own GPU.

A device is addressed in ``CUDA_VISIBLE_DEVICES`` by its index (``"0"``), its GPU UUID
(``"GPU-8f1c…"``) or, for a MIG instance, its MIG UUID (``"MIG-…"``, MIG instances have
no index).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class Device:
    """One CUDA device as NVML reports it: a whole GPU or one MIG instance.

    Attributes
    ----------
    index : int
        NVML index of the GPU (of the parent GPU for a MIG instance).
    uuid : str
        ``GPU-…`` or ``MIG-…`` UUID.
    name : str
        Product name, e.g. ``"NVIDIA A100-SXM4-80GB"``.
    memory_total_bytes : int or None
        Device memory (of the instance, for MIG); None for a GPU without memory of its own, which shares the
        host's (NVML reports none: DGX Spark's GB10, Jetson).
    cpu_affinity : tuple of int
        CPU cores close to the device (NUMA-local); empty when NVML does not know.
    nvlink_peers : tuple of int
        Indices of the GPUs reachable over an active NVLink.
    mig_parent : int or None
        Index of the parent GPU when this is a MIG instance.
    named_by_uuid : bool
        The user named this GPU by its UUID (workers then see the UUID, not the index).

    Examples
    --------
    >>> gpu = Device(index=1, uuid="GPU-8f1c", name="NVIDIA A100-SXM4-80GB", memory_total_bytes=80 * 2**30)
    >>> mig = Device(index=1, uuid="MIG-2b9e", name="NVIDIA A100-SXM4-80GB MIG 3g.40gb",
    ...              memory_total_bytes=40 * 2**30, mig_parent=1)
    >>> gpu.visible_id, mig.visible_id
    ('1', 'MIG-2b9e')
    """

    index: int
    uuid: str
    name: str
    memory_total_bytes: int | None
    cpu_affinity: tuple[int, ...] = ()
    nvlink_peers: tuple[int, ...] = ()
    mig_parent: int | None = None
    named_by_uuid: bool = field(default=False, compare=False, repr=False)

    @property
    def visible_id(self) -> str:
        """The token naming this device in ``CUDA_VISIBLE_DEVICES``: its UUID for a MIG instance or where the user
        named it so, else its index."""
        return self.uuid if self.mig_parent is not None or self.named_by_uuid else str(self.index)

    @property
    def label(self) -> str:
        """How workers and messages name this device: the index of a whole GPU, the UUID of a MIG instance."""
        return self.uuid if self.mig_parent is not None else str(self.index)


@dataclass(frozen=True)
class Discovery:
    """What NVML found: the usable devices, or why there are none."""

    devices: tuple[Device, ...]
    reason: str = ""

    def __bool__(self) -> bool:
        return bool(self.devices)


class DeviceSelectionError(ValueError):
    """A requested device (index or UUID) does not exist on this machine."""


def discover() -> Discovery:
    """Ask NVML for every usable device; never raises when there is no GPU.

    A GPU in MIG mode is replaced by its MIG instances (a MIG-enabled GPU
    cannot be used as a whole).

    Examples
    --------
    On a machine without a GPU, ``devices`` is empty and ``reason`` says why:

    >>> found = discover()
    >>> all(isinstance(device, Device) for device in found.devices), bool(found) == bool(found.devices)
    (True, True)
    >>> [d.visible_id for d in discover().devices]  # doctest: +SKIP
    ['0', '1']
    """
    try:
        import pynvml
    except ImportError:
        return Discovery((), "nvidia-ml-py (pynvml) is not installed")
    try:
        pynvml.nvmlInit()
    except pynvml.NVMLError as error:
        return Discovery((), f"NVML is not available ({error})")
    try:
        return Discovery(tuple(_all_devices(pynvml)), "")
    except pynvml.NVMLError as error:
        return Discovery((), f"NVML failed while listing devices ({error})")
    finally:
        pynvml.nvmlShutdown()


def _all_devices(nvml) -> list[Device]:
    handles = [nvml.nvmlDeviceGetHandleByIndex(i) for i in range(nvml.nvmlDeviceGetCount())]
    bus_ids = [_bus_id(nvml, h) for h in handles]
    devices = []
    for index, handle in enumerate(handles):
        whole = _describe(nvml, index, handle, bus_ids)
        devices.extend(_mig_instances(nvml, handle, whole) or [whole])
    return devices


def _describe(nvml, index: int, handle, bus_ids: Sequence[str]) -> Device:
    return Device(
        index=index,
        uuid=_text(nvml.nvmlDeviceGetUUID(handle)),
        name=_text(nvml.nvmlDeviceGetName(handle)),
        memory_total_bytes=_memory_total(nvml, handle),
        cpu_affinity=_cpu_affinity(nvml, handle),
        nvlink_peers=_nvlink_peers(nvml, handle, bus_ids),
    )


def _mig_instances(nvml, handle, parent: Device) -> list[Device]:
    try:
        if nvml.nvmlDeviceGetMigMode(handle)[0] != nvml.NVML_DEVICE_MIG_ENABLE:
            return []
        count = nvml.nvmlDeviceGetMaxMigDeviceCount(handle)
    except nvml.NVMLError:  # MIG unsupported on this GPU
        return []
    instances = []
    for slot in range(count):
        try:
            mig = nvml.nvmlDeviceGetMigDeviceHandleByIndex(handle, slot)
        except nvml.NVMLError:  # empty slot
            continue
        instances.append(
            Device(
                index=parent.index,
                uuid=_text(nvml.nvmlDeviceGetUUID(mig)),
                name=parent.name,
                memory_total_bytes=_memory_total(nvml, mig),
                cpu_affinity=parent.cpu_affinity,
                mig_parent=parent.index,
            )
        )
    return instances


def _memory_total(nvml, handle) -> int | None:
    """The device's own memory; None where NVML has none to report (a GPU sharing the host's memory)."""
    try:
        return int(nvml.nvmlDeviceGetMemoryInfo(handle).total)
    except nvml.NVMLError as error:
        if getattr(error, "value", None) == nvml.NVML_ERROR_NOT_SUPPORTED:
            return None
        raise


def _cpu_affinity(nvml, handle) -> tuple[int, ...]:
    words = math.ceil((os.cpu_count() or 1) / 64)
    try:
        mask = nvml.nvmlDeviceGetCpuAffinity(handle, words)
    except nvml.NVMLError:
        return ()
    return unpack_cpu_mask(mask)


def unpack_cpu_mask(words: Iterable[int]) -> tuple[int, ...]:
    """CPU ids set in NVML's affinity bitmask (a list of 64-bit words, lowest first)."""
    return tuple(
        word_index * 64 + bit
        for word_index, word in enumerate(words)
        for bit in range(64)
        if int(word) >> bit & 1
    )


def _bus_id(nvml, handle) -> str:
    try:
        return _text(nvml.nvmlDeviceGetPciInfo(handle).busId).lower()
    except nvml.NVMLError:
        return ""


def _nvlink_peers(nvml, handle, bus_ids: Sequence[str]) -> tuple[int, ...]:
    peers = set()
    for link in range(nvml.NVML_NVLINK_MAX_LINKS):
        try:
            if nvml.nvmlDeviceGetNvLinkState(handle, link) != nvml.NVML_FEATURE_ENABLED:
                continue
            remote = _text(nvml.nvmlDeviceGetNvLinkRemotePciInfo(handle, link).busId).lower()
        except nvml.NVMLError:  # no such link, or NVLink unsupported
            break
        if remote in bus_ids:
            peers.add(bus_ids.index(remote))
    return tuple(sorted(peers))


def _text(value) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def select(requested: str | Sequence[str | int] | None, devices: Sequence[Device]) -> list[Device]:
    """Devices named by ``requested`` (``devices=`` or ``CUDA_VISIBLE_DEVICES``), in order.

    ``None`` means every device found. Tokens are indices, ``GPU-…`` or ``MIG-…``
    UUIDs (a unique UUID prefix is accepted, as CUDA does).

    Raises
    ------
    DeviceSelectionError
        When a token matches no device, or more than one, or a device is listed twice.
    """
    if requested is None:
        return list(devices)
    chosen: dict[str, tuple[str, Device]] = {}  # uuid -> (token, device)
    for token in parse_device_list(requested):
        device = _match(token, devices)
        if device.uuid in chosen:  # two workers on one GPU (or one worker with half its memory)
            first = chosen[device.uuid][0]
            also = "" if first == token else f" (as {first!r} and {token!r})"
            raise DeviceSelectionError(f"device {device.label} is listed twice{also}")
        chosen[device.uuid] = (token, device)
    return [device for _, device in chosen.values()]


def parse_device_list(requested: str | Sequence[str | int]) -> list[str]:
    """Split ``"0,GPU-ab, 2"`` or ``[0, "GPU-ab"]`` into stripped string tokens.

    As in CUDA, a negative index ends the list: ``CUDA_VISIBLE_DEVICES=-1`` hides every GPU.
    """
    tokens = requested.split(",") if isinstance(requested, str) else list(requested)
    stripped = [str(token).strip() for token in tokens if str(token).strip()]
    ends = [i for i, token in enumerate(stripped) if token.startswith("-") and token[1:].isdigit()]
    return stripped[: ends[0]] if ends else stripped


def _match(token: str, devices: Sequence[Device]) -> Device:
    if token.isdigit():
        found = [d for d in devices if d.mig_parent is None and d.index == int(token)]
    else:
        found = [d for d in devices if d.uuid.startswith(token)]
    if len(found) == 1:
        # a GPU named by its UUID is handed on by its (whole) UUID, which means the same device in every
        # process whatever CUDA_DEVICE_ORDER says
        return found[0] if token.isdigit() else replace(found[0], named_by_uuid=True)
    known = ", ".join(d.label for d in devices) or "none"
    problem = "matches more than one device" if found else "does not exist"
    raise DeviceSelectionError(f"device {token!r} {problem} (devices found: {known})")


def rotated_visible_devices(devices: Sequence[Device], position: int) -> str:
    """``CUDA_VISIBLE_DEVICES`` for the worker at ``position``: its own device first.

    The others follow in rotated order, so each worker sees every device (needed for
    peer access over NVLink) but allocates on its own as device 0.
    """
    ids = [d.visible_id for d in devices]
    return ",".join(ids[position:] + ids[:position])


def describe(discovery: Discovery) -> str:
    """Human-readable table of the devices found (used by ``cuda-worker --show-devices``)."""
    if not discovery:
        return f"No usable GPU: {discovery.reason}"
    lines = ["index  uuid                                      memory     cpus         nvlink  name"]
    for d in discovery.devices:
        index = f"{d.index}" + ("/mig" if d.mig_parent is not None else "")
        lines.append(
            f"{index:<6} {d.uuid:<41} {_memory_text(d.memory_total_bytes)} "
            f"{_ranges(d.cpu_affinity):<12} {','.join(map(str, d.nvlink_peers)) or '-':<7} {d.name}"
        )
    return "\n".join(lines)


def _memory_text(total: int | None) -> str:
    return "  shared  " if total is None else f"{total / 2**30:6.1f} GiB"


def _ranges(cpus: Sequence[int]) -> str:
    if not cpus:
        return "-"
    runs = [[cpus[0], cpus[0]]]
    for cpu in cpus[1:]:
        if cpu == runs[-1][1] + 1:
            runs[-1][1] = cpu
        else:
            runs.append([cpu, cpu])
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)
