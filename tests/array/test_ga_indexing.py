"""Indexing: slices with steps, ints, None, ellipsis, integer and boolean arrays, setitem."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

DATA = np.arange(7 * 6 * 5).reshape(7, 6, 5)

KEYS = [
    0, -1, (slice(None), 2), (slice(1, 6, 2),), (slice(None, None, -1),), (slice(5, 0, -2), slice(None), 3),
    (Ellipsis, 1), (None, 2), (slice(2, 2),), (1, None, slice(1, 4), Ellipsis), (slice(-3, None), slice(None, -2)),
    (slice(10, 20),), (slice(None, None, 3), slice(None, None, -4)), (),
]


@pytest.mark.parametrize("key", KEYS, ids=repr)
def test_basic_indexing(key: object) -> None:
    x = ga.from_array(DATA, chunks=(3, 4, 2))
    assert_same(x[key], DATA[key])


def test_out_of_range_int_fails_at_build_time() -> None:
    x = ga.from_array(DATA, chunks=3)
    with pytest.raises(IndexError, match="out of bounds"):
        x[7]
    with pytest.raises(IndexError, match="too many indices"):
        x[0, 0, 0, 0]


def test_integer_array_indexing_and_take() -> None:
    x = ga.from_array(DATA, chunks=(3, 4, 2))
    idx = np.array([6, 0, 3, 3, -1])
    assert_same(x[ga.asarray(idx)], DATA[idx])
    assert_same(x[:, ga.asarray([1, 2])], DATA[:, [1, 2]])
    assert_same(ga.take(x, ga.asarray([4, 1]), axis=2), np.take(DATA, [4, 1], axis=2))
    assert_same(x[ga.asarray([0, 2]), ga.asarray([1, 5])], DATA[[0, 2], [1, 5]])


def test_take_along_axis() -> None:
    data = np.random.default_rng(0).normal(size=(5, 4))
    x = ga.from_array(data, chunks=2)
    order = ga.argsort(x, axis=1)
    assert_same(ga.take_along_axis(x, order, axis=1), np.take_along_axis(data, np.argsort(data, axis=1), axis=1))


def test_take_along_axis_of_the_flattened_array() -> None:
    """``axis=None``: along the flattened array, as NumPy (it failed with 'too many values to unpack')."""
    data = np.arange(12.0).reshape(3, 4)
    picks = np.array([11, 0, 5, 5])
    x = ga.from_array(data, chunks=2)
    assert_same(ga.take_along_axis(x, ga.asarray(picks, chunks=3), axis=None),
                np.take_along_axis(data, picks, axis=None))
    with pytest.raises(ValueError, match="single dimension"):
        ga.take_along_axis(x, ga.asarray(picks.reshape(2, 2)), axis=None)



@pytest.mark.parametrize("axis", [2, None])
def test_take_along_axis_with_numpy_indices(axis: object) -> None:
    # NumPy positions (broadcast, negative) are taken as ``take`` takes them ('ndarray' has no attribute 'backend')
    data = np.arange(24.).reshape(2, 3, 4)
    picks = np.array([[[0], [3], [-1]]]) if axis == 2 else np.array([23, 0, -1, 5])
    x = ga.from_array(data, chunks=(1, 2, 3))
    assert_same(ga.take_along_axis(x, picks, axis=axis), np.take_along_axis(data, picks, axis=axis))

def test_boolean_indexing_has_unknown_length() -> None:
    x = ga.from_array(DATA, chunks=(3, 4, 2))
    mask = x % 3 == 0
    out = x[mask]
    assert np.isnan(out.shape[0])
    np.testing.assert_array_equal(compute(out), DATA[DATA % 3 == 0])
    row_mask = ga.asarray(DATA[:, 0, 0] > 40)
    np.testing.assert_array_equal(compute(x[row_mask]), DATA[DATA[:, 0, 0] > 40])
    np.testing.assert_array_equal(compute(x[:, ga.asarray(DATA[0, :, 0] > 8)]), DATA[:, DATA[0, :, 0] > 8])


@pytest.mark.parametrize("key", [(1,), (slice(1, 6, 2), 2), (Ellipsis, slice(None, None, -2)), (-1, -1, -1)],
                         ids=repr)
def test_setitem(key: object) -> None:
    expected = DATA.copy()
    expected[key] = -5
    x = ga.from_array(DATA, chunks=(3, 4, 2))
    x[key] = -5
    assert_same(x, expected)


def test_setitem_with_array_value_and_mask() -> None:
    expected = DATA.copy()
    expected[1:5, 2] = np.arange(20).reshape(4, 5)
    x = ga.from_array(DATA, chunks=(3, 4, 2))
    x[1:5, 2] = ga.reshape(ga.arange(20), (4, 5))
    assert_same(x, expected)
    expected[expected > 100] = 0
    x[x > 100] = 0
    assert_same(x, expected)


def test_zero_d_boolean_mask() -> None:
    x = ga.asarray(5.0)
    np.testing.assert_array_equal(compute(x[ga.asarray(True)]), [5.0])
    assert compute(x[ga.asarray(False)]).shape == (0,)
    y = ga.from_array(DATA, chunks=3)
    assert compute(y[ga.asarray(True)]).shape == (1,) + DATA.shape


def test_compute_chunk_sizes_makes_lengths_known() -> None:
    data = np.arange(20)
    x = ga.from_array(data, chunks=6)
    masked = x[x % 3 == 0]
    with pytest.raises(IndexError, match="unknown length"):
        masked[1:4]
    known = masked.compute_chunk_sizes()
    assert known.shape == (7,) and known.chunks == ((2, 2, 2, 1),)
    assert_same(known[1:4], data[data % 3 == 0][1:4])


@pytest.mark.parametrize("key, one_input", [
    ((4, 1), True), ((slice(4, 6), 0), True), ((None, slice(0, 2)), True), ((slice(0, 0),), True), ((1, 2), True),
    ((slice(None, None, -1), 2), False), ((slice(3, 5), 0), False), ((slice(1, 6), 1), False),
], ids=repr)
def test_indexing_a_concatenation_reads_only_the_inputs_it_needs(key: tuple, one_input: bool) -> None:
    from gpuscale.array.manipulation import Concatenate

    parts = [np.arange(6).reshape(2, 3) + 10 * i for i in range(3)]
    joined = ga.concat([ga.from_array(p, chunks=(1, 2)) for p in parts], axis=0)
    assert_same(joined[key], np.concatenate(parts)[key])
    plan = joined[key].expr.optimize()
    assert any(isinstance(node, Concatenate) for node in plan.walk()) == (not one_input)


@pytest.mark.parametrize("key", ["A", "B", "C", ["A", "B"], ["C", "A"]])
def test_record_field_names_select_fields_as_numpy_and_dask(key: object, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("record arrays are NumPy chunks only")
    import dask.array as da

    dtype = np.dtype([("A", ("i4", (3, 2))), ("B", "f8"), ("C", ("S4", 3))])
    data = np.zeros((5, 4), dtype=dtype)
    data["A"] = np.arange(120).reshape(5, 4, 3, 2)
    data["B"] = np.arange(20.0).reshape(5, 4)
    data["C"][:, :, 1] = b"ab"
    got = ga.from_array(data, chunks=(2, 3))[key]
    want = da.from_array(data, chunks=(2, 3))[key]
    assert (got.shape, got.dtype, got.chunks) == (want.shape, want.dtype, want.chunks)
    np.testing.assert_array_equal(compute(got), data[key])


def test_record_field_errors() -> None:
    with pytest.raises(ValueError, match="no field of name Z"):
        ga.zeros(3, dtype=[("a", "f8")])["Z"]
    with pytest.raises(IndexError, match="has no fields"):
        ga.ones(3)["a"]


@pytest.mark.parametrize("key", [(1,), (-1,), (slice(None), 2), (None, 1, 0, -2), (Ellipsis, 3), (2, slice(1, 3), 0),
                                 (0, None, Ellipsis, 4)], ids=repr)
def test_lazy_0d_integer_indices_compute_nothing(key: tuple) -> None:
    # x[x.argmax()] and xarray's isel(da.argmax(...)): dask keeps them lazy, so does gpuscale
    import dask.array as da

    import gpuscale.collection as collection

    def lazy(lib, k):
        return lib.from_array(np.array([k]), chunks=1).sum() if isinstance(k, int) else k

    x = ga.from_array(DATA, chunks=(3, 4, 2))
    real, runs = collection._runtime_get, []
    collection._runtime_get = lambda *a, **kw: runs.append(1) or real(*a, **kw)
    try:
        got = x[tuple(lazy(ga, k) for k in key)]
    finally:
        collection._runtime_get = real
    assert not runs
    if None not in key:  # dask refuses a new axis beside lazy indices
        assert got.shape == da.from_array(DATA, chunks=(3, 4, 2))[tuple(lazy(da, k) for k in key)].shape
    assert_same(got, DATA[key])
