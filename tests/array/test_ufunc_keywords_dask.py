"""NumPy's ufunc keywords (out=, where=, dtype=, casting=) and NumPy-in/NumPy-out calls, against NumPy and dask."""

from __future__ import annotations

from typing import Any

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import compute

LEFT = np.arange(12).reshape(3, 4)
RIGHT = np.arange(4)
MASK = np.array([False, True, True, False])


@pytest.mark.parametrize("dtype", [None, "f8", "float32"])
@pytest.mark.parametrize("mask_kind", ["numpy", "gpuscale", False])
def test_where_out_dtype_match_numpy_and_dask(dtype: str | None, mask_kind: object) -> None:
    mask = ga.asarray(MASK, chunks=2) if mask_kind == "gpuscale" else (MASK if mask_kind == "numpy" else False)
    out = ga.full((3, 4), 7, dtype=dtype or "int64")
    result = ga.add(ga.asarray(LEFT, chunks=2), RIGHT, where=mask, out=out, dtype=dtype)
    expected = np.add(LEFT, RIGHT, where=MASK if mask_kind else False, out=np.full((3, 4), 7, dtype=dtype or "int64"),
                      dtype=dtype)
    d_out = da.full((3, 4), 7, dtype=dtype or "int64")
    dask_result = da.add(da.from_array(LEFT, chunks=2), RIGHT, where=MASK if mask_kind else False, out=d_out,
                         dtype=dtype)
    assert result is out
    assert result.dtype == expected.dtype == dask_result.dtype
    np.testing.assert_array_equal(compute(result), expected)
    np.testing.assert_array_equal(compute(result), dask_result.compute())


def test_where_broadcasts_to_the_mask_and_fills_zero_without_out() -> None:
    mask = np.array([[0, 1, 1, 0], [1, 0, 0, 1]], dtype=bool)
    result = ga.multiply(ga.asarray(RIGHT + 1, chunks=2), 3, where=ga.asarray(mask, chunks=1))
    assert result.shape == mask.shape
    np.testing.assert_array_equal(compute(result), np.where(mask, (RIGHT + 1) * 3, 0))


def test_numpy_ufunc_on_gpuscale_array_takes_where_and_dtype() -> None:
    x = ga.asarray(LEFT, chunks=2)
    out = ga.zeros((3, 4))
    result = np.subtract(x, RIGHT, where=MASK, out=out, dtype="float64")
    assert result is out
    np.testing.assert_array_equal(compute(out), np.subtract(LEFT, RIGHT, where=MASK, out=np.zeros((3, 4))))
    assert np.multiply(x, 2, dtype="float32").dtype == np.multiply(LEFT, 2, dtype="float32").dtype


def test_casting_refusals_name_the_cause() -> None:
    x = ga.asarray([1.5, 2.5])
    with pytest.raises(TypeError, match="ast ufunc 'add' input 0 from dtype\\('float64'\\) to dtype\\('int32'\\)"):
        ga.add(x, 1, dtype="int32")
    assert compute(ga.add(x, 1, dtype="int32", casting="unsafe")).tolist() == np.add(
        [1.5, 2.5], 1, dtype="int32", casting="unsafe").tolist()
    with pytest.raises(ValueError, match="casting must be one of"):
        ga.add(x, 1, casting="sometimes")
    with pytest.raises(TypeError, match="unexpected keyword argument 'axis'"):
        ga.add(x, 1, axis=0)
    with pytest.raises(TypeError, match="must be a gpuscale array"):
        ga.add(x, 1, out=np.zeros(2))
    with pytest.raises(ValueError):
        ga.log(ga.arange(10.0, chunks=5), out=ga.arange(15.0, chunks=5))


