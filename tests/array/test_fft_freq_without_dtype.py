"""``fft.fftfreq``/``rfftfreq`` of a chunk library whose functions take only ``(n, d)`` (CuPy's: no
``dtype=``/``device=``), with NumPy's own ``numpy.fft`` (no ``dtype=`` either) standing in for it."""

import numpy as np
import pytest

from gpuscale.backends.array import _creation


@pytest.mark.parametrize("name", ["fftfreq", "rfftfreq"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_fft_freq_of_a_library_without_dtype_keyword(monkeypatch, name, dtype):
    with pytest.raises(TypeError):
        getattr(np.fft, name)(8, 0.5, dtype=dtype)  # the stand-in lacks dtype= as CuPy's does
    monkeypatch.setattr(_creation, "module_for", lambda backend: np)
    got = _creation.fft_freq("cupy", name, 9, 0.5, np.dtype(dtype))
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, getattr(np.fft, name)(9, 0.5).astype(dtype))
