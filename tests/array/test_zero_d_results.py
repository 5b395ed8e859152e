"""0-d results compute to what NumPy and dask.array give: a 0-d array for data made, reshaped, squeezed,
transposed or cast without computing on it (``np.zeros(())``, ``np.asarray(5)``, ``np.ones(1).squeeze()``),
a NumPy scalar for reductions, indexing to one element and arithmetic."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga

CASES = {
    "sum": lambda m: m.ones(6).sum(),
    "mean": lambda m: m.arange(6.0).mean(),
    "max": lambda m: m.arange(6).max(),
    "index one element": lambda m: m.arange(6)[2],
    "arithmetic on 0-d data": lambda m: m.asarray(5) + 1,
    "ufunc of 0-d data": lambda m: m.isnan(m.asarray(1.0)),
    "squeeze": lambda m: m.ones((1,)).squeeze(),
    "squeeze function": lambda m: m.squeeze(m.ones((1, 1))),
    "reshape to ()": lambda m: m.ones(1).reshape(()),
    "asarray of an int": lambda m: m.asarray(5),
    "asarray of a NumPy scalar": lambda m: m.asarray(np.float64(2.0)),
    "zeros(())": lambda m: m.zeros(()),
    "full((), v)": lambda m: m.full((), 3.5),
    "zeros_like of 0-d": lambda m: m.zeros_like(m.asarray(3.0)),
    "astype of 0-d data": lambda m: m.asarray(5).astype("float64"),
    "transpose of 0-d data": lambda m: m.asarray(5).T,
    "a reduction reshaped stays a scalar": lambda m: m.ones(6).sum().reshape(()),
    "a reduction cast stays a scalar": lambda m: m.ones(6).sum().astype("int64"),
}


def _computed(value):
    return value.compute() if hasattr(value, "compute") else value


@pytest.fixture
def numpy_chunks(backend):
    if backend != "numpy":  # CuPy and array-api-strict have no scalars: every 0-d result is a 0-d array there
        pytest.skip("NumPy's scalars and 0-d arrays")


@pytest.mark.parametrize("case", sorted(CASES))
def test_zero_d_result_kind_is_numpys(case, numpy_chunks):
    expected = CASES[case](np)
    got = _computed(CASES[case](ga))
    assert type(got) is type(expected), (type(got), type(expected))
    assert got.dtype == expected.dtype and np.array_equal(got, expected)


@pytest.mark.parametrize("case", ["sum", "squeeze", "reshape to ()", "asarray of an int", "zeros(())",
                                  "index one element", "astype of 0-d data"])
def test_zero_d_result_kind_is_dasks(case, numpy_chunks):
    assert type(_computed(CASES[case](ga))) is type(CASES[case](da).compute())


@pytest.mark.parametrize("case", sorted(CASES))
def test_zero_d_results_on_a_device_are_0d_arrays(case, backend):
    if backend == "numpy":
        pytest.skip("see test_zero_d_result_kind_is_numpys")
    got = _computed(CASES[case](ga))
    assert got.shape == () and type(got).__module__.split(".")[0] != "numpy"


def test_a_zero_d_result_is_a_copy_of_the_held_block(numpy_chunks):
    x = ga.asarray(5).persist()
    got = x.compute()
    got[()] = 7
    assert x.compute() == 5