@pytest.mark.parametrize("name", ["add", "fmax", "fmod", "ldexp", "logaddexp2", "float_power", "power"])
def test_numpy_inputs_give_numpy_results(name: str) -> None:
    a, b = np.arange(1, 7).reshape(2, 3), np.arange(6, 0, -1).reshape(2, 3)
    result, dask_result = getattr(ga, name)(a, b), getattr(da, name)(a, b)
    assert type(result) is type(dask_result) is np.ndarray
    np.testing.assert_array_equal(result, getattr(np, name)(a, b))
    assert isinstance(getattr(ga, name)(ga.asarray(a), ga.asarray(b)), ga.Array)


@pytest.mark.parametrize("name", ["cbrt", "fabs", "rint", "degrees", "spacing", "exp2"])
def test_unary_numpy_inputs_and_rint_dtype(name: str) -> None:
    a = np.arange(1, 7).reshape(2, 3)
    assert isinstance(getattr(ga, name)(a), np.ndarray)
    lazy = getattr(ga, name)(ga.asarray(a, chunks=2))
    expected = getattr(np, name)(a)
    assert lazy.dtype == expected.dtype == getattr(da, name)(da.from_array(a, chunks=2)).dtype
    np.testing.assert_allclose(compute(lazy), expected)
    np.testing.assert_allclose(compute(getattr(np, name)(ga.asarray(a, chunks=2))), expected)


def test_angle_isreal_iscomplex_dispatch() -> None:
    z = np.array([1 + 1j, 2 + 0j, -1 + 0j])
    assert isinstance(ga.angle(z), np.ndarray)
    np.testing.assert_allclose(compute(ga.angle(ga.asarray(z), deg=True)), np.angle(z, deg=True))
    np.testing.assert_array_equal(compute(np.isreal(ga.asarray(z))), np.isreal(z))
    np.testing.assert_array_equal(compute(np.iscomplex(ga.asarray(z))), np.iscomplex(z))


@pytest.mark.parametrize("dtype", ["float64", "float32", "int32", "uint8", "bool", "complex128"])
def test_imag_and_real_of_any_dtype_as_numpy(dtype: str) -> None:
    # ga.imag of a real array failed on array-api-strict chunks (the standard's imag takes complex only)
    a = np.array([1, 2, 0, 3], dtype=dtype) * (1 + 2j if dtype[0] == "c" else 1)
    a = a.astype(dtype)
    x = ga.asarray(a, chunks=3)
    for name in ("imag", "real"):
        want = getattr(np, name)(a)
        for lazy in (getattr(ga, name)(x), getattr(np, name)(x), getattr(x, name)):
            got = compute(lazy)
            assert lazy.dtype == got.dtype == want.dtype
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("other", [2.0, np.arange(1.0, 5.0)])
def test_builtin_divmod(other: object) -> None:
    a = np.arange(-4.0, 4.0).reshape(2, 4)
    x = ga.asarray(a, chunks=(1, 2))
    for got, want, from_dask in zip(divmod(x, other), divmod(a, other), divmod(da.from_array(a, chunks=2), other)):
        np.testing.assert_array_equal(compute(got), want)
        np.testing.assert_array_equal(compute(got), from_dask.compute())
    quotient, remainder = divmod(7, ga.asarray([2, 3]))  # Python's divmod(7, y): y.__rdivmod__
    assert (compute(quotient).tolist(), compute(remainder).tolist()) == ([3, 2], [1, 1])


@pytest.mark.parametrize("name", ["log", "add", "fmax", "power", "invert", "rint"])
def test_ufunc_attributes_are_numpys(name: str) -> None:
    for attribute in ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature"):
        assert getattr(getattr(ga, name), attribute) == getattr(getattr(np, name), attribute) == \
            getattr(getattr(da, name), attribute)


@pytest.mark.parametrize("pair", [("gpuscale", "gpuscale"), ("numpy", "gpuscale"), ("gpuscale", "list"),
                                  ("scalar", "gpuscale"), ("gpuscale", "zero-d")])
