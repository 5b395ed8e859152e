"""Backend names, aliases and what works on this machine.

Arrays have the chunk libraries ``numpy``, ``cupy`` (and ``array_api_strict``
for tests); frames have ``pandas`` and ``cudf``.  Each belongs to a family,
``cpu`` or ``gpu``, so one global switch (``backend="gpu"`` or ``"cupy"``) moves
both arrays and frames: asking a frame for ``"cupy"`` gives ``"cudf"``.
``"auto"`` picks the GPU family when a usable GPU is present, else the CPU one.

dask's own switch, ``dask.config.set({"dataframe.backend": "cudf"})`` / ``{"array.backend": "cupy"}`` (RAPIDS'
way of moving dask to the GPU), is honoured where gpuscale's backend is left at ``"auto"``, so ported code that
sets it keeps its meaning; dask's defaults (``pandas``, ``numpy``) leave ``"auto"`` as it is.
"""

from __future__ import annotations

import importlib
import logging
import sys
from dataclasses import dataclass
from types import ModuleType

from gpuscale import config
from gpuscale.backends import _detect

__all__ = [
    "BackendUnavailableError", "Availability", "available", "resolve_array_backend",
    "resolve_frame_backend", "array_module", "frame_module", "family_of",
]

log = logging.getLogger("gpuscale.backends")

ARRAY_LIBRARIES = {"numpy": "cpu", "cupy": "gpu", "array_api_strict": "cpu"}
FRAME_LIBRARIES = {"pandas": "cpu", "cudf": "gpu"}
_FAMILY_DEFAULT = {"array": {"cpu": "numpy", "gpu": "cupy"}, "frame": {"cpu": "pandas", "gpu": "cudf"}}
_ALIASES = {"cpu", "gpu", "auto"}
_IMPORT_NAME = {"numpy": "numpy", "cupy": "cupy", "array_api_strict": "array_api_strict",
                "pandas": "pandas", "cudf": "cudf"}
VALID_NAMES = sorted({*ARRAY_LIBRARIES, *FRAME_LIBRARIES, *_ALIASES})


class BackendUnavailableError(RuntimeError):
    """A backend was asked for explicitly but cannot run on this machine."""


@dataclass(frozen=True)
class Availability:
    """Whether a backend works here, and why (not)."""

    name: str
    ok: bool
    reason: str

    def __str__(self) -> str:
        return f"{self.name}: {'ok' if self.ok else 'unavailable'} ({self.reason})"


def _check(name: str) -> Availability:
    if not _detect.installed(_IMPORT_NAME[name]):
        return Availability(name, False, "not installed")
    family = ARRAY_LIBRARIES.get(name) or FRAME_LIBRARIES[name]
    if family == "cpu":
        return Availability(name, True, "installed")
    count, reason = _detect.gpu_probe()
    return Availability(name, count > 0, f"installed, {reason}" if count == 0 else f"installed, {reason}")


def available() -> dict[str, Availability]:
    """Report which backends work on this machine and why the others do not.

    Examples
    --------
    >>> import gpuscale
    >>> gpuscale.backends.available()["numpy"].ok
    True
    """
    return {name: _check(name) for name in (*ARRAY_LIBRARIES, *FRAME_LIBRARIES)}


def _validate(name: str) -> str:
    # the spelling config.set(backend=...) takes: case, "-" for "_" and surrounding spaces do not matter
    if not isinstance(name, str):
        raise ValueError(f"backend={name!r} is not valid: expected a backend name, one of {', '.join(VALID_NAMES)}")
    text = name.strip().lower().replace("-", "_")
    if text not in VALID_NAMES:
        raise ValueError(f"unknown backend {name!r}; valid backends: {', '.join(VALID_NAMES)}")
    return text


def family_of(name: str) -> str:
    """``"cpu"`` or ``"gpu"`` for a library or alias name (``auto`` resolved)."""
    name = _validate(name)
    if name == "auto":
        return "gpu" if _detect.gpu_probe()[0] and _gpu_libraries_present() else "cpu"
    if name in ("cpu", "gpu"):
        return name
    return ARRAY_LIBRARIES.get(name) or FRAME_LIBRARIES[name]


