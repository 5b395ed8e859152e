"""Creation and manipulation edges found by fuzzing against NumPy: each result (or error) is NumPy's."""

from __future__ import annotations


import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


@pytest.mark.parametrize("value", [np.float32(2.5), np.int8(3), np.uint8(2), np.complex64(1 + 2j), np.float16(1.5)])
def test_full_keeps_numpy_scalar_dtype(backend: str, value: object) -> None:
    if backend == "array_api_strict" and value.dtype == np.float16:
        pytest.skip("the Array API has no float16")
    # a NumPy scalar fill value gives its own dtype (it was widened to the Python type's 64-bit dtype)
    assert_same(ga.full((2, 3), value, chunks=2), np.full((2, 3), value))
    assert_same(ga.full_like(ga.arange(3), value), np.full_like(np.arange(3), value))
    assert_same(ga.full_like(ga.arange(3), value, shape=(4,)), np.full_like(np.arange(3), value, shape=(4,)))


@pytest.mark.parametrize("data", [[np.float32(1), np.float32(2)], [[np.float32(0.5)]], [1.5, 2.0], [1, 2.5]])
def test_asarray_keeps_numpy_scalar_float_dtype(data: list) -> None:
    # a list of NumPy float32 scalars is float32, as NumPy (it was cast to float64); Python floats stay float64
    assert_same(ga.asarray(data), np.asarray(data))


