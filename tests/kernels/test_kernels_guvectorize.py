"""gpuscale.guvectorize on NumPy inputs: the CPU form against NumPy results."""

import numpy as np
import pandas as pd
import pytest

import gpuscale
from gpuscale.kernels import KernelCompileError, KernelTypeError
from gpuscale.kernels.gufunc import Layout
from tests.kernels.kernels_fixtures import demean, weighted_score

rng = np.random.default_rng(2)


def test_row_dot_matches_matmul():
    x, w = rng.random((20, 4)), rng.random(4)
    np.testing.assert_allclose(weighted_score(x, w), x @ w)


def test_same_shape_output():
    x = rng.random((6, 5))
    np.testing.assert_allclose(demean(x), x - x.mean(axis=1, keepdims=True))


def test_result_meta_picks_signature_by_safe_casting():
    assert weighted_score.result_meta(np.empty((0, 3), "float32"), np.empty(3, "float32")) == [(np.float32, ())]
    assert weighted_score.result_meta(np.empty((0, 3), "int64"), np.empty(3)) == [(np.float64, ())]
    assert demean.result_meta(np.empty((2, 7))) == [(np.float64, (7,))]


def test_no_matching_signature():
    with pytest.raises(KernelTypeError, match="no signature"):
        weighted_score.result_meta(np.empty((1, 3), "complex128"), np.empty(3))


def test_core_dimension_mismatch():
    with pytest.raises(KernelTypeError, match="core dimension 'n'"):
        weighted_score.result_meta(np.empty((2, 3)), np.empty(4))


def test_layout_parsing():
    layout = Layout.parse("(n),(n)->()")
    assert layout.inputs == (("n",), ("n",)) and layout.outputs == ((),)
    assert layout.loop_shape([(5, 3), (3,)]) == (5,)
    with pytest.raises(KernelTypeError, match=r"invalid gufunc layout '\(n\)->\(m\)'"):
        Layout.parse("(n)->(m)")


def test_compile_error_at_first_use():
    @gpuscale.guvectorize("void(float64[:], float64[:])", "(n)->()")
    def broken(x, out):
        out[0] = x.no_such_attribute

    with pytest.raises(KernelCompileError, match="broken"):
        broken.result_meta(np.empty((1, 2)))


def test_series_argument_keeps_the_index():
    s = pd.Series([1.0, 2.0, 3.0], index=[7, 8, 9], name="x")

    @gpuscale.guvectorize("void(float64, float64[:])", "()->()")
    def square(x, out):
        out[0] = x * x

    pd.testing.assert_series_equal(square(s), pd.Series([1.0, 4.0, 9.0], index=[7, 8, 9], name="x"))
