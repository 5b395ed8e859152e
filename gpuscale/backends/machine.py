"""What this machine has: GPUs from NVML and the libraries gpuscale can use, with versions and reasons.

Used by ``python -m gpuscale check``.  Versions come from the installed
distributions' metadata (:mod:`importlib.metadata`), so nothing is imported just to
read a version.  Whether a library is *usable* is answered by importing it — but a
GPU library (CuPy, cuDF, RMM, UCX, numba-cuda) is imported only when NVML reports a
GPU that ``CUDA_VISIBLE_DEVICES`` leaves visible; otherwise the reason is that GPU
problem, without importing anything.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import os
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from gpuscale.backends import _detect, _visible

__all__ = ["GPU", "NVMLStatus", "Library", "probe_nvml", "probe_libraries", "LIBRARY_NAMES"]

GPU_EXTRAS_HINT = 'pip install "gpuscale[cuda12]" or "gpuscale[cuda13]" (to match the driver\'s CUDA version)'


@dataclass(frozen=True)
class GPU:
    """One GPU as NVML lists it.

    Attributes
    ----------
    index : int
        NVML index.
    name : str
        Product name, e.g. ``"NVIDIA H100 80GB HBM3"``.
    uuid : str
        ``GPU-…`` UUID.
    memory_total_bytes : int or None
        Device memory; None when NVML could not say.
    visible : bool
        Whether ``CUDA_VISIBLE_DEVICES`` leaves it (or one of its MIG instances) visible.
    """

    index: int
    name: str
    uuid: str
    memory_total_bytes: int | None
    visible: bool


@dataclass(frozen=True)
class NVMLStatus:
    """The driver's view of the GPUs, filtered by ``CUDA_VISIBLE_DEVICES``.

    Attributes
    ----------
    available : bool
        NVML started (``nvidia-ml-py`` installed and an NVIDIA driver loaded).
    reason : str
        One line: how many GPUs are visible, or why none is (no driver,
        ``CUDA_VISIBLE_DEVICES`` hides them, ...).
    driver_version : str or None
        The NVIDIA driver version, e.g. ``"550.54.15"``.
    cuda_driver_version : str or None
        The newest CUDA version the driver supports, e.g. ``"12.4"``.
    gpus : tuple of GPU
        Every GPU NVML lists, visible or not.
    visible_count : int
        Devices CUDA will see (a MIG instance counts as one).
    cuda_visible_devices : str or None
        The value of ``CUDA_VISIBLE_DEVICES``; None when unset.
    """

    available: bool
    reason: str
    driver_version: str | None = None
    cuda_driver_version: str | None = None
    gpus: tuple[GPU, ...] = ()
    visible_count: int = 0
    cuda_visible_devices: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON-ready plain data."""
        return asdict(self)


