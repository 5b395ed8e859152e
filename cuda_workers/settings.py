"""All options of a CUDA worker in one frozen, validated dataclass.

Validation happens in the parent, before any worker process starts, so a typo costs
a clear ``SettingsError`` naming the option instead of N crashed workers. Sizes accept
bytes (``4_000_000_000``), strings (``"4GB"``, ``"80%"``) or fractions of the total
(``0.8``); after validation every size field holds either ``int`` bytes or a
``float`` fraction in ``(0, 1]`` (resolved per device by :func:`resolve_bytes`).
Checks that need the hardware (a pool larger than the device, a device id that does
not exist) run when workers are planned (:mod:`cuda_workers.spec`).
"""

from __future__ import annotations

import importlib.util
import numbers
import os
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, fields

Size = int | float | str | None

PROTOCOLS = ("tcp", "tls", "ucx")
_PROTOCOL_ALIASES = {"ucxx": "ucx"}


class SettingsError(ValueError):
    """An option has a bad value; the message starts with the option's name.

    Examples
    --------
    >>> try:
    ...     Settings(n_workers=0)
    ... except SettingsError as error:
    ...     print(error.option, "|", error)
    n_workers | n_workers: must be a positive integer or None; got 0
    """

    def __init__(self, option: str, problem: str):
        super().__init__(f"{option}: {problem}")
        self.option = option
        self.problem = problem

    def renamed(self, option: str) -> SettingsError:
        """The same problem, reported under another name of the option (``CUDA_VISIBLE_DEVICES`` for ``devices``)."""
        return SettingsError(option, self.problem)


def jit_unspill_refused() -> SettingsError:
    """The error for dask-cuda's ``jit_unspill=True`` / ``--enable-jit-unspill`` (proxy objects not supported)."""
    return SettingsError("jit_unspill", "JIT-unspill proxy objects are not supported: cuDF spills its own "
                                        "buffers with enable_cudf_spill=True, other device results spill through "
                                        "the device tier (device_memory_limit)")


@dataclass(frozen=True)
class Settings:
    """Options of ``LocalCUDACluster`` and ``cuda-worker`` (see docs/cuda_workers.md).

    Parameters
    ----------
    n_workers : int, optional
        Number of workers; default one per visible GPU (or a CPU-sized count).
    threads_per_worker : int, optional
        Threads per worker; default 1 on GPUs (one stream of work per device).
    memory_limit : size or "auto"
        Host memory per worker; "auto" splits the machine's memory between workers. As distributed
        reads it, a number up to 1 (``1`` and ``"1"`` too) is a fraction of the machine's memory.
    device_memory_limit : size
        Device bytes a worker keeps before spilling to host; default 0.8 of the device.
    devices : str, int or sequence, optional
        Devices to use (indices, ``GPU-``/``MIG-`` UUIDs), each at most once; default
        ``CUDA_VISIBLE_DEVICES`` or every GPU.
    cpu_fallback : bool
        Start CPU workers when there is no usable GPU (default) instead of raising.

    The other fields are dask-cuda's ``LocalCUDACluster`` options of the same names
    (docs/cuda_workers.md lists them): the RMM allocator (``rmm_*``), cuDF spilling
    (``enable_cudf_spill``, ``cudf_spill_stats``), ``log_spilling``, the UCX transports
    (``protocol``; ``enable_tcp_over_ucx``, ``enable_nvlink``, ``enable_infiniband`` and
    ``enable_rdmacm`` choose ``protocol="ucx"`` when it is left unset), ``pre_import``
    and where workers listen.

    Examples
    --------
    Sizes are read as bytes, ``"4GB"`` or a fraction of the whole (``0.8``, ``"80%"``):

    >>> s = Settings(memory_limit="4GB", device_memory_limit="80%", rmm_pool_size="10GB")
    >>> s.memory_limit, s.device_memory_limit, s.wants_rmm
    (4000000000, 0.8, True)
    >>> s.replace(n_workers=2).n_workers
    2
    >>> sorted(s.device_options)
    ['rmm_pool_size']
    """

    n_workers: int | None = None
    threads_per_worker: int | None = None
    memory_limit: Size = "auto"
    device_memory_limit: Size = 0.8
    devices: str | Sequence[str | int] | None = None
    cpu_fallback: bool = True
    local_directory: str | None = None
    rmm_pool_size: Size = None
    rmm_maximum_pool_size: Size = None
    rmm_async: bool = False
    rmm_managed_memory: bool = False
    rmm_release_threshold: Size = None
    rmm_log_directory: str | None = None
    rmm_track_allocations: bool = False
    rmm_allocator_external_lib_list: str | Sequence[str] | None = None
    enable_cudf_spill: bool = False
    cudf_spill_stats: int = 0
    log_spilling: bool = False
    pre_import: str | Sequence[str] = ()
    protocol: str | None = None
    enable_tcp_over_ucx: bool | None = None
    enable_nvlink: bool | None = None
    enable_infiniband: bool | None = None
    enable_rdmacm: bool | None = None
    interface: str | None = None
    host: str | None = None
    security: object = None
    dashboard_address: str | None = ":8787"

    def __post_init__(self):
        for check in _CHECKS:
            check(self)

    def replace(self, **changes) -> Settings:
        """A copy with some options changed (validated again)."""
        current = {f.name: getattr(self, f.name) for f in fields(self)}
        return Settings(**{**current, **changes})

    @property
    def device_options(self) -> dict[str, object]:
        """GPU-only options the user changed from their defaults (ignored on CPU)."""
        return {
            name: getattr(self, name)
            for name in _DEVICE_OPTIONS
            if getattr(self, name) != _DEFAULTS[name]
        }

    @property
    def wants_rmm(self) -> bool:
        """True when any RMM option asks for a non-default allocator."""
        return bool(self.rmm_pool_size is not None or self.rmm_async or self.rmm_managed_memory)

    @property
    def sets_up_rmm(self) -> bool:
        """True when GPU workers run the RMM set-up: an allocator, its log or its tracking."""
        return self.wants_rmm or self.rmm_log_directory is not None or self.rmm_track_allocations


