"""NumPy's protocols on gpuscale arrays: ufuncs and array functions stay lazy gpuscale arrays (issue 14)."""

from __future__ import annotations

import importlib

import dask.array as da
import numpy as np
import pytest

import gpuscale.array as ga
from array_helpers import assert_same, compute

RNG = np.random.default_rng(4)
A = RNG.normal(size=(8, 6))
B = RNG.normal(size=(8, 6))


def _x() -> ga.Array:
    return ga.from_array(A, chunks=(3, 4))


def _y() -> ga.Array:
    return ga.from_array(B, chunks=4)


CASES = {
    "sin": (lambda x, y: np.sin(x), lambda a, b: np.sin(a)),
    "add scalar": (lambda x, y: np.add(x, 1), lambda a, b: a + 1),
    "add arrays": (lambda x, y: np.add(x, y), lambda a, b: a + b),
    "ndarray + x": (lambda x, y: B + x, lambda a, b: b + a),
    "ndarray * x": (lambda x, y: B * x, lambda a, b: b * a),
    "ndarray < x": (lambda x, y: B < x, lambda a, b: b < a),
    "power": (lambda x, y: np.power(x, 2), lambda a, b: a ** 2),
    "arctan2": (lambda x, y: np.arctan2(x, y), lambda a, b: np.arctan2(a, b)),
    "absolute": (lambda x, y: np.abs(x), lambda a, b: np.abs(a)),
    "isnan": (lambda x, y: np.isnan(x), lambda a, b: np.isnan(a)),
    "maximum": (lambda x, y: np.maximum(x, 0.1), lambda a, b: np.maximum(a, 0.1)),
    "add.reduce": (lambda x, y: np.add.reduce(x), lambda a, b: np.add.reduce(a)),
    "maximum.reduce axis 1": (lambda x, y: np.maximum.reduce(x, axis=1), lambda a, b: np.maximum.reduce(a, axis=1)),
    "multiply.reduce keepdims": (lambda x, y: np.multiply.reduce(x, axis=0, keepdims=True),
                                 lambda a, b: np.multiply.reduce(a, axis=0, keepdims=True)),
    "add.accumulate": (lambda x, y: np.add.accumulate(x), lambda a, b: np.add.accumulate(a)),
    "multiply.outer": (lambda x, y: np.multiply.outer(x[0], y[1]), lambda a, b: np.multiply.outer(a[0], b[1])),
    "matmul": (lambda x, y: np.matmul(x, y.T), lambda a, b: a @ b.T),
    "ndarray @ x": (lambda x, y: B.T @ x, lambda a, b: b.T @ a),
    "sum axis 0": (lambda x, y: np.sum(x, axis=0), lambda a, b: np.sum(a, axis=0)),
    "sum positional axis": (lambda x, y: np.sum(x, 1), lambda a, b: np.sum(a, 1)),
    "mean": (lambda x, y: np.mean(x), lambda a, b: np.mean(a)),
    "std ddof": (lambda x, y: np.std(x, axis=1, ddof=1), lambda a, b: np.std(a, axis=1, ddof=1)),
    "var keepdims": (lambda x, y: np.var(x, axis=0, keepdims=True), lambda a, b: np.var(a, axis=0, keepdims=True)),
    "amax": (lambda x, y: np.amax(x, axis=1), lambda a, b: np.amax(a, axis=1)),
    "argmin": (lambda x, y: np.argmin(x, axis=0), lambda a, b: np.argmin(a, axis=0)),
    "cumsum flat": (lambda x, y: np.cumsum(x), lambda a, b: np.cumsum(a)),
    "nanmean": (lambda x, y: np.nanmean(x, axis=0), lambda a, b: np.nanmean(a, axis=0)),
    "concatenate": (lambda x, y: np.concatenate([x, y]), lambda a, b: np.concatenate([a, b])),
    "concatenate ndarray": (lambda x, y: np.concatenate([B, x], axis=1), lambda a, b: np.concatenate([b, a], 1)),
    "concatenate None": (lambda x, y: np.concatenate([x, y], axis=None), lambda a, b: np.concatenate([a, b], None)),
    "stack": (lambda x, y: np.stack([x, y], axis=1), lambda a, b: np.stack([a, b], axis=1)),
    "vstack": (lambda x, y: np.vstack([x, y]), lambda a, b: np.vstack([a, b])),
    "hstack": (lambda x, y: np.hstack([x, y]), lambda a, b: np.hstack([a, b])),
    "where": (lambda x, y: np.where(x > 0, x, y), lambda a, b: np.where(a > 0, a, b)),
    "where scalar": (lambda x, y: np.where(x > 0, x, 0.0), lambda a, b: np.where(a > 0, a, 0.0)),
    "transpose": (lambda x, y: np.transpose(x), lambda a, b: np.transpose(a)),
    "swapaxes": (lambda x, y: np.swapaxes(x, 0, 1), lambda a, b: np.swapaxes(a, 0, 1)),
    "reshape": (lambda x, y: np.reshape(x, (6, 8)), lambda a, b: np.reshape(a, (6, 8))),
    "ravel": (lambda x, y: np.ravel(x), lambda a, b: np.ravel(a)),
    "expand_dims": (lambda x, y: np.expand_dims(x, 1), lambda a, b: np.expand_dims(a, 1)),
    "squeeze": (lambda x, y: np.squeeze(x[:1]), lambda a, b: np.squeeze(a[:1])),
    "clip": (lambda x, y: np.clip(x, -0.5, 0.5), lambda a, b: np.clip(a, -0.5, 0.5)),
    "round": (lambda x, y: np.round(x, 2), lambda a, b: np.round(a, 2)),
    "dot": (lambda x, y: np.dot(x, y.T), lambda a, b: np.dot(a, b.T)),
    "dot vectors": (lambda x, y: np.dot(x[0], y[0]), lambda a, b: np.dot(a[0], b[0])),
    "tensordot": (lambda x, y: np.tensordot(x, y, axes=([0], [0])), lambda a, b: np.tensordot(a, b, ([0], [0]))),
    "outer": (lambda x, y: np.outer(x[0], y[0]), lambda a, b: np.outer(a[0], b[0])),
    "linalg.norm": (lambda x, y: np.linalg.norm(x), lambda a, b: np.linalg.norm(a)),
    "linalg.norm axis": (lambda x, y: np.linalg.norm(x, axis=1), lambda a, b: np.linalg.norm(a, axis=1)),
    "fft.fft": (lambda x, y: np.fft.fft(x), lambda a, b: np.fft.fft(a)),
    "fft.rfft": (lambda x, y: np.fft.rfft(x, axis=0), lambda a, b: np.fft.rfft(a, axis=0)),
    "fft.fft2": (lambda x, y: np.fft.fft2(x), lambda a, b: np.fft.fft2(a)),
    "fft.fftshift": (lambda x, y: np.fft.fftshift(x), lambda a, b: np.fft.fftshift(a)),
    "sort": (lambda x, y: np.sort(x, axis=0), lambda a, b: np.sort(a, axis=0)),
    "diff": (lambda x, y: np.diff(x, axis=0), lambda a, b: np.diff(a, axis=0)),
    "flip": (lambda x, y: np.flip(x, 0), lambda a, b: np.flip(a, 0)),
    "roll": (lambda x, y: np.roll(x, 2, axis=1), lambda a, b: np.roll(a, 2, axis=1)),
    "tril": (lambda x, y: np.tril(x), lambda a, b: np.tril(a)),
    "zeros_like": (lambda x, y: np.zeros_like(x), lambda a, b: np.zeros_like(a)),
    "full_like": (lambda x, y: np.full_like(x, 3.0), lambda a, b: np.full_like(a, 3.0)),
    "isclose": (lambda x, y: np.isclose(x, x + 1e-12), lambda a, b: np.isclose(a, a + 1e-12)),
    "histogram": (lambda x, y: np.histogram(x, bins=4, range=(-1, 1))[0],
                  lambda a, b: np.histogram(a, bins=4, range=(-1, 1))[0]),
    "take": (lambda x, y: np.take(x, [0, 3], axis=1), lambda a, b: np.take(a, [0, 3], axis=1)),
    "allclose": (lambda x, y: np.allclose(x, x + 1e-12), lambda a, b: np.allclose(a, a + 1e-12)),
    "array_equal": (lambda x, y: np.array_equal(x, y), lambda a, b: np.array_equal(a, b)),
    "average weights": (lambda x, y: np.average(x, axis=1, weights=np.arange(1.0, 7.0)),
                        lambda a, b: np.average(a, axis=1, weights=np.arange(1.0, 7.0))),
    "average": (lambda x, y: np.average(x, axis=0), lambda a, b: np.average(a, axis=0)),
    "ptp": (lambda x, y: np.ptp(x, axis=0), lambda a, b: np.ptp(a, axis=0)),
    "atleast_3d": (lambda x, y: np.atleast_3d(x[0]), lambda a, b: np.atleast_3d(a[0])),
    "copy": (lambda x, y: np.copy(x), lambda a, b: np.copy(a)),
}


