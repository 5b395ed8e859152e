"""The creation functions take dask.array's (and NumPy's) arguments: ``dtype`` and ``order`` by position,
``order=``, ``name=`` and the ``_like`` functions' ``shape=``; values, dtypes and blocks as dask's."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


@pytest.mark.parametrize("func", ["zeros", "ones", "empty"])
@pytest.mark.parametrize("order", ["C", "F"])
def test_positional_dtype_and_order(func, order):
    ours = getattr(ga, func)((6, 4), "float32", order, chunks=(4, 2))
    theirs = getattr(da, func)((6, 4), dtype="float32", order=order, chunks=(4, 2))
    assert ours.dtype == theirs.dtype == np.float32 and ours.chunks == theirs.chunks
    if func != "empty":
        assert_same(ours, getattr(np, func)((6, 4), "float32", order))


def test_full_with_dtype_order_and_name():
    ours = ga.full((3, 5), 7, "int16", "F", chunks=2, name="seven")
    assert ours.dtype == np.int16 and ours.chunks == da.full((3, 5), 7, "int16", "F", chunks=2).chunks
    assert_same(ours, np.full((3, 5), 7, "int16"))


@pytest.mark.parametrize("func", ["zeros_like", "ones_like", "empty_like", "full_like"])
def test_like_functions_take_shape_dtype_and_order(func):
    x = ga.ones((4, 6), chunks=(2, 3))
    args = (5,) if func == "full_like" else ()
    reshaped = getattr(ga, func)(x, *args, shape=(3, 7))
    theirs = getattr(da, func)(da.ones((4, 6), chunks=(2, 3)), *args, shape=(3, 7))
    assert reshaped.shape == (3, 7) and reshaped.chunks == theirs.chunks
    same = getattr(ga, func)(x, *args, dtype="float32", order="F")
    assert same.chunks == x.chunks and same.dtype == np.float32
    if func != "empty_like":
        assert_same(same, getattr(np, func)(np.ones((4, 6)), *args, dtype="float32"))


def test_bad_order_names_the_option():
    with pytest.raises(ValueError, match="order must be one of"):
        ga.zeros(3, order="Z")
    with pytest.raises(ValueError, match="order must be one of"):
        ga.ones_like(ga.zeros(3), order="Z")


def test_from_array_takes_dasks_options():
    data = np.arange(12).reshape(3, 4)
    x = ga.from_array(data, (2, 2), name="mine", lock=True, asarray=False, fancy=False, inline_array=True)
    assert x.chunks == da.from_array(data, (2, 2)).chunks
    assert_same(x, data)
    assert_same(ga.from_array([1, 2, 3]), np.array([1, 2, 3]))


def test_from_array_names_as_dask():
    data = np.arange(6)
    assert ga.from_array(data, name=False).name != ga.from_array(data, name=False).name  # a new name each call
    assert ga.from_array(data).name == ga.from_array(data.copy()).name  # the data's fingerprint
    assert ga.from_array(data, name="a").name != ga.from_array(data, name="b").name


def test_meta_is_an_empty_block_as_dask():
    x = ga.ones((3, 4), dtype="float32", chunks=2)
    theirs = da.ones((3, 4), dtype="float32", chunks=2)._meta
    assert x._meta.shape == theirs.shape == (0, 0) and str(x._meta.dtype).endswith(str(theirs.dtype))
    assert type(x._meta).__module__.split(".")[0] == type(compute_block(x)).__module__.split(".")[0]


def compute_block(x):
    return x.blocks[(0,) * x.ndim].compute()
