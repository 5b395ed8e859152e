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


@pytest.mark.parametrize("data, value", [
    (np.array(["ab", "bc", "de", "ef"]), np.str_("00")), (np.array(["ab", "bc", "de", "ef"]), np.array("00")),
    (np.array(["ab", "bc", "de", "ef"]), "00"), (np.array([b"ab", b"cd", b"ef"]), b"0"),
    (np.array([b"ab", b"cd", b"ef"]), np.bytes_(b"0")),
])
def test_string_and_bytes_constants_are_numpys(backend, data, value):
    if backend != "numpy":
        pytest.skip("strings and bytes are NumPy arrays only")
    got = ga.pad(ga.from_array(data, chunks=2), (1, 2), mode="constant", constant_values=value)
    expected = np.pad(data, (1, 2), mode="constant", constant_values=value)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(compute(got), expected)  # bytes were taken for a sequence of numbers (b"0": 48)


@pytest.mark.parametrize("mode, kwargs", [("constant", {"constant_values": 7}), ("reflect", {}), ("edge", {})])
def test_numpy_pad_of_a_gpuscale_array_is_lazy(mode, kwargs):
    got = np.pad(ga.asarray(DATA, chunks=(1, 2)), ((1, 0), (2, 1)), mode=mode, **kwargs)  # __array_function__
    assert isinstance(got, ga.Array)
    np.testing.assert_array_equal(compute(got), np.pad(DATA, ((1, 0), (2, 1)), mode=mode, **kwargs))