_DEVICE_OPTIONS = (
    "device_memory_limit", "rmm_pool_size", "rmm_maximum_pool_size", "rmm_async",
    "rmm_managed_memory", "rmm_release_threshold", "rmm_log_directory", "rmm_track_allocations",
    "rmm_allocator_external_lib_list", "enable_cudf_spill", "cudf_spill_stats", "log_spilling",
    "enable_nvlink", "enable_infiniband", "enable_rdmacm",
)
# dask-cuda's words for device_memory_limit: "default" is its 80%, "auto" (like 0 and None) no spilling
_DEVICE_LIMIT_WORDS = {"default": 0.8, "auto": None}
# libraries whose device allocations RMM can serve (dask-cuda's rmm_allocator_external_lib_list, and Numba)
EXTERNAL_ALLOCATOR_LIBRARIES = ("cupy", "torch", "numba")
_DEFAULTS = {f.name: f.default for f in fields(Settings)}


def _set(settings: Settings, name: str, value) -> None:
    object.__setattr__(settings, name, value)  # normalising a frozen dataclass


def parse_size(option: str, value: Size) -> int | float | None:
    """Normalise a size option to ``int`` bytes or a ``float`` fraction in (0, 1].

    Examples
    --------
    >>> parse_size("memory_limit", "2 GiB"), parse_size("memory_limit", "80%")
    (2147483648, 0.8)
    """
    if value is None:
        return None
    if type(value).__name__ in ("bool", "bool_") or not isinstance(value, (numbers.Real, str)):
        raise SettingsError(option, f"expected bytes, a fraction or a string like '4GB'; got {value!r}")
    given = value
    if not isinstance(value, (int, float, str)):  # NumPy's integers and floats, as Python's
        value = int(value) if isinstance(value, numbers.Integral) else float(value)
    if isinstance(value, str):
        value = _parse_size_text(option, value)
    if value != value or value in (float("inf"), float("-inf")):
        raise SettingsError(option, f"expected a finite size; got {given!r}")
    if value < 0:
        raise SettingsError(option, f"must not be negative; got {given!r}")
    if isinstance(value, float) and value <= 1:
        return value
    if isinstance(value, float) and not value.is_integer():  # 1.5: a fraction above 1? (int(1.5) = 1 byte)
        raise SettingsError(option, f"expected a fraction in (0, 1] or a whole number of bytes; got {given!r}")
    return int(value)