def test_asarray_float16_scalars_on_numpy(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("the Array API has no float16")
    assert_same(ga.asarray([np.float16(1)]), np.asarray([np.float16(1)]))


@pytest.mark.parametrize("args, dtype", [
    ((2**63, 2**63 + 3), np.uint64), ((2**63 + 2, 2**63 - 1, -1), np.uint64), ((2**64 - 3, 2**64), np.uint64),
    ((5, 0, -2), np.uint8), ((250, 260), np.uint8), ((0, 300, 100), np.int8), ((-5, 5, 3), np.int16),
    ((2**63, 2**63 + 3), None), ((0, 2**63 + 3, 2**62), None), ((np.uint8(3), 13), None), ((0, 7), None),
])
def test_arange_integers_beyond_int64(args: tuple, dtype: object) -> None:
    # integer values are exact in the dtype (a start beyond int64 overflowed at compute); dtype=None is NumPy's
    assert_same(ga.arange(*args, dtype=dtype, chunks=2), np.arange(*args, dtype=dtype))


def test_arange_huge_ints_are_objects(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("object arrays are NumPy's only")
    assert_same(ga.arange(2**64 + 1, 2**64 + 4, chunks=2), np.arange(2**64 + 1, 2**64 + 4))


@pytest.mark.parametrize("args, dtype", [((-1, 3), np.uint8), ((255, 257), np.uint8), ((300, 303), np.int8)])
def test_arange_first_values_out_of_range(args: tuple, dtype: object) -> None:
    with pytest.raises(OverflowError) as expected:
        np.arange(*args, dtype=dtype)
    with pytest.raises(OverflowError, match=str(expected.value)):
        ga.arange(*args, dtype=dtype)


@pytest.mark.parametrize("value", [300, -129, np.int64(300), 1e10, 2**70, [[300, 1]]])
def test_pad_constant_out_of_range(value: object) -> None:
    # NumPy's OverflowError (it silently wrapped: 300 padded int8 with 44)
    x = np.array([1, 2], dtype=np.int8)
    with pytest.raises(OverflowError) as expected:
        np.pad(x, 1, constant_values=value)
    with pytest.raises(OverflowError, match=str(expected.value)):
        ga.pad(ga.asarray(x), 1, constant_values=value).compute()


@pytest.mark.parametrize("value", [7, 1.5, np.float32(2.5), np.array(3), True, -1])
def test_pad_constant_in_range(value: object) -> None:
    x = np.array([1, 2], dtype=np.int8)
    assert_same(ga.pad(ga.asarray(x), 1, constant_values=value), np.pad(x, 1, constant_values=value))


@pytest.mark.parametrize("name", ["diagonal", "trace"])
@pytest.mark.parametrize("shape, axes", [((3, 3), (1, 1)), ((3, 3), (0, -2)), ((3, 3), (0, 5)), ((3, 3), (-3, 0)),
                                         ((3,), (0, 1)), ((2, 3, 3), (2, -1))])
def test_diagonal_axes_errors(name: str, shape: tuple, axes: tuple) -> None:
    # NumPy's error and text (the same axis twice raised moveaxis' "repeated axis in `source` argument")
    with pytest.raises(ValueError) as expected:
        getattr(np, name)(np.ones(shape), 0, *axes)
    with pytest.raises(type(expected.value), match=f"^{expected.value}$"):
        getattr(ga, name)(ga.ones(shape), 0, *axes)


def test_diagonal_negative_axes() -> None:
    a = np.arange(24.0).reshape(2, 3, 4)
    assert_same(ga.diagonal(ga.asarray(a), 1, -1, 0), np.diagonal(a, 1, -1, 0))
    assert_same(ga.trace(ga.asarray(a), 0, np.int64(2), 1), np.trace(a, 0, np.int64(2), 1))


@pytest.mark.parametrize("axis", [0, -1, None])
@pytest.mark.parametrize("repeats", [3, 0, [2]])
def test_repeat_zero_d(axis: object, repeats: object) -> None:
    # a 0-d array repeats as one element along axis 0, as NumPy (it raised "not enough values to unpack")
    assert_same(ga.repeat(ga.asarray(3), repeats, axis=axis), np.repeat(np.array(3), repeats, axis=axis))


@pytest.mark.parametrize("axis", [1, -2])
def test_repeat_zero_d_bad_axis(axis: int) -> None:
    with pytest.raises(np.exceptions.AxisError, match=f"axis {axis} is out of bounds for array of dimension 1"):
        ga.repeat(ga.asarray(3), 3, axis=axis)


@pytest.mark.parametrize("shift, axis", [((1, 2), (0, 1)), (1, (0, 1)), ((1, 2), (1, 1)), (2, (1, 1)),
                                         ((np.int64(1), 5), (0, -1)), (np.int64(2), np.int64(1)),
                                         ((1, 1), (np.int64(0), 1))])
def test_roll_broadcasts_shift_and_axis(shift: object, axis: object) -> None:
    # one shift for every axis, or one per axis; shifts of one axis add up, as NumPy
    a = np.arange(6).reshape(2, 3)
    assert_same(ga.roll(ga.asarray(a, chunks=1), shift, axis=axis), np.roll(a, shift, axis=axis))


@pytest.mark.parametrize("shift, axis", [((1, 2, 3), (0, 1)), ((1, 2), 1), ((1,), (0, 1)), (np.array([1, 2]), 1)])
def test_roll_shift_axis_mismatch(shift: object, axis: object) -> None:
    # a tuple of shifts takes as many axes: the Array API's rule and dask's (NumPy would broadcast (1, 2) on one axis)
    with pytest.raises(ValueError, match="same length"):
        ga.roll(ga.asarray(np.arange(6).reshape(2, 3)), shift, axis=axis)


@pytest.mark.parametrize("ends", [(np.float32(0), np.float32(1)), (np.float32(0), 1), (0, 1), (np.int8(0), 5),
                                  (np.complex64(0), 1), (np.float32(0), 1j), (np.array(0, np.float32), 2),
                                  (np.float32(0), np.float64(1)), (np.float16(0), 2)])
def test_linspace_dtype_of_end_points(backend: str, ends: tuple) -> None:
    # NumPy's result_type(start, stop, float(num)): float32 end points give float32 (they gave float64)
    if backend == "array_api_strict" and np.float16 in [np.asarray(v).dtype for v in ends]:
        pytest.skip("the Array API has no float16")
    assert_same(ga.linspace(*ends, 7, chunks=3), np.linspace(*ends, 7))


def test_linspace_dtype_of_lazy_end_points() -> None:
    lo, hi = ga.asarray(np.float32(0.5)), ga.asarray(np.float32(2))
    assert_same(ga.linspace(lo, hi, 5, chunks=2), np.linspace(np.float32(0.5), np.float32(2), 5))
    assert_same(ga.linspace(lo, 3, 5, chunks=2), np.linspace(np.float32(0.5), 3, 5))
