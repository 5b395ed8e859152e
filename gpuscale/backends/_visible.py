"""Which GPUs ``CUDA_VISIBLE_DEVICES`` leaves visible, answered from NVML's device list.

NVML sees every GPU of the machine whatever ``CUDA_VISIBLE_DEVICES`` says; CUDA (and so
CuPy and cuDF) sees only the devices that variable names.  This module applies the
variable to NVML's list the way CUDA does, without importing CUDA:

* unset: every device is visible;
* tokens are separated by commas: an index (``"1"``), a GPU UUID (``"GPU-8f1c…"``) or a
  MIG instance UUID (``"MIG-…"``); a unique UUID prefix is accepted;
* the list ends at the first token that names no device (an index out of range, an
  unknown or ambiguous UUID, a device already listed, or a negative index such as
  ``"-1"``): the devices before it stay visible, the rest are ignored;
* an empty value (``CUDA_VISIBLE_DEVICES=""``) hides every device.

The same rules as ``cuda_workers.devices``; gpuscale keeps its own copy so that it
never imports ``cuda_workers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["NVMLDevice", "Visibility", "parse_visible_devices", "apply_visible_devices"]


@dataclass(frozen=True)
class NVMLDevice:
    """One GPU as NVML lists it.

    Attributes
    ----------
    index : int
        NVML index (the index ``CUDA_VISIBLE_DEVICES`` uses for whole GPUs).
    uuid : str
        ``GPU-…`` UUID.
    mig_uuids : tuple of str
        UUIDs of the GPU's MIG instances (``MIG-…``); empty when MIG is off.
    """

    index: int
    uuid: str
    mig_uuids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Visibility:
    """What ``CUDA_VISIBLE_DEVICES`` leaves visible.

    Attributes
    ----------
    visible : tuple of str
        The visible devices, in CUDA's order: an index for a whole GPU, a ``MIG-…``
        UUID for a MIG instance.
    total : int
        GPUs NVML found.
    reason : str
        One line saying what is visible and why, e.g.
        ``"CUDA_VISIBLE_DEVICES='' hides all 2 GPUs"``.
    """

    visible: tuple[str, ...]
    total: int
    reason: str

    @property
    def count(self) -> int:
        """The number of visible devices."""
        return len(self.visible)


def parse_visible_devices(value: str) -> list[str]:
    """Split a ``CUDA_VISIBLE_DEVICES`` value into stripped tokens, ending at a negative index.

    Parameters
    ----------
    value : str
        The variable's value, e.g. ``"0, GPU-ab12"``.

    Returns
    -------
    list of str
        The tokens CUDA would consider; ``"-1"`` (and everything after it) is dropped.

    Examples
    --------
    >>> parse_visible_devices(" 1,GPU-ab ,-1,0")
    ['1', 'GPU-ab']
    >>> parse_visible_devices("")
    []
    """
    tokens = [token.strip() for token in value.split(",")]
    tokens = [token for token in tokens if token]
    for position, token in enumerate(tokens):
        if token.startswith("-") and token[1:].isdigit():
            return tokens[:position]
    return tokens


def _match(token: str, devices: Sequence[NVMLDevice]) -> str | None:
    """The visible id ``token`` names (an index or a MIG UUID), or None if it names no single device."""
    if token.isdigit():
        index = int(token)
        return str(index) if any(d.index == index for d in devices) else None
    found = [str(d.index) for d in devices if d.uuid.startswith(token)]
    found += [mig for d in devices for mig in d.mig_uuids if mig.startswith(token)]
    return found[0] if len(found) == 1 else None


def _gpus(n: int) -> str:
    return f"{n} GPU" if n == 1 else f"{n} GPUs"


def apply_visible_devices(value: str | None, devices: Sequence[NVMLDevice]) -> Visibility:
    """Apply ``CUDA_VISIBLE_DEVICES`` to the devices NVML found.

    Parameters
    ----------
    value : str or None
        The variable's value; ``None`` when it is not set.
    devices : sequence of NVMLDevice
        Every GPU NVML lists.

    Returns
    -------
    Visibility
        The visible devices and a one-line reason.

    Examples
    --------
    >>> gpus = [NVMLDevice(0, "GPU-aa"), NVMLDevice(1, "GPU-bb")]
    >>> apply_visible_devices("", gpus).reason
    "CUDA_VISIBLE_DEVICES='' hides all 2 GPUs"
    >>> apply_visible_devices("GPU-bb", gpus).visible
    ('1',)
    """
    total = len(devices)
    if value is None:
        return Visibility(tuple(str(d.index) for d in devices), total,
                          f"{_gpus(total)} found by NVML" if total else "NVML reports no GPU")
    shown = f"CUDA_VISIBLE_DEVICES={value!r}"
    if not total:
        return Visibility((), 0, "NVML reports no GPU")
    visible: list[str] = []
    stopped = ""
    for token in parse_visible_devices(value):
        match = _match(token, devices)
        if match is None or match in visible:
            problem = "lists a device twice" if match else f"names no device {token!r}"
            stopped = f"{problem}, so CUDA ignores it and what follows"
            break
        visible.append(match)
    if not visible:
        known = ", ".join(str(d.index) for d in devices)
        detail = f" ({stopped.partition(',')[0]}; NVML found {known})" if stopped else ""
        hides = "the only GPU" if total == 1 else f"all {_gpus(total)}"
        return Visibility((), total, f"{shown} hides {hides}{detail}")
    what = (f"{len(visible)} of {_gpus(total)}" if all(v.isdigit() for v in visible)
            else f"{len(visible)} device(s), MIG instances included, of {_gpus(total)}")
    reason = f"{what} visible ({shown}{': ' + stopped if stopped else ''})"
    return Visibility(tuple(visible), total, reason)
