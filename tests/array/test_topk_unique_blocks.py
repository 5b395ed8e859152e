"""topk/argtopk (a partition per block, a sort of the kept ones only) and unique (per block, then combined):
the order, ties, NaNs and edge shapes of a whole stable sort, as NumPy and dask give them."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(7)


def stable_top(data: np.ndarray, k: int, axis: int) -> np.ndarray:
    """Positions of the top ``k`` along ``axis``: a stable sort (ties in order; NaN the largest)."""
    order = np.argsort(data, axis=axis, kind="stable")
    if k > 0:  # descending and stable: sort the reversed axis, then map back (NaN first)
        flipped = np.argsort(np.flip(data, axis=axis), axis=axis, kind="stable")
        order = data.shape[axis] - 1 - np.flip(flipped, axis=axis)
    return np.take(order, range(min(abs(k), data.shape[axis])), axis=axis)


def tied(shape: tuple, dtype: str, nans: bool = False) -> np.ndarray:
    data = RNG.integers(0, 4, size=shape).astype(dtype) if dtype != "bool" else RNG.random(shape) < 0.5
    if nans:
        data[RNG.random(shape) < 0.2] = np.nan
    return data


CASES = [  # (data, chunks)
    (tied((40,), "float64", nans=True), 7),
    (tied((40,), "int64"), 9),
    (tied((40,), "bool"), 6),
    (tied((33,), "uint8"), ((10, 0, 20, 3),)),  # an empty block, one shorter than k
    (tied((9, 30), "float32", nans=True), (4, 8)),
    (RNG.normal(size=(12, 25)), (5, 6)),
]


@pytest.mark.parametrize("case", range(len(CASES)))
@pytest.mark.parametrize("k", [1, 3, -4, 8, -30, 200])
@pytest.mark.parametrize("axis", [0, -1])
def test_topk_argtopk_keep_stable_order_of_ties_and_nans(case: int, k: int, axis: int, backend: str) -> None:
    data, chunks = CASES[case]
    if backend == "array_api_strict" and data.dtype == bool:
        pytest.skip("array-api-strict sorts real numbers only")
    if axis == 0 and data.ndim == 1 and k > 8:
        axis = -1
    x = ga.from_array(data, chunks=chunks)
    order = stable_top(data, k, axis)
    assert_same(ga.argtopk(x, k, axis=axis), order.astype(np.int64))
    assert_same(ga.topk(x, k, axis=axis), np.take_along_axis(data, order, axis=axis))


@pytest.mark.parametrize("k", [5, -5, 15, -15])
def test_topk_argtopk_match_dask(k: int) -> None:
    import dask.array as da

    data = RNG.permutation(60).astype("float64").reshape(3, 20)  # distinct: dask's argtopk orders ties otherwise
    data[1, 4] = np.nan
    x, d = ga.from_array(data, chunks=(2, 6)), da.from_array(data, chunks=(2, 6))
    np.testing.assert_array_equal(compute(ga.topk(x, k)), da.topk(d, k).compute())
    np.testing.assert_array_equal(compute(ga.argtopk(x, k)), da.argtopk(d, k).compute())
    np.testing.assert_array_equal(compute(ga.topk(x, 2, axis=0)), da.topk(d, 2, axis=0).compute())


def test_topk_order_partition_path_is_the_stable_sort() -> None:
    """The chunk function: the partition path (NumPy) gives the positions of a full stable sort."""
    from gpuscale.backends.array import _routines

    for _ in range(200):
        dtype = str(RNG.choice(["float64", "float32", "int8", "uint16", "bool"]))
        shape = tuple(int(n) for n in RNG.integers(1, 6, size=RNG.integers(1, 4)))
        data = tied(shape[:-1] + (int(RNG.integers(1, 40)),), dtype, nans=dtype.startswith("float"))
        axis = int(RNG.integers(-data.ndim, data.ndim))
        n = data.shape[axis]
        for k in {1, 2, -1, -3, n, -n, n // 2 or 1, n + 1}:
            got = _routines.topk_order(data, k, axis)
            np.testing.assert_array_equal(got, stable_top(data, k, axis), err_msg=f"{dtype} {shape} {axis} {k}")


def test_topk_of_complex_and_empty_axis(backend: str) -> None:
    if backend == "array_api_strict":
        pytest.skip("array-api-strict sorts real numbers only")
    data = np.array([1 + 2j, 3 + 0j, 1 + 5j, 3 + 0j, 0j])
    x = ga.from_array(data, chunks=2)
    assert_same(ga.topk(x, 2), data[stable_top(data, 2, 0)])
    assert_same(ga.argtopk(x, -2), stable_top(data, -2, 0).astype(np.int64))
    empty = ga.from_array(np.zeros((0, 4)), chunks=2)
    assert_same(ga.topk(empty, 2, axis=1), np.zeros((0, 2)))
    assert_same(ga.topk(empty, 2, axis=0), np.zeros((0, 4)))


UNIQUE_CASES = [  # (data, chunks): several blocks each, so the per-block path is taken where it can be
    (RNG.integers(0, 5, size=37), 6),
    (RNG.integers(0, 4, size=(6, 7)).astype("float64"), 2),
    (np.array([np.nan, 1, np.nan, 2, 1, np.nan, 0.5, np.nan]), 3),
    (np.zeros(0), 1),
    (np.array(3.0), ()),
    (RNG.integers(0, 3, size=(4, 5)).astype("uint8"), (3, 2)),
    (np.array([5, 1, 5, 1, 7]), ((2, 0, 3),)),  # an empty block
]
NUMPY_OPTIONS = [{}, {"return_counts": True}, {"return_index": True}, {"return_inverse": True},
                 {"return_index": True, "return_inverse": True, "return_counts": True},
                 {"equal_nan": False, "return_index": True, "return_counts": True}]


def same_parts(got: object, want: object) -> None:
    got, want = (got if isinstance(got, tuple) else (got,)), (want if isinstance(want, tuple) else (want,))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        g = compute(g)
        assert g.dtype == w.dtype and g.shape == w.shape, (g, w)
        np.testing.assert_array_equal(g, w)


@pytest.mark.parametrize("case", range(len(UNIQUE_CASES)))
@pytest.mark.parametrize("options", range(len(NUMPY_OPTIONS)))
def test_unique_of_blocks_as_numpy(case: int, options: int) -> None:
    data, chunks = UNIQUE_CASES[case]
    kwargs = NUMPY_OPTIONS[options]
    same_parts(ga.unique(ga.from_array(data, chunks=chunks), **kwargs), np.unique(data, **kwargs))


@pytest.mark.parametrize("case", range(len(UNIQUE_CASES)))
def test_unique_functions_of_blocks_as_numpy(case: int) -> None:
    data, chunks = UNIQUE_CASES[case]
    x = ga.from_array(data, chunks=chunks)
    same_parts(ga.unique_values(x), np.sort(np.unique_values(data)))  # (NumPy's may be unsorted)
    for name in ("unique_counts", "unique_inverse", "unique_all"):
        same_parts(tuple(getattr(ga, name)(x)), tuple(getattr(np, name)(data)))


def test_unique_of_blocks_of_unknown_lengths() -> None:
    data = RNG.integers(0, 6, size=(30,)).astype("float64")
    data[[3, 11, 20]] = np.nan
    x = ga.from_array(data, chunks=4)
    y, kept = x[x > 1], data[data > 1]
    for kwargs in NUMPY_OPTIONS:
        got = ga.unique(y, **kwargs)
        assert all(np.isnan(p.shape[0]) for p in (got if isinstance(got, tuple) else (got,)))
        same_parts(got, np.unique(kept, **kwargs))
    z = ga.from_array(data, chunks=4)
    same_parts(tuple(ga.unique_all(z[z == z])), tuple(np.unique_all(data[data == data])))