def _parse_size_text(option: str, given: str) -> int | float:
    text = given.strip()
    for kind in (int, float):  # "0.8" is a fraction and "4000000000" bytes, as the numbers (dask-cuda reads them so)
        try:
            return kind(text)
        except ValueError:
            pass
    if text.endswith("%"):
        try:
            percent = float(text[:-1])
        except ValueError:
            raise SettingsError(option, f"cannot read {text!r} as a percentage") from None
        if not 0 <= percent <= 100:  # "150%" used to become 1.5 -> 1 byte -> the whole machine
            raise SettingsError(option, f"expected a percentage from 0% to 100%; got {text!r}")
        return percent / 100
    from dask.utils import parse_bytes

    if not any(c.isdigit() for c in text):  # dask's parse_bytes reads "", "B" and "GB" as 1 of the unit
        raise SettingsError(option, f"cannot read {given!r} as a size (e.g. '4GB', '80%')")
    try:
        return parse_bytes(text)
    except (ValueError, TypeError):
        raise SettingsError(option, f"cannot read {text!r} as a size (e.g. '4GB', '80%')") from None


def resolve_bytes(value: int | float | None, total: int | None) -> int | None:
    """Bytes for a normalised size: fractions are taken of ``total``.

    Examples
    --------
    >>> resolve_bytes(0.5, 16_000), resolve_bytes(4_000, 16_000), resolve_bytes(None, 16_000)
    (8000, 4000, None)
    """
    if value is None:
        return None
    return int(value * total) if isinstance(value, float) else int(value)


def _check_counts(s: Settings) -> None:
    for name in ("n_workers", "threads_per_worker"):
        value = getattr(s, name)
        if value is None:
            continue
        if not _is_integer(value) or value < 1:  # NumPy's integers too, as for the other options
            raise SettingsError(name, f"must be a positive integer or None; got {value!r}")
        _set(s, name, int(value))


def _check_sizes(s: Settings) -> None:
    if not (isinstance(s.memory_limit, str) and s.memory_limit == "auto"):
        _set(s, "memory_limit", _host_memory_limit(s.memory_limit))
    word = s.device_memory_limit.strip().lower() if isinstance(s.device_memory_limit, str) else None
    if word in _DEVICE_LIMIT_WORDS:
        _set(s, "device_memory_limit", _DEVICE_LIMIT_WORDS[word])
    for name in ("device_memory_limit", "rmm_pool_size", "rmm_maximum_pool_size", "rmm_release_threshold"):
        value = parse_size(name, getattr(s, name))
        # as dask-cuda's parse_device_bytes: 0 means none (no pool, no limit, no threshold)
        _set(s, name, None if value == 0 and name.startswith("rmm_") else value)


def _host_memory_limit(value: Size) -> int | float | None:
    """``memory_limit`` as distributed's ``parse_memory_limit`` reads it: a number up to 1 (``1``, ``"1"`` too) is a
    fraction of the machine's memory, as in ``LocalCluster`` and dask-cuda (1 byte was the other reading)."""
    parsed = parse_size("memory_limit", value)
    bare_number = not isinstance(value, str) or _is_number(value)
    return float(parsed) if bare_number and parsed == 1 else parsed


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_rmm(s: Settings) -> None:
    if s.rmm_async and s.rmm_managed_memory:
        raise SettingsError("rmm_managed_memory", "cannot be combined with rmm_async=True")
    if s.rmm_release_threshold is not None and not s.rmm_async:
        raise SettingsError("rmm_release_threshold", "requires rmm_async=True")
    if s.rmm_async and s.rmm_pool_size is not None:
        # dask-cuda warns the same way: CUDA's async allocator grows and shrinks its own pool
        warnings.warn("'rmm_pool_size' is not needed when 'rmm_async' is enabled: CUDA's async allocator grows "
                      "its pool as needed (the size given only primes it); drop rmm_pool_size to silence this",
                      FutureWarning, stacklevel=4)
    if s.rmm_maximum_pool_size is not None and s.rmm_pool_size is None and not s.rmm_async:
        raise SettingsError("rmm_maximum_pool_size", "requires rmm_pool_size (or rmm_async=True)")
    both = (s.rmm_pool_size, s.rmm_maximum_pool_size)
    if all(type(v) is int for v in both) and both[1] < both[0]:
        raise SettingsError("rmm_maximum_pool_size", f"{both[1]} bytes is smaller than rmm_pool_size={both[0]}")
    _set(s, "rmm_allocator_external_lib_list", _library_list(s.rmm_allocator_external_lib_list))
    asked = [name for name in ("rmm_pool_size", "rmm_async", "rmm_managed_memory", "rmm_log_directory",
                               "rmm_track_allocations", "rmm_allocator_external_lib_list")
             if getattr(s, name) not in (None, False)]
    if asked and _find_spec("rmm") is None:
        raise SettingsError(asked[0], "needs RMM, which is not installed (pip install rmm-cu13, or rmm-cu12 for CUDA 12)")


