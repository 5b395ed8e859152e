"""``tile`` with NumPy's argument forms (an int, a list or NumPy array as input, negative counts refused), against
NumPy and dask.array."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.testing import assert_eq


@pytest.mark.parametrize("reps", [2, 0, (2, 2), (1, 2), (2, 3, 4, 0)])
def test_tile_forms_as_numpy_and_dask(reps):
    data = [[1, 2], [3, 4]]
    assert_eq(ga.tile(data, reps), np.tile(data, reps))
    assert_eq(ga.tile(ga.from_array(np.arange(10.0), chunks=3), reps), da.tile(da.arange(10.0, chunks=3), reps))


@pytest.mark.parametrize("reps", [-1, (2, -5)])
def test_tile_refuses_negative_counts(reps):
    with pytest.raises(ValueError, match="negative"):
        ga.tile(ga.arange(4, chunks=2), reps)
    with pytest.raises(ValueError):
        np.tile(np.arange(4), reps)
