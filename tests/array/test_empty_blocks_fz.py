"""Arrays of length 0 split into several (empty) blocks: the operations that join an axis into one block
first (rechunk to ``-1``) see one block there, as for any other array."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same


def test_rechunk_of_an_empty_array_joins_its_blocks() -> None:
    x = ga.from_array(np.zeros((0, 0)), chunks=((0,), (0, 0)))
    y = x.rechunk({1: -1})
    assert y.chunks == ((0,), (0,))
    assert y.blocks.shape == (1, 1)
    assert_same(y, np.zeros((0, 0)))


@pytest.mark.parametrize("chunks", [((0,), (0, 0)), ((0, 0), (0, 0, 0))])
def test_mask_of_an_empty_array_of_several_blocks(chunks: tuple) -> None:
    data = np.zeros((0, 0))
    x = ga.from_array(data, chunks=chunks)
    assert_same(x[x > 0], data[data > 0])


def test_take_along_axis_of_an_empty_array_of_several_blocks() -> None:
    data = np.zeros(0)
    y = ga.from_array(data, chunks=((0, 0),))
    assert_same(ga.take_along_axis(y, ga.argsort(y), axis=0), np.take_along_axis(data, np.argsort(data), axis=0))


@pytest.mark.parametrize("axis", [0, None, (0, 2)])
def test_squeeze_of_an_axis_with_empty_blocks(axis: object) -> None:
    data = np.arange(3, dtype="int8").reshape(1, 3, 1)
    x = ga.from_array(data, chunks=((0, 1), (2, 1), (1, 0)))
    assert_same(ga.squeeze(x, axis=axis), np.squeeze(data, axis=axis))
    assert_same(x.squeeze(axis=axis), data.squeeze(axis=axis))


def test_squeeze_to_zero_d_of_an_axis_with_empty_blocks() -> None:
    data = np.array([5], dtype="int8")
    assert_same(ga.squeeze(ga.from_array(data, chunks=((0, 1),)), axis=0), np.squeeze(data, axis=0))
