"""Data-dependent results (``x[mask]``, ``nonzero``, ``unique_*``): known shapes for in-memory input, nan when lazy.

Every test runs with NumPy chunks and with array-api-strict chunks on
``device1`` (conftest), which refuse any conversion to the host: evaluating
a data-dependent result at once must leave the chunks on their device.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gpuscale.array as ga
from array_helpers import assert_same, compute
from gpuscale.backends import copy_counts, reset_copy_counts
from gpuscale.backends import array as chunkfn

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def chunked(draw: st.DrawFn, min_dims: int = 1) -> tuple[np.ndarray, tuple]:
    """Small integer data (repeats, so unique has work to do) with a random chunking; empty shapes included."""
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=0, max_side=6))
    data = draw(hnp.arrays(np.int64, shape, elements=st.integers(0, 4)))
    chunks = tuple(draw(st.integers(1, max(n, 1))) for n in shape)
    return data, chunks


def assert_known(x: ga.Array) -> None:
    assert not any(math.isnan(n) for n in x.shape), f"shape {x.shape} should be known"
    assert tuple(sum(c) for c in x.chunks) == x.shape


def sorted_unique(data: np.ndarray) -> tuple:
    """NumPy's values, first indices, inverse (shaped as ``data``) and counts, values sorted as ours."""
    values, indices, inverse, counts = np.unique(data, return_index=True, return_inverse=True, return_counts=True)
    return values, indices, inverse.reshape(data.shape), counts


def assert_unique_parts(result: tuple, data: np.ndarray, parts: tuple) -> None:
    want = sorted_unique(data)
    assert len(result) == len(parts)
    for got, i in zip(result, parts):
        assert_same(got, want[i])


# -- in-memory input: evaluated at once, known shapes ---------------------------------------------------------


@SETTINGS
@given(chunked(), st.data())
def test_boolean_mask_of_in_memory_arrays(case: tuple, data: st.DataObject) -> None:
    values, chunks = case
    mask_ndim = data.draw(st.integers(1, values.ndim))
    # a mask axis may also have length 0 (selects nothing), as NumPy allows
    mask_shape = tuple(data.draw(st.sampled_from([n, 0])) for n in values.shape[:mask_ndim])
    mask = data.draw(hnp.arrays(np.bool_, mask_shape))
    out = ga.from_array(values, chunks=chunks)[ga.asarray(mask)]
    assert_known(out)
    assert_same(out, values[mask])


@SETTINGS
@given(chunked())
def test_nonzero_of_in_memory_array(case: tuple) -> None:
    values, chunks = case
    out = ga.nonzero(ga.from_array(values, chunks=chunks))
    assert len(out) == values.ndim
    for got, want in zip(out, np.nonzero(values)):
        assert_known(got)
        assert_same(got, want)


@SETTINGS
@given(chunked(min_dims=0))
def test_unique_functions_of_in_memory_array(case: tuple) -> None:
    values, chunks = case
    x = ga.from_array(values, chunks=chunks)
    result = ga.unique_all(x)
    for part in result:
        assert_known(part)
    assert_unique_parts(result, values, (0, 1, 2, 3))
    assert_same(ga.unique_values(x), sorted_unique(values)[0])
    assert_unique_parts(ga.unique_counts(x), values, (0, 3))
    assert_unique_parts(ga.unique_inverse(x), values, (0, 2))


def test_persisted_and_reshaped_inputs_count_as_in_memory() -> None:
    values = np.arange(12) % 5
    persisted = (ga.asarray(values, chunks=5) + 0).persist()
    assert_same(ga.unique_values(persisted), np.unique(values))
    reshaped = ga.reshape(ga.asarray(values), (3, 4))  # a layout step of in-memory data
    assert_same(ga.nonzero(reshaped)[1], np.nonzero(values.reshape(3, 4))[1])
    assert_same(reshaped.rechunk(2)[1:, ::2][ga.asarray(values.reshape(3, 4)[1:, ::2] > 1)],
                values.reshape(3, 4)[1:, ::2][values.reshape(3, 4)[1:, ::2] > 1])


