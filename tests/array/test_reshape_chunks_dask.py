"""``reshape`` gives dask.array's blocks (merging or splitting neighbouring axes) and NumPy's values;
``merge_chunks=False``, unknown lengths, and reshapes that are neither (rows moved) still give NumPy's."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale.array as ga
from array_helpers import compute

CASES = [
    ((30, 10, 20), (30, 2, 1), (30, 200)),
    ((10, 400), (5, (20,) * 19 + (19, 1)), (10, 2, 2, 100)),
    ((10, 400), (5, (20,) * 19 + (19, 1)), (10, 2, 25, 8)),
    ((20, 20, 5), (10, 10, 5), (400, 5)),
    ((64,), ((16, 48),), (4, 4, 4)),
    ((64, 4), (16, 2), (8, 8, 4)),
    ((2, 2, 3, 4), ((1, 1), (2,), (1, 2), (4,)), (4, 3, 4)),
    ((6, 5, 4), (4, 2, 3), (4, 5, 6)),  # neither a merge nor a split
]


@pytest.mark.parametrize("shape, chunks, new", CASES)
def test_blocks_and_values_as_dask(shape: tuple, chunks: tuple, new: tuple) -> None:
    values = np.arange(np.prod(shape)).reshape(shape)
    got = ga.from_array(values, chunks=chunks).reshape(new)
    if new != (4, 5, 6):
        assert got.chunks == da.from_array(values, chunks=chunks).reshape(new).chunks
    np.testing.assert_array_equal(compute(got), values.reshape(new))


@pytest.mark.parametrize("shape, chunks, new", [((2, 3, 4), ((1, 1), (1, 2), (2, 2)), (6, 4)),
                                                ((4, 6), (3, 4), (24,)), ((2, 2, 3, 4), (2, 1, 2, 4), (4, 3, 4))])
def test_merge_chunks_false_relabels_blocks(shape: tuple, chunks: tuple, new: tuple) -> None:
    values = np.arange(np.prod(shape)).reshape(shape)
    got = ga.from_array(values, chunks=chunks).reshape(new, merge_chunks=False)
    assert got.chunks == da.from_array(values, chunks=chunks).reshape(new, merge_chunks=False).chunks
    np.testing.assert_array_equal(compute(got), values.reshape(new))


def test_unchanged_shape_is_the_same_array() -> None:
    x = ga.ones((4, 6), chunks=2)
    assert x.reshape(4, 6) is x and ga.reshape(x, (4, -1)) is x


def test_unknown_lengths() -> None:
    values = np.arange(12)
    x = ga.asarray(values, chunks=4)
    y = x[x % 3 == 0]
    assert y.reshape(-1) is y  # a 1-d reshape(-1) needs no lengths, as dask
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        y.reshape(2, 2)
    np.testing.assert_array_equal(compute(y.compute_chunk_sizes().reshape(2, 2)), values[values % 3 == 0].reshape(2, 2))


def _factorisations(n: int) -> list[tuple]:
    out = [(n,)]
    for a in range(2, n):
        if n % a == 0:
            out += [(a,) + rest for rest in _factorisations(n // a)]
    return out


@pytest.mark.parametrize("shape, chunks, new", [
    ((4, 2, 2, 3), (1, 2, 1, 2), (4, 2, 6)), ((2, 4, 2, 3), (2, 1, 1, 2), (2, 4, 6)),
    ((4, 2, 3, 2), (2, 1, 2, 1), (2, 2, 6, 2)), ((2, 2, 2, 2, 3), (1, 2, 2, 1, 2), (2, 4, 6)),
], ids=str)
def test_merge_after_an_axis_not_in_blocks_of_one_is_rechunked_as_dask(shape, chunks, new) -> None:
    """dask relabels blocks without rechunking only when every axis before the merged group's last is in blocks
    of 1, those outside the group included; otherwise it re-cuts the group ((2, 1) became (1, 2)): the same
    blocks here (gpuscale looked at the group alone and kept (2, 1))."""
    values = np.arange(48).reshape(shape)
    got = ga.from_array(values, chunks=chunks).reshape(new)
    assert got.chunks == da.from_array(values, chunks=chunks).reshape(new).chunks
    np.testing.assert_array_equal(compute(got), values.reshape(new))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_any_merge_or_split_matches_dask(data: st.DataObject) -> None:
    shape = data.draw(st.sampled_from(_factorisations(48)))
    new = data.draw(st.sampled_from(_factorisations(48)))
    chunks = tuple(data.draw(st.integers(1, n)) for n in shape)
    values = np.arange(48).reshape(shape)
    got = ga.from_array(values, chunks=chunks).reshape(new)
    try:
        want = da.from_array(values, chunks=chunks).reshape(new).chunks
    except NotImplementedError:  # dask refuses what is not a merge or split; gpuscale moves rows
        want = None
    if want is not None:
        assert got.chunks == want
    np.testing.assert_array_equal(compute(got), values.reshape(new))


def test_reshaped_in_memory_data_stays_in_memory() -> None:
    # a reshape only moves elements: masking its result with an in-memory mask gives known lengths at once
    values = np.arange(24)
    x = ga.from_array(values.reshape(4, 6), chunks=(2, 3)).reshape(24)
    masked = x[ga.asarray(values % 5 == 0, chunks=6)]
    assert not any(np.isnan(n) for n in masked.chunks[0])
    np.testing.assert_array_equal(compute(masked), values[values % 5 == 0])
