"""Manipulation functions against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga
from array_helpers import assert_same

DATA = np.arange(6 * 4 * 5).reshape(6, 4, 5)


def arr(chunks: object = (4, 3, 2)) -> ga.Array:
    return ga.from_array(DATA, chunks=chunks)


@pytest.mark.parametrize("shape", [(120,), (20, 6), (4, 30), (2, 3, 4, 5), (5, -1), (120, 1), (1, 6, 20)])
def test_reshape(shape: tuple) -> None:
    assert_same(ga.reshape(arr(), shape), DATA.reshape(shape))


def test_reshape_small_target_chunks() -> None:
    with gpuscale.config.set(**{"array.chunk_bytes.cpu": 64}):
        assert_same(ga.reshape(arr(), (8, 15)), DATA.reshape(8, 15))
        assert_same(ga.reshape(arr(), (120,)), DATA.reshape(120))


def test_reshape_errors_and_zero_d() -> None:
    with pytest.raises(ValueError, match="cannot reshape"):
        ga.reshape(arr(), (7, 7))
    assert_same(ga.reshape(ga.asarray([5]), ()), np.asarray(5))
    assert_same(ga.reshape(ga.asarray(5), (1, 1)), np.ones((1, 1), dtype=int) * 5)


@pytest.mark.parametrize("axis", [0, 1, 2, -1])
def test_concat_stack(axis: int) -> None:
    other = DATA * 2
    b = ga.from_array(other, chunks=(3, 2, 5))  # different chunks: aligned
    assert_same(ga.concat([arr(), b], axis=axis), np.concatenate([DATA, other], axis=axis))
    assert_same(ga.stack([arr(), b], axis=axis), np.stack([DATA, other], axis=axis))


def test_concat_none_axis_and_promotion() -> None:
    f = ga.asarray(np.ones(3, dtype=np.float32))
    i = ga.asarray(np.arange(2, dtype=np.int8))
    assert_same(ga.concat([f, i], axis=None), np.concatenate([np.ones(3, dtype=np.float32), np.arange(2, dtype=np.int8)]))


def test_concat_shape_mismatch_message() -> None:
    with pytest.raises(ValueError, match="along dimension 1"):
        ga.concat([ga.ones((2, 3)), ga.ones((2, 4))], axis=0)


def test_expand_squeeze_permute_moveaxis() -> None:
    assert_same(ga.expand_dims(arr(), axis=1), np.expand_dims(DATA, 1))
    assert_same(ga.expand_dims(arr(), axis=(0, -1)), np.expand_dims(DATA, (0, -1)))
    assert_same(ga.squeeze(ga.expand_dims(arr(), axis=2), axis=2), DATA)
    with pytest.raises(ValueError, match="cannot squeeze"):
        ga.squeeze(arr(), axis=0)
    assert_same(ga.permute_dims(arr(), (2, 0, 1)), DATA.transpose(2, 0, 1))
    assert_same(ga.moveaxis(arr(), 0, -1), np.moveaxis(DATA, 0, -1))
    assert_same(arr().mT, np.swapaxes(DATA, -1, -2))


@pytest.mark.parametrize("axes", [(0, 1, 2), (-3, -2, -1), [0, 1, 2]])
def test_transpose_that_moves_nothing_is_the_array_itself(axes: object) -> None:
    da = pytest.importorskip("dask.array")
    x, d = arr(), da.from_array(DATA, chunks=(4, 3, 2))
    assert x.transpose(axes) is x and ga.transpose(x, axes) is x and ga.permute_dims(x, axes) is x
    assert d.transpose(tuple(axes)) is d  # as dask
    assert_same(ga.swapaxes(x, 1, 1), DATA)


@pytest.mark.parametrize("axis", [None, 0, (1, 2)])
def test_flip(axis: object) -> None:
    assert_same(ga.flip(arr(), axis=axis), np.flip(DATA, axis=axis))


@pytest.mark.parametrize("shift,axis", [(2, None), (-3, 0), (7, 2), ((1, 2), (0, 1))])
def test_roll(shift: object, axis: object) -> None:
    assert_same(ga.roll(arr(), shift, axis=axis), np.roll(DATA, shift, axis=axis))


def test_broadcast() -> None:
    row = ga.from_array(DATA[0, 0], chunks=2)
    assert_same(ga.broadcast_to(row, (3, 4, 5)), np.broadcast_to(DATA[0, 0], (3, 4, 5)))
    a, b = ga.broadcast_arrays(ga.ones((3, 1)), ga.ones((1, 4)))
    assert a.shape == b.shape == (3, 4)
    with pytest.raises(ValueError, match="could not be broadcast"):
        ga.broadcast_to(row, (3, 4))


def test_repeat_tile_unstack() -> None:
    assert_same(ga.repeat(arr(), 2, axis=1), np.repeat(DATA, 2, axis=1))
    assert_same(ga.repeat(arr(), 3), np.repeat(DATA, 3))
    reps = np.array([1, 0, 2, 3, 1, 2])
    assert_same(ga.repeat(arr(), ga.asarray(reps), axis=0), np.repeat(DATA, reps, axis=0))
    assert_same(ga.tile(arr(), (2, 1, 3)), np.tile(DATA, (2, 1, 3)))
    assert_same(ga.tile(ga.asarray([1, 2]), (2, 2)), np.tile([1, 2], (2, 2)))
    for got, want in zip(ga.unstack(arr(), axis=1), [DATA[:, i] for i in range(4)]):
        assert_same(got, want)


def test_rechunk_roundtrip() -> None:
    x = arr().rechunk((5, 1, (2, 3)))
    assert x.chunks == ((5, 1), (1, 1, 1, 1), (2, 3))
    assert_same(x, DATA)
    assert arr().rechunk({0: -1}).chunks[0] == (6,)


def test_moveaxis_and_diagonal_refuse_axes_out_of_range_as_numpy():
    # an out-of-range axis in a sequence was taken modulo ndim: diagonal(v, axis1=-4) gave the diagonal
    x = np.arange(24.0).reshape(2, 3, 4)
    gx = ga.asarray(x, chunks=2)
    for source, destination in [((0, 1), (2, 0)), ((-1, 0), (0, -1)), (2, 0), ([1], [-1])]:
        assert_same(ga.moveaxis(gx, source, destination), np.moveaxis(x, source, destination))
    for source, destination in [((0, 3), (1, 2)), ((0, 1), (1, -4)), (3, 0)]:
        with pytest.raises(np.exceptions.AxisError):
            np.moveaxis(x, source, destination)
        with pytest.raises(np.exceptions.AxisError):
            ga.moveaxis(gx, source, destination)
    with pytest.raises(ValueError, match="repeated axis"):
        ga.moveaxis(gx, (0, 0), (1, 2))
    square = np.arange(4).reshape(2, 2)
    for kwargs in ({"axis1": -4}, {"axis2": -4}, {"axis1": 2}):
        with pytest.raises(np.exceptions.AxisError):
            ga.diagonal(square, **kwargs)
    with pytest.raises(ValueError):
        ga.diagonal(square, axis1=0, axis2=0)
    assert_same(ga.diagonal(gx, offset=1, axis1=-1), np.diagonal(x, offset=1, axis1=-1))


def test_repeat_takes_the_axis_positionally_as_numpy():
    x = np.random.default_rng(0).random((10, 11, 13))
    gx = ga.asarray(x, chunks=(4, 5, 3))
    for axis in (-3, -1, 0, 2):
        assert_same(ga.repeat(gx, 2, axis), np.repeat(x, 2, axis))
    assert_same(gx.repeat(3, 1), x.repeat(3, 1))


def test_flip_and_stack_take_axis_positionally_as_numpy() -> None:
    assert_same(ga.flip(arr(), 1), np.flip(DATA, 1))
    assert_same(ga.flip(arr(), (0, 2)), np.flip(DATA, (0, 2)))
    assert_same(ga.stack([arr(), arr()], 2), np.stack([DATA, DATA], 2))


def test_sort_argsort_and_concat_take_axis_positionally_as_numpy() -> None:
    assert_same(ga.sort(arr(), 0), np.sort(DATA, 0))
    assert_same(ga.argsort(arr(), 1), np.argsort(DATA, 1, kind="stable"))
    assert_same(ga.concat([arr(), arr()], 1), np.concat([DATA, DATA], 1))
