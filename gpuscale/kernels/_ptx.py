"""PTX for generated kernels without a GPU.

``numba.cuda.compile_ptx`` compiles a kernel for a given compute capability
without a device, but a device function called from it is compiled for the
*current* device, which does not exist here.  So the device function is first
compiled for the requested compute capability and registered, as numba-cuda's
own ``compile_device`` would do on a GPU machine.  NVVM comes from the
``nvidia-cuda-nvcc-cu12`` wheel (``numba-cuda[cu12]``).
"""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.kernels import _numba

__all__ = ["kernel_ptx", "device_function_ptx"]


def precompile_device_function(device_fn: Any, argtypes: tuple, cc: tuple[int, int]) -> None:
    """Compile ``device_fn`` for ``argtypes`` at ``cc`` and register it for kernels calling it."""
    if argtypes in device_fn.overloads:
        return
    from numba.cuda.compiler import compile_cuda

    cres = compile_cuda(device_fn.py_func, None, argtypes, debug=False, lineinfo=False,
                        forceinline=False, inline="never", fastmath=False,
                        nvvm_options={"opt": 3, "fastmath": False}, cc=cc)
    device_fn.overloads[argtypes] = cres
    cres.target_context.insert_user_function(cres.entry_point, cres.fndesc, [cres.library])


def kernel_ptx(name: str, python_kernel: Callable, argtypes: tuple, cc: tuple[int, int]) -> str:
    """PTX of a generated kernel (its device functions must be precompiled for ``cc``)."""
    ptx, _ = _numba.cuda(name).compile_ptx(python_kernel, argtypes, cc=cc)
    return ptx


def device_function_ptx(name: str, pyfunc: Callable, argtypes: tuple, cc: tuple[int, int]) -> str:
    """PTX of the user's function alone, as a device function."""
    ptx, _ = _numba.cuda(name).compile_ptx(pyfunc, argtypes, device=True, cc=cc)
    return ptx
