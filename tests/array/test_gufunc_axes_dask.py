"""apply_gufunc's signature parsing, axes/axis/keepdims rules and loop-dimension checks, against NumPy and dask."""

from __future__ import annotations

import dask.array as da
import numpy as np
import pytest
from dask.array.gufunc import _parse_gufunc_signature, _validate_normalize_axes

import gpuscale.array as ga
from array_helpers import compute
from gpuscale.array.gufuncs import normalize_axes, parse_signature

SIGNATURES = ["(x)->()", "  (x, y) ->()", "(x),(y)->()", "(x)->(y),()", "(),(a,b,c),(d)->(d,e)", "(i,)->(i)"]
BAD_SIGNATURES = ["(x)(y)->()", "(x),(y)->", "((x))->(x)", "(x)->(x),"]


@pytest.mark.parametrize("signature", SIGNATURES)
def test_parse_signature_as_dask(signature: str) -> None:
    assert parse_signature(signature) == _parse_gufunc_signature(signature)


@pytest.mark.parametrize("signature", BAD_SIGNATURES)
def test_bad_signatures_raise_as_dask(signature: str) -> None:
    with pytest.raises(ValueError):
        _parse_gufunc_signature(signature)
    with pytest.raises(ValueError, match="Not a valid gufunc signature"):
        parse_signature(signature)


AXES_CASES = [
    ([(1, 0), 0], None, False, [("i", "j")], ("j",)),
    (None, 0, False, [("i",), ("i",)], ()),
    (None, 0, True, [("i",), ("i",)], ()),
    (None, 0, False, [("i",)], ("i",)),
    (None, None, False, [("i", "j"), ("j",)], [("i",), ()]),
    ([0], None, False, [("i",)], ()),
    ([0, ()], None, False, [("i",)], ()),
    (None, None, True, [("i",)], ()),
]
BAD_AXES_CASES = [
    ([(1, 0)], None, False, [("i", "j")], ("j",)),
    ([0, 0], None, False, [("i", "j")], ("j",)),
    (None, (0,), False, [("i",), ("i",)], ()),
    (None, 0, False, [("i",), ("j",)], ()),
    (None, 0, True, [("i",)], ("i",)),
    ([(0,), (0,)], None, True, [("i",), ("j",)], ()),
    (0, None, False, [("i",)], ()),
    ([0], 0, False, [("i",)], ()),
]


@pytest.mark.parametrize("case", AXES_CASES)
def test_normalize_axes_as_dask(case: tuple) -> None:
    ours, theirs = normalize_axes(*case), _validate_normalize_axes(*case)
    ndim = 3  # dask gives the default positions as negative numbers too; compare them on a 3-d array
    assert [[a % ndim for a in t] for t in ours[0]] == [[a % ndim for a in t] for t in theirs[0]]
    assert [[a % ndim for a in t] for t in ours[1]] == [[a % ndim for a in t] for t in theirs[1]]


@pytest.mark.parametrize("case", BAD_AXES_CASES)
def test_bad_axes_raise_as_dask(case: tuple) -> None:
    with pytest.raises(ValueError):
        _validate_normalize_axes(*case)
    with pytest.raises(ValueError):
        normalize_axes(*case)


def test_keepdims_without_axis_keeps_the_last_dimension() -> None:
    values = np.random.default_rng(0).standard_normal((10, 5))
    result = ga.apply_gufunc(lambda b: np.median(b, axis=-1), "(i)->()", ga.asarray(values, chunks=2, backend="numpy"),
                             keepdims=True, allow_rechunk=True, output_dtypes=float)
    assert result.shape == (10, 1)
    expected = da.apply_gufunc(lambda b: np.median(b, axis=-1), "(i)->()", da.from_array(values, chunks=2),
                               keepdims=True, allow_rechunk=True, output_dtypes=float)
    np.testing.assert_allclose(compute(result), expected.compute())
    np.testing.assert_allclose(compute(result), np.median(values, axis=-1, keepdims=True))


def test_output_sizes_resize_an_input_core_dimension() -> None:
    values = np.random.default_rng(1).standard_normal((3, 6, 4))
    x = ga.asarray(values, chunks=2, backend="numpy")
    result = ga.apply_gufunc(lambda b: np.diff(b, axis=-1), "(i)->(i)", x, axis=1, output_sizes={"i": 5},
                             allow_rechunk=True, output_dtypes=float)
    np.testing.assert_allclose(compute(result), np.diff(values, axis=1))


