"""``gpuscale.stencil``: neighbourhood kernels with numba's relative indexing.

The CPU form is ``numba.stencil`` inside an ``njit`` function (``parallel=True``
for large direct calls).  numba-cuda has no stencil decorator, so the CUDA form
is built from the same source: relative accesses are rewritten into a point
function (see :mod:`gpuscale.kernels._stencil_ast`) called by a generated kernel
with one thread per output element.  Both forms write ``cval`` where the
neighbourhood leaves the array, as ``numba.stencil`` does.
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.kernels import _cache, _codegen, _inputs, _numba, _ptx, _stencil_ast
from gpuscale.kernels._cuda_form import GeneratedCudaForm
from gpuscale.kernels.base import Kernel, wants_parallel
from gpuscale.kernels.errors import KernelTypeError

__all__ = ["StencilKernel", "CudaStencil", "stencil"]


class StencilKernel(Kernel):
    """A neighbourhood kernel; see :func:`stencil`."""

    kind = "stencil"

    @property
    def source(self) -> _stencil_ast.StencilSource:
        """The rewritten source (parsed once per process)."""
        build = lambda: _stencil_ast.parse_stencil(self.pyfunc, self.options["standard_indexing"])  # noqa: E731
        return _cache.get_or_build(self.key, "source", build, self.name)

    @property
    def neighborhood(self) -> tuple[tuple[int, int], ...]:
        """Per axis ``(min offset, max offset)``: given, or read from constant indices."""
        given = self.options.get("neighborhood")
        found = given if given is not None else self.source.neighborhood
        if found is None:
            raise KernelTypeError(f"stencil {self.name!r} indexes with non-constant offsets; "
                                  "pass neighborhood=((lo, hi), ...) per axis")
        return tuple((int(lo), int(hi)) for lo, hi in found)

    @property
    def depth(self) -> tuple[int, ...]:
        """Halo width per axis that chunks need from their neighbours."""
        return tuple(max(-lo, hi) for lo, hi in self.neighborhood)

    # -- compiled forms ----------------------------------------------------------
    def _numba_stencil(self) -> Any:
        opts = {k: self.options[k] for k in ("neighborhood", "standard_indexing") if self.options.get(k)}
        return _numba.numba().stencil(self.pyfunc, cval=self.options["cval"], **opts)

    def _build_cpu(self, parallel: bool = False) -> Any:
        namespace = {"stencil_fn": self._numba_stencil()}
        source = _codegen.wrapper_source("run", "stencil_fn", len(self.source.params))
        return _numba.numba().njit(parallel=parallel)(_codegen.build_function(source, "run", namespace))

    def _build_cuda(self) -> "CudaStencil":
        cuda = _numba.cuda(self.name)
        namespace = _stencil_ast.closure_namespace(self.pyfunc)
        point = _codegen.build_function(self.source.point_source, "point", namespace)
        return CudaStencil(self, cuda.jit(device=True)(point))

    def _cpu_parallel(self) -> Any:
        build = self._guarded(lambda: self._build_cpu(parallel=True), "cpu parallel")
        return _cache.get_or_build(self.key, "cpu-parallel", build, self.name)

    # -- types -----------------------------------------------------------------
    def result_dtype(self, *args: Any) -> Any:
        """The output dtype for arguments like ``args``; compiles the CPU form for their types."""
        numba, np = _numba.numba(), _numba.numpy()
        argtypes = tuple(numba.typeof(_tiny(a, np)) for a in args)
        cpu = self.cpu
        with self.compiling("cpu", argtypes):
            cpu.compile(argtypes)
        return numba.np.numpy_support.as_dtype(cpu.overloads[argtypes].signature.return_type.dtype)

    def _check_arity(self, args: tuple) -> None:
        if len(args) != len(self.source.params):
            raise TypeError(f"stencil {self.name!r} takes {len(self.source.params)} arguments, got {len(args)}")

    # -- running -----------------------------------------------------------------
    def _run_cpu(self, *args: Any, parallel: bool | None = None) -> Any:
        self._check_arity(args)
        values, template = _inputs.split_series(args, self.name)
        threaded = wants_parallel(self.options.get("parallel", "auto"), parallel, values)
        form = self._cpu_parallel() if threaded else self.cpu
        with self.compiling("cpu", [_inputs.dtype_of(v) for v in values]):
            out = form(*values)
        return _inputs.wrap_like(template, out, _inputs.result_name(args))


    def _run_cuda(self, *args: Any) -> Any:
        self._check_arity(args)
        values, template = _inputs.split_series(args, self.name)
        return _inputs.wrap_like(template, self.cuda(*values), _inputs.result_name(args))

    def _lazy_call(self, *args: Any) -> Any:
        from gpuscale.kernels import collections

        return collections.stencil(self, args)


def _tiny(arg: Any, np: Any) -> Any:
    if getattr(arg, "ndim", 0) == 0:
        return arg
    return np.empty((1,) * arg.ndim, dtype=np.dtype(arg.dtype))


class CudaStencil(GeneratedCudaForm):
    """The CUDA form of a :class:`StencilKernel`: call it on device arrays (or NumPy under the simulator)."""

    device_name = "point"

    def kernel_source(self) -> str:
        """The generated Python source of the ``@cuda.jit`` kernel."""
        src = self.owner.source
        return _codegen.stencil_kernel_source(len(src.params), src.ndim, self.owner.neighborhood)

    def compile_ptx(self, *dtypes: Any, cc: tuple[int, int] = (7, 5)) -> str:
        """PTX of the kernel for C-contiguous arrays of ``dtypes`` (no GPU needed)."""
        numba, np = _numba.numba(), _numba.numpy()
        ndim = self.owner.source.ndim
        metas = [np.empty((1,) * ndim, dtype=d) for d in dtypes]
        out_type = numba.from_dtype(self.owner.result_dtype(*metas))
        arrays = tuple(numba.types.Array(numba.from_dtype(np.dtype(d)), ndim, "C") for d in dtypes)
        index_types = (numba.types.intp,) * ndim
        sig = (*arrays, out_type, numba.types.Array(out_type, ndim, "C"))
        with self.owner.compiling("cuda", arrays):
            _ptx.precompile_device_function(self.device_function, arrays + index_types, cc)
            return _ptx.kernel_ptx(self.name, self.python_kernel(), sig, cc)

    def __call__(self, *args: Any) -> Any:
        out_dtype = self.owner.result_dtype(*args)
        first = next((a for a in args if getattr(a, "ndim", 0) > 0), None)
        if first is None:
            raise KernelTypeError(f"stencil {self.name!r} needs at least one array argument")
        xp = _numba.chunk_module(first) if _numba.is_device_chunk(first) else _numba.numpy()
        out = xp.empty(first.shape, dtype=out_dtype)
        cval = _numba.numpy().dtype(out_dtype).type(self.owner.options["cval"])
        if out.size:
            with self.owner.compiling("cuda", [_inputs.dtype_of(a) for a in args]):
                self._launch(list(args), cval, out)
        return out

    def _launch(self, args: list, cval: Any, out: Any) -> None:
        simulator = _numba.simulator_enabled()
        blocks, threads = _codegen.launch_config_nd(out.shape, simulator)
        if not simulator:
            self.kernel[blocks, threads](*args, cval, out)
            return
        cuda = _numba.cuda(self.name)  # host arrays: give the simulator device copies
        args = [cuda.to_device(_numba.numpy().ascontiguousarray(a)) if getattr(a, "ndim", 0) else a
                for a in args]
        device_out = cuda.to_device(out)
        self.kernel[blocks, threads](*args, cval, device_out)
        device_out.copy_to_host(out)


def stencil(func: Callable | None = None, *, neighborhood: Any = None, cval: float = 0,
            standard_indexing: tuple[str, ...] = (), parallel: bool | str = "auto") -> Any:
    """Compile a neighbourhood kernel written with numba's relative indexing.

    Parameters
    ----------
    func : callable
        ``def k(a, ...)`` returning the output value at the current element;
        ``a[-1, 0]`` reads the element one row up.  Used bare (``@stencil``) or
        with options (``@stencil(neighborhood=...)``).
    neighborhood : tuple of (int, int) per axis, optional
        Offsets read per axis; needed only when indices are not constants.
    cval : scalar
        Value written where the neighbourhood leaves the array (default 0).
    standard_indexing : tuple of str
        Parameters indexed absolutely (e.g. a small weights array).
    parallel : bool or "auto"
        Multi-threaded CPU form for direct NumPy calls ("auto": inputs of at
        least 2**20 elements on machines with 4 or more numba threads).

    Returns
    -------
    StencilKernel
        Callable on NumPy (CPU form), CuPy (CUDA form, on the device) and
        ``gpuscale.array`` arrays (lazy, with halos exchanged between chunks).

    Examples
    --------
    >>> import gpuscale, numpy as np
    >>> @gpuscale.stencil
    ... def smooth(a):
    ...     return (a[-1] + a[0] + a[1]) / 3
    >>> smooth(np.array([3.0, 6.0, 9.0, 12.0]))
    array([0., 6., 9., 0.])
    """
    options = {"neighborhood": neighborhood, "cval": cval, "standard_indexing": tuple(standard_indexing),
               "parallel": parallel}
    if func is None:
        return lambda f: StencilKernel(f, **options)
    return StencilKernel(func, **options)
