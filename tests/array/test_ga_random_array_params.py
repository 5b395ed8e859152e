"""Distribution parameters that are arrays (NumPy's, lists, gpuscale arrays), broadcast as NumPy and dask.array
broadcast them; dask's names (``normal-<token>``) and its refusal of ``dtype=`` where NumPy has none."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

da = pytest.importorskip("dask.array")
SOURCES = [ga.random.RandomState, ga.random.default_rng]


@pytest.mark.parametrize("source", SOURCES)
@pytest.mark.parametrize("args, kwargs", [
    ((np.arange(6).reshape(2, 3), 2), {"chunks": 3}),
    ((np.ones((1, 4)), "ones"), {"chunks": (2, 3, 4)}),
    ((), {"scale": np.ones((1, 4)), "loc": "ones", "size": (2, 2, 3, 4), "chunks": (2, 2, 3, 4)}),
    ((np.array([1.0, 2.0, 3.0]), np.full((4, 1), 0.5)), {"chunks": 2}),
])
def test_shapes_and_blocks_are_dasks(source, args, kwargs):
    def build(lib):  # "ones": a lazy array of ones of the library
        ones = lib.ones((2, 3, 4), chunks=(2, 3, 4))
        a = tuple(ones if isinstance(v, str) else v for v in args)
        k = {n: ones if isinstance(v, str) else v for n, v in kwargs.items()}
        return a, k

    a, k = build(ga)
    ours = source(0).normal(*a, **k)
    a, k = build(da)
    theirs = da.random.default_rng(0).normal(*a, **k)
    assert (ours.shape, ours.chunks, ours.dtype) == (theirs.shape, theirs.chunks, theirs.dtype)
    assert compute(ours).shape == ours.shape


@pytest.mark.parametrize("source", SOURCES)
def test_each_element_draws_with_its_own_parameters(source):
    loc = np.arange(10) ** 3.0
    x = source(3).normal(ga.from_array(loc, chunks=1), 0.001, chunks=4)  # parameter blocks realigned
    assert x.chunks == ((4, 4, 2),)
    np.testing.assert_allclose(compute(x), loc, atol=0.01)
    low = compute(source(3).uniform(np.array([0.0, 10.0, 20.0]), [1.0, 11.0, 21.0], size=(50, 3), chunks=(20, 2)))
    assert ((low >= [0, 10, 20]) & (low < [1, 11, 21])).all()
    counts = compute(source(3).binomial(np.array([0, 10, 1000]), 0.5, chunks=2))
    assert counts.dtype == np.random.default_rng().binomial(np.array([1]), 0.5).dtype
    assert counts[0] == 0 and 0 <= counts[1] <= 10 and 400 < counts[2] < 600
    lam = compute(source(3).poisson(ga.full((2, 2000), 4.0, chunks=(1, 500))))
    assert lam.shape == (2, 2000) and abs(lam.mean() - 4.0) < 0.2


def test_same_seed_same_draws_and_a_zero_d_draw_ignores_chunks():
    loc = np.arange(8.0)
    a = compute(ga.random.default_rng(5).normal(loc, 1.0, chunks=3))
    b = compute(ga.random.default_rng(5).normal(ga.from_array(loc, chunks=2), 1.0, chunks=3))
    np.testing.assert_array_equal(a, b)  # the parameters' own blocks do not matter, as for scalar ones
    one = ga.random.default_rng(0).normal(1000, 0.01, chunks=(50,))
    assert one.shape == () and 999 < float(compute(one)) < 1001


def test_parameters_that_do_not_broadcast_to_size_raise():
    with pytest.raises(ValueError, match="does not broadcast"):
        ga.random.default_rng().normal(np.arange(6).reshape(2, 3), np.ones((3, 1)), size=(2, 3, 4), chunks=3)
    with pytest.raises(ValueError, match="broadcast"):
        ga.random.default_rng().normal(np.ones(3), np.ones(4))


@pytest.mark.parametrize("source", SOURCES)
def test_names_and_dtype_keyword_are_dasks(source):
    assert ga.random.normal(0, 1, size=(1000,), chunks=(500,)).name.startswith("normal-")
    assert source(1).exponential(size=4).name.startswith("exponential-")
    with pytest.raises(TypeError, match="dtype"):
        source().standard_cauchy(size=(10,), dtype="float64")
    with pytest.raises(TypeError, match="dtype"):
        da.random.default_rng().standard_cauchy(size=(10,), dtype="float64")
    assert source(1).standard_exponential(size=4, dtype="float32").dtype == np.float32
    assert "mean" in source(5).normal.__doc__
