"""NumPy's layout of keys whose advanced indices are parted (``x[1, :, mask]``, ``x[:, [0, 2], ..., [1, 3]]``):
the broadcast index dimensions come first, for getting and for setting."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

X = np.arange(24.).reshape(2, 3, 4)
Y = np.arange(60.).reshape(5, 3, 4)
MASK = np.array([True, False, True, False])

PARTED = [
    (X, (1, slice(None), MASK)),  # an integer counts as an advanced index
    (X, (1, slice(None), MASK[::-1])),
    (X, (0, slice(None, None, -1), MASK)),
    (X, (1, slice(None), True)),  # a boolean scalar too
    (X, (1, None, slice(None), True)),
    (X, (None, 1, slice(None), MASK)),
    (X, (1, slice(None), MASK, None)),
    (X, (1, None, slice(None), MASK)),
    (np.arange(360.).reshape(6, 3, 4, 5), (4, None, MASK[:3], None, slice(None, None, -1))),
    (Y, (1, Ellipsis, MASK)),
    # an Ellipsis between them parts them even where it stands for no axes
    (Y, (slice(None), [0, 2], Ellipsis, [1, 3])),
    (Y, (slice(None), [0, 2], Ellipsis, 1)),
    (Y, (slice(None), 1, Ellipsis, [1, 3])),
    (Y, (slice(None), MASK[:3], Ellipsis, 1)),
    (Y, (slice(None), [[0, 2], [1, 1]], Ellipsis, 2)),
]

ADJACENT = [(X, (slice(None), 1, MASK)), (X, (1, MASK[:3])), (Y, (Ellipsis, [0, 2], [1, 3])),
            (Y, (slice(None), [0, 2], Ellipsis)), (X, (slice(None), True, 1))]


@pytest.mark.parametrize("chunks", [1, 2])
@pytest.mark.parametrize("data, key", PARTED + ADJACENT, ids=[repr(k) for _, k in PARTED + ADJACENT])
def test_parted_advanced_indices_come_first(data: np.ndarray, key: tuple, chunks: int) -> None:
    assert_same(ga.from_array(data, chunks=chunks)[key], data[key])


SET_KEYS = [(X, (1, slice(None), [0, 2])), (X, (1, slice(None), MASK)), (X, (0, slice(None, None, -1), [3, 1])),
            (Y, (slice(None), [0, 2], Ellipsis, 1)), (Y, (1, Ellipsis, [2, 0])), (X, (slice(None), 1, [0, 2]))]


@pytest.mark.parametrize("chunks", [1, 2])
@pytest.mark.parametrize("data, key", SET_KEYS, ids=[repr(k) for _, k in SET_KEYS])
def test_setitem_value_laid_out_as_getitem(data: np.ndarray, key: tuple, chunks: int) -> None:
    value = 100 + np.arange(data[key].size, dtype=data.dtype).reshape(data[key].shape)
    expected = data.copy()
    expected[key] = value
    x = ga.from_array(data.copy(), chunks=chunks)
    x[key] = ga.asarray(value)
    assert_same(x, expected)


def test_setitem_lazy_mask_parted_by_a_slice() -> None:
    # a lazy mask with several values is computed first, then placed as an in-memory one
    value = np.array([[10., 11., 12.], [20., 21., 22.]])
    expected = X.copy()
    expected[1, :, MASK] = value
    x = ga.from_array(X.copy(), chunks=2)
    x[1, :, ga.arange(4, chunks=2) % 2 == 0] = ga.asarray(value)
    assert_same(x, expected)
