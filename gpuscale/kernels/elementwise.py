"""``gpuscale.vectorize``: element-wise kernels (numba ufuncs on CPU, generated CUDA kernels on GPU)."""

from __future__ import annotations

import functools
from typing import Any, Callable

from gpuscale.kernels import _cache, _codegen, _inputs, _numba, _ptx
from gpuscale.kernels.base import Kernel, wants_parallel

__all__ = ["VectorizeKernel", "CudaElementwise", "vectorize"]


class VectorizeKernel(Kernel):
    """An element-wise kernel; see :func:`vectorize`."""

    kind = "vectorize"

    @property
    def signatures(self) -> list:
        return list(self.options.get("signatures") or [])

    def _build_cpu(self) -> Any:
        vectorize = _numba.numba().vectorize
        return vectorize(self.signatures)(self.pyfunc) if self.signatures else vectorize(self.pyfunc)

    def _build_cuda(self) -> "CudaElementwise":
        device_fn = _numba.cuda(self.name).jit(device=True)(self.pyfunc)
        return CudaElementwise(self, device_fn)

    # -- types -----------------------------------------------------------------
    def resolve_dtypes(self, *args: Any) -> tuple:
        """``(input dtypes..., output dtype)`` the CPU form uses for these arguments.

        Compiles the CPU form for them first (on zero-length stand-ins), so a
        function numba cannot compile fails here, naming the function.
        """
        np = _numba.numpy()
        metas = [_inputs.meta_value(a, np) for a in args]
        ufunc = self.cpu
        with self.compiling("cpu", [_inputs.dtype_of(a) for a in args]):
            ufunc(*metas)
        return ufunc.ufunc.resolve_dtypes((*(_inputs.dtype_of(m) for m in metas), None))

    def result_dtype(self, *args: Any) -> Any:
        """The output dtype for arguments like ``args`` (arrays, Series, metas or scalars)."""
        return self.resolve_dtypes(*args)[-1]

    # -- running -----------------------------------------------------------------
    def _run_cpu(self, *args: Any, parallel: bool | None = None) -> Any:
        values, template = _inputs.split_series(args, self.name)
        threaded = wants_parallel(self.options.get("parallel", "auto"), parallel, values)
        ufunc = self._parallel_form(values) if threaded else self.cpu
        with self.compiling("cpu", [_inputs.dtype_of(v) for v in values]):
            out = ufunc(*values)
        return _inputs.wrap_like(template, out, _inputs.result_name(args))

    def _parallel_form(self, values: list) -> Any:
        numba = _numba.numba()
        dtypes = self.resolve_dtypes(*values)
        sig = f"{numba.from_dtype(dtypes[-1])}({', '.join(str(numba.from_dtype(d)) for d in dtypes[:-1])})"
        build = functools.partial(_build_parallel_ufunc, self.pyfunc, sig)
        return _cache.get_or_build(self.key, f"cpu-parallel {sig}", self._guarded(build, "cpu parallel"),
                                   self.name)

    def _run_cuda(self, *args: Any) -> Any:
        values, template = _inputs.split_series(args, self.name)
        return _inputs.wrap_like(template, self.cuda(*values), _inputs.result_name(args))

    def _lazy_call(self, *args: Any) -> Any:
        from gpuscale.kernels import collections

        return collections.elementwise(self, args)


def _build_parallel_ufunc(pyfunc: Callable, sig: str) -> Any:
    return _numba.numba().vectorize([sig], target="parallel")(pyfunc)


