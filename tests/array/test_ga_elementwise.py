"""Element-wise functions and operators: broadcasting, promotion, chunk alignment, fusion."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.array.elementwise import BINARY, UNARY
from array_helpers import assert_same

RNG = np.random.default_rng(0)
DATA = RNG.uniform(0.1, 0.9, size=(6, 5))
OTHER = RNG.uniform(0.1, 0.9, size=(6, 5))
INTS = RNG.integers(1, 50, size=(6, 5))
INTS2 = RNG.integers(1, 6, size=(6, 5))

FLOAT_ONLY_BINARY = {"atan2", "copysign", "hypot", "logaddexp", "nextafter", "divide", "pow", "maximum", "minimum",
                     "add", "subtract", "multiply", "floor_divide", "remainder", "equal", "not_equal", "less",
                     "less_equal", "greater", "greater_equal"}
INT_BINARY = {"bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"}
BOOL_FUNCS = {"logical_and", "logical_or", "logical_xor", "logical_not"}


@pytest.mark.parametrize("name", UNARY)
def test_unary(name: str) -> None:
    if name in BOOL_FUNCS:
        data = DATA > 0.5
    elif name == "bitwise_invert":
        data = INTS
    elif name in ("real", "imag", "conj"):
        data = DATA + 1j * OTHER
    elif name == "acosh":
        data = DATA + 1
    else:
        data = DATA
    x = ga.from_array(data, chunks=(4, 2))
    assert_same(getattr(ga, name)(x), getattr(np, _np_name(name))(data))


def _np_name(name: str) -> str:
    return {"acos": "arccos", "acosh": "arccosh", "asin": "arcsin", "asinh": "arcsinh", "atan": "arctan",
            "atanh": "arctanh", "atan2": "arctan2", "bitwise_invert": "invert", "bitwise_left_shift": "left_shift",
            "bitwise_right_shift": "right_shift", "pow": "power"}.get(name, name)


@pytest.mark.parametrize("name", BINARY)
def test_binary(name: str) -> None:
    if name in BOOL_FUNCS:
        a, b = DATA > 0.5, OTHER > 0.5
    elif name in INT_BINARY:
        a, b = INTS, INTS2
    else:
        a, b = DATA, OTHER
    x, y = ga.from_array(a, chunks=(4, 2)), ga.from_array(b, chunks=(3, 5))  # different chunks: aligned
    assert_same(getattr(ga, name)(x, y), getattr(np, _np_name(name))(a, b))


@pytest.mark.parametrize("op", [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow,
                                operator.lt, operator.ge, operator.eq])
def test_operators_with_scalars_and_broadcasting(op: object) -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    row = ga.from_array(OTHER[0], chunks=3)
    assert_same(op(x, row), op(DATA, OTHER[0]))
    assert_same(op(x, 2), op(DATA, 2))
    assert_same(op(2.5, x), op(2.5, DATA))


def test_python_scalar_keeps_float32() -> None:
    x = ga.asarray(np.ones(4, dtype=np.float32), chunks=2)
    assert (x * 2.0).dtype == ga.float32
    assert_same(x + 1, np.ones(4, dtype=np.float32) + 1)


def test_type_promotion() -> None:
    a = ga.asarray(np.ones(3, dtype=np.int8))
    b = ga.asarray(np.ones(3, dtype=np.uint8))
    assert (a + b).dtype == np.dtype("int16")
    assert_same(a + b, np.ones(3, dtype=np.int8) + np.ones(3, dtype=np.uint8))


def test_broadcast_error_names_shapes() -> None:
    x, y = ga.ones((2, 3)), ga.ones((4,))
    with pytest.raises(ValueError, match=r"\(2, 3\) \(4,\)"):
        x + y


def test_inplace_operators() -> None:
    x = ga.from_array(DATA.copy(), chunks=2)
    alias = x
    x += 1
    x *= 2
    assert alias is x
    assert_same(x, (DATA + 1) * 2)
    with pytest.raises(TypeError):  # int += float would change the dtype (or is refused by the library)
        i = ga.arange(3)
        i += 1.5


def test_unary_operators() -> None:
    x = ga.from_array(DATA - 0.5, chunks=2)
    assert_same(-x, -(DATA - 0.5))
    assert_same(abs(x), abs(DATA - 0.5))
    assert_same(~ga.asarray(INTS), ~INTS)


def test_clip_and_round() -> None:
    x = ga.from_array(DATA * 10, chunks=2)
    assert_same(ga.clip(x, 2, 7), np.clip(DATA * 10, 2, 7))
    assert_same(ga.clip(x, max=5), np.clip(DATA * 10, None, 5))
    assert_same(ga.clip(x, min=5), np.clip(DATA * 10, 5, None))
    assert_same(ga.round(x), np.round(DATA * 10))


def test_where() -> None:
    x = ga.from_array(DATA, chunks=(4, 2))
    assert_same(ga.where(x > 0.5, x, 0.0), np.where(DATA > 0.5, DATA, 0.0))


def test_elementwise_chain_fuses_to_one_task_per_block() -> None:
    x = ga.from_array(DATA, chunks=(2, 5))
    y = ga.sin(x) * 2 + ga.cos(x) - 1
    optimized = y.optimize()
    graph = optimized.__dask_graph__()
    source_keys = [k for k in graph if str(k[0] if isinstance(k, tuple) else k).startswith("fromarray")]
    assert len(graph) - len(source_keys) == 3  # 3 blocks, one fused task each
    assert_same(y, np.sin(DATA) * 2 + np.cos(DATA) - 1)


def test_shared_intermediate_is_not_recomputed_inside_fusion() -> None:
    x = ga.from_array(DATA, chunks=(2, 5))
    shared = ga.exp(x)
    y = shared + shared * 2
    assert_same(y, np.exp(DATA) + np.exp(DATA) * 2)


def test_broadcast_operand_is_computed_once_not_per_block() -> None:
    x = ga.from_array(DATA, chunks=(2, 5))  # 3 blocks along axis 0
    row = ga.sin(ga.from_array(OTHER[0], chunks=5))  # one block, broadcast over the 3 blocks
    graph = (x + row).optimize().__dask_graph__()
    assert sum(1 for k in graph if isinstance(k, tuple) and k[0].startswith("sin")) == 1
    assert_same(x + row, DATA + np.sin(OTHER[0]))


@pytest.mark.parametrize("decimals", [-2, -1, 0, 1, 3])
@pytest.mark.parametrize("dtype", ["float64", "float32", "int64", "uint16"])
def test_round_with_decimals_and_the_method(decimals: int, dtype: str) -> None:
    data = (np.linspace(-2000, 2000, 41) * 1.2345).astype(dtype) if dtype[0] == "f" else \
        np.array([0, 5, 15, 25, 35, 150, 250, 1234, 9999], dtype=dtype)
    x = ga.from_array(data, chunks=4)
    assert_same(ga.round(x, decimals=decimals), np.round(data, decimals))
    assert_same(x.round(decimals), np.round(data, decimals))


def test_round_of_booleans_as_numpy(backend: str) -> None:
    # around and the method kept bool (round gave NumPy's float16); decimals != 0 is refused, as NumPy
    data = np.array([True, False, True, True])
    x = ga.from_array(data, chunks=3)
    for call in (ga.round, ga.around, lambda a: a.round(), np.round, np.around, lambda a: ga.round(a, 0)):
        if backend == "array_api_strict":  # no float16 there: refused, naming it
            with pytest.raises(TypeError, match="float16"):
                call(x)
        else:
            assert_same(call(x), np.round(data))
    for decimals in (1, -1):
        with pytest.raises(TypeError):
            np.round(data, decimals)
        for call in (lambda: ga.round(x, decimals), lambda: ga.around(x, decimals), lambda: x.round(decimals)):
            with pytest.raises(TypeError, match="bool"):
                call()


def test_argsort_method_is_stable_along_any_axis() -> None:
    data = np.round(DATA * 4)  # ties
    x = ga.from_array(data, chunks=(2, 3))
    assert_same(x.argsort(), np.argsort(data, kind="stable"))
    assert_same(x.argsort(axis=0), np.argsort(data, axis=0, kind="stable"))
    assert_same(x.argsort(axis=1, descending=True), np.argsort(-data, axis=1, kind="stable"))
    with pytest.raises(NotImplementedError):
        x.argsort(order="a")


def test_string_arrays_compare_and_join_with_a_python_string_as_numpy(backend: str) -> None:
    if backend != "numpy":
        pytest.skip("strings are NumPy chunks only")
    words = np.array(["b", "a", "c", "a", "d"])
    x = ga.from_array(words, chunks=2)
    for got, want in [(x == "a", words == "a"), ("a" != x, "a" != words), (x < "c", words < "c"),
                      (x + "!", np.char.add(words, "!")), (ga.where(x == "a", x, "z"), np.where(words == "a", words, "z"))]:
        assert isinstance(got, ga.Array)
        np.testing.assert_array_equal(got.compute(), want)
    raw = np.array([b"a", b"b"])
    np.testing.assert_array_equal((ga.from_array(raw, chunks=1) == b"a").compute(), raw == b"a")


def test_equality_of_raw_bytes_and_records_as_numpy(backend):
    # NumPy's equal ufunc has no loop for dtype kind "V" (raw bytes, records); its == operator compares them
    if backend != "numpy":
        pytest.skip("raw bytes and records are NumPy's")
    raw = np.frombuffer(b"\x00\x01\x00\x02\x02", dtype="V1")
    records = np.array([(1, 2.0), (3, 4.0), (1, 2.0)], dtype=[("a", "i4"), ("b", "f8")])
    for data in (raw, records):
        x = ga.from_array(data, chunks=2)
        np.testing.assert_array_equal((x == data).compute(), data == data)
        np.testing.assert_array_equal((x != data[::-1]).compute(), data != data[::-1])
        np.testing.assert_array_equal((x == x[::-1]).compute(), data == data[::-1])