def _library_list(value) -> tuple[str, ...] | None:
    """``"torch,cupy"`` or ``["torch", "cupy"]`` -> ``("torch", "cupy")``; ``None`` stays (the default set)."""
    option = "rmm_allocator_external_lib_list"
    if value is None:
        return None
    names = tuple(dict.fromkeys(name.lower() for name in _names(option, value)))
    unknown = [name for name in names if name not in EXTERNAL_ALLOCATOR_LIBRARIES]
    if unknown:
        raise SettingsError(option, f"unknown library {unknown[0]!r}; choose from {EXTERNAL_ALLOCATOR_LIBRARIES}")
    missing = [name for name in names if _find_spec(name) is None]
    if missing:  # the workers would fail at start-up, one by one
        raise SettingsError(option, f"{missing[0]!r} is not installed")
    return names


_SWITCHES = ("cpu_fallback", "rmm_async", "rmm_managed_memory", "rmm_track_allocations", "enable_cudf_spill",
             "log_spilling")
_UNSET_OR_SWITCHES = ("enable_tcp_over_ucx", "enable_nvlink", "enable_infiniband", "enable_rdmacm")


def _check_switches(s: Settings) -> None:
    """True/false options must be booleans: ``"no"`` would read as true and switch the feature on."""
    for name in (*_SWITCHES, *_UNSET_OR_SWITCHES):
        value = getattr(s, name)
        if value is None and name in _UNSET_OR_SWITCHES:
            continue
        if type(value).__name__ not in ("bool", "bool_"):  # (NumPy's booleans too)
            raise SettingsError(name, f"expected True or False; got {value!r}")


def _check_cudf_spill(s: Settings) -> None:
    stats = s.cudf_spill_stats
    if isinstance(stats, bool) or not isinstance(stats, int) or not 0 <= stats <= 2:
        raise SettingsError("cudf_spill_stats", f"expected a cuDF statistics level (0 off, 1 spill counts and times, "
                            f"2 also tracebacks); got {stats!r}")
    if s.enable_cudf_spill and _find_spec("cudf") is None:  # else every worker fails at start-up
        raise SettingsError("enable_cudf_spill", "needs cuDF, which is not installed (pip install cudf-cu13, or "
                                                 "cudf-cu12 for CUDA 12)")


def _names(option: str, value) -> tuple[str, ...]:
    """``"a, b"`` or ``["a", "b"]`` -> ``("a", "b")`` (dask-cuda's two spellings of a list of names)."""
    items = value.split(",") if isinstance(value, str) else list(value) if hasattr(value, "__iter__") else None
    if items is None or not all(isinstance(v, str) for v in items):
        raise SettingsError(option, f"expected a comma-separated string or a list of names; got {value!r}")
    return tuple(v.strip() for v in items if v.strip())


def _check_modules(s: Settings) -> None:
    modules = _names("pre_import", s.pre_import)
    for module in modules:
        if _find_spec(module) is None:
            raise SettingsError("pre_import", f"module {module!r} cannot be found (ModuleNotFoundError: No module "
                                              f"named {module!r})")
    _set(s, "pre_import", modules)


def _find_spec(module: str):
    try:
        return importlib.util.find_spec(module)
    except (ImportError, ValueError):  # parent package missing
        return None


_UCX_SWITCHES = ("enable_tcp_over_ucx", "enable_nvlink", "enable_infiniband", "enable_rdmacm")


def _check_transport(s: Settings) -> None:
    asking_ucx = [name for name in _UCX_SWITCHES if getattr(s, name)]
    if s.protocol is None:  # as dask-cuda: a UCX transport switched on means protocol="ucx"
        _set(s, "protocol", "ucx" if asking_ucx else "tcp")
    protocol = _PROTOCOL_ALIASES.get(s.protocol, s.protocol)
    if protocol not in PROTOCOLS:
        raise SettingsError("protocol", f"unknown protocol {s.protocol!r}; choose one of {PROTOCOLS}")
    _set(s, "protocol", protocol)
    if protocol == "ucx" and _find_spec("distributed_ucxx") is None:
        raise SettingsError("protocol", "'ucx' needs distributed-ucxx (pip install distributed-ucxx-cu12)")
    if asking_ucx and protocol != "ucx":
        raise SettingsError(asking_ucx[0], f"requires protocol='ucx'; got protocol={protocol!r}")
    if s.enable_rdmacm and s.enable_infiniband is False:
        raise SettingsError("enable_rdmacm", "the RDMA connection manager needs InfiniBand (enable_infiniband=False)")
    _check_security(s)
    if protocol == "tls" and s.security is None:
        raise SettingsError("security", "protocol='tls' needs security= (a distributed.Security)")
    if s.interface is not None and s.host is not None:  # dask-cuda: "Can not specify both interface and host"
        raise SettingsError("host", f"cannot be given together with interface (host={s.host!r}, "
                                    f"interface={s.interface!r}): give one of interface and host")


