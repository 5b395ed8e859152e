"""gpuscale.array.ma: a masked variance where a block holds a NaN or an infinity is the same for every chunking."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale
import gpuscale.array as ga


@pytest.fixture(autouse=True)
def backend():
    """Masked arrays are NumPy's: NumPy chunks only."""
    with gpuscale.config.set(backend="numpy", scheduler="sync"):
        yield "numpy"


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("chunks", [1, 2, 3, 4])
@pytest.mark.parametrize("reduction", ["var", "std"])
def test_masked_moments_with_an_undefined_block(reduction: str, chunks: int, bad: float) -> None:
    data = np.array([1., bad, 3., 4.])
    x = ga.ma.masked_array(ga.from_array(data, chunks=chunks), mask=np.zeros(4, bool))
    expected = getattr(np.ma.masked_array(data, mask=np.zeros(4, bool)), reduction)()
    assert expected is np.ma.masked
    assert getattr(x, reduction)(split_every=2).compute() is np.ma.masked


@pytest.mark.parametrize("chunks", [(1, 2), (2, 1), (1, 1), (2, 2)])
def test_masked_var_along_an_axis_masks_where_the_mean_is_masked(chunks: tuple) -> None:
    # the mean of the NaN column is masked (NumPy's masked division); so is its variance, whatever the blocks
    data = np.array([[1., np.nan], [3., 4.], [6., 2.]])
    mask = np.array([[False, False], [False, True], [False, False]])
    x = ga.ma.masked_array(ga.from_array(data, chunks=chunks), mask=mask)
    out = x.var(axis=0).compute()
    assert np.ma.getmaskarray(x.mean(axis=0).compute()).tolist() == [False, True]
    assert np.ma.getmaskarray(out).tolist() == [False, True]
    np.testing.assert_allclose(out[0], np.var([1., 3., 6.]))


def test_masked_var_with_an_all_masked_block_still_counts_the_others() -> None:
    data = np.array([1., 2., 3., 4., 8.])
    mask = np.array([True, True, False, False, False])
    x = ga.ma.masked_array(ga.from_array(data, chunks=2), mask=mask)
    np.testing.assert_allclose(x.var().compute(), np.ma.masked_array(data, mask=mask).var())
