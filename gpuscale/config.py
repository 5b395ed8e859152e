"""Typed options for gpuscale, set globally or for a block of code.

>>> import gpuscale
>>> with gpuscale.config.set(backend="numpy"):
...     gpuscale.config.get("backend")
'numpy'

``set`` on its own changes the options at once, globally; as a ``with`` block it
changes them for the block, in the thread (or asyncio task) running it only, and
a plain ``set`` inside the block changes them until the block ends (as dask's
block restores them).  Environment variables named
``GPUSCALE_<OPTION>`` (e.g. ``GPUSCALE_BACKEND=cupy``) are read on demand, each
time an option that was not ``set`` is asked for, so they may change after
import; an empty one counts as unset.  Every value is checked where it enters:
``set`` checks all its values before setting any, and a bad environment variable
fails when it is read; the ``ValueError`` names the option (or the variable),
the value and what is allowed.  This module imports nothing heavy; it is the
bottom of the import graph.
"""

from __future__ import annotations

import contextvars
import functools
import os
import sys
import threading
import weakref
from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["get", "set", "check", "source", "options", "parse_bytes", "Option"]


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
        If the value is not a size or the size is negative.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in {"", "none"}):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"cannot read {value!r} as a size in bytes (try 4e9, '4GiB' or '500MB')")
    if isinstance(value, (int, float)):
        return _non_negative(_whole(_no_fraction(value, value), value), value)
    text = value.strip().lower().replace(" ", "")
    number = text.rstrip("abcdefghijklmnopqrstuvwxyz")
    unit = text[len(number):]
    try:
        amount = float(number) * _UNITS[unit or "b"]
    except (KeyError, ValueError):
        raise ValueError(f"cannot read {value!r} as a size in bytes (try '4GiB' or '500MB')") from None
    return _non_negative(_whole(amount if unit else _no_fraction(amount, value), value), value)


def _no_fraction(amount: float, original: Any) -> float:
    # 0.5 would become 0 bytes: distributed reads such a memory_limit as a fraction of the RAM, here it is bytes
    if isinstance(amount, float) and amount == amount and abs(amount) != float("inf") and not amount.is_integer():
        raise ValueError(f"cannot read {original!r} as a size in bytes: not a whole number of bytes (sizes are "
                         "bytes here, not fractions of the memory as distributed's memory_limit; try '4GiB')")
    return amount


def _whole(amount: float, original: Any) -> int:
    if amount != amount or amount in (float("inf"), float("-inf")):  # NaN or infinite
        raise ValueError(f"cannot read {original!r} as a size in bytes: not a finite number")
    return int(amount)


def _non_negative(n: int, original: Any) -> int:
    if n < 0:
        raise ValueError(f"a size in bytes cannot be negative: {original!r}")
    return n


# Each parser takes a value given to ``set`` or the text of an environment variable and
# returns the normalised value, or raises ValueError saying what is allowed.

_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("expected True or False (also 1/0, yes/no, on/off)")


def _parse_num_workers(value: Any) -> int | None:
    if value is None or (isinstance(value, str) and value.strip().lower() in {"", "none"}):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    raise ValueError("expected a positive integer, or None for the number of cores")


def _parse_progress(value: Any) -> bool | str:
    if isinstance(value, str) and value.strip().lower() == "auto":
        return "auto"
    try:
        return _parse_bool(value)
    except ValueError:
        raise ValueError("expected True, False or 'auto'") from None


BACKENDS = ("auto", "cpu", "gpu", "numpy", "pandas", "cupy", "cudf", "array_api_strict")


def _parse_backend(value: Any) -> str:
    name = value.strip().lower().replace("-", "_") if isinstance(value, str) else None
    if name not in BACKENDS:
        raise ValueError(f"expected one of {', '.join(BACKENDS)}")
    return name


SCHEDULERS = ("sync", "synchronous", "single-threaded", "threads", "threading", "threaded", "processes",
              "multiprocessing", "distributed")