def test_outer_matches_numpy_and_dask(pair: tuple) -> None:
    a, b = np.arange(1.0, 6.0), np.arange(6.0).reshape(2, 3)
    data = {"gpuscale": (a, b), "numpy": (a, b), "list": ([1.0, 2.0], [1.0, 2.0]), "scalar": (1.5, 1.5),
            "zero-d": (np.array(2.0), np.array(2.0))}
    first, second = data[pair[0]][0], data[pair[1]][1]
    as_ga = {"gpuscale": lambda v: ga.asarray(v, chunks=2)}
    as_da = {"gpuscale": lambda v: da.from_array(v, chunks=2)}
    result = ga.subtract.outer(as_ga.get(pair[0], lambda v: v)(first), as_ga.get(pair[1], lambda v: v)(second))
    dask_result = da.subtract.outer(as_da.get(pair[0], lambda v: v)(first), as_da.get(pair[1], lambda v: v)(second))
    assert isinstance(result, ga.Array)
    assert result.shape == dask_result.shape
    np.testing.assert_array_equal(compute(result), np.subtract.outer(first, second))


def test_outer_of_numpy_inputs_is_numpys_and_refusals() -> None:
    a = np.arange(4)
    assert isinstance(ga.multiply.outer(a, a), np.ndarray)
    np.testing.assert_array_equal(ga.multiply.outer(a, a, dtype="f8"), np.multiply.outer(a, a, dtype="f8"))
    x = ga.asarray(a)
    np.testing.assert_array_equal(compute(ga.multiply.outer(x, x, dtype="f8")), np.multiply.outer(a, a, dtype="f8"))
    with pytest.raises(ValueError, match="two inputs"):
        ga.sin.outer(x, x)
    with pytest.raises(ValueError, match="out="):
        ga.add.outer(x, x, out=x)


def test_dtype_of_a_test_names_its_output() -> None:
    a = np.array([1, 2, 3])
    x = ga.asarray(a)
    np.testing.assert_array_equal(compute(ga.less(x, 2, dtype=bool)), np.less(a, 2, dtype=bool))
    np.testing.assert_array_equal(compute(np.less(x, 2, dtype=bool)), np.less(a, 2, dtype=bool))
    with pytest.raises(TypeError):
        np.less(a, 2, dtype=float)
    # no loop outputs floats: the comparison cast to them, as dask.array (NumPy refuses)
    np.testing.assert_array_equal(compute(ga.less(x, 2, dtype=float)), da.less(da.from_array(a), 2, dtype=float).compute())
    assert ga.less(x, 2, dtype=float).dtype == np.float64
    with pytest.raises(TypeError):
        np.add(a, 1, dtype=bool)
    with pytest.raises(TypeError, match="input 0 from dtype\\('int64'\\) to dtype\\('bool'\\)"):
        ga.add(x, 1, dtype=bool)


def _numpy_ufunc_names() -> list[str]:
    from gpuscale.array import elementwise, ufuncs

    names = [*elementwise.UNARY, *elementwise.BINARY, *ufuncs.BINARY,
             *(n for n in ufuncs.UNARY if n not in ufuncs.NOT_UFUNCS)]
    return [n for n in names if isinstance(getattr(np, n, None), np.ufunc)]


def _dask_or_refusal(name: str, inputs: tuple, dtype: Any) -> Any:
    """dask.array's answer to ``name(*inputs, dtype=dtype)``, or None where it refuses."""
    try:
        func = getattr(da, name, None) or getattr(da, getattr(np, name).__name__)  # (acos: dask's arccos)
        return func(*(da.from_array(v, chunks=2) for v in inputs), dtype=dtype).compute()
    except (TypeError, ValueError):
        return None