def test_empty_arrays_have_nothing_to_compute() -> None:
    assert_same(ga.unique_values(ga.zeros((0, 3))), np.zeros(0))
    assert_same(ga.nonzero(ga.ones((4, 0)))[0], np.zeros(0, dtype=np.int64))
    assert_same(ga.zeros((2, 0))[ga.asarray([True, False])], np.zeros((1, 0)))


def test_empty_mask_selects_nothing_even_from_lazy_arrays() -> None:
    lazy = ga.ones((2, 3)) + 1
    assert_same(lazy[ga.asarray(np.zeros((0, 3), dtype=bool))], np.zeros(0))
    assert_same(lazy[:, ga.zeros(0, dtype=ga.bool)], np.zeros((2, 0)))
    with pytest.raises(IndexError, match="does not match"):
        lazy[ga.asarray(np.zeros((1, 3), dtype=bool))]


def test_zero_d_mask_and_scalar_masks() -> None:
    x = ga.asarray(np.arange(6.0).reshape(2, 3), chunks=1)
    assert_same(x[ga.asarray(True)], np.arange(6.0).reshape(1, 2, 3))
    assert_same(x[ga.asarray(False)], np.zeros((0, 2, 3)))
    assert_same(ga.asarray(5.0)[ga.asarray(True)], np.array([5.0]))


def test_known_result_can_be_sliced_and_combined() -> None:
    values = np.arange(20)
    x = ga.from_array(values, chunks=6)
    masked = x[ga.asarray(values % 3 == 0)]
    assert masked.chunks == ((2, 2, 2, 1),)
    assert masked.compute_chunk_sizes() is masked
    assert_same(masked[1:4] + ga.nonzero(ga.asarray(values % 3 == 0))[0][:3], (values[values % 3 == 0][1:4]
                                                                                 + np.arange(0, 9, 3)))


def test_evaluation_keeps_chunks_on_their_device(backend: str) -> None:
    x = ga.from_array(np.arange(10) % 4, chunks=3)
    reset_copy_counts()
    out = ga.unique_counts(x).counts
    assert copy_counts["to_host"] == 0
    blocks = out._expr.blocks.value.values()
    assert {chunkfn.library_of(chunk) for chunk in blocks} == {backend}
    assert_same(out, np.array([3, 3, 2, 2]))


# -- lazy input: nan until computed, same values ----------------------------------------------------------------


@SETTINGS
@given(chunked())
def test_lazy_input_keeps_unknown_lengths(case: tuple) -> None:
    values, chunks = case
    x = ga.from_array(values, chunks=chunks) + 0  # arithmetic still to run: lazy
    masked = x[x > 1]
    assert masked.shape[0] == 0 if values.size == 0 else math.isnan(masked.shape[0])  # an empty mask: known
    np.testing.assert_array_equal(compute(masked), values[values > 1])
    for got, want in zip(ga.nonzero(x), np.nonzero(values)):
        assert math.isnan(got.shape[0])
        np.testing.assert_array_equal(compute(got), want)
    unique = ga.unique_all(x)
    assert math.isnan(unique.values.shape[0])
    for got, want in zip(unique, sorted_unique(values)):
        np.testing.assert_array_equal(compute(got), want)


@pytest.mark.parametrize("make", [lambda: ga.ones((3, 4)) + 1, lambda: ga.arange(12)])
def test_created_arrays_are_lazy(make: object) -> None:
    x = make()
    assert math.isnan(ga.unique_values(x).shape[0])
    assert math.isnan(ga.nonzero(x)[0].shape[0])
    assert math.isnan(x[x > 2].shape[0])


def test_mask_from_lazy_array_keeps_result_lazy() -> None:
    values = np.arange(8)
    x = ga.asarray(values, chunks=3)
    masked = x[x % 2 == 0]  # the mask is computed from x: lazy
    assert math.isnan(masked.shape[0])
    assert_same(masked.compute_chunk_sizes(), values[values % 2 == 0])
