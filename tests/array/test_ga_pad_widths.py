"""``ga.pad`` takes ``pad_width`` and ``constant_values`` in every form ``numpy.pad`` does (an int,
``(before, after)`` for all axes, one pair per axis, ``(n,)``) and gives NumPy's result."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

DATA = np.arange(1, 7).reshape(2, 3)


@pytest.mark.parametrize("pad_width", [2, (1, 2), ((1, 2),), ((1, 2), (0, 3)), (3,), [[1], [2]], ((0, 0), (2, 1))])
@pytest.mark.parametrize("mode", ["constant", "edge"])
def test_pad_width_forms_are_numpys(pad_width, mode):
    got = compute(ga.pad(ga.asarray(DATA, chunks=(1, 2)), pad_width, mode=mode))
    np.testing.assert_array_equal(got, np.pad(DATA, pad_width, mode=mode))


@pytest.mark.parametrize("values", [7, (5, 6), ((5, 6), (7, 8)), ((9,),)])
def test_constant_values_forms_are_numpys(values):
    got = compute(ga.pad(ga.asarray(DATA, chunks=2), ((1, 1), (2, 1)), constant_values=values))
    np.testing.assert_array_equal(got, np.pad(DATA, ((1, 1), (2, 1)), constant_values=values))


@pytest.mark.parametrize("pad_width", [(1, 2, 3), ((1, 2), (1, 2), (1, 2)), ((1, 2, 3),)])
def test_widths_that_do_not_broadcast_raise_as_numpy(pad_width):
    with pytest.raises(ValueError):
        np.pad(DATA, pad_width)
    with pytest.raises(ValueError, match="does not broadcast"):
        ga.pad(ga.asarray(DATA), pad_width)
