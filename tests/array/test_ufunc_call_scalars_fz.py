"""Ufuncs run through ``apply_gufunc`` (SciPy's, NumPy's of several outputs): Python scalars stay weak (NEP 50),
``dtype=`` is the loop's dtype, and keywords gpuscale does not take are named in the error."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same

sp = pytest.importorskip("scipy.special")

DATA = np.linspace(0.1, 2.0, 8, dtype=np.float32)


def _numpy_chunks_only(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("SciPy's ufuncs run on NumPy blocks")


@pytest.mark.parametrize("call", [lambda a: sp.jv(1, a), lambda a: sp.kl_div(a, 1.0),
                                  lambda a: sp.boxcox(a, 0.5), lambda a: sp.jv(True, a)],
                         ids=["jv", "kl_div", "boxcox", "jv-bool"])
def test_scipy_ufunc_python_scalar_is_weak(backend: str, call) -> None:
    _numpy_chunks_only(backend)
    assert_same(call(ga.from_array(DATA, chunks=3)), call(DATA), rtol=1e-6)


def test_scipy_ufunc_scalars_are_part_of_the_name(backend: str) -> None:
    _numpy_chunks_only(backend)
    x = ga.from_array(DATA, chunks=3)
    assert sp.jv(1, x).name != sp.jv(2, x).name
    assert_same(sp.jv(2, x), sp.jv(2, DATA), rtol=1e-6)


def test_divmod_python_scalar_is_weak(backend: str) -> None:
    x = ga.from_array(DATA, chunks=3)
    if backend == "array_api_strict":
        with pytest.raises(TypeError, match="divmod.*Array API"):
            np.divmod(x, 2.0)
        return
    for got, want in zip(np.divmod(x, 2.0), np.divmod(DATA, 2.0)):
        assert_same(got, want)
    ints = np.arange(8, dtype=np.int8)
    for got, want in zip(np.divmod(ga.from_array(ints, chunks=3), 3), np.divmod(ints, 3)):
        assert_same(got, want)


def test_scipy_ufunc_dtype_is_the_loop(backend: str) -> None:
    _numpy_chunks_only(backend)
    x = ga.from_array(DATA, chunks=3)
    want = sp.expit(DATA, dtype=np.float64)  # computed in float64, not float32 values cast
    assert_same(sp.expit(x, dtype=np.float64), want, rtol=0, atol=0)
    assert_same(sp.jv(1, x, dtype=np.float64), sp.jv(1, DATA, dtype=np.float64), rtol=1e-12)


def test_scipy_ufunc_dtype_without_a_loop_is_numpys_refusal(backend: str) -> None:
    _numpy_chunks_only(backend)
    with pytest.raises(TypeError):
        sp.expit(DATA, dtype=np.int64)
    with pytest.raises(TypeError, match="(?i)no loop|cannot cast"):
        sp.expit(ga.from_array(DATA, chunks=3), dtype=np.int64)


@pytest.mark.parametrize("call, keyword", [
    (lambda a: np.sqrt(a, signature=(np.float64, np.float64)), "signature"),
    (lambda a: np.add.reduce(a, initial=1.0), "initial"),
    (lambda a: np.subtract.reduce(a), "subtract.reduce"),
    (lambda a: np.add.at(a, np.array([0]), 1.0), "add.at"),
])
def test_unsupported_ufunc_keyword_is_named(backend: str, call, keyword: str) -> None:
    x = ga.from_array(DATA, chunks=3)
    with pytest.raises(TypeError, match=keyword) as info:
        call(x)
    assert "returned NotImplemented" not in str(info.value)


def test_unsupported_where_of_a_scipy_ufunc_is_named(backend: str) -> None:
    _numpy_chunks_only(backend)
    with pytest.raises(TypeError, match="where") as info:
        sp.expit(ga.from_array(DATA, chunks=3), where=np.ones(8, dtype=bool))
    assert "returned NotImplemented" not in str(info.value)


class _Foreign:
    """An operand of another library that handles ufuncs on gpuscale arrays itself."""

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return "foreign"


def test_foreign_operand_still_gets_its_turn(backend: str) -> None:
    x = ga.from_array(DATA, chunks=3)
    assert np.add(x, _Foreign()) == "foreign"
    assert np.add(x, _Foreign(), signature=(None, None, None)) == "foreign"
