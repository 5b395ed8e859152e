"""einsum's dtype= and casting=, as NumPy's: the operands are cast first, by the rule (default "safe")."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

A = np.array([[1.5, -2.7], [0.2, 3.9]])
I8 = np.array([[100, 2], [3, 4]], dtype=np.int8)


@pytest.mark.parametrize("casting", ["no", "equiv", "safe", "same_kind"])
def test_einsum_refuses_an_unsafe_dtype(casting: str) -> None:
    x = ga.from_array(A, chunks=1)
    with pytest.raises(TypeError):
        np.einsum("ij,jk", A, A, dtype=np.int64, casting=casting)
    with pytest.raises(TypeError, match="cannot be cast"):
        ga.einsum("ij,jk", x, x, dtype=np.int64, casting=casting)


@pytest.mark.parametrize("chunks", [1, 2])
def test_einsum_unsafe_casts_the_operands_first(chunks: int) -> None:
    x = ga.from_array(A, chunks=chunks)
    expected = np.einsum("ij,jk", A, A, dtype=np.int64, casting="unsafe")  # [[1, -8], [0, 9]]
    assert_same(ga.einsum("ij,jk", x, x, dtype=np.int64, casting="unsafe"), expected)
    assert_same(ga.einsum("ij,ij->ji", x, x, dtype=np.int64, casting="unsafe"),  # nothing summed
                np.einsum("ij,ij->ji", A, A, dtype=np.int64, casting="unsafe"))


def test_einsum_sums_in_the_requested_integer_dtype() -> None:
    x = ga.from_array(I8, chunks=1)
    assert_same(ga.einsum("ij,jk", x, x, dtype=np.int32), np.einsum("ij,jk", I8, I8, dtype=np.int32))


def test_einsum_casting_no_refuses_mixed_operands() -> None:
    x, y = ga.from_array(I8, chunks=1), ga.from_array(I8.astype(np.int16), chunks=1)
    with pytest.raises(TypeError):
        np.einsum("ij,jk", I8, I8.astype(np.int16), casting="no")
    with pytest.raises(TypeError, match="rule 'no'"):
        ga.einsum("ij,jk", x, y, casting="no")
    assert_same(ga.einsum("ij,jk", x, y), np.einsum("ij,jk", I8, I8.astype(np.int16)))


@pytest.mark.parametrize("subscripts", ["ij,jk", "ij,jk->ik", "ij->", "ij->j", "ii->i", "ii", "ij,ij->ij",
                                        "ij,ij->", "ij,jk,kl->il", "i,j->ij"])
@pytest.mark.parametrize("chunks", [1, 2])
def test_einsum_of_booleans_is_an_or_of_ands(subscripts: str, chunks: int) -> None:
    # NumPy keeps booleans boolean: products are ANDs, sums ORs (it gave int64 counts)
    masks = np.random.default_rng(9).random((3, 3, 3)) > 0.6
    operands = [masks[i][:, 0] if subscripts.startswith("i,") else masks[i]
                for i in range(subscripts.split("->")[0].count(",") + 1)]
    got = ga.einsum(subscripts, *(ga.from_array(m, chunks=chunks) for m in operands))
    assert_same(got, np.einsum(subscripts, *operands))


def test_einsum_of_booleans_with_numbers_multiplies_them() -> None:
    mask = np.array([[True, False], [True, True]])
    x, m = ga.from_array(I8, chunks=1), ga.from_array(mask, chunks=1)
    assert_same(ga.einsum("ij,jk", m, x), np.einsum("ij,jk", mask, I8))
