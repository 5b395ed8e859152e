"""gpuscale.array.ma: masked arrays block by block, compared with numpy.ma and dask.array.ma."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga
from array_helpers import assert_same_masked


@pytest.fixture(autouse=True)
def backend():
    """Masked arrays are NumPy's: this module runs on NumPy chunks only (the suite's other libraries are
    checked to be refused below)."""
    with gpuscale.config.set(backend="numpy", scheduler="sync"):
        yield "numpy"


def _same(result, expected):
    assert_same_masked(result, expected)


@pytest.fixture
def data():
    return (np.random.default_rng(3).random((11, 9)) * 10).astype("f8")


@pytest.mark.parametrize("name", ["masked_greater", "masked_greater_equal", "masked_less", "masked_less_equal",
                                  "masked_not_equal", "masked_equal"])
def test_comparisons_match_numpy_and_dask(data, name):
    data = np.round(data)
    expected = getattr(np.ma, name)(data, 5)
    result = getattr(ga.ma, name)(ga.from_array(data, chunks=4), 5).compute()
    _same(result, expected)
    _same(result, getattr(da.ma, name)(da.from_array(data, chunks=4), 5).compute())


def test_comparison_broadcasts_an_array_value(data):
    row = data[0]
    result = ga.ma.masked_greater(ga.from_array(data, chunks=4), ga.from_array(row, chunks=5)).compute()
    _same(result, np.ma.masked_greater(data, row))


@pytest.mark.parametrize("reduction", ["sum", "prod", "mean", "var", "std", "min", "max", "any", "all",
                                       "argmin", "argmax"])
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_reductions_skip_masked_elements(data, reduction, axis):
    expected = getattr(np, reduction)(np.ma.masked_greater(data, 5), axis=axis)
    masked = ga.ma.masked_greater(ga.from_array(data, chunks=(4, 4)), 5)
    _same(getattr(ga, reduction)(masked, axis=axis).compute(), expected)


@pytest.mark.parametrize("reduction", ["sum", "mean", "var", "min", "max"])
def test_reduction_of_only_masked_elements_is_masked(reduction):
    x = np.ma.masked_array([1.0, 2.0, 3.0], mask=True)
    result = getattr(ga, reduction)(ga.from_array(x, chunks=2)).compute()
    assert result is getattr(np, reduction)(x) is np.ma.masked
    assert getattr(da, reduction)(da.from_array(x, chunks=2, asarray=False)).compute() is np.ma.masked


@pytest.mark.parametrize("kind", ["cumsum", "cumprod"])
def test_cumulative_carries_totals_past_masked_block_ends(kind):
    x = np.random.default_rng(0).random((20, 7))
    expected = getattr(np.ma.masked_greater(x, 0.4), kind)(axis=0)
    result = getattr(ga.ma.masked_greater(ga.from_array(x, chunks=(6, 3)), 0.4), kind)(axis=0).compute()
    _same(result, expected)
    np.testing.assert_allclose(result.data, expected.data)  # the totals under the mask too, as NumPy


def test_compute_of_many_blocks_is_masked_when_one_block_is():
    y = ga.ma.masked_equal(ga.from_array(np.arange(20.0).reshape(4, 5), chunks=2), 3)
    z = ga.concatenate([ga.zeros((4, 1), chunks=2), y], axis=1).compute()
    assert isinstance(z, np.ma.MaskedArray)
    assert z.mask.sum() == 1 and z.mask[0, 4]


def test_products_count_masked_elements_as_zero():
    rng = np.random.default_rng(5)
    x, y = rng.random((4, 6)), rng.random((6, 3))
    mx = np.ma.masked_greater(x, 0.6)
    dx = ga.ma.masked_greater(ga.from_array(x, chunks=(2, 2)), 0.6)
    _same((dx @ ga.from_array(y, chunks=(2, 3))).compute(), np.ma.dot(mx, y))
    _same(ga.tensordot(dx, y, axes=1).compute(), np.ma.dot(mx, y))


def test_from_array_keeps_masks_and_names_differ_by_mask():
    a = np.ma.masked_array([1, 2, 3], mask=[True, False, False])
    b = np.ma.masked_array([1, 2, 3], mask=[False, False, True])
    ga_a, ga_b = ga.from_array(a, chunks=2), ga.from_array(b, chunks=2)
    assert ga_a.name != ga_b.name  # equal data, other masks: not the same array
    _same(ga_a.compute(), a)
    _same(ga_b.compute(), b)
    _same((ga.from_array(np.arange(3), chunks=2) + a).compute(), np.arange(3) + a)


def test_masked_array_and_accessors():
    data = np.arange(12.0).reshape(3, 4)
    mask = data % 3 == 0
    m = ga.ma.masked_array(data, mask=mask, fill_value=-1, chunks=2)
    expected = np.ma.masked_array(data, mask=mask, fill_value=-1)
    _same(m.compute(), expected)
    assert m.compute().fill_value == -1
    np.testing.assert_array_equal(ga.ma.getmaskarray(m).compute(), mask)
    np.testing.assert_array_equal(ga.ma.getdata(m).compute(), data)
    np.testing.assert_array_equal(ga.ma.filled(m).compute(), np.ma.filled(expected))
    assert ga.ma.count(m, axis=0).compute().tolist() == np.ma.count(expected, axis=0).tolist()
    with pytest.raises(np.ma.MaskError):
        ga.ma.masked_array(data, mask=mask[:2])
    with pytest.raises(ValueError, match="scalar"):
        ga.ma.masked_array(data, fill_value=np.arange(2))


def test_set_fill_value_checks_the_dtype():
    x = np.arange(6)
    m = ga.ma.masked_greater(ga.from_array(x, chunks=4), 3)
    ga.ma.set_fill_value(m, -10)
    np.testing.assert_array_equal(ga.ma.filled(m).compute(), np.ma.filled(np.ma.masked_greater(x, 3), -10))
    with pytest.raises(TypeError):
        ga.ma.set_fill_value(m, 1e20)


def test_average_weights_only_unmasked_elements():
    data = np.arange(6.0).reshape(3, 2)
    mask = np.array([[True, False], [False, False], [False, True]])
    weights = np.array([0.25, 0.75])
    m = ga.ma.masked_array(data, mask=mask, chunks=2)
    result = ga.ma.average(m, axis=1, weights=ga.from_array(weights)).compute()
    _same(result, np.ma.average(np.ma.array(data, mask=mask), axis=1, weights=weights))


def test_where_and_nonzero_keep_masks():
    x = np.arange(12).reshape(3, 4)
    mask = x % 5 == 0
    mx = np.ma.array(x, mask=mask)
    m = ga.ma.masked_array(x, mask=mask, chunks=2)
    _same(ga.ma.where(m > 4, m, -1).compute(), np.ma.where(mx > 4, mx, -1))
    for got, want in zip(ga.ma.nonzero(m), np.ma.nonzero(mx)):
        np.testing.assert_array_equal(got.compute(), want)


@pytest.mark.parametrize("library", ["array_api_strict", pytest.param("cupy", marks=pytest.mark.gpu)])
def test_other_chunk_libraries_are_refused(library):
    x = ga.asarray([1.0, 2.0], backend=library)
    with pytest.raises(TypeError, match=f"{library} has no masked arrays"):
        ga.ma.masked_greater(x, 1.0)
    with pytest.raises(TypeError, match="no masked arrays"):
        ga.ma.masked_array(x, mask=[True, False])


def test_setitem_keeps_and_makes_masks():
    x = np.ma.arange(60).reshape((6, 10))
    x[0, 0] = np.ma.masked
    dx = ga.from_array(x, chunks=(2, 3))
    dx[[4, 3, 1]] = -1  # an in-memory index: the where path
    dx[:, 2] = np.ma.masked  # a masked value into masked blocks
    x[[4, 3, 1]] = -1
    x[:, 2] = np.ma.masked
    _same(dx.compute(), x)

    plain = np.arange(60).reshape((6, 10))
    dp = ga.from_array(plain, chunks=(2, 3))
    dp[1, 1:7:2] = np.ma.masked  # masking elements of plain blocks makes them masked
    expected = np.ma.masked_array(plain.copy())
    expected[1, 1:7:2] = np.ma.masked
    _same(dp.compute(), expected)


def test_setitem_masked_into_a_hard_mask():
    x = np.ma.array([1, 2, 3, 4], dtype=int)
    x.harden_mask()
    dx = ga.from_array(x.copy(), chunks=2)
    dx[0] = np.ma.masked
    dx[0:2] = np.ma.masked
    x[0:2] = np.ma.masked
    _same(dx.compute(), x)


def test_broadcast_to_and_where_keep_masks():
    m = np.ma.masked_array([1.0, 2.0, 3.0], mask=[False, True, False])
    dm = ga.from_array(m, chunks=2)
    _same(ga.broadcast_to(dm, (2, 3)).compute(), np.ma.masked_array(np.broadcast_to(m.data, (2, 3)),
                                                                       mask=np.broadcast_to(m.mask, (2, 3))))
    _same(ga.where(dm > 1, dm, 0.0).compute(), np.ma.where(m > 1, m, 0.0))


def test_gathers_joins_and_clips_keep_masks():
    arr = np.ma.array(np.arange(8), mask=[0, 0, 1, 0, 0, 1, 0, 1])
    d = ga.from_array(arr, chunks=4)
    _same(d[[2, 6]].compute(), arr[[2, 6]])  # points gathered from several blocks
    _same(ga.clip(d, 2, 5).compute(), np.ma.clip(arr, 2, 5))
    _same(ga.stack([d, d]).compute(), np.ma.stack([arr, arr]))
    _same(ga.concat([d, d], axis=None).compute(), np.ma.concatenate([arr, arr]))


@pytest.mark.parametrize("library", ["array_api_strict", pytest.param("cupy", marks=pytest.mark.gpu)])
def test_masked_data_does_not_move_to_libraries_without_masks(library):
    m = np.ma.masked_array([1.0, 2.0], mask=[True, False])
    with pytest.raises(TypeError, match=f"{library} has no masked arrays"):
        ga.asarray(m, backend=library)
    with pytest.raises(TypeError, match=f"{library} has no masked arrays"):
        ga.from_array(m, chunks=1).to_backend(library).compute()


@pytest.mark.parametrize("make", [lambda m, a: m.ma.masked_equal(a, 0), lambda m, a: m.ma.masked_equal(a, 0) + 1,
                                  lambda m, a: m.ma.masked_equal(a, 0).sum(axis=0),
                                  lambda m, a: m.ma.filled(m.ma.masked_equal(a, 0)),
                                  lambda m, a: m.ma.getmaskarray(m.ma.masked_equal(a, 0)),
                                  lambda m, a: a * 2])
def test_meta_is_masked_where_dask_says_so(make):
    data = np.arange(12.0).reshape(3, 4)
    ours = make(ga, ga.from_array(data, chunks=2))
    theirs = make(da, da.from_array(data, chunks=2))
    assert type(ours._meta) is type(theirs._meta)
