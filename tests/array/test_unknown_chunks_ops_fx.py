"""Operations on arrays of unknown length (after boolean indexing): those that need a length refuse with
an error naming ``compute_chunk_sizes()``; those that need none (``tril``/``triu``, ``apply_along_axis``
along a known axis) give NumPy's values."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

HINT = r"unknown.*compute_chunk_sizes\(\)"
VALUES = np.array([1.0, -1, 3, -2, 5, 6])
MATRIX = np.arange(12.0).reshape(6, 2)


def selected() -> ga.Array:
    x = ga.from_array(VALUES, chunks=2) + 0
    return x[x > 0]


def rows() -> ga.Array:
    x = ga.from_array(VALUES, chunks=2) + 0
    return (ga.from_array(MATRIX, chunks=2) + 0)[x > 0]


@pytest.mark.parametrize("call", [lambda y: ga.insert(y, 0, 5.0), lambda y: ga.delete(y, 0)])
def test_insert_and_delete_along_an_unknown_axis_name_compute_chunk_sizes(call: object) -> None:
    with pytest.raises(ValueError, match=HINT):
        call(selected())


def test_delete_along_a_known_axis_of_unknown_rows_matches_numpy() -> None:
    want = MATRIX[VALUES > 0]
    assert_same(compute(ga.delete(rows(), 0, axis=1)), np.delete(want, 0, axis=1))


def test_unstack_along_an_unknown_axis_names_compute_chunk_sizes() -> None:
    with pytest.raises(ValueError, match=HINT):
        ga.unstack(rows(), axis=0)


def test_unstack_along_a_known_axis_of_unknown_rows_matches_numpy() -> None:
    got = ga.unstack(rows(), axis=1)
    want = MATRIX[VALUES > 0]
    assert len(got) == 2
    for g, w in zip(got, (want[:, 0], want[:, 1])):
        assert_same(compute(g), w)


@pytest.mark.parametrize("name", ["tril", "triu"])
@pytest.mark.parametrize("k", [0, 1, -1])
def test_triangles_of_unknown_rows_match_numpy(name: str, k: int) -> None:
    want = getattr(np, name)(MATRIX[VALUES > 0], k=k)
    assert_same(compute(getattr(ga, name)(rows(), k=k)), want)


def test_triangle_of_unknown_columns_matches_numpy() -> None:
    m = ga.from_array(MATRIX.T, chunks=2) + 0
    x = ga.from_array(VALUES, chunks=2) + 0
    assert_same(compute(ga.tril(m[:, x > 0])), np.tril(MATRIX.T[:, VALUES > 0]))


def test_apply_along_a_known_axis_of_unknown_rows_matches_numpy() -> None:
    data = np.arange(28.0).reshape(7, 4) % 5 - 2
    x = ga.from_array(data, chunks=(3, 2)) + 0
    kept = data[data[:, 0] > 0]
    assert_same(compute(ga.apply_along_axis(np.sum, 1, x[x[:, 0] > 0])), np.apply_along_axis(np.sum, 1, kept))
    got = ga.apply_along_axis(np.cumsum, 1, x[x[:, 0] > 0])
    assert_same(compute(got), np.apply_along_axis(np.cumsum, 1, kept))
