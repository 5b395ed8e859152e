"""``histogram`` of equal bins on chunks of a library other than NumPy (CuPy's ``histogram`` makes its own
edges with ``cupy.linspace`` and its CUB path shifts the last edge of integer data, so gpuscale bins against
NumPy's edges itself): the generic path, run here with NumPy chunks, equals ``numpy.histogram``."""

import numpy as np
import pytest

from gpuscale.backends.array import _histogram


def _generic_counts(monkeypatch, values, bins, lo, hi):
    monkeypatch.setattr(_histogram, "library_of", lambda chunk: "cupy")  # as a CuPy chunk would be
    calls = []
    generic = _histogram._bins_of
    monkeypatch.setattr(_histogram, "_bins_of", lambda *a: calls.append(a) or generic(*a))
    edges = _histogram.histogram_edges(lo, hi, bins, values.dtype)
    first, last = (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)
    counts = _histogram.histogram_block(values, edges, None, (first, last))[0]
    assert calls  # binned here, not by the library's own histogram
    return counts


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_equal_bins_at_every_edge_as_numpy(monkeypatch, dtype):
    edges = np.linspace(-1.1, 2.3, 18).astype(dtype)
    values = np.concatenate([edges, np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)]).astype(dtype)
    want = np.histogram(values, bins=17, range=(float(edges[0]), float(edges[-1])))[0]
    got = _generic_counts(monkeypatch, values, 17, float(edges[0]), float(edges[-1]))
    np.testing.assert_array_equal(got, want)


def test_integers_in_an_empty_range_as_numpy(monkeypatch):
    ints = np.random.default_rng(0).integers(0, 20, size=100)
    want = np.histogram(ints, bins=3, range=(5, 5))[0]
    np.testing.assert_array_equal(_generic_counts(monkeypatch, ints, 3, 5, 5), want)
