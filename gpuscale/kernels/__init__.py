"""Custom kernels written once in Python, compiled with numba for CPU chunks and numba-cuda for GPU chunks.

``gpuscale.vectorize`` (element-wise), ``gpuscale.stencil`` (neighbourhood) and
``gpuscale.guvectorize`` (row-wise / generalized ufuncs).  numba and
numba-cuda are imported only when a kernel is first compiled.
"""

from gpuscale.kernels.elementwise import VectorizeKernel, vectorize
from gpuscale.kernels.errors import CudaUnavailableError, KernelCompileError, KernelTypeError
from gpuscale.kernels.gufunc import GUVectorizeKernel, guvectorize
from gpuscale.kernels.stencil import StencilKernel, stencil

__all__ = [
    "vectorize", "stencil", "guvectorize", "VectorizeKernel", "StencilKernel", "GUVectorizeKernel",
    "KernelCompileError", "KernelTypeError", "CudaUnavailableError",
]
