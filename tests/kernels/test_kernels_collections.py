"""Kernels on gpuscale.array and gpuscale.dataframe collections: lazy results against NumPy/pandas."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
import gpuscale.array as ga
import gpuscale.dataframe as gd
from gpuscale.kernels import CudaUnavailableError, KernelCompileError, KernelTypeError, _array, _numba
from gpuscale.testing import assert_eq
from tests.kernels.kernels_fixtures import (clipped_score, demean, forward_diff, haversine, haversine_numpy,
                                            laplacian, laplacian_numpy, moving_sum, weighted_score)

rng = np.random.default_rng(4)


@pytest.fixture
def trips():
    n = 60
    pdf = pd.DataFrame({"lat1": rng.uniform(40, 41, n), "lon1": rng.uniform(-74, -73, n),
                        "lat2": rng.uniform(40, 41, n), "lon2": rng.uniform(-74, -73, n),
                        "fare": rng.uniform(0, 30, n)}, index=pd.RangeIndex(100, 100 + n, name="trip"))
    return pdf, gd.from_pandas(pdf, npartitions=4)


# -- arrays -----------------------------------------------------------------------------------
def test_vectorize_on_arrays_is_lazy_with_dtype_and_chunks():
    x = rng.uniform(-80, 80, (30, 20))
    a = ga.from_array(x, chunks=(7, 6))
    out = haversine(a, a * 0.5, 0.0, 10.0)
    assert isinstance(out, ga.Array)
    assert out.dtype == np.float64 and out.shape == (30, 20) and out.chunks == a.chunks
    assert "haversine" in out.expr._name
    assert_eq(out, haversine_numpy(np, x, x * 0.5, 0.0, 10.0))
    with pytest.raises(ValueError, match="haversine.*broadcast"):
        haversine(a, a.T, 0.0, 0.0)


def test_vectorize_on_arrays_broadcasts():
    lat = rng.uniform(-80, 80, (9, 1))
    lon = rng.uniform(-80, 80, (1, 11))
    out = haversine(ga.from_array(lat, chunks=(4, 1)), ga.from_array(lon, chunks=(1, 5)), 1.0, 2.0)
    assert out.shape == (9, 11)
    assert_eq(out, haversine_numpy(np, lat, lon, 1.0, 2.0))


def test_vectorize_float32_arrays_keep_float32():
    x = rng.uniform(-80, 80, 50).astype("float32")
    out = haversine(ga.from_array(x, chunks=20), x[0], x[1], x[2])
    assert out.dtype == np.float32
    assert_eq(out, haversine(x, x[0], x[1], x[2]))


def test_vectorize_mixes_arrays_and_numpy_operands():
    x = rng.integers(-10, 10, 40)
    out = clipped_score(ga.from_array(x, chunks=9), 3)
    assert out.dtype == np.float64
    assert_eq(out, clipped_score(x, 3))


def test_kernel_results_compose_with_array_operations():
    x = rng.uniform(-80, 80, 100)
    a = ga.from_array(x, chunks=30)
    total = ga.sum(haversine(a, a, 0.0, 0.0) * 2)
    assert float(total.compute()) == pytest.approx(float(np.sum(haversine_numpy(np, x, x, 0.0, 0.0) * 2)))


def test_kernel_inside_map_blocks():
    x = rng.uniform(-80, 80, (12, 12))
    a = ga.from_array(x, chunks=5)
    assert_eq(a.map_blocks(clipped_score, 0.0), clipped_score(x, 0.0))


def test_compile_error_at_graph_build_time():
    @gpuscale.vectorize
    def broken_score(x):
        return x.no_such_attribute

    a = ga.from_array(np.ones(10), chunks=5)
    with pytest.raises(KernelCompileError, match="broken_score"):
        broken_score(a)


def test_gpu_backend_without_numba_cuda_fails_at_graph_build(monkeypatch):
    monkeypatch.setattr(_numba._detect, "installed", lambda module: module != "numba_cuda")
    with pytest.raises(CudaUnavailableError, match=r"pip install 'numba-cuda\[cu12\]'"):
        _array.check_backend(haversine, [SimpleNamespace(backend="cupy")])
    _array.check_backend(haversine, [SimpleNamespace(backend="numpy")])  # CPU arrays need no numba-cuda
    from gpuscale.kernels import collections

    monkeypatch.setattr(_numba, "is_device_chunk", lambda obj: True)  # as if the partitions were cuDF
    with pytest.raises(CudaUnavailableError, match="haversine"):
        collections._check_frame_backend(haversine, [pd.Series([1.0])])


def test_stencil_on_chunked_array_matches_whole_array():
    x = rng.random((25, 19))
    out = laplacian(ga.from_array(x, chunks=(6, 5)))
    assert isinstance(out, ga.Array) and out.dtype == np.float64
    assert_eq(out, laplacian_numpy(np, x))


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 30), st.integers(2, 12), st.sampled_from(["laplacian", "forward", "moving"]))
def test_stencil_halos_for_any_chunking(n, chunk, which):
    if which == "laplacian":
        kernel, x, chunks = laplacian, rng.random((n, n + 3)), (chunk, chunk + 1)
    else:
        kernel, x, chunks = (forward_diff if which == "forward" else moving_sum), rng.random(n * 3), chunk
    assert_eq(kernel(ga.from_array(x, chunks=chunks)), kernel(x))


def test_blocks_smaller_than_the_halo_are_merged():
    x = rng.random(12)
    out = moving_sum(ga.from_array(x, chunks=((4, 1, 5, 1, 1),)))
    assert out.chunks == ((5, 7),)
    assert_eq(out, moving_sum(x))
    assert _array.halo_chunks(((1, 1, 1),), (2,)) == ((3,),)
    assert _array.halo_chunks(((3, 3), (2, 2)), (1, 0)) == ((3, 3), (2, 2))


def test_stencil_with_two_arrays_and_literal_weights():
    @gpuscale.stencil(standard_indexing=("w",))
    def mix(a, b, w):
        return w[0] * a[-1, 0] + w[1] * b[0, 1]

    x, y, w = rng.random((14, 9)), rng.random((14, 9)), np.array([2.0, -1.0])
    out = mix(ga.from_array(x, chunks=4), ga.from_array(y, chunks=(5, 3)), w)
    assert_eq(out, mix(x, y, w))


def test_stencil_dimension_mismatch():
    with pytest.raises(KernelTypeError, match="indexes 2 axes"):
        laplacian(ga.from_array(np.ones(10), chunks=5))


def test_guvectorize_on_arrays_rechunks_the_core_axis():
    x, w = rng.random((23, 8)), rng.random(8)
    out = weighted_score(ga.from_array(x, chunks=(5, 3)), w)
    assert out.shape == (23,) and out.chunks == ((5, 5, 5, 5, 3),)
    assert_eq(out, x @ w)
    assert_eq(demean(ga.from_array(x, chunks=(6, 4))), x - x.mean(axis=1, keepdims=True))


def test_guvectorize_scalar_core_input():
    @gpuscale.guvectorize("void(float64[:], float64, float64[:])", "(n),()->(n)")
    def scale_rows(x, s, out):
        for i in range(x.shape[0]):
            out[i] = x[i] * s

    x, s = rng.random((10, 4)), rng.random(10)
    out = scale_rows(ga.from_array(x, chunks=(3, 2)), ga.from_array(s, chunks=4))
    assert_eq(out, x * s[:, None])


def test_persist_keeps_kernel_results():
    x = rng.random((10, 10))
    out = laplacian(ga.from_array(x, chunks=4)).persist()
    assert_eq(out, laplacian_numpy(np, x))


# -- dataframes -------------------------------------------------------------------------------
def test_vectorize_on_series_is_lazy_with_meta(trips):
    pdf, df = trips
    out = haversine(df.lat1, df.lon1, df.lat2, df.lon2)
    assert isinstance(out, gd.Series)
    assert out.dtype == np.float64 and out._meta.index.name == "trip"
    assert_eq(out, haversine(pdf.lat1, pdf.lon1, pdf.lat2, pdf.lon2))


def test_vectorize_series_name_and_scalar_first(trips):
    pdf, df = trips
    out = clipped_score(10.0, df.fare)
    assert out.name == "fare"
    assert_eq(out, clipped_score(10.0, pdf.fare))


def test_kernel_column_in_dataframe_pipeline(trips):
    pdf, df = trips
    df = df.assign(km=haversine(df.lat1, df.lon1, df.lat2, df.lon2))
    expected = pdf.assign(km=haversine(pdf.lat1, pdf.lon1, pdf.lat2, pdf.lon2))
    assert_eq(df[df.km > 20].fare.sum(), expected[expected.km > 20].fare.sum())


def test_kernel_inside_map_partitions(trips):
    pdf, df = trips
    out = df.fare.map_partitions(clipped_score, 5.0)
    assert_eq(out, clipped_score(pdf.fare, 5.0))


def test_dataframe_argument_to_vectorize_is_refused(trips):
    _, df = trips
    with pytest.raises(KernelTypeError, match="pass Series"):
        clipped_score(df, 1.0)


def test_mixing_arrays_and_frames_is_refused(trips):
    _, df = trips
    with pytest.raises(KernelTypeError, match="cannot mix"):
        clipped_score(df.fare, ga.from_array(np.ones(60), chunks=30))


def test_guvectorize_row_wise_on_dataframe(trips):
    pdf, df = trips
    cols = ["lat1", "lon1", "fare"]
    w = np.array([1.0, 2.0, 3.0])

    @gpuscale.guvectorize("void(float64[:], float64[:])", "(n)->()")
    def weighted_row(x, out):
        out[0] = x[0] * 1.0 + x[1] * 2.0 + x[2] * 3.0

    out = weighted_row(df[cols])
    assert isinstance(out, gd.Series) and out.dtype == np.float64
    assert_eq(out, pd.Series(pdf[cols].to_numpy() @ w, index=pdf.index))
    assert_eq(demean(df[cols]), pdf[cols].sub(pdf[cols].mean(axis=1), axis=0))


def test_stencil_on_series_is_refused(trips):
    _, df = trips
    with pytest.raises(KernelTypeError, match="gpuscale.array"):
        forward_diff(df.fare)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 9), st.integers(1, 7), st.integers(1, 5), st.integers(1, 4), st.booleans())
def test_vectorize_any_chunking_and_broadcast(rows, cols, row_chunk, col_chunk, column_vector):
    x = rng.integers(-20, 20, (rows, cols))
    y = rng.random((rows, 1) if column_vector else (cols,))
    lazy = clipped_score(ga.from_array(x, chunks=(row_chunk, col_chunk)), ga.from_array(y, chunks=col_chunk))
    assert lazy.shape == (rows, cols) and lazy.dtype == np.float64
    assert_eq(lazy, clipped_score(x, y))


def test_stencil_between_other_array_operations():
    x = rng.random((20, 20))
    a = ga.from_array(x, chunks=7)
    out = ga.sqrt(laplacian(a * 2.0) ** 2) + haversine(a, a, 0.0, 0.0)
    assert "StencilBlocks: laplacian" in out.expr.tree_repr()
    assert_eq(out, np.sqrt(laplacian_numpy(np, x * 2.0) ** 2) + haversine(x, x, 0.0, 0.0))
