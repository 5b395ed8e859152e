"""Bad input is refused when the expression is built, with NumPy's exception type and a message naming the
cause (NumPy raises at once, dask when the graph is built), not by the blocks at compute."""

from __future__ import annotations

import re

import numpy as np
import pytest

import gpuscale.array as ga


def numpy_error(call: object) -> BaseException:
    """The exception NumPy raises for the same call (the reference type)."""
    try:
        call()
    except Exception as exc:  # noqa: BLE001 - any exception is the reference
        return exc
    raise AssertionError("NumPy accepted the call")


def assert_refused_as_numpy(np_call: object, ga_call: object, match: str) -> None:
    """``ga_call`` raises (when built, nothing computed) NumPy's exception type, its message matching."""
    expected = numpy_error(np_call)
    with pytest.raises(type(expected), match=match):
        ga_call()


@pytest.mark.parametrize("make, np_make", [
    (lambda: ga.eye(-2, chunks=2), lambda: np.eye(-2)),
    (lambda: ga.eye(3, -2, chunks=2), lambda: np.eye(3, -2)),
    (lambda: ga.random.random(-5, chunks=2), lambda: np.random.random(-5)),
    (lambda: ga.random.normal(0, 1, -5, chunks=2), lambda: np.random.normal(0, 1, -5)),
    (lambda: ga.random.randint(0, 5, (3, -5), chunks=2), lambda: np.random.randint(0, 5, (3, -5))),
    (lambda: ga.random.default_rng(0).beta(1, 2, size=-3), lambda: np.random.default_rng(0).beta(1, 2, size=-3)),
    (lambda: ga.random.RandomState(0).poisson(2.0, -3), lambda: np.random.RandomState(0).poisson(2.0, -3)),
    (lambda: ga.random.choice(5, size=-1), lambda: np.random.default_rng(0).choice(5, size=-1)),
    (lambda: ga.random.multinomial(3, [0.5, 0.5], size=-1), lambda: np.random.multinomial(3, [0.5, 0.5], size=-1)),
], ids=["eye", "eye-cols", "random", "normal", "randint", "beta", "poisson", "choice", "multinomial"])
def test_negative_sizes_refused_when_built(make: object, np_make: object) -> None:
    assert_refused_as_numpy(np_make, make, "negative dimensions")


def test_permutation_of_a_negative_count_is_empty_as_numpy() -> None:
    assert ga.random.permutation(-3).compute().shape == np.random.permutation(-3).shape


@pytest.mark.parametrize("func", ["triu", "tril"])
def test_triangle_diagonal_not_an_integer_refused_when_built(func: str) -> None:
    x = ga.ones((10, 10), chunks=5)
    assert_refused_as_numpy(lambda: getattr(np, func)(np.ones((10, 10)), k="a"),
                            lambda: getattr(ga, func)(x, k="a"), "k must be an integer")


def test_eye_and_tri_diagonal_not_an_integer_refused_when_built() -> None:
    assert_refused_as_numpy(lambda: np.eye(3, k="a"), lambda: ga.eye(3, k="a"), "k must be an integer")
    assert_refused_as_numpy(lambda: np.tri(3, k="a"), lambda: ga.tri(3, k="a"), "k must be an integer")


@pytest.mark.parametrize("func", ["concatenate", "hstack", "vstack", "dstack", "column_stack", "block", "stack"])
def test_joining_no_arrays_refused_as_numpy(func: str) -> None:
    assert_refused_as_numpy(lambda: getattr(np, func)([]), lambda: getattr(ga, func)([]),
                            "need at least one array|cannot be empty")


@pytest.mark.parametrize("rhs_shape", [(7,), (7, 2)])
def test_solve_right_hand_side_of_other_rows_refused_when_built(rhs_shape: tuple) -> None:
    a = ga.ones((10, 10), chunks=5)
    assert_refused_as_numpy(lambda: np.linalg.solve(np.eye(10), np.ones(rhs_shape)),
                            lambda: ga.linalg.solve(a, ga.ones(rhs_shape, chunks=7)), r"x2 of shape \(7")


def test_lstsq_right_hand_side_of_other_rows_refused_as_numpy() -> None:
    a = ga.ones((10, 3), chunks=5)
    assert_refused_as_numpy(lambda: np.linalg.lstsq(np.ones((10, 3)), np.ones(7)),
                            lambda: ga.linalg.lstsq(a, ga.ones(7, chunks=7)), "Incompatible dimensions")


@pytest.mark.parametrize("func", ["inv", "det", "cholesky", "matrix_power"])
def test_non_square_matrices_refused_with_numpys_linalg_error(func: str) -> None:
    args = (2,) if func == "matrix_power" else ()
    assert_refused_as_numpy(lambda: getattr(np.linalg, func)(np.ones((10, 5)), *args),
                            lambda: getattr(ga.linalg, func)(ga.ones((10, 5), chunks=5), *args), "square")


def _assign(x: object, key: object, value: object) -> object:
    x[key] = value
    return x


@pytest.mark.parametrize("value", ["abc", b"abc", ["1", "a"] * 5, np.array(["x"]), object()],
                         ids=["str", "bytes", "list", "array", "object"])
@pytest.mark.parametrize("key", [0, (slice(None), [1, 3]), "mask"])
def test_setitem_value_not_a_number_refused_when_built(value: object, key: object) -> None:
    x = ga.ones((10, 10), chunks=5).copy()
    np_key, ga_key = (np.ones((10, 10), bool), x > 0) if key == "mask" else (key, key)
    if key == "mask" and isinstance(value, list):
        value = "a"  # a mask takes one value
    assert_refused_as_numpy(lambda: _assign(np.ones((10, 10)), np_key, value), lambda: _assign(x, ga_key, value),
                            "could not convert|argument must be")


