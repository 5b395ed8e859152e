"""Statistical reductions (tree reductions) and scans against NumPy."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

RNG = np.random.default_rng(1)
DATA = RNG.normal(size=(7, 6, 5))


@pytest.mark.parametrize("axis", [None, 0, 1, 2, (0, 2), (1, 2), -1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("name", ["sum", "prod", "mean", "min", "max", "var", "std"])
def test_reduction(name: str, axis: object, keepdims: bool) -> None:
    x = ga.from_array(DATA, chunks=(2, 4, 1))
    assert_same(getattr(ga, name)(x, axis=axis, keepdims=keepdims),
                getattr(np, name)(DATA, axis=axis, keepdims=keepdims))


def test_many_blocks_use_several_tree_levels() -> None:
    data = RNG.normal(size=1000)
    x = ga.from_array(data, chunks=7)  # 143 blocks -> several combine levels
    assert_same(ga.sum(x), np.sum(data))
    assert_same(ga.var(x, correction=1), np.var(data, ddof=1))
    assert_same(ga.argmax(x), np.argmax(data))


def test_variance_is_numerically_stable() -> None:
    data = 1e9 + RNG.normal(size=10_000)
    x = ga.from_array(data, chunks=1000)
    np.testing.assert_allclose(ga.var(x).compute() if False else _host(ga.var(x)), np.var(data), rtol=1e-6)


def _host(x: ga.Array) -> np.ndarray:
    from array_helpers import compute

    return compute(x)


def test_integer_sum_dtype_and_explicit_dtype() -> None:
    data = np.arange(10, dtype=np.int32)
    x = ga.from_array(data, chunks=3)
    assert_same(ga.sum(x), np.sum(data))
    assert_same(ga.sum(x, dtype=ga.float64), np.sum(data, dtype=np.float64))
    assert_same(ga.prod(x + 1, dtype=ga.int64), np.prod(data + 1, dtype=np.int64))


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool"])
@pytest.mark.parametrize("name", ["mean", "var", "std"])
def test_moments_of_integers_and_booleans_are_float64_as_numpy(name: str, dtype: str) -> None:
    # the standard defines mean/var for floats only (array-api-strict refuses integers); NumPy and CuPy
    # give float64
    data = (np.arange(24) % 5).astype(dtype).reshape(6, 4)
    x = ga.from_array(data, chunks=(4, 3))
    kwargs = {} if name == "mean" else {"ddof": 1}
    assert_same(getattr(ga, name)(x, axis=0, **kwargs), getattr(np, name)(data, axis=0, **kwargs))
    assert_same(getattr(ga, name)(x), getattr(np, name)(data))


def test_all_any_count_nonzero() -> None:
    data = RNG.integers(0, 3, size=(5, 4))
    x = ga.from_array(data, chunks=2)
    for axis in (None, 0, 1):
        assert_same(ga.all(x, axis=axis), np.all(data, axis=axis))
        assert_same(ga.any(x > 1, axis=axis), np.any(data > 1, axis=axis))
        assert_same(ga.count_nonzero(x, axis=axis), np.count_nonzero(data, axis=axis))


@pytest.mark.parametrize("axis", [0, 1])
def test_cumulative(axis: int) -> None:
    data = RNG.integers(1, 4, size=(7, 5))
    x = ga.from_array(data, chunks=(3, 2))
    assert_same(ga.cumulative_sum(x, axis=axis), np.cumsum(data, axis=axis))
    assert_same(ga.cumulative_prod(x, axis=axis), np.cumprod(data, axis=axis))
    expected = np.concatenate([np.zeros_like(data.take([0], axis=axis)), np.cumsum(data, axis=axis)], axis=axis)
    assert_same(ga.cumulative_sum(x, axis=axis, include_initial=True), expected)


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_argmin_argmax(axis: object) -> None:
    data = RNG.normal(size=(9, 7))
    x = ga.from_array(data, chunks=(2, 3))
    assert_same(ga.argmax(x, axis=axis), np.argmax(data, axis=axis))
    assert_same(ga.argmin(x, axis=axis, keepdims=True), np.argmin(data, axis=axis, keepdims=True))


def test_axis_errors() -> None:
    x = ga.ones((2, 3))
    with pytest.raises(ValueError, match="out of bounds"):
        ga.sum(x, axis=2)
    with pytest.raises(IndexError):
        ga.mean(x, axis=-3)


def test_reduction_of_zero_d_and_empty() -> None:
    assert_same(ga.sum(ga.asarray(3.0)), np.sum(np.asarray(3.0)))
    assert_same(ga.sum(ga.zeros((0, 3)), axis=0), np.sum(np.zeros((0, 3)), axis=0))


def test_reduction_chunk_step_fuses_with_elementwise() -> None:
    x = ga.from_array(DATA, chunks=(2, 6, 5))
    graph = ((x + 1) * 2).sum(axis=0).optimize().__dask_graph__()
    names = {k[0].split("-")[0] for k in graph if isinstance(k, tuple)}
    assert "fused" in names and "multiply" not in names


def test_sums_of_differences_are_of_the_differences() -> None:
    """sum/mean of ``x - y`` reduce the differences, as NumPy: sum(x) - sum(y) would cancel (1e16 + 1 - 1e16),
    lose a float32 mean's digits, or overflow float32 where the differences do not."""
    a, b = np.array([1e16, 1.0]), np.array([-1e16, 0.0])
    assert_same((ga.from_array(a, chunks=1) + ga.from_array(b, chunks=1)).sum(), np.float64(1.0))
    big = np.array([3e38, 3e38], dtype=np.float32)
    assert_same((ga.from_array(big, chunks=1) - ga.from_array(big, chunks=1)).sum(), np.float32(0.0))
    p1 = (101325 + 500 * RNG.standard_normal((400, 400))).astype(np.float32)
    p2 = p1 + np.float32(1)
    x1, x2 = ga.from_array(p1, chunks=100), ga.from_array(p2, chunks=100)
    assert_same((x2 - x1).mean(axis=0), (p2 - p1).mean(axis=0))
    data = np.array([[1e16, 1.0], [3.0, 4.0]])
    x = ga.from_array(data, chunks=1)
    assert_same((x - x.T).sum(axis=0), (data - data.T).sum(axis=0))


