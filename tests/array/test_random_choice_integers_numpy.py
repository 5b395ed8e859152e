"""``integers(endpoint=)`` and ``choice``'s edges as NumPy 2 and dask.array: probability checks, empty
populations, and ``replace=False`` with ``p``."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

SOURCES = [ga.random.default_rng, ga.random.RandomState]


# -- integers(endpoint=) ----------------------------------------------------------------------------------------
def test_integers_endpoint_draws_high_too() -> None:
    x = compute(ga.random.default_rng(0).integers(0, 5, size=600, chunks=100, endpoint=True))
    assert x.dtype == np.int64 and x.shape == (600,)
    assert set(x.tolist()) == {0, 1, 2, 3, 4, 5}  # NumPy's [low, high]


def test_integers_endpoint_at_the_dtype_limit_and_equal_bounds() -> None:
    rng = ga.random.default_rng(1)
    top = compute(rng.integers(0, 255, size=500, chunks=100, dtype="uint8", endpoint=True))
    assert top.dtype == np.uint8 and top.max() == 255  # high + 1 would not fit uint8: NumPy's endpoint= does it
    assert_same(rng.integers(7, 7, size=4, chunks=2, endpoint=True), np.full(4, 7))
    with pytest.raises(ValueError, match="low >= high"):  # without endpoint the range is empty, as NumPy
        rng.integers(7, 7, size=4, chunks=2)


def test_integers_endpoint_with_array_bounds_and_module_function() -> None:
    highs = np.array([0, 1, 2])
    x = compute(ga.random.default_rng(2).integers(0, highs, size=(200, 3), chunks=50, endpoint=True))
    assert [sorted(set(x[:, j].tolist())) for j in range(3)] == [[0], [0, 1], [0, 1, 2]]
    y = compute(ga.random.integers(2, size=300, seed=3, endpoint=True))
    assert set(y.tolist()) == {0, 1, 2}


def test_integers_without_endpoint_keeps_its_numbers() -> None:
    a = compute(ga.random.default_rng(4).integers(0, 9, size=20, chunks=5))
    b = compute(ga.random.default_rng(4).integers(0, 9, size=20, chunks=5, endpoint=False))
    np.testing.assert_array_equal(a, b)


def test_integers_refuses_chunks_in_endpoints_place() -> None:
    with pytest.raises(TypeError, match="endpoint must be a bool"):
        ga.random.default_rng(0).integers(0, 5, 6, "int64", (3,))


# -- choice: p checked as NumPy -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("p", "words"), [([1.5, -0.5, 0.0], "robabilities are not non-negative"),
                                          ([np.nan, 0.5, 0.5], "robabilities contain NaN"),
                                          ([0.5, 0.5, 0.1], "robabilities do not sum to 1")])
@pytest.mark.parametrize("source", SOURCES)
def test_choice_refuses_bad_probabilities(source: object, p: list, words: str) -> None:
    first = "p" if source is ga.random.RandomState else "P"  # NumPy's own capitals
    for replace in (True, False):
        with pytest.raises(ValueError, match=first + words):
            source(0).choice(3, size=2, chunks=2, replace=replace, p=p)


def test_choice_takes_numpys_sum_tolerance() -> None:
    p = [0.5, 0.5 + 1.2e-8, 0.0]  # within NumPy's sqrt(eps), 1.49e-8
    assert set(compute(ga.random.default_rng(0).choice(3, size=10, chunks=5, p=p)).tolist()) <= {0, 1}


# -- choice: empty populations ------------------------------------------------------------------------------------
@pytest.mark.parametrize("source", SOURCES)
def test_choice_from_nothing_takes_nothing(source: object) -> None:
    assert_same(source(0).choice(0, size=0, chunks=2), np.random.default_rng(0).choice(0, size=0))
    assert_same(source(0).choice(np.array([]), size=0, chunks=2), np.random.default_rng(0).choice(np.array([]), size=0))
    assert_same(source(0).choice(0, size=(0, 3), replace=False), np.zeros((0, 3), dtype=np.int64))


@pytest.mark.parametrize("source", SOURCES)
def test_choice_from_nothing_refuses_samples(source: object) -> None:
    with pytest.raises(ValueError, match="unless no samples are taken"):
        source(0).choice(0, size=1)
    with pytest.raises(ValueError, match="unless no samples are taken"):
        source(0).choice(0)  # size=None: one sample
    with pytest.raises(ValueError, match="cannot be empty unless no samples are taken"):
        source(0).choice(np.array([]), size=2, chunks=2)


# -- choice: replace=False with p ---------------------------------------------------------------------------------
@pytest.mark.parametrize("source", SOURCES)
def test_choice_without_replacement_weighted(source: object) -> None:
    x = compute(source(0).choice(3, size=2, chunks=2, replace=False, p=[0.5, 0.5, 0.0]))
    assert sorted(x.tolist()) == [0, 1]
    p = np.zeros(40)
    p[[3, 8, 15, 22, 39]] = [0.1, 0.2, 0.3, 0.1, 0.3]
    y = compute(source(1).choice(40, size=5, chunks=2, replace=False, p=p))  # every non-zero one, once
    assert sorted(y.tolist()) == [3, 8, 15, 22, 39]
    values = np.array([1.5, 2.5, 3.5, 4.5])
    z = source(2).choice(values, size=(1, 2), replace=False, p=[0.0, 0.5, 0.0, 0.5])
    assert z.shape == (1, 2) and sorted(compute(z).ravel().tolist()) == [2.5, 4.5]


def test_choice_without_replacement_follows_the_weights() -> None:
    # 1000 elements, the first 500 three times as likely: a 100-sample holds about 75 of them (successive
    # draws lower that a little: about 74), never a repeat
    p = np.r_[np.full(500, 3.0), np.ones(500)] / 2000
    x = compute(ga.random.default_rng(5).choice(1000, size=100, chunks=30, replace=False, p=p))
    assert len(set(x.tolist())) == 100
    assert 60 <= int((x < 500).sum()) <= 90


@pytest.mark.parametrize("source", SOURCES)
def test_choice_without_replacement_needs_enough_nonzero_weights(source: object) -> None:
    with pytest.raises(ValueError, match="Fewer non-zero entries in p than size"):
        source(0).choice(3, size=3, chunks=2, replace=False, p=[0.5, 0.5, 0.0])
    with pytest.raises(ValueError, match="larger sample than population"):
        source(0).choice(3, size=4, replace=False, p=[0.5, 0.5, 0.0])


def test_choice_without_replacement_refuses_a_lazy_p() -> None:
    with pytest.raises(NotImplementedError, match="host data"):
        ga.random.default_rng(0).choice(3, size=2, replace=False, p=ga.asarray([0.5, 0.5, 0.0]))


@pytest.mark.parametrize("source", SOURCES)
def test_numpy_integers_as_population_and_size(source) -> None:
    """``choice(np.int64(3), size=np.int64(2))`` and ``normal(size=np.int64(4))``: NumPy's integers count as
    integers (they raised 'a must be 1-dimensional' / 'numpy.int64 object is not iterable')."""
    x = compute(source(0).choice(np.int64(3), size=np.int64(5), chunks=2))
    assert x.shape == (5,) and set(x.tolist()) <= {0, 1, 2}
    assert source(0).normal(size=np.int64(4), chunks=2).shape == (4,)
    assert source(0).normal(size=(np.int64(2), 3), chunks=2).shape == (2, 3)
