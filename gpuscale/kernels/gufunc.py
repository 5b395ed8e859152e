"""``gpuscale.guvectorize``: generalized ufuncs for row-wise kernels.

The CPU form is ``numba.guvectorize``.  numba-cuda's own ``cuda.guvectorize``
does not run under the CUDA simulator, so the CUDA form is a generated kernel:
one thread per loop element calls the user's function (compiled as a device
function) on that element's core slices, exactly the contract of a gufunc.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from gpuscale.kernels import _codegen, _inputs, _numba, _ptx
from gpuscale.kernels._cuda_form import GeneratedCudaForm
from gpuscale.kernels.base import Kernel
from gpuscale.kernels.errors import KernelTypeError

__all__ = ["GUVectorizeKernel", "CudaGUFunc", "guvectorize", "Layout"]


@dataclass(frozen=True)
class Layout:
    """A parsed gufunc layout such as ``"(n),(n)->()"``."""

    inputs: tuple[tuple[str, ...], ...]
    outputs: tuple[tuple[str, ...], ...]

    @classmethod
    def parse(cls, text: str) -> "Layout":
        try:
            inputs, outputs = _numba.numba().np.ufunc.sigparse.parse_signature(text)
        except (NameError, ValueError) as exc:
            raise KernelTypeError(f"invalid gufunc layout {text!r}: {exc}") from exc
        return cls(tuple(map(tuple, inputs)), tuple(map(tuple, outputs)))

    def sizes(self, name: str, shapes: list[tuple]) -> dict[str, int]:
        """Core dimension sizes read from the inputs' trailing axes (checked for agreement)."""
        sizes: dict[str, int] = {}
        for shape, core in zip(shapes, self.inputs):
            if len(shape) < len(core):
                raise KernelTypeError(f"kernel {name!r}: input of shape {shape} has fewer axes than {core}")
            for symbol, size in zip(core, shape[len(shape) - len(core):]):
                if sizes.setdefault(symbol, size) != size:
                    raise KernelTypeError(f"kernel {name!r}: core dimension {symbol!r} is {sizes[symbol]} "
                                          f"in one input and {size} in another")
        return sizes

    def loop_shape(self, shapes: list[tuple]) -> tuple:
        """Broadcast shape of the loop (non-core) axes."""
        loops = [shape[: len(shape) - len(core)] for shape, core in zip(shapes, self.inputs)]
        return tuple(_numba.numpy().broadcast_shapes(*loops))

    def output_cores(self, sizes: dict[str, int]) -> list[tuple]:
        """Core shapes of the outputs (every output symbol appears in an input)."""
        return [tuple(sizes[s] for s in core) for core in self.outputs]


class GUVectorizeKernel(Kernel):
    """A generalized-ufunc kernel; see :func:`guvectorize`."""

    kind = "guvectorize"

    @property
    def layout(self) -> Layout:
        return Layout.parse(self.options["layout"])

    def _build_cpu(self) -> Any:
        return _numba.numba().guvectorize(list(self.options["signatures"]), self.options["layout"])(self.pyfunc)

    def _build_cuda(self) -> "CudaGUFunc":
        device_fn = _numba.cuda(self.name).jit(device=True)(self.pyfunc)
        return CudaGUFunc(self, device_fn)

    # -- types -----------------------------------------------------------------
    def argument_types(self) -> list[tuple]:
        """Per signature, the numba types of its arguments (inputs then outputs)."""
        sigutils = _numba.numba().core.sigutils
        return [tuple(sigutils.normalize_signature(s)[0]) for s in self.options["signatures"]]

    def select_signature(self, *args: Any) -> tuple:
        """The first signature whose inputs accept ``args`` by safe casting (NumPy's loop search)."""
        np = _numba.numpy()
        as_dtype = _numba.numba().np.numpy_support.as_dtype
        given = [np.asarray(a).dtype if not hasattr(a, "dtype") else np.dtype(a.dtype) for a in args]
        for types in self.argument_types():
            wanted = [as_dtype(getattr(t, "dtype", t)) for t in types[: len(args)]]
            if all(np.can_cast(g, w, "safe") for g, w in zip(given, wanted)):
                return types
        raise KernelTypeError(f"kernel {self.name!r} has no signature for inputs "
                              f"({', '.join(map(str, given))}); declared: {list(self.options['signatures'])}")

    def result_meta(self, *args: Any) -> list[tuple]:
        """Per output ``(dtype, core shape)`` for inputs like ``args`` (compiles the CPU form)."""
        if len(args) != len(self.layout.inputs):
            raise TypeError(f"kernel {self.name!r} takes {len(self.layout.inputs)} inputs, got {len(args)}")
        self.cpu  # a function numba cannot compile fails here, at graph-build time
        types = self.select_signature(*args)
        as_dtype = _numba.numba().np.numpy_support.as_dtype
        shapes = [tuple(getattr(a, "shape", ())) for a in args]
        cores = self.layout.output_cores(self.layout.sizes(self.name, shapes))
        return [(as_dtype(t.dtype), core) for t, core in zip(types[len(args):], cores)]

    # -- running -----------------------------------------------------------------
    def _run_cpu(self, *args: Any, parallel: bool | None = None) -> Any:
        values, template = _inputs.split_series(args, self.name)
        with self.compiling("cpu", [_inputs.dtype_of(v) for v in values]):
            out = self.cpu(*values)
        return _inputs.wrap_like(template, out, _inputs.result_name(args)) if template is not None else out

    def _run_cuda(self, *args: Any) -> Any:
        values, template = _inputs.split_series(args, self.name)
        out = self.cuda(*values)
        return _inputs.wrap_like(template, out, _inputs.result_name(args)) if template is not None else out

    def _lazy_call(self, *args: Any) -> Any:
        from gpuscale.kernels import collections

        return collections.gufunc(self, args)


