"""Kernels stay out of ``import gpuscale``; a missing numba-cuda is reported with the package to install."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import gpuscale
from gpuscale.kernels import CudaUnavailableError, _cache, _numba
from gpuscale.kernels.elementwise import VectorizeKernel

ROOT = Path(__file__).resolve().parents[2]


def test_decorating_imports_neither_numba_nor_numpy():
    code = ("import sys, gpuscale\n"
            "@gpuscale.vectorize('float64(float64)')\n"
            "def f(x):\n    return x\n"
            "print(sorted(m for m in ('numba', 'numpy', 'pandas', 'numba_cuda') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_top_level_names():
    assert gpuscale.vectorize is gpuscale.kernels.vectorize
    assert gpuscale.stencil is gpuscale.kernels.stencil
    assert gpuscale.guvectorize is gpuscale.kernels.guvectorize


def test_missing_numba_cuda_names_the_package(monkeypatch):
    monkeypatch.setattr(_numba._detect, "installed", lambda module: module != "numba_cuda")
    kernel = VectorizeKernel(lambda x: x + 1.0, signatures=None)
    with pytest.raises(CudaUnavailableError, match=r"numba-cuda\[cu12\]") as info:
        kernel.cuda
    assert "<lambda>" in str(info.value)
    with pytest.raises(CudaUnavailableError):
        kernel.run(np.ones(2), target="cuda")
    np.testing.assert_array_equal(kernel(np.ones(2)), [2.0, 2.0])  # the CPU form is unaffected


def test_unknown_target():
    kernel = VectorizeKernel(lambda x: x, signatures=None)
    with pytest.raises(ValueError, match="target must be"):
        kernel.run(np.ones(1), target="tpu")


def test_decorating_a_non_function():
    with pytest.raises(TypeError, match="decorates a function"):
        gpuscale.vectorize(None)(3)


def test_compiled_once_per_process_for_many_chunks():
    _cache.clear()
    kernel = VectorizeKernel(lambda x: x * 2.0, signatures=("float64(float64)",))
    run = kernel.chunk_function()
    for _ in range(20):
        run(np.ones(5))
    assert sum(_cache.compile_counts.values()) == 1
