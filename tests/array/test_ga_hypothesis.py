"""Differential tests against NumPy over random shapes, chunkings and dtypes (empty, 0-d, uneven blocks)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import gpuscale.array as ga
from array_helpers import assert_same

DTYPES = st.sampled_from([np.int32, np.int64, np.float32, np.float64, np.uint8])
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@st.composite
def chunked(draw: st.DrawFn, min_dims: int = 0, min_side: int = 0) -> tuple[np.ndarray, tuple]:
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=min_side, max_side=7))
    dtype = draw(DTYPES)
    data = draw(hnp.arrays(dtype, shape, elements=st.integers(0, 20)))
    chunks = tuple(draw(st.integers(1, max(n, 1))) for n in shape)
    return data, chunks


@SETTINGS
@given(chunked(min_dims=0), st.data())
def test_elementwise_and_reductions(case: tuple, data: st.DataObject) -> None:
    values, chunks = case
    x = ga.from_array(values, chunks=chunks)
    assert_same(x * 2 + 1, values * 2 + 1)
    axis = data.draw(st.sampled_from([None] + list(range(values.ndim))))
    assert_same(ga.sum(x, axis=axis), np.sum(values, axis=axis))
    assert_same(ga.max(x, axis=axis), np.max(values, axis=axis)) if values.size else None
    if values.size:
        assert_same(ga.mean(ga.astype(x, ga.float64), axis=axis), np.mean(values.astype(np.float64), axis=axis))


@SETTINGS
@given(chunked(min_dims=1), st.data())
def test_slicing(case: tuple, data: st.DataObject) -> None:
    values, chunks = case
    x = ga.from_array(values, chunks=chunks)
    key = data.draw(hnp.basic_indices(values.shape, allow_newaxis=True, allow_ellipsis=True))
    assert_same(x[key], values[key])


@SETTINGS
@given(chunked(min_dims=1, min_side=1), st.data())
def test_rechunk_reshape_transpose(case: tuple, data: st.DataObject) -> None:
    values, chunks = case
    x = ga.from_array(values, chunks=chunks)
    new_chunks = tuple(data.draw(st.integers(1, n)) for n in values.shape)
    assert_same(x.rechunk(new_chunks), values)
    assert_same(ga.reshape(x, (-1,)), values.reshape(-1))
    assert_same(ga.permute_dims(x, tuple(reversed(range(values.ndim)))), values.transpose())
    assert_same(ga.cumulative_sum(x, axis=0), np.cumsum(values, axis=0))
