"""gpuscale.array.einsum against NumPy and dask: an index repeated within one operand (diagonals, traces),
dask's split_every= and NumPy's order=."""

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

SIGNATURES = [
    ("aa", [(4, 4)]), ("aa->a", [(4, 4)]), ("a...a", [(4, 3, 4)]), ("a...a->a...", [(4, 3, 4)]),
    ("aab,bc->ac", [(4, 4, 5), (5, 3)]), ("aab,bcc->ac", [(4, 4, 5), (5, 3, 3)]),
    ("fdf,cdd,ccd,afe->ae", [(2, 3, 2), (4, 3, 3), (4, 4, 3), (5, 2, 6)]),
    ("fff,fae,bef,def->abd", [(2, 2, 2), (2, 3, 4), (5, 4, 2), (6, 4, 2)]),
]


@pytest.mark.parametrize("signature, shapes", SIGNATURES)
def test_repeated_index_takes_the_diagonal_as_numpy(signature, shapes):
    rng = np.random.default_rng(11)
    operands = [rng.random(s) for s in shapes]
    ours = ga.einsum(signature, *(ga.asarray(o, chunks=2) for o in operands))
    want = np.einsum(signature, *operands)
    assert ours.shape == want.shape
    np.testing.assert_allclose(compute(ours), want)
    theirs = da.einsum(signature, *(da.from_array(o, chunks=2) for o in operands))
    np.testing.assert_allclose(compute(ours), theirs.compute())


def test_repeated_index_of_different_lengths_raises():
    with pytest.raises(ValueError, match="different lengths"):
        ga.einsum("aa->a", ga.ones((3, 4)))


@pytest.mark.parametrize("split_every", [None, 2])
def test_split_every_as_dask(split_every):
    x = np.arange(10.0)
    ours = ga.einsum("a", ga.asarray(x, chunks=2))
    np.testing.assert_allclose(compute(ours), np.einsum("a", x))
    total = ga.einsum("a->", ga.asarray(x, chunks=2), split_every=split_every)
    np.testing.assert_allclose(compute(total), da.einsum("a->", da.from_array(x, chunks=2),
                                                         split_every=split_every).compute())


@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_order_is_accepted_as_numpy(order):
    rng = np.random.default_rng(2)
    a, b = rng.random((3, 4)), rng.random((4, 5))
    np.testing.assert_allclose(compute(ga.einsum("ij,jk->ik", a, ga.asarray(b, chunks=2), order=order)),
                               np.einsum("ij,jk->ik", a, b, order=order))


def test_unknown_keywords_still_raise():
    with pytest.raises(TypeError, match="unexpected keyword"):
        ga.einsum("a", ga.ones(3), foo=1)


@pytest.mark.parametrize("signature, shapes, chunks", [
    ("aij,amn->ijmn", [(2, 4, 4), (2, 4, 4)], [(1, 2, 2), (1, 2, 2)]),
    ("aijk,amn->ijkmn", [(8, 8, 8, 8), (8, 8, 8)], [(4, 8, 1, 8), (4, 8, 8)]),
    ("ij,jk->ik", [(40, 4), (4, 40)], [(20, 2), (2, 40)]),
    ("ij,jk->ik", [(40, 40), (40, 40)], [(10, 10), (10, 10)]),
    ("i,j->ij", [(30,), (40,)], [(10,), (20,)]),
    ("ca,ca->c", [(0, 10), (0, 10)], [(5, 5), (5, 5)]),
    ("i,j->ij", [(0,), (40,)], [(10,), (20,)]),
])
def test_output_blocks_grow_no_more_than_dasks(signature, shapes, chunks):
    # dask splits the operands' blocks along output indices so that an output block is no larger than the
    # largest input block (times array.chunk-size-tolerance): an outer product must not make huge blocks
    rng = np.random.default_rng(0)
    values = [rng.random(s) for s in shapes]
    got = ga.einsum(signature, *[ga.asarray(v, chunks=c) for v, c in zip(values, chunks)])
    want = da.einsum(signature, *[da.from_array(v, chunks=c) for v, c in zip(values, chunks)])
    assert got.chunks == want.chunks
    np.testing.assert_allclose(compute(got), np.einsum(signature, *values))
