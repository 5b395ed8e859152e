"""gpuscale.array.ma: masked arrays found by fuzzing against numpy.ma and dask.array.ma."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga
from array_helpers import assert_same_masked


@pytest.fixture(autouse=True)
def backend():
    """Masked arrays are NumPy's (array-api-strict and CuPy have none): NumPy chunks only."""
    with gpuscale.config.set(backend="numpy", scheduler="sync"):
        yield "numpy"


def _same(result, expected):
    assert_same_masked(result, expected, fill_value=True)


@pytest.mark.parametrize("dtype", ["int8", "int16", "uint8", "uint16"])
def test_small_integer_masked_arrays_compute_across_chunks(dtype):
    # NumPy's default fill value of these dtypes (999999) does not fit them: it is not carried
    m = np.ma.masked_array(np.arange(4, dtype=dtype), mask=[1, 0, 0, 0])
    x = ga.from_array(m, chunks=2)
    _same(x.compute(), m)
    _same(ga.ma.masked_greater(ga.arange(4, chunks=2, dtype=dtype), 2).compute(), np.ma.masked_greater(m.data, 2))
    _same(x.min().compute(), m.min())
    _same(x.max().compute(), m.max())
    _same(x.rechunk(3).compute(), m)
    _same(ga.concatenate([x, x]).compute(), np.ma.concatenate([m, m]))
    _same(ga.broadcast_to(x, (2, 4)).compute(), np.ma.masked_array(np.broadcast_to(m.data, (2, 4)),
                                                                     mask=np.broadcast_to(m.mask, (2, 4))))


def test_small_integer_explicit_fill_value_is_kept():
    m = np.ma.masked_array(np.arange(4, dtype="int16"), mask=[1, 0, 0, 0], fill_value=-3)
    _same(ga.from_array(m, chunks=2).compute(), m)


@pytest.mark.filterwarnings("ignore:Warning. 'partition' will ignore the 'mask':UserWarning")
@pytest.mark.parametrize("func", [lambda x: np.median(x, axis=0), lambda x: np.median(x, axis=1, keepdims=True),
                                  lambda x: np.quantile(x, [0.2, 0.5], axis=0),
                                  lambda x: np.percentile(x, 50, axis=0)])
def test_order_statistics_keep_numpys_mask(func):
    m = np.ma.masked_array([[1., 2, 3], [100, 5, 6], [7, 8, 9]], mask=[[0, 0, 0], [1, 0, 0], [0, 0, 0]])
    _same(func(ga.from_array(m, chunks=2)).compute(), func(m))


@pytest.mark.parametrize("reduction", ["var", "std"])
@pytest.mark.parametrize("ddof", [1, 2, 3])
@pytest.mark.parametrize("chunks", [1, 2, 3])
def test_masked_var_without_degrees_of_freedom_is_masked(reduction, ddof, chunks):
    # NumPy's masked var along an axis masks where count - ddof <= 0 (it was negative for ddof > count)
    m = np.ma.masked_array([[1., 2., 4.], [4., 5., 6.]], mask=[[0, 0, 1], [0, 0, 0]])
    expected = getattr(m, reduction)(axis=1, ddof=ddof)
    _same(getattr(ga.from_array(m, chunks=chunks), reduction)(axis=1, ddof=ddof).compute(), expected)


@pytest.mark.parametrize("name", ["nanargmin", "nanargmax"])
@pytest.mark.parametrize("chunks", [1, 2])
def test_nanarg_of_a_fully_masked_lane_is_position_zero(name, chunks):
    # a masked lane holds no NaN: NumPy's (and dask's) position 0, not "All-NaN slice encountered"
    m = np.ma.masked_array([[1., 2.], [3., 4.], [np.nan, 5.]], mask=[[1, 1], [0, 1], [0, 0]])
    result = getattr(ga, name)(ga.from_array(m, chunks=chunks), axis=1).compute()
    np.testing.assert_array_equal(result, getattr(np, name)(m, axis=1))


def test_nanarg_of_an_unmasked_all_nan_lane_still_raises():
    m = np.ma.masked_array([[np.nan, 2.], [3., 4.]], mask=[[0, 1], [0, 0]])
    with pytest.raises(ValueError, match="All-NaN slice"):
        np.nanargmin(m, axis=1)
    with pytest.raises(ValueError, match="All-NaN slice"):
        ga.nanargmin(ga.from_array(m, chunks=1), axis=1).compute()


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("chunks", [1, 2, 4])
def test_full_masked_mean_keeps_an_unmasked_nan(bad, chunks):
    # NumPy's masked mean of all elements is the plain quotient (nan, inf), not masked
    m = np.ma.masked_array([1., bad, 3., 4.], mask=[0, 0, 1, 0])
    x = ga.from_array(m, chunks=chunks)
    _same(x.mean().compute(), m.mean())
    _same(ga.ma.average(x).compute(), np.ma.average(m))
    _same(x.mean(keepdims=True).compute(), m.mean(keepdims=True))  # (an array: NumPy masks it)
    assert ga.from_array(np.ma.masked_array(m.data, mask=True), chunks=chunks).mean().compute() is np.ma.masked


def test_masked_mean_along_an_axis_still_masks_nan():
    m = np.ma.masked_array([[1., np.nan], [3., 4.]], mask=[[0, 0], [1, 0]])
    _same(ga.from_array(m, chunks=1).mean(axis=0).compute(), m.mean(axis=0))


