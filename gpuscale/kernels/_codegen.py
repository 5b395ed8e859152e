"""Source generation for the CUDA kernels that wrap a user's device function.

numba-cuda compiles the user's function as a device function; the code here
writes the small ``@cuda.jit`` kernel around it (one thread per element, a
grid-stride loop), specialised on which arguments are scalars.  Generated
Python source keeps these kernels plain numba-cuda code that
``numba.cuda.compile_ptx`` can also compile.
"""

from __future__ import annotations

from typing import Any, Callable

__all__ = ["elementwise_kernel_source", "build_function", "launch_config"]


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
