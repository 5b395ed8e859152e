"""``register_chunk_type`` (dask.array's): a registered array-like meeting a gpuscale array in an operator, a
NumPy ufunc or a NumPy function is taken in as data (the result a gpuscale array with NumPy's values), as dask
takes it in; ``np.array(..., like=x)`` of a gpuscale ``x`` is a gpuscale array, as dask's."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
DATA = np.arange(12.0).reshape(3, 4)


class Encapsulated(np.lib.mixins.NDArrayOperatorsMixin):
    """An ndarray behind NumPy's protocols (a "downcast" type once registered)."""

    __array_priority__ = 20

    def __init__(self, arr):
        self.arr = arr

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.arr, dtype=dtype)

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if not all(isinstance(i, (type(self), np.ndarray) + np.ScalarType) for i in inputs):
            return NotImplemented
        inputs = tuple(i.arr if isinstance(i, type(self)) else i for i in inputs)
        return type(self)(getattr(ufunc, method)(*inputs, **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        if not all(issubclass(t, (type(self), np.ndarray)) for t in types):
            return NotImplemented
        args = tuple(a.arr if isinstance(a, type(self)) else a for a in args)
        return type(self)(func(*args, **kwargs))


ga.register_chunk_type(Encapsulated)
da.register_chunk_type(Encapsulated)


@pytest.mark.parametrize("op", [
    lambda x, y: x + y, lambda x, y: y - x, lambda x, y: x * y, lambda x, y: y >= x, np.add, np.equal,
    lambda x, y: np.stack([x, y]), lambda x, y: np.concatenate([y, x]), lambda x, y: np.where(x > 3, x, y),
])
def test_a_registered_type_is_taken_in_as_data(op):
    other = Encapsulated(DATA[::-1] * 2)
    ours = op(ga.from_array(DATA, chunks=2), other)
    assert isinstance(ours, ga.Array)
    assert isinstance(op(da.from_array(DATA, chunks=-1), other), da.Array)  # dask's type too
    np.testing.assert_array_equal(compute(ours), op(DATA, DATA[::-1] * 2))  # NumPy's values


def test_matmul_and_dot_with_a_registered_type():
    other = Encapsulated(DATA.T.copy())
    x = ga.from_array(DATA, chunks=2)
    for op in (np.matmul, np.dot, lambda a, b: a @ b):
        assert isinstance(op(x, other), ga.Array) and isinstance(op(other.arr.T, x.T), ga.Array)
        np.testing.assert_allclose(compute(op(x, other)), DATA @ DATA.T)


def test_other_objects_are_still_refused():
    with pytest.raises(TypeError):
        ga.from_array(DATA, chunks=2) + object()
    assert ga.Array.__add__(ga.ones(3), object()) is NotImplemented


@pytest.mark.parametrize("func", [np.array, np.asarray, np.asanyarray])
def test_numpy_creation_with_like_a_gpuscale_array(func):
    like = ga.asarray(np.int16(0))
    for value, dtype in [(1, None), (1.5, np.int32), ([[1, 2], [3, 4]], "f4"), (np.arange(3), None)]:
        ours = func(value, dtype=dtype, like=like)
        assert isinstance(ours, ga.Array)
        expected = func(value, dtype=dtype)
        assert ours.dtype == expected.dtype
        np.testing.assert_array_equal(compute(ours), expected)
    with pytest.warns(FutureWarning, match="ndmin"):  # ndmin= is not gpuscale's: NumPy's own, with a warning
        assert np.array([1], ndmin=2, like=like).shape == (1, 1)


@pytest.mark.parametrize("value", [Encapsulated(DATA), np.ma.masked_array(DATA, DATA > 5), DATA, None, 0.0, 0, "",
                                   np.float64(1.0), ga.asarray(DATA)])
def test_valid_chunks_and_chunk_types_are_dasks(value):
    from dask.array.chunk_types import is_valid_array_chunk, is_valid_chunk_type

    from gpuscale.array.chunk_types import is_valid_array_chunk as ours, is_valid_chunk_type as ours_type

    theirs = False if isinstance(value, ga.Array) else is_valid_array_chunk(value)  # dask's own arrays: False
    assert ours(value) is theirs
    if value is not None:
        assert ours_type(type(value)) is (False if isinstance(value, ga.Array) else is_valid_chunk_type(type(value)))
