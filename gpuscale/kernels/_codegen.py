"""Source generation for the CUDA kernels that wrap a user's device function.

numba-cuda compiles the user's function as a device function; the code here
writes the small ``@cuda.jit`` kernel around it (one thread per element, a
grid-stride loop), specialised on which arguments are scalars.  Generated
Python source keeps these kernels plain numba-cuda code that
``numba.cuda.compile_ptx`` can also compile.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["elementwise_kernel_source", "build_function", "launch_config", "wrapper_source",
           "stencil_kernel_source", "launch_config_nd", "gufunc_kernel_source"]


def elementwise_kernel_source(scalar_mask: tuple[bool, ...]) -> str:
    """``kernel(a0, a1, ..., out)``: ``out[i] = device_fn(a0[i], a1, ...)`` over 1-D arrays."""
    params = [f"a{k}" for k in range(len(scalar_mask))]
    reads = [p if scalar else f"{p}[i]" for p, scalar in zip(params, scalar_mask)]
    return (
        f"def kernel({', '.join([*params, 'out'])}):\n"
        "    start = cuda.grid(1)\n"
        "    stride = cuda.gridsize(1)\n"
        "    for i in range(start, out.shape[0], stride):\n"
        f"        out[i] = device_fn({', '.join(reads)})\n"
    )


def build_function(source: str, name: str, namespace: dict[str, Any]) -> Callable:
    """Execute generated ``source`` and return the function ``name`` defined in it."""
    scope = dict(namespace)
    exec(compile(source, f"<gpuscale-kernel {name}>", "exec"), scope)  # noqa: S102 - our own template
    return scope[name]


def launch_config(size: int, simulator: bool) -> tuple[int, int]:
    """(blocks, threads per block) for ``size`` elements; grid-stride loops cover the rest.

    The simulator runs each thread as a Python thread, so it gets small blocks.
    """
    threads = 32 if simulator else 256
    blocks = max(1, min(-(-size // threads), 8 if simulator else 65535))
    return blocks, threads


def wrapper_source(name: str, callee: str, nparams: int) -> str:
    """``def name(a0, ..., an): return callee(a0, ..., an)``: a fixed-arity wrapper to jit."""
    params = ", ".join(f"a{k}" for k in range(nparams))
    return f"def {name}({params}):\n    return {callee}({params})\n"


def stencil_kernel_source(nparams: int, ndim: int, neighborhood: tuple) -> str:
    """``kernel(a0, ..., cval, out)``: one thread per output element, ``cval`` at the borders."""
    if not 1 <= ndim <= 3:
        raise ValueError(f"CUDA stencils support 1 to 3 dimensions, not {ndim}")
    params = [f"a{k}" for k in range(nparams)]
    idx = [f"i{k}" for k in range(ndim)]
    grid = f"{idx[0]} = cuda.grid(1)" if ndim == 1 else f"{', '.join(idx)} = cuda.grid({ndim})"
    outside = " or ".join(f"{i} >= out.shape[{k}]" for k, i in enumerate(idx))
    interior = " and ".join(f"{i} >= {-lo} and {i} < out.shape[{k}] - {hi}"
                            for k, (i, (lo, hi)) in enumerate(zip(idx, neighborhood)))
    target = f"out[{', '.join(idx)}]"
    return (
        f"def kernel({', '.join([*params, 'cval', 'out'])}):\n"
        f"    {grid}\n"
        f"    if {outside}:\n"
        "        return\n"
        f"    if {interior}:\n"
        f"        {target} = point({', '.join([*params, *idx])})\n"
        "    else:\n"
        f"        {target} = cval\n"
    )


def launch_config_nd(shape: tuple, simulator: bool) -> tuple[tuple, tuple]:
    """(blocks, threads) per axis for an n-d grid with one thread per element."""
    per_axis = {1: (256,), 2: (16, 16), 3: (8, 8, 4)}[len(shape)]
    if simulator:
        per_axis = {1: (32,), 2: (8, 8), 3: (4, 4, 4)}[len(shape)]
    blocks = tuple(max(1, -(-n // t)) for n, t in zip(shape, per_axis))
    return blocks, per_axis


def gufunc_kernel_source(ninputs: int, noutputs: int) -> str:
    """``kernel(a0, ..., o0, ...)``: thread ``i`` calls ``device_fn(a0[i], ..., o0[i], ...)``.

    Every argument arrives with the loop dimension flattened first, so ``x[i]``
    is the core slice of loop element ``i`` (a scalar for scalar-typed inputs).
    """
    params = [f"a{k}" for k in range(ninputs)] + [f"o{k}" for k in range(noutputs)]
    return (
        f"def kernel({', '.join(params)}):\n"
        "    start = cuda.grid(1)\n"
        "    stride = cuda.gridsize(1)\n"
        "    for i in range(start, o0.shape[0], stride):\n"
        f"        device_fn({', '.join(p + '[i]' for p in params)})\n"
    )
