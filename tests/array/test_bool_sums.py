"""Sums of booleans count the ``True`` values on every chunk library, as NumPy does: the standard defines
``sum``/``prod``/``cumulative_sum`` for numeric dtypes only and array-api-strict refuses booleans, so gpuscale
casts them to an integer dtype first there (xarray's ``rolling`` counts valid values with ``xp.sum``)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

VALUES = np.array([[True, False, True, True], [True, True, False, False], [False, False, False, True]])

CASES = {
    "sum": (lambda x: ga.sum(x), lambda v: np.sum(v)),
    "sum_axis": (lambda x: ga.sum(x, axis=0), lambda v: np.sum(v, axis=0)),
    "sum_method": (lambda x: x.sum(axis=1), lambda v: v.sum(axis=1)),
    "sum_dtype": (lambda x: ga.sum(x, axis=1, dtype=ga.float32), lambda v: np.sum(v, axis=1, dtype="float32")),
    "prod": (lambda x: ga.prod(x, axis=1), lambda v: np.prod(v, axis=1)),
    "cumsum": (lambda x: ga.cumsum(x, axis=1), lambda v: np.cumsum(v, axis=1)),
    "cumulative_sum": (lambda x: ga.cumulative_sum(x, axis=0), lambda v: np.cumsum(v, axis=0)),
    "nansum": (lambda x: ga.nansum(x, axis=0), lambda v: np.nansum(v, axis=0)),
}


@pytest.mark.parametrize("name", CASES)
def test_sums_of_booleans_count_as_numpy(name) -> None:
    ours, numpys = CASES[name]
    assert_same(ours(ga.asarray(VALUES, chunks=(2, 3))), numpys(VALUES))
