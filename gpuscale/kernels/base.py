"""The kernel base class: one Python function, a CPU form and a CUDA form.

A :class:`Kernel` keeps the user's Python function and its options.  Its
compiled forms, :attr:`Kernel.cpu` (numba) and :attr:`Kernel.cuda`
(numba-cuda), are built on first use and cached per process (see
:mod:`gpuscale.kernels._cache`), so pickling a kernel to a worker ships only the
function.  Calling a kernel picks the form from its inputs:

* gpuscale collections -> a lazy collection of the same kind;
* GPU chunks (CuPy, cuDF, numba device arrays) -> the CUDA form, on the device;
* anything else (NumPy, pandas, scalars) -> the CPU form.
"""

from __future__ import annotations

import contextlib
import functools
from typing import Any, Callable, Iterator

from gpuscale.kernels import _cache, _numba
from gpuscale.kernels.errors import CudaUnavailableError, KernelCompileError, KernelTypeError

__all__ = ["Kernel"]


def _rebuild(cls: type, pyfunc: Callable, options: dict, key: str) -> "Kernel":
    kernel = cls.__new__(cls)
    kernel._setup(pyfunc, options, key)  # the key travels along: no re-hashing per task
    return kernel


class Kernel:
    """A Python function compiled on demand for CPU and GPU chunks.

    Subclasses implement ``_build_cpu``, ``_build_cuda``, ``_run_cpu``,
    ``_run_cuda`` and ``_lazy_call``.
    """

    kind = "kernel"

    def __init__(self, pyfunc: Callable, **options: Any) -> None:
        if not callable(pyfunc):
            raise TypeError(f"gpuscale.{self.kind} decorates a function, got {type(pyfunc).__name__}")
        self._setup(pyfunc, options, _cache.kernel_key(type(self).__name__, pyfunc, options))

    def _setup(self, pyfunc: Callable, options: dict, key: str) -> None:
        self.pyfunc = pyfunc
        self.options = options
        functools.update_wrapper(self, pyfunc)
        self.key = key

    # -- identity and shipping -------------------------------------------------
    @property
    def name(self) -> str:
        """The decorated function's name (used in errors and task names)."""
        return getattr(self.pyfunc, "__qualname__", self.pyfunc.__name__)

    def __repr__(self) -> str:
        return f"<gpuscale.{self.kind} {self.name}>"

    def __reduce__(self) -> tuple:
        return _rebuild, (type(self), self.pyfunc, self.options, self.key)

    def __gpuscale_tokenize__(self) -> str:
        return self.key

    # -- compiled forms ----------------------------------------------------------
    @property
    def cpu(self) -> Any:
        """The numba CPU form (built once per process)."""
        return _cache.get_or_build(self.key, "cpu", self._guarded(self._build_cpu, "cpu"), self.name)

    @property
    def cuda(self) -> Any:
        """The numba-cuda form, callable on device arrays (and host arrays under the simulator)."""
        _numba.cuda(self.name)  # a clear error when numba-cuda is missing
        return _cache.get_or_build(self.key, "cuda", self._guarded(self._build_cuda, "cuda"), self.name)

    def _guarded(self, build: Callable[[], Any], target: str) -> Callable[[], Any]:
        def run() -> Any:
            with self.compiling(target, self.options.get("signatures") or "(inferred)"):
                return build()
        return run

    def compile_error(self, target: str, types: Any, exc: BaseException) -> Exception | None:
        """The gpuscale error for a numba failure (naming this kernel), or None for other errors."""
        if isinstance(exc, TypeError) and "not supported for the input types" in str(exc):
            return KernelTypeError(f"kernel {self.name!r} has no signature for inputs ({_type_list(types)}); "
                                   f"declared signatures: {list(self.options.get('signatures') or [])}")
        errors = _numba.numba().core.errors
        if isinstance(exc, (errors.NumbaError, NotImplementedError)) or "nopython" in str(exc):
            return KernelCompileError(self.name, target, str(types), exc)
        return None

    @contextlib.contextmanager
    def compiling(self, target: str, types: Any) -> Iterator[None]:
        """Turn numba compile failures inside the block into :class:`KernelCompileError`."""
        try:
            yield
        except (KernelCompileError, KernelTypeError, CudaUnavailableError):
            raise
        except Exception as exc:
            error = self.compile_error(target, types, exc)
            if error is None:
                raise
            raise error from exc

    # -- calling -------------------------------------------------------------------
    def __call__(self, *args: Any) -> Any:
        from gpuscale.collection import Collection

        if any(isinstance(a, Collection) for a in args):
            return self._lazy_call(*args)
        return self.run(*args)

    def run(self, *args: Any, target: str | None = None, parallel: bool | None = None) -> Any:
        """Run on concrete inputs.

        Parameters
        ----------
        *args
            NumPy/pandas inputs (CPU) or CuPy/cuDF/device arrays (GPU), or scalars.
        target : {"cpu", "cuda"}, optional
            Force a form; by default "cuda" when any input lives on a GPU.
        parallel : bool, optional
            CPU only: use numba's multi-threaded form; by default for large inputs.
        """
        target = target or ("cuda" if any(_numba.is_device_chunk(a) for a in args) else "cpu")
        if target == "cuda":
            return self._run_cuda(*args)
        if target == "cpu":
            return self._run_cpu(*args, parallel=parallel)
        raise ValueError(f"kernel {self.name!r}: target must be 'cpu' or 'cuda', got {target!r}")

    def chunk_function(self, target: str | None = None) -> Callable[..., Any]:
        """The function a task graph applies to each chunk (CPU or GPU form by chunk type).

        CPU chunks run single-threaded: the runtime already runs chunks in parallel.
        """
        run = functools.partial(_run_chunk, self, target)
        run.__name__ = self.pyfunc.__name__  # names the tasks after the kernel
        return run

    # -- to be provided by subclasses ------------------------------------------------
    def _build_cpu(self) -> Any:
        raise NotImplementedError

    def _build_cuda(self) -> Any:
        raise NotImplementedError

    def _run_cpu(self, *args: Any, parallel: bool | None = None) -> Any:
        raise NotImplementedError

    def _run_cuda(self, *args: Any) -> Any:
        raise NotImplementedError

    def _lazy_call(self, *args: Any) -> Any:
        raise NotImplementedError


def _type_list(types: Any) -> str:
    return ", ".join(map(str, types)) if isinstance(types, (list, tuple)) else str(types)


PARALLEL_MIN_SIZE = 1 << 20  # elements; below this numba's thread pool costs more than it saves
PARALLEL_MIN_THREADS = 4  # with 2 threads the gain is small and lost to any other load on the machine


def wants_parallel(option: Any, parallel: bool | None, values: list) -> bool:
    """Whether a direct CPU call uses numba's multi-threaded form.

    ``parallel`` (per call) wins over ``option`` (the decorator's); "auto" means
    large inputs on machines with at least 4 numba threads.
    """
    if parallel is None:
        parallel = option if isinstance(option, bool) else None
    if parallel is not None:
        return bool(parallel)
    size = max((getattr(v, "size", 1) for v in values), default=1)
    return size >= PARALLEL_MIN_SIZE and _numba.numba().config.NUMBA_NUM_THREADS >= PARALLEL_MIN_THREADS


def _run_chunk(kernel: Kernel, target: str | None, *chunks: Any) -> Any:
    return kernel.run(*chunks, target=target, parallel=False)
