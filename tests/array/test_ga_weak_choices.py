"""select and choose keep Python numbers among the choices weak (NEP 50), as NumPy: an int8 array with
the choice ``1`` stays int8, a float32 one with ``1.5`` float32."""

from __future__ import annotations

import numpy as np
import pytest
from array_helpers import assert_same

import gpuscale.array as ga

DTYPES = ["int8", "uint8", "int64", "float16", "float32", "complex64", "bool"]
SCALARS = [1, -1, 300, 1.5, 2 + 1j, True]


def _numpy_or_error(func):
    try:
        return func(), None
    except (TypeError, OverflowError) as e:
        return None, type(e)


def _data(dtype, backend="numpy"):
    if dtype == "float16" and backend == "array_api_strict":
        pytest.skip("array-api-strict has no float16")
    x = np.arange(6).astype(dtype)
    return x, ga.from_array(x, chunks=2)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scalar", SCALARS)
def test_select_python_choice_is_weak(backend, dtype, scalar):
    x, g = _data(dtype, backend)
    cond = np.arange(6) > 2
    expected, error = _numpy_or_error(lambda: np.select([cond, ~cond], [x, scalar]))
    if error is TypeError and np.dtype(dtype).kind == "u":
        # NumPy's copy of an int64 choice into uint8 is refused ('same_kind'); its default= wraps instead:
        # gpuscale wraps the choice as the default, with NumPy's dtype
        expected = np.select([cond], [x], scalar)
        expected = np.where(cond, x, expected)
    elif error is not None:
        with pytest.raises(error):
            ga.select([ga.asarray(cond), ~ga.asarray(cond)], [g, scalar]).compute()
        return
    assert_same(ga.select([ga.asarray(cond), ~ga.asarray(cond)], [g, scalar]), expected)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scalar", SCALARS)
def test_choose_python_choice_is_weak(backend, dtype, scalar):
    x, g = _data(dtype, backend)
    which = np.arange(6) % 2
    expected = np.choose(which, [x, scalar])
    assert_same(ga.choose(ga.from_array(which, chunks=3), [g, scalar]), expected)


@pytest.mark.parametrize("dtype", ["int8", "float32"])
def test_select_python_choice_and_default_both_weak(dtype):
    x, g = _data(dtype)
    cond = np.arange(6) > 3
    assert_same(ga.select([ga.asarray(cond)], [1], default=x), np.select([cond], [1], default=x))
    assert_same(ga.select([g > 3, g < 1], [g, 2], default=7), np.select([x > 3, x < 1], [x, 2], default=7))


def test_numpy_scalar_choice_is_not_weak():
    x, g = _data("int8")
    assert_same(ga.choose(g % 2, [g, np.int64(1)]), np.choose(x % 2, [x, np.int64(1)]))
    assert_same(ga.select([g > 2], [np.float64(1.5)], default=g), np.select([x > 2], [np.float64(1.5)], default=x))


@pytest.mark.parametrize("call", [lambda a: ga.select([a > 2], [a], 2 ** 70), lambda a: ga.choose(a % 2, [a, 2 ** 70])])
def test_python_int_beyond_64_bits_raises_overflow(call):
    x, g = _data("int8")
    with pytest.raises(OverflowError):
        np.select([x > 2], [x], 2 ** 70)
    with pytest.raises(OverflowError, match="too large"):
        call(g)
