"""Host (NumPy-backed) gpuscale arrays used with device-backed ones join the device backend, as NumPy data
does; two different device backends are refused. einsum promotes mixed dtypes before multiplying."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.backends import to_host


def _host(x):
    return np.asarray(to_host(x.compute()))


def test_a_host_array_joins_the_device_array_it_is_used_with():
    a = ga.from_array(np.arange(6.0), chunks=4, backend="numpy")
    b = ga.from_array(np.arange(6.0) * 10, chunks=3, backend="array_api_strict")
    for out in (a + b, b - a, ga.where(a > 2, a, b)):
        assert out.backend == "array_api_strict"
        assert type(out.compute()).__module__.startswith("array_api_strict")
    np.testing.assert_array_equal(_host(a + b), np.arange(6.0) * 11)
    np.testing.assert_array_equal(_host(ga.where(a > 2, a, b)), np.where(np.arange(6) > 2, np.arange(6.0),
                                                                          np.arange(6.0) * 10))


DATA = np.array([[1.0, 5.0, 3.0], [7.0, 2.0, 0.0], [4.0, 4.0, 9.0], [0.5, 8.0, 6.0]])


@pytest.mark.parametrize("data_on, index_on", [("numpy", "array_api_strict"), ("array_api_strict", "numpy")])
def test_a_lazy_index_on_another_backend_comes_to_the_indexed_array(data_on, index_on):
    # xarray's idxmax picks from its NumPy coordinate with the positions argmax gives on the device
    values = np.linspace(10.0, 40.0, 3)
    positions = ga.argmax(ga.from_array(DATA, chunks=(1, 2), backend=index_on), axis=1)
    data = ga.from_array(values, chunks=2, backend=data_on)
    want = values[np.argmax(DATA, axis=1)]
    for out in (data[positions], ga.take(data, positions)):
        assert out.backend == data_on
        np.testing.assert_array_equal(_host(out), want)
    table = ga.from_array(np.tile(values, (4, 1)), chunks=(2, 2), backend=data_on)
    along = ga.take_along_axis(table, positions[:, None], axis=1)
    np.testing.assert_array_equal(_host(along), want[:, None])


def test_host_data_a_device_cannot_hold_keeps_the_device_operands_on_the_host():
    # xarray's idxmin puts NaT back where a device mask says: datetimes cannot go to the device
    times = np.arange("2000-01-01", "2000-01-07", dtype="datetime64[D]")
    mask = np.arange(6) % 4 == 0
    lazy_mask = ga.from_array(mask, chunks=4, backend="array_api_strict")
    out = ga.where(lazy_mask, np.datetime64("NaT"), ga.from_array(times, chunks=3, backend="numpy"))
    assert out.backend == "numpy"
    np.testing.assert_array_equal(out.compute(), np.where(mask, np.datetime64("NaT"), times))


def test_two_device_backends_are_refused(monkeypatch):
    from gpuscale.array import elementwise

    class Fake:
        def __init__(self, backend, dtype="float64"):
            self.backend, self.dtype = backend, np.dtype(dtype)

    monkeypatch.setattr(elementwise, "is_array", lambda obj: isinstance(obj, Fake))
    with pytest.raises(ValueError, match=r"different device backends \['array_api_strict', 'cupy'\]"):
        elementwise._backend([Fake("cupy"), Fake("array_api_strict"), Fake("numpy")])
    assert elementwise._backend([Fake("numpy"), Fake("cupy")]) == "cupy"
    assert elementwise._backend([Fake("numpy", "datetime64[ns]"), Fake("cupy")]) == "numpy"


@pytest.mark.parametrize("subscripts", ["ij,j->i", "ij,ij->j", "ij,j"])
def test_einsum_of_a_boolean_mask_and_float_weights(subscripts, backend):
    mask = np.arange(12).reshape(3, 4) % 3 == 0
    weights = np.linspace(0.5, 2.0, 4) if subscripts != "ij,ij->j" else np.linspace(0.5, 2.0, 12).reshape(3, 4)
    got = ga.einsum(subscripts, ga.asarray(mask, chunks=2), ga.asarray(weights, chunks=2))
    want = np.einsum(subscripts, mask, weights)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(_host(got), want)


def test_chunk_library_arrays_without_a_namespace_are_operands():
    """CuPy 14 arrays have no ``__array_namespace__``: an operator still takes them (by their module)."""
    from gpuscale.array.elementwise import is_operand

    fake = type("ndarray", (), {"__module__": "cupy._core.core"})()
    assert is_operand(fake) and is_operand(np.ones(2)) and not is_operand(object())


@pytest.mark.gpu
def test_raw_cupy_arrays_with_gpuscale_arrays():
    cupy = pytest.importorskip("cupy")
    x = ga.asarray(np.arange(6.0), chunks=4, backend="cupy")
    out = x + cupy.arange(6.0)
    assert isinstance(out, ga.Array) and out.backend == "cupy"
    np.testing.assert_array_equal(out.compute().get(), np.arange(6.0) * 2)
