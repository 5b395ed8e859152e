"""``ga.random``: ``RandomState(seed)`` and ``default_rng(seed)`` as dask.array's (issue 14)."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute


def test_random_state_is_reproducible_per_seed() -> None:
    a = ga.random.RandomState(42).normal(10, 2, size=(20, 6), chunks=(7, 3))
    b = ga.random.RandomState(42).normal(10, 2, size=(20, 6), chunks=(7, 3))
    c = ga.random.RandomState(43).normal(10, 2, size=(20, 6), chunks=(7, 3))
    np.testing.assert_array_equal(compute(a), compute(b))
    assert not np.array_equal(compute(a), compute(c))
    assert a.chunks == ((7, 7, 6), (3, 3))


def test_calls_in_turn_differ_and_seed_restarts() -> None:
    state = ga.random.RandomState(7)
    first = compute(state.random_sample(50, chunks=10))
    second = compute(state.random_sample(50, chunks=10))
    assert not np.array_equal(first, second)
    state.seed(7)
    np.testing.assert_array_equal(compute(state.random_sample(50, chunks=10)), first)


def test_chunking_changes_the_numbers_as_in_dask() -> None:
    # dask.array is not chunking-independent either: document-level parity, checked here
    assert not np.allclose(da.random.RandomState(0).normal(size=10, chunks=5).compute(),
                           da.random.RandomState(0).normal(size=10, chunks=3).compute())
    same = compute(ga.random.RandomState(0).normal(size=10, chunks=5))
    np.testing.assert_array_equal(compute(ga.random.RandomState(0).normal(size=10, chunks=5)), same)


def test_random_state_methods_and_distributions() -> None:
    state = ga.random.RandomState(1)
    values = compute(state.uniform(-1, 1, size=1000, chunks=300))
    assert values.min() >= -1 and values.max() < 1
    ints = state.randint(3, 9, size=500, chunks=100)
    assert ints.dtype == ga.int64
    assert set(np.unique(compute(ints))) <= set(range(3, 9))
    with pytest.warns(DeprecationWarning, match="random_integers is deprecated"):  # as NumPy's and dask's
        assert compute(state.random_integers(1, 3, size=200, chunks=50)).max() <= 3
    normal = compute(state.standard_normal((400, 50), chunks=(100, 50)))
    assert abs(normal.mean()) < 0.02 and abs(normal.std() - 1) < 0.02
    counts = state.poisson(4.0, size=2000, chunks=500)
    assert counts.dtype == ga.int64
    assert abs(compute(counts).mean() - 4.0) < 0.2
    assert state.binomial(10, 0.5, size=5).dtype == ga.int64
    assert compute(state.exponential(2.0, size=3000, chunks=1000)).mean() == pytest.approx(2.0, rel=0.1)
    assert compute(state.gamma(2.0, size=3, chunks=2)).shape == (3,)
    with pytest.raises(ValueError):
        state.normal(0, -1.0, size=3)  # NumPy's parameter check, when the graph is built


def test_default_rng_generator() -> None:
    a = compute(ga.random.default_rng(5).standard_normal((30, 4), chunks=(10, 4)))
    b = compute(ga.random.default_rng(5).standard_normal((30, 4), chunks=(10, 4)))
    np.testing.assert_array_equal(a, b)
    rng = ga.random.default_rng(5)
    assert rng.standard_normal(10, dtype="float32").dtype == ga.float32
    assert compute(rng.integers(0, 4, size=100, chunks=30)).max() < 4
    assert rng.lognormal(size=4).dtype == ga.float64
    assert rng.triangular(0, 1, 2, size=5).shape == (5,)
    with pytest.raises(TypeError, match="missing"):
        rng.triangular(0, 1)


def test_generator_choice_takes_dasks_axis_and_shuffle_keywords() -> None:
    population = np.array([1.0, 3.0, 5.0, 7.0, 9.0])
    ours = ga.random.default_rng(2).choice(ga.asarray(population, chunks=2), size=(6, 3), chunks=4, axis=0,
                                           shuffle=False)
    theirs = da.random.default_rng(2).choice(da.from_array(population, chunks=2), size=(6, 3), chunks=4, axis=0,
                                             shuffle=False)
    assert ours.shape == theirs.shape and ours.dtype == theirs.dtype
    assert set(np.unique(compute(ours))) <= set(population)
    for lib, a in [(ga, ga.asarray(population, chunks=2)), (da, da.from_array(population, chunks=2))]:
        with pytest.raises(ValueError):  # a is 1-d
            lib.random.default_rng().choice(a, size=(6, 3), chunks=4, axis=1)


def test_module_functions() -> None:
    a = compute(ga.random.standard_normal(8, seed=3, chunks=4))
    np.testing.assert_array_equal(a, compute(ga.random.standard_normal(8, seed=3, chunks=4)))
    assert ga.random.random_sample((4, 4), seed=1).shape == (4, 4)
    assert compute(ga.random.randint(0, 5, size=20, seed=2)).max() < 5
    assert ga.random.poisson(2.0, size=3, seed=0).dtype == ga.int64
    assert ga.random.exponential(size=3, seed=0).dtype == ga.float64
    assert ga.random.binomial(4, 0.5, size=3, seed=0).shape == (3,)


def test_blocks_are_drawn_on_the_backend(backend: str) -> None:
    x = ga.random.RandomState(0).normal(size=(6, 6), chunks=3)
    assert x.backend == backend
    assert compute(x).shape == (6, 6)


POSITIONAL = [("random", (5, 2)), ("random_sample", (5, 2)), ("standard_normal", (6, 4)), ("normal", (0.0, 1.0, 6, 4)),
              ("uniform", (0.0, 1.0, 6, 4)), ("randint", (0, 5, 6, 4, "int32")), ("poisson", (1.0, 6, 4)),
              ("exponential", (1.0, 6, 4)), ("binomial", (5, 0.5, 6, 4)), ("beta", (2.0, 3.0, 6, 4)),
              ("standard_cauchy", (6, 4)), ("triangular", (0.0, 0.5, 1.0, 6, 4))]


@pytest.mark.parametrize("name, args", POSITIONAL, ids=[n for n, _ in POSITIONAL])
def test_chunks_after_size_positionally_as_dask(name: str, args: tuple) -> None:
    # dask's docstrings write ga.random.random(5, 5): size then chunks, both positional (chunks was keyword-only)
    expected = getattr(da.random, name)(*args)
    for ours in (getattr(ga.random, name)(*args), getattr(ga.random.RandomState(0), name)(*args)):
        assert ours.chunks == expected.chunks
        assert ours.dtype == expected.dtype
    rng = ga.random.default_rng(0)
    if hasattr(da.random.default_rng(0), name) and name not in ("random", "standard_normal"):
        assert getattr(rng, name)(*args).chunks == getattr(da.random.default_rng(0), name)(*args).chunks