def _check_security(s: Settings) -> None:
    """``security`` is None, a ``distributed.Security``, or True for temporary certificates (as LocalCluster:
    ``Security.temporary()``, which needs the ``cryptography`` package); another value passed the checks and
    the cluster then failed to start with an empty message."""
    if s.security is None or s.security is False:
        _set(s, "security", None)
        return
    from distributed import Security

    if s.security is True:
        try:
            _set(s, "security", Security.temporary())
        except ImportError as error:
            raise SettingsError("security", f"True makes temporary TLS certificates, which needs the "
                                            f"'cryptography' package ({error}); install it or pass a "
                                            "distributed.Security") from None
    elif not isinstance(s.security, Security):
        raise SettingsError("security", f"expected a distributed.Security (TLS certificates), True or None; "
                                        f"got {s.security!r}")


def _check_devices(s: Settings) -> None:
    """``devices`` (``CUDA_VISIBLE_DEVICES``): a string, one index (``0``) or a list of indices and UUIDs."""
    from .devices import parse_device_list

    value = s.devices
    if value is None:
        return
    if _is_integer(value):
        value = str(int(value))  # one device, as "0"
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) or _is_integer(v) for v in value):
        value = type(value)(v if isinstance(v, str) else int(v) for v in value)
    elif not isinstance(value, str):
        raise SettingsError("devices", f"expected device indices or UUIDs, as '0,1', 0 or [0, 'GPU-…']; "
                                       f"got {value!r}")
    if not parse_device_list(value):
        # what hides every GPU in the environment variable; as an option it can only be a mistake
        raise SettingsError("devices", f"{s.devices!r} selects no device")
    _set(s, "devices", value)


def _is_integer(value) -> bool:
    return isinstance(value, numbers.Integral) and type(value).__name__ not in ("bool", "bool_")


def check_dashboard_address(option: str, address) -> None:
    """A dashboard address as distributed reads it: ``":8787"``, ``"host:8787"``, ``"8787"``, a port or None."""
    if address is None:
        return
    if _is_integer(address) or isinstance(address, str):
        from distributed.utils import clean_dashboard_address

        try:
            ports = [entry["port"] for entry in clean_dashboard_address(address if isinstance(address, str)
                                                                        else int(address))]
        except (ValueError, TypeError):
            ports = [-1]
        # "8787.5" would be read as a host name
        numbers_given = [part for part in str(address).replace(":", ",").split(",") if _is_number(part.strip())]
        if all(0 <= port <= 65535 for port in ports) and all(part.strip().isdigit() for part in numbers_given):
            return
    raise SettingsError(option, f"expected an address like ':8787' or 'localhost:8787', a port or None; "
                                f"got {address!r}")


def check_death_timeout(value) -> None:
    """``death_timeout`` as distributed reads it: seconds, or a duration such as ``"60s"``; None for none."""
    if value is None:
        return
    from dask.utils import parse_timedelta

    try:
        ok = not isinstance(value, bool) and parse_timedelta(value) >= 0
    except (KeyError, ValueError, TypeError, AttributeError):
        ok = False
    if not ok:
        raise SettingsError("death_timeout", f"expected seconds or a duration like '60s'; got {value!r}")


def _check_dashboard(s: Settings) -> None:
    check_dashboard_address("dashboard_address", s.dashboard_address)


def _check_paths(s: Settings) -> None:
    for name in ("local_directory", "rmm_log_directory"):
        path = getattr(s, name)
        # before os.path: it reads an int (True too) as a file descriptor, and an empty local_directory as None
        if path is not None and not isinstance(path, (str, os.PathLike)):
            raise SettingsError(name, f"expected a path (str or os.PathLike); got {path!r}")
    if not s.local_directory:  # "" as None: dask's temporary-directory, as LocalCluster's workers read it
        _set(s, "local_directory", None)
    for name in ("local_directory", "rmm_log_directory"):
        path = getattr(s, name)
        if path is not None and os.path.exists(path) and not os.path.isdir(path):
            raise SettingsError(name, f"{path!r} exists and is not a directory")


_CHECKS = (_check_counts, _check_switches, _check_sizes, _check_rmm, _check_cudf_spill, _check_modules,
           _check_transport, _check_devices, _check_dashboard, _check_paths)