@pytest.mark.parametrize("case", list(CASES))
def test_numpy_calls_stay_lazy_gpuscale_arrays(case: str) -> None:
    ours, reference = CASES[case]
    got = ours(_x(), _y())
    assert isinstance(got, ga.Array), type(got)
    want = reference(A, B)
    np.testing.assert_allclose(compute(got), want, rtol=1e-10, atol=1e-12)
    assert got.shape == np.shape(want)


def test_same_results_as_dask_through_numpy() -> None:
    x, d = _x(), da.from_array(A, chunks=(3, 4))
    for call in (lambda v: np.sin(v) + np.mean(v, axis=0), lambda v: np.concatenate([v, v]).sum(axis=1),
                 lambda v: np.where(v > 0, v, np.exp(v))):
        np.testing.assert_allclose(compute(call(x)), call(d).compute(), rtol=1e-12)


def test_linalg_svd_and_qr() -> None:
    tall = RNG.normal(size=(30, 4))
    x = ga.from_array(tall, chunks=(10, 4))
    u, s, vh = np.linalg.svd(x, full_matrices=False)
    assert all(isinstance(v, ga.Array) for v in (u, s, vh))
    np.testing.assert_allclose(compute(s), np.linalg.svd(tall, compute_uv=False), rtol=1e-10)
    np.testing.assert_allclose(compute(u) * compute(s) @ compute(vh), tall, atol=1e-10)
    s_only = np.linalg.svd(x, compute_uv=False)
    assert isinstance(s_only, ga.Array)
    q, r = np.linalg.qr(x)
    np.testing.assert_allclose(compute(q) @ compute(r), tall, atol=1e-10)
    square = RNG.normal(size=(5, 5)) + 5 * np.eye(5)
    assert_same(np.linalg.inv(ga.from_array(square, chunks=2)), np.linalg.inv(square), rtol=1e-10)