@pytest.mark.parametrize("options", [{"mask": [1, 0, 0, 0], "keep_mask": False}, {"mask": [1, 0, 0, 0]},
                                     {"keep_mask": False}, {"copy": True}, {"hard_mask": True},
                                     {"hard_mask": False}])
@pytest.mark.parametrize("lazy", [False, True])
def test_masked_array_takes_numpys_mask_options(options, lazy):
    data = np.ma.masked_array(np.arange(4.), mask=[0, 1, 0, 0])
    expected = np.ma.masked_array(data, **options)
    x = ga.ma.masked_array(ga.from_array(data, chunks=2) if lazy else data, chunks=2, **options)
    _same(x.compute(), expected)
    assert x.blocks[0].compute().hardmask is expected.hardmask


def test_hard_mask_blocks_keep_masked_elements_on_assignment():
    x = ga.ma.masked_array(np.arange(4.), mask=[0, 1, 0, 0], chunks=2, hard_mask=True)
    x[1] = 5.0
    expected = np.ma.masked_array(np.arange(4.), mask=[0, 1, 0, 0], hard_mask=True)
    expected[1] = 5.0
    _same(x.compute(), expected)


@pytest.mark.parametrize("name", ["ones_like", "zeros_like", "empty_like"])
@pytest.mark.parametrize("dtype", [None, "i4", np.float32])
def test_masked_likes_take_a_dtype(name, dtype):
    data = np.ma.masked_array(np.arange(4.), mask=[0, 1, 0, 0])
    expected = getattr(np.ma, name)(data, dtype=dtype)
    x = getattr(ga.ma, name)(ga.from_array(data, chunks=2), dtype=dtype)
    result = x.compute()
    assert x.dtype == result.dtype == expected.dtype
    np.testing.assert_array_equal(np.ma.getmaskarray(result), np.ma.getmaskarray(expected))
    if name != "empty_like":
        np.testing.assert_array_equal(result.data, expected.data)


_CONDITION = [True, False, True, False, False, True]


@pytest.mark.parametrize("case", [
    lambda ma, x: ma.masked_where(_CONDITION, x),
    lambda ma, x: ma.masked_where(_CONDITION, [0., 1., 2., 3., 4., 5.]),
    lambda ma, x: ma.masked_greater(x, [1, 1, 1, 9, 9, 9]),
    lambda ma, x: ma.masked_less_equal(x, (1, 1, 1, 9, 9, 9)),
    lambda ma, x: ma.where(_CONDITION, x, 0),
    lambda ma, x: ma.where(x > 2, [9., 8., 7., 6., 5., 4.], x),
])
def test_list_operands_are_arrays_aligned_with_the_blocks(case):
    data = np.arange(6.)
    expected = case(np.ma, data)
    result = case(ga.ma, ga.from_array(data, chunks=4)).compute()
    np.testing.assert_array_equal(np.ma.getmaskarray(result), np.ma.getmaskarray(expected))
    np.testing.assert_array_equal(np.ma.filled(result, -1), np.ma.filled(expected, -1))


def test_masked_where_list_of_another_shape_is_numpys_error():
    with pytest.raises(IndexError, match="Inconsistent shape"):
        ga.ma.masked_where([True, False], ga.arange(6, chunks=4))


def _custom_fill():
    return np.ma.masked_array(np.arange(12.).reshape(3, 4), mask=[[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1]],
                              fill_value=-9.0)


@pytest.mark.parametrize("key", [([0, 2],), (slice(None), [3, 0]), ([True, False, True],), ([0, 2], [1, 3])])
def test_fancy_indexing_keeps_the_fill_value(key):
    m = _custom_fill()
    _same(ga.from_array(m, chunks=2)[key].compute(), m[key])


def test_lazy_index_keeps_the_fill_value():
    m = _custom_fill()
    index = ga.from_array(np.array([2, 0]), chunks=1)
    _same(ga.from_array(m, chunks=2)[index].compute(), m[[2, 0]])


@pytest.mark.parametrize("key", [lambda a: a > 2, lambda a: (slice(None), [0, 2]), lambda a: ([True, False, True],)])
def test_setitem_through_where_keeps_the_fill_value(key):
    m = _custom_fill()
    x = ga.from_array(m, chunks=2)
    x[key(x)] = 0.0
    expected = m.copy()
    expected[key(expected)] = 0.0
    _same(x.compute(), expected)


def test_set_fill_value_leaves_the_source_and_other_arrays_alone():
    m = _custom_fill()
    x = ga.from_array(m, chunks=2)
    y = x.copy()
    ga.ma.set_fill_value(y, 5.0)
    assert y.compute().fill_value == 5.0
    assert x.compute().fill_value == m.fill_value == -9.0


def test_to_zarr_of_masked_chunks_says_to_fill_them(tmp_path):
    pytest.importorskip("zarr")
    m = np.ma.masked_array(np.arange(4.), mask=[0, 1, 0, 0])
    with pytest.raises(TypeError, match=r"masked arrays.*ma\.filled"):
        ga.from_array(m, chunks=2).to_zarr(str(tmp_path / "a.zarr"))
    ga.ma.filled(ga.from_array(m, chunks=2), -1.0).to_zarr(str(tmp_path / "b.zarr"))
    np.testing.assert_array_equal(ga.from_zarr(str(tmp_path / "b.zarr")).compute(), np.ma.filled(m, -1.0))
