"""einsum takes upper-case indices, as NumPy and dask (they were refused: upper-case letters stood for the
dimensions under "..."), alone, mixed with lower-case ones and with "...", compared with numpy.einsum."""

from __future__ import annotations

import numpy as np
import pytest
from array_helpers import assert_same

import gpuscale.array as ga

RNG = np.random.default_rng(0)
CASES = [
    ("Ab,bC->AC", [(2, 3), (3, 4)]),
    ("Ab,bC", [(2, 3), (3, 4)]),  # implicit output: NumPy's ASCII order (upper case first)
    ("ba,aC", [(2, 3), (3, 4)]),
    ("zb,bA", [(2, 3), (3, 4)]),
    ("AB,BC->CA", [(2, 3), (3, 4)]),
    ("...Ab,bC->...AC", [(5, 2, 3), (3, 4)]),
    ("...Ab,bC", [(5, 2, 3), (3, 4)]),
    ("A...,A...->...", [(3, 2, 4), (3, 2, 4)]),
    ("AA->A", [(3, 3)]),
    ("AA", [(3, 3)]),
    ("AaA->a", [(3, 2, 3)]),
    ("Aa,aA", [(3, 4), (4, 3)]),
    ("...AB,...BC->...AC", [(2, 3, 4), (1, 4, 5)]),
    ("Z...", [(2, 3, 4)]),
    ("abcdefghijklmnopqrstuvwxyzA->A", [(1,) * 26 + (2,)]),
]


@pytest.mark.parametrize("subscripts, shapes", CASES, ids=[c[0] for c in CASES])
def test_einsum_upper_case_indices_match_numpy(subscripts, shapes):
    arrays = [RNG.standard_normal(s) for s in shapes]
    operands = [ga.from_array(a, chunks=2) for a in arrays]
    assert_same(ga.einsum(subscripts, *operands), np.einsum(subscripts, *arrays), rtol=1e-12)


def test_einsum_sublists_beyond_26_take_upper_case_letters():
    a, b = RNG.standard_normal((2, 3)), RNG.standard_normal((3, 4))
    got = ga.einsum(ga.from_array(a, chunks=2), [30, 1], ga.from_array(b, chunks=2), [1, 40], [30, 40])
    assert_same(got, np.einsum(a, [30, 1], b, [1, 40], [30, 40]), rtol=1e-12)


@pytest.mark.parametrize("subscripts", ["i1,1k", "i_,_k"])
def test_einsum_subscripts_other_than_letters_are_refused(subscripts):
    a = np.ones((2, 2))
    with pytest.raises(ValueError, match="subscripts must be letters"):
        np.einsum(subscripts, a, a)
    with pytest.raises(ValueError, match="subscripts must be letters"):
        ga.einsum(subscripts, ga.from_array(a), ga.from_array(a))
