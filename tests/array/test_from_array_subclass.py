"""``from_array`` of a subclass of NumPy's array other than a masked array (``numpy.matrix``, ``memmap``) gives
blocks of the backend's plain arrays, so results are those of ``numpy.asarray(x)``: matrix blocks kept two
dimensions when indexed (``x[0]`` computed to a (1, n) matrix under a (n,) shape) and failed reductions
(``matrix.sum()`` has no ``keepdims``).  Masked arrays keep their masks."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

MATRIX = np.matrix(np.arange(20).reshape(4, 5))


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
@pytest.mark.parametrize("asarray", [None, True, False])
def test_matrix_gives_plain_blocks(asarray: object) -> None:
    x, plain = ga.from_array(MATRIX, chunks=(2, 3), asarray=asarray), np.asarray(MATRIX)
    assert_same(x, plain)
    assert_same(x[0], plain[0])
    assert_same(x.sum(axis=1), plain.sum(axis=1))
    assert_same(x * x, plain * plain)
    assert_same(x[:, 1], plain[:, 1])


def test_memmap_gives_plain_blocks(tmp_path) -> None:
    data = np.memmap(tmp_path / "m.dat", dtype="float64", mode="w+", shape=(6, 4))
    data[:] = np.arange(24.0).reshape(6, 4)
    x = ga.from_array(data, chunks=(4, 4))
    data[:] = 0  # a copy, as for plain arrays
    assert_same(x.mean(axis=0), np.arange(24.0).reshape(6, 4).mean(axis=0))


def test_masked_array_keeps_its_mask(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("masked arrays are NumPy's")
    data = np.ma.masked_array(np.arange(6.0), mask=[0, 1, 0, 0, 1, 0])
    got = ga.from_array(data, chunks=4).compute()
    assert isinstance(got, np.ma.MaskedArray)
    np.testing.assert_array_equal(np.ma.getmaskarray(got), np.ma.getmaskarray(data))


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_asanyarray_keeps_a_matrix_and_asarray_does_not(backend: str) -> None:
    # NumPy's (and dask's) asanyarray passes subclasses through; asarray makes base-class arrays
    kept, plain = ga.asanyarray(MATRIX), ga.asarray(MATRIX)
    assert kept.numblocks == (1, 1)
    assert_same(plain, np.asarray(MATRIX))
    if backend == "numpy":
        assert type(kept.compute()) is type(np.asanyarray(MATRIX))
        assert type(plain.compute()) is type(np.asarray(MATRIX))
    np.testing.assert_array_equal(np.asarray(compute(kept)), np.asarray(MATRIX))
