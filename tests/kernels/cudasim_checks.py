"""CUDA forms of the kernels, run on numba's CUDA simulator (small inputs).

Not collected by the normal run (the simulator must be switched on before
``numba.cuda`` is imported): ``test_cuda_simulator.py`` runs this file in a
subprocess with ``NUMBA_ENABLE_CUDASIM=1``.
"""

import os

import numpy as np
import pandas as pd
import pytest

import gpuscale
from tests.kernels.kernels_fixtures import (clipped_score, demean, forward_diff, haversine, haversine_numpy,
                                            laplacian, laplacian_numpy, moving_sum, weighted_score)

pytestmark = pytest.mark.skipif(os.environ.get("NUMBA_ENABLE_CUDASIM") != "1",
                                reason="needs NUMBA_ENABLE_CUDASIM=1 (run through test_cuda_simulator.py)")
rng = np.random.default_rng(3)


def coords(n, dtype="float64"):
    return tuple(rng.uniform(-80, 80, n).astype(dtype) for _ in range(4))


def test_simulator_is_on():
    from numba import cuda

    assert cuda.simulator_available if hasattr(cuda, "simulator_available") else True
    assert gpuscale.kernels._numba.simulator_enabled()


def test_vectorize_cuda_matches_numpy():
    args = coords(70)
    np.testing.assert_allclose(haversine.cuda(*args), haversine_numpy(np, *args), rtol=1e-12)


def test_vectorize_cuda_float32_and_broadcasting():
    lat = rng.uniform(-80, 80, (3, 1)).astype("float32")
    lon = rng.uniform(-80, 80, (1, 4)).astype("float32")
    out = haversine.cuda(lat, lon, np.float32(0), np.float32(0))
    assert out.dtype == np.float32 and out.shape == (3, 4)
    np.testing.assert_allclose(out, haversine.cpu(lat, lon, np.float32(0), np.float32(0)), rtol=1e-5)


def test_vectorize_cuda_lazy_signatures_and_python_scalars():
    x = np.arange(-5, 5)
    np.testing.assert_allclose(clipped_score.cuda(x, 0), clipped_score.cpu(x, 0))
    assert clipped_score.cuda(x, 0).dtype == clipped_score.cpu(x, 0).dtype


def test_vectorize_run_on_series_with_cuda_target():
    s = pd.Series([1.0, 2.0, 3.0], index=[4, 5, 6], name="v")
    pd.testing.assert_series_equal(clipped_score.run(s, 1.5, target="cuda"), clipped_score(s, 1.5))


def test_vectorize_zero_dim_and_empty():
    assert clipped_score.cuda(np.empty(0), 1.0).shape == (0,)
    assert float(clipped_score.cuda(3.0, 1.0)) == 3.0


def test_stencil_cuda_matches_numpy():
    x = rng.random((12, 10))
    np.testing.assert_allclose(laplacian.cuda(x), laplacian_numpy(np, x))


def test_stencil_cuda_cval_and_loop_offsets():
    x = rng.random(40)
    np.testing.assert_allclose(forward_diff.cuda(x), forward_diff.cpu(x))
    np.testing.assert_allclose(moving_sum.cuda(x), moving_sum.cpu(x))


def test_stencil_cuda_standard_indexing_and_closure():
    scale = 2.5

    @gpuscale.stencil(standard_indexing=("w",))
    def weighted(a, w):
        return scale * (w[0] * a[-1] + w[1] * a[1])

    a, w = rng.random(30), np.array([1.0, -1.0])
    np.testing.assert_allclose(weighted.cuda(a, w), weighted.cpu(a, w))


def test_gufunc_cuda_matches_numpy():
    x, w = rng.random((33, 4)), rng.random(4)
    np.testing.assert_allclose(weighted_score.cuda(x, w), x @ w)
    np.testing.assert_allclose(demean.cuda(x), x - x.mean(axis=1, keepdims=True))


def test_gufunc_cuda_float32_signature():
    x, w = rng.random((5, 3)).astype("float32"), np.ones(3, "float32")
    out = weighted_score.cuda(x, w)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x.sum(axis=1), rtol=1e-5)


def test_chunk_function_with_cuda_target():
    args = coords(20)
    run = haversine.chunk_function(target="cuda")
    np.testing.assert_allclose(run(*args), haversine.cpu(*args))


def test_cuda_form_inside_a_task_graph():
    import gpuscale.array as ga

    x = rng.uniform(-80, 80, (10, 6))
    a = ga.from_array(x, chunks=(4, 3))
    out = ga.map_blocks(haversine.chunk_function(target="cuda"), a, a, 0.0, 0.0, dtype="float64")
    np.testing.assert_allclose(out.compute(scheduler="sync"), haversine_numpy(np, x, x, 0.0, 0.0))


def test_stencil_cuda_form_with_halos():
    import gpuscale.array as ga
    from gpuscale.kernels._overlap import StencilBlocks

    x = rng.random((11, 9))
    lazy = laplacian(ga.from_array(x, chunks=(4, 5)))
    expr = lazy.expr
    assert isinstance(expr, StencilBlocks)
    # the same graph with the CUDA form in every block task
    forced = ga.Array(StencilBlocks(_CudaOnly(laplacian), *expr.operands[1:]))
    np.testing.assert_allclose(forced.compute(scheduler="sync"), laplacian_numpy(np, x))


class _CudaOnly:
    """Stands in for a kernel whose chunk function always takes the CUDA form."""

    def __init__(self, kernel):
        self.kernel, self.name, self.pyfunc = kernel, kernel.name, kernel.pyfunc

    def chunk_function(self):
        return self.kernel.chunk_function(target="cuda")

    def __gpuscale_tokenize__(self):
        return "cuda-only-" + self.kernel.key
