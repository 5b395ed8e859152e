"""NumPy 2.4 behaviours found by fuzzing ``gpuscale.array`` against NumPy: dict pad widths, moments of rows
of unknown count, empty blocks in reshapes and quantiles, ``out=`` dtypes, 0-d inputs, complex infinities
and NumPy's keyword names."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

X = np.arange(6.0).reshape(2, 3)


@pytest.mark.parametrize("pad_width", [{1: (1, 2)}, {0: 3, -1: (0, 2)}, {}])
@pytest.mark.parametrize("mode", ["constant", "edge"])
def test_pad_takes_numpy2_dict_widths(pad_width, mode):
    # the axes a dict leaves out are not padded (each axis got 1 on both sides before)
    assert_same(ga.pad(ga.asarray(X, chunks=2), pad_width, mode=mode), np.pad(X, pad_width, mode=mode))


def _unknown_rows(data: np.ndarray) -> ga.Array:
    """``data`` with rows of unknown count (a boolean mask that keeps them all)."""
    g = ga.asarray(data, chunks=2)
    return g[g[:, 0] >= 0]


def test_pad_of_unknown_length_says_to_compute_chunk_sizes():
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        ga.pad(_unknown_rows(X.T.copy())[:, 0], 1)


@pytest.mark.parametrize("ddof", [None, 0, 2])
def test_cov_of_rows_of_unknown_count_counts_them(ddof):
    # the count was x.shape[1], NaN for rows picked by a mask: every entry came out NaN
    data = X.T.copy() ** 2
    assert_same(ga.cov(_unknown_rows(data), rowvar=False, ddof=ddof), np.cov(data, rowvar=False, ddof=ddof))
    assert_same(ga.cov(_unknown_rows(data)[:, 1], ddof=ddof), np.cov(data[:, 1], ddof=ddof))


def test_corrcoef_and_float32_cov_of_rows_of_unknown_count():
    data = X.T.copy() ** 2
    assert_same(ga.corrcoef(_unknown_rows(data), rowvar=False), np.corrcoef(data, rowvar=False))
    assert_same(ga.cov(_unknown_rows(data), rowvar=False, dtype="float32"),
                np.cov(data, rowvar=False, dtype="float32"), rtol=1e-6)


@pytest.mark.parametrize("chunks", [((2, 0), (3,)), ((0, 1, 1, 0), (3, 0)), ((1, 0, 1), (1, 0, 2))])
@pytest.mark.parametrize("shape", [(6,), (3, 2), (1, 6), (2, 1, 3)])
def test_reshape_with_empty_blocks(chunks, shape):
    # blocks as many as the rows were taken for blocks of one row ("cannot reshape array of size 6")
    assert_same(ga.asarray(X, chunks=chunks).reshape(shape), X.reshape(shape))


def test_ravel_concatenate_and_outer_with_empty_blocks():
    a = ga.asarray(X, chunks=((2, 0), (3,)))
    assert_same(a.ravel(), X.ravel())
    assert_same(ga.concatenate([a, a], axis=None), np.concatenate([X, X], axis=None))
    one = ga.asarray(np.array([5.0]), chunks=((1, 0),))
    assert_same(ga.reshape(one, (1, 1)), np.array([[5.0]]))
    assert_same(ga.multiply.outer(one, one), np.multiply.outer([5.0], [5.0]))
