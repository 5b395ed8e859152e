"""The shared shape of the generated CUDA forms of stencil and guvectorize kernels."""

from __future__ import annotations

from typing import Any, Callable

from gpuscale.kernels import _codegen, _numba


class GeneratedCudaForm:
    """A ``@cuda.jit`` kernel generated around the user's function, compiled on first launch.

    Subclasses give the kernel's source (``kernel_source``) and the name under
    which it calls the user's device function (``device_name``).
    """

    device_name = "device_fn"

    def __init__(self, owner: Any, device_function: Any) -> None:
        self.owner = owner
        self.name = owner.name
        self.device_function = device_function
        self._kernel: Any = None

    def kernel_source(self) -> str:
        raise NotImplementedError

    def python_kernel(self) -> Callable:
        """The generated kernel as a plain Python function (for ``numba.cuda.compile_ptx``)."""
        namespace = {"cuda": _numba.cuda(self.name), self.device_name: self.device_function}
        return _codegen.build_function(self.kernel_source(), "kernel", namespace)

    @property
    def kernel(self) -> Any:
        """The numba-cuda kernel dispatcher."""
        if self._kernel is None:
            self._kernel = _numba.cuda(self.name).jit(self.python_kernel())
        return self._kernel
