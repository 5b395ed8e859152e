"""Typed options for gpuscale, set globally or for a block of code.

>>> import gpuscale
>>> with gpuscale.config.set(backend="numpy"):
...     gpuscale.config.get("backend")
'numpy'

``set`` changes the options at once (globally) and, used as a context manager,
restores the previous values on exit.  Environment variables named
``GPUSCALE_<OPTION>`` (e.g. ``GPUSCALE_BACKEND=cupy``) are read on demand, each
time an option that was not ``set`` is asked for, so they may change after
import.  This module imports nothing heavy; it is the bottom of the import
graph.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["get", "set", "options", "parse_bytes", "Option"]


@dataclass(frozen=True)
class Option:
    """One configuration option: its default, a parser for strings and a doc line."""

    default: Any
    parse: Callable[[Any], Any]
    doc: str


_UNITS = {
    "b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12,
    "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40,
    "k": 10**3, "m": 10**6, "g": 10**9, "t": 10**12,
}


def parse_bytes(value: Any) -> int | None:
    """Parse ``1e9``, ``"4GiB"``, ``"500 MB"`` or ``None`` into a number of bytes.

    Raises
    ------
    ValueError
        If the text is not a size or the size is negative.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in {"", "none"}):
        return None
    if isinstance(value, (int, float)):
        return _non_negative(int(value), value)
    text = value.strip().lower().replace(" ", "")
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = text[len(number):] or "b"
    if unit not in _UNITS or not number:
        raise ValueError(f"cannot read {value!r} as a size in bytes (try '4GiB' or '500MB')")
    return _non_negative(int(float(number) * _UNITS[unit]), value)


def _non_negative(n: int, original: Any) -> int:
    if n < 0:
        raise ValueError(f"a size in bytes cannot be negative: {original!r}")
    return n


def _parse_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def _parse_optional_int(value: Any) -> int | None:
    return None if value in (None, "", "none", "None") else int(value)


def _parse_progress(value: Any) -> bool | str:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    return _parse_bool(value)


def _identity(value: Any) -> Any:
    return value


options: dict[str, Option] = {
    "backend": Option("auto", str, "default backend: auto, cpu, gpu, numpy, pandas, cupy, cudf"),
    "scheduler": Option(None, _identity, "sync, threads, a distributed.Client, or None (threads, or the default Client)"),
    "use_default_client": Option(True, _parse_bool, "compute on the default distributed.Client when one exists"),
    "num_workers": Option(None, _parse_optional_int, "threads of the local runtime (None: number of cores)"),
    "memory_limit": Option(None, parse_bytes, "host bytes the local runtime keeps in memory before spilling to disk"),
    "spill_dir": Option(None, _identity, "folder for spill files (None: the system temp folder)"),
    "progress": Option("auto", _parse_progress, "progress bar: True, False or auto (on a TTY, after ~1 s)"),
    "array.chunk_bytes.cpu": Option(128 * 2**20, parse_bytes, "target chunk size for CPU arrays with chunks='auto'"),
    "array.chunk_bytes.gpu": Option(1024 * 2**20, parse_bytes, "target chunk size for GPU arrays with chunks='auto'"),
    "dataframe.partition_bytes.cpu": Option(128 * 2**20, parse_bytes, "target in-memory partition size on CPU"),
    "dataframe.partition_bytes.gpu": Option(1024 * 2**20, parse_bytes, "target in-memory partition size on GPU"),
    "optimize": Option(True, _parse_bool, "run the expression optimizer before computing"),
}

_lock = threading.RLock()
_values: dict[str, Any] = {}
_MISSING = object()


def _env_name(key: str) -> str:
    return "GPUSCALE_" + key.upper().replace(".", "_")


def _check_key(key: str) -> Option:
    try:
        return options[key]
    except KeyError:
        valid = ", ".join(sorted(options))
        raise KeyError(f"unknown gpuscale option {key!r}; valid options: {valid}") from None


def get(key: str, default: Any = _MISSING) -> Any:
    """Return the current value of option ``key`` (set value, else env var, else default)."""
    option = _check_key(key)
    with _lock:
        if key in _values:
            return _values[key]
    env = os.environ.get(_env_name(key))
    if env is not None:
        return option.parse(env)
    return option.default if default is _MISSING else default


class set:  # noqa: A001 - mirrors dask.config.set
    """Set options globally, or for a ``with`` block.

    Parameters
    ----------
    **values
        Option names with ``_`` or ``.`` separators (``memory_limit="4GiB"``,
        ``**{"array.chunk_bytes.cpu": "64MiB"}``).

    Examples
    --------
    >>> import gpuscale
    >>> with gpuscale.config.set(scheduler="sync"):
    ...     pass
    """

    def __init__(self, **values: Any) -> None:
        parsed = {self._normalize(k): v for k, v in values.items()}
        parsed = {k: options[k].parse(v) if isinstance(v, str) or options[k].parse is parse_bytes else v
                  for k, v in parsed.items()}
        with _lock:
            self._previous = {k: _values.get(k, _MISSING) for k in parsed}
            _values.update(parsed)

    @staticmethod
    def _normalize(key: str) -> str:
        if key in options:
            return key
        dotted = key.replace("__", ".")
        if dotted in options:
            return dotted
        _check_key(key)
        return key

    def __enter__(self) -> "set":
        return self

    def __exit__(self, *exc: object) -> None:
        with _lock:
            for key, old in self._previous.items():
                if old is _MISSING:
                    _values.pop(key, None)
                else:
                    _values[key] = old