@pytest.mark.parametrize("value", ["1.5", None, np.array(["2.5"] * 10)], ids=["str", "none", "array"])
def test_setitem_value_of_text_that_is_a_number_assigned_as_numpy(value: object) -> None:
    from array_helpers import assert_same

    expected = np.ones((10, 10))
    expected[0] = value
    assert_same(_assign(ga.ones((10, 10), chunks=5).copy(), 0, value), expected)


@pytest.mark.parametrize("decimals", ["a", 1.5], ids=["str", "float"])
def test_round_decimals_not_an_integer_refused_as_numpy(decimals: object) -> None:
    x = ga.ones((10, 10), chunks=5)
    for name in ("round", "around"):
        assert_refused_as_numpy(lambda: getattr(np, name)(np.ones((10, 10)), decimals),
                                lambda: getattr(ga, name)(x, decimals), "cannot be interpreted as an integer")
    assert_refused_as_numpy(lambda: np.ones((10, 10)).round(decimals), lambda: x.round(decimals),
                            "cannot be interpreted as an integer")


@pytest.mark.parametrize("name, np_call, ga_call", [
    ("swapaxes", lambda a: np.swapaxes(a, 0, 5), lambda a: ga.swapaxes(a, 0, 5)),
    ("swapaxes-first", lambda a: np.swapaxes(a, -3, 0), lambda a: ga.swapaxes(a, -3, 0)),
    ("method-swapaxes", lambda a: a.swapaxes(5, 0), lambda a: a.swapaxes(5, 0)),
    ("rollaxis", lambda a: np.rollaxis(a, 5), lambda a: ga.rollaxis(a, 5)),
    ("cumsum", lambda a: np.cumsum(a, axis=5), lambda a: ga.cumsum(a, axis=5)),
])
def test_axis_out_of_range_raises_numpys_axis_error(name: str, np_call: object, ga_call: object) -> None:
    x = ga.ones((10, 10), chunks=5)
    assert_refused_as_numpy(lambda: np_call(np.ones((10, 10))), lambda: ga_call(x), "out of bounds")


def test_rechunk_of_an_axis_out_of_range_raises_axis_error() -> None:
    # NumPy has no rechunk: dask's rechunk raises NumPy's AxisError (a ValueError and an IndexError)
    x = ga.ones((10, 10), chunks=5)
    with pytest.raises(np.exceptions.AxisError, match="axis 5 is out of bounds"):
        x.rechunk({5: 2})
    with pytest.raises(np.exceptions.AxisError, match="axis -3 is out of bounds"):
        ga.pad(x, {-3: 1})


def test_stats_axis_out_of_range_raises_scipys_axis_error() -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    x = ga.ones((10, 10), chunks=5)
    assert_refused_as_numpy(lambda: scipy_stats.skew(np.ones((10, 10)), axis=5),
                            lambda: ga.stats.skew(x, axis=5), "out of bounds")


def test_cumreduction_axis_out_of_range_raises_axis_error() -> None:
    # NumPy's cumsum of the same axis: AxisError (dask's cumreduction normalizes the axis with NumPy's)
    from gpuscale.array.reductions import cumreduction

    x = ga.ones((10, 10), chunks=5)
    assert_refused_as_numpy(lambda: np.cumsum(np.ones((10, 10)), axis=5),
                            lambda: cumreduction(np.cumsum, np.add, 0, x, axis=5), "axis 5 is out of bounds")


@pytest.mark.parametrize("shape", [(10, 10), (10,)], ids=["2d", "1d"])
def test_map_blocks_blocks_of_other_dimensions_named_when_computed(shape: tuple) -> None:
    # the function does not add the declared new axis: a ValueError naming the block, not an IndexError
    x = ga.ones(shape, chunks=5)
    y = x.map_blocks(lambda b: b, new_axis=0)
    assert y.ndim == len(shape) + 1
    block_shape = re.escape(str((5,) * len(shape)))
    with pytest.raises(ValueError, match=rf"block \(0, 0.*shape {block_shape}.*has {len(shape) + 1}"):
        y.compute()


def test_map_blocks_with_the_declared_new_axis_still_computes() -> None:
    from array_helpers import assert_same

    x = ga.arange(10, chunks=5)
    assert_same(x.map_blocks(lambda b: b[None, ...], new_axis=0, dtype=x.dtype), np.arange(10)[None])


def test_from_delayed_value_of_another_shape_refused_when_computed() -> None:
    dask = pytest.importorskip("dask")
    x = ga.from_delayed(dask.delayed(np.ones)(3), shape=(5,), dtype=float)
    with pytest.raises(ValueError, match=r"shape \(3,\), not of the declared shape \(5,\)"):
        x.compute()
    with pytest.raises(ValueError, match="declared shape"):
        (x + 1).sum().compute()


def test_from_delayed_of_the_declared_or_unknown_shape_computes() -> None:
    from array_helpers import assert_same, compute

    dask = pytest.importorskip("dask")
    assert_same(ga.from_delayed(dask.delayed(np.arange)(5), shape=(5,), dtype="int64"), np.arange(5))
    x = ga.from_delayed(dask.delayed(np.arange)(5), shape=(float("nan"),), dtype="int64")
    assert np.array_equal(compute(x), np.arange(5))