@pytest.mark.parametrize("name", _numpy_ufunc_names())
def test_every_ufunc_takes_numpys_keywords_as_numpy(name: str, backend: str) -> None:
    if backend != "numpy":
        pytest.skip("integer inputs to floating functions: array-api-strict refuses them (the standard's rule)")
    rng = np.random.default_rng(5)
    a, b, mask = rng.integers(1, 9, (3, 4)), rng.integers(1, 9, 4), rng.random((3, 4)) > 0.5
    npfunc, gafunc = getattr(np, name), getattr(ga, name)
    inputs = (a, b)[:npfunc.nin]
    lazy = [ga.asarray(v, chunks=2) for v in inputs]
    with np.errstate(all="ignore"):
        expected = npfunc(*inputs, where=mask, out=np.full((3, 4), 7, dtype=npfunc(*inputs).dtype))
        out = ga.full((3, 4), 7, dtype=expected.dtype)
        assert gafunc(*lazy, where=ga.asarray(mask, chunks=2), out=out) is out
        np.testing.assert_allclose(compute(out), expected, equal_nan=True)
        for dtype in ["f4", "i4", bool]:
            try:
                wanted = npfunc(*inputs, dtype=dtype)
            except TypeError:  # dask.array casts the result where casting allows; so does gpuscale
                wanted = _dask_or_refusal(name, inputs, dtype)
                if wanted is None:
                    with pytest.raises(TypeError):
                        gafunc(*lazy, dtype=dtype)
                    continue
            result = gafunc(*lazy, dtype=dtype)
            assert result.dtype == wanted.dtype
            np.testing.assert_allclose(compute(result), wanted, equal_nan=True)


@pytest.mark.parametrize("name", ["frexp", "modf", "divmod"])
def test_two_output_functions_take_out_and_where(name: str, backend: str) -> None:
    if name == "frexp" and backend == "array_api_strict":
        pytest.skip("frexp needs NumPy or CuPy chunks")
    values, mask = np.array([1.5, -2.25, 3.0, 8.0]), np.array([True, False, True, False])
    inputs = (values, 2.0) if name == "divmod" else (values,)
    npfunc = getattr(np, name)
    natural = npfunc(*inputs)
    expected = npfunc(*inputs, where=mask, out=tuple(np.full(4, 7, dtype=r.dtype) for r in natural))
    lazy_inputs = (ga.asarray(values, chunks=2), *inputs[1:])
    outs = tuple(ga.full(4, 7, dtype=r.dtype) for r in natural)
    results = getattr(ga, name)(*lazy_inputs, where=ga.asarray(mask, chunks=2), out=outs)
    for got, out, want in zip(results, outs, expected):
        assert got is out
        np.testing.assert_array_equal(compute(got), want)
    if backend == "numpy":  # NumPy's protocol runs its two-output ufuncs on NumPy and CuPy chunks
        through_numpy = npfunc(*lazy_inputs, where=mask, out=tuple(ga.full(4, 7, dtype=r.dtype) for r in natural))
        for got, want in zip(through_numpy, expected):
            np.testing.assert_array_equal(compute(got), want)
    without_out = getattr(ga, name)(*lazy_inputs, where=ga.asarray(mask, chunks=2))
    for got, want in zip(without_out, natural):
        np.testing.assert_array_equal(compute(got), np.where(mask, want, 0))


def test_frompyfunc_runs_the_python_function_lazily_as_dask(backend):
    if backend != "numpy":
        pytest.skip("object arrays are NumPy chunks only")
    import operator

    x, y = np.arange(20.0).reshape(4, 5), np.arange(5) * 10
    got, want = ga.frompyfunc(operator.add, 2, 1), da.frompyfunc(operator.add, 2, 1)
    gx, gy = ga.from_array(x, chunks=(3, 2)), ga.from_array(y, chunks=2)
    dx, dy = da.from_array(x, chunks=(3, 2)), da.from_array(y, chunks=2)
    result = got(gx, gy)
    assert isinstance(result, ga.Array) and result.dtype == object
    np.testing.assert_array_equal(result.compute(), want(dx, dy).compute())
    np.testing.assert_array_equal(got.outer(gx, gy).compute(), want.outer(dx, dy).compute())
    with pytest.raises(NotImplementedError):
        ga.frompyfunc(lambda a, b: (a + b, a - b), 2, 2)