def test_loop_dimensions_of_different_blocks_need_allow_rechunk() -> None:
    # the functions here are NumPy's: NumPy chunks
    a, b = ga.asarray(np.arange(8.0), chunks=2, backend="numpy"), ga.asarray(np.arange(8.0), chunks=(2, 3, 3),
                                                                           backend="numpy")
    for lib, x, y in [(ga, a, b), (da, da.from_array(np.arange(8.0), 2), da.from_array(np.arange(8.0), ((2, 3, 3),)))]:
        with pytest.raises(ValueError, match="with different chunksize present"):
            lib.apply_gufunc(np.add, "(),()->()", x, y, output_dtypes=float)
    np.testing.assert_array_equal(compute(ga.apply_gufunc(np.add, "(),()->()", a, b, output_dtypes=float,
                                                          allow_rechunk=True)), np.arange(8.0) * 2)


def test_loop_lengths_that_do_not_broadcast_are_named() -> None:
    a, b = ga.asarray(np.ones(3), chunks=2), ga.asarray(np.ones(4), chunks=2)
    with pytest.raises(ValueError, match="different lengths in arrays"):
        ga.apply_gufunc(np.add, "(),()->()", a, b, output_dtypes=float, allow_rechunk=True)


def test_dtype_inference_failure_asks_for_the_dtype() -> None:
    def broken(block: object) -> object:
        raise RuntimeError("Woops")

    with pytest.raises(ValueError, match=r"^`dtype` inference failed.*RuntimeError: Woops.*output_dtypes="):
        ga.apply_gufunc(broken, "()->()", ga.asarray(np.ones(4), chunks=2))


def test_numba_gufunc_with_axis(backend: str) -> None:
    numba = pytest.importorskip("numba")
    if backend != "numpy":
        pytest.skip("a CPU numba gufunc runs on NumPy chunks")

    @numba.guvectorize([(numba.float64[:], numba.float64[:], numba.float64[:])], "(n),(n)->(n)")
    def plus(x: np.ndarray, y: np.ndarray, res: np.ndarray) -> None:
        for i in range(x.shape[0]):
            res[i] = x[i] + y[i]

    a = np.random.default_rng(2).standard_normal((6, 4))
    result = plus(ga.asarray(a, chunks=(2, 4)), ga.asarray(a, chunks=(2, 4)), axis=0)
    assert isinstance(result, ga.Array)
    np.testing.assert_allclose(compute(result), plus(a, a, axis=0))


@pytest.mark.parametrize("shape, chunks", [((1, 459, 750), (1, 459, 250)), ((12, 8, 30), (4, 8, 10)),
                                           ((6, 40), (6, 8))])
def test_gathering_core_blocks_splits_loop_blocks_as_dask(shape: tuple, chunks: tuple) -> None:
    values = np.random.default_rng(3).standard_normal(shape)

    def identity(block: np.ndarray) -> np.ndarray:
        return block

    ours = ga.apply_gufunc(identity, "(i)->(i)", ga.asarray(values, chunks=chunks, backend="numpy"),
                           allow_rechunk=True, output_dtypes=float)
    theirs = da.apply_gufunc(identity, "(i)->(i)", da.from_array(values, chunks=chunks), allow_rechunk=True,
                             output_dtypes=float)
    def largest_block(chunks: tuple) -> int:
        return int(np.prod([max(c) for c in chunks]))

    # the core dimension is one block; the loop blocks shrink so that blocks stay about as large as before
    assert ours.chunks[-1] == theirs.chunks[-1] == (shape[-1],)
    assert largest_block(ours.chunks) <= 1.5 * int(np.prod(chunks))
    assert largest_block(ours.chunks) <= 1.5 * largest_block(theirs.chunks)
    np.testing.assert_array_equal(compute(ours), values)


def test_gathering_splits_as_dask_in_its_example() -> None:
    values = np.random.default_rng(4).random((1, 459, 750))
    ours = ga.apply_gufunc(lambda x, *args: x, "(dim0_0),(dim0_1),(dim0_2)->(dim0)",
                           ga.asarray(values, chunks=(1, -1, 250), backend="numpy"),
                           ga.ones(750, backend="numpy"), ga.ones(750, backend="numpy"),
                           output_dtypes=["float64"], output_sizes={"dim0": 750}, allow_rechunk=True)
    assert ours.chunks == ((1,), (153, 153, 153), (750,))
    np.testing.assert_array_equal(compute(ours), values)
