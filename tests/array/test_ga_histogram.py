"""histogram, histogram2d, histogramdd, bincount and digitize against NumPy and dask.array (issue 14)."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(140)
DATA = RNG.normal(size=(40, 7))
DATA[3, 3] = np.nan
DATA[5, 1] = 2.0  # exactly on the last edge of range=(-2, 2): counted in the last bin
WEIGHTS = RNG.random((40, 7))


def test_histogram_bins_and_range_matches_numpy_and_dask() -> None:
    x = ga.from_array(DATA, chunks=(13, 4))
    hist, edges = ga.histogram(x, bins=10, range=(-2, 2))
    want, want_edges = np.histogram(DATA, bins=10, range=(-2, 2))
    assert_same(hist, want)
    np.testing.assert_array_equal(edges, want_edges)
    dask_hist, dask_edges = da.histogram(da.from_array(DATA, chunks=(13, 4)), bins=10, range=(-2, 2))
    np.testing.assert_array_equal(compute(hist), dask_hist.compute())
    np.testing.assert_array_equal(edges, dask_edges)


def test_histogram_needs_range_for_a_number_of_bins() -> None:
    x = ga.from_array(DATA, chunks=10)
    with pytest.raises(ValueError, match="range"):
        ga.histogram(x, bins=5)
    with pytest.raises(ValueError, match="range"):
        ga.histogram(x)
    with pytest.raises(ValueError, match="range"):  # dask.array's rule too
        da.histogram(da.from_array(DATA, chunks=10), bins=5)


@pytest.mark.parametrize("bins", [[-1.0, 0.0, 0.5, 3.0], np.array([-3, -1, 0, 1, 3]), np.linspace(-1, 1, 7)])
def test_histogram_with_edges_weights_and_density(bins: object) -> None:
    x = ga.from_array(DATA, chunks=(9, 7))
    w = ga.from_array(WEIGHTS, chunks=(9, 7))
    assert_same(ga.histogram(x, bins=bins)[0], np.histogram(DATA, bins=bins)[0])
    assert_same(ga.histogram(x, bins=bins, weights=w)[0], np.histogram(DATA, bins=bins, weights=WEIGHTS)[0])
    assert_same(ga.histogram(x, bins=bins, density=True)[0], np.histogram(DATA, bins=bins, density=True)[0])
    assert_same(ga.histogram(x, bins=bins, weights=w, density=True)[0],
                np.histogram(DATA, bins=bins, weights=WEIGHTS, density=True)[0])
    dask_hist, _ = da.histogram(da.from_array(DATA, chunks=(9, 7)), bins=np.asarray(bins),
                                weights=da.from_array(WEIGHTS, chunks=(9, 7)))
    np.testing.assert_allclose(compute(ga.histogram(x, bins=bins, weights=w)[0]), dask_hist.compute())


def test_histogram_weights_in_other_chunks_and_lazy_edges() -> None:
    x = ga.from_array(DATA, chunks=(13, 4))
    w = ga.from_array(WEIGHTS, chunks=(7, 7))  # realigned to x's blocks
    edges = ga.linspace(-2.0, 2.0, 9)
    hist, returned = ga.histogram(x + 0, bins=edges, weights=w)
    assert returned is edges
    assert_same(hist, np.histogram(DATA, bins=np.linspace(-2, 2, 9), weights=WEIGHTS)[0])


def test_histogram_edges_follow_numpy_for_float32_and_integers() -> None:
    small = DATA.astype(np.float32)
    hist, edges = ga.histogram(ga.from_array(small, chunks=11), bins=7, range=(-1.5, 1.5))
    want, want_edges = np.histogram(small, bins=7, range=(-1.5, 1.5))
    assert edges.dtype == want_edges.dtype
    assert_same(hist, want)
    ints = RNG.integers(0, 20, size=100)
    assert_same(ga.histogram(ga.from_array(ints, chunks=30), bins=4, range=(0, 20))[0],
                np.histogram(ints, bins=4, range=(0, 20))[0])
    assert_same(ga.histogram(ga.from_array(ints, chunks=30), bins=3, range=(5, 5))[0],
                np.histogram(ints, bins=3, range=(5, 5))[0])


def test_histogram_argument_errors() -> None:
    x = ga.from_array(DATA, chunks=10)
    with pytest.raises(ValueError, match="max must be larger than min"):
        ga.histogram(x, bins=3, range=(2, 1))
    with pytest.raises(ValueError, match="monotonically"):
        ga.histogram(x, bins=[0, 2, 1])
    with pytest.raises(ValueError, match="normed"):
        ga.histogram(x, bins=[0, 1], normed=True)
    with pytest.raises(ValueError, match="same shape"):
        ga.histogram(x, bins=[0, 1], weights=ga.ones(3))


@pytest.mark.parametrize("bins", ["auto", "fd", "sturges"])
def test_histogram_estimator_bins_are_refused_by_name(bins: str) -> None:
    # NumPy computes these bins from the data (np.histogram(x, "auto", range=(0, 9)) works); lazily they cannot
    # be, so the call says so (it failed with "tuple index out of range", on the string's characters)
    x = ga.from_array(np.arange(10.0), chunks=3)
    np.histogram(np.arange(10.0), bins=bins, range=(0, 9))
    with pytest.raises(ValueError, match=f"histogram\\(bins='{bins}'\\).*number of bins with range= or the edges"):
        ga.histogram(x, bins=bins, range=(0, 9))
    with pytest.raises(ValueError, match=f"histogramdd\\(bins='{bins}'\\)"):
        ga.histogram2d(x, x, bins=bins, range=[(0, 9), (0, 9)])


def test_histogram2d() -> None:
    a, b = DATA[:, 0], DATA[:, 1]
    x, y = ga.from_array(a, chunks=9), ga.from_array(b, chunks=11)
    bins = [np.linspace(-3, 3, 5), np.linspace(-2, 2, 4)]
    hist, xe, ye = ga.histogram2d(x, y, bins=bins)
    want = np.histogram2d(a, b, bins=bins)
    assert_same(hist, want[0])  # float64 counts, as NumPy's and dask's
    np.testing.assert_array_equal(compute(xe), want[1])  # lazy edges, as dask's
    got = ga.histogram2d(x, y, bins=4, range=[(-3, 3), (-2, 2)], density=True)
    want = np.histogram2d(a, b, bins=4, range=[(-3, 3), (-2, 2)], density=True)
    assert_same(got[0], want[0])
    dask_hist = da.histogram2d(da.from_array(a, chunks=9), da.from_array(b, chunks=9), bins=bins)[0]
    np.testing.assert_array_equal(compute(ga.histogram2d(x, y, bins=bins)[0]), dask_hist.compute())
    w = ga.from_array(WEIGHTS[:, 0], chunks=5)
    assert_same(ga.histogram2d(x, y, bins=bins, weights=w)[0],
                np.histogram2d(a, b, bins=bins, weights=WEIGHTS[:, 0])[0])


def test_histogramdd_and_histogram2d_of_float32_have_float64_edges_as_numpy() -> None:
    # the equal bins' edges took the data's float32 (histogram keeps float32 edges, as NumPy's histogram)
    sample = np.random.default_rng(0).random((30, 2)).astype("f4")
    sample[:3] = [[0.1, 0.7], [1 / 3, 0.2], [0.6, 2 / 3]]  # near float32/float64 edges of 3 bins
    rng = [(0, 1)] * 2
    for bins in (2, 3, [3, 5]):
        hist, edges = ga.histogramdd(ga.from_array(sample, chunks=(7, 2)), bins=bins, range=rng)
        want, want_edges = np.histogramdd(sample, bins=bins, range=rng)
        assert_same(hist, want)
        for got, exp in zip(edges, want_edges):
            assert_same(got, exp)
        hist, xe, ye = ga.histogram2d(ga.from_array(sample[:, 0], chunks=7), ga.from_array(sample[:, 1], chunks=7),
                                      bins=bins, range=rng)
        want = np.histogram2d(sample[:, 0], sample[:, 1], bins=bins, range=rng)
        assert_same(hist, want[0])
        assert_same(xe, want[1])
        assert_same(ye, want[2])
    _, edges = ga.histogram(ga.from_array(sample[:, 0], chunks=7), bins=3, range=(0, 1))
    assert np.asarray(compute(edges)).dtype == np.histogram(sample[:, 0], bins=3, range=(0, 1))[1].dtype


def test_histogramdd_with_a_2d_sample_and_a_sequence() -> None:
    sample = DATA[:, :3]
    x = ga.from_array(sample, chunks=(8, 2))
    bins = [np.linspace(-2, 2, 4), np.array([-1.0, 0.0, 1.0]), np.linspace(-3, 3, 6)]
    hist, edges = ga.histogramdd(x, bins=bins)
    want, want_edges = np.histogramdd(sample, bins=bins)
    assert_same(hist, want)  # float64 counts, as NumPy's and dask's
    assert len(edges) == 3
    columns = [ga.from_array(sample[:, d], chunks=c) for d, c in enumerate((7, 11, 40))]
    assert_same(ga.histogramdd(columns, bins=bins)[0], want)
    got = ga.histogramdd(x, bins=[3, 4, 5], range=[(-1, 1)] * 3, density=True)[0]
    assert_same(got, np.histogramdd(sample, bins=[3, 4, 5], range=[(-1, 1)] * 3, density=True)[0])
    dask_hist = da.histogramdd(da.from_array(sample, chunks=(8, 3)), bins=bins)[0]
    np.testing.assert_array_equal(compute(hist), dask_hist.compute())
    with pytest.raises(ValueError, match="range"):
        ga.histogramdd(x, bins=4)


def test_bincount() -> None:
    ints = RNG.integers(0, 9, size=60)
    x = ga.from_array(ints, chunks=7)
    in_memory = ga.bincount(x)
    assert in_memory.shape == (9,)  # in-memory input: the length is known at once
    assert_same(in_memory, np.bincount(ints))
    lazy = ga.bincount(x + 0)
    assert np.isnan(lazy.shape[0])  # as dask.array: unknown until computed
    np.testing.assert_array_equal(compute(lazy), np.bincount(ints))
    np.testing.assert_array_equal(compute(lazy), da.bincount(da.from_array(ints, chunks=7)).compute())
    assert_same(ga.bincount(x + 0, minlength=12), np.bincount(ints, minlength=12))
    w = ga.from_array(WEIGHTS.ravel()[:60], chunks=13)
    assert_same(ga.bincount(x, weights=w), np.bincount(ints, weights=WEIGHTS.ravel()[:60]))


def test_weighted_bincount_and_histogram_sum_each_bin_apart() -> None:
    # without a namespace bincount (array-api-strict) the weights were differences of one cumulative sum:
    # a NaN or infinite weight spoilt the later bins, a large one swallowed the small ones after it
    ints = np.array([0, 1, 2, 1, 3, 0, 2, 4])
    for w in (np.array([1e17, 1.0, 1.0, 2.0, 0.5, 3.0, 1.0, 1.0]),
              np.array([np.nan, 1.0, np.inf, 2.0, 0.5, 3.0, 1.0, 1.0]),
              np.array([1.0, -np.inf, 2.0, 1.0, np.inf, 1.0, 5.0, 1.0])):
        for chunks in (8, 3):
            got = ga.bincount(ga.from_array(ints, chunks=chunks), weights=ga.from_array(w, chunks=chunks))
            assert_same(got, np.bincount(ints, weights=w))
        hist, _ = ga.histogram(ga.from_array(ints.astype(float), chunks=3), bins=5, range=(0, 5),
                               weights=ga.from_array(w, chunks=3))
        assert_same(hist, np.histogram(ints.astype(float), bins=5, range=(0, 5), weights=w)[0])


def test_bincount_errors() -> None:
    x = ga.from_array(np.array([0, 3, 9]), chunks=2)
    np.testing.assert_array_equal(compute(ga.bincount(x, minlength=4)), np.bincount([0, 3, 9], minlength=4))
    with pytest.raises(ValueError, match="minlength"):
        compute(ga.bincount(x + 0, minlength=4))  # a lazy input: the declared length the data does not fit
    with pytest.raises(ValueError, match="negative"):
        compute(ga.bincount(ga.from_array(np.array([1, -1]), chunks=1) + 0))
    with pytest.raises(TypeError, match="integer"):
        ga.bincount(ga.ones(3))
    with pytest.raises(ValueError, match="one dimensional"):
        ga.bincount(ga.ones((2, 2), dtype=ga.int64))


@pytest.mark.parametrize("bins", [np.array([-1.0, 0.0, 1.5]), np.array([2.0, 0.0, -1.0]), [0, 0, 1]])
@pytest.mark.parametrize("right", [False, True])
def test_digitize(bins: object, right: bool) -> None:
    x = ga.from_array(DATA, chunks=(13, 4))
    want = np.digitize(DATA, bins, right=right)
    assert_same(ga.digitize(x, bins, right=right), want)
    on_device = ga.asarray(np.asarray(bins, dtype=np.float64))  # bins kept lazily / on the device
    assert_same(ga.digitize(x, on_device, right=right), want)
    np.testing.assert_array_equal(want, da.digitize(da.from_array(DATA, chunks=13), np.asarray(bins), right).compute())


def test_digitize_rejects_unordered_bins() -> None:
    with pytest.raises(ValueError, match="monotonically"):
        ga.digitize(ga.ones(3), [0, 2, 1])


@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 60), chunk=st.integers(1, 20), nbins=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_hypothesis_histogram_any_chunking(n: int, chunk: int, nbins: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    data = np.round(rng.normal(size=n), 1)  # many values exactly on edges
    x = ga.from_array(data, chunks=chunk)
    np.testing.assert_array_equal(compute(ga.histogram(x, bins=nbins, range=(-1, 1))[0]),
                                  np.histogram(data, bins=nbins, range=(-1, 1))[0])
    ints = rng.integers(0, 12, size=n)
    np.testing.assert_array_equal(compute(ga.bincount(ga.from_array(ints, chunks=chunk) + 0)), np.bincount(ints))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_equal_bins_fast_path_agrees_with_edges_at_every_edge(dtype: type) -> None:
    edges = np.linspace(-1.1, 2.3, 18).astype(dtype)
    values = np.concatenate([edges, np.nextafter(edges, np.inf), np.nextafter(edges, -np.inf)]).astype(dtype)
    x = ga.from_array(values, chunks=10)
    fast = ga.histogram(x, bins=17, range=(float(edges[0]), float(edges[-1])))
    by_edges = ga.histogram(x, bins=fast[1])
    np.testing.assert_array_equal(compute(fast[0]), compute(by_edges[0]))
    np.testing.assert_array_equal(compute(fast[0]), np.histogram(values, bins=fast[1])[0])


def test_histogramdd_normed_is_dasks_alias_of_density() -> None:
    sample = DATA[:, :3]
    x = ga.from_array(sample, chunks=(8, 3))
    bins = [[-2, 0, 2], [-1, 0.5, 1], [-3, 0, 1, 3]]
    want = np.histogramdd(sample, bins=bins, density=True)[0]
    assert_same(ga.histogramdd(x, bins=bins, normed=True)[0], want)
    np.testing.assert_allclose(compute(ga.histogramdd(x, bins=bins, normed=True)[0]),
                               da.histogramdd(da.from_array(sample, chunks=(8, 3)), bins=bins, normed=True)[0].compute())
    with pytest.raises(TypeError, match="Cannot specify both 'normed' and 'density'"):
        ga.histogramdd(x, bins=bins, normed=True, density=True)


def test_histogramdd_argument_errors_name_the_cause() -> None:
    x = ga.from_array(DATA[:, :4], chunks=(8, 4))
    with pytest.raises(ValueError, match="should be columnar"):
        ga.histogramdd(ga.from_array(DATA[:, 0], chunks=8), bins=4, range=((-3, 3),))
    with pytest.raises(ValueError, match="The dimension of bins must be equal to the dimension of the sample"):
        ga.histogramdd(x, bins=(2, 3, 4), range=((0, 1),) * 4)
    with pytest.raises(ValueError, match="one entry, a min max pair, per dimension"):
        ga.histogramdd(x, bins=(2, 3, 4, 5), range=((0, 1),) * 3)
    with pytest.raises(ValueError, match="should be a sequence of pairs"):
        ga.histogramdd(x, bins=(2, 3, 4, 5), range=((0, 1), (0, 1, 2), 3, 5))
    with pytest.raises(ValueError, match="range"):
        ga.histogram(ga.from_array(DATA[:, 0], chunks=8), bins=10, range=1)


@pytest.mark.parametrize("weights", [np.array([True, True, True, False, True]), np.arange(1, 6, dtype="int8")],
                         ids=["bool", "int8"])
def test_weighted_histogramdd_counts_in_float64_as_numpy(weights) -> None:
    # bool weights were summed as bools: a bin of three points held True ([[ True]]); int8 stayed int8
    x = np.array([1.0, 2, 3, 4, 2.5])
    expected = np.histogram2d(x, x, bins=[[0, 2, 5], [0, 5]], weights=weights)[0]
    got = ga.histogram2d(ga.from_array(x, chunks=2), ga.from_array(x, chunks=2), bins=[[0, 2, 5], [0, 5]],
                         weights=ga.from_array(weights, chunks=2))[0]
    assert got.dtype == expected.dtype == np.float64
    assert_same(compute(got), expected)
    sample = np.c_[x, x]
    got = ga.histogramdd(ga.from_array(sample, chunks=(2, 2)), bins=[[0, 2, 5], [0, 5]],
                         weights=ga.from_array(weights, chunks=2))[0]
    assert_same(compute(got), np.histogramdd(sample, bins=[[0, 2, 5], [0, 5]], weights=weights)[0])


def test_histogram_of_boolean_weights_is_numpys_error() -> None:
    x = np.array([1, 5, 2, 2, 9, 0, 3])
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):
        np.histogram(x, bins=[0, 3, 10], weights=x > 2)
    with pytest.raises(TypeError, match="Cannot cast ufunc 'add' output"):
        ga.histogram(ga.from_array(x, chunks=3), bins=[0, 3, 10], weights=ga.from_array(x > 2, chunks=3))
