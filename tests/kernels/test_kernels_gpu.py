"""Kernels on real GPU chunks (CuPy / cuDF).  Skipped on machines without a usable GPU."""

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.backends import copy_counts, reset_copy_counts
from tests.kernels.kernels_fixtures import (haversine, haversine_numpy, laplacian, laplacian_numpy,
                                            weighted_score)

pytestmark = pytest.mark.gpu
cp = pytest.importorskip("cupy")
rng = np.random.default_rng(5)


def test_vectorize_on_cupy_stays_on_device():
    args = [rng.uniform(-80, 80, 10_000) for _ in range(4)]
    device = [cp.asarray(a) for a in args]
    reset_copy_counts()
    out = haversine(*device)
    assert isinstance(out, cp.ndarray) and out.dtype == np.float64
    assert sum(copy_counts.values()) == 0
    np.testing.assert_allclose(out.get(), haversine_numpy(np, *args), rtol=1e-12)


def test_vectorize_on_cupy_broadcasts_and_casts():
    lat = cp.asarray(rng.uniform(-80, 80, (50, 1)).astype("float32"))
    out = haversine(lat, cp.zeros((1, 40), "float32"), np.float32(1), np.float32(2))
    assert out.shape == (50, 40) and out.dtype == np.float32


def test_stencil_on_cupy_and_chunked_cupy_array():
    x = rng.random((300, 200))
    np.testing.assert_allclose(laplacian(cp.asarray(x)).get(), laplacian_numpy(np, x))
    lazy = laplacian(ga.from_array(x, chunks=(70, 64), backend="cupy"))
    result = lazy.compute()
    assert isinstance(result, cp.ndarray)
    np.testing.assert_allclose(result.get(), laplacian_numpy(np, x))


def test_gufunc_on_cupy():
    x, w = rng.random((1000, 8)), rng.random(8)
    out = weighted_score(cp.asarray(x), cp.asarray(w))
    assert isinstance(out, cp.ndarray)
    np.testing.assert_allclose(out.get(), x @ w)


def test_cuda_kernel_compiled_once_per_signature():
    for _ in range(3):
        haversine(*(cp.ones(100) for _ in range(4)))
    assert len(haversine.cuda.kernel((False,) * 4).overloads) == 1


def test_vectorize_on_cudf_series():
    cudf = pytest.importorskip("cudf")
    import pandas as pd

    pdf = pd.DataFrame({k: rng.uniform(-80, 80, 500) for k in ("a", "b", "c", "d")})
    gdf = cudf.from_pandas(pdf)
    out = haversine(gdf.a, gdf.b, gdf.c, gdf.d)
    assert type(out).__module__.startswith("cudf")
    np.testing.assert_allclose(out.to_numpy(), haversine(pdf.a, pdf.b, pdf.c, pdf.d).to_numpy(), rtol=1e-12)