class CudaGUFunc(GeneratedCudaForm):
    """The CUDA form of a :class:`GUVectorizeKernel`, called like the gufunc."""

    def kernel_source(self) -> str:
        layout = self.owner.layout
        return _codegen.gufunc_kernel_source(len(layout.inputs), len(layout.outputs))

    def compile_ptx(self, signature_index: int = 0, cc: tuple[int, int] = (7, 5)) -> str:
        """PTX of the kernel for one declared signature (no GPU needed)."""
        numba = _numba.numba()
        types = self.owner.argument_types()[signature_index]
        flat = tuple(_flat_type(t, numba) for t in types)
        with self.owner.compiling("cuda", types):
            _ptx.precompile_device_function(self.device_function, tuple(_element_type(t, numba) for t in types), cc)
            return _ptx.kernel_ptx(self.name, self.python_kernel(), flat, cc)

    def __call__(self, *args: Any) -> Any:
        layout = self.owner.layout
        types = self.owner.select_signature(*args)
        shapes = [tuple(getattr(a, "shape", ())) for a in args]
        loop = layout.loop_shape(shapes)
        metas = self.owner.result_meta(*args)
        xp = next((_numba.chunk_module(a) for a in args if _numba.is_device_chunk(a)), _numba.numpy())
        n = math.prod(loop)
        flat_in = [_flatten_input(a, t, loop, core, xp) for a, t, core in zip(args, types, layout.inputs)]
        flat_out = [xp.empty((n, *(core or (1,))), dtype=dtype) for dtype, core in metas]
        if n:
            with self.owner.compiling("cuda", types):
                self._launch(flat_in, flat_out)
        outs = [o.reshape(loop + core) for o, (_, core) in zip(flat_out, metas)]
        return outs[0] if len(outs) == 1 else tuple(outs)

    def _launch(self, flat_in: list, flat_out: list) -> None:
        simulator = _numba.simulator_enabled()
        blocks, threads = _codegen.launch_config(flat_out[0].shape[0], simulator)
        if not simulator:
            self.kernel[blocks, threads](*flat_in, *flat_out)
            return
        cuda = _numba.cuda(self.name)
        device_out = [cuda.to_device(o) for o in flat_out]
        self.kernel[blocks, threads](*(cuda.to_device(a) for a in flat_in), *device_out)
        for dev, host in zip(device_out, flat_out):
            dev.copy_to_host(host)


def _flatten_input(arg: Any, numba_type: Any, loop: tuple, core: tuple, xp: Any) -> Any:
    np = _numba.numpy()
    dtype = np.dtype(str(getattr(numba_type, "dtype", numba_type)))
    arr = arg if getattr(arg, "ndim", None) is not None else np.asarray(arg)
    arr = arr.astype(dtype, copy=False) if arr.dtype != dtype else arr
    core_shape = tuple(arr.shape[arr.ndim - len(core):]) if core else ()
    arr = xp.ascontiguousarray(xp.broadcast_to(arr, loop + core_shape))
    n = math.prod(loop)
    if not hasattr(numba_type, "ndim"):  # scalar-typed input: one value per loop element
        return arr.reshape(n)
    return arr.reshape((n, *(core_shape or (1,))))


def _element_type(numba_type: Any, numba: Any) -> Any:
    """The type the device function sees for one loop element."""
    if not hasattr(numba_type, "ndim"):
        return numba_type
    return numba.types.Array(numba_type.dtype, numba_type.ndim, "C")


def _flat_type(numba_type: Any, numba: Any) -> Any:
    ndim = getattr(numba_type, "ndim", 0) + 1
    return numba.types.Array(getattr(numba_type, "dtype", numba_type), ndim, "C")


def guvectorize(signatures: Any, layout: str) -> Callable[[Callable], GUVectorizeKernel]:
    """Compile a generalized-ufunc kernel (``numba.guvectorize`` contract) for CPU and GPU chunks.

    Parameters
    ----------
    signatures : str or list of str
        numba signatures with outputs as trailing array arguments, e.g.
        ``"void(float64[:], float64[:], float64[:])"``.
    layout : str
        Core dimensions, e.g. ``"(n),(n)->()"`` (a scalar output is written to ``out[0]``).

    Returns
    -------
    GUVectorizeKernel
        Callable on NumPy (CPU form), CuPy (CUDA form), on ``gpuscale.array``
        arrays (core axes must be whole in each chunk; they are rechunked) and on
        ``gpuscale.dataframe`` DataFrames (each row's columns form the core axis).

    Examples
    --------
    >>> import gpuscale, numpy as np
    >>> @gpuscale.guvectorize(["void(float64[:], float64[:], float64[:])"], "(n),(n)->()")
    ... def dot(x, w, out):
    ...     acc = 0.0
    ...     for i in range(x.shape[0]):
    ...         acc += x[i] * w[i]
    ...     out[0] = acc
    >>> dot(np.ones((2, 3)), np.array([1.0, 2.0, 3.0]))
    array([6., 6.])
    """
    sigs = (signatures,) if isinstance(signatures, str) else tuple(signatures)
    if not sigs:
        raise TypeError("gpuscale.guvectorize needs at least one signature")
    return lambda pyfunc: GUVectorizeKernel(pyfunc, signatures=sigs, layout=layout)