def test_reductions_read_through_a_transpose() -> None:
    data = RNG.normal(size=(9, 9))
    x = ga.from_array(data, chunks=(4, 4))
    from gpuscale.array.expr import Blockwise

    optimized = x.T.sum(axis=0).expr.optimize(fuse=False)
    names = [b.args[0] for b in optimized.find_operations(Blockwise) if b.args and isinstance(b.args[0], str)]
    assert "permute_dims" not in names
    assert_same(x.T.sum(axis=0), data.T.sum(axis=0))
    assert_same((x + x.T).mean(axis=0), (data + data.T).mean(axis=0))
    uneven = ga.from_array(data, chunks=(4, 3))
    assert_same((uneven + uneven.T).mean(axis=0), (data + data.T).mean(axis=0))


def test_plans_built_around_a_reduction_reuse_its_lowered_nodes() -> None:
    from gpuscale.array.reductions import Reduction, TreeReduce

    x = ga.from_array(np.arange(24.0).reshape(4, 6), chunks=2)
    total = x.sum(axis=0)
    first, second = (total[i].expr.optimize(fuse=False) for i in (0, 5))
    assert not any(isinstance(node, Reduction) for node in first.walk())
    (a,), (b,) = ([n for n in plan.walk() if isinstance(n, TreeReduce) and n.final] for plan in (first, second))
    assert a is b  # lowered once: the same nodes, names and tasks
    assert float(total[5]) == float(np.arange(24.0).reshape(4, 6).sum(axis=0)[5])


def test_numpy_names_ddof_cumsum_cumprod_match_numpy() -> None:
    # dask and xarray call NumPy's names: std/var(ddof=), cumsum/cumprod (axis=None flattens)
    import numpy as np

    import gpuscale.array as ga
    from gpuscale.backends import to_host

    data = np.arange(1.0, 13.0).reshape(3, 4)
    x = ga.asarray(data, chunks=2)
    got = lambda a: np.asarray(to_host(a.compute()))  # noqa: E731
    np.testing.assert_allclose(got(x.std(axis=0, ddof=1)), data.std(axis=0, ddof=1))
    np.testing.assert_allclose(got(ga.var(x, ddof=1)), data.var(ddof=1))
    np.testing.assert_allclose(got(ga.cumsum(x, axis=1)), np.cumsum(data, axis=1))
    np.testing.assert_allclose(got(x.cumsum()), np.cumsum(data))
    np.testing.assert_allclose(got(x.cumprod(axis=0)), np.cumprod(data, axis=0))


@pytest.mark.parametrize("method", ["sequential", "blelloch"])
def test_cumsum_of_objects_keeps_numpys_order(method: str, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("object arrays are NumPy chunks only")
    words = np.array(["b", "a", "", "c", "ab"], dtype=object)  # string + does not commute
    got = ga.cumsum(ga.from_array(words, chunks=2), method=method).compute()
    np.testing.assert_array_equal(got, np.cumsum(words))


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_sum_of_timedeltas_as_numpy(axis: object, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("timedelta64 is NumPy's")
    data = np.arange(12).astype("timedelta64[s]").reshape(3, 4)
    got = ga.sum(ga.from_array(data, chunks=2), axis=axis)
    want = np.sum(data, axis=axis)
    assert got.dtype == np.asarray(want).dtype
    np.testing.assert_array_equal(got.compute(), want)