def _gpu_libraries_present() -> bool:
    return _detect.installed("cupy") or _detect.installed("cudf")


_DASK_KEYS = {"array": "array.backend", "frame": "dataframe.backend"}


def _dask_backend(kind: str) -> str | None:
    """The GPU library dask's config asks for (``dataframe.backend``: ``"cudf"``; ``array.backend``:
    ``"cupy"``), else None.  dask is never imported here: only a program that imported it can have set it."""
    dask = sys.modules.get("dask")
    try:
        value = dask.config.get(_DASK_KEYS[kind], None) if dask is not None else None
    except Exception:  # a half-imported dask
        return None
    libraries = ARRAY_LIBRARIES if kind == "array" else FRAME_LIBRARIES
    value = value.lower() if isinstance(value, str) else None
    return value if value in libraries and libraries[value] == "gpu" else None


def dask_backends() -> dict[str, str]:
    """dask's config keys that move default computations to the GPU while gpuscale's backend is ``"auto"``
    (``{"dataframe.backend": "cudf"}``), read only where dask is imported, as :func:`resolve_frame_backend` does.

    Examples
    --------
    >>> import gpuscale
    >>> gpuscale.backends.registry.dask_backends()
    {}
    """
    chosen = {_DASK_KEYS[kind]: _dask_backend(kind) for kind in ("array", "frame")}
    return {key: value for key, value in chosen.items() if value is not None}


def _resolve(kind: str, name: str | None) -> str:
    if name is not None and not isinstance(name, str):
        _validate(name)  # backend=1: a ValueError naming the valid names, not an AttributeError
    configured = name or config.get("backend")
    from_dask = _dask_backend(kind) if name is None and configured == "auto" else None
    if from_dask is not None:
        key = _DASK_KEYS[kind]
        _require(from_dask, f"{from_dask!r} (dask's config {key!r})",
                 f"To run on the CPU, set dask's {key!r} back to its default or gpuscale's backend to 'cpu'")
        return from_dask
    requested = _validate(configured)
    libraries = ARRAY_LIBRARIES if kind == "array" else FRAME_LIBRARIES
    if requested in libraries:
        library = requested
    else:
        library = _FAMILY_DEFAULT[kind][family_of(requested)]
    if requested == "auto":
        log.debug("backend='auto' chose %s for %ss", library, kind)
        if not _check(library).ok:  # e.g. GPU present but cudf missing
            library = _FAMILY_DEFAULT[kind]["cpu"]
    source = config.source("backend") if not name else "given"
    if source.startswith("environment"):  # not in the code that failed: say where it comes from
        _require(library, repr(requested), f"It comes from the {source}: unset it, or set it to 'auto' to fall "
                                           "back to the CPU when no GPU is usable")
    else:
        _require(library, repr(requested))
    return library


def _require(library: str, asked: str,
             remedy: str = "Use backend='auto' to fall back to the CPU when no GPU is usable") -> None:
    status = _check(library)
    if not status.ok:
        raise BackendUnavailableError(f"backend {asked} needs {library}, which cannot run here: {status.reason}. "
                                      f"{remedy}.")


def resolve_array_backend(name: str | None = None) -> str:
    """Map a backend name (or the configured one) to an array chunk library name."""
    return _resolve("array", name)


def resolve_frame_backend(name: str | None = None) -> str:
    """Map a backend name (or the configured one) to a frame partition library name."""
    return _resolve("frame", name)


def array_module(name: str | None = None) -> ModuleType:
    """Import and return the array library for ``name`` (numpy, cupy or array_api_strict)."""
    return importlib.import_module(_IMPORT_NAME[resolve_array_backend(name)])


def frame_module(name: str | None = None) -> ModuleType:
    """Import and return the frame library for ``name`` (pandas or cudf)."""
    return importlib.import_module(_IMPORT_NAME[resolve_frame_backend(name)])