def test_multiple_output_and_non_standard_ufuncs_on_host_chunks(backend: str) -> None:
    x = _x()
    assert_same(np.deg2rad(x), np.deg2rad(A))  # a standard-functions equivalent where the namespace has none
    if not hasattr(importlib.import_module(backend), "frexp"):  # CuPy has it, array-api-strict not
        with pytest.raises(TypeError):  # two outputs: by name in the chunk library only
            np.frexp(x)
        return
    mantissa, exponent = np.frexp(x)
    assert isinstance(mantissa, ga.Array)
    assert_same(exponent, np.frexp(A)[1])
    quotient, remainder = np.divmod(x, 0.3)
    np.testing.assert_allclose(compute(quotient), np.divmod(A, 0.3)[0])


def test_ufunc_out_and_dtype() -> None:
    x = _x()
    out = ga.zeros((8, 6))
    result = np.add(x, 1, out=out)
    assert result is out
    assert_same(out, A + 1)
    assert np.multiply(x, 2, dtype=np.float32).dtype == ga.float32
    masked = np.add(x, 1, where=A > 0, out=ga.ones((8, 6)))  # where=: out's values where the mask is false
    assert_same(masked, np.add(A, 1, where=A > 0, out=np.ones((8, 6))))


def test_unimplemented_functions_run_on_the_computed_arrays_with_a_warning(backend) -> None:
    """As dask.array: a NumPy function gpuscale lacks (or arguments it does not take) computes the arrays and
    runs on the results, with a FutureWarning naming the function; device chunks are not copied to the host for
    it (CuPy's function runs; array-api-strict's device1, which has none, refuses the copy)."""
    from gpuscale.array.protocols import HANDLED

    x = _x()
    if backend == "array_api_strict":
        with pytest.warns(FutureWarning, match="interp"), pytest.raises(RuntimeError, match="device"):
            np.interp(x, A[0], A[1])
        return
    for func, args, expected in ((np.interp, (x, A[0], A[1]), np.interp(A, A[0], A[1])),
                                 (np.polyfit, (x[0], x[1], 2), np.polyfit(A[0], A[1], 2)),
                                 (np.trapezoid, (x,), np.trapezoid(A)),
                                 (np.linalg.det, (x[:6, :6],), np.linalg.det(A[:6, :6]))):
        if (func.__module__, func.__name__) in HANDLED:
            continue  # implemented since: nothing to check
        with pytest.warns(FutureWarning, match=f"`.*{func.__name__}` function is not implemented by Dask"):
            got = func(*args)
        np.testing.assert_allclose(got, expected)
    with pytest.warns(FutureWarning, match="these arguments"):  # an argument gpuscale's sum does not take
        assert np.sum(x, where=A > 0) == np.sum(A, where=A > 0)