def _parse_scheduler(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() in SCHEDULERS:
        return value.strip().lower()
    if not isinstance(value, str) and (callable(value) or hasattr(value, "get")):
        return value  # a distributed.Client or a dask-style get function
    raise ValueError("expected 'sync', 'threads', 'processes', 'distributed', a distributed.Client, "
                     "a dask-style get function, or None")


def _parse_spill_dir(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, (str, os.PathLike)):
        raise ValueError("expected a folder path (str or os.PathLike), or None for the temp folder")
    path = os.fspath(value)
    if os.path.exists(path) and not os.path.isdir(path):
        raise ValueError("it exists and is not a folder")
    return path


def _parse_device_tasks(value: Any) -> int | None:
    try:
        return _parse_num_workers(value)
    except ValueError:
        raise ValueError("expected a positive integer, or None for no limit") from None


def _parse_device_memory_limit(value: Any) -> int | float | None:
    """None, a size in bytes (int), or a fraction of the device's memory in (0, 1] (float).

    As dask-cuda's and ``cuda_workers``' ``device_memory_limit``: a float (or a text such as ``"0.5"`` or
    ``"1.0"``) of at most 1 is a fraction, so ``1.0`` is all of the memory; an int (``"1"``) is bytes."""
    allowed = "expected a size in bytes (e.g. '4GiB'), a percentage of the device's memory ('80%'), " \
              "a fraction in (0, 1], or None for 80% of the device's memory"
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            percent = float(value.strip()[:-1])
        except ValueError:
            raise ValueError(allowed) from None
        if not 0 < percent <= 100:
            raise ValueError(allowed)
        return percent / 100
    number = value
    if isinstance(value, str) and not value.strip().isdigit():  # "1" is bytes, "1.0" a fraction
        try:
            number = float(value)
        except ValueError:  # "4GiB", "none", ...
            pass
    if isinstance(number, float) and not isinstance(value, bool):
        if 0 < number <= 1:
            return number
        if not number.is_integer():  # 1.5: neither a fraction nor a whole number of bytes
            raise ValueError(allowed)
    try:
        return parse_bytes(value)
    except ValueError:
        raise ValueError(allowed) from None


def _parse_shuffle_method(value: Any) -> str:
    method = value.strip().lower() if isinstance(value, str) else None
    if method not in ("auto", "p2p", "tasks"):
        raise ValueError("expected 'auto', 'p2p' or 'tasks'")
    return method


def _parse_max_branch(value: Any) -> int:
    branch = int(value) if isinstance(value, str) and value.strip().isdigit() else value
    if not isinstance(branch, int) or isinstance(branch, bool) or branch < 2:
        raise ValueError("expected an integer of at least 2")
    return branch


def _parse_positive_bytes(value: Any) -> int:
    size = parse_bytes(value)
    if not size:
        raise ValueError("expected a positive size in bytes (e.g. '128MiB')")
    return size


def _parse_optional_bytes(value: Any) -> int | None:
    return None if value is None else _parse_positive_bytes(value)


options: dict[str, Option] = {
    "backend": Option("auto", _parse_backend, "default backend: auto, cpu, gpu, numpy, pandas, cupy, cudf"),
    "scheduler": Option(None, _parse_scheduler, "sync, threads, processes (dask's process pool), a distributed.Client, or None (threads, or the default Client)"),
    "use_default_client": Option(True, _parse_bool, "compute on the default distributed.Client when one exists"),
    "num_workers": Option(None, _parse_num_workers, "threads of the local runtime (None: number of cores)"),
    "memory_limit": Option(None, parse_bytes, "host bytes the local runtime keeps in memory before spilling to disk, a whole number of bytes or '4GiB' (not a fraction of the RAM as in distributed; None: no limit, or half of a cgroup memory limit below the RAM)"),
    "spill_dir": Option(None, _parse_spill_dir, "folder for spill files (None: the system temp folder)"),
    "progress": Option("auto", _parse_progress, "progress bar: True, False or auto (on a TTY, after ~1 s)"),
    "array.chunk_bytes.cpu": Option(128 * 2**20, _parse_positive_bytes, "target chunk size for CPU arrays with chunks='auto'"),
    "array.chunk_bytes.gpu": Option(1024 * 2**20, _parse_positive_bytes, "target chunk size for GPU arrays with chunks='auto'"),
    "array.chunk_size": Option(None, _parse_optional_bytes, "target chunk size for arrays with chunks='auto' on every backend, overriding array.chunk_bytes.cpu/.gpu (dask's array.chunk-size; None: those)"),
    "array.rechunk.max_mem": Option(None, _parse_optional_bytes, "bytes of input blocks a rechunk's tasks running at once may gather; above it the rechunk is planned in stages through intermediate blocks (None: 4 x array.chunk_bytes of the backend, at most memory_limit)"),
    "dataframe.partition_bytes.cpu": Option(128 * 2**20, _parse_positive_bytes, "target in-memory partition size on CPU"),
    "dataframe.partition_bytes.gpu": Option(1024 * 2**20, _parse_positive_bytes, "target in-memory partition size on GPU"),
    "dataframe.convert_string": Option(False, _parse_bool, "from_pandas stores string columns (object or str dtype) and index as string[pyarrow], and read_parquet / read_csv / from_map give text so (read_parquet also dates and decimals as ArrowDtype), as dask's dataframe.convert-string (pandas partitions)"),
    "dataframe.shuffle.method": Option("auto", _parse_shuffle_method, "how dataframe shuffles run: auto (the P2P shuffle service on a distributed cluster, tasks on the local runtime), p2p, or tasks"),
    "dataframe.shuffle.max_branch": Option(64, _parse_max_branch, "the most pieces one partition is split into by a task shuffle of the local runtime: a shuffle of more partitions on both sides moves rows in rounds of at most this many pieces (dask's max_branch), rather than in one round of n_in x n_out pieces"),
    "optimize": Option(True, _parse_bool, "run the expression optimizer before computing"),
    "reuse_large_blocks": Option(True, _parse_bool, "while the local runtime computes, glibc's malloc serves blocks of every size from its heaps, where freed chunk-sized blocks are reused, instead of mmapping those above 32 MiB and faulting them in anew each time (gpuscale/runtime/allocator.py)"),
    "distributed.reuse_large_blocks": Option(True, _parse_bool, "the first graph sent to a distributed.Client asks its workers to let glibc's malloc reuse freed blocks of up to 32 MiB where an environment variable (MALLOC_TRIM_THRESHOLD_, set by Dask's nanny) froze its mmap threshold at 128 KiB (gpuscale/runtime/allocator.py)"),
    "device.tasks": Option(2, _parse_device_tasks, "tasks on device data the local runtime runs at once (None: no limit)"),
    "device.memory_limit": Option(None, _parse_device_memory_limit, "device bytes of results the local runtime keeps on the device before moving the least recently used to host (bytes as an int or '8GiB'; '80%' or a float fraction in (0, 1] of the device, 1.0 all of it; None: 80% of the GPU, no limit without one)"),
}

_lock = threading.RLock()
# Global values, one stack per option of (owner, value): the top one counts.  Every plain ``config.set``
# pushes an entry; undoing one (``__enter__`` of a set first made global, or ``__exit__`` of a plain set)
# removes that set's entry wherever it is, so interleaved undos never restore a stale value.  Entries of
# collected sets can never be undone: all below them are dropped (the stacks stay short).
_stacks: dict[str, list[tuple[weakref.ref, Any]]] = {}
_values: dict[str, Any] = {}  # the top of each stack: the global values
# set by ``with config.set(...)``: local to the thread (and asyncio task) that entered the block
_scoped: contextvars.ContextVar[dict] = contextvars.ContextVar("gpuscale_config_scoped", default={})
_MISSING = object()


def _env_name(key: str) -> str:
    return "GPUSCALE_" + key.upper().replace(".", "_")


def _check_key(key: str) -> Option:
    try:
        return options[key]
    except KeyError:
        valid = ", ".join(sorted(options))
        raise KeyError(f"unknown gpuscale option {key!r}; valid options: {valid}") from None


def check(key: str, value: Any) -> Any:
    """``value`` checked and normalised for option ``key``.

    Raises
    ------
    ValueError
        Naming the option, the value and what is allowed.
    """
    return _parse(_check_key(key), value, f"gpuscale option {key}={value!r}")


def _parse(option: Option, value: Any, what: str) -> Any:
    try:
        return option.parse(value)
    except (ValueError, TypeError) as error:
        raise ValueError(f"{what} is not valid: {error}") from None


def get(key: str, default: Any = _MISSING) -> Any:
    """Return the current value of option ``key`` (set value, else env var, else default).

    An empty environment variable counts as unset.  ``key`` may use dask's spelling, with hyphens for ``_``
    (``"array.chunk-size"``), as :class:`set` takes it.

    Examples
    --------
    >>> import gpuscale
    >>> with gpuscale.config.set({"array.chunk-size": "64MiB"}):
    ...     gpuscale.config.get("array.chunk-size") == gpuscale.config.get("array.chunk_size") == 64 * 2**20
    True
    """
    key = set._normalize(key)
    option = _check_key(key)
    scoped = _scoped.get()
    if key in scoped:
        return scoped[key]
    with _lock:
        if key in _values:
            return _values[key]
    name = _env_name(key)
    env = os.environ.get(name, "")
    if env.strip():
        return _parse(option, env, f"environment variable {name}={env!r}")
    return option.default if default is _MISSING else default


def source(key: str) -> str:
    """Where option ``key``'s current value comes from: ``"set"``, ``"environment variable GPUSCALE_..."`` or
    ``"default"`` (for messages about a value the user did not pass to the call that failed).

    Examples
    --------
    >>> import gpuscale
    >>> with gpuscale.config.set(optimize=False):
    ...     gpuscale.config.source("optimize")
    'set'
    """
    key = set._normalize(key)
    _check_key(key)
    with _lock:
        if key in _scoped.get() or key in _values:
            return "set"
    name = _env_name(key)
    return f"environment variable {name}" if os.environ.get(name, "").strip() else "default"


class set:  # noqa: A001 - mirrors dask.config.set
    """Set options globally, or for a ``with`` block.

    Called on its own, ``set`` changes the options for every thread at once, until undone by
    calling its ``__exit__``. As a ``with`` block it changes them only for the thread (or asyncio
    task) that runs the block, until it ends: a ``with config.set(backend="cpu")`` in one thread
    never changes another thread's options, not even for an instant.  A ``set`` made first and
    entered later (``s = config.set(...)``; ``with s:``) is global until entered, then local to the
    block.  As in dask, a plain ``set`` inside a ``with`` block changes the options the block set
    for the rest of the block (here: in its thread), and the block's end brings back the values from
    before the block; options the block did not set change globally.

    Parameters
    ----------
    arg : dict, optional
        Options by dotted name, as ``dask.config.set`` takes them
        (``{"dataframe.shuffle.method": "tasks"}``; dask's hyphens, as in
        ``"dataframe.convert-string"``, stand for ``_``).
    **values
        Option names with ``_`` or ``.`` separators (``memory_limit="4GiB"``,
        ``**{"array.chunk_bytes.cpu": "64MiB"}``).

    Examples
    --------
    >>> import gpuscale
    >>> with gpuscale.config.set(scheduler="sync"):
    ...     pass
    """

    def __init__(self, arg: dict | None = None, **values: Any) -> None:
        if arg is not None and not isinstance(arg, dict):
            raise TypeError(f"config.set takes a dict of options or keywords, not {type(arg).__name__}")
        parsed = {self._normalize(k): v for k, v in {**(arg or {}), **values}.items()}
        parsed = {k: check(k, v) for k, v in parsed.items()}  # all checked before any is set
        self._parsed, self._tokens = parsed, {}
        self._local: dict | None = None  # the thread's block values this plain set replaced
        self._local_token: Any = None
        if not _with_follows(sys._getframe(1)):  # a with block sets nothing beyond its thread
            self._set_now()

    def _set_now(self) -> None:
        """The plain set: the options a block of this thread holds change for the block, the others globally."""
        scoped = _scoped.get()
        local = {k: v for k, v in self._parsed.items() if k in scoped}
        if local:
            self._local = {**scoped, **local}
            self._local_token = _scoped.set(self._local)
        with _lock:
            owner = weakref.ref(self)
            for key, value in self._parsed.items():
                if key not in local:
                    _stacks.setdefault(key, []).append((owner, value))
            _compact()

    @staticmethod
    def _normalize(key: str) -> str:
        if key in options:
            return key
        dotted = key.replace("__", ".")
        if dotted in options:
            return dotted
        if key.replace("-", "_") in options:  # dask's spelling: "dataframe.convert-string"
            return key.replace("-", "_")
        _check_key(key)
        return key

    def __enter__(self) -> "set":
        # a with block: what a plain set of this object changed is undone, then set for this context only
        self._undo()
        token = _scoped.set({**_scoped.get(), **self._parsed})
        self._tokens.setdefault(threading.get_ident(), []).append(token)
        return self

    def __exit__(self, *exc: object) -> None:
        tokens = self._tokens.get(threading.get_ident())
        if tokens:
            _scoped.reset(tokens.pop())
        else:  # undoing a plain set
            self._undo()

    def _undo(self) -> None:
        if self._local is not None and _scoped.get() is self._local:  # still this thread's block values
            try:
                _scoped.reset(self._local_token)
            except ValueError:  # set in another context (asyncio task)
                pass
        self._local = self._local_token = None
        with _lock:
            for key in self._parsed:
                stack = _stacks.get(key, [])
                stack[:] = [entry for entry in stack if entry[0]() is not self]
            _compact()


def _compact() -> None:
    """Drop the entries below a collected set's (never undone: they can never count again) and refresh
    ``_values``.  Called with ``_lock`` held."""
    for key in list(_stacks):
        stack = _stacks[key]
        dead = [i for i, (owner, _) in enumerate(stack) if owner() is None]
        if dead:
            del stack[:dead[-1]]
        if not stack:
            del _stacks[key]
    _values.clear()
    _values.update({key: stack[-1][1] for key, stack in _stacks.items()})


_WITH_OPS = {"SETUP_WITH", "BEFORE_WITH"}


def _with_follows(frame: Any) -> bool:
    """Whether the call being made in ``frame`` is the expression of a ``with`` statement
    (``with config.set(...):``), read from the next instruction; False where that cannot be told."""
    try:
        return _next_ops(frame.f_code, frame.f_lasti)
    except Exception:  # an unusual interpreter: the set is made global, then undone by __enter__
        return False


@functools.lru_cache(maxsize=1024)
def _next_ops(code: Any, lasti: int) -> bool:
    import dis  # only when a set is made: keeps importing gpuscale light

    following = [i.opname for i in dis.get_instructions(code) if i.offset > lasti][:2]
    if following[:1] and following[0] in _WITH_OPS:
        return True
    return following == ["COPY", "LOAD_SPECIAL"]  # Python 3.14's with statement
