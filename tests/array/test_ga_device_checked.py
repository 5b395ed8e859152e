"""``device=`` is checked as ``backend=`` is: a device whose library cannot run here fails at once, naming the
library and why; unknown devices list the devices; ``from_array`` takes ``device=`` as docs/array.md says."""

from __future__ import annotations

import numpy as np
import pytest

import gpuscale.array as ga
from gpuscale.backends import BackendUnavailableError, _detect

from array_helpers import assert_same


@pytest.fixture
def no_cupy(monkeypatch):
    real = _detect.installed
    monkeypatch.setattr(_detect, "installed", lambda module: module != "cupy" and real(module))
    monkeypatch.setattr(_detect, "gpu_probe", lambda: (0, "no NVIDIA driver (NVMLError_LibraryNotFound)"))


@pytest.mark.parametrize("device", ["gpu", "cuda", "GPU"])
@pytest.mark.parametrize("make", [lambda d: ga.ones(3, device=d), lambda d: ga.asarray([1, 2], device=d),
                                  lambda d: ga.from_array(np.ones(3), device=d), lambda d: ga.arange(3, device=d),
                                  lambda d: ga.ones(3, device="cpu").to_device(d)])
def test_a_gpu_device_without_cupy_fails_at_once_naming_it(no_cupy, device, make):
    with pytest.raises(BackendUnavailableError, match=r"needs cupy, which cannot run here: not installed"):
        make(device)


@pytest.mark.parametrize("device", [None, "bogus"])
def test_an_unknown_device_lists_the_devices(device):
    with pytest.raises(ValueError, match=r"unknown device .*'cpu', 'gpu' \(or 'cuda'\), 'device1'"):
        ga.ones(3, device="cpu").to_device(device)
    if device is not None:
        with pytest.raises(ValueError, match=r"unknown device 'bogus'; devices: 'cpu'"):
            ga.ones(3, device=device)


def test_from_array_takes_device():
    x = ga.from_array(np.arange(6.0), chunks=2, device="cpu")
    assert x.backend == "numpy" and x.device == "cpu"
    assert_same(x, np.arange(6.0))
    assert ga.from_array(np.arange(6.0), device="device1").backend == "array_api_strict"
