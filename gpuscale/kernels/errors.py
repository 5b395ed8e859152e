"""Errors raised by gpuscale kernels, each naming the function and the cause."""

from __future__ import annotations

__all__ = ["KernelCompileError", "CudaUnavailableError", "KernelTypeError"]

CUDA_INSTALL_HINT = "pip install 'numba-cuda[cu12]' (or 'numba-cuda[cu13]' for CUDA 13 drivers)"


class KernelCompileError(TypeError):
    """numba could not compile a kernel; the message carries numba's own report."""

    def __init__(self, name: str, target: str, types: str, cause: BaseException) -> None:
        self.kernel_name, self.target = name, target
        super().__init__(
            f"gpuscale could not compile kernel {name!r} for {target} with argument types {types}:\n"
            f"{type(cause).__name__}: {cause}"
        )


class KernelTypeError(TypeError):
    """A kernel was called with inputs it does not accept (dtype, shape, kind)."""


class CudaUnavailableError(ImportError):
    """A GPU chunk reached a kernel but numba-cuda is not installed."""

    def __init__(self, name: str, cause: BaseException | None = None) -> None:
        detail = f" ({cause})" if cause else ""
        super().__init__(
            f"kernel {name!r} got a GPU chunk, but numba-cuda is not importable{detail}. "
            f"Install it with: {CUDA_INSTALL_HINT}"
        )
