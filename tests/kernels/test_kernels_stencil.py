"""gpuscale.stencil on NumPy inputs: the CPU form (numba.stencil) against NumPy slicing."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale
from gpuscale.kernels import KernelCompileError, KernelTypeError
from gpuscale.kernels._stencil_ast import parse_stencil
from tests.kernels.kernels_fixtures import forward_diff, laplacian, laplacian_numpy, moving_sum

rng = np.random.default_rng(1)


def test_laplacian_matches_numpy():
    x = rng.random((17, 13))
    np.testing.assert_allclose(laplacian(x), laplacian_numpy(np, x))


def test_neighborhood_is_read_from_constant_offsets():
    assert laplacian.neighborhood == ((-1, 1), (-1, 1))
    assert forward_diff.neighborhood == ((0, 1),)
    assert laplacian.depth == (1, 1)


def test_cval_fills_the_border():
    out = forward_diff(np.array([1.0, 4.0, 9.0]))
    np.testing.assert_array_equal(out, [3.0, 5.0, -1.0])


def test_loop_offsets_need_a_neighborhood():
    x = rng.random(20)
    expected = np.zeros(20)
    expected[2:-2] = np.convolve(x, np.ones(5), mode="valid")
    np.testing.assert_allclose(moving_sum(x), expected)

    @gpuscale.stencil
    def no_neighborhood(a):
        acc = 0.0
        for k in range(-1, 2):
            acc += a[k]
        return acc

    with pytest.raises(KernelTypeError, match="neighborhood="):
        no_neighborhood.neighborhood


def test_two_inputs_and_standard_indexing():
    @gpuscale.stencil(standard_indexing=("w",))
    def weighted(a, b, w):
        return w[0] * a[-1] + w[1] * b[1]

    a, b, w = rng.random(10), rng.random(10), np.array([2.0, 3.0])
    expected = np.zeros(10)
    expected[1:-1] = 2.0 * a[:-2] + 3.0 * b[2:]
    np.testing.assert_allclose(weighted(a, b, w), expected)


def test_point_source_rewrites_relative_indexing():
    src = parse_stencil(laplacian.pyfunc)
    assert "a[__gpuscale_i0 + -1, __gpuscale_i1 + 0]" in src.point_source
    assert src.params == ("a",) and src.ndim == 2


def test_parallel_form_equals_serial():
    x = rng.random((64, 64))
    np.testing.assert_array_equal(laplacian.run(x, parallel=True), laplacian.run(x, parallel=False))


def test_result_dtype_comes_from_numba_typing():
    assert laplacian.result_dtype(np.empty((3, 3), "float32")) == np.float64
    assert forward_diff.result_dtype(np.empty(3, "int32")) == np.int64


def test_compile_error_names_the_stencil():
    @gpuscale.stencil
    def broken(a):
        return a[0].no_such_attribute

    with pytest.raises(KernelCompileError, match="broken"):
        broken.result_dtype(np.empty(3))


def test_wrong_number_of_arguments():
    with pytest.raises(TypeError, match="takes 1 arguments"):
        laplacian(np.ones((3, 3)), np.ones((3, 3)))


def test_mixed_index_lengths_are_refused():
    @gpuscale.stencil
    def mixed(a):
        return a[0] + a[0, 1]

    with pytest.raises(KernelTypeError, match="same number of indices"):
        mixed.source


@settings(max_examples=20, deadline=None)
@given(st.integers(1, 12), st.integers(1, 12))
def test_laplacian_any_shape(rows, cols):
    x = rng.random((rows, cols))
    np.testing.assert_allclose(laplacian(x), laplacian_numpy(np, x))


def test_a_series_is_refused_with_an_alternative_that_works():
    import pandas as pd

    import gpuscale.dataframe as gd

    s = gd.from_pandas(pd.Series(np.arange(10.0) ** 2), npartitions=3, backend="cpu")
    with pytest.raises(KernelTypeError, match=r"series\.to_dask_array\(lengths=True\)"):
        forward_diff(s)
    expected = forward_diff(gpuscale.array.asarray(s.compute().to_numpy())).compute()
    np.testing.assert_array_equal(forward_diff(s.to_dask_array(lengths=True)).compute(), expected)
    np.testing.assert_array_equal(forward_diff(s.values).compute(), expected)