class CudaElementwise:
    """The CUDA form of a :class:`VectorizeKernel`.

    Call it like the ufunc: on CuPy (or numba device) arrays the work stays on
    the device and a CuPy array comes back; under numba's CUDA simulator it also
    takes NumPy arrays.  Arguments broadcast; inputs are cast on the device to
    the dtypes the CPU form would use.
    """

    def __init__(self, owner: VectorizeKernel, device_function: Any) -> None:
        self.owner = owner
        self.name = owner.name
        self.device_function = device_function
        self._resolve = owner.resolve_dtypes
        self._kernels: dict[tuple[bool, ...], Any] = {}

    def kernel_source(self, scalar_mask: tuple[bool, ...]) -> str:
        """The generated Python source of the ``@cuda.jit`` kernel."""
        return _codegen.elementwise_kernel_source(scalar_mask)

    def python_kernel(self, scalar_mask: tuple[bool, ...]) -> Callable:
        """The generated kernel as a plain Python function (for ``numba.cuda.compile_ptx``)."""
        namespace = {"cuda": _numba.cuda(self.name), "device_fn": self.device_function}
        return _codegen.build_function(self.kernel_source(scalar_mask), "kernel", namespace)

    def kernel(self, scalar_mask: tuple[bool, ...]) -> Any:
        """The numba-cuda kernel dispatcher for this pattern of array/scalar arguments."""
        if scalar_mask not in self._kernels:
            self._kernels[scalar_mask] = _numba.cuda(self.name).jit(self.python_kernel(scalar_mask))
        return self._kernels[scalar_mask]

    def compile_ptx(self, *dtypes: Any, cc: tuple[int, int] = (7, 5)) -> str:
        """PTX of the kernel for 1-D array inputs of ``dtypes`` (no GPU needed)."""
        numba, np = _numba.numba(), _numba.numpy()
        resolved = self._resolve(*(np.empty(0, dtype=d) for d in dtypes))
        scalars = tuple(numba.from_dtype(d) for d in resolved)
        sig = tuple(numba.types.Array(t, 1, "C") for t in scalars)
        with self.owner.compiling("cuda", scalars[:-1]):
            _ptx.precompile_device_function(self.device_function, scalars[:-1], cc)
            return _ptx.kernel_ptx(self.name, self.python_kernel((False,) * len(dtypes)), sig, cc)

    def __call__(self, *args: Any) -> Any:
        resolved = self._resolve(*args)
        xp = _array_module(args)
        shape = _broadcast_shape(args)
        scalar_mask = tuple(getattr(a, "ndim", 0) == 0 for a in args)
        flat = [_as_kernel_argument(a, d, shape, xp, s) for a, d, s in zip(args, resolved, scalar_mask)]
        out = xp.empty(shape, dtype=resolved[-1])
        if out.size:
            with self.owner.compiling("cuda", resolved[:-1]):
                self._launch(scalar_mask, flat, out.reshape(-1))
        return out if shape else out[()]

    def _launch(self, scalar_mask: tuple[bool, ...], flat: list, out: Any) -> None:
        simulator = _numba.simulator_enabled()
        blocks, threads = _codegen.launch_config(out.shape[0], simulator)
        if simulator:  # host arrays: hand the simulator device copies, like a GPU run would have
            cuda = _numba.cuda(self.name)
            flat = [a if s else cuda.to_device(a) for a, s in zip(flat, scalar_mask)]
            device_out = cuda.to_device(out)
            self.kernel(scalar_mask)[blocks, threads](*flat, device_out)
            device_out.copy_to_host(out)
            return
        self.kernel(scalar_mask)[blocks, threads](*flat, out)


def _array_module(args: tuple) -> Any:
    arrays = [a for a in args if getattr(a, "ndim", 0) > 0 and _numba.is_device_chunk(a)]
    return _numba.chunk_module(arrays[0]) if arrays else _numba.numpy()


def _broadcast_shape(args: tuple) -> tuple:
    return _numba.numpy().broadcast_shapes(*(tuple(getattr(a, "shape", ())) for a in args))


def _as_kernel_argument(arg: Any, dtype: Any, shape: tuple, xp: Any, scalar: bool) -> Any:
    if scalar:
        return _numba.numpy().dtype(dtype).type(arg)
    arg = arg.astype(dtype, copy=False) if arg.dtype != dtype else arg
    if tuple(arg.shape) != shape:
        arg = xp.broadcast_to(arg, shape)
    return xp.ascontiguousarray(arg).reshape(-1)


def vectorize(signatures: Any = None, *, parallel: bool | str = "auto") -> Any:
    """Compile an element-wise function for CPU chunks (numba) and GPU chunks (numba-cuda).

    Parameters
    ----------
    signatures : str or list of str, optional
        numba signature strings such as ``"float64(float64, float64)"``; inputs are
        cast as NumPy casts for a ufunc.  Without them, each new input dtype
        compiles a new version on first use (``numba.vectorize``'s lazy mode).
    parallel : bool or "auto"
        Use numba's multi-threaded ufunc for direct NumPy calls ("auto": for
        inputs of at least 2**20 elements on machines with 4 or more numba threads).  Chunks in a task graph always run
        single-threaded, because the runtime runs chunks in parallel.

    Returns
    -------
    VectorizeKernel
        Callable on NumPy/pandas (runs the CPU form), on CuPy/cuDF (runs the CUDA
        form on the device) and on ``gpuscale.array`` / ``gpuscale.dataframe``
        collections (returns a lazy collection).  ``kernel.cpu`` and
        ``kernel.cuda`` are the compiled forms.

    Examples
    --------
    >>> import math, gpuscale
    >>> @gpuscale.vectorize(["float64(float64, float64)"])
    ... def hypot(x, y):
    ...     return math.sqrt(x * x + y * y)
    >>> import numpy as np
    >>> hypot(np.array([3.0]), np.array([4.0]))
    array([5.])
    """
    if callable(signatures):  # used bare: @gpuscale.vectorize
        return VectorizeKernel(signatures, signatures=None, parallel=parallel)
    if isinstance(signatures, str):
        signatures = [signatures]
    sigs = tuple(signatures) if signatures else None
    return lambda pyfunc: VectorizeKernel(pyfunc, signatures=sigs, parallel=parallel)
