"""``linspace``: each block computes only its own values, equal to NumPy's to the last ulp."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import gpuscale
import gpuscale.array as ga
from array_helpers import compute
from gpuscale.backends import to_host
from gpuscale.graph import flatten_keys

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
ENDS = st.one_of(st.integers(-10**6, 10**6), st.floats(-1e6, 1e6, allow_nan=False), st.sampled_from([0.1, 1e-310]))


@SETTINGS
@given(ENDS, ENDS, st.integers(0, 40), st.booleans(), st.integers(1, 40),
       st.sampled_from([None, np.float64, np.float32, np.int64]))
def test_values_are_numpys_to_the_last_ulp(start: float, stop: float, num: int, endpoint: bool, chunks: int,
                                           dtype: object) -> None:
    want = np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)
    got = ga.linspace(start, stop, num, endpoint=endpoint, chunks=chunks, dtype=dtype)
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(compute(got), want, strict=True)


@pytest.mark.parametrize("args", [(0, 1, 7), (1 + 2j, -3j, 9), (5, 5, 4), (0.0, 1e-320, 6), (3, -2, 1)], ids=repr)
def test_special_ends(args: tuple) -> None:
    for endpoint in (True, False):
        want = np.linspace(*args, endpoint=endpoint)
        np.testing.assert_array_equal(compute(ga.linspace(*args, endpoint=endpoint, chunks=2)), want, strict=True)


def test_far_blocks_in_float32() -> None:
    # past 2**24 a float32 arange started at the block's offset drifts from NumPy's arange(0, num)
    args = (np.float32(0), np.float32(1), 20_000_001)
    got = ga.linspace(*args, chunks=1_000_000, dtype=np.float32)[17_000_000:17_000_050]
    np.testing.assert_array_equal(compute(got), np.linspace(*args)[17_000_000:17_000_050], strict=True)


def test_negative_num_is_a_value_error_naming_num() -> None:
    with pytest.raises(ValueError, match="num"):
        ga.linspace(0, 1, -1)
    with pytest.raises(TypeError):
        ga.linspace(0, 1, 2.5)  # as NumPy: not an integer


def test_a_block_computes_only_its_own_values() -> None:
    x = ga.linspace(0, 1, 20_000_000, chunks=1000)
    key = flatten_keys(x.__dask_keys__())[7000]
    task = {key: x.__dask_graph__()[key]}  # a creation task: it needs no other task
    gpuscale.get(task, [key], scheduler="sync")  # once first: modules loaded on first use are not measured
    tracemalloc.start()
    try:
        (block,) = gpuscale.get(task, [key], scheduler="sync")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(np.asarray(to_host(block)), np.linspace(0, 1, 20_000_000)[7_000_000:7_001_000])
    assert peak < 200_000, f"one 8 kB block peaked at {peak} bytes"