def test_other_array_types_are_not_taken() -> None:
    class Other:
        def __array_function__(self, func, types, args, kwargs):
            return "other"

    assert np.concatenate([_x(), Other()]) == "other"


def test_metadata_functions() -> None:
    x = _x()
    assert np.shape(x) == (8, 6)
    assert np.ndim(x) == 2
    assert np.size(x) == 48


def test_size_of_a_tuple_of_axes_as_numpy_2_4() -> None:
    # NumPy 2.4's np.size takes a tuple of axes (the product of their lengths): it raised TypeError
    cube = np.ones((2, 3, 4))
    x = ga.from_array(cube, chunks=2)
    for axis in (None, 1, -1, np.int64(0), (0, 1), (-1, 0), [2], ()):
        want = np.size(cube, axis=axis) if not isinstance(axis, list) else np.size(cube, axis=tuple(axis))
        assert np.size(x, axis=axis) == want
    for axis in (3, (0, 3), (0, 0)):
        with pytest.raises((ValueError, IndexError)) as caught:
            np.size(cube, axis=axis)
        with pytest.raises(type(caught.value)):
            np.size(x, axis=axis)
    with pytest.raises(np.exceptions.AxisError):
        np.size(ga.asarray(np.array(1.0)), 0)


def test_asarray_still_computes_and_device_chunks_refuse_it(backend: str) -> None:
    x = _x() + 1
    if backend == "numpy":
        np.testing.assert_allclose(np.asarray(x), A + 1)  # as dask.array: np.asarray computes
    else:
        with pytest.raises(TypeError, match="Implicit conversion"):
            np.asarray(x)  # the copy to the host must be explicit (as CuPy)
        with pytest.raises(TypeError, match="Implicit conversion"):
            np.array(x)