@dataclass(frozen=True)
class Library:
    """One library: installed? which version? usable here? why not?

    Attributes
    ----------
    name : str
        The name users know, e.g. ``"cupy"``, ``"nvidia-ml-py"``.
    module : str
        The import name, e.g. ``"pynvml"``.
    installed : bool
        Whether the module can be found.
    distribution : str or None
        The installed distribution, e.g. ``"cupy-cuda12x"``.
    version : str or None
        Its version, from the distribution's metadata.
    usable : bool
        Whether it works on this machine (imports; finds a GPU where it needs one).
    reason : str
        ``"ok"`` or why it is not usable.
    gpu : bool
        Whether it needs a GPU.
    """

    name: str
    module: str
    installed: bool
    distribution: str | None
    version: str | None
    usable: bool
    reason: str
    gpu: bool

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready plain data."""
        return asdict(self)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _ask(function: Callable[[], Any]) -> Any:
    try:
        return function()
    except Exception:  # NVMLError_NotSupported, a function missing from an old driver, ...
        return None


def _cuda_version(number: Any) -> str | None:
    return None if number is None else f"{int(number) // 1000}.{int(number) % 1000 // 10}"


def probe_nvml(visible_devices: str | None = None, *, environ: bool = True) -> NVMLStatus:
    """Ask NVML for the driver and its GPUs; never raises.

    Parameters
    ----------
    visible_devices : str, optional
        A ``CUDA_VISIBLE_DEVICES`` value to apply; by default the environment's.
    environ : bool
        Read ``CUDA_VISIBLE_DEVICES`` from the environment when ``visible_devices`` is None
        (False: treat it as unset).

    Returns
    -------
    NVMLStatus
    """
    if visible_devices is None and environ:
        visible_devices = os.environ.get("CUDA_VISIBLE_DEVICES")
    try:
        import pynvml
    except ImportError:
        return NVMLStatus(False, "nvidia-ml-py is not installed", cuda_visible_devices=visible_devices)
    try:
        pynvml.nvmlInit()
    except Exception as exc:  # NVMLError_LibraryNotFound, DriverNotLoaded, ...
        return NVMLStatus(False, f"no NVIDIA driver ({type(exc).__name__})", cuda_visible_devices=visible_devices)
    try:
        driver = _ask(lambda: _text(pynvml.nvmlSystemGetDriverVersion()))
        cuda = _cuda_version(_ask(pynvml.nvmlSystemGetCudaDriverVersion))
        try:
            devices = _detect.nvml_devices(pynvml)
            details = [_details(pynvml, device.index) for device in devices]
        except Exception as exc:
            return NVMLStatus(True, f"NVML failed while listing GPUs ({type(exc).__name__}: {exc})", driver, cuda,
                              cuda_visible_devices=visible_devices)
    finally:
        _ask(pynvml.nvmlShutdown)
    visibility = _visible.apply_visible_devices(visible_devices, devices)
    shown = set(visibility.visible)
    gpus = tuple(
        GPU(device.index, name, device.uuid, memory,
            str(device.index) in shown or bool(shown.intersection(device.mig_uuids)))
        for device, (name, memory) in zip(devices, details)
    )
    return NVMLStatus(True, visibility.reason, driver, cuda, gpus, visibility.count, visible_devices)


def _details(nvml: Any, index: int) -> tuple[str, int | None]:
    handle = nvml.nvmlDeviceGetHandleByIndex(index)
    name = _ask(lambda: _text(nvml.nvmlDeviceGetName(handle))) or "unknown GPU"
    memory = _ask(lambda: int(nvml.nvmlDeviceGetMemoryInfo(handle).total))
    return name, memory


# --- libraries -------------------------------------------------------------------------------------------------


def _import(module: str) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return importlib.import_module(module)


def _usable_import(module: str) -> Callable[[NVMLStatus], str | None]:
    def check(nvml: NVMLStatus) -> str | None:
        _import(module)
        return None

    return check


def _usable_cupy(nvml: NVMLStatus) -> str | None:
    cupy = _import("cupy")
    count = cupy.cuda.runtime.getDeviceCount()
    return None if count else "installed, but CuPy sees no CUDA device"


def _usable_rmm(nvml: NVMLStatus) -> str | None:
    _import("rmm")
    try:
        gpu = _import("rmm._cuda.gpu")  # private: skip the device question if a release moves it
    except ImportError:
        return None
    try:
        count = gpu.getDeviceCount()
    except Exception as exc:  # CUDARuntimeError: cudaErrorInsufficientDriver, ...
        return f"installed, but RMM cannot use CUDA: {_first_line(exc)}"
    return None if count else "installed, but RMM sees no CUDA device"


def _usable_numba_cuda(nvml: NVMLStatus) -> str | None:
    cuda = _import("numba.cuda")
    if cuda.is_available():
        return None
    driver = getattr(_import("numba.cuda.cudadrv.driver"), "driver", None)
    error = getattr(driver, "initialization_error", None)
    detail = " ".join(str(error).split()) if error else "no CUDA driver found"
    return f"installed, but numba-cuda cannot use CUDA: {detail}"


@dataclass(frozen=True)
class _Spec:
    name: str
    module: str
    distributions: tuple[str, ...]
    gpu: bool
    usable: Callable[[NVMLStatus], str | None]
    hint: str


def _cuda_flavours(base: str, suffixes: tuple[str, ...] = ("cu13", "cu12")) -> tuple[str, ...]:
    return (base, *(f"{base}-{suffix}" for suffix in suffixes))


def _specs() -> list[_Spec]:
    cpu = [(name, name) for name in ("numpy", "pandas", "pyarrow", "dask", "distributed")]
    specs = [_Spec(name, module, (name,), False, _usable_import(module), f"pip install {name}")
             for name, module in cpu]
    specs.insert(0, _Spec("nvidia-ml-py", "pynvml", ("nvidia-ml-py", "pynvml"), False, _usable_nvml,
                          "pip install nvidia-ml-py"))
    specs += [
        _Spec("cupy", "cupy", ("cupy", "cupy-cuda13x", "cupy-cuda12x", "cupy-cuda11x"), True, _usable_cupy,
              GPU_EXTRAS_HINT),
        _Spec("cudf", "cudf", _cuda_flavours("cudf"), True, _usable_import("cudf"), GPU_EXTRAS_HINT),
        _Spec("rmm", "rmm", _cuda_flavours("rmm"), True, _usable_rmm, GPU_EXTRAS_HINT),
        _Spec("ucxx", "ucxx", _cuda_flavours("ucxx"), True, _usable_import("ucxx"), GPU_EXTRAS_HINT),
        _Spec("distributed-ucxx", "distributed_ucxx", _cuda_flavours("distributed-ucxx"), True,
              _usable_import("distributed_ucxx"), GPU_EXTRAS_HINT),
        _Spec("numba-cuda", "numba_cuda", ("numba-cuda",), True, _usable_numba_cuda, GPU_EXTRAS_HINT),
    ]
    return specs


def _usable_nvml(nvml: NVMLStatus) -> str | None:
    _import("pynvml")
    return None if nvml.available else f"installed, but {nvml.reason}"


#: The libraries :func:`probe_libraries` reports on, in order.
LIBRARY_NAMES = ("nvidia-ml-py", "numpy", "pandas", "pyarrow", "dask", "distributed", "cupy", "cudf", "rmm",
                 "ucxx", "distributed-ucxx", "numba-cuda")


def _distribution(module: str, candidates: tuple[str, ...]) -> tuple[str | None, str | None]:
    for name in candidates:
        try:
            return name, importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    for name in importlib.metadata.packages_distributions().get(module, []):  # e.g. cupy-rocm-5-0
        try:
            return name, importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None, None


def _first_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text[:300]}" if text else type(exc).__name__


def _probe(spec: _Spec, nvml: NVMLStatus) -> Library:
    distribution, version = _distribution(spec.module, spec.distributions)
    installed = _detect.installed(spec.module)
    if not installed:
        return Library(spec.name, spec.module, False, distribution, version, False,
                       f"not installed; {spec.hint}", spec.gpu)
    if spec.gpu and not nvml.visible_count:
        return Library(spec.name, spec.module, True, distribution, version, False,
                       f"installed, but no usable GPU: {nvml.reason}", spec.gpu)
    try:
        problem = spec.usable(nvml)
    except Exception as exc:  # ImportError, OSError (a missing libcudart), CUDA runtime errors, ...
        problem = f"installed, but import fails: {_first_line(exc)}"
    if problem is None:
        return Library(spec.name, spec.module, True, distribution, version, True, "ok", spec.gpu)
    return Library(spec.name, spec.module, True, distribution, version, False, problem, spec.gpu)


def probe_libraries(nvml: NVMLStatus | None = None, names: tuple[str, ...] = LIBRARY_NAMES) -> list[Library]:
    """Report, for each library gpuscale uses, whether it is installed, its version and whether it is usable.

    Parameters
    ----------
    nvml : NVMLStatus, optional
        The GPUs found (by default :func:`probe_nvml` is asked).  A GPU library is
        imported to test it only when ``nvml.visible_count`` is not 0.
    names : tuple of str
        The libraries to report on, from :data:`LIBRARY_NAMES`.

    Returns
    -------
    list of Library
        In the order of ``names``.

    Examples
    --------
    >>> from gpuscale.backends.machine import probe_libraries
    >>> numpy, = probe_libraries(names=("numpy",))
    >>> numpy.usable
    True
    """
    nvml = probe_nvml() if nvml is None else nvml
    specs = {spec.name: spec for spec in _specs()}
    unknown = set(names) - set(specs)
    if unknown:
        raise ValueError(f"unknown libraries {sorted(unknown)}; known: {', '.join(LIBRARY_NAMES)}")
    return [_probe(specs[name], nvml) for name in names]
