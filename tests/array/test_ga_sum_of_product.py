"""A sum of a product in one fused task (weighted sums, einsum) is computed without the block-sized product."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array import fuse
from gpuscale.array.fuse import FusedBlock
from gpuscale.backends.array import _contract
from array_helpers import compute


def _data():
    rng = np.random.default_rng(3)
    x = rng.normal(size=(6, 5, 8)).astype("float32")
    x[2, 1, 4] = np.nan
    w = np.cos(np.linspace(0.0, 1.2, 5))[None, :, None]
    return x, w


def _fused_tasks(array):
    graph = array.__dask_graph__()
    return [task for task in graph.values() if isinstance(task, tuple) and isinstance(task[0], FusedBlock)]


def test_weighted_sums_match_numpy_and_use_the_contraction(monkeypatch) -> None:
    x, w = _data()
    gx, gw = ga.from_array(x, chunks=(2, 5, 8)), ga.from_array(w, chunks=(1, 5, 1))
    calls = []
    original = _contract.sum_of_product
    monkeypatch.setattr(_contract, "sum_of_product", lambda *a: calls.append(a) or original(*a))
    weighted = ga.sum(gx * gw, axis=(1, 2))
    weights = ga.sum(ga.astype(~ga.isnan(gx), gw.dtype) * gw, axis=(1, 2))  # NumPy code multiplies the bools
    np.testing.assert_allclose(compute(weighted), np.sum(x * w, axis=(1, 2)), rtol=1e-6, equal_nan=True)
    np.testing.assert_allclose(compute(weights), np.sum(~np.isnan(x) * w, axis=(1, 2)), rtol=1e-12)
    assert len(calls) == 2 * 3  # one per block of each


def test_einsum_contraction_matches_numpy() -> None:
    x, _ = _data()
    v = np.linspace(-1.0, 1.0, 8)
    out = ga.einsum("tij,j->ti", ga.from_array(x, chunks=(4, 5, 8)), ga.from_array(v))
    np.testing.assert_allclose(compute(out), np.einsum("tij,j->ti", x, v), rtol=1e-5, equal_nan=True)


@pytest.mark.parametrize("dtypes", [("bool", "bool"), ("int32", "int64"), ("float64", "float32")])
def test_products_summed_as_numpy_for_every_dtype(dtypes) -> None:
    rng = np.random.default_rng(4)
    a = (rng.integers(0, 3, size=(4, 3, 5)) > 0).astype(dtypes[0])
    b = rng.integers(1, 4, size=(1, 3, 1)).astype(dtypes[1])
    (out,) = _contract.sum_of_product((a, b), (1, 2))
    expected = np.sum(a * b, axis=(1, 2), keepdims=True)
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out, expected)


def test_a_scalar_factor_is_left_as_numpy_multiplies_it() -> None:
    x, _ = _data()
    out = ga.sum(ga.from_array(x, chunks=(3, 5, 8)) * 2.0, axis=(1, 2))
    np.testing.assert_allclose(compute(out), np.sum(x * 2.0, axis=(1, 2)), rtol=1e-6, equal_nan=True)


def test_only_a_sum_of_a_product_is_rewritten() -> None:
    x, w = _data()
    gx, gw = ga.from_array(x, chunks=(2, 5, 8)), ga.from_array(w, chunks=(1, 5, 1))
    product_sum = _fused_tasks(ga.sum(gx * gw, axis=(1, 2)))[0][0]
    product_max = _fused_tasks(ga.max(gx * gw, axis=(1, 2)))[0][0]
    funcs = [step[0] for step in fuse._contracted(product_sum.steps)]
    assert _contract.sum_of_product in funcs and _contract.multiply_pair in funcs
    assert fuse._contracted(product_max.steps) == product_max.steps
    np.testing.assert_allclose(compute(ga.max(gx * gw, axis=(1, 2))), np.max(x * w, axis=(1, 2)), equal_nan=True)
