"""Forward fill on chunk libraries without a working ``maximum.accumulate`` (CuPy 14 raises
NotImplementedError for it): the generic running maximum, run here with NumPy chunks."""

import numpy as np
import pandas as pd
import pytest

from gpuscale.backends.array import _routines


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_generic_running_max_matches_numpy(axis):
    x = np.random.default_rng(0).integers(-50, 50, size=(7, 13))
    np.testing.assert_array_equal(_routines._doubling_max(x, axis), np.maximum.accumulate(x, axis=axis))


@pytest.mark.parametrize("axis", [0, 1])
def test_ffill_block_of_another_library_takes_the_generic_path(monkeypatch, axis):
    x = np.random.default_rng(1).random((9, 6))
    x[x < 0.4] = np.nan
    calls = []
    generic = _routines._doubling_max
    monkeypatch.setattr(_routines, "library_of", lambda chunk: "cupy")  # as a CuPy chunk would be
    monkeypatch.setattr(_routines, "_doubling_max", lambda *a: calls.append(a) or generic(*a))
    got = _routines.ffill_block(x, axis)
    assert calls
    expected = pd.DataFrame(x if axis == 0 else x.T).ffill().to_numpy()
    np.testing.assert_array_equal(got, expected if axis == 0 else expected.T)
