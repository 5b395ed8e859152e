"""dask.array's forms of ``blockwise`` and ``map_blocks`` that ported code relies on: contracted blocks handed
over as a list by default, dask's keywords accepted, the dtype inferred, and broadcasting of one-block arrays
whatever their order."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

DATA = np.arange(12.0).reshape(3, 4)


def _numpy_only(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("NumPy's functions on the blocks")


def test_contracted_blocks_are_a_list_unless_concatenate(backend):
    _numpy_only(backend)
    x = ga.from_array(DATA, chunks=2)

    def is_list(blocks):
        first = blocks[0] if isinstance(blocks, list) else blocks
        return np.full(first.shape[0], float(isinstance(blocks, list)))

    assert_same(ga.blockwise(is_list, "i", x, "ij", dtype=float), np.ones(3))
    assert_same(ga.blockwise(is_list, "i", x, "ij", dtype=float, concatenate=True), np.zeros(3))


@pytest.mark.parametrize("keywords", [{"dtype": float, "align_arrays": True}, {"dtype": float, "name": "foo"},
                                      {"dtype": float, "token": "add"}, {"meta": np.array((), float)}, {}])
def test_dasks_keywords_are_not_handed_to_the_function(keywords, backend):
    _numpy_only(backend)
    x = ga.from_array(DATA, chunks=2)
    got = ga.blockwise(np.add, "ij", x, "ij", 1, None, **keywords)
    assert got.dtype == ga.float64
    assert_same(got, DATA + 1)


def test_map_blocks_broadcasts_a_length_one_first_array(backend):
    _numpy_only(backend)
    column = np.ones((2, 1))
    row = np.arange(3.0)
    a, b = ga.from_array(column, chunks=1), ga.from_array(row, chunks=3)
    for got in (ga.map_blocks(np.add, a, b), ga.map_blocks(np.add, b, a)):
        assert got.shape == (2, 3)
        assert_same(got, column + row)


def test_stack_of_nothing_says_so():
    with pytest.raises(ValueError, match="at least one array"):
        ga.stack([])


def test_in_memory_arrays_given_an_index_are_cut_into_the_blocks(backend):
    # a NumPy array with an index meets each block with its part, as dask (whole, it met every block: shapes
    # (3,) and (6,) did not broadcast); taken as it is when the call is made
    _numpy_only(backend)
    import dask.array as da

    values = np.arange(6.0)
    got = ga.blockwise(np.multiply, "i", ga.ones(6, chunks=3), "i", values, "i", dtype=float)
    expected = da.blockwise(np.multiply, "i", da.ones(6, chunks=3), "i", values, "i", dtype=float)
    values[0] = 99.0
    assert got.chunks == expected.chunks
    assert_same(got, expected.compute())
    assert_same(ga.blockwise(np.add, "ij", ga.from_array(DATA, chunks=2), "ij", np.arange(4.0), "j", dtype=float),
                DATA + np.arange(4.0))
