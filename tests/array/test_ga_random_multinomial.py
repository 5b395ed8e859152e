"""``multinomial`` of gpuscale.array.random (module function, Generator and RandomState), checked against
dask.array.random and NumPy: shapes, blocks, dtype, counts summing to ``n`` and the expected frequencies."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
PVALS = [0.2, 0.3, 0.5]


@pytest.mark.parametrize("size, chunks", [((6, 4), 2), (5, "auto"), (None, "auto"), ((7,), 3)])
def test_layout_and_dtype_are_dasks(size, chunks):
    theirs = da.random.RandomState(0).multinomial(10, PVALS, size=size, chunks=chunks)
    for ours in (ga.random.RandomState(0).multinomial(10, PVALS, size=size, chunks=chunks),
                 ga.random.default_rng(0).multinomial(10, PVALS, size=size, chunks=chunks),
                 ga.random.multinomial(10, PVALS, size=size, chunks=chunks, seed=0)):
        assert (ours.shape, ours.chunks, ours.dtype) == (theirs.shape, theirs.chunks, theirs.dtype)
        counts = compute(ours)
        assert (counts.sum(axis=-1) == 10).all() and (counts >= 0).all()


def test_frequencies_match_the_probabilities():
    counts = compute(ga.random.default_rng(1).multinomial(100, PVALS, size=4000, chunks=1000))
    np.testing.assert_allclose(counts.mean(axis=0), 100 * np.array(PVALS), rtol=0.02)
    numpy_counts = np.random.default_rng(1).multinomial(100, PVALS, size=4000)
    np.testing.assert_allclose(counts.std(axis=0), numpy_counts.std(axis=0), rtol=0.1)


def test_same_seed_same_counts_and_blocks_are_independent():
    a = compute(ga.random.default_rng(5).multinomial(10, PVALS, size=(8,), chunks=4))
    b = compute(ga.random.default_rng(5).multinomial(10, PVALS, size=(8,), chunks=4))
    np.testing.assert_array_equal(a, b)
    assert not (a[:4] == a[4:]).all()


def test_bad_probabilities_raise_when_called():
    with pytest.raises(ValueError):
        np.random.default_rng(0).multinomial(10, [-0.5, 1.5])
    with pytest.raises(ValueError):
        ga.random.multinomial(10, [-0.5, 1.5], size=3, seed=0)


COLORS = [16, 8, 4]


@pytest.mark.parametrize("size, chunks", [(None, 6), (5, 6), ((2, 2), 6), ((7,), 3), ((6, 4), "auto")])
def test_multivariate_hypergeometric_layout_is_numpys_blocked_as_dask(size, chunks):
    # dask's metadata leaves out the colours axis its blocks have; the shape is NumPy's, the draws' blocks dask's
    theirs = da.random.default_rng(0).multivariate_hypergeometric(COLORS, 6, size=size, chunks=chunks)
    ours = ga.random.default_rng(0).multivariate_hypergeometric(COLORS, 6, size=size, chunks=chunks)
    numpy_shape = np.random.default_rng(0).multivariate_hypergeometric(COLORS, 6, size=size).shape
    assert ours.shape == numpy_shape  # dask computes it only in one block (several fail to assemble)
    assert (ours.chunks, ours.dtype) == (theirs.chunks + ((len(COLORS),),), theirs.dtype)
    counts = compute(ours)
    assert (counts.sum(axis=-1) == 6).all() and (counts >= 0).all() and (counts <= np.array(COLORS)).all()


@pytest.mark.parametrize("method", ["marginals", "count"])
def test_multivariate_hypergeometric_means_are_numpys(method):
    counts = compute(ga.random.default_rng(2).multivariate_hypergeometric(COLORS, 14, size=4000, chunks=1000,
                                                                           method=method))
    expected = np.random.default_rng(2).multivariate_hypergeometric(COLORS, 14, size=4000, method=method)
    np.testing.assert_allclose(counts.mean(axis=0), 14 * np.array(COLORS) / sum(COLORS), rtol=0.03)
    np.testing.assert_allclose(counts.std(axis=0), expected.std(axis=0), rtol=0.1)


def test_multivariate_hypergeometric_refuses_a_sample_larger_than_the_urn_when_called():
    with pytest.raises(ValueError, match="nsample"):
        ga.random.default_rng(0).multivariate_hypergeometric(COLORS, 29)
