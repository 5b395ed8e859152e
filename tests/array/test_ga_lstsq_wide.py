"""lstsq of an ``a`` with more columns than rows is refused at build, naming the cause (it failed with
solve_triangular's shape words); dask raises a ValueError there too.  Tall and square ``a`` still match NumPy."""

from __future__ import annotations

import numpy as np
import pytest
from array_helpers import assert_same, compute

import gpuscale.array as ga


@pytest.mark.parametrize("shape, chunks", [((3, 4), (3, 4)), ((3, 4), (1, 4)), ((2, 5), (1, 5))])
@pytest.mark.parametrize("b_cols", [None, 2])
def test_lstsq_of_wide_a_raises_naming_rows_and_columns(shape, chunks, b_cols):
    import dask.array as da

    a = np.arange(np.prod(shape), dtype=float).reshape(shape) + np.eye(*shape)
    b = np.ones(shape[0] if b_cols is None else (shape[0], b_cols))
    with pytest.raises(ValueError):
        da.linalg.lstsq(da.from_array(a, chunks=chunks), da.from_array(b)).compute()
    with pytest.raises(ValueError, match="fewer rows than columns"):
        ga.linalg.lstsq(ga.from_array(a, chunks=chunks), ga.from_array(b))


@pytest.mark.parametrize("shape", [(4, 4), (6, 3)])
def test_lstsq_of_square_and_tall_a_matches_numpy(shape):
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal(shape), rng.standard_normal(shape[0])
    x, res, rank, s = ga.linalg.lstsq(ga.from_array(a, chunks=(2, shape[1])), ga.from_array(b, chunks=2))
    ex, eres, erank, es = np.linalg.lstsq(a, b)
    assert_same(x, ex, rtol=1e-8)
    assert int(compute(rank)) == erank
    np.testing.assert_allclose(np.sort(compute(s)), np.sort(es), rtol=1e-8)
    if eres.size:
        np.testing.assert_allclose(compute(res), eres, rtol=1e-8)
