"""digitize of complex input and gradient of bool input are refused at build with NumPy's TypeError (they
computed values: complex numbers have no order, booleans no subtraction)."""

from __future__ import annotations

import numpy as np
import pytest
from array_helpers import assert_same

import gpuscale.array as ga


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_digitize_of_complex_raises_type_error(dtype):
    x = np.array([1 + 2j, 3 - 1j, 0.5]).astype(dtype)
    with pytest.raises(TypeError, match="complex"):
        np.digitize(x, [0, 1])
    with pytest.raises(TypeError, match="x may not be complex"):
        ga.digitize(ga.from_array(x, chunks=1), [0, 1])


def test_digitize_of_real_input_still_matches_numpy():
    x = np.array([0.2, 1.0, 2.5, 7.0, -1.0])
    assert_same(ga.digitize(ga.from_array(x, chunks=2), [0, 1, 2, 5]), np.digitize(x, [0, 1, 2, 5]))


@pytest.mark.parametrize("shape, axis", [((3,), None), ((3, 4), 0), ((3, 4), None)])
def test_gradient_of_bool_raises_type_error(shape, axis):
    b = (np.arange(np.prod(shape)) % 2 == 0).reshape(shape)
    with pytest.raises(TypeError, match="boolean subtract"):
        np.gradient(b, axis=axis)
    with pytest.raises(TypeError, match="boolean subtract"):
        ga.gradient(ga.from_array(b, chunks=2), axis=axis)


def test_gradient_of_bool_as_int_matches_numpy():
    b = np.array([True, False, True, True])
    assert_same(ga.gradient(ga.from_array(b, chunks=2).astype("int8")), np.gradient(b.astype("int8")))
