"""``Generator`` / ``default_rng`` take NumPy's seed forms, as ``dask.array.random.default_rng`` does."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute


@pytest.mark.parametrize("seed", [None, 42, np.random.PCG64, np.random.PCG64(3), np.random.default_rng(5), [1, 2]],
                         ids=lambda s: type(s).__name__)
def test_numpy_seed_forms_give_a_generator(seed):
    rng = ga.random.default_rng(seed)
    assert isinstance(rng, ga.random.Generator)
    x = compute(rng.random((6,), chunks=3))
    assert x.shape == (6,) and ((x >= 0) & (x < 1)).all()


def test_equal_bit_generator_states_give_equal_arrays():
    a = ga.random.default_rng(np.random.PCG64(7)).normal(size=(8,), chunks=4)
    b = ga.random.default_rng(np.random.PCG64(7)).normal(size=(8,), chunks=4)
    np.testing.assert_array_equal(compute(a), compute(b))


def test_a_gpuscale_generator_is_returned_as_is_and_a_numpy_one_moves_on():
    rng = ga.random.default_rng(3)
    assert ga.random.default_rng(rng) is rng
    source = np.random.default_rng(11)
    first, second = ga.random.default_rng(source).seed, ga.random.default_rng(source).seed
    assert first != second  # each seed drawn from the NumPy generator, whose state advances


def test_a_bad_seed_names_the_forms():
    with pytest.raises(TypeError, match="seed must be None, an int"):
        ga.random.default_rng("abc")
