"""The generated CUDA kernels compile to PTX (NVVM from the numba-cuda[cu12] wheels; no GPU needed)."""

import functools

import numpy as np
import pytest

import gpuscale
from gpuscale.kernels import KernelCompileError
from tests.kernels.kernels_fixtures import (clipped_score, demean, forward_diff, haversine, laplacian, moving_sum,
                                            weighted_score)


@functools.lru_cache(maxsize=1)
def _nvvm_missing() -> str:
    try:
        from numba import cuda

        cuda.compile_ptx(lambda a: a + 1.0, "(float64,)", device=True, cc=(7, 5))
    except Exception as exc:  # no NVVM/NVRTC library: numba-cuda[cu12] extra not installed
        return f"numba.cuda.compile_ptx unavailable here: {type(exc).__name__}: {str(exc)[:200]}"
    return ""


pytestmark = pytest.mark.skipif(bool(_nvvm_missing()), reason=_nvvm_missing() or "compile_ptx works")


def _is_kernel_ptx(ptx: str) -> bool:
    return ".visible .entry" in ptx and ".target sm_75" in ptx


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_vectorize_kernel_ptx(dtype):
    ptx = haversine.cuda.compile_ptx(dtype, dtype, dtype, dtype)
    assert _is_kernel_ptx(ptx)
    assert ("f32" if dtype == "float32" else "f64") in ptx


def test_lazy_vectorize_kernel_ptx():
    assert _is_kernel_ptx(clipped_score.cuda.compile_ptx("int64", "int64"))


@pytest.mark.parametrize("kernel,dtype", [(laplacian, "float64"), (laplacian, "float32"),
                                          (forward_diff, "float64"), (moving_sum, "float64")])
def test_stencil_kernel_ptx(kernel, dtype):
    assert _is_kernel_ptx(kernel.cuda.compile_ptx(dtype))


@pytest.mark.parametrize("kernel,index", [(weighted_score, 0), (weighted_score, 1), (demean, 0)])
def test_gufunc_kernel_ptx(kernel, index):
    assert _is_kernel_ptx(kernel.cuda.compile_ptx(index))


def test_other_compute_capability():
    assert ".target sm_90" in laplacian.cuda.compile_ptx("float64", cc=(9, 0))


def test_cuda_only_compile_error_names_the_kernel():
    @gpuscale.vectorize("float64(float64)")
    def grows_a_list(x):
        values = [x, x]
        values.append(x)  # fine on the CPU; CUDA kernels have no reflected lists
        return values[2]

    np.testing.assert_array_equal(grows_a_list(np.arange(2.0)), [0.0, 1.0])
    with pytest.raises(KernelCompileError, match=r"'.*grows_a_list' for cuda") as info:
        grows_a_list.cuda.compile_ptx("float64")
    assert "TypingError" in str(info.value)
